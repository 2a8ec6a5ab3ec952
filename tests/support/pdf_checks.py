"""Checks of a built PDF, usable without a network validator (tests and the benchmark).

:func:`archive_problems` reads the PDF/A claims that can be read off the file;
:func:`round_trip` / :func:`round_trip_share` say whether every paragraph comes back out of the
PDF exactly, with pdftotext and with pypdf (a test dependency).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pikepdf
from kbc_docs.text.segment import PARTNER_LETTERS, ZWSP
from pikepdf import Array, Dictionary, Name


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
    listed = [spec.objgen for spec in doc.Root.get("/AF", Array())]
    af = set(listed)
    if len(af) != len(listed):
        problems.append("the catalog's /AF lists an attachment more than once")
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


def without_page_numbers(page: str) -> str:
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
    pages = [without_page_numbers(p) for p in extract_text(pdf, extractor)]
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
