"""Build several content files, on every core, skipping those that are up to date.

Each content file is built by :func:`kbc_docs.pipeline.build` on its own, in a worker process
when more than one job runs, so the outputs are byte for byte those of a one-file build. The
caller gets one :class:`Outcome` per file as each finishes, to show progress; warnings (draft
gaps) are collected in the worker and travel back with it, since a worker's log is not ours.
Notices that cannot wait for the end (another build holds the output folder's lock) come back
through a queue as they happen and are logged here, whatever the way workers are started.
"""

from __future__ import annotations

import logging
import logging.handlers
import multiprocessing
import os
import queue
import signal
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kbc_docs.errors import KbcError
from kbc_docs.options import BuildOptions, remember, up_to_date
from kbc_docs.worker import Worker, can_start
from kbc_docs.write import signals_to_catch, stop_writing, stopped


@dataclass(frozen=True)
class Outcome:
    """What became of one content file."""

    file: Path
    written: list[Path] = field(default_factory=list)
    skipped: bool = False  # up to date: nothing was built or written
    error: KbcError | None = None
    warnings: list[str] = field(default_factory=list)  # missing translations marked (--draft)
    todos: list[str] = field(default_factory=list)  # facts still to be completed
    drift: list[str] = field(default_factory=list)  # Word/PDF differences let through
    notices: list[str] = field(default_factory=list)  # texts that may print other than meant
    seconds: float = 0.0


def default_jobs() -> int:
    """One job per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.warnings: list[str] = []
        self.todos: list[str] = []
        self.drift: list[str] = []
        self.notices: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        kind = {"todo": self.todos, "drift": self.drift, "notice": self.notices}.get(
            getattr(record, "kbc_kind", ""), self.warnings
        )
        kind.append(record.getMessage())

    def notes(self) -> dict[str, list[str]]:
        """Every kind of warning, as :class:`Outcome` and the build record keep them."""
        return {
            "warnings": self.warnings,
            "todos": self.todos,
            "drift": self.drift,
            "notices": self.notices,
        }


def build_one(
    file: Path, options: BuildOptions, force: bool = False, workers: Sequence[Worker] = ()
) -> Outcome:
    """Build ``file`` unless it is up to date (and ``force`` is off); never raises KbcError.

    A file skipped as up to date repeats the warnings of the build that made its outputs: a
    fact still to be completed stays a reminder until it is filled in. ``workers`` produce the
    PDFs beside this process (:func:`kbc_docs.pipeline.render_all`); they are started before
    anything else, to import the PDF producer while this process reads the content.
    """
    start = time.perf_counter()
    if not force and (notes := up_to_date(file, options)) is not None:
        kinds = {kind: notes[kind] for kind in _Collect().notes() if kind in notes}
        return Outcome(file, skipped=True, seconds=_since(start), **kinds)
    if "pdf" in options.formats:
        for worker in workers:
            worker.spawn()
    # Imported here, after the check: a file that is up to date never loads the renderers.
    from kbc_docs.pipeline import build

    collect = _Collect()
    logger = logging.getLogger("kbc_docs")
    logger.addHandler(collect)
    try:
        written = build(file, options, workers)
    except KbcError as exc:
        return Outcome(file, error=exc, seconds=_since(start), **collect.notes())
    finally:
        logger.removeHandler(collect)
    notes = collect.notes()
    remember(file, options, notes)
    return Outcome(file, written, seconds=_since(start), **notes)


def build_all(
    files: Sequence[Path],
    options: BuildOptions,
    jobs: int = 1,
    force: bool = False,
    started: Sequence[Worker] = (),
) -> Iterator[Outcome]:
    """:func:`build_one` for each file, ``jobs`` at a time, yielding each as it finishes.

    With more jobs than files (one file, two cores) a build produces its PDFs in worker
    processes beside it (:mod:`kbc_docs.worker`): the spare core is used within the file.
    ``started``: workers started already (:mod:`kbc_docs.early`), used first; ended here.
    """
    if len(files) == 1 and jobs > 1 and can_start():
        with pdf_workers(started) as workers:
            yield build_one(files[0], options, force, workers)
        return
    for worker in started:
        worker.close()
    jobs = max(1, min(jobs, len(files)))
    if jobs == 1:
        for file in files:
            yield build_one(file, options, force)
        return
    context = multiprocessing.get_context()
    notices = context.Queue()
    level = logging.getLogger("kbc_docs").getEffectiveLevel()
    before = set(multiprocessing.active_children())
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_worker_start, initargs=(notices, level)
    ) as pool:
        pending: set[Future[Outcome]] = {
            pool.submit(_build_in_worker, file, options, force) for file in files
        }
        try:
            while pending:
                done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                _relay(notices)
                for future in done:
                    yield future.result()
        except BaseException:
            # Ctrl-C: every worker stops its build and starts no other (queued files too),
            # so that "nothing more was written" holds when this process says it.
            for worker in set(multiprocessing.active_children()) - before:
                if worker.pid is not None:
                    os.kill(worker.pid, signal.SIGINT)
            raise
        finally:
            for future in pending:
                future.cancel()
    _relay(notices)
    notices.close()


PDF_WORKERS = 1
"""Worker processes of a one-file build: the PDFs are produced there, one after the other."""


@contextmanager
def pdf_workers(started: Sequence[Worker] = ()) -> Iterator[list[Worker]]:
    """:data:`PDF_WORKERS` workers, ``started`` first, the others not started yet; all ended
    when the block ends."""
    with ExitStack() as stack:
        workers = [stack.enter_context(worker) for worker in started]
        workers += [stack.enter_context(Worker()) for _ in range(PDF_WORKERS - len(workers))]
        yield workers


def _build_in_worker(file: Path, options: BuildOptions, force: bool) -> Outcome:
    """:func:`build_one` in a worker, unless the batch was interrupted."""
    if stopped():  # Ctrl-C (or a termination signal) came: no build starts any more
        raise KeyboardInterrupt
    return build_one(file, options, force)


def _worker_start(notices: multiprocessing.Queue[logging.LogRecord], level: int) -> None:
    """In a worker: send the notices (below warnings) to the parent, print nothing itself,
    and stop for good at the first Ctrl-C.

    A forked worker inherits the parent's handlers, a spawned one has none; both now log the
    same way, and the parent prints each notice once, above its progress bar. A worker that
    outlived an interrupted build would otherwise take the next file from the queue and
    write its outputs after the user pressed Ctrl-C.
    """
    handler = logging.handlers.QueueHandler(notices)
    handler.addFilter(lambda record: record.levelno < logging.WARNING)
    logger = logging.getLogger("kbc_docs")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False
    for signum in signals_to_catch():
        signal.signal(signum, _stop)


def _stop(signum: int, frame: object) -> None:
    """A worker's signal handler: the build it runs ends, and no other starts."""
    # The terminal's signal and the parent's SIGINT stop it once. Not SIG_IGN: a signal already
    # on its way (SIGINT after SIGHUP, handled in number order) would raise "ignored due to race
    # condition" out of the build being stopped.
    for other in signals_to_catch():
        signal.signal(other, _already_stopping)
    raise stop_writing(KeyboardInterrupt())  # no output is put in place, even if it is swallowed


def _already_stopping(signum: int, frame: object) -> None:
    """A worker's signal handler once it is stopping: nothing more to do."""


def _relay(notices: multiprocessing.Queue[logging.LogRecord]) -> None:
    """Log here every notice the workers have sent so far."""
    logger = logging.getLogger("kbc_docs")
    while True:
        try:
            record = notices.get_nowait()
        except queue.Empty:
            return
        logger.handle(record)


def _since(start: float) -> float:
    return time.perf_counter() - start
