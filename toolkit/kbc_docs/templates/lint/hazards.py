"""Structure in a Word template that an editor can break and the renderer cannot protect.

The renderer makes each version's section break from a ``KBC Section Break`` mark
(:mod:`kbc_docs.render.docx.sections`) and keeps formatting given to a tag's name
(:mod:`kbc_docs.render.docx.tag_format`). What is left is named here for ``templates check``,
each with the paragraph it concerns:

* a section break set in Word in an empty paragraph next to a ``{%p %}`` tag: LibreOffice moves
  it onto that tag paragraph when it saves the file, and the build deletes the tag paragraph;
* a ``KBC Section Break`` mark in a table (a section cannot end inside a table);
* a loop over the language versions without any mark or section break: the versions run on
  without a new page or restarted page numbers;
* a ``{{ }}`` tag whose expression changes formatting part-way: no single formatting to keep.

(Section breaks, page breaks and pictures *inside* a tag paragraph, which the build removes
with the tag, are reported with the other things such a paragraph loses, by the linter.)
"""

from __future__ import annotations

import re

from lxml import etree

from kbc_docs.messages import msg
from kbc_docs.render.docx.ooxml import NS, Styles, w
from kbc_docs.render.docx.sections import SECTION_BREAK_STYLE
from kbc_docs.render.docx.tag_format import expression_formats

__all__ = ["Hazard", "format_hazards", "section_hazards"]

Hazard = tuple[etree._Element, str, str]
"""(paragraph, severity, message)."""

_P_TAG = re.compile(r"^\s*\{%-?\s*p\s")
_VERSIONS_LOOP = re.compile(r"\{%-?\s*p\s+for\s+\w+\s+in\s+versions\b")


def _text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(w("t")))


def section_hazards(body: etree._Element, styles: Styles | None) -> list[Hazard]:
    """The section hazards of a template's body (``w:body``), in document order."""
    out: list[Hazard] = []
    children = [el for el in body if el.tag == w("p")]
    marks = 0
    for i, p in enumerate(children):
        sect = p.find("w:pPr/w:sectPr", NS)
        if sect is not None and not _text(p).strip() and not _P_TAG.match(_text(p)):
            neighbours = [children[j] for j in (i - 1, i + 1) if 0 <= j < len(children)]
            if any(_P_TAG.match(_text(n)) for n in neighbours):
                out.append(
                    (
                        p,
                        "warning",
                        msg("lint_break_beside_p", style=SECTION_BREAK_STYLE),
                    )
                )
        if styles is not None and _is_mark(p, styles):
            marks += 1
    if styles is not None:
        for p in body.iter(w("p")):
            if _is_mark(p, styles) and next(p.iterancestors(w("tbl")), None) is not None:
                out.append(
                    (
                        p,
                        "warning",
                        msg("lint_mark_in_table", style=SECTION_BREAK_STYLE),
                    )
                )
    has_breaks = marks or any(p.find("w:pPr/w:sectPr", NS) is not None for p in children)
    loop = next((p for p in children if _VERSIONS_LOOP.search(_text(p))), None)
    if loop is not None and not has_breaks:
        out.append(
            (
                loop,
                "warning",
                msg("lint_versions_run_on", style=SECTION_BREAK_STYLE),
            )
        )
    return out


def format_hazards(scope: etree._Element) -> list[Hazard]:
    """``{{ }}`` tags of a part whose expression changes formatting part-way."""
    out: list[Hazard] = []
    for p in scope.iter(w("p")):
        for tag, pieces in expression_formats(p):
            shown = " | ".join(f"`{piece}`" for piece in pieces)
            out.append(
                (
                    p,
                    "warning",
                    msg("lint_format_inside_tag", tag=tag, pieces=shown, first=pieces[0][:1]),
                )
            )
    return out


def _is_mark(p: etree._Element, styles: Styles) -> bool:
    return styles.name(styles.paragraph_style(p)) == SECTION_BREAK_STYLE
