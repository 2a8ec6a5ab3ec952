"""The one "stays inside this folder" rule (:mod:`kbc_docs.safepath`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from kbc_docs.safepath import Outside, inside, within


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
