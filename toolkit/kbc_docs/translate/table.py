"""The two-column Word table, for a translator without a CAT tool.

One row per text: a narrow number column, the Vietnamese, and an empty (or pre-filled) cell for
the translation. Section rows (shaded, spanning the table) give the context. The field path and
source hash of each row are hidden text (``w:vanish``) in its number cell, which Word and
LibreOffice keep but do not show; the content file's name, the languages and the row count are
in the document's core properties. Reading back checks that every row is still there, in its
place, with its id, so a deleted or moved row is an error instead of translations landing in
the wrong field.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from babel import Locale as BabelLocale
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from kbc_docs.errors import ContentError, Problem
from kbc_docs.messages import msg
from kbc_docs.translate import wording
from kbc_docs.translate.exchange import Returned, ReturnedFile, language
from kbc_docs.translate.glossary import Term, translated
from kbc_docs.translate.state import normal
from kbc_docs.translate.texts import Job, Unit

MARK = "kbc-docs-translate/1"
_ID = re.compile(r"⟦([^|⟧]+)\|([0-9a-f]{16})⟧")
_META = re.compile(r"(\w+)=([^;]*)")
MAX_BYTES = 20_000_000
MAX_UNPACKED = 100_000_000  # a zip bomb is refused before python-docx unpacks it


def language_name(lang: str, source: str) -> str:
    """``Tiếng Khmer — ខ្មែរ``: the name in the source language, then the language's own."""
    try:
        own = BabelLocale.parse(lang).get_display_name(lang) or lang
        named = BabelLocale.parse(lang).get_display_name(source) or lang
    except (ValueError, LookupError):
        return lang
    named = named[:1].upper() + named[1:]
    return named if lang == source or own == named else f"{named} — {own}"


def _font(run_or_style, family: str, size: float, cs: str | None = None) -> None:
    """Set the font for Latin and complex scripts (Khmer and Lao are complex scripts in Word)."""
    run_or_style.font.name = family
    run_or_style.font.size = Pt(size)
    props = run_or_style.element.get_or_add_rPr()
    fonts = props.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        props.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), family)
    fonts.set(qn("w:cs"), cs or family)
    size_cs = OxmlElement("w:szCs")
    size_cs.set(qn("w:val"), str(int(size * 2)))
    props.append(size_cs)


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _hidden(paragraph: Paragraph, text: str) -> None:
    run = paragraph.add_run(text)
    run.font.hidden = True
    run.font.size = Pt(6)


def _drop_styles_with_effects(document) -> None:
    """python-docx's blank document carries Word 2010's ``stylesWithEffects`` part, which no
    longer matches the styles once we change them (Word may call that unreadable content);
    Word rebuilds it when it needs it."""
    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            part.drop_rel(rel_id)


def _repeat_header(row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def write_table(job: Job, units: list[Unit], when: dt.datetime) -> bytes:
    """The Word file for ``units`` of ``job``: instructions, the table, then the glossary."""
    document = Document()
    _drop_styles_with_effects(document)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.orientation = WD_ORIENT.PORTRAIT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    source_font = job.fonts.get(job.source, "Times New Roman")
    target_font = job.fonts.get(job.target, source_font)
    _font(document.styles["Normal"], source_font, 11)
    properties = document.core_properties
    properties.title = wording.TABLE_TITLE.format(file=job.file.name)
    properties.subject = (
        f"{MARK};original={job.file.name};source={job.source};target={job.target};rows={len(units)}"
    )
    properties.author = properties.last_modified_by = "kbc-docs"  # openxml-audit checks ours
    properties.comments = ""
    properties.language = job.source
    properties.created = properties.modified = when.replace(tzinfo=None)
    properties.revision = 1
    document.add_heading(properties.title, level=1)
    document.add_paragraph(wording.TABLE_HELP)

    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = (Cm(1.2), Cm(8.4), Cm(8.4))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    header = table.rows[0]
    _repeat_header(header)
    names = (
        wording.COLUMN_NUMBER,
        language_name(job.source, job.source),
        language_name(job.target, job.source),
    )
    for cell, name in zip(header.cells, names, strict=True):
        cell.paragraphs[0].add_run(name).bold = True
        _shade(cell, "D9D9D9")
    section_name = None
    for number, unit in enumerate(units, 1):
        if unit.section != section_name:
            section_name = unit.section
            row = table.add_row()
            merged = row.cells[0].merge(row.cells[2])
            merged.paragraphs[0].add_run(unit.section).bold = True
            _shade(merged, "EDEDED")
        row = table.add_row()
        cells = row.cells
        first = cells[0].paragraphs[0]
        first.add_run(str(number))
        _hidden(first, f"⟦{unit.id}|{unit.hash}⟧")
        cells[1].paragraphs[0].add_run(unit.source)
        detail = (unit.place or unit.section) + (
            "\n"
            + wording.TERMS.format(names="; ".join(f"{t.source} = {t.target}" for t in unit.terms))
            if unit.terms
            else ""
        )
        note = cells[1].add_paragraph().add_run(detail)
        _font(note, source_font, 8, cs=target_font)  # the names' translations are in the notes
        note.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
        _font(cells[2].paragraphs[0].add_run(unit.target), target_font, 11)
        if unit.state != "done" and unit.target:
            _shade(cells[2], "FFF2CC")  # an outdated translation to check
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width
    _glossary(document, job.glossary, job, source_font, target_font)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _glossary(document, terms: list[Term], job: Job, source_font: str, target_font: str) -> None:
    terms = translated(terms)
    if not terms:
        return
    document.add_page_break()
    document.add_heading(wording.GLOSSARY_TITLE, level=2)
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].paragraphs[0].add_run(language_name(job.source, job.source)).bold = True
    header[1].paragraphs[0].add_run(language_name(job.target, job.source)).bold = True
    for term in terms:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(term.source)
        _font(cells[1].paragraphs[0].add_run(term.target), target_font, 11)


_TEXT = (qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"))
_GONE = {qn("w:del"), qn("w:moveFrom")}  # tracked deletions: not the translator's text


def _visible(node) -> bool:
    """Whether the text ``node`` is shown: not hidden text, not a tracked deletion."""
    run = node.getparent()
    vanish = run.find(f"{qn('w:rPr')}/{qn('w:vanish')}")
    if vanish is not None and vanish.get(qn("w:val"), "true") not in ("0", "false", "off"):
        return False
    return not any(ancestor.tag in _GONE for ancestor in node.iterancestors())


def _cell_text(cell: _Cell) -> str:
    """The text of a cell as the reader sees it: paragraphs joined, tracked insertions in,
    tracked deletions and hidden text out (python-docx's ``text`` skips insertions)."""
    paragraphs = []
    for paragraph in cell._tc.iter(qn("w:p")):
        parts = [
            (node.text or "") if node.tag == qn("w:t") else " "
            for node in paragraph.iter(*_TEXT)
            if _visible(node)
        ]
        paragraphs.append("".join(parts))
    return normal(" ".join(paragraphs))


def _check_zip(path: Path, data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise ContentError([Problem(msg("tr_too_large", limit=MAX_BYTES), path)])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ContentError([Problem(msg("tr_docx_broken"), path)]) from None
    if unpacked > MAX_UNPACKED:
        raise ContentError([Problem(msg("tr_too_large", limit=MAX_UNPACKED), path)])


def read_table(path: Path, data: bytes) -> ReturnedFile:
    """The rows of a returned Word table; a clear error for a row missing, moved or added."""
    _check_zip(path, data)
    try:
        document = Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds for a file that is not a Word document
        raise ContentError([Problem(msg("tr_docx_broken"), path)]) from None
    meta = dict(_META.findall(document.core_properties.subject or ""))
    if not (document.core_properties.subject or "").startswith(MARK) or not document.tables:
        raise ContentError([Problem(msg("tr_docx_not_ours"), path)])
    table = document.tables[0]
    expected = int(meta.get("rows", "0") or 0)
    units: list[Returned] = []
    problems: list[Problem] = []
    for index, row in enumerate(table.rows[1:], 2):
        cells = row.cells
        found = _ID.search("".join(t.text or "" for t in cells[0]._tc.iter(qn("w:t"))))
        visible = _ID.sub("", _cell_text(cells[0])).strip()  # even if the id was unhidden
        if found is None:
            if len(cells) >= 3 and cells[0]._tc is not cells[2]._tc and _cell_text(cells[2]):
                problems.append(Problem(msg("tr_row_added", row=index), path))
            continue
        number = len(units) + 1
        if visible != str(number):
            problems.append(
                Problem(msg("tr_row_moved", row=index, expected=number, got=visible), path)
            )
            break
        units.append(
            Returned(
                id=found.group(1),
                source=normal(cells[1].paragraphs[0].text),
                target=_cell_text(cells[2]) if len(cells) > 2 else "",
                hash=found.group(2),
                where=msg("tr_where_row", row=number),
            )
        )
    if not problems and len(units) != expected:
        problems.append(Problem(msg("tr_rows_missing", expected=expected, got=len(units)), path))
    if problems:
        raise ContentError(problems)
    return ReturnedFile(
        original=meta.get("original", ""),
        source=language(meta.get("source", "")),
        target=language(meta.get("target", "")),
        units=units,
    )
