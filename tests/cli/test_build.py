"""The build as a user runs it: the CLI, file names, exit codes, nothing lost on failure."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from kbc_docs.cli import app
from typer.testing import CliRunner

pytestmark = pytest.mark.slow  # builds whole documents; `pytest -m 'not slow'` skips it


ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "toolkit/kbc_docs/data/templates"
EXAMPLE = ROOT / "content" / "2023-11-16.yaml"
NAMES = sorted(
    f"2023-11-16_{doc}_vi-km.{fmt}" for doc in ("report", "signing") for fmt in ("docx", "pdf")
)
runner = CliRunner()


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [*args, "--templates", str(TEMPLATES)])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build")
    result = invoke("build", str(EXAMPLE), "--out", str(out))
    assert result.exit_code == 0, result.output
    return out / "2023-11-16"


def test_build_writes_every_document_with_documented_names(built: Path) -> None:
    assert sorted(p.name for p in built.iterdir()) == NAMES
    assert all(name.isascii() for name in NAMES)
    assert all(p.stat().st_size > 5000 for p in built.iterdir())


def test_rebuild_is_byte_identical(built: Path, tmp_path: Path) -> None:
    result = invoke("build", str(EXAMPLE), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    for name in NAMES:
        assert (tmp_path / "2023-11-16" / name).read_bytes() == (built / name).read_bytes(), name


def test_format_option_limits_outputs(tmp_path: Path) -> None:
    result = invoke("build", str(EXAMPLE), "--out", str(tmp_path), "--format", "docx")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "2023-11-16").iterdir()) == [
        n for n in NAMES if n.endswith(".docx")
    ]


def test_failed_build_keeps_previous_outputs_and_exits_1(built: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(EXAMPLE, content / EXAMPLE.name)
    shutil.copy(ROOT / "content" / "registry.yaml", content / "registry.yaml")
    out = tmp_path / "out"
    assert invoke("build", str(content / EXAMPLE.name), "--out", str(out)).exit_code == 0
    before = {p.name: p.read_bytes() for p in (out / "2023-11-16").iterdir()}

    broken = content / EXAMPLE.name
    broken.write_text(broken.read_text(encoding="utf-8").replace("host:", "hots:"), "utf-8")
    result = invoke("build", str(broken), "--out", str(out))
    assert result.exit_code == 1
    assert "conference.hots: unknown key 'hots'; did you mean 'host'?" in result.output
    assert "Traceback" not in result.output
    after = {p.name: p.read_bytes() for p in (out / "2023-11-16").iterdir()}
    assert after == before


def test_several_files_one_bad_exit_1_good_one_written(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = invoke("build", str(missing), str(EXAMPLE), "--out", str(tmp_path), "--format", "docx")
    assert result.exit_code == 1
    assert "nope.yaml" in result.output
    assert (tmp_path / "2023-11-16" / NAMES[0]).exists()


def test_usage_error_exits_2() -> None:
    assert invoke("build", str(EXAMPLE), "--format", "odt").exit_code == 2


def test_validate_command(tmp_path: Path) -> None:
    result = invoke("validate", str(EXAMPLE))
    assert result.exit_code == 0 and "is valid" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("document: [\n", encoding="utf-8")
    result = invoke("validate", str(bad))
    assert result.exit_code == 1 and f"{bad}:2:1: YAML syntax error" in result.output


def test_schema_command_prints_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert '"directions"' in result.output and '"$defs"' in result.output


# --- JSON Schema for editors ----------------------------------------------------------------

SCHEMA_DIR = ROOT / "schema"


def test_schema_out_writes_both_files_equal_to_the_committed_ones(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["content.schema.json", "registry.schema.json"]
    for name in written:
        committed = (SCHEMA_DIR / name).read_text(encoding="utf-8")
        assert (tmp_path / name).read_text(encoding="utf-8") == committed, (
            f"schema/{name} is stale: run `kbc-docs schema --out schema`"
        )


def test_schema_prints_one_format_and_refuses_an_unknown_one() -> None:
    result = runner.invoke(app, ["schema", "registry"])
    assert result.exit_code == 0
    assert result.output == (SCHEMA_DIR / "registry.schema.json").read_text(encoding="utf-8")
    result = runner.invoke(app, ["schema", "minutes"])
    assert result.exit_code == 2 and "choose content or registry" in result.output


@pytest.mark.parametrize("file", sorted((ROOT / "content").glob("*.yaml")), ids=lambda p: p.name)
def test_content_files_point_at_their_schema_and_satisfy_it(file: Path) -> None:
    import json

    import jsonschema
    from kbc_docs.content.load import load_yaml

    first = file.read_text(encoding="utf-8").splitlines()[0]
    kind = "registry" if file.name == "registry.yaml" else "content"
    assert first == f"# yaml-language-server: $schema=../schema/{kind}.schema.json"
    target = (file.parent / first.split("=", 1)[1]).resolve()
    schema = json.loads(target.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    data = load_yaml(file).data
    assert not [e.message for e in validator.iter_errors(data)]
    # ...and an editor flags what validation refuses: an unknown key, a bad language code.
    assert list(validator.iter_errors({**data, "colour": "red"}))
    if kind == "registry":
        first_text = next(iter(data["places"].values()))["name"]
    else:
        first_text = data["document"]["title"]
    first_text["KM"] = "x"
    assert list(validator.iter_errors(data))


# --- draft builds ---------------------------------------------------------------------------

GAPPY = ROOT / "tests" / "bad" / "missing_translation.yaml"


def test_missing_translation_fails_the_build_without_draft(tmp_path: Path) -> None:
    result = invoke("build", str(GAPPY), "--out", str(tmp_path))
    assert result.exit_code == 1
    assert "directions[0].km: missing the 'km' text" in result.output
    assert not any(tmp_path.iterdir())


def test_draft_build_writes_everything_and_warns_for_each_gap(tmp_path: Path) -> None:
    result = invoke("build", str(GAPPY), "--out", str(tmp_path), "--draft")
    assert result.exit_code == 0, result.output
    assert f"⚠ {GAPPY}:43:5: directions[0].km: missing the 'km' text" in result.output
    assert "draft: 1 missing translation(s) marked in the output" in result.output
    from docx import Document

    report = Document(
        str(tmp_path / "missing-translation" / "missing-translation_report_vi-km.docx")
    )
    text = "\n".join(p.text for p in report.paragraphs)
    assert "⟦THIẾU BẢN DỊCH km⟧" in text and "⟦BẢN NHÁP⟧" in text


def test_docx_embeds_the_khmer_fonts_unless_told_not_to(built: Path, tmp_path: Path) -> None:
    import zipfile

    report = built / "2023-11-16_report_vi-km.docx"
    with zipfile.ZipFile(report) as archive:
        names = archive.namelist()
        font_table = archive.read("word/fontTable.xml").decode()
    assert any(n.endswith(".odttf") for n in names)
    assert "Khmer OS Siemreap" in font_table and "w:embedRegular" in font_table
    result = invoke(
        "build", str(EXAMPLE), "--out", str(tmp_path), "--format", "docx", "--no-embed-fonts"
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "2023-11-16" / report.name) as archive:
        assert not any(n.endswith(".odttf") for n in archive.namelist())


def test_an_office_template_folder_overrides_only_what_it_holds(tmp_path: Path) -> None:
    office = tmp_path / "office"
    office.mkdir()
    html = (TEMPLATES / "report.html").read_text(encoding="utf-8")
    (office / "report.html").write_text(
        html.replace('<p class="closing">', '<p class="closing">OFFICE '), encoding="utf-8"
    )
    result = runner.invoke(
        app,
        [
            "build",
            str(EXAMPLE),
            "--out",
            str(tmp_path),
            "--format",
            "pdf",
            "--templates",
            str(office),
        ],
    )
    assert result.exit_code == 0, result.output
    import subprocess

    text = subprocess.run(
        ["pdftotext", str(tmp_path / "2023-11-16" / "2023-11-16_report_vi-km.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "OFFICE" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_a_broken_office_template_is_named_before_anything_renders(tmp_path: Path) -> None:
    office = tmp_path / "office"
    office.mkdir()
    html = (TEMPLATES / "signing.html").read_text(encoding="utf-8")
    (office / "signing.html").write_text(html.replace("v.closing", "v.closng"), "utf-8")
    result = runner.invoke(
        app, ["build", str(EXAMPLE), "--out", str(tmp_path), "--templates", str(office)]
    )
    assert result.exit_code == 1
    assert "signing.html" in result.output and "did you mean `closing`" in result.output
    assert not (tmp_path / "2023-11-16").exists()


def test_templates_commands(tmp_path: Path) -> None:
    assert runner.invoke(app, ["templates", "check"]).exit_code == 0
    broken = tmp_path / "report.html"
    html = (TEMPLATES / "report.html").read_text(encoding="utf-8")
    broken.write_text(html.replace("v.national_title", "v.natonal_title"), "utf-8")
    result = runner.invoke(app, ["templates", "check", str(broken), "--format", "json"])
    assert result.exit_code == 1
    findings = json.loads(result.output)["findings"]
    assert findings and all("natonal_title" in f["message"] for f in findings)
    result = runner.invoke(app, ["templates", "eject", str(tmp_path / "t")])
    assert result.exit_code == 0 and (tmp_path / "t" / "report.docx").is_file()
    assert runner.invoke(app, ["templates", "eject", str(tmp_path / "t")]).exit_code == 1
    result = runner.invoke(app, ["templates", "vars"])
    assert result.exit_code == 0 and "national_title" in result.output


def test_a_content_file_can_name_its_own_template_folder(tmp_path: Path) -> None:
    shutil.copy(ROOT / "content" / "registry.yaml", tmp_path / "registry.yaml")
    text = EXAMPLE.read_text(encoding="utf-8")
    (tmp_path / EXAMPLE.name).write_text(
        text.replace("registry: registry.yaml", "registry: registry.yaml\ntemplates: office"),
        encoding="utf-8",
    )
    (tmp_path / "office").mkdir()
    html = (TEMPLATES / "signing.html").read_text(encoding="utf-8")
    (tmp_path / "office" / "signing.html").write_text(
        html.replace('<p class="closing">', '<p class="closing">OWNFOLDER '), encoding="utf-8"
    )
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["build", str(tmp_path / EXAMPLE.name), "--out", str(out), "--format", "pdf"]
    )
    assert result.exit_code == 0, result.output
    import subprocess

    signing = out / "2023-11-16" / "2023-11-16_signing_vi-km.pdf"
    text = subprocess.run(
        ["pdftotext", str(signing), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "OWNFOLDER" in text


def test_templates_check_of_a_content_file_uses_the_folders_its_build_uses(
    tmp_path: Path,
) -> None:
    """`templates check FILE.yaml` checks what `build FILE.yaml` would use: its own folder too."""
    shutil.copy(ROOT / "content" / "registry.yaml", tmp_path / "registry.yaml")
    text = EXAMPLE.read_text(encoding="utf-8")
    content = tmp_path / EXAMPLE.name
    content.write_text(
        text.replace("registry: registry.yaml", "registry: registry.yaml\ntemplates: office"),
        encoding="utf-8",
    )
    (tmp_path / "office").mkdir()
    html = (TEMPLATES / "report.html").read_text(encoding="utf-8")
    broken = tmp_path / "office" / "report.html"
    broken.write_text(html.replace("v.national_title", "v.natonal_title"), encoding="utf-8")
    assert runner.invoke(app, ["templates", "check"]).exit_code == 0  # the defaults are fine
    result = runner.invoke(app, ["templates", "check", str(content)])
    assert result.exit_code == 1, result.output
    assert f"{broken}: " in result.output and "natonal_title" in result.output
    checked = runner.invoke(app, ["templates", "check", str(content), "--format", "json"])
    files = {f["file"] for f in json.loads(checked.output)["findings"]}
    assert files == {str(broken)}
    build = runner.invoke(app, ["build", str(content), "--out", str(tmp_path / "out")])
    assert build.exit_code == 1 and "natonal_title" in build.output
