"""A second process for one build: it renders one output while this process renders the rest.

A build of one content file spends most of its time in the report's PDF, which depends on
nothing the other outputs need; on a machine with a second core that PDF is rendered in a
*forked* process while this one renders the Word files and the signing pages. Forking after
the imports shares them (and their memory pages) instead of paying for them twice, and what
the call needs travels to the child by pickle, its result back the same way, so the output is
the bytes the same call gives in this process.

The worker stays up between calls (``kbc-docs watch`` keeps it warm, with its fonts and its
in-memory caches) and is robust the way a build must be:

* Ctrl-C reaches the whole process group: the worker ignores it and this process, which
  handles it, ends the worker; a termination signal ends it at once, and it exits when this
  process goes away (its end of the pipe closes).
* An error raised in the worker is raised here, a :class:`~kbc_docs.errors.KbcError` with its
  problems intact; a worker that died (killed, out of memory) raises :class:`WorkerLost`, and
  the caller renders that output itself.
* It never prints, and never runs this process's exit handlers.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # multiprocessing itself is imported when a worker is forked
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess


_HELD = {signal.SIGINT, signal.SIGTERM}


class WorkerLost(Exception):
    """The worker process ended without answering (killed, out of memory)."""


def can_fork() -> bool:
    """Whether a worker can be forked here: on Linux. (Windows has no ``fork``; on macOS,
    forking a process that has loaded the system's text libraries, as Pango does, is unsafe.)"""
    return sys.platform.startswith("linux")


class Worker:
    """One forked process running calls one at a time; started by the first call.

    Use as a context manager, or call :meth:`close`.
    """

    def __init__(self) -> None:
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._busy = False

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start(self, fn: Callable[..., Any], *args: Any) -> None:
        """Send ``fn(*args)`` to the worker (forking it first if needed); see :meth:`result`.

        ``fn`` must be a module-level function; the worker is forked at the first call, so it
        has whatever this process imported by then.
        """
        if self._busy:
            raise RuntimeError("the worker is still running a call")
        if self._process is None or not self._process.is_alive():
            self._fork()
        assert self._conn is not None
        try:
            self._conn.send((fn, args))
        except (OSError, EOFError) as exc:
            self.close()
            raise WorkerLost(str(exc)) from None
        self._busy = True

    def result(self) -> Any:
        """The value of the call sent by :meth:`start`, or the exception it raised."""
        if not self._busy or self._conn is None:
            raise RuntimeError("no call is running")
        try:
            ok, value = self._conn.recv()
        except Exception as exc:  # gone, or an answer that cannot be read back here
            self.close()
            raise WorkerLost(str(exc)) from None
        # Not in a ``finally``: interrupted while waiting, the worker is still busy, and
        # :meth:`close` ends it at once instead of letting it finish.
        self._busy = False
        if ok:
            return value
        raise value

    def close(self) -> None:
        """End the worker (at once if it is in the middle of a call)."""
        process, conn, busy = self._process, self._conn, self._busy
        self._process = self._conn = None
        self._busy = False
        if conn is not None:
            conn.close()  # an idle worker sees the end of the pipe and exits
        if process is None:
            return
        if busy:  # interrupted, or this process failed: its result is not wanted
            process.terminate()
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()

    def _fork(self) -> None:
        import multiprocessing

        self.close()
        context = multiprocessing.get_context("fork")
        here, there = context.Pipe()
        process = context.Process(target=_serve, args=(there, here), daemon=True)
        # Ctrl-C wait until the child has its own handlers: a signal between the fork and
        # those would run this process's handler in the child (a traceback, a stray exit).
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
        try:
            process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        there.close()
        self._process, self._conn = process, here


def _serve(conn: Connection, other_end: Connection) -> None:
    """The worker's loop: run each call received, send back its value or exception."""
    other_end.close()  # this process's copy of the parent's end: EOF must mean "parent gone"
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's cleanup handler
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)  # blocked by the parent for the fork
    _end_with_parent()
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[bool, Any] = (True, fn(*args))
        except BaseException as exc:  # sent back to be raised in the parent
            answer = (False, exc)
        try:
            conn.send(answer)
        except (OSError, EOFError):
            return
        except Exception:  # the exception (or value) cannot be pickled: send its text
            text = "".join(traceback.format_exception(answer[1])) if not answer[0] else ""
            try:
                conn.send((False, RuntimeError(text or "the worker's result cannot be sent")))
            except (OSError, EOFError):
                return


def _end_with_parent() -> None:
    """On Linux, have the kernel end this process when the parent dies (even killed -9), so a
    killed build does not leave a worker rendering for nobody. Elsewhere the worker ends at
    its next read or write on the pipe."""
    parent = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request was in place
        os._exit(1)
