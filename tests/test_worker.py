"""The build's worker process: same bytes, same errors, nothing left behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from kbc_docs import cache
from kbc_docs.errors import KbcError, RenderError, TextProblem
from kbc_docs.pipeline import BuildOptions, build
from kbc_docs.worker import Worker, WorkerLost

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "content" / "2023-11-16.yaml"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KBC_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path


def test_a_build_with_a_worker_writes_the_bytes_of_one_without(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = project / "content" / EXAMPLE.name
    alone = build(file, BuildOptions(out=project / "alone"))
    from kbc_docs.render.pdf import render

    monkeypatch.setattr(cache, "_keep_in_memory", True)  # as in `watch`: layouts kept
    monkeypatch.setattr(render, "_LAYOUTS", cache.Recent(2))  # this test's own
    with Worker() as worker:
        both = build(file, BuildOptions(out=project / "both"), worker)
        again = build(file, BuildOptions(out=project / "again"), worker)  # kept layouts
    assert [p.name for p in both] == [p.name for p in alone] == [p.name for p in again]
    assert len(alone) == 4
    for a, b, c in zip(alone, both, again, strict=True):
        assert a.read_bytes() == b.read_bytes() == c.read_bytes(), a.name


def _fail_with_a_text_problem() -> None:
    raise RenderError([TextProblem("runs outside the text area", text="ភាគី")])


def test_an_error_in_the_worker_is_raised_here_with_its_problems() -> None:
    with Worker() as worker:
        worker.start(_fail_with_a_text_problem)
        with pytest.raises(RenderError) as raised:
            worker.result()
        assert raised.value.problems == [TextProblem("runs outside the text area", text="ភាគី")]
        worker.start(len, "abc")  # the worker survives its call's error
        assert worker.result() == 3


def test_a_lost_worker_is_said_and_the_next_call_forks_a_new_one() -> None:
    with Worker() as worker:
        worker.start(os._exit, 3)
        with pytest.raises(WorkerLost):
            worker.result()
        worker.start(len, "ab")
        assert worker.result() == 2


def _die(*args: object) -> None:
    os._exit(9)  # as if the kernel had killed the worker (out of memory)


def test_a_build_whose_worker_dies_renders_that_pdf_itself(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kbc_docs import pipeline

    file = project / "content" / EXAMPLE.name
    alone = build(file, BuildOptions(out=project / "alone"))
    monkeypatch.setattr(pipeline, "_render_pdf_in_worker", _die)
    here: list[str] = []  # the PDFs rendered in this process
    real = pipeline._render_pdf
    monkeypatch.setattr(pipeline, "_render_pdf", lambda v, t, *a: here.append(t) or real(v, t, *a))
    with Worker() as worker:
        lost = build(file, BuildOptions(out=project / "lost"), worker)
    assert sorted(here) == ["report.html", "signing.html"]  # the report's too: worker lost
    assert [p.read_bytes() for p in lost] == [p.read_bytes() for p in alone]


def _failing(monkeypatch: pytest.MonkeyPatch, failing: set[str]) -> None:
    """Make the steps named in ``failing`` (``report.docx``, ``report.pdf``…) fail; ``fonts``
    is the check of the fonts Word needs, before any output."""
    from kbc_docs.render.docx import fonts as docx_fonts
    from kbc_docs.render.docx import render as docx_render
    from kbc_docs.render.pdf import render as pdf_render

    real_docx, real_pdf = docx_render.render_docx, pdf_render.render_pdf
    if "fonts" in failing:

        def fonts(view):  # type: ignore[no-untyped-def]
            raise RenderError("fonts failed")

        monkeypatch.setattr(docx_fonts, "embeddable_families", fonts)

    def docx(view, template, *args, **kwargs):  # type: ignore[no-untyped-def]
        if f"{Path(template).stem}.docx" in failing:
            raise RenderError(f"{Path(template).stem}.docx failed")
        return real_docx(view, template, *args, **kwargs)

    def pdf(view, template, *args, **kwargs):  # type: ignore[no-untyped-def]
        if f"{Path(template).stem}.pdf" in failing:
            raise RenderError(f"{Path(template).stem}.pdf failed")
        return real_pdf(view, template, *args, **kwargs)

    monkeypatch.setattr(docx_render, "render_docx", docx)
    monkeypatch.setattr(pdf_render, "render_pdf", pdf)


@pytest.mark.parametrize(
    ("failing", "reported"),
    [
        ({"report.pdf"}, "report.pdf failed"),
        ({"report.pdf", "signing.docx"}, "report.pdf failed"),  # the report's PDF comes first
        ({"report.docx", "report.pdf"}, "report.docx failed"),
        ({"signing.pdf"}, "signing.pdf failed"),
        ({"fonts", "report.pdf"}, "fonts failed"),
    ],
)
def test_with_a_worker_the_error_is_the_one_a_build_without_reports(
    failing: set[str], reported: str, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing(monkeypatch, failing)  # before the worker is forked: it has the same failures
    file = project / "content" / EXAMPLE.name
    messages = []
    for worker in (None, Worker()):
        with pytest.raises(KbcError) as raised:
            build(file, BuildOptions(out=project / "out"), worker)
        messages.append(str(raised.value))
        if worker is not None:
            worker.start(len, "the worker is free for the next build")
            assert worker.result() == 37
            worker.close()
    assert messages == [reported, reported]
    assert not (project / "out").exists()  # nothing written


def _processes_with(marker: str) -> list[int]:
    """The processes whose command line contains ``marker`` (a forked worker keeps its
    parent's command line)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("how", ["ctrl-c", "kill -9"])
def test_an_interrupted_or_killed_build_leaves_no_worker(how: str, project: Path) -> None:
    out = project / f"out-{how.replace(' ', '')}"
    process = subprocess.Popen(
        [sys.executable, "-m", "kbc_docs", "build", str(EXAMPLE), "--out", str(out), "--jobs", "2"],
        env={**os.environ, "KBC_CACHE_DIR": "off"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal would give it
    )
    deadline = time.monotonic() + 60
    seen = 0  # times in a row the build had a forked process: the worker, not an fc-match
    while seen < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
        seen = seen + 1 if len(_processes_with(str(out))) >= 2 else 0
    assert seen == 3, "the build forked no worker"
    if how == "ctrl-c":
        os.killpg(process.pid, signal.SIGINT)  # what the terminal sends to the whole group
        _, err = process.communicate(timeout=60)
        assert process.returncode == 130, err
        assert "Traceback" not in err
        assert err.strip().splitlines()[-1].startswith("interrupted")
    else:
        process.kill()
        process.communicate(timeout=60)
    while _processes_with(str(out)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _processes_with(str(out))
    assert not out.exists() or not any(out.rglob("*.pdf"))
