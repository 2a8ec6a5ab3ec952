"""Helpers of the form tests (``tests/forms/``): build the examples, read their pages.

The form tests check the official form (Decree 30 for Vietnamese, Cambodian and Lao usage for
the partner versions) on real outputs, the way a recipient would see them: Word properties as
Word resolves them (direct formatting, then the paragraph style and the styles it is based on,
then the document defaults), and PDF glyphs where they are drawn. Khmer text cannot be read
back from a WeasyPrint PDF (pdftotext reorders the glyphs of a cluster), so where a test needs
to know *which* Khmer text is where, it reads WeasyPrint's laid-out boxes, which are what the
PDF is written from; positions are still checked on the PDF itself.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from kbc_docs.content.resolve import load_content
from kbc_docs.pipeline import BuildOptions, build
from kbc_docs.render.docx.ooxml import W, w
from kbc_docs.render.pdf import html as pdf_html
from kbc_docs.render.pdf import render as pdf_module
from kbc_docs.text.segment import unsegment
from kbc_docs.view import DocumentView, build_view
from lxml import etree
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "toolkit/kbc_docs/data/templates"
CONTENT = ROOT / "content"
KM_EXAMPLE = CONTENT / "2023-11-16.yaml"
LO_EXAMPLE = CONTENT / "2024-10-08-attapeu-sekong.yaml"

PT_PER_MM = 72 / 25.4
TWIPS_PER_MM = 1440 / 25.4
A4_PT = (210 * PT_PER_MM, 297 * PT_PER_MM)
KHMER = re.compile("[\u1780-\u17ff\u19e0-\u19ff]")
LAO = re.compile("[\u0e80-\u0eff]")
PARTNER = re.compile("[\u1780-\u17ff\u19e0-\u19ff\u0e80-\u0eff]")

NS = {"w": W}


def squeeze(text: str) -> str:
    """Text without whitespace or break marks: line breaking changes those, not the words."""
    text = unsegment(unicodedata.normalize("NFC", text)).replace("\u00ad", "")
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------- building the examples


def copy_content(source: Path, folder: Path, layout: str | None = None) -> Path:
    """Copy a content file and its registry into ``folder``, optionally with another layout.

    ``layout`` becomes ``document.layout`` (inserted as the first key under ``document:``), so
    the example's own text is rendered in that layout without a second example to maintain.
    """
    folder.mkdir(parents=True, exist_ok=True)
    text = source.read_text(encoding="utf-8")
    if layout is not None:
        text, found = re.subn(
            r"^document:\n", f"document:\n  layout: {layout}\n", text, count=1, flags=re.M
        )
        assert found == 1, f"no top-level 'document:' in {source}"
    shutil.copy(source.parent / "registry.yaml", folder / "registry.yaml")
    target = folder / source.name
    target.write_text(text, encoding="utf-8")
    return target


def build_outputs(content: Path, out: Path) -> dict[str, Path]:
    """Build every output of ``content``; keys are ``report.docx``, ``signing.pdf``…"""
    files = build(content, BuildOptions(out=out, templates=TEMPLATES))
    return {f"{f.stem.split('_')[-2]}{f.suffix}": f for f in files}


def view_of(content: Path) -> DocumentView:
    """The view model the build renders ``content`` from."""
    resolved, locales = load_content(content, TEMPLATES)
    return build_view(resolved, locales)


# ---------------------------------------------------------------- PDF: what is drawn


@dataclass(frozen=True)
class Line:
    """One line of glyphs of a PDF page, as pdfplumber groups them (points, from the top)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    chars: list[dict]

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def fonts(self) -> set[str]:
        """Font names without the subset prefix ("Tinos-Bold")."""
        return {c["fontname"].split("+", 1)[-1] for c in self.chars if c["text"].strip()}

    @property
    def sizes(self) -> set[float]:
        return {round(c["size"], 1) for c in self.chars if c["text"].strip()}


@functools.cache
def pdf_lines(path: Path, x_range: tuple[float, float] | None = None) -> list[list[Line]]:
    """Every page's lines, top to bottom; only glyphs within ``x_range`` (points) if given.

    Side-by-side columns share their baselines, so a column is read on its own (cropped).
    Cached, like the other readers here: the outputs do not change while the tests run, and
    reading a PDF's glyphs is the slow part of these tests. Callers must not modify results.
    """
    pages: list[list[Line]] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            if x_range is not None:
                page = page.crop((x_range[0], 0, x_range[1], page.height), strict=False)
            lines = [
                Line(d["text"], d["x0"], d["x1"], d["top"], d["bottom"], d["chars"])
                for d in page.extract_text_lines(return_chars=True)
            ]
            pages.append(sorted(lines, key=lambda line: line.top))
    return pages


@functools.cache
def pdf_page_sizes(path: Path) -> list[tuple[float, float]]:
    with pdfplumber.open(path) as pdf:
        return [(page.width, page.height) for page in pdf.pages]


@functools.cache
def pdf_chars(path: Path) -> list[list[dict]]:
    """Every page's glyphs (pdfplumber char dicts)."""
    with pdfplumber.open(path) as pdf:
        return [list(page.chars) for page in pdf.pages]


@functools.cache
def version_groups(path: Path, script: re.Pattern[str] = PARTNER) -> list[list[int]]:
    """Page indexes grouped by version: the Vietnamese pages hold no Khmer or Lao letter."""
    groups: list[list[int]] = []
    last = None
    for i, chars in enumerate(pdf_chars(path)):
        partner = any(script.match(c["text"]) for c in chars)
        if partner != last:
            groups.append([])
            last = partner
        groups[-1].append(i)
    return groups


@functools.cache
def pdftotext_pages(path: Path, raw: bool = False) -> list[str]:
    """Text of every page by pdftotext (reliable for digits and Latin, not for Khmer words).

    ``raw`` keeps the order the text is drawn in: narrow columns side by side (three signers
    in two languages) are otherwise interleaved line by line.
    """
    mode = ["-raw"] if raw else []
    text = subprocess.run(
        ["pdftotext", *mode, "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text.split("\f")[:-1]


def find_line(lines: list[Line], text: str) -> Line:
    """The first line whose text begins like ``text`` (compared without spaces)."""
    want = squeeze(text)
    for line in lines:
        got = squeeze(line.text)
        if got and (want.startswith(got) or got.startswith(want)) and len(got) >= min(8, len(want)):
            return line
    raise AssertionError(f"no line starting {text[:40]!r}")


# ---------------------------------------------------------------- PDF: WeasyPrint's layout


@dataclass(frozen=True)
class TextRun:
    """A laid-out line (its text boxes joined): its text and where it is drawn (pt, from top)."""

    page: int
    text: str
    x0: float
    x1: float
    top: float
    size: float
    lang: str | None
    row: str | None  # data-row of the parallel table row holding it
    party: str | None  # data-party of the signature block holding it


_LAID_OUT: dict[tuple[int, str], tuple[DocumentView, Document]] = {}


def laid_out(view: DocumentView, template: str) -> Document:
    """The layout render_pdf writes ``template`` from (same functions, same input).

    Cached per view object (views are frozen; the view is kept so its id stays unique).
    """
    key = (id(view), template)
    if key not in _LAID_OUT:
        templates = TEMPLATES.resolve()
        html = pdf_html.render_html(view, template, templates)
        _LAID_OUT[key] = (view, pdf_module.lay_out(html, templates, view))
    return _LAID_OUT[key][1]


@functools.cache
def text_runs(document: Document) -> list[TextRun]:
    """Every laid-out line of every page, in document order: the text boxes of a line joined
    (a line holds several where a span keeps words together, ``kbc_docs.render.pdf.breaks``)."""
    runs: list[TextRun] = []
    for number, page in enumerate(document.pages):
        line: object = None
        for box, (lang, row, party), in_line in _walk(page._page_box, (None, None, None), None):
            if not (isinstance(box, boxes.TextBox) and box.text.strip()):
                continue
            x0, x1 = box.position_x * 0.75, (box.position_x + box.width) * 0.75
            if runs and in_line is not None and in_line is line and runs[-1].page == number:
                last = runs[-1]
                runs[-1] = dataclasses.replace(
                    last, text=last.text + box.text, x0=min(last.x0, x0), x1=max(last.x1, x1)
                )
                continue
            line = in_line
            runs.append(
                TextRun(
                    number,
                    box.text,
                    x0,
                    x1,
                    box.position_y * 0.75,
                    box.style["font_size"] * 0.75,
                    lang,
                    row,
                    party,
                )
            )
    return runs


_Marks = tuple[str | None, str | None, str | None]


def _walk(
    box: boxes.Box, marks: _Marks, line: object
) -> Iterator[tuple[boxes.Box, _Marks, object]]:
    """Boxes with the nearest ``lang``, ``data-row`` and ``data-party`` of their elements, and
    the line box they stand in (None outside one)."""
    element = getattr(box, "element", None)
    if element is not None and getattr(box, "element_tag", None) not in (None, "html"):
        lang, row, party = marks
        marks = (
            element.get("lang") or lang,
            element.get("data-row") or row,
            element.get("data-party") or party,
        )
    if isinstance(box, boxes.LineBox):
        line = box
    elif isinstance(box, boxes.BlockContainerBox):
        line = None
    yield box, marks, line
    if isinstance(box, boxes.ParentBox):
        for child in box.children:
            yield from _walk(child, marks, line)


# ---------------------------------------------------------------- DOCX: resolved properties


class WordDocument:
    """Just enough of a .docx to read properties as Word resolves them."""

    def __init__(self, path: Path) -> None:
        import zipfile

        with zipfile.ZipFile(path) as z:
            self.parts = {n: z.read(n) for n in z.namelist()}
        self.body = etree.fromstring(self.parts["word/document.xml"]).find("w:body", NS)
        styles = etree.fromstring(self.parts["word/styles.xml"])
        self.styles = {s.get(w("styleId")): s for s in styles.iterfind("w:style", NS)}
        self.default_paragraph = next(
            (
                sid
                for sid, s in self.styles.items()
                if s.get(w("type")) == "paragraph" and s.get(w("default")) in ("1", "true")
            ),
            None,
        )
        self.rpr_default = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
        self.ppr_default = styles.find("w:docDefaults/w:pPrDefault/w:pPr", NS)

    def sections(self) -> list[list[etree._Element]]:
        """The body's paragraphs (table cells included) grouped by section, in order."""
        groups: list[list[etree._Element]] = [[]]
        for p in self.body.iter(w("p")):
            groups[-1].append(p)
            if p.find("w:pPr/w:sectPr", NS) is not None:
                groups.append([])
        return [g for g in groups if g]

    def style_of(self, p: etree._Element) -> str | None:
        found = p.find("w:pPr/w:pStyle", NS)
        return found.get(w("val")) if found is not None else self.default_paragraph

    def _chain(self, sid: str | None, props: str) -> list[etree._Element]:
        out, seen = [], set()
        while sid and sid not in seen and sid in self.styles:
            seen.add(sid)
            found = self.styles[sid].find(f"w:{props}", NS)
            if found is not None:
                out.append(found)
            based = self.styles[sid].find("w:basedOn", NS)
            sid = based.get(w("val")) if based is not None else None
        return out

    def run_levels(self, p: etree._Element, run: etree._Element | None) -> list[etree._Element]:
        """rPr of the run, its character style, the paragraph style chain, the defaults."""
        levels = []
        rpr = run.find("w:rPr", NS) if run is not None else None
        if rpr is not None:
            levels.append(rpr)
            rstyle = rpr.find("w:rStyle", NS)
            if rstyle is not None:
                levels += self._chain(rstyle.get(w("val")), "rPr")
        levels += self._chain(self.style_of(p), "rPr")
        if self.rpr_default is not None:
            levels.append(self.rpr_default)
        return levels

    def par_levels(self, p: etree._Element) -> list[etree._Element]:
        levels = []
        ppr = p.find("w:pPr", NS)
        if ppr is not None:
            levels.append(ppr)
        levels += self._chain(self.style_of(p), "pPr")
        if self.ppr_default is not None:
            levels.append(self.ppr_default)
        return levels

    def runs(self, p: etree._Element) -> list[etree._Element]:
        return [r for r in p.iter(w("r")) if "".join(t.text or "" for t in r.iter(w("t")))]

    def run_props(self, p: etree._Element) -> list[dict]:
        """Resolved bold, italic, size (pt) and Latin font of every run with text."""
        out = []
        for run in self.runs(p) or [None]:
            levels = self.run_levels(p, run)
            out.append(
                {
                    "bold": _toggle(levels, "b"),
                    "italic": _toggle(levels, "i"),
                    "size": (_attr(levels, "sz", "val", int) or 20) / 2,
                    "font": _attr(levels, "rFonts", "ascii", str),
                }
            )
        return out

    def par_props(self, p: etree._Element) -> dict:
        """Resolved alignment, first-line indent, spacing (twips) and line spacing."""
        levels = self.par_levels(p)
        return {
            "jc": _attr(levels, "jc", "val", str) or "left",
            "first_line": _attr(levels, "ind", "firstLine", int) or 0,
            "after": _attr(levels, "spacing", "after", int) or 0,
            "before": _attr(levels, "spacing", "before", int) or 0,
            "line": _attr(levels, "spacing", "line", int) or 240,
            "line_rule": _attr(levels, "spacing", "lineRule", str) or "auto",
        }


def text_of(p: etree._Element) -> str:
    return unsegment("".join(t.text or "" for t in p.iter(w("t"))))


def _toggle(levels: list[etree._Element], tag: str) -> bool:
    for level in levels:
        found = level.find(f"w:{tag}", NS)
        if found is not None:
            return found.get(w("val"), "true") not in ("0", "false", "off")
    return False


def _attr(levels: list[etree._Element], tag: str, attr: str, kind: type):  # type: ignore[no-untyped-def]
    """The first level that sets ``attr`` on its ``w:tag`` child wins (Word's inheritance)."""
    for level in levels:
        found = level.find(f"w:{tag}", NS)
        if found is not None and found.get(w(attr)) is not None:
            return kind(found.get(w(attr)))
    return None
