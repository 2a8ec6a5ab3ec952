"""The PDF renderer, checked on real generated files.

Each property a reader or signer relies on is asserted on the PDF itself (text, fonts, geometry,
page numbers), because WeasyPrint fails silently in most of the ways that matter here: a missing
font is replaced, a line that cannot break runs off the paper, a resource is skipped.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import logging
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import get_args

import pdfplumber
import pikepdf
import pytest
from kbc_docs.errors import FontError, RenderError
from kbc_docs.render.pdf import html as pdf_html
from kbc_docs.render.pdf import laid_out, produce, weasy
from kbc_docs.render.pdf import render as pdf_module
from kbc_docs.render.pdf.fetcher import TemplateFolderFetcher
from kbc_docs.render.pdf.render import render_pdf
from kbc_docs.text.segment import ZWSP, unsegment
from kbc_docs.view import DocumentView, Para, Role, SignerBlock
from support.sample_view import KM_LONG, sample_view

TEMPLATES = Path(__file__).resolve().parents[3] / "toolkit" / "kbc_docs" / "data" / "templates"

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
LEFT, RIGHT, TOP, BOTTOM = 30 * MM, 15 * MM, 20 * MM, 20 * MM
KHMER = re.compile("[\u1780-\u17ff\u19e0-\u19ff]")


# ---------------------------------------------------------------- fixtures and helpers


def long_view() -> DocumentView:
    """The sample with both versions longer than one page, to see page numbers."""
    view = sample_view()
    vi, km = view.versions
    extra = Para("body", "Đoạn bổ sung để báo cáo dài hơn một trang. " * 12)
    vi = dataclasses.replace(vi, body=[*vi.body, extra, extra, extra, extra])
    km = dataclasses.replace(km, body=[*km.body, *km.body])
    return dataclasses.replace(view, versions=[vi, km])


def unsegmented_view() -> DocumentView:
    """The sample with one long Khmer paragraph left without U+200B break opportunities."""
    view = sample_view()
    vi, km = view.versions
    km = dataclasses.replace(km, body=[*km.body, Para("body", unsegment(KM_LONG))])
    return dataclasses.replace(view, versions=[vi, km])


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf")


def _render_to(out: Path, name: str, view: DocumentView, template: str) -> Path:
    path = out / name
    path.write_bytes(render_pdf(view, template, TEMPLATES))
    return path


@pytest.fixture(scope="module")
def report(out: Path) -> Path:
    return _render_to(out, "report.pdf", sample_view(), "report.html")


@pytest.fixture(scope="module")
def signing(out: Path) -> Path:
    return _render_to(out, "signing.pdf", sample_view(), "signing.html")


@pytest.fixture(scope="module")
def long_report(out: Path) -> Path:
    return _render_to(out, "long-report.pdf", long_view(), "report.html")


@pytest.fixture(params=["report", "signing", "long_report"])
def any_pdf(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue(request.param)


def squeeze(text: str) -> str:
    """Text compared without whitespace, break marks or hyphenation: layout changes those."""
    text = unicodedata.normalize("NFC", text).replace(ZWSP, "").replace("\u00ad", "")
    return re.sub(r"\s+", "", text)


def pdf_text(path: Path) -> str:
    """The text of every page below the top margin (page numbers would split paragraphs)."""
    with pdfplumber.open(path) as pdf:
        return "\n".join(
            page.crop((0, TOP, page.width, page.height)).extract_text() or "" for page in pdf.pages
        )


def header_chars(page: pdfplumber.page.Page) -> list[dict]:
    """Characters in the top margin: only the page number may be there."""
    return [c for c in page.chars if c["bottom"] <= TOP]


def outside_text_area(path: Path) -> list[str]:
    """Every character (page numbers excepted) that lies outside the text area."""
    bad = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            width, height = page.width, page.height
            for c in page.chars:
                if c["bottom"] <= TOP:
                    continue  # page number in the top margin
                if (
                    c["x0"] < LEFT - 1
                    or c["x1"] > width - RIGHT + 1
                    or c["bottom"] > height - BOTTOM + 1
                ):
                    bad.append(f"page {number}: {c['text']!r} at x {c['x0']:.0f}-{c['x1']:.0f}")
    return bad


def version_pages(path: Path) -> list[list[int]]:
    """Page indexes grouped by version: the Vietnamese pages hold no Khmer letter."""
    groups: list[list[int]] = []
    last = None
    with pdfplumber.open(path) as pdf:
        for i, page in enumerate(pdf.pages):
            khmer = any(KHMER.match(c["text"]) for c in page.chars)
            if khmer != last:
                groups.append([])
                last = khmer
            groups[-1].append(i)
    return groups


# ---------------------------------------------------------------- text


@pytest.mark.parametrize("which", ["report", "long_report"])
def test_every_vietnamese_string_is_in_the_pdf(which: str, request: pytest.FixtureRequest) -> None:
    text = squeeze(pdf_text(request.getfixturevalue(which)))
    view = long_view() if which == "long_report" else sample_view()
    vi_view = dataclasses.replace(view, versions=[view.versions[0]])
    # texts() also yields each Para.role ("body", "h1"…), which is a style, not printed text.
    strings = [s for s in vi_view.texts() if s not in get_args(Role)]
    assert len(strings) > 20
    missing = [s for s in strings if squeeze(s) not in text]
    assert not missing
    position = 0
    for para in vi_view.versions[0].body:  # and the body in reading order
        position = text.index(squeeze(para.text), position)


def test_signing_pages_hold_the_signing_strings(signing: Path) -> None:
    text = squeeze(pdf_text(signing))
    vi = sample_view().versions[0]
    strings = [vi.kind, vi.title, vi.closing, vi.date_line]
    strings += [x for s in vi.signers for x in (s.authority, s.title, s.name) if x]
    assert [s for s in strings if squeeze(s) not in text] == []
    assert len(version_pages(signing)) == 2
    with pdfplumber.open(signing) as pdf:
        assert len(pdf.pages) == 2  # one page per version


def test_markup_and_tags_from_the_view_appear_literally(report: Path) -> None:
    text = pdf_text(report)
    assert "<b>&amp; {{ 7*7 }}" in re.sub(r"\s+", " ", text)
    assert "49" not in text
    assert text.count("{{") == 1
    assert "{%" not in text
    assert "%}" not in text


def test_khmer_is_present_and_drawn_in_khmer_fonts(any_pdf: Path) -> None:
    with pdfplumber.open(any_pdf) as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
    khmer = [c for c in chars if KHMER.match(c["text"])]
    assert len(khmer) > 20
    fonts = {c["fontname"].split("+", 1)[-1] for c in khmer}
    assert fonts <= {"Khmer-OS-Siemreap", "Khmer-OS-Muol-Light"}, fonts
    assert all("Khmer" in f for f in fonts)


def test_vietnamese_pages_use_tinos_only(report: Path) -> None:
    with pdfplumber.open(report) as pdf:
        vi_pages = [pdf.pages[i] for i in version_pages(report)[0]]
        fonts = {c["fontname"].split("+", 1)[-1] for p in vi_pages for c in p.chars}
    assert fonts <= {"Tinos", "Tinos-Bold", "Tinos-Italic", "Tinos-Bold-Italic"}, fonts


def test_khmer_headings_use_muol_light_and_body_siemreap(report: Path) -> None:
    with pdfplumber.open(report) as pdf:
        page = pdf.pages[version_pages(report)[1][0]]
        top_line = min(c["top"] for c in page.chars if KHMER.match(c["text"]))
        title_fonts = {c["fontname"] for c in page.chars if abs(c["top"] - top_line) < 1}
        sizes = {round(c["size"], 1) for c in page.chars if "Siemreap" in c["fontname"]}
    assert all("Muol-Light" in f for f in title_fonts), title_fonts  # the national title
    assert 11.5 <= max(sizes) <= 12.0


# ---------------------------------------------------------------- page and fonts


def test_pages_are_a4(any_pdf: Path) -> None:
    with pdfplumber.open(any_pdf) as pdf:
        for page in pdf.pages:
            assert page.width == pytest.approx(A4[0], abs=1)
            assert page.height == pytest.approx(A4[1], abs=1)


def test_fonts_are_embedded_subsets_and_not_type3(any_pdf: Path) -> None:
    seen = 0
    with pikepdf.open(any_pdf) as pdf:
        for page in pdf.pages:
            for _, font in page.resources.get("/Font", {}).items():
                seen += 1
                assert font.Subtype != "/Type3"
                assert re.match(r"^/[A-Z]{6}\+", str(font.BaseFont)), font.BaseFont
                descendants = font.get("/DescendantFonts", [font])
                for d in descendants:
                    descriptor = d.FontDescriptor
                    assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert seen >= 4


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdffonts_agrees(report: Path) -> None:
    rows = subprocess.run(["pdffonts", report], capture_output=True, text=True, check=True)
    lines = rows.stdout.splitlines()[2:]
    assert lines
    for line in lines:
        assert "Type 3" not in line
        emb, sub = line.split()[-5:-3]
        assert (emb, sub) == ("yes", "yes"), line
    names = " ".join(lines)
    assert "Khmer-OS-Siemreap" in names
    assert "Muol-Light" in names
    assert "Tinos" in names


# ---------------------------------------------------------------- geometry


def test_no_glyph_outside_the_text_area(any_pdf: Path) -> None:
    assert outside_text_area(any_pdf) == []


def test_long_khmer_paragraphs_wrap(report: Path) -> None:
    """The sample's long Khmer paragraphs take several lines, not one overflowing line."""
    with pdfplumber.open(report) as pdf:
        lines = {
            round(c["top"])
            for i in version_pages(report)[1]
            for c in pdf.pages[i].chars
            if "Siemreap" in c["fontname"]
        }
    assert len(lines) > 10


def test_unsegmented_khmer_would_overflow(out: Path) -> None:
    """Proof the geometry test can fail: without U+200B the line runs off the page.

    render_pdf itself refuses such a layout, so the PDF is made from the renderer's parts,
    skipping only the overflow check.
    """
    view = unsegmented_view()
    with pytest.raises(RenderError, match="outside the text area"):
        render_pdf(view, "report.html", TEMPLATES)

    html = pdf_html.render_html(view, "report.html", TEMPLATES)
    document = pdf_module.lay_out(html, TEMPLATES)
    path = out / "overflowing.pdf"
    path.write_bytes(produce.write_document(document, html, dt.datetime(2000, 1, 1, tzinfo=dt.UTC)))
    assert outside_text_area(path)


def test_motto_rule_is_as_wide_as_the_motto(report: Path) -> None:
    motto = sample_view().versions[0].motto
    with pdfplumber.open(report) as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
        first = motto.split()[0]
        row = next(w for w in words if w["text"] == first)
        line = [w for w in words if abs(w["top"] - row["top"]) < 1 and w["x0"] >= row["x0"]]
        x0, x1 = row["x0"], max(w["x1"] for w in line)
        bottom = row["bottom"]
        rules = [
            r
            for r in [*page.rects, *page.lines]
            if abs(r["x0"] - x0) < 1.5 and abs(r["x1"] - x1) < 1.5 and abs(r["bottom"] - bottom) < 6
        ]
    assert squeeze(" ".join(w["text"] for w in line)) == squeeze(motto)
    assert rules, "no rule under the motto with the motto's width"


def test_number_and_date_share_a_line(report: Path) -> None:
    vi = sample_view().versions[0]
    with pdfplumber.open(report) as pdf:
        words = pdf.pages[0].extract_words()
    number = next(w for w in words if w["text"] == vi.number.split()[0])
    date = next(w for w in words if w["text"] == vi.date_line.split()[0])
    assert abs(number["bottom"] - date["bottom"]) < 3
    assert number["x1"] < date["x0"]


def test_signature_blocks_stay_together_side_by_side(long_report: Path) -> None:
    view = long_view()
    with pdfplumber.open(long_report) as pdf:
        for group, version in zip(version_pages(long_report), view.versions, strict=True):
            pages = [squeeze(pdf.pages[i].extract_text() or "") for i in group]
            if version.lang != "vi":
                continue  # Khmer extraction from WeasyPrint PDFs is unreliable
            names = [s.name for s in version.signers]
            holding = {i for i, t in enumerate(pages) for n in names if squeeze(n) in t}
            assert len(holding) == 1, "signature blocks split across pages"
            page = pdf.pages[group[holding.pop()]]
            words = page.extract_words()
            tops = [next(w for w in words if w["text"] == n.split()[0])["top"] for n in names]
            assert max(tops) - min(tops) < 2  # names on one line, blocks side by side


def test_single_signer_sits_right_with_recipients_level_left(out: Path) -> None:
    """Decree 30: "Nơi nhận:" flush left, level with the signer's title; signature at right."""
    view = sample_view()
    signer = SignerBlock("p0", "TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "Người Ký")
    view = dataclasses.replace(
        view, versions=[dataclasses.replace(v, signers=[signer]) for v in view.versions]
    )
    path = _render_to(out, "single-signer.pdf", view, "report.html")
    vi = view.versions[0]
    with pdfplumber.open(path) as pdf:
        page = next(p for p in pdf.pages if "Nơi nhận:" in (p.extract_text() or ""))
        words = page.extract_words(extra_attrs=["fontname", "size"])
    label = next(w for w in words if w["text"] == "Nơi")
    authority = next(w for w in words if w["text"] == "TM.")
    name = next(w for w in words if w["text"] == "Người" and w["top"] > authority["top"])
    assert abs(label["top"] - authority["top"]) < 3  # level
    assert label["x0"] == pytest.approx(LEFT, abs=1)  # flush left
    middle = LEFT + (A4[0] - LEFT - RIGHT) / 2
    assert authority["x0"] > middle and name["x0"] > middle  # the signature in the right half
    items = [w for w in words if w["text"] == "-" and w["top"] > label["top"]]
    assert len(items) == len(vi.recipients)
    assert all(w["x0"] == pytest.approx(LEFT, abs=1) for w in items)


# ---------------------------------------------------------------- page numbers


def test_page_numbers_restart_per_version_and_skip_first_pages(long_report: Path) -> None:
    groups = version_pages(long_report)
    assert len(groups) == 2
    assert all(len(g) >= 2 for g in groups), "fixture should give each version two pages"
    expected_second = {0: "2", 1: "២"}  # Khmer version numbers pages in Khmer digits
    with pdfplumber.open(long_report) as pdf:
        for index, group in enumerate(groups):
            assert header_chars(pdf.pages[group[0]]) == []
            chars = header_chars(pdf.pages[group[1]])
            assert "".join(c["text"] for c in chars) == expected_second[index]
            for c in chars:
                assert c["size"] == pytest.approx(13, abs=0.1)
                centre = (c["x0"] + c["x1"]) / 2
                assert centre == pytest.approx(LEFT + (A4[0] - LEFT - RIGHT) / 2, abs=3)


def test_single_page_versions_carry_no_number(report: Path, signing: Path) -> None:
    for path in (report, signing):
        with pdfplumber.open(path) as pdf:
            for group in version_pages(path):
                assert header_chars(pdf.pages[group[0]]) == []


# ---------------------------------------------------------------- safety and failures


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/style.css",
        "../../x",
        "data:text/css,body{}",
        (TEMPLATES / ".." / ".." / "x").as_uri(),
        TEMPLATES.as_uri() + "/%2e%2e/%2e%2e/etc/passwd",
        "file://evil.example.com" + str(TEMPLATES / "style.css"),
    ],
)
def test_fetcher_refuses_urls_outside_the_templates(url: str) -> None:
    fetcher = TemplateFolderFetcher(TEMPLATES)
    with pytest.raises(RenderError) as info:
        fetcher.fetch(url)
    assert url in str(info.value)


def test_fetcher_serves_the_stylesheet() -> None:
    response = TemplateFolderFetcher(TEMPLATES).fetch((TEMPLATES / "style.css").as_uri())
    assert response.content_type == "text/css"
    assert b"@page" in response.read()
    response.close()


def _templates_with(tmp_path: Path, body: str) -> Path:
    """A templates folder holding the real stylesheet and a one-off template."""
    folder = tmp_path / "templates"
    folder.mkdir()
    shutil.copy(TEMPLATES / "style.css", folder / "style.css")
    (folder / "t.html").write_text(
        '<!DOCTYPE html><html><head><link rel="stylesheet" href="style.css">'
        f"<style>{{{{ head_css }}}}</style></head><body>{body}</body></html>",
        encoding="utf-8",
    )
    return folder


def test_render_refuses_an_outside_resource(tmp_path: Path) -> None:
    folder = _templates_with(tmp_path, '<img src="file:///etc/passwd">')
    with pytest.raises(RenderError, match="/etc/passwd"):
        render_pdf(sample_view(), "t.html", folder)


def test_render_refuses_a_missing_stylesheet(tmp_path: Path) -> None:
    folder = _templates_with(tmp_path, '<link rel="stylesheet" href="missing.css"><p>x</p>')
    with pytest.raises(RenderError, match=r"missing\.css"):
        render_pdf(sample_view(), "t.html", folder)


def test_weasyprint_errors_become_render_errors(tmp_path: Path) -> None:
    folder = _templates_with(tmp_path, '<img src="style.css">')  # not an image
    with pytest.raises(RenderError, match="WeasyPrint"):
        render_pdf(sample_view(), "t.html", folder)


def test_leftover_template_tags_fail(tmp_path: Path) -> None:
    folder = _templates_with(tmp_path, "{% raw %}<p>{{ forgotten }}</p>{% endraw %}")
    with pytest.raises(RenderError, match="is left unfilled in the HTML"):
        render_pdf(sample_view(), "t.html", folder)


def test_undefined_template_variables_fail(tmp_path: Path) -> None:
    folder = _templates_with(tmp_path, "<p>{{ view.no_such_field }}</p>")
    with pytest.raises(RenderError):
        render_pdf(sample_view(), "t.html", folder)


def test_sandbox_blocks_python_internals(tmp_path: Path) -> None:
    folder = _templates_with(tmp_path, "<p>{{ view.__class__.__mro__ }}</p>")
    with pytest.raises(RenderError):
        render_pdf(sample_view(), "t.html", folder)


def test_missing_template_is_a_render_error(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match=r"nope\.html"):
        render_pdf(sample_view(), "nope.html", TEMPLATES)


def test_missing_font_stops_before_rendering() -> None:
    view = sample_view()
    km = dataclasses.replace(view.fonts["km"], body_pdf=["Tinos", "No Such Khmer Font Kbc"])
    view = dataclasses.replace(view, fonts={**view.fonts, "km": km})
    with pytest.raises(FontError, match=r"No Such Khmer Font Kbc.*fonts-khmeros"):
        render_pdf(view, "report.html", TEMPLATES)


def test_render_logs_no_weasyprint_warnings(caplog: pytest.LogCaptureFixture) -> None:
    """Unknown CSS properties and similar slips are only warnings in WeasyPrint: keep none."""
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        for template in ("report.html", "signing.html"):
            render_pdf(long_view(), template, TEMPLATES)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


# ---------------------------------------------------------------- reproducibility


def test_rerender_is_byte_identical(report: Path) -> None:
    again = render_pdf(sample_view(), "report.html", TEMPLATES)
    assert again == report.read_bytes()


def test_each_drawn_line_is_read_as_it_is_drawn_and_again_for_a_kept_layout() -> None:
    """The text layer's lines are read while WeasyPrint draws them (not shaped a second time):
    every visible line of the page boxes once, at its box's baseline, and none of a page
    margin missed; a layout kept by ``watch`` and written again gives the same bytes."""
    view = long_view()
    html = pdf_html.render_html(view, "report.html", TEMPLATES)
    document = pdf_module.lay_out(html, TEMPLATES, view)
    boxes = [
        (index, box.position_x, box.position_y + box.baseline, unsegment(box.text).strip())
        for index, page in enumerate(document.pages)
        for box in laid_out._descendants(page._page_box)
        if isinstance(box, weasy.boxes.TextBox)
        and box.text.strip()
        and box.style["visibility"] == "visible"
    ]
    with laid_out.drawn_lines(document) as runs:
        weasy.write_pdf(document, "2000-01-01T00:00:00Z", bytes(16))
    assert len(boxes) > 100 and any(r.lang == "km" for r in runs)
    assert sorted((r.page, r.x, r.y, r.text.strip()) for r in runs) == sorted(boxes)
    assert all(r.clusters and all(gids and text for gids, text, _ in r.clusters) for r in runs)
    assert all("paint" not in vars(page) for page in document.pages)

    when = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    first = produce.write_document(document, html, when)
    assert produce.write_document(document, html, when) == first


def test_stylesheets_are_compiled_once_a_process_and_change_no_byte(
    report: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WeasyPrint parses the stylesheets at every render; their selectors are compiled once a
    process (``weasy._compiled_selectors``): the signing pages after the report, or a
    ``watch`` rebuild, compile none, and the PDF is the one cssselect2's own compiling gives."""
    compiled: list[object] = []
    compile_selector_list = weasy._compile_selector_list  # cssselect2's

    def counting(prelude: object, namespaces: object = None) -> list[object]:
        compiled.append(prelude)
        return compile_selector_list(prelude, namespaces)

    monkeypatch.setattr(weasy, "_SELECTORS", {})
    monkeypatch.setattr(weasy, "_compile_selector_list", counting)
    first = render_pdf(sample_view(), "report.html", TEMPLATES)
    assert len(compiled) > 50
    compiled.clear()
    signing = render_pdf(sample_view(), "signing.html", TEMPLATES)
    assert render_pdf(sample_view(), "report.html", TEMPLATES) == first == report.read_bytes()
    assert compiled == []

    # cssselect2 compiling every selector at every render: the same bytes.
    monkeypatch.setattr(weasy.css_validation, "compile_selector_list", counting)
    assert render_pdf(sample_view(), "signing.html", TEMPLATES) == signing
    assert compiled


_FIRST_RENDER = """
import sys
from pathlib import Path

from kbc_docs.render.pdf import weasy
from kbc_docs.render.pdf.render import render_pdf
from support.sample_view import sample_view

parsed = set(weasy.ffi._parsed_types)  # cffi's parsed type strings (private: observed only)
render_pdf(sample_view(), "report.html", Path(sys.argv[1]))
print(sorted(set(weasy.ffi._parsed_types) - parsed))
"""


def test_a_first_render_parses_no_c_type() -> None:
    """The C types a render makes values of are parsed as ``weasy`` is imported
    (``weasy.C_TYPES``), before a worker's first job, not between the job and its PDF: a new
    process's first render, Khmer justified and fonts subset, has none left to parse."""
    found = subprocess.run(
        [sys.executable, "-c", _FIRST_RENDER, str(TEMPLATES)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert found.stdout.strip() == "[]", found.stdout


def test_every_stream_but_the_xmp_packet_is_deflated(any_pdf: Path) -> None:
    """WeasyPrint writes its streams uncompressed (``weasy.write_pdf``): the saved file must
    have each deflated again, but the XMP packet, which any tool must be able to read."""
    with pikepdf.open(any_pdf) as pdf:
        streams = [o for o in pdf.objects if isinstance(o, pikepdf.Stream)]
        plain = [o for o in streams if "/Filter" not in o]
    assert len(streams) > 10
    assert [o.get("/Type") for o in plain] == [pikepdf.Name.Metadata]


def test_creation_date_comes_from_when() -> None:
    when = dt.datetime(2023, 11, 16, tzinfo=dt.UTC)
    data = render_pdf(sample_view(), "signing.html", TEMPLATES, when)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20231116")
    default = render_pdf(sample_view(), "signing.html", TEMPLATES)
    with pikepdf.open(io.BytesIO(default)) as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:2000")


def test_fetcher_refuses_a_symlink_leading_out(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (tmp_path / "secret.css").write_text("body {}", encoding="utf-8")
    (folder / "link.css").symlink_to(tmp_path / "secret.css")
    url = (folder / "link.css").as_uri()
    with pytest.raises(RenderError, match="outside"):
        TemplateFolderFetcher(folder).fetch(url)
