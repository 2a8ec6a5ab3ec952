"""Bad content gets a message with file, line, field path and what is wrong — never a traceback.

Each case mutates the real example (so the rest of the file stays valid) and checks the exact
place and wording a clerk would see.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from kbc_docs.content.resolve import load_content
from kbc_docs.errors import ContentError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "content" / "2023-11-16.yaml"
TEMPLATES = ROOT / "toolkit/kbc_docs/data/templates"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    shutil.copy(ROOT / "content" / "registry.yaml", tmp_path / "registry.yaml")
    return tmp_path / EXAMPLE.name


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in the example"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(file: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_content(file, TEMPLATES)
    return [str(p) for p in info.value.problems]


def line_of(file: Path, needle: str) -> int:
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_example_is_valid() -> None:
    resolved, locales = load_content(EXAMPLE, TEMPLATES)
    assert [p.id for p in resolved.parties] == ["vn-kiengiang-mttq", "kh-kampot-sfdcm"]
    assert set(locales) == {"vi", "km"}


def test_unknown_key_names_line_and_suggests(project: Path) -> None:
    edit(project, "  venue:\n", "  venu:\n")
    found = problems(project)
    line = line_of(project, "  venu:")
    assert any(
        f"{project}:{line}:" in p
        and "conference.venu: unknown key 'venu'; did you mean 'venue'?" in p
        for p in found
    ), found


def test_missing_translation_names_field_and_language(project: Path) -> None:
    text = project.read_text(encoding="utf-8")
    start = text.index("directions:")
    km = text.index("    km:", start)
    end = text.index("\n  - vi:", km)
    project.write_text(text[:km] + text[end + 1 :], encoding="utf-8")
    found = problems(project)
    assert any("directions[0].km: missing the 'km' text" in p for p in found), found


def test_duplicate_key_is_rejected(project: Path) -> None:
    edit(project, "  date: 2023-11-16\n", "  date: 2023-11-16\n  date: 2023-11-17\n")
    found = problems(project)
    assert any("duplicate key 'date'" in p and "conference.date" in p for p in found), found


def test_tab_indentation_is_explained(project: Path) -> None:
    edit(project, "  kind: so-ket", "\tkind: so-ket")
    (message,) = problems(project)
    assert "YAML syntax error" in message and "tabs" in message
    assert f"{project}:{line_of(project, 'kind: so-ket')}:" in message


def test_unknown_party_suggests_close_id(project: Path) -> None:
    edit(project, "  - party: kh-kampot-sfdcm", "  - party: kh-kampot-sfdc")
    found = problems(project)
    assert any(
        "unknown party id 'kh-kampot-sfdc'" in p and "did you mean 'kh-kampot-sfdcm'" in p
        for p in found
    ), found


def test_impossible_date(project: Path) -> None:
    edit(project, "  date: 2023-11-16\n", "  date: 2023-02-30\n")
    found = problems(project)
    assert any("conference.date" in p and "2023-02-30" in p for p in found), found


def test_signing_before_conference(project: Path) -> None:
    edit(
        project,
        "signing:\n  place: kien-giang\n  date: 2023-11-16",
        "signing:\n  place: kien-giang\n  date: 2023-11-15",
    )
    found = problems(project)
    assert any(
        "signing.date: signing date 2023-11-15 is before the conference" in p for p in found
    ), found


def test_empty_directions(project: Path) -> None:
    text = project.read_text(encoding="utf-8")
    start, end = text.index("directions:"), text.index("signing:")
    project.write_text(text[:start] + "directions: []\n\n" + text[end:], encoding="utf-8")
    found = problems(project)
    assert any("directions:" in p and "at least 1 item" in p for p in found), found


def test_figure_must_be_a_number(project: Path) -> None:
    edit(project, "value: 23", "value: twenty-three")
    found = problems(project)
    assert any("results[2].figures[0].value" in p and "twenty-three" in p for p in found), found


def test_control_character_is_refused(project: Path) -> None:
    edit(project, "Công tác tuyên truyền", "Công tác\x07 tuyên truyền")
    found = problems(project)
    assert any("results[0].title.vi" in p and "U+0007" in p for p in found), found


def test_comma_in_flow_mapping_is_explained(project: Path) -> None:
    edit(project, "title: {vi: Phân giới cắm mốc", "title: {vi: Phân giới, cắm mốc")
    found = problems(project)
    assert any(
        "results[2].title. cắm mốc" in p or "'cắm mốc' is not a language code" in p for p in found
    ), found


def test_unsupported_language(project: Path) -> None:
    edit(project, "languages: [vi, km]", "languages: [vi, th]")
    found = problems(project)
    assert any("document.languages[1]" in p and "no language file for 'th'" in p for p in found), (
        found
    )


def test_language_typo_is_one_problem_with_the_meant_code(project: Path) -> None:
    """`kh` for `km`: one message at the list, naming `km`, not a hundred at the texts telling
    the clerk to rename every `km:` to `kh:`."""
    edit(project, "languages: [vi, km]", "languages: [vi, kh]")
    found = problems(project)
    line = line_of(project, "languages: [vi, kh]")
    assert len(found) == 1, found
    assert found[0].startswith(f"{project}:{line}:")
    assert "document.languages[1]: no language file for 'kh'" in found[0]
    assert found[0].endswith("did you mean 'km'?")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_file_saved_as_utf16_is_named_so(project: Path, encoding: str) -> None:
    """Word's and Notepad's "Unicode" (with or without its byte-order mark) is said by name,
    with what to do, not as an unreadable byte 0."""
    project.write_bytes(project.read_text(encoding="utf-8").encode(encoding))
    found = problems(project)
    assert found == [
        f"{project}:1:1: saved as UTF-16 (what Word and Notepad call 'Unicode'), not UTF-8; "
        "save the file again choosing the encoding UTF-8"
    ]


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [{', '.join(['*' + chr(96 + i)] * 10)}]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = problems(bomb)
    assert any("aliases" in p for p in found), found


def test_python_objects_are_not_constructed(tmp_path: Path) -> None:
    evil = tmp_path / "evil.yaml"
    evil.write_text("document: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    (message,) = problems(evil)
    assert "evil.yaml:1:" in message


def test_date_in_another_format_says_how_to_write_it(project: Path) -> None:
    edit(project, "  date: 2023-11-16\n", "  date: 16/11/2023\n")
    found = problems(project)
    assert any(
        "conference.date: not a date (got '16/11/2023'); write a day YYYY-MM-DD" in p for p in found
    ), found


def test_single_text_where_languages_expected(project: Path) -> None:
    edit(project, "title: {vi: Chủ tịch, km: ប្រធាន}", "title: Chủ tịch")
    found = problems(project)
    assert any("parties[0].signer.title: expected the text in each language" in p for p in found), (
        found
    )


def test_stray_language_key_suggests_the_missing_one(project: Path) -> None:
    edit(project, "title: {vi: Chủ tịch, km: ប្រធាន}", "title: {vi: Chủ tịch, kh: ប្រធាន}")
    found = problems(project)
    assert any(
        "parties[0].signer.title.kh: 'kh' is not one of the document's languages"
        " (vi, km); did you mean 'km'?" in p
        for p in found
    ), found


# --- messages in the user's language --------------------------------------------------------


def test_the_catalogue_translates_every_message_and_is_compiled() -> None:
    """Every message (ours, Click's, Typer's) has its Vietnamese, and the .mo is up to date."""
    script = ROOT / "scripts" / "update_catalogue.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "en"),
        ({"LANG": "vi_VN.UTF-8"}, "vi"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "vi_VN.UTF-8", "LC_MESSAGES": "C"}, "en"),
        ({"LANG": "C", "LC_MESSAGES": "vi_VN"}, "vi"),
        ({"LANG": "C", "LC_ALL": "vi"}, "vi"),
        ({"LANG": "vi_VN.UTF-8", "LC_ALL": ""}, "vi"),  # empty means unset
        ({"LANG": "C.UTF-8", "LANGUAGE": "vi"}, "vi"),  # GNU's list of preferred languages
    ],
)
def test_language_follows_the_locale_variables(
    env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kbc_docs.messages import msg

    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in env.items():
        monkeypatch.setenv(variable, value)
    words = {"en": "is valid", "vi": "hợp lệ"}
    assert msg("cli_valid", file="x.yaml") == f"x.yaml {words[expected]}"


def test_vietnamese_messages(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "vi_VN.UTF-8")
    edit(project, "  venue:\n", "  venu:\n")
    edit(project, "  date: 2023-11-16\n", "  date: 2023-02-30\n")
    found = problems(project)
    assert any(
        f"{project}:{line_of(project, '  venu:')}:3: conference.venu: khóa 'venu' không tồn tại; "
        "có phải ý bạn là 'venue'?" in p
        for p in found
    ), found
    assert any("conference.date: không có ngày này (nhận được '2023-02-30')" in p for p in found)


def test_vietnamese_yaml_syntax_message(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    edit(project, "  kind: so-ket", "\tkind: so-ket")
    (message,) = problems(project)
    assert "lỗi cú pháp YAML" in message and "Tab" in message


# --- draft builds ---------------------------------------------------------------------------

BAD = ROOT / "tests" / "bad"


def test_draft_fills_every_gap_with_a_marker_and_warns_for_each(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("WARNING", logger="kbc_docs")
    resolved, _ = load_content(BAD / "registry_missing_translation.yaml", TEMPLATES, draft=True)
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1, warnings
    assert (
        "missing_km.yaml:19:5: parties.kh-kampot-sfdcm.name.km: missing the 'km' text"
        in (warnings[0])
    )
    name = resolved.registry.parties["kh-kampot-sfdcm"].name
    assert name["km"] == f"⟦THIẾU BẢN DỊCH km⟧ {name['vi']}"
    title = resolved.content.document.title
    assert title["vi"].startswith("⟦BẢN NHÁP⟧ Sơ kết") and title["km"].startswith("⟦សេចក្ដីព្រាង")


def test_draft_of_a_complete_file_only_marks_the_title(caplog: pytest.LogCaptureFixture) -> None:
    plain, _ = load_content(EXAMPLE, TEMPLATES)
    draft, _ = load_content(EXAMPLE, TEMPLATES, draft=True)
    assert not caplog.records
    assert draft.content.document.title != plain.content.document.title
    rest = {"document"}
    assert draft.content.model_dump(exclude=rest) == plain.content.model_dump(exclude=rest)


def test_draft_does_not_hide_other_errors(tmp_path: Path) -> None:
    text = (BAD / "missing_translation.yaml").read_text(encoding="utf-8")
    shutil.copy(BAD / "_registry.yaml", tmp_path / "_registry.yaml")
    text = text.replace(
        "  place: kien-giang\n  date: 2023-11-16", "  place: kien-giang\n  date: 2023-11-01"
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_content(bad, TEMPLATES, draft=True)
    (problem,) = info.value.problems
    assert "signing date 2023-11-01 is before the conference" in str(problem)


def test_draft_marks_are_visible_in_both_formats(tmp_path: Path) -> None:
    import io
    import subprocess

    from docx import Document
    from kbc_docs.render.docx.render import render_docx
    from kbc_docs.render.pdf.render import render_pdf
    from kbc_docs.view import build_view

    view = build_view(*load_content(BAD / "missing_translation.yaml", TEMPLATES, draft=True))
    document = Document(io.BytesIO(render_docx(view, TEMPLATES / "report.docx")))
    word = "\n".join(p.text for p in document.paragraphs)
    word += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_pdf(view, "report.html", TEMPLATES))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    for printed in (word, text):
        printed = " ".join(printed.split())  # a line break or a no-break space is a space here
        assert "⟦BẢN NHÁP⟧" in printed
        assert "⟦THIẾU BẢN DỊCH km⟧ Tiếp tục phối hợp tuyên truyền." in printed
