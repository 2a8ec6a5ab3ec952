"""The Word file and the PDF say the same, and the build proves it on every run.

A clerk's edit that only one template gets (a fixed line typed into ``report.docx``, a word
changed in ``report.html``) must stop the build with a message naming the template, the
paragraph and the text only one output has, and pointing at the locale files; with
``--allow-template-drift`` it is a warning and the files are written.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import pytest
from kbc_docs.cli import app
from kbc_docs.errors import TemplateError
from kbc_docs.pipeline import BuildOptions, build
from kbc_docs.render.compare import Paragraph, compare_texts, docx_paragraphs
from kbc_docs.render.docx.ooxml import NS
from kbc_docs.render.docx.render import render_docx
from kbc_docs.render.pdf.laid_out import TextBlock
from kbc_docs.render.pdf.render import render_pdf
from lxml import etree
from support.form_pages import KM_EXAMPLE, LO_EXAMPLE, TEMPLATES, copy_content, view_of
from templates_broken.make_gallery import find, set_text
from typer.testing import CliRunner

FIXED_LINE = "Nơi lưu: Văn thư, Ban Đối ngoại."


def office_folder(tmp_path: Path, change_docx=None, change_html=None) -> Path:  # type: ignore[no-untyped-def]
    """An office's template folder with a changed ``report.docx`` and/or ``report.html``."""
    folder = tmp_path / "office"
    folder.mkdir()
    if change_docx is not None:
        with zipfile.ZipFile(TEMPLATES / "report.docx") as z:
            parts = {i.filename: z.read(i) for i in z.infolist()}
        doc = etree.fromstring(parts["word/document.xml"])
        change_docx(doc)
        parts["word/document.xml"] = etree.tostring(doc, xml_declaration=True, encoding="UTF-8")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, blob in parts.items():
                z.writestr(name, blob)
        (folder / "report.docx").write_bytes(out.getvalue())
    if change_html is not None:
        html = (TEMPLATES / "report.html").read_text(encoding="utf-8")
        (folder / "report.html").write_text(change_html(html), encoding="utf-8")
    return folder


def fixed_line(doc: etree._Element) -> None:
    """A line typed in Word after the closing formula of the sequential versions."""
    closing = find(doc, "{{ v.closing }}", nth=1)
    line = etree.fromstring(etree.tostring(closing))
    set_text(line, FIXED_LINE)
    closing.addnext(line)


def content(tmp_path: Path, example: Path = KM_EXAMPLE) -> Path:
    return copy_content(example, tmp_path / "content")


@pytest.mark.parametrize("layout", ["sequential", "parallel"])
@pytest.mark.parametrize("document", ["report", "signing"])
@pytest.mark.parametrize("example", [KM_EXAMPLE, LO_EXAMPLE], ids=["km", "lo"])
def test_shipped_templates_say_the_same(example: Path, document: str, layout: str) -> None:
    view = dataclasses.replace(view_of(example), layout=layout)
    blocks: list[TextBlock] = []
    render_pdf(view, f"{document}.html", [TEMPLATES], text_blocks=blocks)
    paragraphs = docx_paragraphs(
        render_docx(view, TEMPLATES / f"{document}.docx"),
        len(view.versions) if layout == "sequential" else 1,
    )
    assert compare_texts(paragraphs, blocks) == []
    # Compared per version where the Word file has a section per version, and not vacuously.
    assert len(paragraphs) > 15 and len(blocks) > 15
    if layout == "sequential":
        assert {p.version for p in paragraphs} == set(range(len(view.versions)))
        assert {b.version for b in blocks} == set(range(len(view.versions)))


def test_a_line_typed_in_word_stops_the_build(tmp_path: Path) -> None:
    folder = office_folder(tmp_path, change_docx=fixed_line)
    with pytest.raises(TemplateError) as caught:
        build(content(tmp_path), BuildOptions(out=tmp_path / "out", templates=folder))
    problems = caught.value.problems
    assert len(problems) == 2  # in the Vietnamese and in the Khmer version
    for problem, lang in zip(problems, ["vi", "km"], strict=True):
        text = str(problem)
        assert problem.file == folder / "report.docx"
        assert f"the '{lang}' version" in text
        assert f"only the Word file has “{FIXED_LINE}”" in text
        assert "the Word template has it at body, paragraph" in text
        assert "locale files" in text
    assert not (tmp_path / "out").exists()


def test_allow_template_drift_warns_and_builds(tmp_path: Path) -> None:
    folder = office_folder(tmp_path, change_docx=fixed_line)
    result = CliRunner().invoke(
        app,
        [
            "build",
            str(content(tmp_path)),
            "--out",
            str(tmp_path / "out"),
            "--templates",
            str(folder),
            "--allow-template-drift",
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"only the Word file has “{FIXED_LINE}”" in result.output
    assert "missing translation" not in result.output  # not counted as draft gaps
    assert "to build anyway" not in result.output  # the option was given: no hint to give it
    assert len(list((tmp_path / "out").rglob("*.pdf"))) == 2
    vietnamese = CliRunner().invoke(
        app,
        [
            "build",
            str(content(tmp_path)),
            "--out",
            str(tmp_path / "vi"),
            "--templates",
            str(folder),
        ],
        env={"LC_ALL": "", "LC_MESSAGES": "", "LANG": "vi_VN.UTF-8"},
    )
    assert vietnamese.exit_code == 1
    assert f"chỉ tệp Word có “{FIXED_LINE}”" in vietnamese.output
    assert "--allow-template-drift" in vietnamese.output


def test_a_word_changed_in_one_paragraph_is_named(tmp_path: Path) -> None:
    def prefix(doc: etree._Element) -> None:
        p = find(doc, "{{ v.closing }}", nth=1)
        p.find("w:r/w:t", NS).text = "Trân trọng. {{ v.closing }}"

    folder = office_folder(tmp_path, change_docx=prefix)
    with pytest.raises(TemplateError) as caught:
        build(content(tmp_path), BuildOptions(out=tmp_path / "out", templates=folder))
    text = str(caught.value)
    assert "only the Word file has “Trân trọng.”" in text


def test_text_only_the_html_template_has_is_named(tmp_path: Path) -> None:
    def extra(html: str) -> str:
        head, tail = html.rsplit('<p class="closing">{{ v.closing }}</p>', 1)  # sequential
        return f'{head}<p class="closing">{{{{ v.closing }}}}</p><p>Lưu hành nội bộ.</p>{tail}'

    folder = office_folder(tmp_path, change_html=extra)
    with pytest.raises(TemplateError) as caught:
        build(content(tmp_path), BuildOptions(out=tmp_path / "out", templates=folder))
    text = str(caught.value)
    assert "only the PDF has “Lưu hành nội bộ.”" in text
    assert "the HTML template has it at report.html line" in text


def test_layout_may_differ_wording_may_not() -> None:
    docx = [Paragraph(1, 0, "Hai  dòng"), Paragraph(2, 0, "một đoạn"), Paragraph(3, 0, "Tên")]
    same = [TextBlock(0, "Tên"), TextBlock(0, "Hai dòng một\u200b đoạn")]
    assert compare_texts(docx, same) == []  # re-paragraphed, moved, broken differently
    (diff,) = compare_texts(docx, [TextBlock(0, "Hai dòng một đoạn")])
    assert (diff.only_in, diff.text, diff.number) == ("docx", "Tên", 3)
    (diff,) = compare_texts(docx[:1], [TextBlock(0, "Hai dòng nữa")])
    assert (diff.only_in, diff.text) == ("pdf", "nữa")
    here, there = compare_texts(docx[:1], [TextBlock(1, "Hai dòng")])  # in another version
    assert (here.only_in, here.version, there.only_in, there.version) == ("docx", 0, "pdf", 1)
