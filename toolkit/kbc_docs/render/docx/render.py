"""Render a :class:`DocumentView` into a Word template (``templates/*.docx``) with docxtpl.

The templates are ordinary Word documents that clerks edit; this module only fills them. Five
things make this more than ``DocxTemplate(path).render(context)``:

* **Safety.** The view holds text typed by users. Jinja2 runs sandboxed, with
  ``StrictUndefined`` (a misspelt field in a template is an error, not an empty string) and with
  autoescaping: docxtpl leaves it off by default, and a bare ``&`` or ``<`` then produces a
  file Word refuses or silently loses (docxtpl #38, #634).
* **No silent failure.** docxtpl re-parses the rendered body with lxml in *recover* mode, which
  drops broken XML without a word (#634). The rendered XML is parsed strictly first, and every
  part of the finished file again; a template tag (``{{``, ``{%``, ``}}``, ``%}``) left in any
  part is an error too. Users may write such braces in their text: while rendering, every
  printed value has its braces swapped for two Unicode noncharacters, so whatever braces are
  found afterwards came from the template; the braces are put back at the end.
* **Khmer and Lao fonts.** Word and LibreOffice draw Khmer and Lao characters with the
  *complex-script* font and size of a run (``w:rFonts w:cs``, ``w:szCs``, ``w:bCs``), not with
  ``w:ascii``. Every run holding Khmer or Lao text gets the language's font from the view
  (heading face for bold or heading styles, body face otherwise), the complex-script size of its
  style and ``w:lang w:bidi``. The sizes live in the templates' styles (``w:szCs``), so a clerk
  can change them in Word. Bold becomes ``w:bCs`` only where headings share the body face (Lao);
  a distinct heading face (Khmer OS Muol Light) has no bold and would get a smeared fake one.
  Italics are turned off in such runs: the scripts have none, and a date line's digits would
  otherwise lean while its words stand upright. Justified Khmer/Lao paragraphs are switched to
  Word's "Thai distributed" alignment (see :func:`_distribute`), and their words get word
  joiners so that no reader's own dictionary breaks inside them (:mod:`.word_joiners`).
  Page numbers of a Khmer
  version are drawn in Khmer digits by field arithmetic (:mod:`.page_numbers`).
* **Templates from elsewhere.** The package is read within size bounds and refused if anything
  in it would make Word fetch from outside the file (:mod:`kbc_docs.templates.package`); the
  finished file is checked the same way. Section breaks between versions are made here from
  ``KBC Section Break`` marks (:mod:`.sections`), where no editor can move them onto a
  tag paragraph, formatting a clerk gives a tag's name is kept (:mod:`.tag_format`) and
  values an office suite writes that Word refuses are mapped to Word's (:mod:`.suite_values`).
* **Reproducibility.** Core properties and zip entry times come from ``when`` (not the clock),
  so the same view gives byte-identical files and rebuilds do not show up as changes.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.parts.document import DocumentPart
from docx.shared import Emu, Mm
from docxtpl import DocxTemplate, InlineImage
from lxml import etree
from PIL import Image

from kbc_docs import cache
from kbc_docs.errors import Problem, RenderError, TemplateError
from kbc_docs.messages import msg
from kbc_docs.render import DEFAULT_WHEN, TAG_MARKERS
from kbc_docs.render.docx.bookmarks import unique_bookmarks
from kbc_docs.render.docx.fonts import FontFiles, embed_font_parts
from kbc_docs.render.docx.ooxml import (
    NS,
    PPR_ORDER,
    RPR_ORDER,
    WORD_LANG,
    Styles,
    child_in_order,
    first_toggle,
    first_val,
    w,
    write_package,
)
from kbc_docs.render.docx.package import part_xml, related
from kbc_docs.render.docx.page_numbers import native_page_numbers
from kbc_docs.render.docx.rules import fit_rules
from kbc_docs.render.docx.sections import section_breaks
from kbc_docs.render.docx.suite_values import word_values
from kbc_docs.render.docx.tag_format import carry_tag_formatting
from kbc_docs.render.docx.word_joiners import join_words
from kbc_docs.templates.package import MAX_TOTAL, external_references, read_package
from kbc_docs.templates.sandbox import BoundedSandbox
from kbc_docs.text.segment import LETTERS
from kbc_docs.view import DocumentView, FontStack

__all__ = ["render_docx"]


# Stand-ins for "{" and "}" in printed values while the document still holds template code.
# Unicode noncharacters are meant for exactly this kind of internal use and are legal in XML.
_OPEN, _CLOSE = "\ufdd0", "\ufdd1"

# Script of a character → the view's language whose fonts draw it, and its Word language tag.
_SCRIPTS = tuple((re.compile(f"[{LETTERS[lang]}]"), lang, tag) for lang, tag in WORD_LANG.items())
# Paragraph styles whose Khmer/Lao text takes the heading face even where not bold.
_HEADING_STYLE = re.compile(
    r"^KBC (Parallel )?(Heading|National Title|Motto|Kind|Title|Signer|Issuer)"
)
_NATIONAL_TITLE_STYLE = re.compile(r"^KBC (Parallel )?(National Title|Motto)")
_NAME_STYLE = re.compile(r"^KBC Signer Name")
# Parts whose runs get complex-script fonts.
_TEXT_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


def render_docx(
    view: DocumentView,
    template: Path,
    when: dt.datetime | None = None,
    fonts: Mapping[str, FontFiles] | None = None,
) -> bytes:
    """Fill the Word ``template`` (``report.docx`` or ``signing.docx``) with ``view``.

    The template sees ``versions``, ``languages``, ``layout``, ``fonts``, ``slug``,
    ``layouts`` (language → ``"decree30"`` or ``"centred"``) and, for ``layout == "parallel"``,
    ``rows`` (:meth:`DocumentView.rows`) and ``shared_signers``
    (:meth:`DocumentView.parallel_signers`); both are empty lists for a sequential view;
    ``images`` maps a party id to its seal and signature scans (``{{ images[s.party] }}``).
    ``when`` is the date written into the document's metadata and zip entries (default
    2000-01-01): pass the document's own date so that rebuilding gives the same bytes.
    ``fonts`` (family → files, see :func:`~kbc_docs.render.docx.fonts.embeddable_families`)
    are embedded in the same pass that writes the package.
    Raises :class:`TemplateError` if the template is missing or its tags are wrong,
    :class:`RenderError` if the output is unusable (or a parallel view cannot be paired).
    """
    template = Path(template)
    if not template.is_file():
        raise TemplateError(msg("docx_no_template", template=template))
    when = _utc(when or DEFAULT_WHEN)
    reserved = [s for s in view.texts() if _OPEN in s or _CLOSE in s]
    if reserved:
        raise RenderError(msg("reserved_characters", text=reserved[0]))

    doc = _StrictTemplate(io.BytesIO(_checked_package(template)))
    doc.source = template
    try:
        doc.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(msg("docx_not_word", template=template, reason=exc)) from exc
    parallel = view.layout == "parallel"
    try:
        rows = view.rows() if parallel else []
        shared_signers = view.parallel_signers() if parallel else []
    except ValueError as exc:
        raise RenderError(str(exc)) from exc
    context: dict[str, Any] = {
        "versions": view.versions,
        "languages": view.languages,
        "layout": view.layout,
        "fonts": view.fonts,
        "slug": view.slug,
        "names": view.names,
        "layouts": {v.lang: v.header_style for v in view.versions},
        "rows": rows,
        "shared_signers": shared_signers,
        "images": _room_pictures(view, doc),
    }
    # Immutable: a template from another office may read the view but never change it.
    env = _Sandbox(undefined=jinja2.StrictUndefined, autoescape=True, finalize=_hide_braces)
    try:
        doc.render(context, jinja_env=env, autoescape=True)
    except (OverflowError, RecursionError, MemoryError) as exc:  # e.g. a macro calling itself
        raise TemplateError(msg("docx_too_much", template=template, reason=exc)) from None
    except jinja2.TemplateError as exc:
        near = " / ".join(s.strip() for s in getattr(exc, "docx_context", []) if s.strip())
        hint = f" near: {near}" if near else ""
        raise TemplateError(f"{template}: {exc}{hint}") from exc
    except etree.XMLSyntaxError as exc:
        raise RenderError(msg("docx_bad_xml", template=template, reason=exc)) from exc

    props = doc.core_properties
    props.created = props.modified = when
    props.last_modified_by = "kbc-docs"
    props.revision = 1
    _add_parts(doc.docx.part, view, fonts)
    out = io.BytesIO()
    doc.save(out)
    return _finish(out.getvalue(), view, when, template)


# The largest a scan is drawn in a signer's room (EMU): the room is 30 mm high with the name
# under it, and a column is a third of the text width when three parties sign.
_PICTURE_HEIGHT = Mm(22)
_PICTURE_WIDTH = {"seal": Mm(22), "signature": Mm(34)}


class _RoomPictures:
    """The seal and signature scans of one signer, printed by ``{{ images[s.party] }}``.

    docxtpl's :class:`InlineImage` prints a picture in its own run; this prints them one after
    the other (seal first) and is false when there are none, for ``{%p if images[s.party] %}``.
    """

    def __init__(self, pictures: list[InlineImage]) -> None:
        self.pictures = pictures

    def __bool__(self) -> bool:
        return bool(self.pictures)

    def __html__(self) -> str:
        return "".join(picture.__html__() for picture in self.pictures)

    __str__ = __html__


def _room_pictures(view: DocumentView, doc: DocxTemplate) -> dict[str, _RoomPictures]:
    """Party id → its scans as Word pictures (see :class:`_RoomPictures`)."""
    out: dict[str, _RoomPictures] = {}
    for version in view.versions:
        for signer in version.signers:
            if signer.party in out:
                continue
            out[signer.party] = _RoomPictures(
                [_picture(doc, kind, data) for kind, data in signer.scans]
            )
    return out


def _picture(doc: DocxTemplate, kind: str, data: bytes) -> InlineImage:
    """A picture scaled to fit the room, aspect ratio kept."""
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
    scale = min(_PICTURE_HEIGHT / height, _PICTURE_WIDTH[kind] / width)
    return InlineImage(
        doc, io.BytesIO(data), width=Emu(round(width * scale)), height=Emu(round(height * scale))
    )


class _Sandbox(BoundedSandbox):
    """The templates' sandbox, which compiles each part of a template once in a warm process.

    docxtpl compiles every part of the template again in every render (``from_string``); the
    code depends only on the part's source and on the environment's class and options, which
    are the same in every render, so a warm process (``kbc-docs watch``) keeps it by source.
    """

    def compile(  # type: ignore[override]
        self,
        source: str | jinja2.nodes.Template,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        plain = isinstance(source, str) and not (name or filename or raw or defer_init)
        entry = cache.key(source) if plain and _COMPILED.active else ""
        code = _COMPILED.get(entry) if entry else None
        if code is None:
            code = super().compile(source, name, filename, raw, defer_init)
            if entry:
                _COMPILED.put(entry, code)
        return code


_COMPILED: cache.Recent[Any] = cache.Recent(16)
"""The compiled parts of the Word templates, by source (a warm process only)."""


class _StrictTemplate(DocxTemplate):
    """docxtpl, except that the rendered body must be well-formed XML before docxtpl's
    recovering parser gets to silently repair (and lose) it."""

    source: Path  # the template file (docxtpl reads the checked copy in memory)

    def fix_tables(self, xml: str) -> etree._Element:
        try:
            etree.fromstring(xml)
        except etree.XMLSyntaxError as exc:
            raise RenderError(msg("docx_body_xml", template=self.source, reason=exc)) from exc
        return super().fix_tables(xml)


# LibreOffice names the core-properties relationship with a lower-case "officedocument";
# python-docx does not know that name and adds a second core-properties part of the same name.
_CORE_RELS = (
    b"http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties",
    b"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
)


def _checked_package(template: Path) -> bytes:
    """The template's package, read within bounds and refused if it reaches outside itself.

    A warm process (``kbc-docs watch``) keeps it while the file's bytes are unchanged.
    """
    entry = ""
    if _CHECKED.active and (digest := cache.file_digest(template, MAX_TOTAL)) is not None:
        entry = cache.key(str(template), digest)
    checked = _CHECKED.get(entry) if entry else None
    if checked is None:
        checked = _check_package(template)
        if entry:
            _CHECKED.put(entry, checked)
    return checked


_CHECKED: cache.Recent[bytes] = cache.Recent(4)
"""The checked packages of the Word templates, by the template file's bytes (``watch``)."""


def _check_package(template: Path) -> bytes:
    parts = read_package(template)
    refuse_external(parts, template, TemplateError)
    for name, blob in parts.items():
        if name.startswith("word/") and name.endswith(".xml"):
            root = _parse(blob, name, template)
            changed = word_values(root)
            if _TEXT_PART.match(name):
                changed = carry_tag_formatting(root) > 0 or changed
            if changed:
                parts[name] = etree.tostring(
                    root, xml_declaration=True, encoding="UTF-8", standalone=True
                )
    if "_rels/.rels" in parts:
        parts["_rels/.rels"] = parts["_rels/.rels"].replace(*_CORE_RELS)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, blob in parts.items():
            zout.writestr(name, blob)
    return out.getvalue()


def refuse_external(
    parts: dict[str, bytes], template: Path, error: type[TemplateError | RenderError]
) -> None:
    """Raise ``error`` listing every reference of ``parts`` to content outside the package."""
    found = external_references(parts)
    if found:
        has = "external_in_template" if error is TemplateError else "external_in_output"
        raise error([Problem(msg(has, part=ref.part, what=ref.message), template) for ref in found])


def _hide_braces(value: Any) -> Any:
    """Jinja2 ``finalize``: printed braces cannot be mistaken for leftover template tags."""
    if isinstance(value, str):
        return value.replace("{", _OPEN).replace("}", _CLOSE)
    return value


def _utc(when: dt.datetime) -> dt.datetime:
    """``when`` as naive UTC (core properties are written with a "Z" suffix)."""
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when


def _add_parts(
    document: DocumentPart, view: DocumentView, fonts: Mapping[str, FontFiles] | None
) -> None:
    """Section breaks from the template's marks, then the parts the template lacks: headers
    with native page numbers and the embedded fonts, added through python-docx before it
    saves the package (:mod:`.package`)."""
    styles = related(document, RT.STYLES)
    if styles is not None:
        section_breaks(document.element, Styles(part_xml(styles)))
    native_page_numbers(document, view)
    if fonts:
        embed_font_parts(document, fonts)


def _finish(data: bytes, view: DocumentView, when: dt.datetime, template: Path) -> bytes:
    """Check every part, give Khmer/Lao runs their fonts, restore braces, and zip once,
    reproducibly."""
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        parts = {info.filename: zin.read(info) for info in zin.infolist()}
    refuse_external(parts, template, RenderError)
    styles = None
    for name, blob in parts.items():
        if name == "word/styles.xml":
            styles = Styles(_parse(blob, name, template))
    ids = itertools.count(1)  # bookmark ids, unique across the parts
    parts = {
        name: _finish_part(name, blob, view, styles, template, ids)
        if name.endswith((".xml", ".rels"))
        else blob
        for name, blob in parts.items()
    }
    stamp = (min(max(when.year, 1980), 2107), *when.timetuple()[1:6])
    return write_package(parts, stamp)


def _finish_part(
    name: str,
    blob: bytes,
    view: DocumentView,
    styles: Styles | None,
    template: Path,
    ids: itertools.count[int],
) -> bytes:
    text = blob.decode("utf-8")
    for marker in TAG_MARKERS:
        at = text.find(marker)
        if at >= 0:
            before = re.sub(r"<[^>]*>", "", text[max(0, at - 400) : at])[-40:]
            after = re.sub(r"<[^>]*>", "", text[at : at + 400])[:40]
            near = before + after
            raise RenderError(
                msg("docx_leftover_tag", template=template, marker=marker, part=name, near=near)
            )
    root = _parse(blob, name, template)
    if _TEXT_PART.match(name) and styles is not None:
        unique_bookmarks(root, ids)
        _complex_script_fonts(root, view, styles)
        if name == "word/document.xml":
            fit_rules(root, styles)
        join_words(root)  # after fit_rules, which measures the text as the view gives it
        blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return blob.replace(_OPEN.encode(), b"{").replace(_CLOSE.encode(), b"}")


def _parse(blob: bytes, name: str, template: Path) -> etree._Element:
    """Parse strictly: unlike docxtpl, never repair (and so never silently drop) content."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(blob, parser)
    except etree.XMLSyntaxError as exc:
        raise RenderError(msg("docx_part_xml", template=template, part=name, reason=exc)) from exc


# ---------------------------------------------------------------- complex-script fonts


def _complex_script_fonts(root: etree._Element, view: DocumentView, styles: Styles) -> None:
    """Give every run holding Khmer or Lao text its language's complex-script font and size."""
    paragraphs: dict[etree._Element, str | None] = {}
    for run in root.iter(w("r")):
        text = "".join(t.text or "" for t in run.iterfind("w:t", NS))
        script = next(((lang, tag) for rx, lang, tag in _SCRIPTS if rx.search(text)), None)
        if script is None or script[0] not in view.fonts:
            continue
        lang, bidi = script
        paragraph = next(run.iterancestors(w("p")), None)
        psid = styles.paragraph_style(paragraph)
        if paragraph is not None:
            paragraphs[paragraph] = psid
        levels = styles.run_levels(run, psid)
        rpr = run.find("w:rPr", NS)
        bold = first_toggle(levels, "b")
        size = first_val(levels, "szCs") or round(first_val(levels, "sz") or 28) * 6 // 7
        heading = bold or bool(_HEADING_STYLE.match(styles.name(psid)))
        stack = view.fonts[lang]
        if rpr is None:
            rpr = etree.Element(w("rPr"))
            run.insert(0, rpr)
        face = _face(stack, styles.name(psid), heading)
        child_in_order(rpr, "rFonts", RPR_ORDER).set(w("cs"), face)
        if bold:
            # A distinct heading face (Khmer OS Muol Light) is the emphasis itself and has no
            # bold: asking for one makes Word and LibreOffice smear a fake bold over it. Where
            # headings share the body face (Lao: Phetsarath OT), bold is the only emphasis.
            bcs = child_in_order(rpr, "bCs", RPR_ORDER)
            if face != stack.body:
                bcs.set(w("val"), "0")
        if first_toggle(levels, "i"):
            # Khmer and Lao have no italics; the digits and commas of the run follow suit.
            child_in_order(rpr, "i", RPR_ORDER).set(w("val"), "0")
        child_in_order(rpr, "szCs", RPR_ORDER).set(w("val"), str(size))
        child_in_order(rpr, "lang", RPR_ORDER).set(w("bidi"), bidi)
    for paragraph, psid in paragraphs.items():
        _distribute(paragraph, psid, styles)


def _face(stack: FontStack, style: str, heading: bool) -> str:
    """The family of a run: the national title's, the names', the heading's or the body's."""
    if _NATIONAL_TITLE_STYLE.match(style):
        return stack.national_title
    if _NAME_STYLE.match(style):
        return stack.names
    return stack.heading if heading else stack.body


def _distribute(paragraph: etree._Element, psid: str | None, styles: Styles) -> None:
    """Justified Khmer/Lao paragraphs become "Thai distributed" (``w:jc="thaiDistribute"``).

    Words in these scripts are not separated by spaces, so plain justification can only widen
    the few spaces there are; LibreOffice moreover tears clusters apart at the end of the words
    it stretches (ជុំ drawn as ជ ុំ). Word's alignment for such scripts spreads the space evenly;
    LibreOffice reads it as flush left, which keeps every cluster whole. Paragraphs a template
    sets flush left, centred or right stay as they are.
    """
    ppr = paragraph.find("w:pPr", NS)
    levels = [*([ppr] if ppr is not None else []), *styles.chain(psid, "pPr")]
    jc = next((j.get(w("val")) for lv in levels if (j := lv.find("w:jc", NS)) is not None), None)
    if jc != "both":
        return
    if ppr is None:
        ppr = etree.Element(w("pPr"))
        paragraph.insert(0, ppr)
    child_in_order(ppr, "jc", PPR_ORDER).set(w("val"), "thaiDistribute")
