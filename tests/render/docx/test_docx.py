"""Tests of the DOCX renderer on the real templates in ``templates/``.

They check the generated files themselves (with python-docx and lxml), not the renderer's
intentions: the text and its order, the page geometry of every section, the styles, the page
number field, the Khmer/Lao complex-script fonts, reproducibility, and that LibreOffice opens
the result.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from kbc_docs.errors import RenderError, TemplateError
from kbc_docs.render.docx.ooxml import W
from kbc_docs.render.docx.render import render_docx
from kbc_docs.text.segment import WJ, ZWSP, unsegment
from kbc_docs.view import DocumentView, FontStack, HeaderBody, Para, SignerBlock, Version
from lxml import etree
from support.libreoffice import to_pdf
from support.sample_view import sample_view

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = ROOT / "toolkit/kbc_docs/data/templates"
NS = {"w": W}
KHMER = re.compile("[\u1780-\u17ff\u19e0-\u19ff]")
LAO = re.compile("[\u0e80-\u0eff]")
DOCUMENTS = ("report", "signing")


# ---------------------------------------------------------------- fixtures and helpers


def lao_view() -> DocumentView:
    """The sample with a Lao version instead of the Khmer one (heading face = body face)."""
    base = sample_view()
    vi, km = base.versions
    lo = dataclasses.replace(
        km,
        lang="lo",
        national_title="ສາທາລະນະລັດ ປະຊາທິປະໄຕ ປະຊາຊົນລາວ",
        motto="ສັນຕິພາບ ເອກະລາດ ປະຊາທິປະໄຕ ເອກະພາບ ວັດທະນະຖາວອນ",
        bodies=[HeaderBody(None, "ແນວລາວສ້າງຊາດ ແຂວງອັດຕະປື")],
        number="ເລກທີ 12/ນລຊ",
        lunar_date=None,
        date_line="ອັດຕະປື, ວັນທີ 16/11/2023",
        kind="ບົດລາຍງານ",
        title="ສະຫຼຸບ​ການ​ຈັດ​ຕັ້ງ​ປະ​ຕິ​ບັດ",
        body=[Para("h1", "I. ສະພາບ​ທົ່ວ​ໄປ"), Para("body", "ແນວລາວສ້າງຊາດ​ແຂວງ​ອັດຕະປື " * 10)],
        closing="ບົດລາຍງານ​ນີ້​ເຮັດ​ເປັນ 02 ສະບັບ.",
        signers=[
            SignerBlock("la", "", "ປະທານ", "ສົມພອນ"),
            SignerBlock("vn", "", "ປະທານ", "ເລທິເວ"),
        ],
    )
    fonts = dict(base.fonts)
    fonts["lo"] = FontStack("Phetsarath OT", "Phetsarath OT", ["Tinos"], ["Tinos"], ["fonts-lao"])
    return dataclasses.replace(base, languages=["vi", "lo"], versions=[vi, lo], fonts=fonts)


@pytest.fixture(scope="module")
def view() -> DocumentView:
    return sample_view()


@pytest.fixture(scope="module")
def rendered(view: DocumentView) -> dict[str, bytes]:
    return {name: render_docx(view, TEMPLATES / f"{name}.docx") for name in DOCUMENTS}


@pytest.fixture(scope="module")
def report(rendered: dict[str, bytes]) -> docx.document.Document:
    return docx.Document(io.BytesIO(rendered["report"]))


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def body_xml(data: bytes) -> etree._Element:
    return etree.fromstring(parts(data)["word/document.xml"])


def paragraph_texts(root: etree._Element) -> list[str]:
    """Text of every paragraph in document order (table cells row by row, left to right)."""
    return [
        unsegment("".join(t.text or "" for t in p.iter(f"{{{W}}}t")))
        for p in root.iter(f"{{{W}}}p")
    ]


def reading_order(version: Version, document: str, layout: str) -> list[str]:
    """The view's strings of one version in the order the template places them.

    Side-by-side blocks are tables, read row by row: in the Decree 30 header the issuing bodies
    (left) come before the national title (right); signature blocks give every authority and
    title first, then every name.
    """
    bodies = [s for b in version.bodies for s in (b.superior, b.body) if s]
    signers = [s for b in version.signers for s in (b.authority, b.title) if s]
    signers += [b.name for b in version.signers]
    dates = [s for s in (version.lunar_date, version.date_line) if s]
    if document == "signing":
        return [version.kind, version.title, version.closing, *dates, *signers]
    if layout == "decree30":
        head = [*bodies, version.national_title, version.motto, version.number or "", *dates]
        dates = []
    else:
        head = [version.national_title, version.motto, *bodies, version.number or ""]
    recipients = [version.recipients_label, *version.recipients] if version.recipients else []
    body = [p.text for p in version.body]
    return [
        *head,
        version.kind,
        version.title,
        *body,
        version.closing,
        *dates,
        *signers,
        *recipients,
    ]


def layout_of(version: Version) -> str:
    return "decree30" if version.lang == "vi" else "centred"


def assert_in_order(texts: list[str], expected: list[str]) -> None:
    document = "\n".join(texts)
    at = 0
    for s in expected:
        s = unsegment(s)
        if not s:
            continue
        found = document.find(s, at)
        assert found >= 0, f"{s!r} missing or out of order after {document[max(0, at - 80) : at]!r}"
        at = found + len(s)


def style(document: docx.document.Document, name: str) -> docx.styles.style.ParagraphStyle:
    return document.styles[name]


def effective(document: docx.document.Document, name: str, attribute: str):  # type: ignore[no-untyped-def]
    """A font or paragraph-format attribute of a style, following ``basedOn``."""
    s = style(document, name)
    while s is not None:
        holder = s.font if hasattr(s.font, attribute) else s.paragraph_format
        value = getattr(holder, attribute)
        if value is not None:
            return value
        s = s.base_style
    return None


# ---------------------------------------------------------------- text


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_string_in_reading_order(
    rendered: dict[str, bytes], view: DocumentView, document: str
) -> None:
    texts = paragraph_texts(body_xml(rendered[document]))
    expected = [s for v in view.versions for s in reading_order(v, document, layout_of(v))]
    assert_in_order(texts, expected)


def test_report_holds_every_string_of_the_view(
    rendered: dict[str, bytes], view: DocumentView
) -> None:
    """Everything but the "Nơi nhận:" label of a version without recipients (no empty block)."""
    text = "\n".join(paragraph_texts(body_xml(rendered["report"])))
    omitted = {v.recipients_label for v in view.versions if not v.recipients}
    omitted -= {v.recipients_label for v in view.versions if v.recipients}
    missing = [s for s in view.texts() if unsegment(s) not in text and s not in omitted]
    assert missing == []
    assert omitted == {"កន្លែងទទួល៖"}


def test_strings_are_verbatim_with_their_break_opportunities(rendered: dict[str, bytes]) -> None:
    """U+200B in Khmer text reaches the DOCX (LibreOffice and Word break lines there), and
    word joiners keep their own dictionaries from breaking anywhere else."""
    xml = parts(rendered["report"])["word/document.xml"].decode()
    km_long = sample_view().versions[1].body[2].text
    assert ZWSP in km_long
    assert km_long in xml.replace(WJ, "")
    assert km_long not in xml and WJ in xml


def test_markup_and_template_code_in_text_print_literally(rendered: dict[str, bytes]) -> None:
    texts = paragraph_texts(body_xml(rendered["report"]))
    assert "Việt Nam – Campuchia là hai nước láng giềng <b>&amp; {{ 7*7 }}." in texts
    assert not any("49" in t for t in texts)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_no_template_tags_left(rendered: dict[str, bytes], document: str) -> None:
    literal = "{{ 7*7 }}"  # the sample's own text, which must print as is
    for name, blob in parts(rendered[document]).items():
        if not name.endswith((".xml", ".rels")):
            continue
        text = blob.decode().replace(literal, "")
        for marker in ("{{", "{%", "}}", "%}", "{#", "#}"):
            assert marker not in text, f"{marker} in {name}"
        assert "\ufdd0" not in text and "\ufdd1" not in text, name


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_part_is_strict_xml_and_python_docx_reads_it(
    rendered: dict[str, bytes], document: str
) -> None:
    for name, blob in parts(rendered[document]).items():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(blob, etree.XMLParser(recover=False))
    docx.Document(io.BytesIO(rendered[document]))


# ---------------------------------------------------------------- page geometry, page numbers


@pytest.mark.parametrize("document", DOCUMENTS)
def test_one_a4_section_per_version(
    rendered: dict[str, bytes], view: DocumentView, document: str
) -> None:
    d = docx.Document(io.BytesIO(rendered[document]))
    assert len(d.sections) == len(view.versions)
    for section in d.sections:
        assert abs(section.page_width - Mm(210)) < Mm(0.5)
        assert abs(section.page_height - Mm(297)) < Mm(0.5)
        assert abs(section.top_margin - Mm(20)) < Mm(0.5)
        assert abs(section.bottom_margin - Mm(20)) < Mm(0.5)
        assert abs(section.left_margin - Mm(30)) < Mm(0.5)
        assert abs(section.right_margin - Mm(15)) < Mm(0.5)
        assert section.orientation == docx.enum.section.WD_ORIENT.PORTRAIT


def test_page_numbers_restart_in_every_version_and_skip_its_first_page(
    report: docx.document.Document,
) -> None:
    for section in report.sections:
        sect = section._sectPr
        assert section.different_first_page_header_footer  # w:titlePg
        num = sect.find(qn("w:pgNumType"))
        assert num is not None and num.get(qn("w:start")) == "1"
        header = section.header._element
        instr = " ".join(t.text for t in header.iter(qn("w:instrText")))
        simple = [f.get(qn("w:instr")) for f in header.iter(qn("w:fldSimple"))]
        assert "PAGE" in instr or any("PAGE" in s for s in simple)
        first = section.first_page_header._element
        assert not list(first.iter(qn("w:instrText"))) and not list(first.iter(qn("w:fldSimple")))
        para = section.header.paragraphs[0]
        assert para.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER or (
            effective(report, para.style.name, "alignment")
            == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
        )
        assert effective(report, para.style.name, "size") == Pt(13)


# ---------------------------------------------------------------- styles


def test_document_defaults_are_times_new_roman(report: docx.document.Document) -> None:
    fonts = report.styles.element.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert fonts.get(qn("w:ascii")) == "Times New Roman"
    assert fonts.get(qn("w:hAnsi")) == "Times New Roman"


def test_body_style(report: docx.document.Document) -> None:
    for name in ("KBC Body", "KBC Item"):
        assert effective(report, name, "size") == Pt(14)
        assert effective(report, name, "alignment") == docx.enum.text.WD_ALIGN_PARAGRAPH.JUSTIFY
        assert abs(effective(report, name, "first_line_indent") - Cm(1.27)) < Cm(0.01)
        assert effective(report, name, "space_after") >= Pt(6)
        assert 1.0 <= effective(report, name, "line_spacing") <= 1.5
        assert effective(report, name, "name") in (None, "Times New Roman")


@pytest.mark.parametrize(
    ("name", "size", "bold", "italic"),
    [
        ("KBC Heading 1", 14, True, None),
        ("KBC Heading 2", 14, True, None),
        ("KBC National Title", 13, True, None),
        ("KBC Motto", 14, True, None),
        ("KBC Issuer", 13, None, None),
        ("KBC Issuer Body", 13, True, None),
        ("KBC Number", 13, None, None),
        ("KBC Date", 14, None, True),
        ("KBC Kind", 14, True, None),
        ("KBC Title", 14, True, None),
        ("KBC Signer", 14, True, None),
        ("KBC Signer Name", 14, True, None),
        ("KBC Recipients Label", 12, True, True),
        ("KBC Recipients", 11, None, None),
    ],
)
def test_decree_30_styles(
    report: docx.document.Document, name: str, size: int, bold: bool | None, italic: bool | None
) -> None:
    assert effective(report, name, "size") == Pt(size)
    assert effective(report, name, "bold") == bold
    assert effective(report, name, "italic") == italic


def test_body_paragraphs_use_the_style_of_their_role(
    rendered: dict[str, bytes], view: DocumentView
) -> None:
    styles = {"h1": "KBCHeading1", "h2": "KBCHeading2", "body": "KBCBody", "item": "KBCItem"}
    by_text = {}
    for p in body_xml(rendered["report"]).iter(f"{{{W}}}p"):
        text = "".join(t.text or "" for t in p.iter(f"{{{W}}}t")).replace(WJ, "")
        ps = p.find("w:pPr/w:pStyle", NS)
        by_text[text] = ps.get(f"{{{W}}}val") if ps is not None else None
    for version in view.versions:
        for para in version.body:
            assert by_text[para.text] == styles[para.role], para.text


def test_motto_has_a_rule_as_wide_as_itself(rendered: dict[str, bytes]) -> None:
    """The Decree 30 motto is followed by a bordered paragraph indented to the motto's width."""
    root = body_xml(rendered["report"])
    motto = next(
        p
        for p in root.iter(f"{{{W}}}p")
        if "Độc lập - Tự do - Hạnh phúc" in "".join(t.text or "" for t in p.iter(f"{{{W}}}t"))
    )
    rule = motto.getnext()
    assert rule.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") == "KBCRule"
    ind = rule.find("w:pPr/w:ind", NS)
    cell_width = int(motto.getparent().find("w:tcPr/w:tcW", NS).get(f"{{{W}}}w"))
    width_mm = (cell_width - 2 * int(ind.get(f"{{{W}}}left"))) / 56.69
    assert 57 <= width_mm <= 64  # the motto is ≈ 60.5 mm at 14 pt bold


@pytest.mark.parametrize(
    ("document", "count"),
    # A single signer in the report has Decree 30's own arrangement (next test).
    [(d, n) for d in DOCUMENTS for n in (1, 2, 3, 4) if (d, n) != ("report", 1)],
)
def test_signature_blocks_side_by_side_for_any_number_of_parties(
    view: DocumentView, document: str, count: int
) -> None:
    """One equal column per signer; rows never split, so a block never breaks across pages."""
    signers = [
        SignerBlock(f"p{i}", f"TM. BAN {i}", f"CHỦ TỊCH {i}", f"Người {i}") for i in range(4)
    ]
    versions = [dataclasses.replace(v, signers=signers[:count]) for v in view.versions]
    data = render_docx(dataclasses.replace(view, versions=versions), TEMPLATES / f"{document}.docx")
    root = body_xml(data)
    tables = [t for t in root.iter(f"{{{W}}}tbl") if "Người 0" in "".join(t.itertext())]
    assert len(tables) == len(view.versions)
    for table in tables:
        grid = [int(c.get(f"{{{W}}}w")) for c in table.iterfind("w:tblGrid/w:gridCol", NS)]
        assert len(grid) == count
        assert max(grid) - min(grid) <= 2
        assert abs(sum(grid) - int(Mm(165) / 635)) <= 5  # the text width, in twips
        for tr in table.iterfind("w:tr", NS):
            assert len(tr.findall("w:tc", NS)) == count
            assert tr.find("w:trPr/w:cantSplit", NS) is not None
            for tc in tr.iterfind("w:tc", NS):
                assert etree.QName(tc[-1]).localname == "p"  # Word requires it
        texts = paragraph_texts(table)
        assert_in_order(
            texts, [s.title for s in signers[:count]] + [s.name for s in signers[:count]]
        )


def test_single_signer_sits_right_with_recipients_level_left(view: DocumentView) -> None:
    """Decree 30: "Nơi nhận:" flush left, level with the signer's title; signature at right."""
    signer = SignerBlock("p0", "TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "Người Ký")
    versions = [dataclasses.replace(v, signers=[signer]) for v in view.versions]
    data = render_docx(dataclasses.replace(view, versions=versions), TEMPLATES / "report.docx")
    root = body_xml(data)
    tables = [t for t in root.iter(f"{{{W}}}tbl") if "Người Ký" in "".join(t.itertext())]
    assert len(tables) == len(view.versions)
    for table, version in zip(tables, versions, strict=True):
        (tr,) = table.findall("w:tr", NS)
        left, right = tr.findall("w:tc", NS)
        left_texts, right_texts = paragraph_texts(left), paragraph_texts(right)
        assert right_texts[:3] == [signer.authority, signer.title, signer.name]
        if version.recipients:
            # The label opens the left cell as the authority line opens the right one: level.
            assert left_texts[: 1 + len(version.recipients)] == [
                version.recipients_label,
                *version.recipients,
            ]
            label = left.find("w:p", NS)
            assert label.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") == "KBCRecipientsLabel"
            assert label.find("w:pPr/w:spacing", NS).get(f"{{{W}}}before") == "0"
        else:
            assert not "".join(left_texts)
        grid = [int(c.get(f"{{{W}}}w")) for c in table.iterfind("w:tblGrid/w:gridCol", NS)]
        assert grid[1] > grid[0]  # the signature in the (wider) right part
    assert "Nơi nhận:" not in "".join(paragraph_texts(root)).replace(
        "".join(paragraph_texts(tables[0])), ""
    )


# ---------------------------------------------------------------- Khmer and Lao


def script_runs(data: bytes, script: re.Pattern[str]) -> list[tuple[str, etree._Element]]:
    root = body_xml(data)
    out = []
    for run in root.iter(f"{{{W}}}r"):
        text = "".join(t.text or "" for t in run.iter(f"{{{W}}}t"))
        if script.search(text):
            p = next(run.iterancestors(f"{{{W}}}p"))
            ps = p.find("w:pPr/w:pStyle", NS)
            out.append((ps.get(f"{{{W}}}val") if ps is not None else "", run))
    return out


HEADING_STYLES = {
    "KBCHeading1", "KBCHeading2", "KBCNationalTitle", "KBCMotto", "KBCKind", "KBCTitle",
    "KBCSigner", "KBCSignerName", "KBCIssuerBody", "KBCRecipientsLabel",
}  # fmt: skip


@pytest.mark.parametrize("document", DOCUMENTS)
def test_khmer_runs_carry_complex_script_font_and_size(
    rendered: dict[str, bytes], document: str
) -> None:
    runs = script_runs(rendered[document], KHMER)
    assert runs
    for style_id, run in runs:
        rpr = run.find("w:rPr", NS)
        cs = rpr.find("w:rFonts", NS).get(f"{{{W}}}cs")
        want = "Khmer OS Muol Light" if style_id in HEADING_STYLES else "Khmer OS Siemreap"
        assert cs == want, (style_id, cs)
        size = int(rpr.find("w:szCs", NS).get(f"{{{W}}}val"))
        assert 20 <= size <= 26, (style_id, size)  # 10–13 pt: Khmer at 14 pt is far too big
        assert rpr.find("w:lang", NS).get(f"{{{W}}}bidi") == "km-KH"
        # Muol Light has no bold face: no fake bold over it.
        bcs = rpr.find("w:bCs", NS)
        assert bcs is None or bcs.get(f"{{{W}}}val") == "0"
        italic = rpr.find("w:i", NS)
        if style_id == "KBCDateBlock":  # italic in Vietnamese, upright in Khmer
            assert italic is not None and italic.get(f"{{{W}}}val") == "0"
        children = [etree.QName(c).localname for c in rpr]
        assert children == sorted(children, key=ORDER.index), children


ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "color", "sz", "szCs", "lang"]


def test_justified_khmer_paragraphs_are_distributed(rendered: dict[str, bytes]) -> None:
    """Khmer body text: "Thai distributed" (LibreOffice tears Khmer clusters when justifying)."""
    root = body_xml(rendered["report"])
    for p in root.iter(f"{{{W}}}p"):
        text = "".join(t.text or "" for t in p.iter(f"{{{W}}}t")).replace(WJ, "")
        ps = p.find("w:pPr/w:pStyle", NS)
        style_id = ps.get(f"{{{W}}}val") if ps is not None else ""
        jc = p.find("w:pPr/w:jc", NS)
        if style_id in ("KBCBody", "KBCItem", "KBCHeading1", "KBCClosing") and KHMER.search(text):
            assert jc is not None and jc.get(f"{{{W}}}val") == "thaiDistribute", text[:30]
        elif not KHMER.search(text):
            assert jc is None or jc.get(f"{{{W}}}val") != "thaiDistribute"
        if style_id in ("KBCSigner", "KBCKind", "KBCDateBlock"):
            assert jc is None  # centred by its style, left alone


def test_khmer_body_text_is_12_pt(rendered: dict[str, bytes]) -> None:
    sizes = {
        run.find("w:rPr/w:szCs", NS).get(f"{{{W}}}val")
        for style_id, run in script_runs(rendered["report"], KHMER)
        if style_id == "KBCBody"
    }
    assert sizes == {"24"}


def test_latin_runs_keep_times_new_roman(rendered: dict[str, bytes]) -> None:
    root = body_xml(rendered["report"])
    for run in root.iter(f"{{{W}}}r"):
        fonts = run.find("w:rPr/w:rFonts", NS)
        if fonts is not None:
            assert fonts.get(f"{{{W}}}ascii") in (None, "Times New Roman")


def test_lao_runs_get_phetsarath_and_bold_where_bold() -> None:
    data = render_docx(lao_view(), TEMPLATES / "report.docx")
    runs = script_runs(data, LAO)
    assert runs
    for style_id, run in runs:
        rpr = run.find("w:rPr", NS)
        assert rpr.find("w:rFonts", NS).get(f"{{{W}}}cs") == "Phetsarath OT"
        assert rpr.find("w:lang", NS).get(f"{{{W}}}bidi") == "lo-LA"
        assert rpr.find("w:szCs", NS) is not None
        bcs = rpr.find("w:bCs", NS)
        if style_id in ("KBCHeading1", "KBCKind", "KBCSigner"):
            assert bcs is not None and bcs.get(f"{{{W}}}val") in (None, "1", "true")
        if style_id == "KBCBody":
            assert bcs is None


# ---------------------------------------------------------------- reproducibility


@pytest.mark.parametrize("document", DOCUMENTS)
def test_same_view_gives_identical_bytes(
    rendered: dict[str, bytes], view: DocumentView, document: str
) -> None:
    again = render_docx(sample_view(), TEMPLATES / f"{document}.docx")
    assert again == rendered[document]


def test_metadata_and_zip_times_come_from_when(view: DocumentView) -> None:
    when = dt.datetime(2023, 11, 16, tzinfo=dt.UTC)
    data = render_docx(view, TEMPLATES / "report.docx", when)
    assert data == render_docx(view, TEMPLATES / "report.docx", when)
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.created == props.modified == when
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 16, 0, 0, 0)}


# ---------------------------------------------------------------- failures are loud


def make_template(tmp_path: Path, text: str) -> Path:
    d = docx.Document()
    d.add_paragraph(text)
    path = tmp_path / "t.docx"
    d.save(path)
    return path


def test_leftover_tag_is_a_render_error(tmp_path: Path, view: DocumentView) -> None:
    # docxtpl turns "{_{" into "{{" after rendering: a tag that survives into the output.
    with pytest.raises(RenderError, match=r"template tag '\{\{' is left unfilled.*\{\{ slug \}\}"):
        render_docx(view, make_template(tmp_path, "{_{ slug }_}"))


def test_unknown_field_is_a_template_error(tmp_path: Path, view: DocumentView) -> None:
    with pytest.raises(TemplateError, match="no_such_field"):
        render_docx(view, make_template(tmp_path, "{{ versions[0].no_such_field }}"))


def test_broken_xml_is_a_render_error_not_silently_dropped(
    tmp_path: Path, view: DocumentView
) -> None:
    with pytest.raises(RenderError, match="invalid XML"):
        render_docx(view, make_template(tmp_path, '{{ "</w:t></w:r></w:p><w:p>" | safe }}'))


def test_sandbox_blocks_python_internals(tmp_path: Path, view: DocumentView) -> None:
    with pytest.raises(TemplateError):
        render_docx(view, make_template(tmp_path, "{{ slug.__class__.__mro__ }}"))


def test_missing_template(tmp_path: Path, view: DocumentView) -> None:
    with pytest.raises(TemplateError, match="no such template"):
        render_docx(view, tmp_path / "nope.docx")


def test_template_that_is_not_a_word_file(tmp_path: Path, view: DocumentView) -> None:
    (tmp_path / "x.docx").write_text("not a zip")
    with pytest.raises(TemplateError, match="not a Word document"):
        render_docx(view, tmp_path / "x.docx")


# ---------------------------------------------------------------- the template script


def test_template_script_never_overwrites_without_force(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_docx_templates", ROOT / "scripts" / "make_docx_templates.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--out", str(tmp_path)]) == 0
    (tmp_path / "report.docx").write_bytes(b"edited in Word")
    assert module.main(["--out", str(tmp_path)]) == 1
    assert (tmp_path / "report.docx").read_bytes() == b"edited in Word"
    assert module.main(["--out", str(tmp_path), "--force"]) == 0
    docx.Document(tmp_path / "report.docx")


# ---------------------------------------------------------------- LibreOffice, a real client


@pytest.fixture(scope="module")
def pdfs(rendered: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("lo")
    for name, data in rendered.items():
        (folder / f"{name}.docx").write_bytes(data)
    pdfs = to_pdf([folder / f"{name}.docx" for name in rendered], folder)
    return dict(zip(rendered, pdfs, strict=True))


def pdf_pages(path: Path) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def test_libreoffice_opens_and_converts(pdfs: dict[str, Path], view: DocumentView) -> None:
    for name, path in pdfs.items():
        pages = pdf_pages(path)
        assert len(pages) >= len(view.versions), name


def test_libreoffice_page_numbers(pdfs: dict[str, Path], view: DocumentView) -> None:
    """No number on a version's first page; the next page of a version is numbered 2."""
    pages = pdf_pages(pdfs["report"])
    firsts = [i for i, page in enumerate(pages) if view.versions[0].national_title in page]
    firsts += [
        i
        for i, page in enumerate(pages)
        if view.versions[1].national_title.replace(ZWSP, "") in page.replace(ZWSP, "")
    ]
    assert len(firsts) == len(view.versions)
    for i, page in enumerate(pages):
        first_line = page.strip().splitlines()[0].strip()
        if i in firsts:
            assert not first_line.isdigit(), (i, first_line)
        else:
            version_start = max(f for f in firsts if f < i)
            assert first_line == str(i - version_start + 1), (i, first_line)


def test_libreoffice_draws_khmer_with_the_khmer_fonts(pdfs: dict[str, Path]) -> None:
    if shutil.which("pdffonts") is None:
        pytest.skip("poppler-utils (pdffonts) is not installed")
    fonts = subprocess.run(
        ["pdffonts", str(pdfs["report"])], capture_output=True, text=True, check=True
    ).stdout
    assert "KhmerOSSiemreap" in fonts and "KhmerOSMuolLight" in fonts
