"""Running the command line as a hostile or unlucky user would, bounded, and checking what it
left: the helpers of ``tests/test_hostile.py`` and ``tests/test_hostile_commands.py``.

Every run is ``python -m kbc_docs`` in its own process, bounded in address space
(:data:`MEMORY`) and time (:data:`SECONDS`); :func:`refused` checks the exit code and the
shape of the messages (``place: what is wrong; what to do``, never a traceback), and
:func:`snapshot` every file a case did not mean to change.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "bad"
MEMORY = 1_500_000_000  # bytes of address space; a full build needs about a third of it
SECONDS = 120


def valid_conference(folder: Path) -> Path:
    """``folder`` with the corpus' valid content file (as ``conf.yaml``) and its registry."""
    shutil.copy(BAD / "_valid.yaml", folder / "conf.yaml")
    shutil.copy(BAD / "_registry.yaml", folder / "_registry.yaml")
    return folder


def limits() -> None:
    """The bounds of every run (a ``preexec_fn``)."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (SECONDS, SECONDS))


def env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT / "toolkit"),
        "LANG": "C.UTF-8",
        "LC_ALL": "",
        "LC_MESSAGES": "",
        "KBC_P12_PASSPHRASE": "",
        **extra,
    }


def start(*args: str, cwd: Path, session: bool = False, **extra: str) -> subprocess.Popen[str]:
    """The command line, started; ``session``: in a process group of its own, as a terminal
    starts it (a Ctrl-C reaches the whole group)."""
    return subprocess.Popen(
        [sys.executable, "-m", "kbc_docs", *args],
        cwd=cwd,
        env=env(**extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        preexec_fn=limits,
        start_new_session=session,
    )


def kbc(
    *args: str, cwd: Path, timeout: float = SECONDS, **extra: str
) -> subprocess.CompletedProcess[str]:
    """One bounded run of the command line (raises TimeoutExpired past ``timeout`` seconds)."""
    process = start(*args, cwd=cwd, **extra)
    try:
        out, err = process.communicate(timeout=timeout)
    finally:
        process.kill()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


PROBLEM = re.compile(r"^  .+?(:\d+)*: \S")  # "  place[:line[:col]]: message"


def refused(result: subprocess.CompletedProcess[str], code: int, *expected: str) -> str:
    """Exit ``code``, no traceback, each expected text in the messages, each problem located.

    The shape: ``✗ file: N problem(s)``, then one ``  place: message`` line per problem,
    then ``  nothing written for file; …``.
    """
    output = result.stdout + result.stderr
    assert result.returncode == code, output
    assert "Traceback" not in output, output
    for text in expected:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"
    problems = [
        line
        for line in result.stderr.splitlines()
        if line.startswith("  ") and "nothing written" not in line and "…" not in line[:4]
    ]
    assert problems, result.stderr
    for line in problems:
        assert PROBLEM.match(line), line
    return result.stderr


def snapshot(*folders: Path) -> dict[str, bytes | str]:
    """Every file (bytes), link (target) and folder under ``folders``.

    Lock files (``.<name>.lock``, empty) are left out: a build may create one, as any
    program that locks does, and never writes a byte into it.
    """
    found: dict[str, bytes | str] = {}
    for folder in folders:
        if folder.is_symlink() or folder.is_file():
            found[str(folder)] = os.readlink(folder) if folder.is_symlink() else folder.read_bytes()
            continue
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.name.startswith(".") and path.name.endswith(".lock") and not path.is_symlink():
                assert path.stat().st_size == 0, path
                continue
            if path.is_symlink():
                found[str(path)] = "link:" + os.readlink(path)
            elif path.is_file():
                found[str(path)] = path.read_bytes()
            else:
                found[str(path)] = "folder"
    return found
