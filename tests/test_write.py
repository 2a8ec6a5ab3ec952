"""Writing outputs (:mod:`kbc_docs.write`): whole files or nothing under an output's name."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from kbc_docs.write import write_file, write_outputs


def test_write_file_replaces_atomically_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "signed.pdf"
    target.write_bytes(b"old")
    write_file(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["signed.pdf"]


def test_write_file_failure_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "signed.pdf"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_file(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["signed.pdf"]


def test_write_outputs_keeps_older_files_it_does_not_replace(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    write_outputs(folder, {"a.docx": b"1", "a.pdf": b"2"})
    written = write_outputs(folder, {"a.docx": b"3"})
    assert written == [folder / "a.docx"]
    assert (folder / "a.docx").read_bytes() == b"3"
    assert (folder / "a.pdf").read_bytes() == b"2"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["out"]


SWALLOWED_CTRL_C = textwrap.dedent(
    """
    import logging, multiprocessing, os, signal, sys
    from pathlib import Path
    from kbc_docs import batch
    from kbc_docs.write import write_outputs

    class CtrlCDuringPyexpatImport:  # the signal lands exactly there, as it did under load
        def find_spec(self, name, path=None, target=None):
            if name == "pyexpat":
                os.kill(os.getpid(), signal.SIGINT)
            return None

    assert "pyexpat" not in sys.modules
    batch._worker_start(multiprocessing.Queue(), logging.INFO)  # a batch worker's handlers
    sys.meta_path.insert(0, CtrlCDuringPyexpatImport())
    from xml.etree import ElementTree  # swallows the KeyboardInterrupt: its pure-Python fallback
    print("import survived the interrupt:", ElementTree.XMLParser.__module__)
    try:
        write_outputs(Path(sys.argv[1]) / "conf", {"a.pdf": b"late"})
    except KeyboardInterrupt:
        sys.exit(130)
    """
)


def test_a_stop_signal_whose_exception_was_swallowed_still_writes_nothing(tmp_path: Path) -> None:
    """A signal handler's exception is raised wherever the process is, and library code may
    swallow it: ``_elementtree`` imports pyexpat with ``PyCapsule_Import``, which turns the
    KeyboardInterrupt into an ImportError that ElementTree's fallback catches. A batch worker
    went on and wrote its file after Ctrl-C; the write itself must refuse (no lock file either).
    """
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "toolkit")}
    done = subprocess.run(
        [sys.executable, "-c", SWALLOWED_CTRL_C, str(out)],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert "import survived the interrupt" in done.stdout, done.stderr  # the swallowing is real
    assert done.returncode == 130, done.stdout + done.stderr
    assert not out.exists() or not any(out.iterdir())
