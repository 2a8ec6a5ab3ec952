"""The command line as a clerk meets it: Vietnamese help and errors, progress and summary,
``new``, ``--open``, ``verify`` in words, version and completion.

Help texts and Typer's headings are translated when the program starts, as in any gettext
program, so the language of help is tested in real subprocesses; messages made while a command
runs follow the locale at that moment and are tested through Click's runner too.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pymupdf
import pytest
import yaml
from kbc_docs.cli import app
from kbc_docs.content.load import load_yaml
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "content" / "2023-11-16.yaml"
runner = CliRunner()
VI = {"LANG": "vi_VN.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
EN = {"LANG": "C.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}

COMMANDS = [
    ["build"],
    ["validate"],
    ["new"],
    ["schema"],
    ["sign"],
    ["verify"],
    ["templates", "check"],
    ["templates", "eject"],
    ["templates", "vars"],
    ["watch"],
    ["translate", "export"],
    ["translate", "import"],
]


def kbc(
    *args: str | Path, env: dict[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``kbc-docs`` run as a user runs it, through its console-script entry point."""
    command = [sys.executable, "-c", "from kbc_docs.cli import main; main()", *map(str, args)]
    environment = {**os.environ, "COLUMNS": "200", **env}
    return subprocess.run(
        command, env=environment, cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


# ------------------------------------------------------------------ language of help and errors


def test_help_is_vietnamese_under_a_vietnamese_locale_with_examples_and_exit_codes() -> None:
    main = kbc("--help", env=VI)
    assert main.returncode == 0, main.stderr
    expected = ["Cách dùng:", "Tùy chọn", "Lệnh", "Hiện phiên bản rồi thoát.", "Mã thoát:"]
    expected += ["Báo cáo sơ kết song ngữ", "Cài tự động hoàn thành lệnh"]
    for words in expected:
        assert words in main.stdout, (words, main.stdout)
    for command in COMMANDS:
        result = kbc(*command, "--help", env=VI)
        assert result.returncode == 0, result.stderr
        assert "Cách dùng:" in result.stdout and "Hiện hướng dẫn này rồi thoát." in result.stdout
        assert f"Ví dụ: kbc-docs {' '.join(command)}" in result.stdout, result.stdout
        assert "Mã thoát: 0" in result.stdout, result.stdout
        assert "Options" not in result.stdout and "Show this message" not in result.stdout


def test_help_is_english_otherwise() -> None:
    result = kbc("build", "--help", env=EN)
    assert "Usage:" in result.stdout and "Example: kbc-docs build" in result.stdout
    assert "Exit codes: 0 done" in result.stdout


def test_clicks_own_errors_are_translated() -> None:
    result = kbc("build", env=VI)
    assert result.returncode == 2
    assert "Thiếu tham số 'FILES...'." in result.stderr and "Lỗi" in result.stderr
    result = kbc("build", "--nope", "x.yaml", env=VI)
    assert result.returncode == 2 and "Không có tùy chọn" in result.stderr, result.stderr
    result = kbc("build", env=EN)
    assert result.returncode == 2 and "Missing argument 'FILES...'." in result.stderr


def test_messages_of_a_run_follow_the_locale(tmp_path: Path) -> None:
    bad = tmp_path / "x.yaml"
    bad.write_text("document: [\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)], env=VI)
    assert result.exit_code == 1 and "lỗi cú pháp YAML" in result.output
    result = runner.invoke(app, ["validate", str(bad)], env=EN)
    assert result.exit_code == 1 and "YAML syntax error" in result.output


def test_version_and_completion() -> None:
    from importlib.metadata import version

    result = kbc("--version", env=EN)
    assert result.returncode == 0 and result.stdout == f"kbc-docs {version('kbc-docs')}\n"
    result = kbc(
        "--show-completion", "bash", env={**EN, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    )
    assert result.returncode == 0, result.stderr
    assert "_KBC_DOCS_COMPLETE" in result.stdout and "complete " in result.stdout


# ------------------------------------------------------------------ progress and summary


def test_ten_files_build_with_a_progress_bar_and_one_summary_line(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    names = []
    for year in range(2015, 2025):
        name = content / f"hoi-nghi-{year}.yaml"
        shutil.copy(EXAMPLE, name)
        names.append(name.name)
    (content / "broken.yaml").write_text("document: {kind: so-ket}\n", encoding="utf-8")
    result = kbc(
        "build", *names, "broken.yaml", "registry.yaml", "--format", "docx",
        env={**EN, "FORCE_COLOR": "1", "TTY_INTERACTIVE": "1"}, cwd=content,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    stdout, stderr = (
        re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", s) for s in (result.stdout, result.stderr)
    )
    assert stdout.count("✓ build/hoi-nghi-") == 10
    summary = stdout.strip().splitlines()[-1]
    assert summary.startswith("built 10, failed 1, skipped 1 in "), summary
    assert "registry.yaml is a registry, not a conference file: skipped" in stderr
    # The bar names the file being built and counts the files (drawn on the terminal, stderr).
    assert "hoi-nghi-2019.yaml" in stderr and "12/12" in stderr, stderr
    for year in range(2015, 2025):
        assert (
            content / "build" / f"hoi-nghi-{year}" / f"hoi-nghi-{year}_report_vi-km.docx"
        ).is_file()


def test_summary_in_vietnamese(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["build", str(EXAMPLE), "--out", str(tmp_path), "--format", "docx"], env=VI
    )
    assert result.exit_code == 0, result.output
    assert "đã tạo 1, lỗi 0, bỏ qua 0, trong " in result.output


# ------------------------------------------------------------------ --open


def _fake_opener(folder: Path, log: Path) -> None:
    opener = folder / "xdg-open"
    opener.write_text(f'#!/bin/sh\necho "$1" >> "{log}"\n', encoding="utf-8")
    opener.chmod(0o755)


def test_open_shows_the_report_in_the_system_viewer(tmp_path: Path) -> None:
    bin_dir, log = tmp_path / "bin", tmp_path / "opened.txt"
    bin_dir.mkdir()
    _fake_opener(bin_dir, log)
    env = {**EN, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    result = kbc("build", EXAMPLE, "--out", tmp_path / "out", "--open", env=env)
    assert result.returncode == 0, result.stderr
    for _ in range(100):  # the viewer is started, not waited for
        if log.is_file() and log.read_text().strip():
            break
        subprocess.run(["sleep", "0.05"], check=True)
    assert log.read_text().split() == [str(tmp_path / "out/2023-11-16/2023-11-16_report_vi-km.pdf")]


def test_open_without_a_viewer_says_so_and_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    which = shutil.which
    monkeypatch.setattr(
        "kbc_docs.viewer.shutil.which",
        lambda name: None if name in ("xdg-open", "open") else which(name),
    )
    args = ["build", str(EXAMPLE), "--out", str(tmp_path), "--open", "--format", "pdf"]
    result = runner.invoke(app, args, env=EN)
    assert result.exit_code == 0, result.output
    assert "no program to open PDF files was found; open " in result.output
    assert result.exception is None


def test_open_where_xdg_open_finds_no_viewer_says_so(tmp_path: Path) -> None:
    """A server with xdg-utils but no PDF viewer: xdg-open exits with an error at once."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    opener = bin_dir / "xdg-open"
    opener.write_text("#!/bin/sh\necho 'xdg-open: no method available' >&2\nexit 3\n")
    opener.chmod(0o755)
    env = {**VI, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    result = kbc("build", EXAMPLE, "--out", tmp_path / "out", "--open", "--format", "pdf", env=env)
    assert result.returncode == 0, result.stderr
    report = tmp_path / "out" / "2023-11-16" / "2023-11-16_report_vi-km.pdf"
    assert f"không tìm thấy chương trình mở tệp PDF; hãy tự mở {report}" in result.stderr


# ------------------------------------------------------------------ new


def test_new_from_last_years_file_keeps_parties_and_marks_this_years_facts(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    target = content / "2024-11-20.yaml"
    result = runner.invoke(
        app, ["new", str(target), "--from", str(content / "2023-11-16.yaml")], env=EN
    )
    assert result.exit_code == 0, result.output
    assert "13 place(s) marked to be completed" in result.output
    old, new = load_yaml(content / "2023-11-16.yaml").data, load_yaml(target).data
    assert new["parties"] == old["parties"] and new["agreement"] == old["agreement"]
    assert new["document"]["reviews"] == {"years": 2}
    # The title names the period: "01 năm" → "02 năm", in Khmer digits too.
    assert "Sơ kết 02 năm thực hiện" in new["document"]["title"]["vi"]
    assert "រយៈពេល០២ឆ្នាំ" in new["document"]["title"]["km"]
    assert new["document"]["number"] == "/BC-MTTQ-BTT"
    assert new["conference"]["date"] == {"todo": "ngày họp hội nghị, dạng YYYY-MM-DD"}
    assert new["conference"]["host"] == old["conference"]["host"]
    assert new["signing"]["place"] == old["signing"]["place"]
    assert set(new["signing"]["date"]) == {"todo"}
    for was, now in zip(old["results"], new["results"], strict=True):
        assert now["title"] == was["title"]
        assert [set(p) for p in now["paragraphs"]] == [{"todo"}]
        for figure in now.get("figures", []):
            assert set(figure["value"]) == {"todo"} and "label" in figure
    assert "limitations" not in new and new["background"] == old["background"]
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/content.schema.json\n")
    assert "signed_on: 2022-11-25\n" in text  # a date stays a bare date
    # The new file is valid: what is left to do is listed, and --strict refuses it.
    checked = runner.invoke(app, ["validate", str(target)], env=EN)
    assert checked.exit_code == 0, checked.output
    assert "13 fact(s) to be completed" in checked.output
    # Long Khmer texts are written unfolded (a folded line would put a space inside a phrase).
    assert "folded over two lines" not in checked.output
    assert runner.invoke(app, ["validate", str(target), "--strict"], env=EN).exit_code == 1
    # Never overwrites a clerk's file.
    before = target.read_bytes()
    again = runner.invoke(app, ["new", str(target), "--from", str(EXAMPLE)], env=VI)
    assert again.exit_code == 1 and "đã tồn tại" in again.output
    assert target.read_bytes() == before


def test_new_from_a_blank_skeleton(tmp_path: Path) -> None:
    target = tmp_path / "2025-01-10.yaml"
    result = runner.invoke(app, ["new", str(target)], env=VI)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["document"]["languages"] == ["vi", "km"]
    assert set(data["conference"]["date"]) == {"todo"}
    assert "chỗ được đánh dấu cần bổ sung" in result.output
    # No registry was there: one is written beside the file, with the ids the skeleton uses.
    registry = yaml.safe_load((tmp_path / "registry.yaml").read_text(encoding="utf-8"))
    parties = [p["party"] for p in data["parties"]]
    assert set(registry["parties"]) == set(parties) and data["conference"]["host"] in parties
    people = {p["signer"]["person"] for p in data["parties"]}
    assert people <= set(registry["people"])
    assert "registry.yaml: sổ đăng ký đi kèm" in result.output
    assert "kbc-docs build --draft" in result.output
    # What has no "to be completed" mark is left empty: validate names each such field.
    checked = runner.invoke(app, ["validate", str(target)], env=EN)
    assert checked.exit_code == 1 and "document.title.vi: the text is empty" in checked.output
    assert "registry.yaml:18:12: parties.ben-viet-nam.name.vi: the text is empty" in checked.output
    # ... and `new` said how many there are, before the clerk ran validate.
    empty = checked.output.count(": the text is empty")
    assert f"{empty} văn bản để trống" in result.output, result.output
    assert runner.invoke(app, ["new", str(tmp_path / "x.txt")], env=EN).exit_code == 1


def test_a_new_file_validates_and_builds_as_a_draft(tmp_path: Path) -> None:
    """The README's first steps on a new conference: new, validate --draft, build --draft.
    Every empty text and fact to be completed is listed with its file and line, and prints as a
    dotted space under a title marked as a draft."""
    target = tmp_path / "hoi-nghi.yaml"
    assert runner.invoke(app, ["new", str(target)], env=VI).exit_code == 0
    checked = runner.invoke(app, ["validate", "--draft", str(target)], env=VI)
    assert checked.exit_code == 0, checked.output
    assert (
        "hoi-nghi.yaml:15:3: document.title: văn bản trống (vi, km); bản nháp: in thành dòng chấm"
    ) in checked.output
    assert "registry.yaml:35:5: people.nguoi-ky-viet-nam.name: văn bản trống (vi, km)" in (
        checked.output
    )
    assert "hoi-nghi.yaml:61:7: recipients.vi[0]: văn bản trống (vi)" in checked.output
    assert "32 nội dung cần bổ sung, in thành dòng chấm" in checked.output
    # Not a draft: refused, as before.
    assert runner.invoke(app, ["validate", str(target)], env=VI).exit_code == 1
    out = tmp_path / "out"
    built = runner.invoke(app, ["build", "--draft", str(target), "--out", str(out)], env=VI)
    assert built.exit_code == 0, built.output
    report = out / "hoi-nghi" / "hoi-nghi_report_vi-km"
    with pymupdf.open(report.with_suffix(".pdf")) as pdf:
        text = "".join(page.get_text() for page in pdf)
    docx = zipfile.ZipFile(report.with_suffix(".docx")).read("word/document.xml").decode()
    for printed in (text, docx):
        assert "⟦BẢN NHÁP⟧ ……………………" in printed  # the title, to be written
        assert "Số:" in printed and "/BC-MTTQ" in printed


def test_new_never_replaces_a_registry_and_copies_last_years_to_a_new_folder(
    tmp_path: Path,
) -> None:
    (tmp_path / "registry.yaml").write_text("# the clerk's own\n", encoding="utf-8")
    result = runner.invoke(app, ["new", str(tmp_path / "a.yaml")], env=EN)
    assert result.exit_code == 0 and "registry.yaml:" not in result.output
    assert (tmp_path / "registry.yaml").read_text(encoding="utf-8") == "# the clerk's own\n"
    # Next year's file in a folder of its own gets the registry its parties come from.
    elsewhere = tmp_path / "2024"
    elsewhere.mkdir()
    target = elsewhere / "2024-11-20.yaml"
    result = runner.invoke(app, ["new", str(target), "--from", str(EXAMPLE)], env=EN)
    assert result.exit_code == 0, result.output
    assert "its registry, copied from the folder of" in result.output
    copied = (elsewhere / "registry.yaml").read_bytes()
    assert copied == (EXAMPLE.parent / "registry.yaml").read_bytes()
    assert runner.invoke(app, ["validate", str(target)], env=EN).exit_code == 0


def test_new_from_last_year_adds_what_the_folders_registry_lacks(tmp_path: Path) -> None:
    """A folder whose registry is the clerk's (here the blank skeleton's, written by a first
    ``new``): next year's file from last year's gets the entries it names copied into it, the
    registry's own comments and entries kept; then validate --draft and build --draft work."""
    folder = tmp_path / "2024"
    folder.mkdir()
    assert runner.invoke(app, ["new", str(folder / "blank.yaml")], env=EN).exit_code == 0
    registry = folder / "registry.yaml"
    before = registry.read_text(encoding="utf-8")
    target = folder / "2024-11-20.yaml"
    result = runner.invoke(app, ["new", str(target), "--from", str(EXAMPLE)], env=EN)
    assert result.exit_code == 0, result.output
    assert (
        "registry.yaml: added the entries the new file names and it lacked, copied from "
        f"{EXAMPLE.parent / 'registry.yaml'}: parties: kh-kampot-sfdcm, vn-kiengiang-mttq; "
        "people: duong-savan, le-thi-ve, to-van-dan; places: kampot, kien-giang"
    ) in result.output
    after = registry.read_text(encoding="utf-8")
    # Every line of the clerk's registry is still there, in its order, comments included.
    kept = iter(after.splitlines())
    assert all(line in kept for line in before.splitlines())
    assert "  # kbc-docs new --from 2023-11-16.yaml: chép từ " in after
    old, new = yaml.safe_load(before), yaml.safe_load(after)
    example = yaml.safe_load((EXAMPLE.parent / "registry.yaml").read_text(encoding="utf-8"))
    for kind in ("places", "parties", "people"):
        added = set(new[kind]) - set(old[kind])
        assert {k: new[kind][k] for k in old[kind]} == old[kind]
        assert {k: new[kind][k] for k in added} == {k: example[kind][k] for k in added}
    assert "name: {vi: Kampot, km: កំពត}" in after  # as last year's registry writes it
    checked = runner.invoke(app, ["validate", "--draft", str(target)], env=EN)
    assert checked.exit_code == 0, checked.output
    assert "unknown" not in checked.output
    # The folder's other file is as valid as before.
    assert runner.invoke(app, ["validate", "--draft", str(folder / "blank.yaml")]).exit_code == 0
    out = tmp_path / "out"
    built = runner.invoke(app, ["build", "--draft", str(target), "--out", str(out)], env=EN)
    assert built.exit_code == 0, built.output
    signing = out / "2024-11-20" / "2024-11-20_signing_vi-km"
    with pymupdf.open(signing.with_suffix(".pdf")) as pdf:
        text = "".join(page.get_text() for page in pdf)
    docx = zipfile.ZipFile(signing.with_suffix(".docx")).read("word/document.xml").decode()
    for printed in (text, docx):
        assert "Lê Thị Vệ" in printed and "Đuông Savan" in printed


def test_new_names_the_ids_a_shared_registry_lacks_and_leaves_it_alone(tmp_path: Path) -> None:
    """From the blank skeleton into a folder with a registry in use: the skeleton's ids have
    no whole entry anywhere, and blank ones would stop the folder's other files from building,
    so ``new`` names them and says what to do; the registry is not touched."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    before = (content / "registry.yaml").read_bytes()
    target = content / "2025.yaml"
    result = runner.invoke(app, ["new", str(target)], env=EN)
    assert result.exit_code == 0, result.output
    assert (
        f"⚠ {content / 'registry.yaml'} has no entry for ids the new file names (parties: "
        "ben-ban, ben-viet-nam; people: nguoi-ky-ben-ban, nguoi-ky-viet-nam): add them to it "
        "('kbc-docs schema registry' lists their fields), or change them in "
        f"{target} to ids it has"
    ) in result.output
    assert (content / "registry.yaml").read_bytes() == before
    assert runner.invoke(app, ["validate", str(content / "2023-11-16.yaml")]).exit_code == 0
    checked = runner.invoke(app, ["validate", "--draft", str(target)], env=EN)
    assert "unknown party id 'ben-viet-nam'" in checked.output
    vi = runner.invoke(app, ["new", str(content / "2026.yaml")], env=VI)
    assert "không có mục cho các mã mà tệp mới gọi đến" in vi.output


# ------------------------------------------------------------------ verify never shows a traceback


def test_verify_of_a_pdf_without_signatures_and_of_a_missing_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        runner.invoke(app, ["build", str(EXAMPLE), "--out", str(out), "--format", "pdf"]).exit_code
        == 0
    )
    signing = out / "2023-11-16" / "2023-11-16_signing_vi-km.pdf"
    result = kbc("verify", signing, env=VI)
    assert result.returncode == 1
    assert "tệp PDF này chưa có chữ ký nào" in result.stdout and "chưa ký" in result.stdout
    result = kbc("verify", tmp_path / "nope.pdf", env=EN)
    assert result.returncode == 1 and "nope.pdf: no such file" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_templates_check_speaks_vietnamese() -> None:
    broken = ROOT / "tests" / "templates_broken" / "misspelt_variable.docx"
    result = runner.invoke(app, ["templates", "check", str(broken)], env=VI)
    assert result.exit_code == 1
    assert ": lỗi: " in result.output and "đoạn " in result.output, result.output
    assert re.fullmatch(r"\d+ lỗi, \d+ cảnh báo", result.output.strip().splitlines()[-1])
    result = runner.invoke(app, ["templates", "check"], env=VI)
    assert result.exit_code == 0 and "không có lỗi nào" in result.output, result.output


def test_sign_errors_speak_vietnamese(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        runner.invoke(app, ["build", str(EXAMPLE), "--out", str(out), "--format", "pdf"]).exit_code
        == 0
    )
    signing = out / "2023-11-16" / "2023-11-16_signing_vi-km.pdf"
    env = {**VI, "KBC_P12_PASSPHRASE": ""}
    result = runner.invoke(
        app, ["sign", str(signing), "--field", "nobody", "--p12", str(signing)], env=env
    )
    assert result.exit_code == 1 and "không có ô chữ ký 'nobody'" in result.output, result.output


def test_validate_of_a_content_folder_skips_its_registry_as_build_does(tmp_path: Path) -> None:
    """``validate content/*.yaml`` matches the registry too: among several files it is skipped
    with one line (as ``build`` skips it); named on its own it is an error that says what it is."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    files = sorted(p.name for p in content.glob("*.yaml"))
    assert "registry.yaml" in files and len(files) > 2
    result = kbc("validate", *files, env=EN, cwd=content)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "registry.yaml is a registry, not a conference file: skipped" in result.stderr
    assert result.stdout.count("✓") == len(files) - 1, result.stdout
    alone = kbc("validate", "registry.yaml", env=EN, cwd=content)
    assert alone.returncode == 1, alone.stdout + alone.stderr
    assert "not a conference file" in alone.stderr
