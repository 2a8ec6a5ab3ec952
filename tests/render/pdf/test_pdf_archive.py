"""The archival PDF (PDF/A-3b), checked on the real examples without a network validator.

Each claim the file makes is read back from it: the PDF/A identification and the metadata in
XMP, the output intent, the fonts, the attached sources, the tags and bookmarks, and, above
all, that every Khmer and Lao paragraph comes back out as the text it was made from. The
checks in :mod:`kbc_docs.render.pdf.archive` are also shown to fail on files that break them, so a
green test means something.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
import yaml
from kbc_docs.content.resolve import load_content
from kbc_docs.render import DEFAULT_WHEN
from kbc_docs.render.pdf import html as pdf_html
from kbc_docs.render.pdf import render as pdf_module
from kbc_docs.render.pdf.laid_out import signature_spots
from kbc_docs.render.pdf.prepare import signers
from kbc_docs.render.pdf.render import render_pdf
from kbc_docs.text.segment import unsegment
from kbc_docs.view import build_view
from lxml import etree
from support.archive_examples import (
    TEMPLATES,
    example,
    partner_paragraphs,
    squeeze,
    vietnamese_paragraphs,
)
from support.pdf_checks import (
    ROUND_TRIP_CHECKS,
    archive_problems,
    extract_text,
    round_trip,
    round_trip_share,
)

pytestmark = [
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils"),
    pytest.mark.slow,
]

PARTNERS = ["km", "lo"]
DOCUMENTS = ["report", "signing"]


def pdf_of(partner: str, document: str) -> bytes:
    return getattr(example(partner), document)


def xmp(pdf: bytes) -> dict[str, object]:
    doc = pikepdf.open(io.BytesIO(pdf))
    meta = doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
    return {key: meta.get(key) for key in XMP_KEYS}


XMP_KEYS = (
    "pdfaid:part",
    "pdfaid:conformance",
    "dc:creator",
    "dc:language",
    "pdf:Keywords",
    "pdf:Producer",
    "xmp:CreateDate",
    "xmpMM:DocumentID",
)


def first_id(pdf: bytes) -> bytes:
    doc = pikepdf.open(io.BytesIO(pdf))
    return bytes(doc.trailer.ID[0])


RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def xmp_alternatives(pdf: bytes, tag: str) -> dict[str, str]:
    """The ``rdf:Alt`` entries of an XMP property, by ``xml:lang``."""
    doc = pikepdf.open(io.BytesIO(pdf))
    root = etree.fromstring(doc.Root.Metadata.read_bytes())
    ns = {"rdf": RDF, "dc": "http://purl.org/dc/elements/1.1/"}
    (alt,) = root.findall(f".//{tag}/rdf:Alt", ns)
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    return {li.get(lang): li.text or "" for li in alt.findall("rdf:li", ns)}


# ---------------------------------------------------------------- PDF/A claims


@pytest.mark.parametrize("partner", PARTNERS)
@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_examples_make_every_pdfa_claim_the_checks_read(partner: str, document: str) -> None:
    assert archive_problems(pdf_of(partner, document)) == []


@pytest.mark.parametrize("document", DOCUMENTS)
def test_xmp_identifies_pdfa_3b(document: str) -> None:
    meta = xmp(pdf_of("km", document))
    assert meta["pdfaid:part"] == "3"
    assert meta["pdfaid:conformance"] == "B"
    doc = pikepdf.open(io.BytesIO(pdf_of("km", document)))
    assert doc.pdf_version == "1.7"


def test_output_intent_is_srgb() -> None:
    doc = pikepdf.open(io.BytesIO(pdf_of("km", "report")))
    [intent] = doc.Root.OutputIntents
    assert intent.S == pikepdf.Name.GTS_PDFA1
    assert "sRGB" in str(intent.OutputConditionIdentifier)
    assert intent.DestOutputProfile.N == 3
    assert intent.DestOutputProfile.read_bytes()[36:40] == b"acsp"  # an ICC profile


@pytest.mark.parametrize("partner", PARTNERS)
def test_every_font_is_embedded_as_a_subset(partner: str, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_of(partner, "report"))
    rows = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert rows
    for row in rows:
        name, *_, emb, sub, uni, _obj, _gen = row.split()
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row
        assert re.match(r"^[A-Z]{6}\+", name)


def test_no_encryption_javascript_or_external_reference() -> None:
    for document in DOCUMENTS:
        doc = pikepdf.open(io.BytesIO(pdf_of("km", document)))
        assert not doc.is_encrypted
        raw = pdf_of("km", document)
        assert b"/JavaScript" not in raw and b"/JS " not in raw
        assert b"/Launch" not in raw and b"/GoToR" not in raw and b"file:" not in raw.lower()


def test_the_checks_catch_what_they_check() -> None:
    """Break a real file in each way the checks look for; each must be reported."""
    pdf = pdf_of("km", "signing")

    def broken(change) -> list[str]:  # type: ignore[no-untyped-def]
        doc = pikepdf.open(io.BytesIO(pdf))
        change(doc)
        out = io.BytesIO()
        doc.save(out)
        return archive_problems(out.getvalue())

    def javascript(doc: pikepdf.Pdf) -> None:
        doc.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)")

    def unembedded(doc: pikepdf.Pdf) -> None:
        font = next(iter(doc.pages[0].Resources.Font.values()))
        del font.DescendantFonts[0].FontDescriptor["/FontFile2"]

    def no_af(doc: pikepdf.Pdf) -> None:
        del doc.Root["/AF"]

    def other_title(doc: pikepdf.Pdf) -> None:
        doc.trailer.Info.Title = "something else"

    def not_pdfa(doc: pikepdf.Pdf) -> None:
        with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["pdfaid:part"] = "2"

    def no_intent(doc: pikepdf.Pdf) -> None:
        del doc.Root["/OutputIntents"]

    assert any("JavaScript" in p or "action" in p for p in broken(javascript))
    assert any("not embedded" in p for p in broken(unembedded))
    assert any("/AF" in p for p in broken(no_af))
    assert any("/Title" in p for p in broken(other_title))
    assert any("part '2'" in p for p in broken(not_pdfa))
    assert any("output intent" in p for p in broken(no_intent))


# ---------------------------------------------------------------- metadata


@pytest.mark.parametrize("partner", PARTNERS)
def test_metadata_says_what_the_document_is_in_its_languages(partner: str) -> None:
    ex = example(partner)
    pdf = ex.report
    vi, other = ex.view.versions[0], ex.view.versions[-1]
    titles = xmp_alternatives(pdf, "dc:title")
    assert titles == {
        "x-default": unsegment(vi.title),
        "vi": unsegment(vi.title),
        other.lang: unsegment(other.title),
    }
    subjects = xmp_alternatives(pdf, "dc:description")
    assert set(subjects) == {"x-default", "vi", other.lang}
    assert unsegment(other.kind) in subjects[other.lang]
    meta = xmp(pdf)
    authors = "; ".join(meta["dc:creator"])  # type: ignore[arg-type]
    for body in vi.bodies:
        assert body.body in authors
    assert meta["dc:language"] == {"vi", other.lang}
    assert "report" in meta["pdf:Keywords"] and ex.view.slug in meta["pdf:Keywords"]
    assert meta["pdf:Producer"].startswith("kbc-docs ")
    assert "WeasyPrint" in meta["pdf:Producer"]
    doc = pikepdf.open(io.BytesIO(pdf))
    info = doc.trailer.Info
    assert str(info.Title) == unsegment(vi.title)
    assert str(info.Producer) == meta["pdf:Producer"]
    assert str(info.Author) == authors
    assert str(doc.Root.Lang) == "vi"


@pytest.mark.parametrize("partner", PARTNERS)
def test_dates_and_identifier_are_fixed_by_the_inputs(partner: str) -> None:
    ex = example(partner)
    date = ex.view.versions[0].date_line  # the signing date, e.g. "… ngày 16 tháng 11 năm 2023"
    meta = xmp(ex.report)
    created = str(meta["xmp:CreateDate"])
    year, month, day = (int(x) for x in created[:10].split("-"))
    assert f"{day} tháng {month} năm {year}" in date
    doc = pikepdf.open(io.BytesIO(ex.report))
    assert str(doc.trailer.Info.CreationDate).startswith(f"D:{year}{month:02d}{day:02d}")
    identifier = first_id(ex.report)
    assert str(meta["xmpMM:DocumentID"]).replace("-", "").endswith(identifier.hex())
    # Report and signing pages are different documents with different identifiers.
    assert first_id(ex.signing) != identifier


def test_rebuilding_gives_identical_bytes_and_other_sources_another_file() -> None:
    ex = example("km")
    when = DEFAULT_WHEN
    again = render_pdf(ex.view, "signing.html", TEMPLATES, when, sources=ex.sources)
    assert render_pdf(ex.view, "signing.html", TEMPLATES, when, sources=ex.sources) == again
    edited = {**ex.sources, "registry.yaml": ex.sources["registry.yaml"] + b"# edited\n"}
    other = render_pdf(ex.view, "signing.html", TEMPLATES, when, sources=edited)
    assert other != again
    assert first_id(other) != first_id(again)


def test_example_report_is_at_most_150_kb() -> None:
    assert len(pdf_of("km", "report")) <= 150 * 1024
    assert len(pdf_of("lo", "report")) <= 150 * 1024


# ---------------------------------------------------------------- attached sources


@pytest.mark.parametrize("partner", PARTNERS)
def test_sources_are_attached_as_associated_files(partner: str) -> None:
    ex = example(partner)
    for pdf in (ex.report, ex.signing):
        doc = pikepdf.open(io.BytesIO(pdf))
        assert set(doc.attachments) == {ex.content.name, "registry.yaml"}
        af = [spec.objgen for spec in doc.Root.AF]
        for name, spec in doc.attachments.items():
            assert spec.obj.AFRelationship == pikepdf.Name.Source
            assert spec.obj.objgen in af
            assert spec.obj.EF.F.Subtype == pikepdf.Name("/application/yaml")
            assert spec.get_file().read_bytes() == ex.sources[name]
            assert str(spec.obj.UF) == name


def test_registry_excerpt_holds_exactly_the_entries_used() -> None:
    ex = example("km")
    excerpt = yaml.safe_load(ex.sources["registry.yaml"])
    resolved, _ = load_content(ex.content, TEMPLATES)
    full = yaml.safe_load((ex.content.parent / "registry.yaml").read_text(encoding="utf-8"))
    parties = {p.party for p in resolved.content.parties}
    assert set(excerpt["parties"]) == parties
    for section, entries in excerpt.items():
        for key, entry in entries.items():
            assert entry == full[section][key]  # cut verbatim, not re-typed
    # Nothing of the Lao example's parties leaks into the Khmer document.
    assert not any("lo" in str(e.get("name", {})) for e in excerpt["parties"].values())


def test_the_attached_sources_rebuild_the_same_document(tmp_path: Path) -> None:
    """What the archive holds is enough to make the document again, byte for byte."""
    ex = example("km")
    doc = pikepdf.open(io.BytesIO(ex.signing))
    for name, spec in doc.attachments.items():
        (tmp_path / name).write_bytes(spec.get_file().read_bytes())
    resolved, locales = load_content(tmp_path / ex.content.name, TEMPLATES)
    view = build_view(resolved, locales)
    assert view.versions == ex.view.versions
    from kbc_docs.pipeline import document_time

    when = document_time(resolved.content.signing.date)
    again = render_pdf(view, "signing.html", TEMPLATES, when, sources=ex.sources)
    assert again == ex.signing


# ---------------------------------------------------------------- tags, languages, bookmarks


@pytest.mark.parametrize("partner", PARTNERS)
def test_tagged_with_the_language_of_each_part(partner: str) -> None:
    doc = pikepdf.open(io.BytesIO(pdf_of(partner, "report")))
    assert doc.Root.MarkInfo.Marked is True
    langs = {
        str(obj.Lang)
        for obj in doc.objects
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/StructElem"
        if "/Lang" in obj
    }
    assert langs == {"vi", partner}


def outline(pdf: bytes) -> list[tuple[int, str]]:
    doc = pikepdf.open(io.BytesIO(pdf))
    entries: list[tuple[int, str]] = []

    def walk(item, level: int) -> None:  # type: ignore[no-untyped-def]
        while item is not None:
            entries.append((level, str(item.Title)))
            if "/First" in item:
                walk(item.First, level + 1)
            item = item.get("/Next")

    walk(doc.Root.Outlines.get("/First"), 1)
    return entries


@pytest.mark.parametrize("partner", PARTNERS)
def test_bookmarks_for_each_version_and_its_sections(partner: str) -> None:
    ex = example(partner)
    entries = outline(ex.report)
    expected: list[tuple[int, str]] = []
    for v in ex.view.versions:
        expected.append((1, unsegment(f"{v.kind}: {v.title}")))
        expected += [
            (2 if p.role == "h1" else 3, unsegment(p.text))
            for p in v.body
            if p.role in ("h1", "h2")
        ]
    assert entries == expected
    assert outline(ex.signing) == [(1, unsegment(f"{v.kind}: {v.title}")) for v in ex.view.versions]


# ---------------------------------------------------------------- searchable text


@pytest.mark.parametrize("partner", PARTNERS)
@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize(("extractor", "spacing"), ROUND_TRIP_CHECKS)
def test_every_khmer_and_lao_paragraph_comes_back_exactly(
    partner: str, document: str, extractor: str, spacing: str
) -> None:
    paragraphs = partner_paragraphs(example(partner).view, document)
    assert len(paragraphs) >= 8
    result = round_trip(pdf_of(partner, document), paragraphs, extractor, spacing)  # type: ignore[arg-type]
    assert result.missing == []


@pytest.mark.parametrize("partner", PARTNERS)
def test_round_trip_share_is_one_for_the_examples(partner: str) -> None:
    ex = example(partner)
    assert round_trip_share(ex.report, partner_paragraphs(ex.view, "report")) == 1.0


def test_pdftotext_default_mode_reads_nearly_every_paragraph_too() -> None:
    """Its column guessing may move a one-word last line, and it reads side-by-side signature
    blocks line by line across the columns; the text itself is right (first words checked)."""
    for partner in PARTNERS:
        ex = example(partner)
        paragraphs = partner_paragraphs(ex.view, "report")
        result = round_trip(ex.report, paragraphs, "pdftotext", "layout")
        assert result.share >= 0.95, result.missing
        text = squeeze("".join(extract_text(ex.report, "pdftotext")))
        assert all(squeeze(unsegment(p)).split("។")[0][:10] in text for p in result.missing)


def test_kampot_is_spelt_right() -> None:
    """The bug that started it: ខេត្តកំពត came back as ខេត្តកំព្រត."""
    pdf = pdf_of("km", "report")
    for extractor in ("pdftotext", "pypdf"):
        text = squeeze("".join(extract_text(pdf, extractor)))  # type: ignore[arg-type]
        assert "ខេត្តកំពត" in text
        assert "ខេត្តកំព្រត" not in text


def test_weasyprint_alone_gets_khmer_wrong() -> None:
    """Without the fix the same check fails: the test is not vacuous."""
    ex = example("km")
    html = pdf_html.render_html(ex.view, "report.html", TEMPLATES)
    document = pdf_module.lay_out(html, TEMPLATES)
    plain = document.write_pdf(pdf_variant="pdf/a-3b", pdf_tags=True)
    paragraphs = partner_paragraphs(ex.view, "report")
    assert round_trip_share(plain, paragraphs) < 0.5


@pytest.mark.parametrize("partner", PARTNERS)
def test_vietnamese_still_extracts_exactly(partner: str) -> None:
    ex = example(partner)
    paragraphs = vietnamese_paragraphs(ex.view, "report")
    for extractor, spacing in (("pdftotext-raw", "strict"), ("pypdf", "strict")):
        result = round_trip(ex.report, paragraphs, extractor, spacing)  # type: ignore[arg-type]
        assert result.missing == []


def test_pdfplumber_still_sees_khmer_glyphs_in_place() -> None:
    """Tools that read glyph by glyph still get a Khmer letter for (nearly) every glyph."""
    with pdfplumber.open(io.BytesIO(pdf_of("km", "report"))) as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
    khmer = [c for c in chars if re.match("[\u1780-\u17ff]", c["text"])]
    empty = [c for c in chars if c["text"] == ""]
    assert len(khmer) > 2000
    assert len(empty) < len(khmer) / 20


# ---------------------------------------------------------------- signature fields


def fields(pdf: bytes) -> dict[str, tuple[int, list[float]]]:
    doc = pikepdf.open(io.BytesIO(pdf))
    found = {}
    for index, page in enumerate(doc.pages):
        for annot in page.get("/Annots", []):
            if annot.get("/FT") == pikepdf.Name.Sig:
                found[str(annot.T)] = (index, [float(v) for v in annot.Rect])
    assert len(found) == len(doc.Root.get("/AcroForm", {}).get("/Fields", []))
    return found


@pytest.mark.parametrize("partner", PARTNERS)
def test_one_signature_field_per_signer_over_the_signature_space(partner: str) -> None:
    ex = example(partner)
    found = fields(ex.signing)
    parties = [s.party for s in ex.view.versions[0].signers]
    assert sorted(found) == sorted(parties)
    with pdfplumber.open(io.BytesIO(ex.signing)) as pdf:
        for party, (page_index, (x0, y0, x1, y1)) in found.items():
            page = pdf.pages[page_index]
            height = page.height
            assert 25 * 72 / 25.4 < y1 - y0 < 35 * 72 / 25.4  # the 30 mm room
            # The signer's name stands right under the field, centred on it.
            version = next(v for v in ex.view.versions if any(s.party == party for s in v.signers))
            words = page.extract_words()
            below = [
                w
                for w in words
                if x0 <= (w["x0"] + w["x1"]) / 2 <= x1 and 0 <= w["top"] - (height - y0) < 30
            ]
            assert below, party
            # Nothing is printed inside the field.
            inside = [
                c
                for c in page.chars
                if x0 < c["x0"] < x1 and height - y1 < c["top"] and c["bottom"] < height - y0
            ]
            assert inside == [], party
            assert version


def test_each_leader_signs_on_the_page_in_their_own_language() -> None:
    ex = example("lo")
    found = fields(ex.signing)
    with pdfplumber.open(io.BytesIO(ex.signing)) as pdf:
        lao_pages = {
            i
            for i, page in enumerate(pdf.pages)
            if any("\u0e80" <= c["text"][:1] <= "\u0eff" for c in page.chars)
        }
    # Kon Tum signs on the Vietnamese page, Attapeu and Sekong on the Lao one.
    assert found["vn-kontum-mttq"][0] not in lao_pages
    assert {found[p][0] for p in found if p != "vn-kontum-mttq"} <= lao_pages


def test_fields_match_the_layout_of_the_room() -> None:
    ex = example("km")
    html = pdf_html.render_html(ex.view, "signing.html", TEMPLATES)
    spots = signature_spots(pdf_module.lay_out(html, TEMPLATES), signers(ex.view))
    found = fields(ex.signing)
    for spot in spots:
        page, rect = found[spot.name]
        assert page == spot.page
        assert rect == pytest.approx(list(spot.rect), abs=0.01)


def test_the_report_has_no_signature_fields() -> None:
    assert fields(pdf_of("km", "report")) == {}


def test_example_signing_pages_look_right(tmp_path: Path) -> None:
    """The pages still render (poppler) at the expected size after the finishing."""
    path = tmp_path / "signing.pdf"
    path.write_bytes(pdf_of("km", "signing"))
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(path), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page*.png"))) == 2
