"""Where each paragraph of a Word part is, in words a clerk can find: table, row, cell, number.

Paragraphs are counted from the start of the part, those in tables included, as Word's
navigation shows them; the text is given too, to search for with Ctrl+F.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from kbc_docs.messages import msg
from kbc_docs.render.docx.ooxml import w
from kbc_docs.templates.lint.scanner import Where, short

__all__ = ["Paragraphs", "own_text", "paragraph_of"]


@dataclass
class Paragraphs:
    """Where each paragraph of a part is: its number and its table/row/cell path."""

    number: dict[etree._Element, int] = field(default_factory=dict)
    path: dict[etree._Element, str] = field(default_factory=dict)

    @classmethod
    def of(cls, root: etree._Element) -> Paragraphs:
        self = cls()
        tables = 0
        stack: list[list[int]] = []  # [table, row, cell] per open table

        def visit(el: etree._Element) -> None:
            nonlocal tables
            tag = el.tag
            if tag == w("tbl"):
                tables += 1
                stack.append([tables, 0, 0])
                for child in el:
                    visit(child)
                stack.pop()
                return
            if tag == w("tr") and stack:
                stack[-1][1] += 1
                stack[-1][2] = 0
            elif tag == w("tc") and stack:
                stack[-1][2] += 1
            elif tag == w("p"):
                self.number[el] = len(self.number) + 1
                self.path[el] = " › ".join(
                    msg("lint_cell", table=t, row=r, cell=c) for t, r, c in stack
                )
            for child in el:
                if isinstance(child.tag, str):
                    visit(child)

        visit(root)
        return self

    def where(self, label: str, p: etree._Element | None) -> Where:
        if p is None or p not in self.number:
            return Where(label, "", "")
        location = msg("lint_paragraph", number=self.number[p])
        if self.path[p]:
            location = f"{self.path[p]}, {location}"
        return Where(label, location, short(own_text(p), 100))


def paragraph_of(el: etree._Element) -> etree._Element | None:
    return next((a for a in el.iterancestors(w("p"))), None) if el.tag != w("p") else el


def own_text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(w("t")) if paragraph_of(t) is p)
