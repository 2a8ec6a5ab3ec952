"""Where a PDF line must not break, so that every reader puts the page's text back in order.

Two rules, applied to the tree WeasyPrint lays out (every template, the body's text only:
never the title, styles or attributes). What readers extract is unchanged.

* **No line ends with a hyphen.** Readers take a hyphen that ends a line for a word broken at
  a hyphen: poppler's ``pdftotext`` drops it ("2019 2021"), PDFium gives it back as U+FFFE,
  and MuPDF joins the two lines and then puts every later search hit of the page on the wrong
  glyphs (it found no signer's name after a title that wrapped at "2019 -"). A NO-BREAK SPACE
  does not help: Unicode line breaking (UAX #14, LB12a) still breaks between a hyphen and a
  NO-BREAK SPACE. So every run of words joined by a spaced hyphen ("2019 - 2021", "Prek Chak -
  Hà Tiên") is set in a ``white-space: nowrap`` span and stays on one line.
* **A paragraph's last line is never one short word.** The first line of a paragraph or
  heading is indented; a last line shorter than the indent stands wholly left of the line
  above it. Khmer and Lao lines are 1.5 font sizes apart, so poppler's ``pdftotext`` makes
  each one a block of its own, and the tall Khmer letters make the two lines overlap: it took
  the short line for a column to the left and read it first. The last two words of every
  paragraph, heading and list item stay together (typesetters' "no runt"): the break mark
  between them (U+200B) is dropped, or the space made a NO-BREAK SPACE, which extracts as the
  space it is. (A span would do it too, but WeasyPrint 70 then breaks some lines early.)

Words are delimited by whitespace and by the U+200B break marks of Khmer and Lao text.

A third rule needs a first layout: **a registry name is not split where a line could hold
it** (a reader's search does not find a name split over two lines).
:func:`kbc_docs.render.pdf.laid_out.wrapped_names` finds them, :func:`keep_names_whole` keeps
them whole in the element where they wrapped, and
:func:`kbc_docs.render.pdf.name_keeps.keep_names` lays the document out again. A name whose
keep would leave a justified line with holes is let wrap: the first layout tells which
(:attr:`kbc_docs.render.pdf.laid_out.WrappedName.loosens`), and a keep that leaves holes all
the same (:func:`kbc_docs.render.pdf.laid_out.loose_blocks`) is undone.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from xml.etree import ElementTree

__all__ = ["KEEP_STYLE", "keep_lines_readable", "keep_names_whole"]

_WORD = r"[^\s\u200b]+"
_HYPHENATED = re.compile(rf"{_WORD}(?: - {_WORD})+")
_LAST_BREAK = re.compile(r"(?<=[^\s\u200b])[ \u200b](?=[^\s\u200b]+\s*$)")
_SKIPPED = frozenset({"style", "script", "title", "head"})
_PARAGRAPHS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li"})

ZWSP, NBSP = "\u200b", "\u00a0"
KEEP_STYLE = "white-space: nowrap"
"""The style of the spans that keep a run of words on one line."""


def keep_lines_readable(root: ElementTree.Element) -> None:
    """Apply both rules of the module to the body of the HTML tree ``root``."""
    body = root.find("body")
    if body is None:
        return
    for element in list(body.iter()):
        if isinstance(element.tag, str) and element.tag in _PARAGRAPHS:
            _keep_last_words(element)
    for element in list(body.iter()):
        if not isinstance(element.tag, str) or element.tag in _SKIPPED:
            continue
        _wrap_text(element, _HYPHENATED)
        for index in range(len(element) - 1, -1, -1):
            _wrap_tail(element, index, _HYPHENATED)


def keep_names_whole(
    places: Iterable[tuple[ElementTree.Element, str]],
) -> dict[ElementTree.Element, Callable[[], None]]:
    """Keep each name on one line inside its element: (element, name) pairs.

    The name's spaces become NO-BREAK SPACEs and the U+200B break marks inside it go, in the
    element's text and that of everything in it. Used for names a line can hold, found
    wrapped after a first layout (:func:`kbc_docs.render.pdf.laid_out.wrapped_names`): a
    reader's search does not find a name split over two lines.

    Returns, for each element, what undoes this call's keeps in it: a kept name can leave a
    justified line with holes (:func:`kbc_docs.render.pdf.laid_out.loose_blocks`), and is
    then let wrap.
    """
    undo: dict[ElementTree.Element, Callable[[], None]] = {}
    for element, name in places:
        if element not in undo:
            undo[element] = _restorer(element)
        pattern = _name_pattern(name)
        whole = name.replace(" ", NBSP).replace(ZWSP, "")
        for parent, index in list(_text_places(element)):
            if index is None:
                parent.text = pattern.sub(whole, parent.text or "")
            else:
                parent[index].tail = pattern.sub(whole, parent[index].tail or "")
    return undo


def _restorer(element: ElementTree.Element) -> Callable[[], None]:
    """What puts the texts of ``element`` and everything in it back as they are now."""
    saved = [
        (parent, index, parent.text if index is None else parent[index].tail)
        for parent, index in _text_places(element)
    ]

    def restore() -> None:
        for parent, index, text in saved:
            if index is None:
                parent.text = text
            else:
                parent[index].tail = text

    return restore


def _name_pattern(name: str) -> re.Pattern[str]:
    """``name`` as written in the laid-out text: any space a space or NO-BREAK SPACE, a
    U+200B break mark possible between any two characters."""
    parts = ["[ \u00a0]+" if char.isspace() else re.escape(char) for char in name.strip()]
    return re.compile("\u200b?".join(parts))


def _keep_last_words(paragraph: ElementTree.Element) -> None:
    """Wrap the paragraph's last two words in a span, where its last text has two words."""
    last = None
    for parent, index in _text_places(paragraph):
        text = parent.text if index is None else parent[index].tail
        if text and text.strip():
            last = (parent, index)
    if last is None:
        return
    parent, index = last
    if index is None:
        parent.text = _join_last_words(parent.text or "")
    else:
        parent[index].tail = _join_last_words(parent[index].tail or "")


def _join_last_words(text: str) -> str:
    """``text`` without its last break opportunity between two words: a U+200B break mark
    removed, a space made a NO-BREAK SPACE (which extracts as the space it is)."""
    return _LAST_BREAK.sub(lambda m: "" if m.group() == ZWSP else NBSP, text)


def _text_places(
    element: ElementTree.Element,
) -> Iterator[tuple[ElementTree.Element, int | None]]:
    """Where ``element``'s texts are, in reading order: (element, None) for its text, (parent,
    i) for the tail of ``parent[i]``."""
    yield element, None
    for index, child in enumerate(element):
        yield from _text_places(child)
        yield element, index


def _pieces(text: str, pattern: re.Pattern[str]) -> list[tuple[str, str]]:
    """``text`` cut into (plain text, kept run) pairs; the last run is empty."""
    pieces, start = [], 0
    for match in pattern.finditer(text):
        pieces.append((text[start : match.start()], match.group()))
        start = match.end()
    pieces.append((text[start:], ""))
    return pieces


def _spans(pieces: list[tuple[str, str]]) -> list[ElementTree.Element]:
    """One span per kept run, with the plain text after it as its tail."""
    spans = []
    for (_, run), (after, _) in itertools.pairwise(pieces):
        span = ElementTree.Element("span", {"style": KEEP_STYLE})
        span.text, span.tail = run, after
        spans.append(span)
    return spans


def _wrap_text(element: ElementTree.Element, pattern: re.Pattern[str]) -> None:
    """The kept runs of ``element.text`` wrapped in spans, before its first child."""
    if not element.text:
        return
    pieces = _pieces(element.text, pattern)
    element.text = pieces[0][0]
    for offset, span in enumerate(_spans(pieces)):
        element.insert(offset, span)


def _wrap_tail(parent: ElementTree.Element, index: int, pattern: re.Pattern[str]) -> None:
    """The kept runs of the tail of ``parent[index]`` wrapped in spans, right after it."""
    child = parent[index]
    if not child.tail:
        return
    pieces = _pieces(child.tail, pattern)
    child.tail = pieces[0][0]
    for offset, span in enumerate(_spans(pieces), start=1):
        parent.insert(index + offset, span)
