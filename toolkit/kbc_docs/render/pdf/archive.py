"""Archival PDF (PDF/A-3b): what WeasyPrint leaves to do.

WeasyPrint lays out the pages, embeds subset fonts, writes the structure tags, the sRGB output
intent and the PDF/A identification. This module works on the file it wrote, with pikepdf, and
adds what a document meant to be kept for years and signed by several governments needs:

* **Searchable Khmer and Lao in every reader** (:mod:`kbc_docs.render.pdf.text`): one
  character code per cluster, whose ToUnicode text is the cluster's own (a composite glyph
  where a cluster is drawn with several), ``/ActualText`` per line, and subset tags derived
  from each font's glyphs.
* **Metadata.** XMP and the document information dictionary say the same thing (PDF/A demands
  it): the title in each language of the document, the issuing bodies, subject, keywords, the
  languages, a fixed date and identifier so that rebuilding gives the same bytes.
* **Sources.** The content YAML and the registry entries it used travel inside the PDF as
  associated files (``/AF``, ``/AFRelationship /Source``), which is what PDF/A-3 exists for: the
  archived document carries the data it was made from.
* **Signature fields** (:mod:`kbc_docs.render.pdf.fields`): an empty signature field over each
  signer's signature space, so that each leader can sign in Acrobat or Foxit.

The checks that prove it was done live with the tests (``tests/support/pdf_checks.py``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pikepdf
from lxml import etree
from pikepdf import Array, Dictionary, Name, String

from kbc_docs.render.pdf.cluster_font import name_fonts
from kbc_docs.render.pdf.fields import SignatureSpot, add_signature_fields
from kbc_docs.render.pdf.text import TextFix, TextRun, fix_text

__all__ = [
    "ArchiveInfo",
    "SignatureSpot",
    "TextFix",
    "TextRun",
    "finish_document",
    "finish_part",
    "finish_pdf",
]


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
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        _fix_text(doc, runs, report if report is not None else TextFix())
        return finish_document(doc, info, sources, signature_spots)


def finish_part(pdf: bytes, runs: Sequence[TextRun], report: TextFix) -> bytes:
    """The text and fonts of one part of a document (one language version, written by
    WeasyPrint), to be merged with the others (:mod:`.merge`) and finished
    (:func:`finish_document`). Its streams are deflated here, where a part is produced
    beside another (the merged document's save keeps them as they are), and it has no object
    streams, which that save makes."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        _fix_text(doc, runs, report)
        out = io.BytesIO()
        doc.save(out, static_id=True, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out.getvalue()


def _fix_text(doc: pikepdf.Pdf, runs: Sequence[TextRun], report: TextFix) -> None:
    fix_text(doc, runs, report)
    name_fonts(doc)  # after fix_text: the tags are digests of the final font programs


def finish_document(
    doc: pikepdf.Pdf,
    info: ArchiveInfo,
    sources: Mapping[str, bytes] | None = None,
    signature_spots: Sequence[SignatureSpot] = (),
) -> bytes:
    """The bytes of ``doc`` (its text fixed) with metadata, sources and signature fields."""
    _write_metadata(doc, info)
    _attach_sources(doc, sources or {}, info.created)
    add_signature_fields(doc, signature_spots)
    doc.trailer.ID = Array([String(info.identifier), String(info.identifier)])
    out = io.BytesIO()
    doc.save(
        out,
        deterministic_id=True,  # ID[0] is kept; ID[1] is a digest of the content
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        # qpdf deflates the object streams and every stream WeasyPrint left uncompressed
        # (weasy.write_pdf) but the XMP packet, so that any tool can read it; the streams
        # made here are deflated already (cluster_font.flate).
        compress_streams=True,
    )
    return out.getvalue()


def _pdf_date(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%SZ")


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DC = "http://purl.org/dc/elements/1.1/"


def _language_properties(info: ArchiveInfo) -> bytes:
    """XMP holding what pikepdf cannot assign: a title and subject in every language.

    pikepdf sets only the default (``x-default``) of a language alternative, so ``dc:title``
    and ``dc:description`` are written here, one ``rdf:li`` per language with the first one
    as the default, and copied in whole (:meth:`pikepdf.models.PdfMetadata.copy_properties`);
    ``dc:language`` too, to keep the languages in document order.
    """
    nsmap = {"rdf": _RDF, "dc": _DC}
    rdf = etree.Element(f"{{{_RDF}}}RDF", nsmap=nsmap)
    description = etree.SubElement(rdf, f"{{{_RDF}}}Description", {f"{{{_RDF}}}about": ""})
    for name, values in (("title", info.titles), ("description", info.subjects)):
        alt = etree.SubElement(etree.SubElement(description, f"{{{_DC}}}{name}"), f"{{{_RDF}}}Alt")
        first = next(iter(values.values()), "")
        for lang, value in (("x-default", first), *values.items()):
            etree.SubElement(alt, f"{{{_RDF}}}li", {_XML_LANG: lang}).text = value
    bag = etree.SubElement(etree.SubElement(description, f"{{{_DC}}}language"), f"{{{_RDF}}}Bag")
    for lang in info.languages:
        etree.SubElement(bag, f"{{{_RDF}}}li").text = lang
    xmpmeta = etree.Element("{adobe:ns:meta/}xmpmeta", nsmap={"x": "adobe:ns:meta/"})
    xmpmeta.append(rdf)
    return etree.tostring(xmpmeta, encoding="utf-8")


def _authors(info: ArchiveInfo) -> str:
    # One dc:creator entry equal to /Author: PDF/A validators compare the two as strings.
    return "; ".join(info.authors)


def _write_metadata(doc: pikepdf.Pdf, info: ArchiveInfo) -> None:
    """XMP and the information dictionary, written through pikepdf, which keeps them in step.

    WeasyPrint's own XMP and information dictionary are replaced whole.
    """
    if "/Metadata" in doc.Root:
        del doc.Root.Metadata
    doc.trailer.Info = doc.make_indirect(Dictionary())
    uuid = info.identifier.hex()
    uuid = f"uuid:{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:32]}"
    created = info.created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True, strict=True) as meta:
        meta["pdfaid:part"] = "3"
        meta["pdfaid:conformance"] = "B"
        meta["dc:format"] = "application/pdf"
        meta.copy_properties(
            _language_properties(info), ["dc:title", "dc:description", "dc:language"]
        )
        meta["dc:creator"] = [_authors(info)]
        meta["pdf:Keywords"] = ", ".join(info.keywords)
        meta["pdf:Producer"] = info.producer
        meta["xmp:CreatorTool"] = info.creator_tool
        for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            meta[key] = created
        meta["xmpMM:DocumentID"] = uuid
        meta["xmpMM:InstanceID"] = uuid
    # pikepdf writes "+00'00"; ISO 32000-1's own form, as WeasyPrint writes it, is kept.
    doc.trailer.Info.CreationDate = doc.trailer.Info.ModDate = String(_pdf_date(info.created))
    if info.languages:
        doc.Root.Lang = String(info.languages[0])


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


def content_digest(*parts: bytes) -> bytes:
    """16 bytes identifying a document by what it was made from (file identifier, XMP id)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.digest()[:16]
