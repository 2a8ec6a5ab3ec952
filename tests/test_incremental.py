"""Incremental builds, the disk cache and batches, on real builds of the example."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from kbc_docs import cache
from kbc_docs.batch import build_all
from kbc_docs.pipeline import BuildOptions, build, up_to_date
from kbc_docs.watch import watch_and_build

ROOT = Path(__file__).resolve().parents[1]


def options(project: Path, **kw: object) -> BuildOptions:
    return BuildOptions(out=project / "out", templates=project / "templates", **kw)  # type: ignore[arg-type]


def test_unchanged_inputs_are_up_to_date_and_each_change_is_seen(project: Path) -> None:
    file = project / "content" / "2023-11-16.yaml"
    opts = options(project)
    assert None is up_to_date(file, opts)
    written = build(file, opts)
    assert up_to_date(file, opts) is not None

    os.utime(file)  # saved again without a change: a hash, not a build
    assert up_to_date(file, opts) is not None

    def changed(action) -> bool:  # type: ignore[no-untyped-def]
        build(file, opts)
        assert up_to_date(file, opts) is not None
        action()
        return up_to_date(file, opts) is None

    registry = project / "content" / "registry.yaml"
    assert changed(lambda: registry.write_text(registry.read_text() + "\n# note\n"))
    assert changed(lambda: file.write_text(file.read_text().replace("Kampot", "Kampot ", 1)))
    css = project / "templates" / "style.css"
    assert changed(lambda: css.write_bytes(css.read_bytes() + b"\n/* x */\n"))
    assert changed(lambda: (project / "templates" / "new.html").write_text("x"))
    assert changed(lambda: written[0].write_bytes(written[0].read_bytes() + b" "))
    assert changed(lambda: written[1].unlink())
    build(file, opts)
    assert None is up_to_date(file, options(project, draft=True))
    assert None is up_to_date(file, options(project, formats=("pdf",)))
    assert None is up_to_date(
        file, BuildOptions(out=project / "elsewhere", templates=opts.templates)
    )


def test_cache_off_means_never_up_to_date(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KBC_CACHE_DIR", "off")
    file = project / "content" / "2023-11-16.yaml"
    build(file, options(project, formats=("docx",)))
    assert None is up_to_date(file, options(project, formats=("docx",)))


def test_cached_results_give_the_same_bytes_and_damaged_entries_are_ignored(
    project: Path,
) -> None:
    def cold_build() -> dict[str, bytes]:  # a new process: nothing cached in memory
        out = project / "out"
        shutil.rmtree(out, ignore_errors=True)
        command = [sys.executable, "-m", "kbc_docs", "build", "content/2023-11-16.yaml"]
        command += ["--out", str(out), "--force"]
        subprocess.run(command, cwd=project, check=True, capture_output=True, timeout=300)
        return {p.name: p.read_bytes() for p in (out / "2023-11-16").iterdir()}

    first = cold_build()
    entries = [p for p in (project / "cache").rglob("*") if p.is_file()]
    assert any("font-subsets" in p.parts for p in entries)
    assert any("template-checks" in p.parts for p in entries)
    assert cold_build() == first  # from the cache
    for entry in entries:  # damage every entry: each must be recomputed, not trusted
        entry.write_bytes(entry.read_bytes()[:-1] + b"\0")
    assert cold_build() == first


def test_cache_entry_round_trip_and_unwritable_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KBC_CACHE_DIR", str(tmp_path / "c"))
    entry = cache.key("a", b"b")
    assert cache.key("ab", b"") != cache.key("a", b"b")
    cache.put("x", entry, b"data")
    assert cache.get("x", entry) == b"data"
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("KBC_CACHE_DIR", str(tmp_path / "file" / "c"))  # cannot be made
    cache.put("x", entry, b"data")
    assert cache.get("x", entry) is None


def test_batch_on_two_cores_matches_one_file_builds(project: Path) -> None:
    files = [project / "content" / "2023-11-16.yaml"]
    files.append(project / "content" / "2024-10-08-attapeu-sekong.yaml")
    alone = project / "alone"
    for file in files:
        build(file, BuildOptions(out=alone, templates=project / "templates"))
    outcomes = list(build_all(files, options(project), jobs=2))
    assert sorted(o.file for o in outcomes) == sorted(files)
    assert all(o.written and not o.skipped and o.error is None for o in outcomes)
    for outcome in outcomes:
        for path in outcome.written:
            assert path.read_bytes() == (alone / path.parent.name / path.name).read_bytes()
    again = list(build_all(files, options(project), jobs=2))
    assert all(o.skipped and not o.written for o in again)
    forced = list(build_all(files, options(project), jobs=1, force=True))
    assert all(o.written for o in forced)


def test_watch_rebuilds_after_a_save_and_stops(project: Path) -> None:
    file = project / "content" / "2023-11-16.yaml"
    seen = []
    stop = threading.Event()
    opts = options(project, formats=("docx",))
    thread = threading.Thread(target=watch_and_build, args=(file, opts, seen.append, stop))
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
        assert seen and seen[0].written
        before = seen[0].written[0].read_bytes()
        time.sleep(0.5)  # let the watcher start
        file.write_text(
            file.read_text().replace("12/BC-MTTQ-BTT", "13/BC-MTTQ-BTT"), encoding="utf-8"
        )
        while len(seen) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(seen) >= 2 and seen[-1].written, seen
        assert seen[-1].written[0].read_bytes() != before
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()


def test_a_skipped_file_repeats_its_reminders(project: Path) -> None:
    file = project / "content" / "2024-03-25.yaml"  # seed 004: facts still to be completed
    [first] = build_all([file], options(project))
    assert first.written and first.todos
    [again] = build_all([file], options(project))
    assert again.skipped and again.todos == first.todos
    [strict] = build_all([file], options(project, strict=True))
    assert strict.error is not None and not strict.skipped  # --strict is an option: no skip


def test_an_up_to_date_build_loads_no_checks_and_no_renderer(project: Path) -> None:
    """The no-op path stays light: what it imports decides its time, so it is asserted here
    (the time itself is measured by benchmarks/bench_build.py, never by a test)."""
    command = [sys.executable, "-m", "kbc_docs", "build", "content/2023-11-16.yaml", "--out", "out"]
    subprocess.run(command, cwd=project, check=True, capture_output=True, timeout=300)
    probe = (
        "import sys\n"
        "from kbc_docs.cli import main\n"
        "sys.argv = ['kbc-docs', 'build', 'content/2023-11-16.yaml', '--out', 'out']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('weasyprint', 'fontTools', 'docxtpl', 'pikepdf', 'icu', 'yaml', 'lxml',"
        " 'kbc_docs.content.check', 'kbc_docs.view')\n"
        "print('loaded:', *(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert "up to date" in result.stdout, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1] == "loaded:"


def test_a_kept_layout_is_used_only_while_its_inputs_are_unchanged(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What ``watch`` keeps in memory (:func:`kbc_docs.cache.keep_in_memory`) gives the bytes
    of a cold build, and a change to a file the layout reads (the style sheet) is seen."""
    from kbc_docs.render.pdf import produce

    file = project / "content" / "2023-11-16.yaml"
    css = project / "templates" / "style.css"

    def pdfs() -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in build(file, options(project, formats=("pdf",)))}

    def cold() -> dict[str, bytes]:
        monkeypatch.setattr(produce, "_LAYOUTS", cache.Recent(2))
        monkeypatch.setattr(produce, "_PARTS", cache.Recent(8))
        return pdfs()

    first = cold()  # and from here on, this test's own kept PDFs
    monkeypatch.setattr(cache, "_keep_in_memory", True)
    assert pdfs() == first  # laid out and kept
    assert len(produce._PARTS._items) == 4  # each language version of each document
    assert pdfs() == first  # from the kept PDFs
    css.write_bytes(css.read_bytes() + b"\nbody { color: #102030; }\n")
    changed = pdfs()
    assert all(changed[name] != first[name] for name in first)
    assert changed == cold()
