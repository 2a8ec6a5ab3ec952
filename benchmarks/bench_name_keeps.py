"""Benchmark: the CPU time of a PDF's render with and without the memo of the names kept whole.

Run with ``./run python benchmarks/bench_name_keeps.py [CONTENT] [--template signing.html]``
(default: the example report). Each run is a new process that renders the PDF
(``produce.produce_pdf``: layouts, checks and the write) once to warm the caches of the
process and the disk (fonts, font subsets, the memo), then times with
``time.process_time()`` one render with the memo switched off (every pass of
:func:`kbc_docs.render.pdf.name_keeps.keep_names` made) and one with it (a rebuild, `watch`,
``--force``), in alternating order; it reports the medians of ``--runs`` processes and the
layouts each render made. The two PDFs are checked to be the same bytes. The machine may be
shared: the two are compared side by side, by CPU time, never by wall time alone.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _one_process(content: str, template: str, first: str) -> dict[str, float]:
    """Render ``template`` for ``content`` once to warm up, then once each way, timed."""
    from example_job import example_job
    from kbc_docs.render.pdf import name_keeps, produce, weasy

    job = example_job(content, template)
    layouts = [0]
    render = weasy.weasyprint.HTML.render

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        layouts[0] += 1
        return render(self, *args, **kwargs)

    weasy.weasyprint.HTML.render = counting
    produce.produce_pdf(job)  # warm: fonts, cffi types, caches on disk, the memo filled
    active = name_keeps.Memo.active
    result: dict[str, float] = {}
    pdfs = {}
    order = ["off", "memo"] if first == "off" else ["memo", "off"]
    for way in order:
        name_keeps.Memo.active = staticmethod(active if way == "memo" else lambda: False)
        layouts[0] = 0
        start = time.process_time()
        pdfs[way], _ = produce.produce_pdf(job)
        result[f"{way} s"] = time.process_time() - start
        result[f"{way} layouts"] = layouts[0]
    if pdfs["off"] != pdfs["memo"]:
        raise SystemExit("the memo changed the PDF")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("content", nargs="?", default=str(ROOT / "content/2023-11-16.yaml"))
    parser.add_argument("--template", default="report.html")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--one", choices=["off", "memo"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(_one_process(args.content, args.template, args.one)))
        return
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "KBC_CACHE_DIR": folder}
        for index in range(args.runs):
            first = "off" if index % 2 == 0 else "memo"
            command = [sys.executable, __file__, args.content, "--template", args.template]
            out = subprocess.run(
                [*command, "--one", first], capture_output=True, text=True, check=True, env=env
            ).stdout
            runs.append(json.loads(out))
    for name in runs[0]:
        values = [run[name] for run in runs]
        each = " ".join(f"{v:.3f}" for v in values)
        print(f"{name:>14}: median {statistics.median(values):.3f}  ({each})")


if __name__ == "__main__":
    main()
