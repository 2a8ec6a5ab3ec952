"""Benchmark: cold CLI build and warm in-process build of the example; prints medians and sizes.

Run with ``./run python benchmarks/bench_build.py [--runs N]``. Timing lives here, not in tests,
because a loaded CI machine would make timed assertions flaky.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kbc_docs.content.resolve import load_content
from kbc_docs.pipeline import BuildOptions, build
from kbc_docs.view import build_view

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the PDF checks live with the tests (they need pypdf)
from support.pdf_checks import round_trip_share  # noqa: E402

TEMPLATES = ROOT / "toolkit/kbc_docs/data/templates"
EXAMPLE = ROOT / "content" / "2023-11-16.yaml"


def timed(fn: object, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--content", type=Path, default=EXAMPLE)
    args = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="kbc-bench-"))
    script = Path(sys.executable).with_name("kbc-docs")
    cli = [str(script)] if script.exists() else [sys.executable, "-m", "kbc_docs"]
    try:
        cold = timed(
            lambda: subprocess.run(
                [*cli, "build", str(args.content), "--out", str(out)],
                check=True,
                capture_output=True,
                cwd=ROOT,
            ),
            args.runs,
        )
        options = BuildOptions(out=out, templates=TEMPLATES)
        build(args.content, options)  # warm-up: imports, fonts, template parsing
        warm = timed(lambda: build(args.content, options), args.runs)
        for label, formats in (("docx only", ("docx",)), ("pdf only", ("pdf",))):
            opts = BuildOptions(out=out, formats=formats, templates=TEMPLATES)
            part = timed(lambda opts=opts: build(args.content, opts), args.runs)
            print(f"warm in-process build, {label:9}: median {statistics.median(part):.3f} s")
        print(
            f"cold CLI build (all)             : median {statistics.median(cold):.3f} s "
            f"over {args.runs} runs"
        )
        print(
            f"warm in-process build (all)      : median {statistics.median(warm):.3f} s "
            f"over {args.runs} runs"
        )
        resolved, locales = load_content(args.content, TEMPLATES)
        view = build_view(resolved, locales)
        for file in sorted((out / args.content.stem).iterdir()):
            line = f"{file.name:45} {file.stat().st_size / 1024:8.1f} KB"
            if file.suffix == ".pdf":
                document = file.stem.split("_")[1]
                printed = [s for v in view.versions for s in v.printed(document)]
                share = round_trip_share(file.read_bytes(), printed)
                line += f"   Khmer/Lao paragraphs extracted exactly: {share:.0%}"
            print(line)
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
