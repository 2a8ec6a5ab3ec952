"""Benchmark: kbc-docs beside LibreOffice, side by side in one run; prints medians and ratios.

Run with ``./run python benchmarks/bench_build.py [--runs N]``. It measures, each as whole
processes unless said otherwise (medians over ``--runs``):

* a cold build (new process, ``--force``) with an empty cache and with the disk cache filled,
  and the build after a text of the content file changed (cache filled, no ``--force``),
  against LibreOffice converting the same two DOCX files to PDF (the route kbc-docs replaces),
  and the same build in one process (``--jobs 1``: no worker for the report's PDF); kbc-docs
  and LibreOffice take turns, so a change in the machine's load weighs on both alike;
* a no-op rebuild (nothing changed: "up to date");
* a warm rebuild in one process, and the rebuild ``kbc-docs watch`` makes after a save (a
  comment added, which changes no document, and a change to the report's text);
* a batch of ten content files with ``--jobs 1`` and ``--jobs 2``, after one batch not counted
  (so both find the same caches);
* the peak memory of each process (a build's worker, :mod:`kbc_docs.worker`, is a process of
  its own: the larger of the two peaks is printed) and the output sizes, with the share of Khmer/Lao
  paragraphs that come back exactly from the PDFs;
* the reader matrix of every example content file: for each reader people use (PDFium, pdf.js,
  MuPDF, poppler, pypdf) and each language, the paragraphs found exactly / their number.

Each line gives the wall time and the CPU time (user + system, the process and the processes it
waited for): on a shared machine the wall time grows with the other users' load, the CPU time
hardly, so the ratios are printed for both, and the load average before and after.

Timing lives here, not in tests, because a loaded CI machine would make timed assertions flaky.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "content" / "2023-11-16.yaml"


Sample = tuple[float, float, int]
"""Wall time (s), CPU time (s) and peak memory (KB) of one process."""


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Sample:
    """Wall time, CPU time and peak memory of one process, which must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")  # type: ignore[union-attr]
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def process_peaks(command: list[str], cwd: Path, env: dict[str, str]) -> dict[str, int]:
    """The peak memory (KB, VmHWM) of the build's process and of its PDF worker, sampled every
    5 ms while they run (``wait4`` gives only the larger). Other children (``fc-match``) are
    left out: between their fork and their exec they show the parent's pages."""
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL)
    peaks: dict[str, int] = {}
    while process.poll() is None:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        try:
            pids = [process.pid, *map(int, children.read_text().split())]
        except OSError:
            break
        for pid in pids:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                line = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if pid == process.pid:
                name = "build"
            elif b"kbc_docs.worker" in line:
                name = "PDF worker"
            else:
                continue
            for row in status.splitlines():
                if row.startswith("VmHWM:"):
                    peaks[name] = max(peaks.get(name, 0), int(row.split()[1]))
        time.sleep(0.005)
    process.wait()
    return peaks


def medians(samples: list[Sample]) -> Sample:
    """Median wall and CPU times; the largest peak memory."""
    return (
        statistics.median(s[0] for s in samples),
        statistics.median(s[1] for s in samples),
        max(s[2] for s in samples),
    )


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall and CPU time of ``fn`` in this process."""
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def line(
    label: str, seconds: float, cpu: float | None = None, memory_kb: int | None = None
) -> None:
    cpu_text = f"  cpu {cpu:7.3f} s" if cpu is not None else " " * 16
    memory = f"  peak {memory_kb / 1024:6.1f} MB" if memory_kb else ""
    print(f"{label:48} {seconds:7.3f} s{cpu_text}{memory}")


def ratio(label: str, wall: float, cpu: float | None = None, note: str = "") -> None:
    cpu_text = f"  cpu {cpu:7.2f} ×" if cpu is not None else " " * 16
    print(f"{label:48} {wall:7.2f} ×{cpu_text}  {note}")


def watch_rebuild(content: Path, out: Path, runs: int, edit: Callable[[str, int], str]) -> float:
    """Seconds from saving the content file, changed by ``edit``, to the end of the rebuild
    ``watch`` makes.

    The first save is not counted: a file up to date when ``watch`` starts is not built then,
    so the first save builds everything (a warm process's whole build, see the warm rebuild);
    the saves after it are what a clerk editing the file waits for.
    """
    from kbc_docs.pipeline import BuildOptions
    from kbc_docs.watch import watch_and_build

    finished: list[float] = []
    done = threading.Event()
    stop = threading.Event()

    def report(_outcome: object) -> None:
        finished.append(time.perf_counter())
        done.set()

    thread = threading.Thread(
        target=watch_and_build, args=(content, BuildOptions(out=out), report, stop)
    )
    thread.start()
    done.wait(120)
    text = content.read_text(encoding="utf-8")
    times = []
    for i in range(runs + 1):
        time.sleep(0.5)
        done.clear()
        saved = time.perf_counter()
        content.write_text(edit(text, i), encoding="utf-8")
        done.wait(120)
        times.append(finished[-1] - saved)
    times = times[1:]
    stop.set()
    thread.join(30)
    content.write_text(text, encoding="utf-8")
    return statistics.median(times)


def comment_edit(text: str, i: int) -> str:
    """A save that changes no document: a comment added (every layout can be kept)."""
    return text + f"\n# edit {i}\n"


def report_edit(text: str, i: int) -> str:
    """A save that changes a sentence of the report: the report is laid out again."""
    anchor = "tiếp giáp tỉnh Kiên Giang"
    if anchor not in text:
        raise SystemExit(f"the example no longer says {anchor!r}: update report_edit")
    return text.replace(anchor, f"{anchor} ({i + 1})", 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kbc-bench-"))
    script = Path(sys.executable).with_name("kbc-docs")
    cli = [str(script)] if script.exists() else [sys.executable, "-m", "kbc_docs"]
    try:
        project = work / "project"
        shutil.copytree(ROOT / "content", project / "content")
        content = project / "content" / EXAMPLE.name
        out = work / "out"
        # Python's bytecode kept between runs, as it is for an installed package (pip compiles
        # it at install time); a session that sets PYTHONDONTWRITEBYTECODE would otherwise
        # compile every kbc-docs module in every run.
        env = {**os.environ, "KBC_CACHE_DIR": str(work / "cache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        build = [*cli, "build", str(content), "--out", str(out)]
        print(f"kbc-docs on {content.name}, medians of {args.runs} runs, {os.cpu_count()} cores")
        print(f"load average at the start: {os.getloadavg()[0]:.2f}\n")
        run([*build, "--force"], project, {**env, "KBC_CACHE_DIR": "off"})  # writes the bytecode

        empty = []
        for i in range(args.runs):
            cold_env = {**env, "KBC_CACHE_DIR": str(work / f"cache-empty-{i}")}
            empty.append(run([*build, "--force"], project, cold_env))
        cold_empty = medians(empty)
        run([*build, "--force"], project, env)  # fills the disk cache the next runs read
        docx = sorted((out / content.stem).glob("*.docx"))
        lo_out = work / "libreoffice"
        office = ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{work}/lo"]
        convert = [*office, "--convert-to", "pdf", "--outdir", str(lo_out), *map(str, docx)]
        run(convert, project)  # LibreOffice's first start creates its profile; not counted
        # kbc-docs and LibreOffice one after the other in each round, so that a change in the
        # machine's load during the run weighs on both sides of the ratio alike.
        rounds = [
            (run([*build, "--force"], project, env), run(convert, project))
            for _ in range(args.runs)
        ]
        cold = medians([ours for ours, _ in rounds])
        lo = medians([theirs for _, theirs in rounds])
        alone = [run([*build, "--force", "--jobs", "1"], project, env) for _ in range(args.runs)]
        cold_alone = medians(alone)  # the same build without the worker process
        # A content file edited since its last build: what the disk cache holds for the old
        # text (its segmentation) does not serve the new sentence.
        original = content.read_text(encoding="utf-8")
        edited = []
        for i in range(args.runs):
            content.write_text(report_edit(original, 100 + i), encoding="utf-8")
            edited.append(run(build, project, env))
        content.write_text(original, encoding="utf-8")
        cold_edited = medians(edited)
        run([*build, "--force"], project, env)  # the outputs of the original file again
        noop = medians([run(build, project, env) for _ in range(args.runs)])

        line("cold build, empty cache (2 DOCX + 2 PDF)", *cold_empty)
        line("cold build, disk cache filled", *cold)
        line("  the same in one process (--jobs 1, no worker)", *cold_alone)
        peaks = process_peaks([*build, "--force"], project, env)
        each = ", ".join(
            f"{name.rsplit(' ', 1)[0]} {kb / 1024:.1f} MB" for name, kb in peaks.items()
        )
        print(f"  peak of each process (sampled): {each}")
        line("  a text of the content file changed", *cold_edited)
        line("LibreOffice converting the same 2 DOCX to PDF", *lo)
        ratio(
            "  kbc-docs (cache filled) / LibreOffice", cold[0] / lo[0], cold[1] / lo[1], "(≤ 1.0)"
        )
        ratio(
            "  kbc-docs (text changed) / LibreOffice",
            cold_edited[0] / lo[0],
            cold_edited[1] / lo[1],
        )
        ratio(
            "  kbc-docs (empty cache) / LibreOffice", cold_empty[0] / lo[0], cold_empty[1] / lo[1]
        )
        line("no-op rebuild (up to date)", *noop)

        os.environ["KBC_CACHE_DIR"] = str(work / "cache")
        from kbc_docs.pipeline import BuildOptions
        from kbc_docs.pipeline import build as build_in_process

        options = BuildOptions(out=out)
        build_in_process(content, options)  # warm-up: imports, fonts, template parsing
        line(
            "warm rebuild in one process",
            *timed(lambda: build_in_process(content, options), args.runs),
        )
        line(
            "rebuild by `watch`, a comment saved",
            watch_rebuild(content, out, args.runs, comment_edit),
        )
        line(
            "rebuild by `watch`, the report's text changed",
            watch_rebuild(content, out, args.runs, report_edit),
        )

        batch = project / "batch"
        batch.mkdir()
        shutil.copy(project / "content" / "registry.yaml", batch / "registry.yaml")
        files = []
        for i in range(10):
            files.append(batch / f"conference-{i:02}.yaml")
            shutil.copy(content, files[-1])
        # One batch first, not counted: the memo of names kept whole (keyed on each document's
        # head, which names the file) then serves both measured batches alike; without it the
        # first batch measured would fill it for the second.
        warm_up = [*cli, "build", *map(str, files), "--out", str(work / "batch-out"), "--force"]
        run(warm_up, project, env)
        per_jobs = {}
        for jobs in (1, 2):
            command = [*cli, "build", *map(str, files), "--out", str(work / "batch-out")]
            command += ["--force", "--jobs", str(jobs)]
            per_jobs[jobs] = medians(
                [run(command, project, env) for _ in range(max(1, args.runs // 2))]
            )
            line(f"batch of 10, --jobs {jobs}", *per_jobs[jobs])
        ratio("  speed-up with 2 jobs", per_jobs[1][0] / per_jobs[2][0], note="(≥ 1.7 wanted)")
        print(f"load average at the end: {os.getloadavg()[0]:.2f}")

        print()
        report_outputs(content, out)
        print_reader_matrix(project / "content", work / "readers")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report_outputs(content: Path, out: Path) -> None:
    """Each output's size; for PDFs, the share of Khmer/Lao paragraphs extracted exactly."""
    sys.path.insert(0, str(ROOT / "tests"))
    from kbc_docs.content.resolve import load_content
    from kbc_docs.view import build_view
    from support.pdf_checks import round_trip_share

    resolved, locales = load_content(content)
    view = build_view(resolved, locales)
    for file in sorted((out / content.stem).iterdir()):
        text = f"{file.name:45} {file.stat().st_size / 1024:8.1f} KB"
        if file.suffix == ".pdf":
            document = file.stem.split("_")[1]
            printed = [s for v in view.versions for s in v.printed(document)]
            share = round_trip_share(file.read_bytes(), printed)
            text += f"   Khmer/Lao paragraphs extracted exactly: {share:.0%}"
        print(text)


def print_reader_matrix(contents: Path, out: Path) -> None:
    """Build every example content file's PDFs and print what each reader gets back."""
    sys.path.insert(0, str(ROOT / "tests"))
    from kbc_docs.content.resolve import load_content
    from kbc_docs.pipeline import BuildOptions
    from kbc_docs.pipeline import build as build_in_process
    from kbc_docs.view import build_view
    from support.reader_matrix import matrix, table

    pdfs, views = {}, {}
    for content in sorted(contents.glob("*.yaml")):
        if content.name == "registry.yaml":
            continue
        build_in_process(content, BuildOptions(out=out, formats=("pdf",)))
        resolved, locales = load_content(content)
        view = build_view(resolved, locales)
        for pdf in sorted((out / content.stem).glob("*.pdf")):
            key = f"{content.stem}/{pdf.stem.split('_')[1]}"
            pdfs[key], views[key] = pdf, view
    print("\nreader matrix, every example (paragraphs found exactly / total):")
    print(table(matrix(pdfs, views)))


if __name__ == "__main__":
    main()
