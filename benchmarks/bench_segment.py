"""Benchmark: which Khmer/Lao words each segmenter cuts, on the hand-checked lists; its speed.

Run with ``./run python benchmarks/bench_segment.py``. For each language it prints, per
segmenter, the share of the listed words (``tests/data/segmentation``) that get a line-break
opportunity inside them, how many occurrences were cut, and the time to segment every source
text once (warm, scoring not included). The segmenters alone see the texts as written, with
nothing kept whole; the last row, **built**, is what ``kbc-docs build`` puts in the example
(the agreed breaks plus the registry's names and the language file's ``unbreakable`` list),
read back from the view. For each language it then scores each segmenter and the build's rule
on held-out text (``tests/data/segmentation/<lang>-heldout.txt``: written after the lists,
never used to extend them, word boundaries marked by hand): the share of its units cut (the
error rate that counts) and of its word boundaries offered.

khmer-nltk is compared when installed (``pip install khmer-nltk``; it needs scikit-learn);
the project itself depends only on what it uses.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from kbc_docs.content.resolve import load_content
from kbc_docs.text import segment as seg
from kbc_docs.view.linebreaks import unbreakable
from support.form_pages import CONTENT, TEMPLATES
from support.segmentation_gold import (
    EXAMPLES,
    GOLD,
    Breaks,
    HeldOut,
    Score,
    built_texts,
    score,
    score_held_out,
    score_segmenter,
    source_texts,
)


def _icu(text: str, lang: str) -> set[int]:
    return seg._icu_boundaries(text, lang)


def _words(lang: str) -> Breaks:
    tokenize = seg._word_segmenter(lang)
    assert tokenize is not None
    return lambda text, lang: seg._token_boundaries(text, lang, tokenize)


def _agreed(text: str, lang: str) -> set[int]:
    return seg._agreed(text, lang)


def _khmer_nltk() -> Breaks | None:
    try:
        logging.getLogger("khmer-nltk").setLevel(logging.ERROR)
        from khmernltk import word_tokenize
    except ImportError:
        return None
    return lambda text, lang: seg._token_boundaries(text, lang, word_tokenize)


def _row(name: str, result: Score, seconds: float | None) -> str:
    took = f"{seconds * 1000:7.0f} ms" if seconds is not None else "         -"
    return (
        f"  {name:<22} {result.rate:6.1%} of {result.words} words cut"
        f"  ({result.cut_occurrences}/{result.occurrences} occurrences)  {took}"
    )


def _built_rule(lang: str) -> Breaks:
    """The build's rule with the build's data: the registry's names and the language file's
    unbreakable list, as ``kbc-docs build`` passes them for the example."""
    resolved, locales = load_content(EXAMPLES[lang], TEMPLATES)
    keep = unbreakable(resolved, locales[lang])
    return lambda text, lang: seg.breaks(text, lang, keep)


def _held_out_row(name: str, result: HeldOut) -> str:
    return (
        f"  {name:<22} {result.rate:6.1%} of {result.units} units cut"
        f"  ({result.coverage:.0%} of {result.boundaries} word boundaries offered)"
    )


def main() -> None:
    word_segmenter = {"km": "khmercut", "lo": "LaoNLP"}
    for lang in ("km", "lo"):
        print(f"{lang}:")
        candidates: list[tuple[str, Breaks | None]] = [
            ("ICU", _icu),
            (word_segmenter[lang], _words(lang)),
        ]
        if lang == "km":
            candidates.append(("khmer-nltk", _khmer_nltk()))
        candidates.append((f"ICU ∩ {word_segmenter[lang]}", _agreed))
        for name, breaks in candidates:
            if breaks is None:
                print(f"  {name:<22} not installed")
                continue
            result = score_segmenter(lang, breaks)  # also warms models and dictionaries
            start = time.perf_counter()
            for text in source_texts(lang):
                breaks(text, lang)
            print(_row(name, result, time.perf_counter() - start))
        with tempfile.TemporaryDirectory() as tmp:
            built = score(lang, built_texts(lang, Path(tmp)))
        print(_row("built (+ names, list)", built, None))
        if built.cut:
            print("    still cut:", " ".join(built.cut))
        # The unbreakable lists were made from the examples; other content files (written
        # later, by others) show how the whole holds on text it was not fitted to.
        for other in sorted(CONTENT.glob("*.yaml")):
            if other == EXAMPLES[lang] or f"\n    {lang}:" not in other.read_text("utf-8"):
                continue
            with tempfile.TemporaryDirectory() as tmp:
                result = score(lang, built_texts(lang, Path(tmp), other))
            print(_row(f"built {other.stem[:15]}", result, None), " ".join(result.cut))
        # Held out: text written after the lists, on other subjects, word boundaries marked by
        # hand (tests/data/segmentation/<lang>-heldout.txt); never used to extend the lists.
        if (GOLD / f"{lang}-heldout.txt").exists():
            print(f"  held out ({lang}-heldout.txt):")
            rows = [(n, b) for n, b in candidates if b is not None]
            for name, breaks in [*rows, ("built rule (+ lists)", _built_rule(lang))]:
                held = score_held_out(lang, breaks)
                print(_held_out_row(name, held), " ".join(sorted(set(held.cut))))


if __name__ == "__main__":
    main()
