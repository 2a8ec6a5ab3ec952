"""Benchmark: the widest gap of every justified Khmer and Lao line of the examples' PDFs.

Run with ``./run python benchmarks/bench_justify.py``. Builds the Khmer and the Lao example
twice, with WeasyPrint's own justification (spaces widened only) and with the distributed
justification of ``kbc_docs.render.pdf.weasy``, and prints per language the number of
justified lines, the widest gap in points and in normal spaces, and the median of the lines'
widest gaps (``tests/support/justified_gaps.py`` says how a gap is measured).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from kbc_docs.render.pdf import weasy
from support.form_pages import KM_EXAMPLE, LO_EXAMPLE, build_outputs, copy_content
from support.justified_gaps import justified_gaps


def _measure(example: Path, folder: Path) -> str:
    outputs = build_outputs(copy_content(example, folder / "content"), folder / "out")
    gaps = justified_gaps(outputs["report.pdf"])
    worst = max(gaps, key=lambda g: g.ratio)
    median = statistics.median(g.ratio for g in gaps)
    return (
        f"{len(gaps):3} justified lines, widest gap {worst.widest:5.1f} pt"
        f" = {worst.ratio:5.2f} spaces (median of lines {median:4.2f})"
    )


def main() -> None:
    examples = {"km": KM_EXAMPLE, "lo": LO_EXAMPLE}
    install = weasy.install_distributed_justification
    with tempfile.TemporaryDirectory() as tmp:
        # WeasyPrint's own first: once installed, the replacement stays for the process.
        weasy.install_distributed_justification = lambda: None  # type: ignore[assignment]
        before = {name: _measure(ex, Path(tmp) / f"{name}-spaces") for name, ex in examples.items()}
        weasy.install_distributed_justification = install  # type: ignore[assignment]
        for name, example in examples.items():
            after = _measure(example, Path(tmp) / f"{name}-distributed")
            print(f"{name}: spaces only  {before[name]}")
            print(f"{name}: distributed  {after}")


if __name__ == "__main__":
    main()
