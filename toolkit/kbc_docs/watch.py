"""Rebuild a content file each time one of its inputs is saved, from one warm process.

A clerk polishing the wording saves the file again and again; a new process per build would pay
the imports and font loading every time. The process stays up, the folders that hold the inputs
(the content file's folder with its registry and images, and every template folder searched) are
watched through the operating system's notifications (``watchfiles``), and each burst of saves
triggers one :func:`kbc_docs.batch.build_one`, which skips the work when nothing it reads
changed (another content file saved in the same folder, an editor's swap file).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from watchfiles import Change, DefaultFilter, watch

from kbc_docs import cache, incremental
from kbc_docs.batch import Outcome, build_one, pdf_workers
from kbc_docs.options import BuildOptions
from kbc_docs.templates.lookup import template_folders
from kbc_docs.worker import Worker, can_start


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
    layouts of the last build (:func:`kbc_docs.cache.keep_in_memory`).
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
    report(build_one(content_file, options, workers=workers))
    out = options.out.resolve()
    editor_files = DefaultFilter()

    def relevant(change: Change, path: str) -> bool:
        return editor_files(change, path) and not Path(path).resolve().is_relative_to(out)

    while True:
        folders = watched_folders(content_file, options)
        changes = watch(
            *folders, watch_filter=relevant, stop_event=stop, raise_interrupt=True, debounce=400
        )
        while True:
            try:
                next(changes)
            except (StopIteration, KeyboardInterrupt):
                return  # stopped, or Ctrl-C while waiting (said by the caller, not watchfiles)
            report(build_one(content_file, options, workers=workers))
            if watched_folders(content_file, options) != folders:
                break  # e.g. the content file now names another template folder
