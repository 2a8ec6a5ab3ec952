"""The PDF worker of ``kbc-docs build FILE``, started before the command line is parsed.

A build's wall time is its path to the report's PDF job plus the PDFs the worker
(:mod:`kbc_docs.worker`) produces; the worker needs ≈ 0.3 s of CPU to import WeasyPrint before
it takes that job. Started by the build itself, after Python has imported Typer, Click, rich and
the commands and after the up-to-date check, it is ready ≈ 0.1 s later than when started from
the entry point (:mod:`kbc_docs.__main__`), before any of that. So the entry point reads the
command line first (:func:`start`) and, when it is a build of one content file that will
produce its PDFs in a worker and is not already up to date, starts the worker then; the build
command takes it (:func:`take`) and :func:`kbc_docs.batch.build_all` uses it as its own.

This is a guess from the words of the command line, made the cautious way: any word it does not
know (``--help``, a new option), more than one file, ``--format docx``, ``--jobs 1``, a single
core, or a content file the last build's record shows unchanged (the full check, which needs
the options, comes later) starts nothing, and the build starts its worker itself as before. A
wrong guess costs the CPU of a worker ended unused (:func:`close`, always called when the
command ends), never an output or a message. ``tests/cli/test_early.py`` holds the guess to the
build command's options. A file the record shows changed is not checked again by the build
(:func:`outdated`).

Until a build of one content file has sent its PDFs' jobs (or ended), its process collects no
garbage either
(:func:`pause_collection`, :func:`resume_collection`): it imports and reads there, allocating
much and freeing little, and the collections the allocations trigger went through every object
imported so far for nothing (≈ 40 ms of CPU on the way to the report's job; the build's peak
memory is the same).
"""

from __future__ import annotations

import gc
import logging
import os
from pathlib import Path

from kbc_docs.worker import Worker, can_start

FLAGS = frozenset(
    {
        "--draft",
        "--embed-fonts",
        "--no-embed-fonts",
        "--strict",
        "--force",
        "--allow-template-drift",
        "--open",
    }
)
"""The build command's options that take no value."""

VALUED = frozenset({"--out", "--format", "--templates", "--jobs", "-j", "--wait"})
"""The build command's options that take a value."""

_started: list[Worker] = []
_outdated: list[tuple[Path, Path]] = []  # (content file, output folder): changed since built


def start(argv: list[str]) -> None:
    """For ``argv`` (the words after ``kbc-docs``) a build of one content file: pause garbage
    collection (:func:`resume_collection` resumes it), and start the PDF worker now if the
    build will use one; :func:`take` hands it to the build command."""
    if (build := _one_file_build(argv)) is None:
        return
    file, out, force, uses_worker = build
    pause_collection()
    if not uses_worker:
        return
    if not force:
        from kbc_docs import incremental

        if incremental.may_be_up_to_date(file, out):
            return
        _outdated.append((file, out))
    # The level the build command's show_notices() sets: the worker relays what it logs
    # from that level on, as when the build starts it.
    logger = logging.getLogger("kbc_docs")
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)
    worker = Worker()
    if worker.spawn():
        _started.append(worker)


def take() -> list[Worker]:
    """The workers :func:`start` started (none, usually, unless called from the entry point);
    the caller ends them."""
    taken = _started[:]
    _started.clear()
    return taken


def outdated(file: Path, out: Path) -> bool:
    """Whether :func:`start` found that ``file`` changed since its last build into ``out``:
    a build of it need not check again whether it is up to date (it is not)."""
    return (file, out) in _outdated


def close() -> None:
    """End a worker started and not taken (the command failed before its build)."""
    for worker in take():
        worker.close()
    _outdated.clear()
    resume_collection()


_paused = False  # garbage collection paused by pause_collection()


def pause_collection() -> None:
    """No garbage collection in this process until :func:`resume_collection`."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collection() -> None:
    """Collect garbage again if :func:`pause_collection` paused it; else nothing."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


def _one_file_build(argv: list[str]) -> tuple[Path, Path, bool, bool] | None:
    """(content file, output folder, ``--force``, whether a worker produces its PDFs, as
    :func:`kbc_docs.batch.build_all` decides) when ``argv`` is ``build`` of one content file;
    else None."""
    if not argv or argv[0] != "build":
        return None
    files: list[str] = []
    values: dict[str, str] = {}
    flags: set[str] = set()
    words = iter(argv[1:])
    for word in words:
        if word in FLAGS:
            flags.add(word)
        elif word.startswith("-") and word != "-":
            name, equals, value = word.partition("=")
            if name not in VALUED or (not equals and (value := next(words, "")) == ""):
                return None  # --help, "--", -j2, an option unknown here or without its value
            values["--jobs" if name == "-j" else name] = value
        else:
            files.append(word)
    jobs = values.get("--jobs")
    if len(files) != 1 or (jobs is not None and not jobs.isdigit()):
        return None
    uses_worker = (
        can_start()
        and values.get("--format", "all") in ("all", "pdf")
        # batch.default_jobs() on Linux, where a worker can start
        and (int(jobs) if jobs is not None else len(os.sched_getaffinity(0))) > 1
    )
    return Path(files[0]), Path(values.get("--out", "build")), "--force" in flags, uses_worker
