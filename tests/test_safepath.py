"""The one "stays inside this folder" rule (:mod:`kbc_docs.safepath`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from kbc_docs.safepath import FileProblem, Outside, inside, read_limited, within


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("file:///etc/passwd", "url"),
        ("http://example.org/a.png", "url"),
        ("/etc/passwd", "absolute"),
        ("\\\\server\\share\\a.png", "absolute"),
        ("C:\\Windows\\a.png", "absolute"),
        ("../a.png", "outside"),
        ("sub/../../a.png", "outside"),
        ("sub\\..\\..\\a.png", "outside"),
    ],
)
def test_names_that_leave_the_folder_are_refused(tmp_path: Path, name: str, reason: str) -> None:
    with pytest.raises(Outside) as caught:
        inside(tmp_path, name)
    assert caught.value.reason == reason


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder, secret = tmp_path / "folder", tmp_path / "secret.txt"
    folder.mkdir()
    secret.write_text("x")
    (folder / "link.txt").symlink_to(secret)
    with pytest.raises(Outside):
        inside(folder, "link.txt")
    assert not within(folder, folder / "link.txt")


def test_names_inside_are_resolved(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    assert inside(tmp_path, "sub/a.png") == (tmp_path / "sub" / "a.png").resolve()
    assert inside(tmp_path, "sub\\a.png") == (tmp_path / "sub" / "a.png").resolve()
    assert within(tmp_path, tmp_path / "sub" / "a.png")


def test_dot_dot_that_stays_inside_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    assert inside(tmp_path, "sub/../seal.png") == (tmp_path / "seal.png").resolve()
    assert inside(tmp_path, "./sub/./../sub/seal.png") == (tmp_path / "sub/seal.png").resolve()


def test_dot_dot_through_a_symlink_is_judged_where_it_leads(tmp_path: Path) -> None:
    outside = tmp_path / "outside" / "deep"
    outside.mkdir(parents=True)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "sub").symlink_to(outside)
    with pytest.raises(Outside):
        inside(folder, "sub/../x.png")  # .. of the link's target, outside the folder


def test_a_symlink_loop_is_refused_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to("loop")
    with pytest.raises(Outside):
        inside(tmp_path, "loop/a.png")
    assert not within(tmp_path, tmp_path / "loop")


@pytest.mark.parametrize("kind", ["missing", "folder", "fifo", "device", "too large"])
def test_read_limited_reads_only_small_regular_files(tmp_path: Path, kind: str) -> None:
    import os

    path = {
        "missing": tmp_path / "nope",
        "folder": tmp_path,
        "fifo": tmp_path / "fifo",
        "device": Path("/dev/zero"),
        "too large": tmp_path / "big",
    }[kind]
    if kind == "fifo":
        os.mkfifo(path)  # opening it for reading would wait for a writer
    if kind == "too large":
        path.write_bytes(b"x" * 101)
    with pytest.raises(FileProblem):
        read_limited(path, 100)
    (tmp_path / "ok").write_bytes(b"x" * 100)
    assert read_limited(tmp_path / "ok", 100) == b"x" * 100
