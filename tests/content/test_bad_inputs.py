"""The corpus of bad and hostile content files in ``tests/bad/``, through the real command line.

Each ``tests/bad/<case>.yaml`` is one mistake (most are ``_valid.yaml`` with one line changed)
and starts with ``# expect: <text>`` lines: every expected text must appear in one message, and
that message must start with ``file:line:col:``. Both ``validate`` and ``build`` must exit 1 with
no traceback, and ``build`` must write nothing. Cases that need their own registry point at one
in ``tests/bad/registries/``; the others use ``tests/bad/_registry.yaml`` (a registry must lie
in the content file's folder).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from kbc_docs.cli import app
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "bad"
TEMPLATES = ROOT / "toolkit/kbc_docs/data/templates"
CASES = sorted(p for p in BAD.glob("*.yaml") if not p.name.startswith("_"))
LOCATED = re.compile(r"^\s*\S+\.yaml:\d+:\d+: ")
runner = CliRunner()


def expectations(case: Path) -> list[str]:
    """The ``# expect:`` lines at the top of a case (read as bytes: some cases are not UTF-8)."""
    found = []
    for line in case.read_bytes().decode("utf-8", "replace").splitlines():
        if not line.startswith("#"):
            break
        if line.startswith("# expect: "):
            found.append(line.removeprefix("# expect: "))
    return found


def run(*args: str, lang: str = "C.UTF-8"):  # type: ignore[no-untyped-def]
    env = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": lang}
    return runner.invoke(app, [*args, "--templates", str(TEMPLATES)], env=env)


def assert_clean_failure(result, case: Path) -> list[str]:  # type: ignore[no-untyped-def]
    """Exit 1 through the CLI's own error path (not an exception), every problem located."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    problems = [line for line in result.output.splitlines() if line.startswith("  ")]
    # Warnings, the "nothing written" line and hints (→ the command to run next) are not problems.
    problems = [p for p in problems if not p.lstrip().startswith(("⚠", "→"))]
    problems = [p for p in problems if "earlier outputs" not in p]
    assert problems, result.output
    for problem in problems:
        assert LOCATED.match(problem), f"{case.name}: not located: {problem}"
    return problems


def test_corpus_is_big_enough_and_every_case_says_what_it_expects() -> None:
    assert len(CASES) >= 30
    for case in CASES:
        assert expectations(case), f"{case.name} has no '# expect:' line"


def test_the_corpus_base_is_valid(tmp_path: Path) -> None:
    result = run("validate", str(BAD / "_valid.yaml"))
    assert result.exit_code == 0, result.output
    result = run("build", str(BAD / "_valid.yaml"), "--out", str(tmp_path), "--format", "docx")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_validate_reports_the_expected_problem(case: Path) -> None:
    problems = assert_clean_failure(run("validate", str(case)), case)
    for expected in expectations(case):
        assert any(expected in p for p in problems), f"{expected!r} not in {problems}"


# `build content/*.yaml` matches the registry too: build skips it (see test_build.py).
BUILD_CASES = [c for c in CASES if c.name != "registry_given_as_content.yaml"]


@pytest.mark.parametrize("case", BUILD_CASES, ids=[c.stem for c in BUILD_CASES])
def test_build_refuses_and_writes_nothing(case: Path, tmp_path: Path) -> None:
    result = run("build", str(case), "--out", str(tmp_path))
    problems = assert_clean_failure(result, case)
    for expected in expectations(case):
        assert any(expected in p for p in problems), f"{expected!r} not in {problems}"
    assert "nothing written" in result.output
    assert not any(tmp_path.rglob("*")), list(tmp_path.rglob("*"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_vietnamese_locale_gets_vietnamese_located_messages(case: Path) -> None:
    result = run("validate", str(case), lang="vi_VN.UTF-8")
    problems = assert_clean_failure(result, case)
    assert "lỗi" in result.output  # "✗ file: N lỗi"
    for expected in expectations(case):
        # The file's own words (ids, quoted values) may match; English sentences may not.
        if len(expected.split()) > 4 and not expected.startswith(("'", "parties.")):
            assert not any(expected in p for p in problems), (expected, problems)


def test_whole_corpus_in_one_real_process() -> None:
    """The installed entry point, not the test runner: exit 1, every case named, no traceback."""
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "", "PYTHONPATH": str(ROOT / "toolkit")}
    command = [sys.executable, "-m", "kbc_docs", "validate", *map(str, CASES)]
    command += ["--templates", str(TEMPLATES)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for case in BUILD_CASES:
        assert f"✗ {case}" in result.stderr, case.name
        for expected in expectations(case):
            assert expected in result.stderr, (case.name, expected)
    # A registry among several files is skipped, as build skips it (test_cli.py); alone, it
    # is refused with the expected message (test_validate_reports_the_expected_problem).
    registry = next(c for c in CASES if c not in BUILD_CASES)
    assert f"{registry} is a registry, not a conference file: skipped" in result.stderr
