"""The wheel is a real package: built, installed in a new virtual environment and run elsewhere.

A checkout hides missing package data (templates, locale files, catalogues found beside the
code), so this builds the wheel from a copy of the sources, installs it into a fresh venv and
builds the example from a folder that has nothing to do with the checkout. To stay offline and
fast, the new venv borrows the test venv's installed dependencies through a ``.pth`` line; the
editable install of the checkout is not picked up that way (``.pth`` files are only read in
site directories), and the test asserts that kbc_docs really comes from the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"{command}: {result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built without network from a clean copy of the sources."""
    source = tmp_path_factory.mktemp("source")
    shutil.copy(ROOT / "pyproject.toml", source)
    shutil.copy(ROOT / "README.md", source)
    shutil.copytree(
        ROOT / "toolkit",
        source / "toolkit",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    dist = tmp_path_factory.mktemp("dist")
    _run(
        sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
        "--no-index", "-w", dist, source,
        cwd=source,
    )  # fmt: skip
    (built,) = dist.glob("kbc_docs-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new venv with the wheel installed; returns its ``bin`` folder."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    _run(
        sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps",
        "--no-index", wheel,
        cwd=env_dir,
    )  # fmt: skip
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                     cwd=env_dir).strip())  # fmt: skip
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return env_dir / "bin"


def test_the_wheel_holds_every_file_read_at_run_time(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = ROOT / "toolkit" / "kbc_docs" / "data"
    for path in shipped.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            assert f"kbc_docs/data/{path.relative_to(shipped).as_posix()}" in names


def test_the_installed_wheel_builds_the_example_from_another_folder(
    installed: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "somewhere else"
    shutil.copytree(ROOT / "content", elsewhere / "content")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["LANG"] = "C.UTF-8"
    origin = _run(installed / "python", "-c", "import kbc_docs; print(kbc_docs.__file__)",
                  cwd=elsewhere, env=env)  # fmt: skip
    assert Path(origin).is_relative_to(installed.parent), origin
    _run(installed / "kbc-docs", "build", "content/2023-11-16.yaml", cwd=elsewhere, env=env)
    built = sorted(p.name for p in (elsewhere / "build" / "2023-11-16").iterdir())
    assert built == [
        "2023-11-16_report_vi-km.docx",
        "2023-11-16_report_vi-km.pdf",
        "2023-11-16_signing_vi-km.docx",
        "2023-11-16_signing_vi-km.pdf",
    ]
    assert (elsewhere / "build" / "2023-11-16" / "2023-11-16_report_vi-km.pdf").read_bytes()[
        :5
    ] == b"%PDF-"


def test_the_installed_wheel_speaks_vietnamese(installed: Path, tmp_path: Path) -> None:
    """The compiled catalogue travels in the wheel: help and Click's errors in Vietnamese."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LANGUAGE", "LC_ALL")}
    env["LANG"] = "vi_VN.UTF-8"
    help_text = _run(installed / "kbc-docs", "build", "--help", cwd=tmp_path, env=env)
    assert "Cách dùng:" in help_text and "Ví dụ: kbc-docs build" in help_text
    new = _run(installed / "kbc-docs", "new", "moi.yaml", cwd=tmp_path, env=env)
    assert "cần bổ sung" in new and (tmp_path / "moi.yaml").is_file()


@pytest.mark.slow
def test_pipx_installs_the_wheel_and_its_command_builds_from_another_folder(
    wheel: Path, tmp_path: Path
) -> None:
    """What a clerk's IT person does: pipx (from PyPI, in a venv of its own) installs the wheel
    with its dependencies into pipx's own venv; the ``kbc-docs`` it links then builds the example
    from an unrelated folder. pipx's homes are temporary folders, so nothing of the user's is
    touched."""
    tools = tmp_path / "pipx-tool"
    venv.create(tools, with_pip=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    _run(tools / "bin" / "python", "-m", "pip", "install", "-q", "pipx>=1.4,<2", cwd=tmp_path,
         env=env)  # fmt: skip
    env |= {
        "PIPX_HOME": str(tmp_path / "pipx-home"),
        "PIPX_BIN_DIR": str(tmp_path / "pipx-bin"),
        "PIPX_MAN_DIR": str(tmp_path / "pipx-man"),
        "LANG": "vi_VN.UTF-8",
    }
    _run(tools / "bin" / "pipx", "install", wheel, cwd=tmp_path, env=env)
    command = tmp_path / "pipx-bin" / "kbc-docs"
    assert command.is_file(), sorted(p.name for p in (tmp_path / "pipx-bin").iterdir())
    listed = _run(tools / "bin" / "pipx", "list", "--short", cwd=tmp_path, env=env)
    assert listed.startswith("kbc-docs "), listed
    elsewhere = tmp_path / "văn thư" / "hội nghị"
    shutil.copytree(ROOT / "content", elsewhere / "content")
    said = _run(command, "build", "content/2023-11-16.yaml", cwd=elsewhere, env=env)
    assert "đã tạo 1, lỗi 0, bỏ qua 0" in said, said
    folder = elsewhere / "build" / "2023-11-16"
    assert sorted(p.name for p in folder.iterdir()) == [
        "2023-11-16_report_vi-km.docx",
        "2023-11-16_report_vi-km.pdf",
        "2023-11-16_signing_vi-km.docx",
        "2023-11-16_signing_vi-km.pdf",
    ]
    assert zipfile.ZipFile(folder / "2023-11-16_report_vi-km.docx").testzip() is None
    assert (folder / "2023-11-16_report_vi-km.pdf").read_bytes()[:5] == b"%PDF-"
