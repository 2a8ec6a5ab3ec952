"""A character no font prints is found before layout, at the field that holds it, per font role.

The shipped fonts of one language cover the same characters in every role, so these cases give
the Vietnamese version its own language file (a ``templates:`` folder beside the content file)
whose body font has a glyph the heading font lacks: the same character then prints in a
paragraph and is refused in the title, as the templates' classes and the language file decide.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from kbc_docs.cli import app
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[3]
BAD = ROOT / "tests" / "bad"
SHIPPED_VI = ROOT / "toolkit" / "kbc_docs" / "data" / "templates" / "locale" / "vi.yaml"
PHONE = "\u260e"  # in DejaVu Sans, not in Tinos
PARAGRAPH = "- {vi: Hai bên phối hợp tốt., km: ភាគីទាំងពីរបានសហការល្អ។}"
TITLE = "title: {vi: Sơ kết 01 năm thực hiện Giao ước thi đua,"
runner = CliRunner()


def run(*args: str, cwd: Path):  # type: ignore[no-untyped-def]
    env = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        return runner.invoke(app, list(args), env=env)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """The corpus' valid file, and a Vietnamese language file whose body font has DejaVu Sans
    after Tinos, the heading font Tinos alone."""
    text = (BAD / "_valid.yaml").read_text(encoding="utf-8")
    (tmp_path / "conf.yaml").write_text("templates: own\n" + text, encoding="utf-8")
    shutil.copy(BAD / "_registry.yaml", tmp_path)
    locale = SHIPPED_VI.read_text(encoding="utf-8")
    body = "  body: {family: Times New Roman, pdf: [Tinos], package: fonts-croscore}"
    assert body in locale
    locale = locale.replace(
        body, "  body: {family: Times New Roman, pdf: [Tinos, DejaVu Sans], package: fonts-dejavu}"
    )
    (tmp_path / "own" / "locale").mkdir(parents=True)
    (tmp_path / "own" / "locale" / "vi.yaml").write_text(locale, encoding="utf-8")
    return tmp_path


def edit(work: Path, old: str, new: str, file: str = "conf.yaml") -> None:
    path = work / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_character_of_the_body_font_prints_in_a_paragraph(work: Path) -> None:
    edit(work, PARAGRAPH, f'- {{vi: "Hai bên phối hợp tốt {PHONE}.", km: ភាគីទាំងពីរបានសហការល្អ។}}')
    result = run("build", "conf.yaml", "--out", "out", "--format", "pdf", cwd=work)
    assert result.exit_code == 0, result.output
    [pdf] = (work / "out" / "conf").glob("*_report_*.pdf")
    with pdfplumber.open(pdf) as document:
        drawn = [c for page in document.pages for c in page.chars if c["text"] == PHONE]
    assert drawn, "the telephone sign is not in the PDF's text"
    assert all("DejaVu-Sans" in c["fontname"] for c in drawn), {c["fontname"] for c in drawn}


def test_the_same_character_in_the_title_is_refused_naming_the_heading_font(work: Path) -> None:
    edit(work, TITLE, f'title: {{vi: "Sơ kết 01 năm thực hiện Giao ước thi đua {PHONE}",')
    for command in ("validate", "build"):
        result = run(command, "conf.yaml", cwd=work)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert re.search(
            r"conf\.yaml:\d+:\d+: document\.title\.vi: the character '☎' \(U\+260E BLACK "
            r"TELEPHONE\) is in none of the fonts that print this 'vi' text \(headings: Tinos\)",
            result.output,
        ), result.output
        assert result.output.count("U+260E") == 1, result.output  # the field, not every line
    assert not (work / "out").exists()
    assert not (work / "build").exists()


def test_a_registry_name_is_refused_where_a_role_lacks_the_character(work: Path) -> None:
    """The party's name prints in the body (the conference sentence) and, through its header,
    in the heading font: the header's text is refused, the name alone would print."""
    edit(
        work,
        "body: {vi: TỈNH KIÊN GIANG,",
        f'body: {{vi: "TỈNH KIÊN GIANG {PHONE}",',
        "_registry.yaml",
    )
    result = run("validate", "conf.yaml", cwd=work)
    assert result.exit_code == 1, result.output
    assert re.search(
        r"_registry\.yaml:\d+:\d+: parties\.vn-kiengiang-mttq\.header\.body\.vi: the character "
        r"'☎' \(U\+260E BLACK TELEPHONE\) is in none of the fonts that print this 'vi' text "
        r"\(headings: Tinos\)",
        result.output,
    ), result.output


def test_a_character_of_the_language_file_is_reported_at_the_template(work: Path) -> None:
    edit(
        work,
        "national_title: CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        f"national_title: CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM {PHONE}",
        "own/locale/vi.yaml",
    )
    result = run("build", "conf.yaml", "--out", "out", cwd=work)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert re.search(
        r"report\.html: the character '☎' \(U\+260E BLACK TELEPHONE\) that this template prints "
        r"in the 'vi' version is in none of its fonts \(national title and motto: Tinos\)",
        result.output,
    ), result.output
    assert not (work / "out").exists()


def test_a_drafts_own_markers_print_and_a_clerks_bracket_is_refused(tmp_path: Path) -> None:
    """⟦BẢN NHÁP⟧ and ⟦THIẾU BẢN DỊCH km⟧ are in no shipped font: a draft prints them in a
    fallback font on purpose. The same bracket typed by the clerk is text, and refused."""
    shutil.copy(BAD / "missing_translation.yaml", tmp_path / "conf.yaml")
    shutil.copy(BAD / "_registry.yaml", tmp_path)
    result = run("build", "conf.yaml", "--draft", "--out", "out", "--format", "pdf", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    edit(tmp_path, "Hai bên phối hợp tốt.", "Hai bên phối hợp tốt ⟦1⟧.")
    result = run("validate", "conf.yaml", "--draft", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    assert "results[0].paragraphs[0].vi: the character '⟦' (U+27E6" in result.output
    assert "document.title" not in result.output, result.output  # its marker is no text


def test_a_draft_prints_the_marker_of_a_signers_missing_name(tmp_path: Path) -> None:
    """A signer's name is kept on one line with NO-BREAK SPACEs, the draft's marker for its
    missing Khmer too: that marker is still the draft's own, not a character to refuse."""
    shutil.copy(BAD / "_valid.yaml", tmp_path / "conf.yaml")
    shutil.copy(BAD / "_registry.yaml", tmp_path)
    edit(tmp_path, "name: {vi: Lê Thị Vệ, km: ឡេ ធី វេ}", "name: {vi: Lê Thị Vệ}", "_registry.yaml")
    edit(tmp_path, "honorific: {vi: bà, km: លោកស្រី}", "honorific: {vi: bà}", "_registry.yaml")
    result = run("build", "conf.yaml", "--draft", "--out", "out", "--format", "pdf", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    (pdf,) = (tmp_path / "out").rglob("*_signing_*.pdf")
    with pdfplumber.open(pdf) as document:
        text = "".join(page.extract_text() or "" for page in document.pages)
    assert "⟦" in text and "⟧" in text, text
