"""A second process for one build: it produces the PDFs while the build's process does the rest.

A build of one content file spends most of its time in WeasyPrint: importing it (a quarter of
a second), laying out the report and writing the PDFs. None of that needs the content checks,
the view or ICU, and the build's process needs none of WeasyPrint once it has made the HTML
(:mod:`kbc_docs.render.pdf.prepare` / :mod:`~kbc_docs.render.pdf.produce`). So a build starts
a worker process first thing: a new Python (``subprocess``, not ``fork``: it starts with
nothing of the build's imports and never gets them) that imports the PDF producer while the
build loads and checks the content and makes the view. The build sends it each PDF's job and
renders the Word files meanwhile; calls and answers travel by pickle over the worker's standard
input and output, so a PDF is the bytes the same call gives in the build's process. Each
process imports only its half, and each stays well under the memory of one doing both.

A call can fork the worker (:mod:`kbc_docs.beside`) to produce a document's later language
versions on the second core while the worker produces the first: the fork has WeasyPrint
imported already.

The worker stays up between calls (``kbc-docs watch`` keeps it warm, with its fonts and its
kept PDFs of each language version) and is robust the way a build must be:

* It is in a process group of its own, so Ctrl-C at the terminal reaches only the build's
  process, which ends the worker (:meth:`Worker.close`); a termination signal ends it at once;
  on Linux the kernel ends it when the build's process dies, even killed with ``kill -9``
  (``PR_SET_PDEATHSIG``), and it exits when its input closes.
* An error raised in the worker is raised here, a :class:`~kbc_docs.errors.KbcError` with its
  problems intact; what a call logged on the ``kbc_docs`` logger is logged here; a worker that
  died (killed, out of memory) raises :class:`WorkerLost`, and the caller renders that output
  itself.
* It never prints: its standard output is its answers, anything printed goes to the standard
  error, and the log is relayed.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import importlib
import logging
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable
from typing import IO, Any

_SERVE = "from kbc_docs.worker import serve; serve()"

Target = Callable[..., Any] | str
"""A module-level function, or ``"module:function"``: the worker imports that module, which
the caller need not have imported (the build's process never imports the PDF producer)."""


class WorkerLost(Exception):
    """The worker process ended without answering (killed, out of memory)."""


def can_start() -> bool:
    """Whether a build uses a worker here: on Linux, where the kernel ends it with its build.

    Elsewhere (macOS, Windows) a build renders everything in its own process, as with
    ``--jobs 1``.
    """
    return sys.platform.startswith("linux")


class Worker:
    """One worker process running calls one after another, in the order they were sent.

    :meth:`spawn` starts the process (the first :meth:`start` does, if not yet);
    :meth:`start` sends a call and :meth:`result` reads the answer of the oldest call not yet
    read. Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, preload: str = "kbc_docs.render.pdf.produce") -> None:
        self.preload = preload  # imported by the worker as soon as it starts
        self._process: subprocess.Popen[bytes] | None = None
        self._waiting = 0  # calls sent whose answers have not been read
        self._unwanted = 0  # of those, the first ones, whose answers nobody wants

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def spawn(self) -> bool:
        """Start the worker process, unless it runs: it imports ``preload`` meanwhile. False
        if it cannot be started (no process left, no memory): the caller renders itself.

        It sees this process's ``sys.path``, environment and whether results are kept in
        memory (:func:`kbc_docs.cache.keep_in_memory`) at this moment.
        """
        if self._process is not None and self._process.poll() is None:
            return True
        self.close()
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-P", "-c", _SERVE],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                process_group=0,  # Ctrl-C reaches the build's process, which ends the worker
            )
        except OSError:
            return False
        from kbc_docs import cache  # while the worker's Python starts

        setup = {
            "parent": os.getpid(),
            "path": sys.path,
            "keep": cache.keeps_in_memory(),
            "level": logging.getLogger("kbc_docs").getEffectiveLevel(),
            "preload": self.preload,
        }
        try:
            self._send(setup)
        except WorkerLost:
            return False
        return True

    def start(self, fn: Target, *args: Any) -> None:
        """Send ``fn(*args)`` to the worker (starting it if needed); see :meth:`result`.
        Raises :class:`WorkerLost` if the worker cannot be started or is gone."""
        if not self.spawn():
            raise WorkerLost
        self._send((fn, args))
        self._waiting += 1

    def result(self) -> Any:
        """The value of the oldest call sent by :meth:`start` and not yet read, or the
        exception it raised; what it logged is logged here."""
        if self._process is None:  # lost (or closed) with the calls sent to it
            raise WorkerLost
        if self._waiting <= self._unwanted:
            raise RuntimeError("no call is running")
        while self._unwanted:
            self._receive()
            self._unwanted -= 1
        return answer(*self._receive())

    def discard(self) -> None:
        """The answers of the calls sent so far are not wanted: :meth:`result` skips them.

        The worker finishes them (it stays warm for the next build); :meth:`close` ends it at
        once instead.
        """
        self._unwanted = self._waiting

    def close(self) -> None:
        """End the worker, at once (a call it is running is not wanted)."""
        process, self._process = self._process, None
        self._waiting = self._unwanted = 0
        if process is None:
            return
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                pipe.close()
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def _send(self, message: object) -> None:
        assert self._process is not None and self._process.stdin is not None
        try:
            _write(self._process.stdin, pickle.dumps(message, pickle.HIGHEST_PROTOCOL))
        except OSError as exc:  # the worker is gone
            self.close()
            raise WorkerLost(str(exc)) from None

    def _receive(self) -> tuple[bool, Any, list[tuple[int, str, str]]]:
        if self._process is None or self._process.stdout is None:
            raise WorkerLost
        try:
            answer = pickle.loads(_read(self._process.stdout))
        except Exception as exc:  # gone, or an answer that cannot be read back here
            self.close()
            raise WorkerLost(str(exc) or type(exc).__name__) from None
        # Not before: interrupted while waiting, the call still runs, and close() ends it.
        self._waiting -= 1
        return answer


def _write(stream: IO[bytes], data: bytes) -> None:
    """One message: its length, then its pickle."""
    stream.write(len(data).to_bytes(8, "big") + data)
    stream.flush()


def _read(stream: IO[bytes]) -> bytes:
    """One message's pickle; EOFError when the stream ends."""
    size = int.from_bytes(_exactly(stream, 8), "big")
    return _exactly(stream, size)


def _exactly(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError
    return data


# ------------------------------------------------------------------------------ in the worker


def serve() -> None:
    """The worker's main: set up as its parent says, then run each call received."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    calls = os.fdopen(os.dup(0), "rb")
    answers = os.fdopen(os.dup(1), "wb")
    with open(os.devnull, "rb") as devnull:
        os.dup2(devnull.fileno(), 0)
    os.dup2(2, 1)  # a library's print must not land among the answers
    try:
        setup = pickle.loads(_read(calls))
    except Exception:
        return
    end_with_parent(setup["parent"])
    sys.path[:] = setup["path"]
    if setup["keep"]:
        from kbc_docs import cache

        cache.keep_in_memory()
    # Calls are read as they come, while the worker imports: the build's process must not
    # wait on a full pipe for that (a job is larger than the pipe's buffer).
    inbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    threading.Thread(target=_receive_calls, args=(calls, inbox), daemon=True).start()
    relay = _Relay()
    logger = logging.getLogger("kbc_docs")
    logger.handlers[:] = [relay]
    logger.setLevel(setup["level"])
    logger.propagate = False
    # No collection while importing: it allocates much and frees little (≈ 35 ms of CPU
    # before the worker can take a job; kbc_docs.early does the same for the build's start).
    gc.disable()
    with contextlib.suppress(Exception):  # e.g. the wrong WeasyPrint: the call that imports
        importlib.import_module(setup["preload"])  # it again says so
    from kbc_docs import beside

    beside.enable()  # a call may fork this process to run part of it on another core
    # What was imported stays for good: the collector need not go through it again (the
    # layouts make many objects, so it runs often).
    gc.freeze()
    gc.enable()
    _loop(inbox, answers, relay)


def _receive_calls(calls: IO[bytes], inbox: queue.SimpleQueue[bytes | None]) -> None:
    """Each call's pickle into ``inbox``, then None when the parent is gone or closed us."""
    try:
        while True:
            inbox.put(_read(calls))
    except (EOFError, OSError, ValueError):
        inbox.put(None)


def _loop(inbox: queue.SimpleQueue[bytes | None], answers: IO[bytes], relay: _Relay) -> None:
    while (call := inbox.get()) is not None:
        try:
            fn, args = pickle.loads(call)
        except Exception:  # cannot be read here (a function this worker cannot import)
            return
        relay.records = []
        try:
            answer: tuple[bool, Any, list[tuple[int, str, str]]] = (
                True,
                _resolve(fn)(*args),
                relay.records,
            )
        except BaseException as exc:  # sent back to be raised in the parent
            answer = (False, sendable(exc), relay.records)
        try:
            data = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
        except Exception:  # the value (or exception) cannot be pickled: send its text
            text = "".join(traceback.format_exception(answer[1])) if not answer[0] else ""
            error = RuntimeError(text or "the worker's result cannot be sent")
            data = pickle.dumps((False, error, relay.records), pickle.HIGHEST_PROTOCOL)
        try:
            _write(answers, data)
        except OSError:
            return
        del call, answer, data
        _give_back_memory()


def _give_back_memory() -> None:
    """Return what the last call freed to the system before the next call: a layout leaves
    many freed pages behind, and the next document's would come on top (the worker's peak)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # glibc only
        ctypes.CDLL(None).malloc_trim(0)


def _resolve(fn: Target) -> Callable[..., Any]:
    if callable(fn):
        return fn
    module, _, name = fn.partition(":")
    found: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return found


def answer(ok: bool, value: Any, records: list[tuple[int, str, str]]) -> Any:
    """A call's answer as another process sent it: what the call logged is logged here, then
    its value is returned or the exception it raised is raised."""
    log = logging.getLogger("kbc_docs")
    for level, message, kind in records:
        log.log(level, "%s", message, extra={"kbc_kind": kind} if kind else None)
    if ok:
        return value
    raise value


def sendable(exc: BaseException) -> BaseException:
    """``exc`` as the parent can read it back without importing what the worker imported:
    kbc-docs' errors and Python's own as they are, any other (a bug) as its traceback."""
    from kbc_docs.errors import KbcError

    if isinstance(exc, KbcError) or type(exc).__module__ == "builtins":
        return exc
    return RuntimeError("".join(traceback.format_exception(exc)))


class _Relay(logging.Handler):
    """What a call logs on the ``kbc_docs`` logger, to be logged again in the parent."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.records: list[tuple[int, str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelno, record.getMessage(), getattr(record, "kbc_kind", "")))


def end_with_parent(parent: int) -> None:
    """On Linux, have the kernel end this process when the parent dies (even killed -9), so a
    killed build does not leave a worker rendering for nobody. Elsewhere the worker ends at
    its next read or write on the pipe."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request was in place
        os._exit(1)
