"""Formatting a clerk gives a ``{{ … }}`` tag in Word is the formatting of the printed value.

docxtpl joins a tag that Word stored in several runs into the run holding ``{{``, so the value
takes the formatting of the opening brace. A clerk who selects ``v.title`` inside
``{{ v.title }}`` and makes it bold sees a bold name and would get a plain title, silently.
Here, before docxtpl runs, the run holding ``{{`` takes the formatting of the run holding the
first character of the expression (the ``v``): formatting the name, or the whole tag, is kept.
Formatting that changes *inside* the expression has no single meaning; ``templates check``
reports it (:func:`expression_formats`).
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from kbc_docs.render.docx.ooxml import NS, w

__all__ = ["carry_tag_formatting", "expression_formats", "run_format"]

_VAR = re.compile(r"\{\{-?\s*(?P<expr>.*?)\s*-?\}\}", re.S)
# Run properties that say nothing about how text looks: proofing language and revision marks.
_NOT_LOOKS = {w("lang"), w("noProof"), w("rPrChange"), w("webHidden"), w("specVanish")}


def run_format(run: etree._Element | None) -> str:
    """How a run looks, as a comparable string (its ``w:rPr`` without proofing marks)."""
    rpr = run.find("w:rPr", NS) if run is not None else None
    if rpr is None:
        return ""
    return "".join(
        etree.tostring(child, encoding="unicode", with_tail=False)
        for child in rpr
        if isinstance(child.tag, str) and child.tag not in _NOT_LOOKS
    )


def _pieces(paragraph: etree._Element) -> tuple[str, list[tuple[int, etree._Element]]]:
    """The paragraph's own text and, for each w:t, its offset and element."""
    pieces, text = [], []
    offset = 0
    for t in paragraph.iter(w("t")):
        if next(t.iterancestors(w("p")), None) is not paragraph:
            continue
        pieces.append((offset, t))
        text.append(t.text or "")
        offset += len(t.text or "")
    return "".join(text), pieces


def _piece_at(pieces: list[tuple[int, etree._Element]], offset: int) -> etree._Element:
    return next(t for start, t in reversed(pieces) if start <= offset)


def carry_tag_formatting(root: etree._Element) -> int:
    """Give each split ``{{ }}`` tag's first run the formatting of its expression; count them."""
    changed = 0
    for paragraph in root.iter(w("p")):
        text, pieces = _pieces(paragraph)
        if "{{" not in text:
            continue
        for m in _VAR.finditer(text):
            if not m.group("expr"):
                continue
            first = _piece_at(pieces, m.start()).getparent()
            named = _piece_at(pieces, m.start("expr")).getparent()
            if first is named or first.tag != w("r") or named.tag != w("r"):
                continue
            if run_format(first) == run_format(named):
                continue
            old = first.find("w:rPr", NS)
            if old is not None:
                first.remove(old)
            new = named.find("w:rPr", NS)
            if new is not None:
                first.insert(0, copy.deepcopy(new))
            changed += 1
    return changed


def expression_formats(paragraph: etree._Element) -> list[tuple[str, list[str]]]:
    """Each ``{{ }}`` tag of ``paragraph`` whose expression changes formatting part-way, with
    the pieces of the expression as formatted differently (e.g. ``["v.ti", "tle"]``)."""
    text, pieces = _pieces(paragraph)
    out = []
    for m in _VAR.finditer(text):
        a, b = m.span("expr")
        if a == b:
            continue
        parts: list[tuple[str, str]] = []  # (format, text)
        for start, t in pieces:
            lo, hi = max(a, start), min(b, start + len(t.text or ""))
            if lo >= hi:
                continue
            look = run_format(t.getparent())
            chunk = text[lo:hi]
            if parts and parts[-1][0] == look:
                parts[-1] = (look, parts[-1][1] + chunk)
            else:
                parts.append((look, chunk))
        if len({look for look, _ in parts}) > 1:
            out.append((m.group(), [chunk for _, chunk in parts]))
    return out
