"""LibreOffice as the real client that must open our DOCX files: one conversion helper."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def to_pdf(sources: list[Path], outdir: Path, env: dict[str, str] | None = None) -> list[Path]:
    """Convert ``sources`` to PDF in ``outdir`` with a throw-away profile; skip without LibreOffice.

    Asserts that LibreOffice succeeded and wrote a non-trivial PDF for every source.
    """
    return convert(sources, outdir, "pdf", env)


def to_docx(sources: list[Path], outdir: Path) -> list[Path]:
    """Open each of ``sources`` in LibreOffice and save it as DOCX in ``outdir`` (a re-save)."""
    return convert(sources, outdir, "docx")


def convert(
    sources: list[Path], outdir: Path, target: str, env: dict[str, str] | None = None
) -> list[Path]:
    """Convert ``sources`` to ``target`` (``pdf``, ``docx``) in ``outdir``; see :func:`to_pdf`."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{outdir / 'lo-profile'}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    written = [outdir / source.with_suffix(f".{target}").name for source in sources]
    for path in written:
        assert path.is_file() and path.stat().st_size > 1000, (path, result.stdout, result.stderr)
    return written
