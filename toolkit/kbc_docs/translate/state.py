"""What the last import left behind: the Vietnamese each translation was made from.

Kept beside the content file in ``<name>.translations.json`` — and, for the registry's texts,
beside the registry in ``registry.translations.json``, since many content files share it — so
that an export can offer again the texts whose Vietnamese changed after they were translated,
and so that a translation made from an older Vietnamese (not written into its file) is not
lost: it is kept here for review and comes back as the proposed translation in the next export.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kbc_docs.content.translations import DRAFT_BLANK
from kbc_docs.errors import ContentError, Problem
from kbc_docs.messages import msg
from kbc_docs.write import write_file

_SPACE = re.compile(r"\s+")


def normal(text: str) -> str:
    """``text`` as compared and stored: NFC, runs of white space as one space, trimmed; the
    draft's dotted space for an empty text (``""``, as ``kbc-docs new`` leaves it) is empty.

    YAML folds a long text over several lines and CAT tools and Word re-wrap it; none of that is
    a change of wording. U+200B (Khmer/Lao word breaks) is not white space and is kept.
    """
    text = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return "" if text == DRAFT_BLANK else text


def source_hash(text: str) -> str:
    """A short fingerprint of a source text, stored in every export."""
    return hashlib.sha256(normal(text).encode("utf-8")).hexdigest()[:16]


@dataclass
class Review:
    """A translation not written because its Vietnamese changed after the export."""

    proposal: str
    exported_hash: str


@dataclass
class State:
    """Per target language: field path → hash of the Vietnamese its translation was made from."""

    made_from: dict[str, dict[str, str]] = field(default_factory=dict)
    review: dict[str, dict[str, Review]] = field(default_factory=dict)


def state_file(content: Path) -> Path:
    return content.with_name(f"{content.stem}.translations.json")


def load_state(content: Path) -> State:
    """The state beside ``content``, or an empty one (translations typed into the YAML by hand)."""
    path = state_file(content)
    if not path.is_file():
        return State()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return State(
            made_from={lang: dict(paths) for lang, paths in data.get("made_from", {}).items()},
            review={
                lang: {p: Review(**r) for p, r in items.items()}
                for lang, items in data.get("review", {}).items()
            },
        )
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise ContentError([Problem(msg("tr_state_broken", reason=str(exc)), path)]) from None


def save_state(content: Path, state: State) -> Path:
    path = state_file(content)
    data = {
        "comment": (
            "Written by 'kbc-docs translate import'; keep it beside the YAML file of its name."
        ),
        "made_from": {lang: dict(sorted(p.items())) for lang, p in sorted(state.made_from.items())},
        "review": {
            lang: {p: vars(r) for p, r in sorted(items.items())}
            for lang, items in sorted(state.review.items())
            if items
        },
    }
    write_file(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return path
