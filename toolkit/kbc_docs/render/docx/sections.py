"""Section breaks of a rendered Word file, made by the renderer rather than kept in the template.

A language version starts on a new page with its page numbers restarting at 1: in Word that
is a section break (a ``w:sectPr`` in the last paragraph of the section). Kept in the template,
that break is fragile: the paragraph carrying it sits between ``{%p if not loop.last %}`` and
``{%p endif %}``, and an office suite that opens and saves the template may move it onto the
neighbouring tag paragraph (LibreOffice does, for a section break in an empty paragraph), which
the renderer deletes; the versions then run on in one section without a word.

So the template holds only the marks: an empty paragraph in the style **KBC Section Break**
ends a section. After rendering, every such paragraph that has content after it gets a copy of
the section properties that follow it (the template's own section: size, margins, headers,
page-number restart), so the clerk still sets the page up in Word, once, for all versions.
A style survives every rewrite tried (Word, LibreOffice, python-docx); a mark in the last
version, with nothing after it, makes no empty trailing section.
"""

from __future__ import annotations

import copy

from lxml import etree

from kbc_docs.render.docx.ooxml import NS, PPR_ORDER, Styles, child_in_order, w

__all__ = ["SECTION_BREAK_STYLE", "section_breaks"]

SECTION_BREAK_STYLE = "KBC Section Break"
"""The paragraph style that marks the end of a section in a template."""


def section_breaks(document: etree._Element, styles: Styles) -> int:
    """Give each marked paragraph of the body its section properties; return how many.

    A marked paragraph that already carries a section break keeps it, and so does every
    section break a clerk set in Word.
    """
    body = document.find("w:body", NS)
    if body is None:
        return 0
    children = list(body)
    made = 0
    for index, paragraph in enumerate(children):
        if paragraph.tag != w("p") or paragraph.find("w:pPr/w:sectPr", NS) is not None:
            continue
        if styles.name(styles.paragraph_style(paragraph)) != SECTION_BREAK_STYLE:
            continue
        later = children[index + 1 :]
        if not any(_has_content(el) for el in later):
            continue  # the last version: no empty section after it
        properties = next(
            (found for el in later if (found := _section_of(el)) is not None),
            None,
        )
        if properties is None:
            continue
        ppr = paragraph.find("w:pPr", NS)
        if ppr is None:
            ppr = etree.SubElement(paragraph, w("pPr"))
            paragraph.insert(0, ppr)
        ppr.replace(child_in_order(ppr, "sectPr", PPR_ORDER), copy.deepcopy(properties))
        made += 1
    return made


def _section_of(el: etree._Element) -> etree._Element | None:
    """The section properties ``el`` carries: its own (body's last) or its paragraph's."""
    if el.tag == w("sectPr"):
        return el
    return el.find("w:pPr/w:sectPr", NS) if el.tag == w("p") else None


def _has_content(el: etree._Element) -> bool:
    """A table, or a paragraph with text, a picture or an object; not an empty paragraph."""
    if el.tag == w("tbl"):
        return True
    if el.tag != w("p"):
        return False
    if any((t.text or "").strip() for t in el.iter(w("t"))):
        return True
    return next(el.iter(w("drawing"), w("pict"), w("object")), None) is not None
