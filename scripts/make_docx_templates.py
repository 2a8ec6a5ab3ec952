"""Create the FIRST version of the default ``report.docx`` and ``signing.docx`` templates.

The DOCX templates are Word documents with docxtpl tags. Once they exist, people edit them in
Word and they are the source of truth: this script therefore refuses to overwrite an existing
template unless ``--force`` is given. Run it once; commit the files it writes.

What the templates hold (see ``kbc_docs.render.docx.render`` for the context they are rendered
with):

* Named paragraph styles (``KBC Body``, ``KBC Heading 1`` …) carrying the Decree 30/2020/NĐ-CP
  fonts, sizes and spacing, so a clerk changes the look in Word's style gallery, not run by run.
  Each style also carries a complex-script size (``w:szCs``): Khmer and Lao take their size
  from that slot, and at the Latin size they would look far too big.
* One section per language version (A4, margins 20/20/30/15 mm, page numbers centred in the top
  margin, none on the version's first page, restarting at 1): an empty ``KBC Section Break``
  paragraph closes every version but the last, and the renderer puts the break into it.
* The Vietnamese version uses the Decree 30 header table; Khmer and Lao versions use a centred
  national title with an ornament (``layouts[v.lang]`` is ``"decree30"`` or ``"centred"``).

Usage::

    python scripts/make_docx_templates.py [--force] [--out templates]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from kbc_docs.render.docx.ooxml import write_package
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "toolkit/kbc_docs/data/templates"

# ---------------------------------------------------------------- geometry (twentieths of a pt)

MM = 56.6929  # twips per millimetre
PAGE_W, PAGE_H = 11906, 16838  # A4
MARGIN_TOP = MARGIN_BOTTOM = round(20 * MM)
MARGIN_LEFT, MARGIN_RIGHT = round(30 * MM), round(15 * MM)
HEADER_DISTANCE = round(10 * MM)  # the page number sits in the top margin
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 165 mm
HEADER_LEFT_W = round(TEXT_W * 0.395)  # issuing bodies and number
HEADER_RIGHT_W = TEXT_W - HEADER_LEFT_W  # national title, motto, date: ≈ 100 mm
FIRST_LINE = 720  # 1.27 cm
FIRST_LINE_PARALLEL = 567  # 1 cm, Decree 30's other indent, in the narrow parallel columns
PARALLEL_GUTTER = round(7 * MM)  # between the language columns
SIGNATURE_ROOM = round(30 * MM)  # room for the signature and the seal

FONT = "Times New Roman"
TINOS_BOLD = Path("/usr/share/fonts/truetype/croscore/Tinos-Bold.ttf")  # TNR metrics
MOTTO_FALLBACK_MM = 60.5  # "Độc lập - Tự do - Hạnh phúc", 14 pt bold, if Tinos is absent
FIXED_DATE = dt.datetime(2000, 1, 1)


# ---------------------------------------------------------------- styles


def _rpr(
    size: float,
    size_cs: float,
    *,
    bold: bool = False,
    italic: bool = False,
) -> str:
    # No w:caps anywhere: the view's strings are already in capitals where Decree 30 wants them
    # (and are printed verbatim), and Word would show the tags themselves as {{ V.TITLE }}.
    parts = []
    if bold:
        parts.append("<w:b/>")
    if italic:
        parts.append("<w:i/>")
    parts.append(f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size_cs * 2)}"/>')
    return "".join(parts)


# name: (based on, pPr xml, rPr xml). Sizes in points; the second size is the complex-script
# size used by Khmer and Lao text (their glyphs are much larger than Latin ones at equal size).
STYLES: dict[str, tuple[str | None, str, str]] = {
    "KBC Body": (
        None,
        '<w:widowControl/><w:spacing w:before="0" w:after="120" w:line="276" w:lineRule="auto"/>'
        f'<w:ind w:firstLine="{FIRST_LINE}"/><w:jc w:val="both"/>',
        _rpr(14, 12),
    ),
    "KBC Item": ("KBC Body", "", ""),
    "KBC Closing": ("KBC Body", '<w:keepNext/><w:spacing w:before="120" w:after="360"/>', ""),
    "KBC Heading 1": (
        "KBC Body",
        '<w:keepNext/><w:keepLines/><w:spacing w:before="120" w:after="120"/>'
        '<w:outlineLvl w:val="0"/>',
        _rpr(14, 12, bold=True),
    ),
    "KBC Heading 2": (
        "KBC Body",
        '<w:keepNext/><w:keepLines/><w:spacing w:before="60" w:after="120"/>'
        '<w:outlineLvl w:val="1"/>',
        _rpr(14, 12, bold=True),
    ),
    "KBC National Title": (
        None,
        '<w:keepNext/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        '<w:jc w:val="center"/>',
        _rpr(13, 13, bold=True),
    ),
    "KBC Motto": (
        None,
        '<w:keepNext/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        '<w:jc w:val="center"/>',
        _rpr(14, 13, bold=True),
    ),
    "KBC Issuer": (
        None,
        '<w:keepNext/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        '<w:jc w:val="center"/>',
        _rpr(13, 11.5),
    ),
    "KBC Issuer Body": ("KBC Issuer", "", _rpr(13, 11.5, bold=True)),
    "KBC Number": (
        None,
        '<w:spacing w:before="100" w:after="0" w:line="240" w:lineRule="auto"/>'
        '<w:jc w:val="center"/>',
        _rpr(13, 11.5),
    ),
    "KBC Date": (
        None,
        '<w:spacing w:before="100" w:after="0" w:line="240" w:lineRule="auto"/>'
        '<w:jc w:val="center"/>',
        _rpr(14, 12, italic=True),
    ),
    # The date line(s) above the signatures (Khmer and Lao versions, signing pages): right half.
    # contextualSpacing: no gap between the lunar and the solar line, 12 pt before the blocks.
    "KBC Date Block": (
        "KBC Date",
        '<w:keepNext/><w:spacing w:before="0" w:after="240"/>'
        f'<w:ind w:left="{round(TEXT_W * 0.3)}"/><w:contextualSpacing/>',
        "",
    ),
    "KBC Kind": (
        None,
        '<w:keepNext/><w:spacing w:before="360" w:after="0" w:line="240" w:lineRule="auto"/>'
        '<w:jc w:val="center"/>',
        _rpr(14, 13, bold=True),
    ),
    "KBC Title": (
        None,
        '<w:keepNext/><w:spacing w:before="40" w:after="0" w:line="240" w:lineRule="auto"/>'
        f'<w:ind w:left="{round(TEXT_W * 0.06)}" w:right="{round(TEXT_W * 0.06)}"/>'
        '<w:jc w:val="center"/>',
        _rpr(14, 13, bold=True),
    ),
    # An empty paragraph drawing a short rule (its bottom border); width set by its indents.
    "KBC Rule": (
        None,
        '<w:keepNext/><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
        '</w:pBdr><w:spacing w:before="0" w:after="0" w:line="60" w:lineRule="exact"/>'
        '<w:jc w:val="center"/>',
        _rpr(3, 3),
    ),
    "KBC Ornament": (
        None,
        '<w:keepNext/><w:spacing w:before="40" w:after="120" w:line="240" w:lineRule="auto"/>'
        '<w:jc w:val="center"/>',
        _rpr(6, 6),
    ),
    "KBC Signer": (
        None,
        '<w:keepNext/><w:keepLines/><w:spacing w:before="0" w:after="0" w:line="240" '
        'w:lineRule="auto"/><w:jc w:val="center"/>',
        _rpr(14, 12, bold=True),
    ),
    "KBC Signer Name": (
        None,
        '<w:keepLines/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        '<w:jc w:val="center"/>',
        _rpr(14, 12, bold=True),
    ),
    "KBC Recipients Label": (
        None,
        '<w:keepNext/><w:spacing w:before="360" w:after="0" w:line="240" w:lineRule="auto"/>'
        '<w:jc w:val="left"/>',
        _rpr(12, 11, bold=True, italic=True),
    ),
    "KBC Recipients": (
        None,
        '<w:keepNext/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        '<w:jc w:val="left"/>',
        _rpr(11, 10),
    ),
    "KBC Page Number": (
        None,
        '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        '<w:jc w:val="center"/>',
        _rpr(13, 13),
    ),
    # Holds the section break that ends a version: as small as a paragraph can be.
    "KBC Section Break": (
        None,
        '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>',
        _rpr(1, 1),
    ),
    # Parallel layout (document.layout: parallel): two columns of ≈ 80 mm. Vietnamese at the
    # lower Decree 30 bounds (national title 12 pt, motto 13 pt, body 13 pt, indent 1 cm): at
    # 13 pt the national title would not fit its column on one line, at 14 pt justified body
    # text in 80 mm shows wide gaps between words.
    "KBC Parallel National Title": ("KBC National Title", "", _rpr(12, 12, bold=True)),
    "KBC Parallel Motto": ("KBC Motto", "", _rpr(13, 12, bold=True)),
    "KBC Parallel Title": (
        "KBC Title",
        '<w:ind w:left="0" w:right="0"/>',
        _rpr(14, 12, bold=True),
    ),
    "KBC Parallel Body": (
        "KBC Body",
        f'<w:ind w:firstLine="{FIRST_LINE_PARALLEL}"/>',
        _rpr(13, 12),
    ),
    "KBC Parallel Item": ("KBC Parallel Body", "", ""),
    "KBC Parallel Heading 1": (
        "KBC Parallel Body",
        '<w:keepNext/><w:keepLines/><w:spacing w:before="80"/><w:jc w:val="left"/>'
        '<w:outlineLvl w:val="0"/>',
        _rpr(13, 12, bold=True),
    ),
    "KBC Parallel Heading 2": (
        "KBC Parallel Body",
        '<w:keepNext/><w:keepLines/><w:spacing w:before="40"/><w:jc w:val="left"/>'
        '<w:outlineLvl w:val="1"/>',
        _rpr(13, 12, bold=True),
    ),
    "KBC Parallel Closing": ("KBC Parallel Body", '<w:keepNext/><w:spacing w:before="120"/>', ""),
    # docxtpl's {%p %} tags: these paragraphs disappear when rendered; grey so they read as code.
    "KBC Tag": (None, "", '<w:color w:val="808080"/><w:sz w:val="20"/><w:szCs w:val="20"/>'),
}


def style_id(name: str) -> str:
    """python-docx's style id for a name: the name without spaces."""
    return name.replace(" ", "")


def set_defaults(doc: DocxDocument) -> None:
    """Times New Roman everywhere (Latin and complex-script slots), 14 pt, Vietnamese."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        styles.remove(defaults)
    styles.insert(
        0,
        parse_xml(
            f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr>"
            f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
            '<w:sz w:val="28"/><w:szCs w:val="24"/>'
            '<w:lang w:val="vi-VN" w:eastAsia="en-US"/>'
            "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
            '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
            "</w:pPr></w:pPrDefault></w:docDefaults>"
        ),
    )
    normal = doc.styles["Normal"].element
    for child in list(normal):
        if child.tag in (qn("w:pPr"), qn("w:rPr")):
            normal.remove(child)
    # Built-in styles of python-docx's default template name theme fonts (Calibri, Cambria):
    # point them at Times New Roman too, so nothing a clerk picks falls back to Calibri.
    for fonts in styles.iter(qn("w:rFonts")):
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attr}"), None)
        for attr in ("ascii", "hAnsi", "cs"):
            fonts.set(qn(f"w:{attr}"), FONT)


def add_styles(doc: DocxDocument) -> None:
    """Create the KBC paragraph styles (shown in Word's style gallery)."""
    for name, (based_on, ppr, rpr) in STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles[based_on] if based_on else doc.styles["Normal"]
        style.quick_style = name != "KBC Tag"
        el = style.element
        if ppr:
            el.append(parse_xml(f"<w:pPr {nsdecls('w')}>{ppr}</w:pPr>"))
        if rpr:
            el.append(parse_xml(f"<w:rPr {nsdecls('w')}>{rpr}</w:rPr>"))


# ---------------------------------------------------------------- body XML helpers


def p(text: str, style: str, ppr: str = "", rpr: str = "") -> str:
    """One paragraph with one run (a docxtpl tag must not be split over runs)."""
    run = ""
    if text:
        rpr_xml = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
        run = f'<w:r>{rpr_xml}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id(style)}"/>{ppr}</w:pPr>{run}</w:p>'


def tag(text: str) -> str:
    """A paragraph-level docxtpl tag (``{%p … %}``): the whole paragraph is replaced."""
    return p(text, "KBC Tag")


def rule(width: int, container: int, *, after: int = 0) -> str:
    """An empty paragraph drawing a centred rule ``width`` twips wide in ``container``."""
    side = max(0, (container - width) // 2)
    spacing = f'<w:spacing w:after="{after}"/>' if after else ""
    return p("", "KBC Rule", f'{spacing}<w:ind w:left="{side}" w:right="{side}"/>')


NO_BORDERS = (
    "<w:tblBorders>"
    + "".join(
        f'<w:{side} w:val="nil"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    + "</w:tblBorders>"
)


def table(widths: list[int], rows: list[str], *, margin: int = 0) -> str:
    """A borderless, fixed-layout table ``sum(widths)`` wide."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'{NO_BORDERS}<w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{margin}" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def row(cells: list[str], *, height: int = 0, cant_split: bool = True) -> str:
    trpr = "<w:cantSplit/>" if cant_split else ""
    if height:
        trpr += f'<w:trHeight w:val="{height}" w:hRule="atLeast"/>'
    return f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>"


def cell(content: str, width: int | None = None, *, valign: str = "top") -> str:
    """A table cell; ``width=None`` leaves the width to the grid (cells repeated by {%tc %})."""
    tcw = f'<w:tcW w:w="{width}" w:type="dxa"/>' if width else ""
    return f'<w:tc><w:tcPr>{tcw}<w:vAlign w:val="{valign}"/></w:tcPr>{content}</w:tc>'


def signatures() -> str:
    """The signature blocks side by side: one column per signer (docxtpl ``{%tc %}`` loop).

    The three template columns (loop start, block, loop end) are equal so that docxtpl's
    column fix-up gives equal columns for any number of signers. Row 1 carries authority and
    title, row 2 the room for signature and seal and the name, bottom-aligned so names line up.
    Rows cannot split and row 1 keeps with row 2, so a block never breaks across pages.
    """
    col = TEXT_W // 3
    widths = [col, col, TEXT_W - 2 * col]
    heads = row(
        [
            cell(p("{%tc for s in v.signers %}", "KBC Signer")),
            cell(
                tag("{%p if s.authority %}")
                + p("{{ s.authority }}", "KBC Signer")
                + tag("{%p endif %}")
                + p("{{ s.title }}", "KBC Signer"),
                valign="bottom",
            ),
            cell(p("{%tc endfor %}", "KBC Signer")),
        ]
    )
    names = row(
        [
            cell(p("{%tc for s in v.signers %}", "KBC Signer Name")),
            cell(room_pictures() + p("{{ s.name }}", "KBC Signer Name"), valign="bottom"),
            cell(p("{%tc endfor %}", "KBC Signer Name")),
        ],
        height=SIGNATURE_ROOM,
    )
    return table(widths, [heads, names], margin=57)


def room_pictures() -> str:
    """The signer's seal and signature scans, if the content gives any, above the name."""
    return (
        tag("{%p if images[s.party] %}")
        + p("{{ images[s.party] }}", "KBC Signer Name")
        + tag("{%p endif %}")
    )


def recipients(*, level: bool = False) -> str:
    """ "Nơi nhận:" and its list, if the version has one; ``level``: no space above the label."""
    spacing = '<w:spacing w:before="0"/>' if level else ""
    return (
        tag("{%p if v.recipients %}")
        + p("{{ v.recipients_label }}", "KBC Recipients Label", spacing)
        + tag("{%p for r in v.recipients %}")
        + p("{{ r }}", "KBC Recipients")
        + tag("{%p endfor %}")
        + tag("{%p endif %}")
    )


def single_signer() -> str:
    """One signer: Decree 30's arrangement, "Nơi nhận" at left level with the signer's title.

    With two or more parties the joint-document practice is signatures side by side across
    the width (:func:`signatures`), so "Nơi nhận" goes under them instead: there is no free
    left half level with the titles, and squeezing the signers into the right half would break
    their long titles into many lines.
    """
    left_w = round(TEXT_W * 0.45)
    right_w = TEXT_W - left_w
    s = "v.signers[0]"
    left = recipients(level=True) + p("", "KBC Recipients")  # a cell must end with a paragraph
    right = (
        tag(f"{{%p if {s}.authority %}}")
        + p(f"{{{{ {s}.authority }}}}", "KBC Signer")
        + tag("{%p endif %}")
        + p(f"{{{{ {s}.title }}}}", "KBC Signer")
        + p(f"{{{{ {s}.name }}}}", "KBC Signer Name", f'<w:spacing w:before="{SIGNATURE_ROOM}"/>')
    )
    return table([left_w, right_w], [row([cell(left, left_w), cell(right, right_w)])], margin=57)


def signature_area() -> str:
    """The signature block(s) and "Nơi nhận" of a sequential version (see :func:`single_signer`)."""
    return (
        tag("{%p if v.signers | length == 1 %}")
        + single_signer()
        + tag("{%p else %}")
        + signatures()
        + recipients()
        + tag("{%p endif %}")
    )


def section_break() -> str:
    """Ends a version with a section break, except after the last version.

    Only the mark: the renderer puts the break into it (``kbc_docs.render.docx.sections``), so
    that an office suite re-saving the template cannot move the break onto a tag paragraph.
    """
    return tag("{%p if not loop.last %}") + p("", "KBC Section Break") + tag("{%p endif %}")


def decree30_header() -> str:
    """Vietnamese header: issuing bodies and number left, national title, motto, date right."""
    bodies = (
        tag("{%p for b in v.bodies %}")
        + tag("{%p if b.superior %}")
        + p("{{ b.superior }}", "KBC Issuer")
        + tag("{%p endif %}")
        + p("{{ b.body }}", "KBC Issuer Body")
        + rule(round(HEADER_LEFT_W * 0.35), HEADER_LEFT_W, after=60)
        + tag("{%p endfor %}")
    )
    right = (
        p("{{ v.national_title }}", "KBC National Title")
        + p("{{ v.motto }}", "KBC Motto")
        + rule(motto_width(), HEADER_RIGHT_W)
    )
    top = row([cell(bodies, HEADER_LEFT_W), cell(right, HEADER_RIGHT_W)])
    bottom = row(
        [
            cell(p('{{ v.number or "" }}', "KBC Number"), HEADER_LEFT_W),
            cell(p("{{ v.date_line }}", "KBC Date"), HEADER_RIGHT_W),
        ]
    )
    return table([HEADER_LEFT_W, HEADER_RIGHT_W], [top, bottom])


def centred_header(ornament: str) -> str:
    """Khmer and Lao header: centred national title, motto and ornament; bodies at left."""
    left = (
        tag("{%p for b in v.bodies %}")
        + tag("{%p if b.superior %}")
        + p("{{ b.superior }}", "KBC Issuer")
        + tag("{%p endif %}")
        + p("{{ b.body }}", "KBC Issuer Body")
        + tag("{%p endfor %}")
        + p('{{ v.number or "" }}', "KBC Number")
    )
    half = TEXT_W // 2
    return (
        p("{{ v.national_title }}", "KBC National Title")
        + p("{{ v.motto }}", "KBC Motto")
        + ornament
        + table([half, TEXT_W - half], [row([cell(left, half), cell(p("", "KBC Number"))])])
    )


def date_block() -> str:
    """Lunar (Khmer only) and solar date lines at the right, just above the signatures."""
    return (
        tag("{%p if v.lunar_date %}")
        + p("{{ v.lunar_date }}", "KBC Date Block")
        + tag("{%p endif %}")
        + p("{{ v.date_line }}", "KBC Date Block")
    )


def report_body(ornament: str) -> str:
    """The report: the parallel layout, or every language version complete in its own section."""
    return (
        tag('{%p if layout == "parallel" %}')
        + parallel_report(ornament)
        + tag("{%p else %}")
        + sequential_report(ornament)
        + tag("{%p endif %}")
        # Word wants a paragraph, not a table, to end the document.
        + p("", "KBC Section Break")
    )


def sequential_report(ornament: str) -> str:
    """Every language version complete, each in its own section."""
    return (
        tag("{%p for v in versions %}")
        + tag('{%p if layouts[v.lang] == "decree30" %}')
        + decree30_header()
        + tag("{%p else %}")
        + centred_header(ornament)
        + tag("{%p endif %}")
        + p("{{ v.kind }}", "KBC Kind")
        + p("{{ v.title }}", "KBC Title")
        + rule(round(TEXT_W * 0.3), TEXT_W, after=240)
        + tag("{%p for para in v.body %}")
        + tag('{%p if para.role == "h1" %}')
        + p("{{ para.text }}", "KBC Heading 1")
        + tag('{%p elif para.role == "h2" %}')
        + p("{{ para.text }}", "KBC Heading 2")
        + tag('{%p elif para.role == "item" %}')
        + p("{{ para.text }}", "KBC Item")
        + tag("{%p else %}")
        + p("{{ para.text }}", "KBC Body")
        + tag("{%p endif %}")
        + tag("{%p endfor %}")
        + p("{{ v.closing }}", "KBC Closing")
        + tag('{%p if layouts[v.lang] != "decree30" %}')
        + date_block()
        + tag("{%p endif %}")
        + signature_area()
        + section_break()
        + tag("{%p endfor %}")
    )


def signing_body() -> str:
    """The signing pages: one page per version with title, clause, date and signatures; or,
    for the parallel layout, one page with the languages in columns above one signing block."""
    return (
        tag('{%p if layout == "parallel" %}')
        + parallel_table(
            [
                per_version(parallel_titles()),
                per_version(p("{{ v.closing }}", "KBC Parallel Closing")),
            ]
        )
        + parallel_table([per_version(parallel_dates())], DATES_SHARE)
        + shared_signatures()
        + tag("{%p else %}")
        + tag("{%p for v in versions %}")
        + p("{{ v.kind }}", "KBC Kind")
        + p("{{ v.title }}", "KBC Title")
        + rule(round(TEXT_W * 0.3), TEXT_W, after=240)
        + p("{{ v.closing }}", "KBC Closing")
        + date_block()
        + signatures()
        + section_break()
        + tag("{%p endfor %}")
        + tag("{%p endif %}")
        + p("", "KBC Section Break")
    )


# ---------------------------------------------------------------- parallel layout


def parallel_table(rows: list[str], first_share: float = 0.5) -> str:
    """A two-column table for the parallel layout, one column per language version.

    The columns are made by docxtpl ``{%tc for %}`` loops over three template columns; docxtpl
    drops the third and shares its width between the two rendered ones, so the grid is chosen
    to come out at ``first_share`` of the width for the first column. The table is one gutter
    wider than the text area and its cells have half a gutter of margin on each side, so the
    text of the outer columns lines up with the page margins.
    """
    total = TEXT_W + PARALLEL_GUTTER
    spare = 200
    first = round(total * first_share) - spare // 2
    return table([first, total - first - spare, spare], rows, margin=PARALLEL_GUTTER // 2)


def per_version(content: str, *, cant_split: bool = True) -> str:
    """A table row with one cell per language version (``v``) holding ``content``."""
    return row(
        [
            cell(p("{%tc for v in versions %}", "KBC Tag")),
            cell(content),
            cell(p("{%tc endfor %}", "KBC Tag")),
        ],
        cant_split=cant_split,
    )


def parallel_column_width(first_share: float = 0.5) -> int:
    """Text width of the first column of :func:`parallel_table` (cell margins excluded)."""
    return round((TEXT_W + PARALLEL_GUTTER) * first_share) - PARALLEL_GUTTER


def parallel_titles() -> str:
    """Kind and title (trích yếu) of version ``v``, with the short rule under the title."""
    width = parallel_column_width()
    return (
        p("{{ v.kind }}", "KBC Kind", '<w:spacing w:before="280"/>')
        + p("{{ v.title }}", "KBC Parallel Title")
        + rule(round(width * 0.4), width, after=200)
    )


def parallel_dates() -> str:
    """Lunar (Khmer) and solar date lines of version ``v``, centred in its column."""
    return (
        tag("{%p if v.lunar_date %}")
        + p("{{ v.lunar_date }}", "KBC Date", '<w:spacing w:before="0"/>')
        + tag("{%p endif %}")
        + p("{{ v.date_line }}", "KBC Date", '<w:spacing w:before="0"/>')
    )


NATIONAL_SHARE = 0.57
"""Share of the first (Vietnamese) column in the header: the national title at 12 pt bold
needs 88 mm on one line and the date line at 14 pt italic 85 mm, more than half the width."""


DATES_SHARE = 0.55
"""Share of the first column for the signing page's date lines: the Vietnamese one at 14 pt
italic needs 80 mm, the Khmer solar one 66 mm (the lunar one, 99 mm, takes two lines)."""


def parallel_header(ornament: str) -> str:
    """National titles and mottos side by side; then issuing bodies, numbers and dates."""
    national_w = parallel_column_width(NATIONAL_SHARE)
    body_w = parallel_column_width(1 - NATIONAL_SHARE)  # the narrower column: same rule in both
    national = per_version(
        p("{{ v.national_title }}", "KBC Parallel National Title")
        + p("{{ v.motto }}", "KBC Parallel Motto")
        + tag('{%p if layouts[v.lang] == "decree30" %}')
        + rule(motto_width(13), national_w)
        + tag("{%p else %}")
        + ornament
        + tag("{%p endif %}")
    )
    bodies = per_version(
        tag("{%p for b in v.bodies %}")
        + tag("{%p if b.superior %}")
        + p("{{ b.superior }}", "KBC Issuer")
        + tag("{%p endif %}")
        + p("{{ b.body }}", "KBC Issuer Body")
        + tag('{%p if layouts[v.lang] == "decree30" %}')
        + rule(round(body_w * 0.35), body_w, after=60)
        + tag("{%p endif %}")
        + tag("{%p endfor %}")
        + p('{{ v.number or "" }}', "KBC Number")
    )
    return parallel_table([national, bodies, per_version(parallel_dates())], NATIONAL_SHARE)


def parallel_body() -> str:
    """One table row per paragraph, the same paragraph in every language (``rows``).

    A paragraph and its translation start level because they share a row. The rows may
    split across pages: Khmer lines are much taller than Vietnamese ones in Word and
    LibreOffice, and unsplittable rows left a third of many pages empty (the first page held
    only the header). Heading paragraphs keep with the next row.
    """
    return (
        row([cell(p("{%tr for r in rows %}", "KBC Tag"))])
        + row(
            [
                cell(p("{%tc for c in r.cells %}", "KBC Tag")),
                cell(
                    tag('{%p if r.role == "h1" %}')
                    + p("{{ c.text }}", "KBC Parallel Heading 1")
                    + tag('{%p elif r.role == "h2" %}')
                    + p("{{ c.text }}", "KBC Parallel Heading 2")
                    + tag('{%p elif r.role == "item" %}')
                    + p("{{ c.text }}", "KBC Parallel Item")
                    + tag("{%p else %}")
                    + p("{{ c.text }}", "KBC Parallel Body")
                    + tag("{%p endif %}")
                ),
                cell(p("{%tc endfor %}", "KBC Tag")),
            ],
            cant_split=False,
        )
        + row([cell(p("{%tr endfor %}", "KBC Tag"))])
    )


def shared_signatures() -> str:
    """The one signing block of a parallel document: a column per party, every language.

    Like :func:`signatures`, but each block stacks the authority lines and titles in every
    language above the room for the signature and seal, and the names in every language under
    it (``shared_signers``).
    """
    col = TEXT_W // 3
    widths = [col, col, TEXT_W - 2 * col]
    heads = row(
        [
            cell(p("{%tc for s in shared_signers %}", "KBC Signer")),
            cell(
                tag("{%p for t in s.texts %}")
                + tag("{%p if t.authority %}")
                + p("{{ t.authority }}", "KBC Signer")
                + tag("{%p endif %}")
                + p("{{ t.title }}", "KBC Signer")
                + tag("{%p endfor %}"),
                valign="bottom",
            ),
            cell(p("{%tc endfor %}", "KBC Signer")),
        ]
    )
    names = row(
        [
            cell(p("{%tc for s in shared_signers %}", "KBC Signer Name")),
            cell(
                room_pictures()
                + tag("{%p for t in s.texts if t.name %}")
                + p("{{ t.name }}", "KBC Signer Name")
                + tag("{%p endfor %}"),
                valign="bottom",
            ),
            cell(p("{%tc endfor %}", "KBC Signer Name")),
        ],
        height=SIGNATURE_ROOM + round(8 * MM),
    )
    return table(widths, [heads, names], margin=57)


def parallel_report(ornament: str) -> str:
    """The parallel report: one section, the languages side by side, one signing block."""
    return (
        parallel_header(ornament)
        + parallel_table(
            [
                per_version(parallel_titles()),
                parallel_body(),
                per_version(p("{{ v.closing }}", "KBC Parallel Closing")),
            ]
        )
        + shared_signatures()
        # "Nơi nhận" under the signatures in its language's column (see single_signer()).
        + parallel_table([per_version(recipients() + p("", "KBC Recipients"))])
    )


# ---------------------------------------------------------------- measurements and images


def motto_width(size: float = 14) -> int:
    """Width in twips of the Vietnamese motto at ``size`` pt bold: its rule is as long."""
    motto = "Độc lập - Tự do - Hạnh phúc"
    locale = TEMPLATES / "locale" / "vi.yaml"
    if locale.is_file():
        motto = yaml.safe_load(locale.read_text(encoding="utf-8")).get("motto", motto)
    try:
        from fontTools.ttLib import TTFont

        font = TTFont(TINOS_BOLD)
        cmap, hmtx = font.getBestCmap(), font["hmtx"]
        units = sum(hmtx[cmap[ord(c)]][0] for c in motto)
        return round(units / font["head"].unitsPerEm * size * 20)
    except (ImportError, OSError, KeyError):
        return round(MOTTO_FALLBACK_MM * MM * size / 14)


def ornament_png() -> bytes:
    """The flourish under the Khmer/Lao motto (the same drawing as the PDF template's SVG)."""
    from PIL import Image, ImageDraw

    scale = 10
    img = Image.new("LA", (160 * scale, 16 * scale), (0, 0))
    draw = ImageDraw.Draw(img)
    ink = (0, 255)

    def pt(x: float, y: float) -> tuple[float, float]:
        return (x * scale, y * scale)

    def bezier(p0, p1, p2, p3, n=40):  # type: ignore[no-untyped-def]
        out = []
        for i in range(n + 1):
            t = i / n
            out.append(
                tuple(
                    (1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t**2 * c + t**3 * d
                    for a, b, c, d in zip(p0, p1, p2, p3, strict=True)
                )
            )
        return out

    width = round(0.9 * scale)
    draw.line([pt(4, 8), pt(60, 8)], fill=ink, width=width)
    draw.line([pt(100, 8), pt(156, 8)], fill=ink, width=width)
    for sign in (1, -1):
        x0 = 60 if sign == 1 else 100
        upper = bezier((x0, 8), (x0 + 4 * sign, 3), (x0 + 8 * sign, 3), (x0 + 10 * sign, 8))
        lower = bezier((x0 + 10 * sign, 8), (x0 + 8 * sign, 13), (x0 + 4 * sign, 13), (x0, 8))
        draw.polygon([pt(x, y) for x, y in upper + lower], fill=ink)
    draw.polygon([pt(80, 2), pt(86, 8), pt(80, 14), pt(74, 8)], fill=ink)
    for cx in (4, 156):
        draw.ellipse([pt(cx - 1.6, 6.4), pt(cx + 1.6, 9.6)], fill=ink)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


# ---------------------------------------------------------------- document assembly


def setup_section(doc: DocxDocument, *, page_numbers: bool) -> None:
    """Geometry of the (only) section, which the renderer repeats for every version."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = section.footer_distance = Mm(10)
    section.gutter = 0
    sect = section._sectPr
    if page_numbers:
        section.different_first_page_header_footer = True  # no number on a version's page 1
        header = section.header
        header.is_linked_to_previous = False
        para = header.paragraphs[0]
        para.style = doc.styles["KBC Page Number"]
        for fld in (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
            '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
            "<w:r><w:t>2</w:t></w:r>",
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        ):
            para._p.append(parse_xml(fld.replace("<w:r>", f"<w:r {nsdecls('w')}>", 1)))
        first = section.first_page_header
        first.is_linked_to_previous = False
        first.paragraphs[0].style = doc.styles["KBC Page Number"]
    # Numbering restarts at 1 in every version (one section per version).
    for old in sect.findall(qn("w:pgNumType")):
        sect.remove(old)
    num = parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="1"/>')
    cols = sect.find(qn("w:cols"))
    if cols is not None:
        cols.addprevious(num)
    else:
        sect.append(num)


def slim(doc: DocxDocument) -> None:
    """Drop what python-docx's default template carries but these templates do not need.

    A thumbnail of some other document, the Word 2010 ``stylesWithEffects`` copy of the styles,
    and a hundred table styles (300 KB that every render would parse and copy).
    """
    for rels in (doc.part.package.rels, doc.part.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith(("/thumbnail", "/stylesWithEffects")):
                del rels[rid]
    styles = doc.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) != "TableNormal":
            styles.remove(style)


def build(kind: str) -> bytes:
    """Build one template (``report`` or ``signing``) and return its bytes."""
    doc = Document()
    set_defaults(doc)
    add_styles(doc)
    setup_section(doc, page_numbers=kind == "report")
    if kind == "report":
        pic = doc.part.new_pic_inline(io.BytesIO(ornament_png()), Mm(40), Mm(4))
        ornament = (
            f'<w:p><w:pPr><w:pStyle w:val="{style_id("KBC Ornament")}"/></w:pPr>'
            f"<w:r><w:drawing>{etree.tostring(pic, encoding='unicode')}</w:drawing></w:r></w:p>"
        )
        xml = report_body(ornament)
    else:
        xml = signing_body()
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    wrapper = parse_xml(f"<w:body {nsdecls('w', 'r', 'wp', 'a', 'pic')}>{xml}</w:body>")
    final = body.find(qn("w:sectPr"))
    for child in list(wrapper):
        final.addprevious(child)
    slim(doc)
    props = doc.core_properties
    props.title = "Báo cáo" if kind == "report" else "Trang ký"
    props.author = props.last_modified_by = "kbc-docs"
    props.comments = ""
    props.created = props.modified = FIXED_DATE
    props.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return fixed_zip(out.getvalue())


def fixed_zip(data: bytes) -> bytes:
    """Re-zip with fixed entry times, so that rebuilding a template gives the same bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        parts = {info.filename: zin.read(info) for info in zin.infolist()}
    return write_package(parts, FIXED_DATE.timetuple()[:6])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="overwrite existing templates")
    parser.add_argument("--out", type=Path, default=TEMPLATES, help="folder (default: templates)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    status = 0
    for kind in ("report", "signing"):
        target = args.out / f"{kind}.docx"
        if target.exists() and not args.force:
            print(f"{target} exists: not overwritten (use --force; Word edits would be lost)")
            status = 1
            continue
        target.write_bytes(build(kind))
        print(f"wrote {target}")
    return status


if __name__ == "__main__":
    sys.exit(main())
