"""A forked copy of the build's PDF worker that runs part of a call beside it, on a second core.

The PDF worker (:mod:`kbc_docs.worker`) produces a report's language versions one after the
other unless it has help, and a new process would first import WeasyPrint again (a quarter of
a second). A fork has everything the worker has imported and set up, at once: the worker
(and only the worker: :func:`enable`) forks itself, the copy produces the later versions while
the worker produces the first, and sends its answer back over a pipe
(:mod:`kbc_docs.render.pdf.produce`). Elsewhere (``--jobs 1``, macOS, Windows), or when no
core is free for the copy (:func:`core_free`), :func:`start` returns None and the caller does
it all itself, with the same result.

Forking a process that has threads is safe only for what the copy does: the copy has the
thread that forked (the worker's main thread) and none of the others. The worker's one other
thread only reads calls from its standard input (:func:`kbc_docs.worker.serve`), holding
nothing but that file's lock; the copy never reads calls, never returns into the worker's
loop and ends with :func:`os._exit`, so no lock of that thread and no buffered file is ever
used in it. Like the worker, the copy ends when the process that made it dies, even killed
with ``kill -9`` (``PR_SET_PDEATHSIG``, which a fork does not inherit, is set again), and the
worker ends it when the answer is no longer wanted (:meth:`Child.close`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kbc_docs.worker import answer, end_with_parent, sendable

__all__ = ["Child", "ChildLost", "core_free", "enable", "start"]

_enabled = False


def enable() -> None:
    """Let :func:`start` fork this process (called by the PDF worker, on Linux only)."""
    global _enabled
    _enabled = sys.platform.startswith("linux") and hasattr(os, "fork")


class ChildLost(Exception):
    """The forked copy ended without answering (killed, out of memory)."""


class Child:
    """A call running in a forked copy of this process; read its answer once."""

    def __init__(self, pid: int, answer: int) -> None:
        self._pid: int | None = pid
        self._answer = os.fdopen(answer, "rb")

    def result(self) -> Any:
        """The call's value, or the exception it raised; what it logged is logged here.
        Raises :class:`ChildLost` if the copy ended without answering."""
        try:
            data = self._answer.read()
            ok, value, records = pickle.loads(data)
        except Exception as exc:  # ended before its whole answer: nothing of it is used
            raise ChildLost(str(exc) or type(exc).__name__) from None
        finally:
            self.close()
        return answer(ok, value, records)

    def close(self) -> None:
        """End the copy if it still runs, and collect it (no zombie is left)."""
        self._answer.close()
        pid, self._pid = self._pid, None
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)  # gone already if it answered: then nothing happens
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def start(fn: Callable[..., Any], *args: Any) -> Child | None:
    """Run ``fn(*args)`` in a forked copy of this process; None where that is not done here
    (not the PDF worker, not Linux, no process or memory left): the caller runs it itself."""
    if not _enabled or not core_free():
        return None
    parent = os.getpid()
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the copy
        os.close(read)
        _run(parent, write, fn, args)
    os.close(write)
    return Child(pid, read)


def core_free() -> bool:
    """Whether a core is free for a copy now: no more tasks ready to run than cores, this
    process counted (``/proc/loadavg``'s fourth field, as the kernel sees it at this moment;
    GNU make's ``-l`` looks at the same). A copy costs CPU of its own (≈ 0.1 s: the pages
    both processes write to are copied); on a machine whose cores are all busy it only adds
    that to the build."""
    try:
        running = int(Path("/proc/loadavg").read_text().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return True
    return running <= len(os.sched_getaffinity(0))


def _run(parent: int, answer: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """In the copy: the call, its answer written to ``answer``; never returns."""
    try:
        end_with_parent(parent)
        records: list[tuple[int, str, str]] = []
        logger = logging.getLogger("kbc_docs")
        logger.handlers[:] = [_Collect(records)]
        try:
            result: tuple[bool, Any, list[tuple[int, str, str]]] = (True, fn(*args), records)
        except BaseException as exc:  # sent back to be raised in the parent
            result = (False, sendable(exc), records)
        data = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
        with os.fdopen(answer, "wb") as out:
            out.write(data)
    finally:
        os._exit(0)


class _Collect(logging.Handler):
    def __init__(self, records: list[tuple[int, str, str]]) -> None:
        super().__init__(level=logging.NOTSET)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage(), getattr(record, "kbc_kind", "")))
