"""``kbc-docs watch`` on real builds: what a warm process reuses gives a cold build's bytes.

``watch`` keeps what the last builds made (Word files, checked templates, compiled template
parts, layouts) and writes only the outputs that changed; each rebuild here is compared byte
for byte with a fresh ``kbc-docs build --force`` of the same files, in a new process with no
cache. How fast it is, is measured by ``benchmarks/bench_build.py``, never here.
"""

from __future__ import annotations

import io
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from kbc_docs import watch, write
from kbc_docs.batch import Outcome
from kbc_docs.options import BuildOptions
from kbc_docs.render.docx import render

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # builds whole documents; `pytest -m 'not slow'` skips it

ANCHOR = "tiếp giáp tỉnh Kiên Giang"  # a sentence of the report, not of the signing pages


class Watching:
    """``watch_and_build`` in a thread, each outcome it reports in a queue."""

    def __init__(self, file: Path, options: BuildOptions) -> None:
        self.outcomes: queue.Queue[Outcome] = queue.Queue()
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=watch.watch_and_build, args=(file, options, self.outcomes.put, self.stop)
        )
        self.thread.start()

    def next(self) -> Outcome:
        outcome = self.outcomes.get(timeout=180)
        time.sleep(0.5)  # the watcher is (again) in place before the test's next save
        return outcome

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=60)
        assert not self.thread.is_alive()


@pytest.fixture
def watching(project: Path) -> Iterator[Callable[[Path], Watching]]:
    started: list[Watching] = []

    def start(file: Path) -> Watching:
        started.append(
            Watching(file, BuildOptions(out=project / "out", templates=project / "templates"))
        )
        return started[-1]

    yield start
    for w in started:
        w.close()


def cold_build(project: Path, file: Path) -> dict[str, bytes]:
    """The outputs of ``kbc-docs build --force`` in a new process, without any cache."""
    out = project / "cold"
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "kbc_docs", "build", str(file), "--force"]
    command += ["--out", str(out), "--templates", str(project / "templates")]
    env = {**os.environ, "KBC_CACHE_DIR": "off"}
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, timeout=600)
    assert result.returncode == 0, result.stderr.decode()
    return files(out / file.stem)


def save(file: Path, text: str) -> None:
    """Save ``file`` as many editors do, by renaming a new file over it: a build never reads
    it half-written (what a test sees built must not depend on when the build reads)."""
    new = file.with_name(f".{file.name}.new")
    new.write_text(text, encoding="utf-8")
    os.replace(new, file)


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def inodes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_ino for p in sorted(folder.iterdir())}


def edited_word_template(template: Path, part: str, old: bytes, new: bytes) -> None:
    """Save ``template`` with ``old`` replaced by ``new`` in ``part``, as Word would."""
    with zipfile.ZipFile(template) as zin:
        parts = {info.filename: zin.read(info) for info in zin.infolist()}
    assert old in parts[part]
    parts[part] = parts[part].replace(old, new, 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, blob in parts.items():
            zout.writestr(name, blob)
    new = template.with_name(f".{template.name}.new")
    new.write_bytes(buffer.getvalue())
    os.replace(new, template)


def test_each_rebuild_gives_a_cold_builds_bytes_and_renders_only_what_changed(
    project: Path, watching: Callable[[Path], Watching], monkeypatch: pytest.MonkeyPatch
) -> None:
    file = project / "content" / "2023-11-16.yaml"
    folder = project / "out" / file.stem
    rendered: list[str] = []  # the Word templates rendered, in order
    real_render = render.render_docx

    def spy(view, template, *args, **kwargs):  # type: ignore[no-untyped-def]
        rendered.append(Path(template).name)
        return real_render(view, template, *args, **kwargs)

    monkeypatch.setattr(render, "render_docx", spy)
    w = watching(file)
    first = w.next()
    assert first.error is None and len(first.written) == 4
    text = file.read_text(encoding="utf-8")
    assert ANCHOR in text

    # A sentence of the report: both documents are built again (the signing pages' PDF
    # carries the content file), with the bytes of a cold build.
    rendered.clear()
    before = files(folder)
    save(file, text.replace(ANCHOR, f"{ANCHOR} (1)", 1))
    outcome = w.next()
    assert outcome.error is None and outcome.written
    assert rendered.count("report.docx") == 1
    after = files(folder)
    assert after == cold_build(project, file)
    report = next(name for name in after if "_report_" in name and name.endswith(".docx"))
    assert after[report] != before[report]

    # A comment: no Word file is rendered or written again; both PDFs change (each carries
    # the content file) and are a cold build's.
    rendered.clear()
    kept = inodes(folder)
    save(file, file.read_text(encoding="utf-8") + "\n# checked by the office\n")
    outcome = w.next()
    assert outcome.error is None and outcome.written
    assert rendered == []
    now = inodes(folder)
    assert {n: i for n, i in now.items() if n.endswith(".docx")} == {
        n: i for n, i in kept.items() if n.endswith(".docx")
    }
    assert all(now[n] != kept[n] for n in now if n.endswith(".pdf"))
    assert files(folder) == cold_build(project, file)

    # The PDFs' style sheet: the PDFs change, the Word files are kept.
    rendered.clear()
    css = project / "templates" / "style.css"
    save(css, css.read_text(encoding="utf-8") + "\nbody { color: #102030; }\n")
    outcome = w.next()
    assert outcome.error is None and outcome.written
    assert rendered == []
    assert files(folder) == cold_build(project, file)

    # The registry: an entry the conference does not use changes no output, and none is
    # written again; a party's line it changes is printed anew, as a cold build prints it.
    registry = project / "content" / "registry.yaml"
    before, kept = files(folder), inodes(folder)
    text = registry.read_text(encoding="utf-8")
    save(registry, text.replace("vi: Sekong,", "vi: Xê Kông,", 1))
    outcome = w.next()
    assert outcome.error is None and outcome.written
    assert files(folder) == before and inodes(folder) == kept
    header = "body: {vi: TỈNH KIÊN GIANG,"  # a party's header line, printed on both documents
    save(registry, registry.read_text(encoding="utf-8").replace(header, "body: {vi: TỈNH KG,", 1))
    outcome = w.next()
    assert outcome.error is None and outcome.written
    assert files(folder) != before
    assert files(folder) == cold_build(project, file)

    # The signing pages' Word template: that Word file is rendered again, from the new template.
    rendered.clear()
    before = files(folder)
    signing = project / "templates" / "signing.docx"
    edited_word_template(signing, "word/styles.xml", b'<w:sz w:val="26"/>', b'<w:sz w:val="25"/>')
    outcome = w.next()
    assert outcome.error is None and outcome.written, outcome.error
    assert rendered == ["signing.docx"]
    after = files(folder)
    assert [n for n in after if after[n] != before[n]] == [
        n for n in after if "_signing_" in n and n.endswith(".docx")
    ]
    assert after == cold_build(project, file)


def test_a_bad_save_keeps_the_outputs_and_the_fix_is_said(
    project: Path, watching: Callable[[Path], Watching]
) -> None:
    file = project / "content" / "2023-11-16.yaml"
    folder = project / "out" / file.stem
    w = watching(file)
    assert w.next().written
    good = file.read_text(encoding="utf-8")
    before = files(folder)

    save(file, good.replace("signing:", "signing: [", 1))
    broken = w.next()
    assert broken.error is not None and not broken.written
    assert files(folder) == before

    save(file, good)  # back as it was: nothing to build, but said
    back = w.next()
    assert back.skipped and back.error is None
    assert files(folder) == before


def test_one_editor_save_is_one_build(project: Path, watching: Callable[[Path], Watching]) -> None:
    """An editor's save: a backup copy, the new text renamed over the file, its mode set
    again, the backup removed; and the same text saved once more (each step leaves the file
    whole, whenever the build reads it). One build is reported."""
    file = project / "content" / "2023-11-16.yaml"
    w = watching(file)
    assert w.next().written
    text = file.read_text(encoding="utf-8").replace(ANCHOR, f"{ANCHOR} (2)", 1)
    backup = file.with_name(file.name + "~")
    shutil.copy2(file, backup)
    swap = file.with_name(f".{file.name}.swp")
    swap.write_text(text, encoding="utf-8")
    os.replace(swap, file)
    file.chmod(0o644)
    backup.unlink()
    save(file, text)
    built = w.next()
    assert built.error is None and built.written
    time.sleep(3)  # time enough for any second build the burst would have started
    assert w.outcomes.empty(), [o.written or o.skipped for o in list(w.outcomes.queue)]


def test_a_save_caught_half_way_is_not_reported_as_an_error(
    project: Path, watching: Callable[[Path], Watching], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor that writes the file in place: emptied first, written a moment later. The
    build that reads the empty file fails; as the file changed meanwhile, only the build of
    the whole file is reported."""
    monkeypatch.setattr(watch, "SETTLE_SECONDS", 3.0)  # far longer than the save's pause
    file = project / "content" / "2023-11-16.yaml"
    w = watching(file)
    assert w.next().written
    text = file.read_text(encoding="utf-8").replace(ANCHOR, f"{ANCHOR} (3)", 1)
    with open(file, "w", encoding="utf-8") as stream:
        stream.flush()
        time.sleep(0.3)  # the watcher sees the empty file and builds it
        stream.write(text)
    built = w.next()
    assert built.error is None and built.written
    assert w.outcomes.empty()


def test_an_output_with_the_same_bytes_is_linked_not_written(tmp_path: Path) -> None:
    folder = tmp_path / "out" / "conf"
    write.write_outputs(folder, {"a.pdf": b"one", "b.docx": b"two"})
    first = inodes(folder)
    write.write_outputs(folder, {"a.pdf": b"one!", "b.docx": b"two"})
    second = inodes(folder)
    assert second["b.docx"] == first["b.docx"] and second["a.pdf"] != first["a.pdf"]
    assert files(folder) == {"a.pdf": b"one!", "b.docx": b"two"}
    (folder / "b.docx").write_bytes(b"TWO")  # changed by hand: written again
    write.write_outputs(folder, {"a.pdf": b"one!", "b.docx": b"two"})
    assert files(folder) == {"a.pdf": b"one!", "b.docx": b"two"}
    assert inodes(folder)["a.pdf"] == second["a.pdf"]
