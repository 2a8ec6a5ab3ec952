"""The one walker over the view's printed strings: read them all, or change them all.

The view's dataclasses hold printed text and a few codes and images for the renderers
(:data:`NOT_TEXT`); everything that reads or rewrites every string goes through here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

NOT_TEXT = ("lang", "party", "role", "header_style", "digits", "signature_image", "seal_image")
"""Fields that are codes or images for the renderers, not printed text."""


def map_strings(value, fn):  # type: ignore[no-untyped-def]
    """``value`` with ``fn`` applied to each printed string."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [map_strings(v, fn) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: map_strings(getattr(value, f.name), fn)
            for f in dataclasses.fields(value)
            if f.name not in NOT_TEXT
        }
        return dataclasses.replace(value, **changes)
    return value


def strings(value: object) -> Iterator[str]:
    """Every printed string of a view value (a version, a list, a dataclass), in order.

    The one walker over the view's text: :meth:`DocumentView.texts`, the DOCX font embedder's
    choice of fonts and the tests all read the view's strings through it.
    """
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name not in NOT_TEXT:
                yield from strings(getattr(value, f.name))
