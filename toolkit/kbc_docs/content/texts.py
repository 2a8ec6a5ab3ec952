"""The walkers over a content file's texts: every multilingual text with its field path.

The checks, the draft filling, the translator's export and the build's "which field holds this
text" all read the content through these, so a field path is spelled one way everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel

from kbc_docs.content import schema

Text = dict[str, str]


def _is_text(value: Any) -> bool:
    return (
        isinstance(value, dict) and bool(value) and all(isinstance(v, str) for v in value.values())
    )


def walk(value: Any, path: str, leaf: Callable[[Any], bool]) -> Iterator[tuple[str, Any]]:
    """Every ``leaf`` under ``value`` (models, lists, dicts) with its field path.

    The one walker over the content: the multilingual texts of the checked models
    (:func:`iter_texts`) and the strings of the raw YAML
    (:func:`kbc_docs.content.characters.bad_character_problems`).
    """
    if leaf(value):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from walk(getattr(value, name), f"{path}.{name}" if path else name, leaf)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from walk(item, f"{path}[{i}]", leaf)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, f"{path}.{key}" if path else str(key), leaf)


def iter_texts(value: Any, path: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Every multilingual text under ``value`` with its field path."""
    return walk(value, path, _is_text)


def map_texts(value: Any, fn: Callable[[Text], Text]) -> Any:
    """A copy of ``value`` (models, lists, dicts) with ``fn`` applied to every text."""
    if isinstance(value, BaseModel):
        names = type(value).model_fields
        return value.model_copy(update={n: map_texts(getattr(value, n), fn) for n in names})
    if isinstance(value, list):
        return [map_texts(item, fn) for item in value]
    if _is_text(value):
        return fn(value)
    if isinstance(value, dict):
        return {key: map_texts(item, fn) for key, item in value.items()}
    return value


def iter_todos(value: Any, path: str = "") -> Iterator[tuple[str, schema.Todo]]:
    """Every fact marked ``{todo: …}`` under ``value``, with its field path."""
    if isinstance(value, schema.Todo):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from iter_todos(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from iter_todos(item, f"{path}[{i}]")
