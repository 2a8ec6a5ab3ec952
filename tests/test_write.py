"""Writing outputs (:mod:`kbc_docs.write`): whole files or nothing under an output's name."""

from __future__ import annotations

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
