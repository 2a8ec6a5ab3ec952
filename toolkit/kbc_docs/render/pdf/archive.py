"""Archival PDF (PDF/A-3b): what WeasyPrint leaves to do, and the checks that prove it was done.

WeasyPrint lays out the pages, embeds subset fonts, writes the structure tags, the sRGB output
intent and the PDF/A identification. This module works on the file it wrote, with pikepdf, and
adds what a document meant to be kept for years and signed by several governments needs:

* **Searchable Khmer and Lao.** WeasyPrint gives each glyph *one* text in the font's ToUnicode
  map, the text of the cluster it first met it in. Khmer shares glyphs between clusters (the
  pre-base vowel ``េ``, the coeng-ro ``្រ``…) and draws some before the consonant they follow,
  so ``ខេត្តកំពត`` came back as ``ខេត្តកំព្រត``. Two fixes, each for a different kind of reader:
  every drawn line is wrapped in a marked-content sequence whose ``/ActualText`` is the line's
  source text (poppler, Acrobat, screen readers read that), and every glyph *occurrence* gets a
  character code of its own when its text differs from the first one's, so that tools that only
  read ToUnicode (pypdf, pdfminer) also get the right text in the right order. Same font file,
  same glyphs: a ``/CIDToGIDMap`` maps the extra codes back to the glyph.
* **Metadata.** XMP and the document information dictionary say the same thing (PDF/A demands
  it): the title in each language of the document, the issuing bodies, subject, keywords, the
  languages, a fixed date and identifier so that rebuilding gives the same bytes.
* **Sources.** The content YAML and the registry entries it used travel inside the PDF as
  associated files (``/AF``, ``/AFRelationship /Source``), which is what PDF/A-3 exists for: the
  archived document carries the data it was made from.
* **Signature fields.** An empty signature field over each signer's signature space, so that
  each leader can sign in Acrobat or Foxit (or with :mod:`kbc_docs.sign`).

The second half holds the checks, usable without a network validator: :func:`archive_problems`
(PDF/A claims that can be read off the file) and :func:`round_trip` / :func:`round_trip_share`
(does every paragraph come back out of the PDF exactly, with pdftotext and with pypdf).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape as xml_escape

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator, String

from kbc_docs.text.segment import PARTNER_LETTERS

__all__ = [
    "ArchiveInfo",
    "RoundTrip",
    "SignatureSpot",
    "TextFix",
    "TextRun",
    "archive_problems",
    "finish_pdf",
    "registry_excerpt",
    "round_trip",
    "round_trip_share",
]

ZWSP = "\u200b"
# Khmer (with Khmer symbols) and Lao: the scripts whose text WeasyPrint's ToUnicode gets wrong.

# WeasyPrint writes the text matrix (Tm) with six decimals of the layout's position in CSS px:
# a line's text is found from where it is drawn.
_POSITION_TOLERANCE = 1e-3
_MAX_CODE = 0xFFFF  # Identity-H codes are two bytes


# ---------------------------------------------------------------- what the renderer passes in


@dataclass(frozen=True)
class TextRun:
    """One drawn line of one text box, as the layout knows it.

    ``x``/``y`` are where WeasyPrint sets the text matrix (CSS px, from the page's top left;
    the baseline), which is how the run is found in the page's content stream. ``text`` is the
    source text of the line (U+200B break marks removed). ``glyphs`` lists the glyphs in
    drawing order with the text each should extract as: a cluster's text shared among its
    glyphs so that, in drawing order, they spell it in logical order.
    """

    page: int
    x: float
    y: float
    text: str
    lang: str | None
    glyphs: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class SignatureSpot:
    """Where a signer signs: field name (the party id), page index, rectangle in PDF points."""

    name: str
    page: int
    rect: tuple[float, float, float, float]  # x0, y0, x1, y1 from the bottom left


@dataclass(frozen=True)
class ArchiveInfo:
    """The document's metadata, written identically into XMP and the information dictionary.

    ``titles`` and ``subjects`` map a language code to the text in that language; the first
    entry is also the default (``x-default``) that viewers show.
    """

    titles: Mapping[str, str]
    authors: Sequence[str]
    subjects: Mapping[str, str]
    keywords: Sequence[str]
    languages: Sequence[str]
    created: dt.datetime
    identifier: bytes  # 16 bytes: the file identifier and the XMP document id
    producer: str
    creator_tool: str = "kbc-docs"


@dataclass
class TextFix:
    """What :func:`finish_pdf` did to the text: how many lines, which could not be matched."""

    runs: int = 0
    actual_text: int = 0
    remapped_glyphs: int = 0
    extra_codes: int = 0
    unmatched: list[str] = field(default_factory=list)  # runs not found in the content stream
    misaligned: list[str] = field(default_factory=list)  # runs whose glyphs differ from layout


# ---------------------------------------------------------------- finishing


def finish_pdf(
    pdf: bytes,
    info: ArchiveInfo,
    runs: Sequence[TextRun] = (),
    sources: Mapping[str, bytes] | None = None,
    signature_spots: Sequence[SignatureSpot] = (),
    report: TextFix | None = None,
) -> bytes:
    """Return ``pdf`` (written by WeasyPrint as PDF/A-3b) with text, metadata, sources, fields.

    The result is a function of the arguments only (no clock, no randomness): the file
    identifier's first half is ``info.identifier``, its second half a digest of the content.
    ``report``, if given, is filled with what the text fix did.
    """
    report = report if report is not None else TextFix()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        _fix_text(doc, runs, report)
        _write_metadata(doc, info)
        _attach_sources(doc, sources or {}, info.created)
        _add_signature_fields(doc, signature_spots)
        doc.trailer.ID = Array([String(info.identifier), String(info.identifier)])
        out = io.BytesIO()
        doc.save(
            out,
            deterministic_id=True,  # ID[0] is kept; ID[1] is a digest of the content
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            # qpdf deflates object streams but leaves the XMP packet as it is (uncompressed),
            # so that any tool can read it; the streams made here are deflated by _flate.
            compress_streams=True,
        )
    return out.getvalue()


def _flate(doc: pikepdf.Pdf, data: bytes, **keys: pikepdf.Object) -> pikepdf.Stream:
    """A new stream holding ``data`` deflated (deterministic: zlib has no timestamps)."""
    stream = pikepdf.Stream(doc, b"", **keys)
    stream.write(zlib.compress(data, 9), filter=Name.FlateDecode)
    return stream


# -- text: ActualText and per-occurrence character codes


@dataclass
class _FontCodes:
    """Character codes of one Type0 font: the text of each, and the extra codes allocated."""

    font: pikepdf.Dictionary
    to_unicode: dict[int, str]
    widths: dict[int, float]
    next_code: int
    extra: dict[tuple[int, str], int] = field(default_factory=dict)
    dirty: bool = False

    def code_for(self, gid: int, text: str) -> int | None:
        """The code that draws glyph ``gid`` and extracts as ``text``; None if out of codes."""
        current = self.to_unicode.get(gid)
        if current is None:
            self.to_unicode[gid] = text
            self.dirty = True
            return gid
        if current == text:
            return gid
        code = self.extra.get((gid, text))
        if code is None:
            if self.next_code > _MAX_CODE or gid not in self.widths:
                return None
            code = self.next_code
            self.next_code += 1
            self.extra[(gid, text)] = code
            self.to_unicode[code] = text
            self.widths[code] = self.widths[gid]
            self.dirty = True
        return code


def _fix_text(doc: pikepdf.Pdf, runs: Sequence[TextRun], report: TextFix) -> None:
    """Wrap each known line in ``/Span <</ActualText …>> BDC … EMC`` and re-code its glyphs."""
    by_page: dict[int, list[TextRun]] = {}
    for run in runs:
        by_page.setdefault(run.page, []).append(run)
    report.runs += len(runs)
    fonts: dict[tuple[int, int], _FontCodes | None] = {}
    langs: dict[tuple[int, int], str] = {}  # (page, MCID) → language, for the structure tree
    for index, page in enumerate(doc.pages):
        page_runs = by_page.pop(index, [])
        if not page_runs:
            continue
        new = _fix_page(doc, page, index, page_runs, fonts, langs, report)
        page.Contents = _flate(doc, pikepdf.unparse_content_stream(new))
    left = [run for page_runs in by_page.values() for run in page_runs]
    report.unmatched += [f"page {r.page + 1}: {r.text[:40]!r}" for r in left]
    for codes in fonts.values():
        if codes is not None and codes.dirty:
            _rewrite_font(doc, codes)
            report.extra_codes += len(codes.extra)
    _set_structure_languages(doc, langs)


def _fix_page(
    doc: pikepdf.Pdf,
    page: pikepdf.Page,
    index: int,
    page_runs: list[TextRun],
    fonts: dict[tuple[int, int], _FontCodes | None],
    langs: dict[tuple[int, int], str],
    report: TextFix,
) -> list:
    resources = page.obj.get("/Resources", Dictionary())
    font_resources = resources.get("/Font", Dictionary())
    out: list = []
    mcids: list[int | None] = []  # open marked-content sequences, innermost last
    run: TextRun | None = None
    cursor = 0
    aligned = True
    codes: _FontCodes | None = None
    saved: list[_FontCodes | None] = []  # the font is graphics state: q saves it, Q restores it

    def close_run() -> None:
        nonlocal run
        if run is None:
            return
        out.append(pikepdf.ContentStreamInstruction([], Operator("EMC")))
        if aligned and cursor != len(run.glyphs):
            report.misaligned.append(f"page {index + 1}: {run.text[:40]!r}")
        run = None

    for instruction in pikepdf.parse_content_stream(page):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            out.append(instruction)
            continue
        operands, operator = instruction.operands, str(instruction.operator)
        if operator in ("Tm", "ET", "EMC"):
            close_run()
        if operator == "BDC":
            props = operands[1] if len(operands) > 1 else None
            mcid = props.get("/MCID") if isinstance(props, Dictionary) else None
            mcids.append(int(mcid) if mcid is not None else None)
        elif operator == "BMC":
            mcids.append(None)
        elif operator == "EMC" and mcids:
            mcids.pop()
        elif operator == "Tf":
            codes = _font_codes(doc, font_resources.get(str(operands[0])), fonts)
        elif operator == "q":
            saved.append(codes)
        elif operator == "Q" and saved:
            codes = saved.pop()
        if operator in ("TJ", "Tj") and run is not None and aligned and codes is not None:
            operands, cursor, aligned = _recode(operands, operator, run, cursor, codes, report)
            if not aligned:
                report.misaligned.append(f"page {index + 1}: {run.text[:40]!r}")
            instruction = pikepdf.ContentStreamInstruction(operands, Operator(operator))
        out.append(instruction)
        if operator == "Tm":
            run = _take_run(page_runs, float(operands[4]), float(operands[5]))
            if run is not None:
                cursor, aligned = 0, True
                props = Dictionary(ActualText=String(run.text))
                if run.lang:
                    props.Lang = String(run.lang)
                    mcid = next((m for m in reversed(mcids) if m is not None), None)
                    if mcid is not None:
                        langs[(index, mcid)] = run.lang
                out.append(pikepdf.ContentStreamInstruction([Name.Span, props], Operator("BDC")))
                report.actual_text += 1
    close_run()
    report.unmatched += [f"page {index + 1}: {r.text[:40]!r}" for r in page_runs]
    return out


def _take_run(runs: list[TextRun], x: float, y: float) -> TextRun | None:
    """Remove and return the run the layout put at ``x``, ``y`` (the first, if several)."""
    for i, run in enumerate(runs):
        if abs(run.x - x) < _POSITION_TOLERANCE and abs(run.y - y) < _POSITION_TOLERANCE:
            return runs.pop(i)
    return None


def _recode(
    operands: list,
    operator: str,
    run: TextRun,
    cursor: int,
    codes: _FontCodes,
    report: TextFix,
) -> tuple[list, int, bool]:
    """Give each glyph of a TJ/Tj operand the code that extracts as its cluster text.

    The glyphs must be the layout's, in the same order; otherwise the run is left as it is
    (``aligned`` False) rather than given wrong text.
    """
    items = list(operands[0]) if operator == "TJ" else [operands[0]]
    new_items: list = []
    for item in items:
        if not isinstance(item, String):
            new_items.append(item)
            continue
        raw = bytes(item)
        recoded = bytearray()
        for i in range(0, len(raw) - 1, 2):
            gid = int.from_bytes(raw[i : i + 2], "big")
            if cursor >= len(run.glyphs) or run.glyphs[cursor][0] != gid:
                return operands, cursor, False
            code = codes.code_for(gid, run.glyphs[cursor][1])
            if code is None:
                return operands, cursor, False
            if code != gid:
                report.remapped_glyphs += 1
            recoded += code.to_bytes(2, "big")
            cursor += 1
        new_items.append(String(bytes(recoded)))
    if operator == "TJ":
        return [Array(new_items)], cursor, True
    return [new_items[0]], cursor, True


def _font_codes(
    doc: pikepdf.Pdf, font: pikepdf.Object | None, fonts: dict[tuple[int, int], _FontCodes | None]
) -> _FontCodes | None:
    """The code table of a Type0 Identity-H font with a TrueType descendant, else None."""
    if font is None or not font.is_indirect:
        return None
    key = font.objgen
    if key in fonts:
        return fonts[key]
    codes = None
    if (
        font.get("/Subtype") == Name.Type0
        and font.get("/Encoding") == Name("/Identity-H")
        and "/ToUnicode" in font
    ):
        descendant = font.DescendantFonts[0]
        if descendant.get("/CIDToGIDMap") == Name.Identity:
            to_unicode = _parse_to_unicode(font.ToUnicode.read_bytes())
            widths = _parse_widths(descendant.get("/W", Array()))
            top = max([*to_unicode, *widths, 0])
            codes = _FontCodes(font, to_unicode, widths, next_code=top + 1)
    fonts[key] = codes
    return codes


_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


def _parse_to_unicode(data: bytes) -> dict[int, str]:
    """The ``bfchar`` mappings of a ToUnicode CMap as WeasyPrint writes it (no ranges)."""
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in _BFCHAR.findall(block):
            mapping[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    return mapping


def _parse_widths(w: pikepdf.Array) -> dict[int, float]:
    widths: dict[int, float] = {}
    items = list(w)
    i = 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], Array):
            for j, width in enumerate(items[i + 1]):
                widths[first + j] = float(width)
            i += 2
        else:
            last, width = int(items[i + 1]), float(items[i + 2])
            for code in range(first, last + 1):
                widths[code] = width
            i += 3
    return widths


def _rewrite_font(doc: pikepdf.Pdf, codes: _FontCodes) -> None:
    """Write the font's new ToUnicode, widths and CID-to-glyph map (same font program)."""
    font = codes.font
    descendant = font.DescendantFonts[0]
    gid_of = {code: gid for (gid, _), code in codes.extra.items()}
    top = max(codes.widths)
    cid_to_gid = bytearray()
    for code in range(top + 1):
        cid_to_gid += gid_of.get(code, code).to_bytes(2, "big")
    descendant.CIDToGIDMap = _flate(doc, bytes(cid_to_gid))
    w = Array()
    run: Array | None = None
    for code in sorted(codes.widths):
        if run is None or code - 1 not in codes.widths:
            run = Array()
            w.append(code)
            w.append(run)
        width = codes.widths[code]
        run.append(int(width) if float(width).is_integer() else width)
    descendant.W = w
    font.ToUnicode = _flate(doc, _to_unicode_cmap(codes.to_unicode))


def _to_unicode_cmap(mapping: Mapping[int, str]) -> bytes:
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        for code, text in batch:
            lines.append(f"<{code:04x}> <{text.encode('utf-16-be').hex()}>".encode())
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _set_structure_languages(doc: pikepdf.Pdf, langs: Mapping[tuple[int, int], str]) -> None:
    """Give each tagged text's structure element the language of its text (``/Lang``).

    Screen readers pick the voice from ``/Lang``; the catalog's only names the first language.
    """
    root = doc.Root.get("/StructTreeRoot")
    if root is None or not langs:
        return
    nums = list(root.ParentTree.get("/Nums", Array()))
    by_key = {int(nums[i]): nums[i + 1] for i in range(0, len(nums) - 1, 2)}
    for (page, mcid), lang in langs.items():
        elements = by_key.get(page)
        if isinstance(elements, Array) and mcid < len(elements):
            element = elements[mcid]
            if isinstance(element, Dictionary):
                element.Lang = String(lang)


# -- metadata


def _pdf_date(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%SZ")


def _xmp_date(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _alt(values: Mapping[str, str]) -> str:
    """An ``rdf:Alt`` with the first value as ``x-default`` and one entry per language."""
    first = next(iter(values.values()), "")
    items = [f'<rdf:li xml:lang="x-default">{xml_escape(first)}</rdf:li>']
    items += [f'<rdf:li xml:lang="{lang}">{xml_escape(v)}</rdf:li>' for lang, v in values.items()]
    return f"<rdf:Alt>{''.join(items)}</rdf:Alt>"


def xmp_packet(info: ArchiveInfo) -> bytes:
    """The XMP metadata packet: PDF/A-3b identification and the document's metadata."""
    created = _xmp_date(info.created)
    uuid = info.identifier.hex()
    uuid = f"uuid:{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:32]}"
    languages = "".join(f"<rdf:li>{xml_escape(lang)}</rdf:li>" for lang in info.languages)
    body = f"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">
<pdfaid:part>3</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
<dc:format>application/pdf</dc:format>
<dc:title>{_alt(info.titles)}</dc:title>
<dc:creator><rdf:Seq><rdf:li>{xml_escape(_authors(info))}</rdf:li></rdf:Seq></dc:creator>
<dc:description>{_alt(info.subjects)}</dc:description>
<dc:language><rdf:Bag>{languages}</rdf:Bag></dc:language>
<pdf:Keywords>{xml_escape(", ".join(info.keywords))}</pdf:Keywords>
<pdf:Producer>{xml_escape(info.producer)}</pdf:Producer>
<xmp:CreatorTool>{xml_escape(info.creator_tool)}</xmp:CreatorTool>
<xmp:CreateDate>{created}</xmp:CreateDate>
<xmp:ModifyDate>{created}</xmp:ModifyDate>
<xmp:MetadataDate>{created}</xmp:MetadataDate>
<xmpMM:DocumentID>{uuid}</xmpMM:DocumentID>
<xmpMM:InstanceID>{uuid}</xmpMM:InstanceID>
</rdf:Description>
</rdf:RDF>"""
    return (
        b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        + body.encode("utf-8")
        + b"\n</x:xmpmeta>\n"
        # Room for an editor (a signing tool) to update the packet in place.
        + (b" " * 99 + b"\n") * 20
        + b'<?xpacket end="w"?>'
    )


def _authors(info: ArchiveInfo) -> str:
    # One dc:creator entry equal to /Author: PDF/A validators compare the two as strings.
    return "; ".join(info.authors)


def _write_metadata(doc: pikepdf.Pdf, info: ArchiveInfo) -> None:
    stream = doc.make_stream(xmp_packet(info))
    stream.Type = Name.Metadata
    stream.Subtype = Name.XML
    doc.Root.Metadata = stream
    date = _pdf_date(info.created)
    doc.trailer.Info = doc.make_indirect(
        Dictionary(
            Title=String(next(iter(info.titles.values()), "")),
            Author=String(_authors(info)),
            Subject=String(next(iter(info.subjects.values()), "")),
            Keywords=String(", ".join(info.keywords)),
            Creator=String(info.creator_tool),
            Producer=String(info.producer),
            CreationDate=String(date),
            ModDate=String(date),
        )
    )
    if info.languages:
        doc.Root.Lang = String(info.languages[0])


# -- associated source files


def _attach_sources(doc: pikepdf.Pdf, sources: Mapping[str, bytes], when: dt.datetime) -> None:
    """Embed each source file, ``/AFRelationship /Source``, listed in the catalog's ``/AF``."""
    if not sources:
        return
    date = _pdf_date(when)
    specs = Array()
    for name, data in sources.items():
        mime = "application/yaml" if name.endswith((".yaml", ".yml")) else "text/plain"
        spec = pikepdf.AttachedFileSpec(
            doc,
            data,
            description=f"Source of this document: {name}",
            filename=name,
            mime_type=mime,
            creation_date=date,
            mod_date=date,
            relationship=Name.Source,
        )
        doc.attachments[name] = spec
        embedded = spec.obj.EF.F
        embedded.write(zlib.compress(data, 9), filter=Name.FlateDecode)
        specs.append(spec.obj)
    doc.Root.AF = specs


def registry_excerpt(registry_text: str, used: Mapping[str, Iterable[str]]) -> str:
    """The registry entries a document used, cut verbatim from the registry file's text.

    ``used`` maps a top-level section (``parties``, ``people``, ``places``) to entry ids. The
    excerpt is itself a valid registry file (comments between entries are left out): attached
    to the PDF, it shows exactly which names and titles the document was made from, without
    publishing every other party's entries.
    """
    wanted = {section: set(ids) for section, ids in used.items()}
    lines = registry_text.splitlines(keepends=True)
    out: list[str] = []
    section: str | None = None
    keep = False
    for line in lines:
        top = re.match(r"^([A-Za-z_][\w-]*):", line)
        entry = re.match(r"^  ([A-Za-z0-9_][\w.-]*):", line)
        if top:
            section = top.group(1)
            keep = False
            if section in wanted:
                out.append(line)
        elif entry:
            keep = section in wanted and entry.group(1) in wanted[section]
            if keep:
                out.append(line)
        elif keep and (line.startswith("   ") or not line.strip()):
            out.append(line)
        elif not line.strip() or line.lstrip().startswith("#"):
            continue
    return "".join(out).rstrip("\n") + "\n"


# -- signature fields


def _add_signature_fields(doc: pikepdf.Pdf, spots: Sequence[SignatureSpot]) -> None:
    """Add one empty, printable signature field per spot, with an empty appearance.

    PDF/A wants an appearance stream on every widget, even an unsigned one. The widgets are
    deliberately not put in the structure tree: a signature fills its widget, and pyHanko's
    check of what changed after an earlier signature does not recognise a widget reachable
    from the structure tree, so the first party's signature would be reported as followed by
    unexplained changes once the second party signs.
    """
    if not spots:
        return
    acroform = doc.Root.get("/AcroForm")
    if acroform is None:
        acroform = doc.Root.AcroForm = doc.make_indirect(Dictionary(Fields=Array()))
    for spot in spots:
        page = doc.pages[spot.page]
        x0, y0, x1, y1 = spot.rect
        appearance = doc.make_stream(
            b"",
            Type=Name.XObject,
            Subtype=Name.Form,
            BBox=Array([0, 0, round(x1 - x0, 3), round(y1 - y0, 3)]),
            Resources=Dictionary(),
        )
        widget = doc.make_indirect(
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Widget,
                FT=Name.Sig,
                T=String(spot.name),
                TU=String(f"Signature: {spot.name}"),
                Rect=Array([round(v, 3) for v in spot.rect]),
                F=4,  # Print
                P=page.obj,
                AP=Dictionary(N=appearance),
            )
        )
        if "/Annots" not in page.obj:
            page.obj.Annots = Array()
        page.obj.Annots.append(widget)
        acroform.Fields.append(widget)


# ---------------------------------------------------------------- checks


def archive_problems(pdf: bytes) -> list[str]:
    """What keeps ``pdf`` from being the PDF/A-3b file it claims to be, as far as can be read.

    Not a validator (veraPDF checks some 150 rules), but the claims that matter here and that
    a change to the templates or to WeasyPrint could silently break: the identification, the
    output intent, embedded fonts, no encryption, no JavaScript or external references, the
    associated files, metadata that agrees with the information dictionary.
    """
    problems: list[str] = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        problems += _identification_problems(doc)
        if doc.is_encrypted:
            problems.append("the file is encrypted")
        intents = doc.Root.get("/OutputIntents", Array())
        if not any(i.get("/S") == Name.GTS_PDFA1 and "/DestOutputProfile" in i for i in intents):
            problems.append("no PDF/A output intent with an ICC profile")
        problems += _font_problems(doc)
        problems += _forbidden_object_problems(doc)
        problems += _attachment_problems(doc)
    return problems


def _identification_problems(doc: pikepdf.Pdf) -> list[str]:
    problems = []
    meta = doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
    if meta.get("pdfaid:part") != "3" or meta.get("pdfaid:conformance") != "B":
        problems.append(
            f"XMP claims PDF/A part {meta.get('pdfaid:part')!r} "
            f"conformance {meta.get('pdfaid:conformance')!r}, not 3B"
        )
    info = doc.trailer.get("/Info", Dictionary())
    pairs = {
        "/Title": meta.get("dc:title"),
        "/Author": "; ".join(meta.get("dc:creator") or []) or None,
        "/Subject": meta.get("dc:description"),
        "/Keywords": meta.get("pdf:Keywords"),
        "/Producer": meta.get("pdf:Producer"),
        "/Creator": meta.get("xmp:CreatorTool"),
    }
    for key, xmp in pairs.items():
        value = str(info[key]) if key in info else None
        if value != xmp:
            problems.append(f"information {key} {value!r} differs from XMP {xmp!r}")
    for key, xmp_key in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        if key in info and meta.get(xmp_key) is None:
            problems.append(f"information {key} has no XMP {xmp_key}")
    return problems


def _font_problems(doc: pikepdf.Pdf) -> list[str]:
    problems = []
    seen: set[tuple[int, int]] = set()
    for page_no, page in enumerate(doc.pages, start=1):
        fonts = page.obj.get("/Resources", Dictionary()).get("/Font", Dictionary())
        for name, font in fonts.items():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor")
            if descriptor is None or not any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                problems.append(f"page {page_no}: font {name} is not embedded")
            elif not re.match(r"^/[A-Z]{6}\+", str(font.get("/BaseFont", ""))):
                problems.append(f"page {page_no}: font {font.get('/BaseFont')} is not a subset")
    return problems


def _forbidden_object_problems(doc: pikepdf.Pdf) -> list[str]:
    """JavaScript, launch actions, links to other files: PDF/A forbids what reaches outside."""
    problems = []
    names = doc.Root.get("/Names", Dictionary())
    if "/JavaScript" in names:
        problems.append("JavaScript in the name tree")
    if "/OpenAction" in doc.Root or "/AA" in doc.Root:
        problems.append("the document runs an action when opened")
    for obj in doc.objects:
        if not isinstance(obj, Dictionary):
            continue
        kind = obj.get("/S")
        if kind in (Name.JavaScript, Name.Launch, Name.GoToR, Name.GoToE, Name.ImportData):
            problems.append(f"{kind} action")
        if kind == Name.URI and str(obj.get("/URI", "")).lower().startswith("file:"):
            problems.append(f"link to a local file {obj.get('/URI')}")
        if obj.get("/Type") == Name.Filespec and "/EF" not in obj:
            problems.append(f"reference to an external file {obj.get('/F')}")
        if "/JS" in obj:
            problems.append("JavaScript in an object")
    return problems


def _attachment_problems(doc: pikepdf.Pdf) -> list[str]:
    problems = []
    af = {spec.objgen for spec in doc.Root.get("/AF", Array())}
    for name, spec in doc.attachments.items():
        obj = spec.obj
        if obj.objgen not in af:
            problems.append(f"attachment {name} is not in the catalog's /AF")
        if "/AFRelationship" not in obj:
            problems.append(f"attachment {name} has no /AFRelationship")
        stream = obj.EF.F
        if "/Subtype" not in stream:
            problems.append(f"attachment {name} has no MIME type")
        if "/ModDate" not in stream.get("/Params", Dictionary()):
            problems.append(f"attachment {name} has no modification date")
        if "/UF" not in obj or "/F" not in obj:
            problems.append(f"attachment {name} lacks /F or /UF")
    return problems


# -- text round trip


Extractor = Literal["pdftotext", "pdftotext-raw", "pypdf"]
Spacing = Literal["strict", "layout"]


@dataclass(frozen=True)
class RoundTrip:
    """Which paragraphs came back out of a PDF exactly, with one extractor."""

    extractor: str
    spacing: str
    found: list[str]
    missing: list[str]

    @property
    def share(self) -> float:
        total = len(self.found) + len(self.missing)
        return len(self.found) / total if total else 1.0


def extract_text(pdf: bytes, extractor: Extractor = "pdftotext") -> list[str]:
    """Each page's text as ``extractor`` reads it.

    ``pdftotext`` is poppler's default (physical layout) mode, ``pdftotext-raw`` its
    content-stream order (for a tagged PDF, the reading order), ``pypdf`` pypdf's plain mode,
    which reads only the fonts' ToUnicode maps (no ``/ActualText``).
    """
    if extractor == "pypdf":
        import pypdf

        reader = pypdf.PdfReader(io.BytesIO(pdf))
        return [page.extract_text() or "" for page in reader.pages]
    if shutil.which("pdftotext") is None:
        raise RuntimeError("pdftotext (poppler-utils) is not installed")
    mode = ["-raw"] if extractor == "pdftotext-raw" else []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", *mode, "-enc", "UTF-8", str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends every page, the last one too, with a form feed
    return pages


# A page number alone on a line, in Latin, Khmer or Lao digits.
_PAGE_NUMBER = re.compile(r"^\s*[0-9\u17e0-\u17e9\u0ed0-\u0ed9]+\s*$")


def _without_page_numbers(page: str) -> str:
    """A page's text without its page number (the first or last non-empty line, digits only)."""
    lines = [line for line in page.splitlines() if line.strip()]
    if lines and _PAGE_NUMBER.match(lines[0]):
        lines = lines[1:]
    elif lines and _PAGE_NUMBER.match(lines[-1]):
        lines = lines[:-1]
    return "\n".join(lines)


def normalise(text: str) -> str:
    """Layout whitespace made uniform: NFC, U+200B removed, every whitespace run one space."""
    text = unicodedata.normalize("NFC", text).replace(ZWSP, "")
    return re.sub(r"\s+", " ", text).strip()


def _pattern(source: str, spacing: Spacing) -> re.Pattern[str]:
    """A pattern that matches ``source`` as an extractor may give it back.

    Every character other than whitespace must come back as it is and in order: nothing
    dropped, doubled or swapped, which is what searching and copying rely on. Every space of
    the source must come back as whitespace (a space or a line break). ``strict``: whitespace
    may appear nowhere else but at a U+200B (a line may break there). ``layout``: an
    extractor may also put whitespace between any two characters, as pypdf does wherever a
    mark is moved back under its consonant further than its guess of half a space (it reads
    glyph positions, not the text).
    """
    source = unicodedata.normalize("NFC", source).strip()
    parts: list[str] = []
    for token in re.split(r"(\s+|\u200b+)", source):
        if not token:
            continue
        if token.isspace() and ZWSP not in token:
            parts.append(" ")
        elif set(token) <= {ZWSP, " ", "\n", "\t"}:
            parts.append(" ?")
        elif spacing == "strict":
            parts.append(re.escape(token))
        else:
            parts.append(" ?".join(re.escape(char) for char in token))
    return re.compile("".join(parts))


def round_trip(
    pdf: bytes,
    paragraphs: Iterable[str],
    extractor: Extractor = "pdftotext",
    spacing: Spacing = "strict",
) -> RoundTrip:
    """Which ``paragraphs`` appear in ``pdf``'s extracted text exactly (see :func:`_pattern`).

    Page numbers (a line of digits first or last on a page) are left out, so that a
    paragraph running over a page break is still one text.
    """
    pages = [_without_page_numbers(p) for p in extract_text(pdf, extractor)]
    text = normalise("\n".join(pages))
    found: list[str] = []
    missing: list[str] = []
    for paragraph in dict.fromkeys(p for p in paragraphs if normalise(p)):
        (found if _pattern(paragraph, spacing).search(text) else missing).append(paragraph)
    return RoundTrip(extractor, spacing, found, missing)


ROUND_TRIP_CHECKS: tuple[tuple[Extractor, Spacing], ...] = (
    ("pdftotext-raw", "strict"),
    ("pypdf", "layout"),
)
"""The extractors (and spacing) :func:`round_trip_share` asks: the ones that read the text in
the order it is written. pdftotext's default mode also guesses columns from positions, and
side-by-side signature blocks or a one-word last line inside the first line's indent can
come out in another order, whatever text the PDF holds."""


def round_trip_share(
    pdf: bytes,
    paragraphs: Iterable[str],
    checks: Sequence[tuple[Extractor, Spacing]] = ROUND_TRIP_CHECKS,
) -> float:
    """The share of Khmer and Lao ``paragraphs`` that every check gets back exactly.

    The benchmark prints it; 1.0 means a reader can search and copy every partner-language
    paragraph whichever tool extracts it. Paragraphs without Khmer or Lao letters are not
    counted.
    """
    wanted = list(dict.fromkeys(p for p in paragraphs if PARTNER_LETTERS.search(p)))
    if not wanted:
        return 1.0
    exact = set(wanted)
    for extractor, spacing in checks:
        exact &= set(round_trip(pdf, wanted, extractor, spacing).found)
    return len(exact) / len(wanted)


def content_digest(*parts: bytes) -> bytes:
    """16 bytes identifying a document by what it was made from (file identifier, XMP id)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.digest()[:16]
