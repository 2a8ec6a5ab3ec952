"""The build's worker process: same bytes, same errors, nothing left behind."""

from __future__ import annotations

import logging
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
from kbc_docs.render.pdf.job import PdfJob, TextBlock
from kbc_docs.worker import Worker, WorkerLost

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "content" / "2023-11-16.yaml"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KBC_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path


def _kept_versions() -> int:
    """In the worker: how many language versions' PDFs it keeps."""
    from kbc_docs.render.pdf import produce

    return len(produce._PARTS._items)


def test_a_build_with_a_worker_writes_the_bytes_of_one_without(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = project / "content" / EXAMPLE.name
    alone = build(file, BuildOptions(out=project / "alone"))
    monkeypatch.setattr(cache, "_keep_in_memory", True)  # as in `watch`: the worker keeps PDFs
    with Worker() as worker:
        both = build(file, BuildOptions(out=project / "both"), [worker])
        worker.start(_kept_versions)
        assert worker.result() == 4  # the report's two versions and the signing pages' two
        again = build(file, BuildOptions(out=project / "again"), [worker])  # kept versions
    assert [p.name for p in both] == [p.name for p in alone] == [p.name for p in again]
    assert len(alone) == 4
    for a, b, c in zip(alone, both, again, strict=True):
        assert a.read_bytes() == b.read_bytes() == c.read_bytes(), a.name


def test_two_workers_write_the_same_bytes(project: Path) -> None:
    file = project / "content" / EXAMPLE.name
    alone = build(file, BuildOptions(out=project / "alone"))
    with Worker() as first, Worker() as second:
        both = build(file, BuildOptions(out=project / "both"), [first, second])
    assert [p.read_bytes() for p in both] == [p.read_bytes() for p in alone]


_CONTENT_STACK = ("pydantic", "icu", "babel", "typer", "rich", "yaml")


def test_the_worker_never_loads_the_content_stack(project: Path) -> None:
    """The worker produces the PDFs from plain jobs: it imports none of what reading the
    content, checking it and making the view need (their memory is the build's process's)."""
    file = project / "content" / EXAMPLE.name
    with Worker() as worker:
        build(file, BuildOptions(out=project / "out"), [worker])
        worker.start("support.loaded:modules")
        loaded = worker.result()
    assert "weasyprint" in loaded  # it did produce the PDFs
    assert [m for m in loaded if m.split(".")[0] in _CONTENT_STACK] == []
    ours = [m for m in loaded if m.startswith(("kbc_docs.view", "kbc_docs.content"))]
    assert ours == ["kbc_docs.content", "kbc_docs.content.images"]  # an image's MIME type


_BUILD_AND_LIST = """
import sys
from pathlib import Path
from kbc_docs.batch import build_all
from kbc_docs.options import BuildOptions

(outcome,) = build_all([Path(sys.argv[1])], BuildOptions(out=Path(sys.argv[2])), jobs=2)
assert outcome.error is None, outcome.error
print(" ".join(sorted(sys.modules)))
"""


def test_the_build_process_never_loads_weasyprint(project: Path) -> None:
    """With its worker, a build's process renders the Word files and prepares the PDFs'
    jobs, and leaves WeasyPrint (its imports, its memory) to the worker."""
    file = project / "content" / EXAMPLE.name
    out = project / "out"
    done = subprocess.run(
        [sys.executable, "-c", _BUILD_AND_LIST, str(file), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = done.stdout.split()
    assert "kbc_docs.render.pdf.prepare" in loaded and "kbc_docs.render.docx.render" in loaded
    assert not [m for m in loaded if m.split(".")[0] in ("weasyprint", "pikepdf")]
    assert sorted(p.suffix for p in (out / file.stem).iterdir()) == [
        ".docx",
        ".docx",
        ".pdf",
        ".pdf",
    ]


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


def _log_a_warning() -> str:
    logging.getLogger("kbc_docs").warning("a drift", extra={"kbc_kind": "drift"})
    return "done"


def test_what_a_call_logs_in_the_worker_is_logged_here(caplog: pytest.LogCaptureFixture) -> None:
    with Worker() as worker:
        worker.start(_log_a_warning)
        assert worker.result() == "done"
    (record,) = [r for r in caplog.records if r.name == "kbc_docs"]
    assert (record.levelno, record.getMessage(), record.kbc_kind) == (
        logging.WARNING,
        "a drift",
        "drift",
    )


def test_answers_discarded_are_skipped() -> None:
    with Worker() as worker:
        worker.start(len, "a")
        worker.start(len, "ab")
        worker.discard()  # a build failed before reading them; the worker stays
        worker.start(len, "abc")
        assert worker.result() == 3


def test_a_lost_worker_is_said_and_the_next_call_starts_a_new_one() -> None:
    with Worker() as worker:
        worker.start(os._exit, 3)
        with pytest.raises(WorkerLost):
            worker.result()
        worker.start(len, "ab")
        assert worker.result() == 2


def _die(*args: object) -> None:
    os._exit(9)  # as if the kernel had killed the worker (out of memory)


def test_a_build_whose_worker_dies_produces_the_pdfs_itself(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kbc_docs import pipeline

    file = project / "content" / EXAMPLE.name
    alone = build(file, BuildOptions(out=project / "alone"))
    monkeypatch.setattr(pipeline, "PRODUCE", f"{__name__}:_die")
    here: list[str] = []  # the PDFs produced in this process
    real = pipeline._produce_here
    monkeypatch.setattr(
        pipeline, "_produce_here", lambda job: here.append(job.template) or real(job)
    )
    with Worker() as worker:
        lost = build(file, BuildOptions(out=project / "lost"), [worker])
    assert sorted(here) == ["report.html", "signing.html"]  # both: the worker was lost
    assert [p.read_bytes() for p in lost] == [p.read_bytes() for p in alone]


def test_a_worker_that_cannot_start_leaves_the_pdfs_to_the_build(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = project / "content" / EXAMPLE.name
    alone = build(file, BuildOptions(out=project / "alone"))
    monkeypatch.setattr(sys, "executable", str(project / "no-python"))  # no process to start
    with Worker() as worker:
        assert not worker.spawn()
        started = build(file, BuildOptions(out=project / "started"), [worker])
    assert [p.read_bytes() for p in started] == [p.read_bytes() for p in alone]


def _fail_if_named(job: PdfJob) -> None:
    """Raise if ``job``'s document is named in ``KBC_TEST_FAILING`` (``report.pdf``…): the
    worker gets this process's environment."""
    name = f"{Path(job.template).stem}.pdf"
    if name in os.environ["KBC_TEST_FAILING"].split():
        raise RenderError(f"{name} failed")


def _failing_produce(job: PdfJob) -> tuple[bytes, list[TextBlock]]:
    """``produce_pdf`` in the worker, failing for the documents named."""
    from kbc_docs.render.pdf.produce import produce_pdf

    _fail_if_named(job)
    return produce_pdf(job)


def _failing(monkeypatch: pytest.MonkeyPatch, failing: set[str]) -> None:
    """Make the steps named in ``failing`` (``report.docx``, ``report.pdf``…) fail; ``fonts``
    is the check of the fonts Word needs, before any output; ``report.html`` the preparation
    of the report's PDF (its HTML, its fonts)."""
    from kbc_docs import pipeline
    from kbc_docs.render.docx import fonts as docx_fonts
    from kbc_docs.render.docx import render as docx_render
    from kbc_docs.render.pdf import prepare

    real_docx, real_prepare = docx_render.render_docx, prepare.prepare_pdf
    real_here = pipeline._produce_here
    if "fonts" in failing:

        def fonts(view):  # type: ignore[no-untyped-def]
            raise RenderError("fonts failed")

        monkeypatch.setattr(docx_fonts, "embeddable_families", fonts)

    def docx(view, template, *args, **kwargs):  # type: ignore[no-untyped-def]
        if f"{Path(template).stem}.docx" in failing:
            raise RenderError(f"{Path(template).stem}.docx failed")
        return real_docx(view, template, *args, **kwargs)

    def prepared(view, template, *args, **kwargs):  # type: ignore[no-untyped-def]
        if template in failing:
            raise RenderError(f"{template} failed")
        return real_prepare(view, template, *args, **kwargs)

    monkeypatch.setattr(docx_render, "render_docx", docx)
    monkeypatch.setattr(prepare, "prepare_pdf", prepared)
    monkeypatch.setenv("KBC_TEST_FAILING", " ".join(sorted(failing)))
    monkeypatch.setattr(pipeline, "PRODUCE", f"{__name__}:_failing_produce")  # in the worker
    monkeypatch.setattr(
        pipeline, "_produce_here", lambda job: _fail_if_named(job) or real_here(job)
    )


@pytest.mark.parametrize(
    ("failing", "reported"),
    [
        ({"report.pdf"}, "report.pdf failed"),
        ({"report.pdf", "signing.docx"}, "report.pdf failed"),  # the report's PDF comes first
        ({"report.docx", "report.pdf"}, "report.docx failed"),
        ({"signing.pdf"}, "signing.pdf failed"),
        ({"fonts", "report.pdf"}, "fonts failed"),
        ({"report.docx", "report.html"}, "report.docx failed"),  # prepared before the DOCX
        ({"report.html", "signing.docx"}, "report.html failed"),
        ({"signing.html", "report.pdf"}, "report.pdf failed"),
    ],
)
def test_with_a_worker_the_error_is_the_one_a_build_without_reports(
    failing: set[str], reported: str, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing(monkeypatch, failing)  # before the worker starts: it has the same environment
    file = project / "content" / EXAMPLE.name
    messages = []
    for workers in ([], [Worker()], [Worker(), Worker()]):
        with pytest.raises(KbcError) as raised:
            build(file, BuildOptions(out=project / "out"), workers)
        messages.append(str(raised.value))
        for worker in workers:
            worker.start(len, "the worker is free for the next build")
            assert worker.result() == 37
            worker.close()
    assert messages == [reported, reported, reported]
    assert not (project / "out").exists()  # nothing written


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _is_worker(pid: int) -> bool:
    try:
        return b"kbc_docs.worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


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
    workers: list[int] = []
    while not workers and time.monotonic() < deadline:
        time.sleep(0.05)
        workers = [pid for pid in _children(process.pid) if _is_worker(pid)]
    assert workers, "the build started no worker"
    time.sleep(0.5)  # the worker imports, the build reads the content
    if how == "ctrl-c":
        os.killpg(process.pid, signal.SIGINT)  # what the terminal sends to the whole group
        _, err = process.communicate(timeout=60)
        assert process.returncode == 130, err
        assert "Traceback" not in err
        assert err.strip().splitlines()[-1].startswith("interrupted")
    else:
        process.kill()
        process.communicate(timeout=60)
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_alive, workers))
    assert not out.exists() or not any(out.rglob("*.pdf"))


# ------------------------------------------------- a document's versions in a forked copy


def _report_job(document: str = "report") -> PdfJob:
    from kbc_docs.content.resolve import load_content
    from kbc_docs.pipeline import _prepare_pdf, document_time, source_files
    from kbc_docs.view import build_view

    resolved, locales = load_content(EXAMPLE, None)
    view = build_view(resolved, locales)
    when = document_time(resolved.content.signing.date)
    return _prepare_pdf(view, document, resolved.templates, when, source_files(EXAMPLE, resolved))


def _produce_noting_processes(job: PdfJob, die_in_copy: bool = False) -> tuple[bytes, int]:
    """In the worker: ``job``'s PDF, each version's process logged (``version N in PID``),
    and the worker's process id. With ``die_in_copy``, the forked copy dies at once (as if
    killed)."""
    from kbc_docs import beside
    from kbc_docs.render.pdf import produce

    beside.core_free = lambda: True  # a copy even on a busy machine
    worker, real = os.getpid(), produce.produce_part

    def noted(job: PdfJob, version: int) -> produce.Part:
        if die_in_copy and os.getpid() != worker:
            os._exit(9)
        logging.getLogger("kbc_docs").info("version %d in %d", version, os.getpid())
        return real(job, version)

    produce.produce_part = noted
    try:
        return produce.produce_pdf(job)[0], worker
    finally:
        produce.produce_part = real


@pytest.mark.parametrize("document", ["report", "signing"])
def test_the_worker_lays_out_the_versions_in_two_processes_with_the_bytes_of_one(
    document: str, project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The report's Khmer version is laid out in a forked copy of the worker; the signing
    pages' versions are too small to be worth one (``produce.COPY_WORTH``)."""
    from kbc_docs.render.pdf.produce import produce_pdf

    job = _report_job(document)
    alone, _ = produce_pdf(job)  # here, one version after the other
    caplog.set_level(logging.INFO, logger="kbc_docs")
    with Worker() as worker:
        worker.start(_produce_noting_processes, job)
        pdf, pid = worker.result()
        assert [p for p in _children(pid) if _alive(p)] == []  # the copy was collected
    made = dict(
        (int(v), int(p))
        for r in caplog.records
        if r.getMessage().startswith("version ")
        for _, v, _, p in [r.getMessage().split()]
    )
    assert made[0] == pid and made[1] != os.getpid()
    if document == "report":
        assert made[1] != pid  # logged in the copy, relayed by the worker
    else:
        assert made[1] == pid
    assert pdf == alone


def test_a_forked_copy_that_dies_leaves_its_version_to_the_worker(project: Path) -> None:
    from kbc_docs.render.pdf.produce import produce_pdf

    job = _report_job()
    alone, _ = produce_pdf(job)
    with Worker() as worker:
        worker.start(_produce_noting_processes, job, True)
        pdf, pid = worker.result()
        assert [p for p in _children(pid) if _alive(p)] == []  # no zombie
        worker.start(len, "the worker goes on")
        assert worker.result() == 18
    assert pdf == alone


def _copy_sleeping() -> None:
    """In the worker: a forked copy that sleeps, and the worker waiting for it."""
    from kbc_docs import beside

    beside.core_free = lambda: True  # a copy even on a busy machine
    child = beside.start(time.sleep, 600)
    assert child is not None
    child.result()


_HOLD_A_WORKER = """
import signal, sys, time
from kbc_docs.worker import Worker
worker = Worker()
signal.signal(signal.SIGTERM, lambda *_: (worker.close(), sys.exit(0)))
worker.start("test_worker:_copy_sleeping")
print(worker._process.pid, flush=True)
time.sleep(600)
"""


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("how", ["kill -9 the build", "terminate the worker", "close"])
def test_a_forked_copy_ends_with_its_worker(how: str) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", _HOLD_A_WORKER],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    worker = int(process.stdout.readline())
    deadline = time.monotonic() + 60
    copies: list[int] = []
    while not copies and time.monotonic() < deadline:
        time.sleep(0.05)
        copies = [pid for pid in _children(worker) if _alive(pid)]
    assert copies, "the worker forked no copy"
    if how == "kill -9 the build":
        process.kill()
    elif how == "terminate the worker":
        os.kill(worker, signal.SIGTERM)
    else:  # the build ends its worker (Ctrl-C, SIGTERM, SIGHUP of the build come to this)
        os.kill(process.pid, signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    while any(map(_alive, [worker, *copies])) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_alive, [worker, *copies]))
    process.kill()
    process.wait()
