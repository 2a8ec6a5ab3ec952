"""The PDF worker the entry point starts before the CLI loads (:mod:`kbc_docs.early`).

It is started only for a build that uses one, before Typer is imported; the build uses it
(one worker in all, the bytes of a build without it); an up-to-date file, another command or a
build without PDFs starts none; a bad content file says where it is wrong, writes nothing and
leaves no worker running.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
import typer
from kbc_docs import early, incremental
from kbc_docs.cli import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "content" / "2023-11-16.yaml"


def test_the_guess_knows_every_option_of_the_build_command() -> None:
    """A new option of ``build`` must be taught to the guess (else builds using it start no
    worker early: slower, never wrong)."""
    build = typer.main.get_command(app).commands["build"]  # type: ignore[attr-defined]
    flags: set[str] = set()
    valued: set[str] = set()
    for param in build.params:
        if isinstance(param, click.Option):
            (flags if param.is_flag else valued).update([*param.opts, *param.secondary_opts])
    assert flags == early.FLAGS
    assert valued == early.VALUED


class _Spawned:
    """Stands for a worker: counts what :func:`early.start` starts."""

    started: list[_Spawned] = []  # noqa: RUF012

    def spawn(self) -> bool:
        _Spawned.started.append(self)
        return True

    def close(self) -> None:
        pass


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[_Spawned]:
    """The workers :func:`early.start` starts, on two cores, with an empty cache."""
    monkeypatch.setenv("KBC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(early, "Worker", _Spawned)
    monkeypatch.setattr(early, "pause_collection", lambda: None)  # this process's collector
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.chdir(tmp_path)
    _Spawned.started = []
    yield _Spawned.started
    early.close()


@pytest.mark.parametrize(
    "argv",
    [
        ["build", "a.yaml"],
        ["build", "a.yaml", "--force", "--out", "x", "--draft", "--no-embed-fonts"],
        ["build", "--out=x", "-j", "2", "--format", "pdf", "a.yaml", "--wait", "3"],
        ["build", "a.yaml", "--templates", "t", "--strict", "--allow-template-drift", "--open"],
    ],
)
def test_a_build_of_one_file_starts_its_worker(argv: list[str], spawned: list[_Spawned]) -> None:
    early.start(argv)
    assert len(spawned) == 1
    assert early.take() == spawned
    assert early.take() == []


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["validate", "a.yaml"],
        ["watch", "a.yaml"],
        ["build"],
        ["build", "a.yaml", "b.yaml"],
        ["build", "a.yaml", "--help"],
        ["build", "a.yaml", "--format", "docx"],
        ["build", "a.yaml", "--jobs", "1"],
        ["build", "a.yaml", "-j1"],
        ["build", "a.yaml", "--jobs", "two"],
        ["build", "a.yaml", "--out"],
        ["build", "a.yaml", "--new-option"],
        ["build", "--", "a.yaml"],
    ],
)
def test_no_worker_for_anything_else(argv: list[str], spawned: list[_Spawned]) -> None:
    early.start(argv)
    assert spawned == []


def test_a_file_built_and_unchanged_starts_none(spawned: list[_Spawned], tmp_path: Path) -> None:
    """The last build's record decides before the options are known: unchanged, the build
    checks the rest itself (and starts its worker if it must); changed, it is not up to date."""
    content = Path("a.yaml")  # as the command line names it (the working folder: tmp_path)
    content.write_text("a: 1\n", encoding="utf-8")
    output = tmp_path / "out" / "a.pdf"
    output.parent.mkdir()
    output.write_bytes(b"%PDF-")
    incremental.record(content, Path("out"), "settings", [content], [], [output])
    assert incremental.up_to_date(content, Path("out"), "settings") is not None
    early.start(["build", "a.yaml", "--out", "out"])
    assert spawned == []
    assert not early.outdated(Path("a.yaml"), Path("out"))
    content.write_text("a: 22\n", encoding="utf-8")  # another size: seen whatever the clock
    early.start(["build", "a.yaml", "--out", "out"])
    assert len(spawned) == 1
    assert early.outdated(Path("a.yaml"), Path("out"))
    assert incremental.up_to_date(Path("a.yaml"), Path("out"), "settings") is None
    early.close()
    assert not early.outdated(Path("a.yaml"), Path("out"))


def test_no_worker_on_one_core(spawned: list[_Spawned], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    early.start(["build", "a.yaml"])
    assert spawned == []
    early.start(["build", "a.yaml", "--jobs", "2"])
    assert len(spawned) == 1


_PROBE = """
import gc, subprocess, sys

workers = []
collecting = []  # whether garbage was collected when each worker started


class Popen(subprocess.Popen):
    def __init__(self, args, *rest, **options):
        super().__init__(args, *rest, **options)
        if "-P" in args:  # a PDF worker (kbc_docs.worker)
            workers.append((self, "typer" in sys.modules))
            collecting.append(gc.isenabled())


subprocess.Popen = Popen
from kbc_docs.__main__ import main

sys.argv = ["kbc-docs", *sys.argv[1:]]
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code
print("exit", code, "workers", len(workers), "before typer", sum(not t for _, t in workers),
      "running", sum(p.poll() is None for p, _ in workers), file=sys.stderr)
assert not any(collecting) and gc.isenabled(), (collecting, gc.isenabled())
"""


def _kbc_docs(*args: str | Path, cwd: Path) -> tuple[str, str]:
    """``kbc-docs ARGS`` through the console script's entry point; (stdout, stderr)."""
    env = {**os.environ, "KBC_CACHE_DIR": str(cwd / "cache"), "LANG": "C.UTF-8", "LC_ALL": ""}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.stdout, done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a worker runs on Linux only")
def test_the_entry_point_starts_the_one_worker_a_build_uses(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    build = ("build", "content/2023-11-16.yaml", "--jobs", "2")
    out, err = _kbc_docs(*build, "--out", "early", cwd=tmp_path)
    assert err.splitlines()[-1] == "exit 0 workers 1 before typer 1 running 0", out + err
    _, err = _kbc_docs(*build[:2], "--jobs", "1", "--out", "alone", cwd=tmp_path)
    assert err.splitlines()[-1] == "exit 0 workers 0 before typer 0 running 0", err
    names = sorted(p.name for p in (tmp_path / "early" / "2023-11-16").iterdir())
    assert sorted(n.rsplit(".", 1)[1] for n in names) == ["docx", "docx", "pdf", "pdf"]
    for name in names:  # the worker's bytes are the bytes of a build without one
        early_bytes = (tmp_path / "early" / "2023-11-16" / name).read_bytes()
        assert early_bytes == (tmp_path / "alone" / "2023-11-16" / name).read_bytes(), name

    out, err = _kbc_docs(*build, "--out", "early", cwd=tmp_path)  # up to date: no worker
    assert "up to date" in out
    assert err.splitlines()[-1] == "exit 0 workers 0 before typer 0 running 0", err

    content = tmp_path / "content" / "2023-11-16.yaml"  # a sentence changed: built again
    text = content.read_text(encoding="utf-8")
    anchor = "tiếp giáp tỉnh Kiên Giang"
    content.write_text(text.replace(anchor, f"{anchor} (1)", 1), encoding="utf-8")
    out, err = _kbc_docs(*build, "--out", "early", cwd=tmp_path)
    assert err.splitlines()[-1] == "exit 0 workers 1 before typer 1 running 0", out + err
    report = tmp_path / "early" / "2023-11-16" / "2023-11-16_report_vi-km.pdf"
    assert report.read_bytes() != (tmp_path / "alone" / "2023-11-16" / report.name).read_bytes()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a worker runs on Linux only")
def test_a_bad_content_file_is_located_and_leaves_no_worker(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    bad = tmp_path / "content" / "2023-11-16.yaml"
    text = bad.read_text(encoding="utf-8")
    bad.write_text(text.replace("date: 2023-11-16", "date: 2023-11-31", 1), encoding="utf-8")
    line = 1 + text[: text.index("date: 2023-11-16")].count("\n")
    out, err = _kbc_docs("build", "content/2023-11-16.yaml", "--jobs", "2", cwd=tmp_path)
    assert "Traceback" not in err
    assert f"content/2023-11-16.yaml:{line}:" in err
    assert err.splitlines()[-1] == "exit 1 workers 1 before typer 1 running 0", out + err
    assert not (tmp_path / "build").exists() or not any((tmp_path / "build").rglob("*.*"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a worker runs on Linux only")
def test_the_worker_collects_garbage_once_it_has_imported() -> None:
    """It imports WeasyPrint without collecting (as the build's start does), then collects as
    usual: the layouts make many objects."""
    from kbc_docs.worker import Worker

    with Worker() as worker:
        worker.start("gc:isenabled")
        assert worker.result() is True


_CTRL_C_WHILE_THE_CLI_LOADS = """
import importlib.abc, sys


class CtrlC(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "kbc_docs.cli":
            raise KeyboardInterrupt  # as Ctrl-C would while the CLI's modules load
        return None


sys.meta_path.insert(0, CtrlC())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a worker runs on Linux only")
def test_ctrl_c_while_the_cli_loads_is_one_line_and_leaves_no_worker(tmp_path: Path) -> None:
    """Ctrl-C after the entry point started the worker but before the CLI has its own handler:
    the line and exit code of a Ctrl-C later on, no traceback, nothing written, no worker."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    build = ("build", "content/2023-11-16.yaml", "--force", "--jobs", "2")
    done = subprocess.run(
        [sys.executable, "-c", _CTRL_C_WHILE_THE_CLI_LOADS + _PROBE, *build],
        cwd=tmp_path,
        env={**os.environ, "KBC_CACHE_DIR": str(tmp_path / "cache"), "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stderr.splitlines() == [
        "interrupted: nothing more was written; earlier outputs are untouched",
        "exit 130 workers 1 before typer 1 running 0",
    ]
    assert not (tmp_path / "build").exists()
