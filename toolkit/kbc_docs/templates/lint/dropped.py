"""What docxtpl throws away: whatever shares a paragraph, cell or row with a ``{%p``/``{%tc``/
``{%tr`` tag, and every such tag but the last in one.

docxtpl does it without a word; a clerk who types a heading beside ``{%p if %}`` loses it. The
finding names what would be lost: text, pictures, a section or page break.
"""

from __future__ import annotations

from lxml import etree

from kbc_docs.messages import both, msg
from kbc_docs.render.docx.ooxml import w
from kbc_docs.render.docx.sections import SECTION_BREAK_STYLE
from kbc_docs.templates.lint.paragraphs import paragraph_of
from kbc_docs.templates.lint.scanner import Finding, Tag, short

__all__ = ["check_dropped"]


def check_dropped(
    tags: list[Tag], offsets: list[int], pieces: list[etree._Element], out: list[Finding]
) -> None:
    """Whatever shares a paragraph, cell or row with a ``{%p``/``{%tc``/``{%tr`` tag is lost.

    docxtpl replaces the whole row (first), cell (next) or paragraph (last) by the *last* such
    tag in it; other text, pictures and tags there vanish without a word. Lost tags are marked
    ``dropped`` and left out of the later checks, as docxtpl leaves them out of the template.
    """
    index = {t: i for i, t in enumerate(pieces)}
    for prefix in ("tr", "tc", "p"):
        groups: dict[etree._Element, list[Tag]] = {}
        for tag in tags:
            if tag.prefix == prefix and tag.anchor is not None and not tag.dropped:
                groups.setdefault(tag.anchor, []).append(tag)
        for anchor, group in groups.items():
            kept = group[-1]
            inside = [t for t in tags if t is not kept and not t.dropped and _within(t, anchor)]
            for tag in inside:
                tag.dropped = True
            _report_dropped(kept, group, anchor, index, offsets, out)


def _within(tag: Tag, anchor: etree._Element) -> bool:
    return bool(tag.pieces) and (
        tag.pieces[0] is anchor or any(a is anchor for a in tag.pieces[0].iterancestors())
    )


def _report_dropped(
    kept: Tag,
    group: list[Tag],
    anchor: etree._Element,
    index: dict[etree._Element, int],
    offsets: list[int],
    out: list[Finding],
) -> None:
    container = msg(f"lint_container_{kept.prefix}")
    if len(group) > 1:
        message = msg(
            "lint_several_prefixed",
            count=len(group),
            prefix=kept.prefix,
            container=container,
            kept=short(kept.raw, 40),
            dropped=short(" ".join(t.raw for t in group[:-1]), 60),
        )
        if kept.prefix == "p":
            message += msg("lint_press_enter")
        out.append(kept.where.finding("error", message))
        return
    own = [t for t in anchor.iter(w("t")) if t in index]
    if kept.prefix == "p":
        own = [t for t in own if paragraph_of(t) is anchor]
    rest = []
    for t in own:
        start = offsets[index[t]]
        rest += [ch for i, ch in enumerate(t.text or "") if not kept.start <= start + i < kept.end]
    lost = short("".join(rest).strip(), 60)
    pictures = sum(1 for _ in anchor.iter(w("drawing"), w("pict"), w("object")))
    breaks = {
        "lint_lost_section_break": next(anchor.iter(w("sectPr")), None),
        "lint_lost_page_break": next(
            (b for b in anchor.iter(w("br")) if b.get(w("type")) == "page"), None
        ),
        "lint_lost_break_before": next(anchor.iter(w("pageBreakBefore")), None),
    }
    structure = [msg(name) for name, found in breaks.items() if found is not None]
    if not (lost or pictures or structure):
        return
    what = [f"`{lost}`"] if lost else []
    if pictures:
        what.append(msg("lint_pictures", count=pictures))
    message = msg(
        "lint_dropped", container=container, tag=short(kept.raw, 40), lost=both(what + structure)
    )
    if structure:
        message += msg("lint_dropped_break", style=SECTION_BREAK_STYLE)
    out.append(kept.where.finding("error", message))
