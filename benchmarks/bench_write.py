"""Benchmark: the CPU time of writing a laid-out PDF (``produce.write_document``), by part.

Run with ``./run python benchmarks/bench_write.py [CONTENT] [--template signing.html]``
(default: the example report). Writing follows the layout: WeasyPrint draws the pages and
writes its PDF while each line's glyphs are read (``weasy.write_pdf``), then the archival
finish (``archive.finish_pdf``: the searchable-text pass, the fonts, metadata, sources and the
save). Each run lays the document out once in a new process and times, with
``time.process_time()``, the first write (what a build does: the process's first fonts,
cffi types and collector passes included) and a second one of the same layout (what a
``watch`` rebuild of a kept layout does); medians of ``--runs`` processes. The machine may be
shared: compare branches side by side in one run, by CPU time, never by wall time alone.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _one_process(content: str, template: str) -> dict[str, float]:
    """Lay out ``template`` for ``content`` and time two writes of it (in this process)."""
    from example_job import example_job
    from kbc_docs.render.pdf import archive, produce, weasy

    job = example_job(content, template)
    document = produce.lay_out(job.html, job.folders, job.images, job.names)
    parts: dict[str, float] = {}

    def timed(module: object, name: str) -> None:
        function = getattr(module, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                parts[name] = parts.get(name, 0.0) + time.process_time() - start

        setattr(module, name, wrapper)

    timed(weasy, "write_pdf")
    timed(produce, "finish_pdf")
    timed(archive, "fix_text")
    times: dict[str, float] = {}
    for call in ("first", "second"):
        parts.clear()
        start = time.process_time()
        produce.write_document(document, job.html, job.when, job)
        times[call] = time.process_time() - start
        times |= {f"{call} {name}": seconds for name, seconds in parts.items()}
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", nargs="?", default="content/2023-11-16.yaml")
    parser.add_argument("--template", default="report.html")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_one_process(args.content, args.template)))
        return
    command = [sys.executable, __file__, args.content, "--template", args.template, "--child"]
    samples = [
        json.loads(subprocess.run(command, cwd=ROOT, check=True, capture_output=True).stdout)
        for _ in range(args.runs)
    ]
    print(f"{args.content} {args.template}: CPU, median of {args.runs} processes")
    for call in ("first", "second"):
        line = f"  {call:6} write {statistics.median(s[call] for s in samples) * 1000:5.0f} ms"
        for part in ("write_pdf", "finish_pdf", "fix_text"):
            median = statistics.median(s.get(f"{call} {part}", 0.0) for s in samples)
            line += f"  {part} {median * 1000:4.0f}"
        print(line)


if __name__ == "__main__":
    main()
