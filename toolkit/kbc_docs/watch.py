"""Rebuild a content file each time one of its inputs is saved, from one warm process.

A clerk polishing the wording saves the file again and again; a new process per build would pay
the imports and font loading every time. The process stays up, the folders that hold the inputs
(the content file's folder with its registry and images, and every template folder searched) are
watched through the operating system's notifications (``watchfiles``), and each burst of saves
triggers one :func:`kbc_docs.batch.build_one`, which skips the work when nothing it reads
changed (another content file saved in the same folder, an editor's swap file).

**A save is seen within a few milliseconds** (:data:`STEP_MS`): the clerk waits for the
rebuild, so the watcher does not sit on a change for watchfiles' default 50-100 ms. One
editor save is a burst of file events (a backup renamed, the file written, its mode set, the
backup deleted) microseconds apart, so it still comes as one change. Should a burst come in two
parts all the same (an editor that syncs the disk between its steps), the part after the build
finds nothing changed and is skipped without a word: a skip is only shown when it says
something new (the first build, or the file back as it was after a failed build). An editor
that writes the file in place may be caught half-way (the file emptied, not yet written): a
build that fails waits :data:`SETTLE_SECONDS` before saying so, and says nothing if an input
changed meanwhile; the change still to come builds again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchfiles import Change, DefaultFilter, watch

from kbc_docs import cache, incremental
from kbc_docs.batch import Outcome, build_one, pdf_workers
from kbc_docs.options import BuildOptions
from kbc_docs.templates.lookup import template_folders
from kbc_docs.worker import Worker, can_start

STEP_MS = 5
"""How long a change must be followed by no other before the rebuild starts (watchfiles'
``step``; its default of 50 ms made a save wait 50-100 ms for its rebuild to begin)."""
DEBOUNCE_MS = 400
"""The longest a stream of changes is gathered before a rebuild starts all the same."""
SETTLE_SECONDS = 0.1
"""How long a failed build waits to see whether its inputs were still being written."""


def watched_folders(content_file: Path, options: BuildOptions) -> list[Path]:
    """The folders whose files a build of ``content_file`` reads, as far as can be known.

    The folders of what the last build read (registry, images, each template folder, even one
    named by the content file's ``templates:``), and in any case the content file's own folder
    and the template folders the options name, so that a broken file is watched until fixed.
    """
    recorded = incremental.recorded_inputs(content_file, options.out)
    folders = [content_file.resolve().parent, *template_folders(options.templates)]
    folders += [p.parent for p in recorded if not p.is_relative_to(cache.FONT_CACHES[0])]
    unique = sorted({f.resolve() for f in folders if f.is_dir()})
    return [f for f in unique if not any(f.is_relative_to(g) and f != g for g in unique)]


def watch_and_build(
    content_file: Path,
    options: BuildOptions,
    report: Callable[[Outcome], None],
    stop: threading.Event | None = None,
) -> None:
    """Build now, then again after every change, until ``stop`` is set or Ctrl-C.

    The PDFs are produced in a worker process that stays up, as warm as this one
    (:mod:`kbc_docs.worker`), while this process renders the rest; the worker keeps the
    layouts (and each language version's PDF) of the last builds
    (:func:`kbc_docs.cache.keep_in_memory`), and this process the Word files, which a save
    that leaves a document's inputs as they were does not render again. (A second worker for
    the signing pages was measured and left off: with each version's PDF kept, the signing
    pages take 10-20 ms of CPU after a change to the report, and the worker 76 MB.)
    """
    cache.keep_in_memory()
    with pdf_workers() as workers:
        _watch(content_file, options, report, stop, workers if can_start() else [])


def _watch(
    content_file: Path,
    options: BuildOptions,
    report: Callable[[Outcome], None],
    stop: threading.Event | None,
    workers: list[Worker],
) -> None:
    last = build_one(content_file, options, workers=workers)
    report(last)
    out = options.out.resolve()
    editor_files = DefaultFilter()

    def relevant(change: Change, path: str) -> bool:
        return editor_files(change, path) and not Path(path).resolve().is_relative_to(out)

    while True:
        folders = watched_folders(content_file, options)
        changes = watch(
            *folders,
            watch_filter=relevant,
            stop_event=stop,
            raise_interrupt=True,
            debounce=DEBOUNCE_MS,
            step=STEP_MS,
        )
        while True:
            try:
                next(changes)
            except (StopIteration, KeyboardInterrupt):
                return  # stopped, or Ctrl-C while waiting (said by the caller, not watchfiles)
            before = _inputs_state(content_file, options)
            outcome = build_one(content_file, options, workers=workers)
            if outcome.error is not None and _written_meanwhile(before, content_file, options):
                continue  # read half-written, most likely: the rest of the save builds again
            if not outcome.skipped or last.error is not None:
                report(outcome)  # a skip after a build says nothing new: the rest of a burst
            last = outcome
            if watched_folders(content_file, options) != folders:
                break  # e.g. the content file now names another template folder


def _inputs_state(content_file: Path, options: BuildOptions) -> list[tuple[int, int] | None]:
    """Size and time of the content file and of every input the last build read."""
    states: list[tuple[int, int] | None] = []
    for path in [content_file, *incremental.recorded_inputs(content_file, options.out)]:
        try:
            s = path.stat()
        except OSError:
            states.append(None)
        else:
            states.append((s.st_size, s.st_mtime_ns))
    return states


def _written_meanwhile(
    before: list[tuple[int, int] | None], content_file: Path, options: BuildOptions
) -> bool:
    """Whether an input changed since ``before``, waiting :data:`SETTLE_SECONDS` for it."""
    time.sleep(SETTLE_SECONDS)
    return _inputs_state(content_file, options) != before
