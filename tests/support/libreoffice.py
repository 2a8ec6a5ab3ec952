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
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{outdir / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
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
    pdfs = [outdir / source.with_suffix(".pdf").name for source in sources]
    for pdf in pdfs:
        assert pdf.is_file() and pdf.stat().st_size > 1000, (pdf, result.stdout, result.stderr)
    return pdfs
