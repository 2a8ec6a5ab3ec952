"""Checks of a Word template: where docxtpl's tags work, text they would drop, tags cut by markup.

Located by part (``body``, ``header1``…), table/row/cell and paragraph, with the paragraph's text
to search for in Word; docxtpl's own pre-processing is run on every part last.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

from kbc_docs.errors import TemplateError
from kbc_docs.messages import msg
from kbc_docs.render.docx.ooxml import Styles, w
from kbc_docs.render.docx.sections import SECTION_BREAK_STYLE
from kbc_docs.templates.lint.blocks import check_unit, tag_place
from kbc_docs.templates.lint.hazards import format_hazards, section_hazards
from kbc_docs.templates.lint.html import line_of, sorted_findings
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
from kbc_docs.templates.package import ExternalReference, external_references, read_package

_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")


_PROPERTIES = {  # core properties docxtpl renders as templates, by element
    "{http://purl.org/dc/elements/1.1/}title": "title",
    "{http://purl.org/dc/elements/1.1/}subject": "subject",
    "{http://purl.org/dc/elements/1.1/}creator": "author",
    "{http://purl.org/dc/elements/1.1/}description": "comments",
    "{http://purl.org/dc/elements/1.1/}identifier": "identifier",
    "{http://purl.org/dc/elements/1.1/}language": "language",
}


_CONTAINER_NAMES = {"p": "paragraph", "tc": "table cell", "tr": "table row", "r": "run"}


# Elements a tag may not be only partly inside: docxtpl cannot join the tag's pieces.
_WRAPPERS = {
    "ins": "a tracked change (w:ins): accept or reject all changes (Review › Accept › "
    "Accept All Changes) or retype the tag",
    "del": "a tracked change (w:del): accept or reject all changes (Review › Accept › "
    "Accept All Changes) or retype the tag",
    "moveTo": "a tracked move (w:moveTo): accept or reject all changes",
    "moveFrom": "a tracked move (w:moveFrom): accept or reject all changes",
    "hyperlink": "a hyperlink (w:hyperlink): remove the link or retype the tag outside it",
    "smartTag": "a smart tag (w:smartTag): retype the tag",
    "sdt": "a content control (w:sdt): retype the tag outside the control",
    "fldSimple": "a field (w:fldSimple): retype the tag outside the field",
    "customXml": "a custom XML element (w:customXml): retype the tag",
}


def check_docx(path: Path) -> list[Finding]:
    try:
        package = read_package(path)
    except TemplateError as exc:
        return [Finding("error", "", "", "", problem.message) for problem in exc.problems]
    parts = [(n, b) for n, b in package.items() if _PART.match(n)]
    core = package.get("docProps/core.xml")
    out: list[Finding] = []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    styles = None
    with contextlib.suppress(KeyError, etree.XMLSyntaxError):
        styles = Styles(etree.fromstring(package["word/styles.xml"], parser))
    external = external_references(package)
    for ref in external:
        if not _PART.match(ref.part):
            label = PurePosixPath(ref.part).stem
            out.append(Finding("error", label, "", "", f"{ref.message} ({ref.part})"))
    parts.sort(key=lambda item: (not item[0].endswith("document.xml"), item[0]))
    for name, blob in parts:
        label = _PART.match(name).group(1)  # type: ignore[union-attr]
        label = "body" if label == "document" else label
        try:
            root = etree.fromstring(blob, parser)
        except etree.XMLSyntaxError as exc:
            out.append(Finding("error", label, "", "", f"{name} is not well-formed XML: {exc}"))
            continue
        scope = root.find(w("body")) if label == "body" else root
        if scope is None:
            continue
        part_findings: list[Finding] = []
        _check_part(scope, label, part_findings)
        part_findings += _hazards(scope, label, name, styles, external)
        if not any(f.severity == "error" for f in part_findings):
            part_findings += _docxtpl_dry_run(scope, label)
        out += sorted_findings(part_findings)
    if core is not None:
        out += _check_properties(core)
    return out


def _hazards(
    scope: etree._Element,
    label: str,
    name: str,
    styles: Styles | None,
    external: list[ExternalReference],
) -> list[Finding]:
    """External content and the structure an editor can break (:mod:`.hazards`)."""
    paragraphs = _Paragraphs.of(scope)
    everything = list(scope.getroottree().getroot().iter(w("p")))
    out = []
    for ref in external:
        if ref.part == name:
            p = everything[ref.paragraph] if ref.paragraph is not None else None
            out.append(paragraphs.where(label, p).finding("error", ref.message))
    hazards = format_hazards(scope)
    if label == "body":
        hazards = section_hazards(scope, styles) + hazards
    for p, severity, message in hazards:
        out.append(paragraphs.where(label, p).finding(severity, message))  # type: ignore[arg-type]
    return out


def _check_properties(core: bytes) -> list[Finding]:
    """docxtpl renders some document properties (File › Info) as templates too."""
    out: list[Finding] = []
    try:
        root = etree.fromstring(core)
    except etree.XMLSyntaxError:
        return out
    for element in root:
        label = _PROPERTIES.get(element.tag)
        text = element.text or ""
        if label is None or not OPEN_RE.search(text):
            continue
        where = Where("properties", f"document property “{label}”", short(text, 100))
        tags = scan(text, lambda _offset, where=where: where, out)
        check_unit(tags, "docx", out)
    return out


@dataclass
class _Paragraphs:
    """Where each paragraph of a part is: its number and its table/row/cell path."""

    number: dict[etree._Element, int] = field(default_factory=dict)
    path: dict[etree._Element, str] = field(default_factory=dict)

    @classmethod
    def of(cls, root: etree._Element) -> _Paragraphs:
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
        return Where(label, location, short(_own_text(p), 100))


def _paragraph_of(el: etree._Element) -> etree._Element | None:
    return next((a for a in el.iterancestors(w("p"))), None) if el.tag != w("p") else el


def _own_text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(w("t")) if _paragraph_of(t) is p)


def _check_part(scope: etree._Element, label: str, out: list[Finding]) -> None:
    """All checks of one Word part (the body, a header, a footer or the footnotes)."""
    paragraphs = _Paragraphs.of(scope)
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
        return paragraphs.where(label, _paragraph_of(pieces[piece_at(offset)]))

    tags = scan(text, where_at, out)
    for tag in tags:
        first, last = piece_at(tag.start), piece_at(tag.end - 1)
        tag.pieces = pieces[first : last + 1]
        _docx_prefix(tag, out)
    for deleted in scope.iter(w("delText")):
        if OPEN_RE.search(deleted.text or ""):
            out.append(
                paragraphs.where(label, _paragraph_of(deleted)).finding(
                    "error",
                    "a tracked deletion still holds template code "
                    f"(`{short(deleted.text or '', 40)}`), which docxtpl runs anyway: accept "
                    "or reject all changes (Review › Accept › Accept All Changes)",
                )
            )
    for tag in tags:
        _check_pieces(tag, out)
        _check_placement(tag, out)
    _check_dropped(tags, offsets, pieces, out)
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
        problems.append(f"no space may stand between `{tag.raw[:2]}` and `{prefix}`")
    if space != " ":
        problems.append(
            f"after `{prefix}` comes a non-breaking space (Word's Ctrl+Shift+Space) where "
            "docxtpl needs an ordinary one"
        )
    if problems:
        out.append(
            tag.where.finding(
                "error",
                f"`{short(tag.raw)}`: " + " and ".join(problems) + f"; write `{tag.raw[:2]}"
                f"{prefix} …`",
            )
        )
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
    if tag.prefix in ("p", "tc", "tr") and _paragraph_of(first) is _paragraph_of(last):
        return  # docxtpl replaces the whole paragraph/cell/row, markup and all
    if _paragraph_of(first) is not _paragraph_of(last):
        tag.bad = True
        out.append(
            tag.where.finding(
                "error",
                f"`{short(tag.raw)}` runs on into the next paragraph: docxtpl would join the "
                "paragraphs; keep the tag on one line",
            )
        )
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
    why = _WRAPPERS.get(wrapper, f"a w:{wrapper} element: retype the tag")
    tag.bad = True
    out.append(
        tag.where.finding(
            "error",
            f"`{short(tag.raw)}` is only partly inside {why}; otherwise docxtpl cannot join "
            "the pieces of the tag and the document comes out corrupt",
        )
    )


def _check_placement(tag: Tag, out: list[Finding]) -> None:
    """Prefixed tags where they cannot work: outside a table, in ``{{ }}``, with ``%``/``}``."""
    kw = keyword(tag.code) if tag.kind == "block" else ""
    if tag.prefix in ("tr", "tc") and tag.anchor is None:
        tag.bad = True
        where = "a table row" if tag.prefix == "tr" else "a table cell"
        out.append(
            tag.where.finding(
                "error",
                f"`{short(tag.raw)}`: `{{%{tag.prefix} …%}}` repeats or hides {where}, but "
                f"this paragraph is not in a table; use `{{%p …%}}` here",
            )
        )
    if tag.kind == "var" and tag.prefix:
        tag.bad = True
        out.append(
            tag.where.finding(
                "error",
                f"`{short(tag.raw)}`: `{{{{{tag.prefix} …}}}}` expects a Word object "
                "(RichText or Subdoc); kbc-docs gives plain text, which would vanish. "
                "Write `{{ … }}`",
            )
        )
    if tag.prefix and tag.kind == "block" and re.search(r"[%}]", tag.code):
        tag.bad = True
        out.append(
            tag.where.finding(
                "error",
                f"`{short(tag.raw)}`: docxtpl cannot handle `%` or `}}` inside a "
                f"`{{%{tag.prefix} …%}}` tag",
            )
        )
    in_cell = bool(tag.pieces) and next(tag.pieces[0].iterancestors(w("tc")), None) is not None
    if kw in DOCXTPL_TAGS and not in_cell:
        tag.bad = True
        out.append(tag.where.finding("error", f"`{tag.raw}` works only inside a table cell"))


def _check_dropped(
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
    container = _CONTAINER_NAMES[kept.prefix]
    if len(group) > 1:
        out.append(
            kept.where.finding(
                "error",
                f"{len(group)} `{{%{kept.prefix} %}}` tags in one {container}: docxtpl keeps "
                f"only the last (`{short(kept.raw, 40)}`) and drops the rest "
                f"(`{short(' '.join(t.raw for t in group[:-1]), 60)}`); give each tag a "
                f"{container} of its own"
                + (" (press Enter between them)" if kept.prefix == "p" else ""),
            )
        )
        return
    own = [t for t in anchor.iter(w("t")) if t in index]
    if kept.prefix == "p":
        own = [t for t in own if _paragraph_of(t) is anchor]
    rest = []
    for t in own:
        start = offsets[index[t]]
        rest += [ch for i, ch in enumerate(t.text or "") if not kept.start <= start + i < kept.end]
    lost = short("".join(rest).strip(), 60)
    pictures = sum(1 for _ in anchor.iter(w("drawing"), w("pict"), w("object")))
    breaks = {
        "a section break (new page, page numbers)": next(anchor.iter(w("sectPr")), None),
        "a page break": next((b for b in anchor.iter(w("br")) if b.get(w("type")) == "page"), None),
        "“page break before”": next(anchor.iter(w("pageBreakBefore")), None),
    }
    structure = [name for name, found in breaks.items() if found is not None]
    if not (lost or pictures or structure):
        return
    what = f"`{lost}`" if lost else ""
    if pictures:
        what += (" and " if what else "") + f"{pictures} picture(s)"
    for name in structure:
        what += (" and " if what else "") + name
    out.append(
        kept.where.finding(
            "error",
            f"docxtpl replaces the whole {container} holding `{short(kept.raw, 40)}` by the "
            f"tag, so {what} in it would be lost: put the tag in a {container} of its own"
            + (
                "; for a section break between language versions use an empty paragraph in "
                f"the style “{SECTION_BREAK_STYLE}”, from which kbc-docs makes the break"
                if structure
                else ""
            ),
        )
    )


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
                out.append(
                    b.where.finding(
                        "error",
                        f"`{short(b.raw, 40)}` belongs to `{short(a.raw, 40)}` at {tag_place(a)}, "
                        "but their prefixes differ: every tag of a block needs the same "
                        f"(`{{%{a.prefix or ''} …%}}`), or docxtpl loses rows or paragraphs",
                    )
                )
                continue
            if a.prefix in ("p", "tc", "tr", "r"):
                if a.anchor.getparent() is b.anchor.getparent():
                    continue
                apart = {
                    "p": "not in the same table cell (or one is in a table and one outside)",
                    "tc": "in different table rows",
                    "tr": "in different tables",
                    "r": "in different paragraphs",
                }[a.prefix]
                out.append(
                    b.where.finding(
                        "error",
                        f"`{short(b.raw, 40)}` and `{short(a.raw, 40)}` at {tag_place(a)} are "
                        f"{apart}: the document would come out corrupt",
                    )
                )
                continue
            pa, pb = _paragraph_of(a.anchor), _paragraph_of(b.anchor)
            if pa is pb or pa is None or pb is None:
                continue
            same = pa.getparent() is pb.getparent()
            out.append(
                b.where.finding(
                    "warning" if same else "error",
                    f"`{short(b.raw, 40)}` and `{short(a.raw, 40)}` at {tag_place(a)} are in "
                    "different paragraphs"
                    + (
                        ": docxtpl would merge the paragraphs between them"
                        if same
                        else ", one inside a table and one outside: the document would come "
                        "out corrupt"
                    )
                    + "; for blocks of whole paragraphs use `{%p …%}` tags, each in a "
                    "paragraph of its own",
                )
            )


def _docxtpl_dry_run(scope: etree._Element, label: str) -> list[Finding]:
    """Run docxtpl's own pre-processing and check that the result is still a document.

    This catches whatever the checks above do not know about: if docxtpl's regular
    expressions would cut the XML apart, the tags are removed and the rest must parse.
    """
    from docxtpl import DocxTemplate

    xml = etree.tostring(scope, encoding="unicode")
    try:
        patched = DocxTemplate.patch_xml(typing.cast(Any, None), xml)
    except Exception as exc:
        return [Finding("error", label, "", "", f"docxtpl cannot prepare this part: {exc}")]
    stripped = re.sub(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", "", patched, flags=re.S)
    try:
        etree.fromstring(stripped.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        flat = stripped.splitlines()
        offset = sum(len(s) + 1 for s in flat[: line - 1]) + column
        near = re.sub(r"<[^>]*>", "", stripped[max(0, offset - 600) : offset + 200])
        return [
            Finding(
                "error",
                label,
                "",
                short(near[-100:], 100),
                "docxtpl would turn this part into a corrupt document near the text shown "
                f"({exc.msg}); check the tags around it",
            )
        ]
    return []
