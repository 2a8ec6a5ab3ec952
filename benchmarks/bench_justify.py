"""Benchmark: the widest gap of every justified Khmer and Lao line of the examples' PDFs.

Run with ``./run python benchmarks/bench_justify.py``. Builds every Khmer and Lao content file
of ``content/`` twice, with WeasyPrint's own justification (spaces widened only) and with the
distributed justification of ``kbc_docs.render.pdf.justify``, and prints per file the number of
justified lines, the widest gap in points and in normal spaces, the median of the lines'
widest gaps, and the lines of a justified paragraph left short of the right edge (their
next word did not fit and the gaps may not grow further) with the widest shortfall
(``tests/support/justified_gaps.py`` says how both are measured).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from kbc_docs.content.load import load_yaml
from kbc_docs.render.pdf import justify
from support.form_pages import CONTENT, build_outputs, copy_content
from support.justified_gaps import justified_gaps, short_lines


def _measure(example: Path, folder: Path) -> str:
    outputs = build_outputs(copy_content(example, folder / "content"), folder / "out")
    gaps = justified_gaps(outputs["report.pdf"])
    worst = max(gaps, key=lambda g: g.ratio)
    median = statistics.median(g.ratio for g in gaps)
    short = short_lines(outputs["report.pdf"])
    widest_short = max((s.missing for s in short), default=0.0)
    return (
        f"{len(gaps):3} justified lines, widest gap {worst.widest:5.1f} pt"
        f" = {worst.ratio:5.2f} spaces (median of lines {median:4.2f});"
        f" {len(short)} short by up to {widest_short:4.1f} pt"
    )


def _partner_files() -> dict[str, Path]:
    """Name ("km 2023-11-16") → every content file with a Khmer or Lao version."""
    out = {}
    for path in sorted(CONTENT.glob("*.yaml")):
        languages = load_yaml(path).data.get("document", {}).get("languages", [])
        for lang in set(languages) & {"km", "lo"}:
            out[f"{lang} {path.stem[:24]}"] = path
    return out


def main() -> None:
    examples = _partner_files()
    install = justify.install_distributed_justification
    with tempfile.TemporaryDirectory() as tmp:
        # WeasyPrint's own first: once installed, the replacement stays for the process.
        justify.install_distributed_justification = lambda: None  # type: ignore[assignment]
        before = {name: _measure(ex, Path(tmp) / f"{name}-spaces") for name, ex in examples.items()}
        justify.install_distributed_justification = install  # type: ignore[assignment]
        for name, example in examples.items():
            after = _measure(example, Path(tmp) / f"{name}-distributed")
            print(f"{name:27} spaces only  {before[name]}")
            print(f"{name:27} distributed  {after}")


if __name__ == "__main__":
    main()
