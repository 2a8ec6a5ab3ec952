"""A clerk's mistakes under a Vietnamese locale: every failing command answers in Vietnamese.

Each command runs as a user runs it (a subprocess through the console-script entry point),
fails for a typical reason, and what it prints on both streams holds no English sentence
(:mod:`support.english`); the same commands under an English locale show that the check sees
English where there is some.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.english import english_lines

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "content" / "2023-11-16.yaml"
BROKEN_TEMPLATES = ROOT / "tests" / "templates_broken"
VI = {"LANG": "vi_VN.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
EN = {"LANG": "C.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}


def _mistakes(folder: Path) -> dict[str, list[str]]:
    """Typical failing commands, by what is wrong, run in ``folder``."""
    shutil.copy(EXAMPLE, folder / "2023-11-16.yaml")
    shutil.copy(EXAMPLE.parent / "registry.yaml", folder / "registry.yaml")
    text = (folder / "2023-11-16.yaml").read_text(encoding="utf-8")
    wrong = text.replace("  venue:", "  venu:", 1).replace("2023-11-16", "2023-02-30", 1)
    (folder / "wrong.yaml").write_text(wrong, encoding="utf-8")
    (folder / "syntax.yaml").write_text("document: [\n  kind: so-ket\n", encoding="utf-8")
    (folder / "not-a.pdf").write_bytes(b"%PDF-1.4 this is not a PDF")
    (folder / "office").mkdir()
    shutil.copy(BROKEN_TEMPLATES / "two_p_tags.docx", folder / "office" / "report.docx")
    return {
        "no file given": ["build"],
        "no such file": ["build", "nope.yaml"],
        "YAML syntax": ["build", "syntax.yaml"],
        "wrong key and date": ["validate", "wrong.yaml"],
        "unknown choice": ["build", "--format", "xyz", "2023-11-16.yaml"],
        "unknown option": ["build", "--nope", "2023-11-16.yaml"],
        "no such template folder": ["build", "2023-11-16.yaml", "--templates", "nope"],
        "broken templates": ["templates", "check", str(BROKEN_TEMPLATES)],
        "build with a broken template": ["build", "2023-11-16.yaml", "--templates", "office"],
        "not a PDF": ["verify", "not-a.pdf"],
        "new over an existing file": ["new", "2023-11-16.yaml", "--from", "wrong.yaml"],
        "unknown schema": ["schema", "xyz"],
        "translation not a translation": ["translate", "import", "2023-11-16.yaml", "not-a.pdf"],
        "sign with no certificate": ["sign", "not-a.pdf", "--field", "x", "--p12", "not-a.pdf"],
    }


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from kbc_docs.cli import main; main()", *args]
    return subprocess.run(
        command,
        env={**os.environ, "COLUMNS": "200", "KBC_P12_PASSPHRASE": "", **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_failing_commands_speak_vietnamese_only(tmp_path: Path) -> None:
    english: dict[str, list[str]] = {}
    for what, args in _mistakes(tmp_path).items():
        result = _run(args, VI, tmp_path)
        said = result.stdout + result.stderr
        assert result.returncode != 0, (what, said)
        assert said.strip() and "Traceback" not in said, (what, said)
        assert not english_lines(said), (what, english_lines(said))
        in_english = _run(args, EN, tmp_path)
        english[what] = english_lines(in_english.stdout + in_english.stderr)
    # Under an English locale the same mistakes are explained in English, and seen as such.
    assert sum(bool(lines) for lines in english.values()) >= len(english) // 2, english


def test_every_kind_of_template_finding_speaks_vietnamese() -> None:
    """The linter's findings for every broken template of the gallery, in Vietnamese."""
    result = _run(["templates", "check", str(BROKEN_TEMPLATES)], VI, ROOT)
    assert result.returncode == 1
    findings = [
        line for line in result.stdout.splitlines() if ": lỗi: " in line or ": cảnh báo: " in line
    ]
    assert len(findings) >= len(list(BROKEN_TEMPLATES.glob("*.docx"))) - 3, result.stdout
    assert not english_lines(result.stdout + result.stderr), english_lines(result.stdout)
    assert "thân văn bản, " in result.stdout and "đầu trang 1, " in result.stdout


def test_help_describes_every_argument_and_writes_numbers_the_vietnamese_way() -> None:
    """Arguments have their help (Click 8.5 drops the one Typer 0.25 gives: pinned below it)."""
    build = _run(["build", "--help"], VI, ROOT).stdout
    assert "Các tệp nội dung (YAML)." in build, build
    assert "GIÂY" in build and "(mặc định: 120)" in " ".join(build.split()), build
    new = _run(["new", "--help"], VI, ROOT).stdout
    assert "Tệp nội dung mới cần tạo." in new, new
    assert not english_lines(build + new)
