"""Where docxtpl's tags can work in a Word part: prefixes, tags cut by markup, blocks' places.

docxtpl's ``{%p``/``{%tc``/``{%tr``/``{%r`` tags replace a whole paragraph, cell, row or run,
and docxtpl joins a tag Word stored in several runs by deleting the markup between its pieces;
each check here names a tag that would make either go wrong, and the fix in Word.
"""

from __future__ import annotations

import itertools
import re

from lxml import etree

from kbc_docs.messages import both, msg
from kbc_docs.render.docx.ooxml import w
from kbc_docs.templates.lint.blocks import check_unit, tag_place
from kbc_docs.templates.lint.dropped import check_dropped
from kbc_docs.templates.lint.html import line_of
from kbc_docs.templates.lint.paragraphs import Paragraphs, paragraph_of
from kbc_docs.templates.lint.scanner import (
    DOCXTPL_TAGS,
    OPEN_RE,
    PREFIX_RE,
    Finding,
    Tag,
    Where,
    check_strays,
    keyword,
    scan,
    short,
)

__all__ = ["check_part"]

# Elements a tag may not be only partly inside: docxtpl cannot join the tag's pieces.
_WRAPPERS = {
    "ins": "lint_wrap_change",
    "del": "lint_wrap_change",
    "moveTo": "lint_wrap_move",
    "moveFrom": "lint_wrap_move",
    "hyperlink": "lint_wrap_hyperlink",
    "smartTag": "lint_wrap_smart_tag",
    "sdt": "lint_wrap_control",
    "fldSimple": "lint_wrap_field",
    "customXml": "lint_wrap_custom",
}
"""The message (what it is, what to do) for each element, by its name in ``word/document.xml``."""


def check_part(scope: etree._Element, label: str, out: list[Finding]) -> None:
    """All checks of one Word part (the body, a header, a footer or the footnotes)."""
    paragraphs = Paragraphs.of(scope)
    pieces = list(scope.iter(w("t")))
    offsets: list[int] = []
    chunks: list[str] = []
    total = 0
    for t in pieces:
        offsets.append(total)
        chunks.append(t.text or "")
        total += len(t.text or "")
    text = "".join(chunks)

    def piece_at(offset: int) -> int:
        return max(0, line_of(offsets, offset) - 1)

    def where_at(offset: int) -> Where:
        if not pieces:
            return Where(label, "", "")
        return paragraphs.where(label, paragraph_of(pieces[piece_at(offset)]))

    tags = scan(text, where_at, out)
    for tag in tags:
        first, last = piece_at(tag.start), piece_at(tag.end - 1)
        tag.pieces = pieces[first : last + 1]
        _docx_prefix(tag, out)
    for deleted in scope.iter(w("delText")):
        if OPEN_RE.search(deleted.text or ""):
            out.append(
                paragraphs.where(label, paragraph_of(deleted)).finding(
                    "error", msg("lint_tracked_deletion", code=short(deleted.text or "", 40))
                )
            )
    for tag in tags:
        _check_pieces(tag, out)
        _check_placement(tag, out)
    check_dropped(tags, offsets, pieces, out)
    check_strays(text, tags, where_at, out)
    kept = [t for t in tags if not t.dropped]
    blocks = check_unit(kept, "docx", out, [t for t in tags if t.dropped])
    _check_block_places(blocks, out)


def _docx_prefix(tag: Tag, out: list[Finding]) -> None:
    """Recognise docxtpl's ``{%p``/``{%tr``/``{%tc``/``{%r`` prefix exactly as docxtpl does.

    docxtpl wants an ordinary space after the prefix; Word likes to put a non-breaking one
    there (Ctrl+Shift+Space, or French autocorrect), and then the tag is an unknown ``p`` tag.
    """
    tag.anchor = tag.pieces[0] if tag.pieces else None
    m = PREFIX_RE.match(tag.code)
    if not m or not m.group(3) or (tag.kind == "comment" and m.group(2) == "r"):
        return
    lead, prefix, space = m.groups()
    if lead and tag.kind != "block":
        return  # `{{ p }}` prints a variable called p
    problems = []
    if lead:
        problems.append(msg("lint_space_before_prefix", opener=tag.raw[:2], prefix=prefix))
    if space != " ":
        problems.append(msg("lint_nbsp_after_prefix", prefix=prefix))
    if problems:
        message = msg(
            "lint_prefix_write",
            tag=short(tag.raw),
            problems=both(problems),
            opener=tag.raw[:2],
            prefix=prefix,
        )
        out.append(tag.where.finding("error", message))
    tag.prefix = prefix
    tag.code = " " + tag.code[m.end() :]
    if not tag.pieces:
        tag.anchor = None
    elif prefix == "r":
        tag.anchor = tag.pieces[0].getparent()
    else:
        tag.anchor = next(tag.pieces[0].iterancestors(w(prefix)), None)


def _check_pieces(tag: Tag, out: list[Finding]) -> None:
    """A tag stored in several runs must start and end at the same depth of markup.

    docxtpl joins the pieces by deleting everything from the end of the first piece's text to
    the start of the last one's. That is harmless for run borders, bookmarks and proofing marks,
    but when only part of the tag is inside a tracked change, hyperlink or content control, the
    deletion leaves that element half open and the document corrupt.
    """
    if len(tag.pieces) < 2:
        return
    first, last = tag.pieces[0], tag.pieces[-1]
    if tag.prefix in ("p", "tc", "tr") and paragraph_of(first) is paragraph_of(last):
        return  # docxtpl replaces the whole paragraph/cell/row, markup and all
    if paragraph_of(first) is not paragraph_of(last):
        tag.bad = True
        out.append(tag.where.finding("error", msg("lint_runs_on", tag=short(tag.raw))))
        return
    up_first = [a for a in first.iterancestors()]
    up_last = [a for a in last.iterancestors()]
    common = next(a for a in up_first if a in set(up_last))
    chain_first = [etree.QName(a).localname for a in up_first[: up_first.index(common)]]
    chain_last = [etree.QName(a).localname for a in up_last[: up_last.index(common)]]
    if chain_first == chain_last:
        return
    extra = [n for n in chain_first + chain_last if n not in ("r",)]
    wrapper = next((n for n in extra if n in _WRAPPERS), extra[0] if extra else "?")
    why = msg(_WRAPPERS.get(wrapper, "lint_wrap_other"), element=wrapper)
    tag.bad = True
    out.append(
        tag.where.finding("error", msg("lint_partly_inside", tag=short(tag.raw), wrapper=why))
    )


def _check_placement(tag: Tag, out: list[Finding]) -> None:
    """Prefixed tags where they cannot work: outside a table, in ``{{ }}``, with ``%``/``}``."""
    kw = keyword(tag.code) if tag.kind == "block" else ""
    if tag.prefix in ("tr", "tc") and tag.anchor is None:
        tag.bad = True
        message = "lint_row_outside_table" if tag.prefix == "tr" else "lint_cell_outside_table"
        out.append(tag.where.finding("error", msg(message, tag=short(tag.raw))))
    if tag.kind == "var" and tag.prefix:
        tag.bad = True
        out.append(
            tag.where.finding(
                "error", msg("lint_object_tag", tag=short(tag.raw), prefix=tag.prefix)
            )
        )
    if tag.prefix and tag.kind == "block" and re.search(r"[%}]", tag.code):
        tag.bad = True
        out.append(
            tag.where.finding(
                "error", msg("lint_percent_in_prefixed", tag=short(tag.raw), prefix=tag.prefix)
            )
        )
    in_cell = bool(tag.pieces) and next(tag.pieces[0].iterancestors(w("tc")), None) is not None
    if kw in DOCXTPL_TAGS and not in_cell:
        tag.bad = True
        out.append(tag.where.finding("error", msg("lint_cell_only", tag=tag.raw)))


def _check_block_places(blocks: list[list[Tag]], out: list[Finding]) -> None:
    """The tags of one block must sit where docxtpl can cut and repeat what is between them.

    ``{%p if %}`` … ``{%p endif %}`` must be paragraphs of the same cell (or both outside any
    table), ``{%tc for %}`` … ``{%tc endfor %}`` cells of the same row, ``{%tr %}`` rows of the
    same table; an inline ``{% if %}`` … ``{% endif %}`` belongs in one paragraph.
    """
    for block in blocks:
        for a, b in itertools.pairwise(block):
            if a.bad or b.bad or a.anchor is None or b.anchor is None:
                continue
            if a.prefix != b.prefix:
                message = msg(
                    "lint_prefixes_differ",
                    tag=short(b.raw, 40),
                    opener=short(a.raw, 40),
                    place=tag_place(a),
                    prefix=a.prefix or "",
                )
                out.append(b.where.finding("error", message))
                continue
            if a.prefix in ("p", "tc", "tr", "r"):
                if a.anchor.getparent() is b.anchor.getparent():
                    continue
                message = msg(
                    f"lint_apart_{a.prefix}",
                    tag=short(b.raw, 40),
                    other=short(a.raw, 40),
                    place=tag_place(a),
                )
                out.append(b.where.finding("error", message))
                continue
            pa, pb = paragraph_of(a.anchor), paragraph_of(b.anchor)
            if pa is pb or pa is None or pb is None:
                continue
            same = pa.getparent() is pb.getparent()
            message = msg(
                "lint_inline_merge" if same else "lint_inline_table",
                tag=short(b.raw, 40),
                other=short(a.raw, 40),
                place=tag_place(a),
            )
            out.append(b.where.finding("warning" if same else "error", message))
