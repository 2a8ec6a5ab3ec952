"""Score line-break opportunities against the hand-checked word lists in tests/data/segmentation.

Shared by ``tests/test_segment.py`` (the built examples stay below 1 % of words cut) and
``benchmarks/bench_segment.py`` (error rate and speed of each segmenter). A word of the list
counts as cut when any of its occurrences in the texts has an opportunity strictly inside it.
An occurrence that straddles a longer listed word ("មិន" in "ភូមិ|នានា") is no occurrence.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kbc_docs.content.load import load_yaml
from kbc_docs.text.segment import LETTERS, ZWSP, unsegment
from kbc_docs.view import strings

from support.form_pages import CONTENT, KM_EXAMPLE, LO_EXAMPLE, TEMPLATES, copy_content, view_of

GOLD = Path(__file__).resolve().parents[1] / "data" / "segmentation"
EXAMPLES = {"km": KM_EXAMPLE, "lo": LO_EXAMPLE}

Breaks = Callable[[str, str], set[int]]
"""A segmenter under test: (text, language) → indices where a line may break."""


@functools.cache
def gold(lang: str) -> tuple[str, ...]:
    lines = (GOLD / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@functools.cache
def source_texts(lang: str) -> tuple[str, ...]:
    """Every text in ``lang``'s script of the content files, the registry and the locale."""
    data = [load_yaml(f).data for f in sorted(CONTENT.glob("*.yaml"))]
    locale = dict(load_yaml(TEMPLATES / "locale" / f"{lang}.yaml").data)
    locale.pop("unbreakable", None)  # the answers, not a text
    letters = re.compile(f"[{LETTERS[lang]}]")
    return tuple(s for d in [*data, locale] for s in _all_strings(d) if letters.search(s))


def built_texts(lang: str, tmp: Path, content: Path | None = None) -> list[tuple[str, set[int]]]:
    """``lang``'s version of the example (or of ``content``) as built: each text with its
    opportunities (U+200B)."""
    view = view_of(copy_content(content or EXAMPLES[lang], tmp))
    version = next(v for v in view.versions if v.lang == lang)
    return [_marks(s) for s in strings(version)]


@dataclass
class Score:
    words: int
    cut: list[str]
    occurrences: int
    cut_occurrences: int

    @property
    def rate(self) -> float:
        return len(self.cut) / self.words


def score(lang: str, texts: Iterable[tuple[str, set[int]]]) -> Score:
    """How many listed words of ``lang`` the opportunities in ``texts`` cut."""
    units = gold(lang)
    texts = list(texts)
    cut: set[str] = set()
    occurrences = cut_occurrences = 0
    for text, breaks in texts:
        spans = [(m.start(), m.end()) for w in units for m in re.finditer(re.escape(w), text)]
        for word in units:
            for match in re.finditer(re.escape(word), text):
                start, end = match.span()
                if any(s < start < e < end or start < s < end < e for s, e in spans):
                    continue
                occurrences += 1
                if any(start < b < end for b in breaks):
                    cut_occurrences += 1
                    cut.add(word)
    return Score(len(units), sorted(cut), occurrences, cut_occurrences)


def score_segmenter(lang: str, breaks: Breaks) -> Score:
    """Score a segmenter run on every source text of ``lang`` (nothing kept whole)."""
    return score(lang, ((t, breaks(t, lang)) for t in source_texts(lang)))


def _marks(segmented: str) -> tuple[str, set[int]]:
    text, marks = [], set()
    for part in segmented.split(ZWSP):
        text.append(part)
        marks.add(sum(map(len, text)))
    marks.discard(sum(map(len, text)))
    assert unsegment(segmented) == "".join(text)
    return "".join(text), marks


def _all_strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _all_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _all_strings(item)


@dataclass
class HeldOut:
    """A segmenter on text the unbreakable lists were not made from (``<lang>-heldout.txt``)."""

    units: int
    cut: list[str]
    boundaries: int
    offered: int

    @property
    def rate(self) -> float:
        return len(self.cut) / self.units

    @property
    def coverage(self) -> float:
        """Share of the hand-marked word boundaries where a line may break."""
        return self.offered / self.boundaries


@functools.cache
def held_out(lang: str) -> tuple[tuple[str, frozenset[int], tuple[tuple[int, int], ...]], ...]:
    """Each held-out paragraph: its text, its hand-marked word boundaries, its units' spans."""
    path = GOLD / f"{lang}-heldout.txt"
    letters = re.compile(f"[{LETTERS[lang]}]+")
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text = line.replace("|", "")
        marks, at = set(), 0
        for char in line:
            if char == "|":
                marks.add(at)
            else:
                at += 1
        cuts = sorted(marks)
        spans = []
        for run in letters.finditer(text):
            edges = [run.start(), *(m for m in cuts if run.start() < m < run.end()), run.end()]
            spans += list(itertools.pairwise(edges))
        out.append((text, frozenset(marks), tuple(spans)))
    return tuple(out)


def score_held_out(lang: str, breaks: Breaks) -> HeldOut:
    """How many units of the held-out text ``breaks`` cuts, and how many word boundaries it
    offers (a segmenter that never breaks cuts nothing and offers nothing)."""
    units = boundaries = offered = 0
    cut: list[str] = []
    for text, marks, spans in held_out(lang):
        found = breaks(text, lang)
        units += len(spans)
        cut += [text[s:e] for s, e in spans if any(s < b < e for b in found)]
        boundaries += len(marks)
        offered += len(marks & found)
    return HeldOut(units, cut, boundaries, offered)
