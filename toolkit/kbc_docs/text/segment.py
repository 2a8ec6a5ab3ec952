"""Invisible line-break opportunities for scripts written without spaces between words.

Khmer and Lao separate phrases, not words, with spaces. Pango (WeasyPrint) finds no break
inside such a run, so a long sentence overflows the page; we insert U+200B ZERO WIDTH SPACE at
each place a line may break inside a Khmer or Lao run. Both renderers get the same text, Word
and LibreOffice honour U+200B too, and it is invisible, so search and copy still see the words.
Word and LibreOffice also break where their own dictionaries see a word end, so the Word file
gets a WORD JOINER between the clusters of every word as well (:func:`word_joins`).

Where a line may break was chosen by measurement (``benchmarks/bench_segment.py`` against the
hand-checked word lists in ``tests/data/segmentation``):

* ICU's dictionary line breaker alone cuts 17 % of the Khmer and 26 % of the Lao words of the
  examples; a word segmenter alone (khmercut, a CRF model, for Khmer; LaoNLP's dictionary
  for Lao) 6 % and 17 %, and LaoNLP even cuts inside a syllable ("ເຕ|ັດ").
* LaoNLP's dictionary lacks many compounds ("ຝຶກອົບຮົມ", "ເພີ່ມທະວີ"); pieces of its answer
  that together spell a word of the Lao corpora people segmented by hand (those LaoNLP's
  tagger learnt from) are joined (:func:`_annotated_lao_words`): 15 % of the words cut.
* A break is allowed only where **both** ICU and the word segmenter see a word boundary: each
  one's mistakes are mostly not the other's (4 % and 13.5 % left).
* What is left are names and set phrases neither knows. Those are data: the registry's names
  (parties, places, people, passed as ``keep``) and the language file's ``unbreakable`` list,
  which staff extend when a printed page shows a word cut in two. Neither is ever broken
  inside, except that a party's long full name breaks between its words (:data:`LONG_NAME`).
* On Lao text written after the list and not used to extend it (``lo-heldout.txt``, word
  boundaries marked by hand), the rule cuts 1.7 % of the units (3 of 175), each between the
  two words of a compound ("ນ້ຳ|ສະອາດ", "ມະຫາ|ກຳ"), and offers 71 % of the word boundaries
  (2.9 % and 81 % before the annotated words were joined). The Khmer figures are in
  ``benchmarks/bench_segment.py`` and ``docs/khmer-lao.md``.
* Whatever the segmenters say, no break falls inside a cluster (before a combining sign, after
  a Khmer COENG or a Lao prefixed vowel) and no line starts with a closing sign.

Break marks a typist put in by hand are kept; none is doubled, since an opportunity is only
added between two letters.

The word segmenters' answers are kept in the disk cache (:mod:`kbc_docs.cache`), keyed by the
text and the segmenters' versions: khmercut's model alone takes 23 MB and a fifth of a second
to load, and the same sentences are segmented in every build of a conference.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from kbc_docs import cache

if TYPE_CHECKING:  # ICU (18 MB) is loaded by the first segmentation, not by unsegment's users
    import icu

ZWSP = "\u200b"
WJ = "\u2060"
"""WORD JOINER: no line break here (UAX #14, class WJ). Written by the DOCX renderer only."""
LETTERS = {"km": "\u1780-\u17ff\u19e0-\u19ff", "lo": "\u0e80-\u0eff"}
"""Character ranges (for a regex class) of the scripts written without spaces between words."""
PARTNER_LETTERS = re.compile(f"[{''.join(LETTERS.values())}]")
"""Any Khmer or Lao letter: text that needs the partner fonts and break opportunities."""

# Signs that close a word and never begin a line: Khmer ។ ៕ ៖ ៗ ៘ ៙ ៚ and Lao ໆ.
NO_LINE_START = "\u17d4-\u17da\u0ec6"
_NO_START = re.compile(f"[{NO_LINE_START}]")
# A cluster goes on after these: Khmer COENG (the next consonant is a subscript) and the Lao
# vowels written before their consonant (ເ ແ ໂ ໃ ໄ).
_JOINS_NEXT = re.compile("[\u17d2\u0ec0-\u0ec4]")


def segment(text: str, lang: str, keep: Iterable[str] = (), together: Iterable[str] = ()) -> str:
    """``text`` with U+200B at every line-break opportunity inside Khmer or Lao letters.

    ``keep`` lists names and set phrases that are never broken inside (up to :data:`LONG_NAME`
    characters); each is a word of its own, with opportunities at both ends (the registry's
    names, the language's ``unbreakable`` list). No line starts with a closing sign
    (:data:`NO_LINE_START`) and none breaks a cluster. ``together`` lists phrases written with
    spaces that are still one name (people's full names, :func:`keep_together`).

    Word joiners (U+2060) in the text are dropped first: they come from a Word file kbc-docs
    wrote (text copied from last year's report), which has one between every two clusters of
    a word (:func:`word_joins`); kept, they would leave no opportunity inside any phrase.
    """
    letters = LETTERS.get(lang)
    if letters is None:
        return text
    text = text.replace(WJ, "")
    run = re.compile(f"[{letters}]")
    opportunities = breaks(text, lang, tuple(keep))
    out: list[str] = []
    start = 0
    for at in sorted(opportunities):
        if run.match(text[at - 1]) and run.match(text[at]):
            out += [text[start:at], ZWSP]
            start = at
    out.append(text[start:])
    return keep_together("".join(out), together)


NBSP = "\u00a0"


def keep_together(text: str, phrases: Iterable[str]) -> str:
    """``text`` with the spaces inside each of ``phrases`` made NO-BREAK SPACEs (U+00A0).

    Khmer and Lao write a Vietnamese person's name syllable by syllable ("ທ່ານ ເລ ວັນ ແທ່ງ"), so
    its spaces would be line-break opportunities like the spaces between phrases, and a name
    would be split over two lines, in a signature block as in running text. U+00A0 is the one
    keep-together mark both renderers honour (Word: Ctrl+Shift+Space; CSS: it is no break
    opportunity); it looks and extracts as a space. Longest phrase first, so an honorific with
    the name ("ທ່ານ ເລ ວັນ ແທ່ງ") wins over the name alone.
    """
    for phrase in sorted({p for p in phrases if " " in p}, key=len, reverse=True):
        text = text.replace(phrase, phrase.replace(" ", NBSP))
    return text


def breaks(text: str, lang: str, keep: tuple[str, ...] = ()) -> set[int]:
    """Indices (0 < i < len) where a line may break inside ``text``, by the rules above."""
    short = tuple(n for n in keep if len(n) <= LONG_NAME)
    spans = _spans(text, short)
    # The text between names is segmented on its own: next to a word it does not know, ICU's
    # dictionary also misreads the known one ("ខេត្ត" before "គៀនយ៉ាង" becomes "ខេ|ត្ត").
    found: set[int] = set()
    cursor = 0
    for start, end in [*sorted(spans), (len(text), len(text))]:
        piece = text[cursor:start]
        found |= {cursor + b for b in _agreed(piece, lang)}
        found |= {start, end}
        cursor = end
    return {
        at
        for at in found
        if 0 < at < len(text)
        and not any(s < at < e for s, e in spans)
        and not _inside_cluster(text, at)
    }


def _agreed(text: str, lang: str) -> set[int]:
    """Word boundaries both ICU and the language's word segmenter find in ``text``."""
    found = _icu_boundaries(text, lang)
    words = _word_boundaries(text, lang)
    if words is not None:
        found &= words
    return found


def _inside_cluster(text: str, at: int) -> bool:
    """True if a line starting at ``text[at]`` would split a cluster or start with a sign."""
    return bool(_NO_START.match(text[at])) or _cuts_cluster(text, at)


def _cuts_cluster(text: str, at: int) -> bool:
    """True if ``text[at - 1]`` and ``text[at]`` belong to one written cluster."""
    if _JOINS_NEXT.match(text[at - 1]):
        return True
    return unicodedata.category(text[at]) in ("Mn", "Mc")


@functools.cache
def _breaker(lang: str) -> icu.BreakIterator:
    import icu

    return icu.BreakIterator.createLineInstance(icu.Locale(lang))


def _icu_boundaries(text: str, lang: str) -> set[int]:
    """ICU's line-break opportunities in ``text`` as string indices."""
    breaker = _breaker(lang)
    breaker.setText(text)
    # ICU works in UTF-16 code units; Khmer and Lao are in the BMP, but other text may not be.
    utf16 = text.encode("utf-16-le")
    return {len(utf16[: b * 2].decode("utf-16-le")) for b in breaker}


Tokenizer = Callable[[str], list[str]]
_SEGMENTERS = {"km": ("khmercut", "python-crfsuite"), "lo": ("LaoNLP", "pythainlp")}
"""The distributions of each language's word segmenter, part of its cache key."""


def _word_boundaries(text: str, lang: str) -> set[int] | None:
    """:func:`_token_boundaries` of the language's word segmenter, from the cache if it has it;
    ``None`` for a language without a segmenter."""
    if lang not in _SEGMENTERS:
        return None
    entry = cache.key(_segmenter_versions(lang), lang, text)
    stored = cache.get("segments", entry)
    if stored is not None:
        return set(json.loads(stored))
    words = _word_segmenter(lang)
    found = _token_boundaries(text, lang, words) if words is not None else set()
    cache.put("segments", entry, json.dumps(sorted(found)).encode("ascii"))
    return found


@functools.cache
def _segmenter_versions(lang: str) -> str:
    return cache.versions(*_SEGMENTERS[lang])


@functools.cache
def _word_segmenter(lang: str) -> Tokenizer | None:
    """The word segmenter measured best with ICU for ``lang`` (see the module docstring)."""
    if lang == "km":
        import khmercut

        return khmercut.tokenize
    if lang == "lo":
        # LaoNLP pulls in PyThaiNLP, which logs a notice about its data folder on import.
        logging.getLogger("pythainlp").setLevel(logging.ERROR)
        from laonlp.tokenize import word_tokenize

        words = _annotated_lao_words()
        return lambda text: _join_annotated(word_tokenize(text), words)
    return None


_LAO_TAGGED = ("ptagger_SeqLabeling_corpus.json", "ptagger_Yunshan-Cup_corpus.json")
"""LaoNLP's part-of-speech models, trained on two Lao corpora segmented into words by people."""


@functools.cache
def _annotated_lao_words() -> frozenset[str]:
    """Every word of the people-segmented Lao corpora LaoNLP's tagger was trained on: the
    words its models know (``tagdict``) and those it has a weight for (``"i word …"``).

    LaoNLP's own dictionary lacks many compounds ("ຝຶກອົບຮົມ", "ເພີ່ມທະວີ") that annotators
    wrote as one word; its segmenter then cuts them. Measured on the gold list (segmenters
    alone, nothing kept whole), joining such pieces takes ICU ∩ LaoNLP from 15.8 % to 13.5 %
    of the words cut. The files are read through LaoNLP's own corpus path; their format is
    PyThaiNLP's perceptron model (``weights``, ``tagdict``).
    """
    from laonlp.corpus.core import get_path_corpus

    words: set[str] = set()
    for name in _LAO_TAGGED:
        with open(get_path_corpus(name), encoding="utf-8") as file:
            model = json.load(file)
        words |= set(model["tagdict"])
        words |= {k.removeprefix("i word ") for k in model["weights"] if k.startswith("i word ")}
    return frozenset(w for w in words if re.fullmatch(f"[{LETTERS['lo']}]+", w))


_JOIN_AT_MOST = 4
"""Tokens joined into one annotated word at most (the longest such compounds have four)."""


def _join_annotated(tokens: list[str], words: frozenset[str]) -> list[str]:
    """``tokens`` with runs of them that spell one of ``words`` joined, as few pieces as can be
    (a dynamic programme over the tokens, so "ການຝຶກ|ອົບຮົມ" becomes one piece and no token
    is ever split)."""
    best: list[tuple[int, int]] = [(0, 0)]  # (pieces so far, start of the last piece)
    for end in range(1, len(tokens) + 1):
        options = [
            (best[start][0] + 1, start)
            for start in range(max(0, end - _JOIN_AT_MOST), end)
            if end - start == 1 or "".join(tokens[start:end]) in words
        ]
        best.append(min(options))
    pieces: list[str] = []
    end = len(tokens)
    while end > 0:
        start = best[end][1]
        pieces.append("".join(tokens[start:end]))
        end = start
    return pieces[::-1]


def _token_boundaries(text: str, lang: str, words: Tokenizer) -> set[int]:
    """Ends of the segmenter's words inside each run of ``lang``'s letters in ``text``."""
    out: set[int] = set()
    for run in re.finditer(f"[{LETTERS[lang]}]+", text):
        at = run.start()
        for word in words(run.group()):
            at += len(word)
            out.add(at)
        if at != run.end():  # a segmenter that changed the text is not trusted
            return set()
    return out


LONG_NAME = 24
"""Names longer than this many characters are descriptions made of words and names: a party's
full name ("ຄະນະແນວລາວສ້າງຊາດແຂວງອັດຕະປື", 40 to 60 letters) is wider than a signature column
or a parallel column, so it breaks between its words, never inside the names it is made of
("ຄະນະ | ແນວລາວສ້າງຊາດ | ແຂວງອັດຕະປື")."""

_SHORT_NAME = 4
"""Names shorter than this (one syllable of a person's name: "ធី", "ທິ") are kept only where
they stand alone between spaces or signs; inside a longer word they are part of that word."""


def _spans(text: str, names: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the ``names`` occur in ``text``, longest name first, without overlaps.

    An occurrence whose ends would cut a cluster is part of another word, not the name; a very
    short name (:data:`_SHORT_NAME`) counts only between spaces or signs.
    """
    taken: list[tuple[int, int]] = []
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        for match in re.finditer(re.escape(name), text):
            start, end = match.span()
            if any(0 < at < len(text) and _cuts_cluster(text, at) for at in (start, end)):
                continue
            if len(name) < _SHORT_NAME and (
                (start > 0 and PARTNER_LETTERS.match(text[start - 1]))
                or (end < len(text) and PARTNER_LETTERS.match(text[end]))
            ):
                continue
            if all(end <= s or start >= e for s, e in taken):
                taken.append((start, end))
    return taken


def word_joins(text: str) -> list[int]:
    """Indices of ``text`` (segmented) before which the Word file gets a WORD JOINER.

    Word and LibreOffice do not take U+200B as the only places a Khmer or Lao line may break:
    they run their own dictionary breaker over the text as well, and it cuts names and words
    ours keeps whole (LibreOffice, through ICU: "ខេត្តគៀ|នយ៉ាង"; Word has a Khmer and a Lao
    breaker of its own). A WORD JOINER forbids a break where it stands and splits the
    dictionary's run, so one goes between every two clusters of a Khmer or Lao word that have no
    U+200B between them: only our opportunities (and spaces) are left to any breaker. It is
    invisible and zero width (default ignorable), and the comparison of the Word file with the
    PDF ignores it (:func:`unsegment`). Between two digits there is no break anyway.
    """
    return [
        at
        for at in range(1, len(text))
        if PARTNER_LETTERS.match(text[at - 1])
        and PARTNER_LETTERS.match(text[at])
        and not _cuts_cluster(text, at)
        and not (text[at - 1].isdigit() and text[at].isdigit())
    ]


def unsegment(text: str) -> str:
    """The text as the user wrote it (for comparisons in checks and tests): without the
    break marks (U+200B) and the Word file's word joiners (U+2060)."""
    return text.replace(ZWSP, "").replace(WJ, "")


_SOFT_BREAK = re.compile(
    f"(?<=[{''.join(LETTERS.values())}])[ \t]*\n[ \t]*(?=[{''.join(LETTERS.values())}])"
)


def join_lines(text: str) -> str:
    """A Khmer or Lao text written as a ``|`` block, one line: a line break between two of
    their letters joins them (a space there would be a phrase break, see ``validate``'s folded
    text warning); any other line break is a space, as in a folded text."""
    return re.sub(r"[ \t]*\n[ \t]*", " ", _SOFT_BREAK.sub("", text))
