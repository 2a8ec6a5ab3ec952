"""The second round of hostile and unlucky circumstances, through the real command line.

Every case runs ``python -m kbc_docs`` in its own process, bounded in address space
(:data:`MEMORY`) and time (:data:`SECONDS`), and checks three things: the exit code, the exact
shape of the message (``place: what is wrong; what to do``, never a traceback), and that every
file the case did not mean to change is byte-identical afterwards (:func:`snapshot`). The
content cases live in ``tests/bad/`` (``test_bad_inputs.py``); these are the ones that need a
place, a file system, a process or a key: output folders and names, locks, signals, template
folders, templates that try to exhaust the build, and signing.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from kbc_docs import write
from kbc_docs.errors import OutputError
from support.hostile import (
    BAD,
    ROOT,
    SECONDS,
    env,
    kbc,
    limits,
    refused,
    snapshot,
    start,
    valid_conference,
)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """The corpus' valid content file (as ``conf.yaml``) and its registry."""
    return valid_conference(tmp_path)


def content(work: Path, name: str) -> Path:
    path = work / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        shutil.copy(work / "conf.yaml", path)
        if path.parent != work:
            shutil.copy(work / "_registry.yaml", path.parent / "_registry.yaml")
    return path


def build(work: Path, *files: str, out: str = "out", fmt: str = "docx", extra: tuple = ()):  # type: ignore[no-untyped-def]
    return kbc("build", *files, "--out", out, "--format", fmt, *extra, cwd=work)


@pytest.fixture
def other_conference(work: Path) -> dict[str, bytes | str]:
    """An earlier conference's outputs in ``out/``, which no case may touch."""
    earlier = work / "out" / "2022-11-25"
    earlier.mkdir(parents=True)
    (earlier / "2022-11-25_report_vi-km.docx").write_bytes(b"earlier report")
    (earlier / "signed-by-kampot.pdf").write_bytes(b"a signed copy")
    (work / "out" / "README.txt").write_text("the clerk's own notes\n", encoding="utf-8")
    return snapshot(work / "out")


# --- output names ---------------------------------------------------------------------------

NO_NAME = ["..yaml", "...yaml", "....yaml", "_.yaml", "-.yaml", "-_-.yaml", " .yaml", "\u202e.yaml"]


@pytest.mark.parametrize("name", NO_NAME)
def test_a_name_without_letters_is_refused_and_nothing_else_is_touched(
    name: str, work: Path, other_conference: dict[str, bytes | str]
) -> None:
    file = content(work, name)
    result = build(work, f"./{file.name}")  # "./": "-.yaml" is not an option
    refused(result, 1, "gives no usable output folder name; rename the content file")
    assert snapshot(work / "out") == other_conference


NAMES = {
    "Hội nghị Kampot 2023.yaml": "Hoi-nghi-Kampot-2023",
    unicodedata.normalize("NFD", "Hội nghị Kampot 2023.yaml"): "Hoi-nghi-Kampot-2023",
    "ខេត្តកំពត.yaml": "khettkampt",
    "ແຂວງ ອັດຕະປື.yaml": "ekhvng-adtapu",
    "hội_nghị_2023.yaml": "hoi-nghi-2023",
    "a b;c|d$(id).yaml": "a-b-c-d-id",
    ".hidden.yaml": "hidden",
    "x" * 200 + ".yaml": "x" * write.MAX_NAME,
}


@pytest.mark.parametrize("name", list(NAMES), ids=range(len(NAMES)))
def test_output_names_are_plain_ascii(name: str, work: Path) -> None:
    file = content(work, name)
    result = build(work, file.name)
    assert result.returncode == 0, result.stderr
    slug = NAMES[name]
    made = sorted(p.relative_to(work / "out").as_posix() for p in (work / "out" / slug).iterdir())
    assert made == [f"{slug}/{slug}_report_vi-km.docx", f"{slug}/{slug}_signing_vi-km.docx"]


# --- what is not ours is kept or refused ------------------------------------------------------


def test_a_file_where_the_output_folder_goes_is_kept_and_refused(work: Path) -> None:
    (work / "out").mkdir()
    mine = work / "out" / "conf"
    mine.write_bytes(b"the clerk's file that happens to be called conf")
    before = snapshot(work / "out")
    refused(build(work, "conf.yaml"), 1, "a file or link is where the output folder goes")
    assert snapshot(work / "out") == before


def test_a_link_where_the_output_folder_goes_is_refused(work: Path, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "precious.txt").write_text("keep me", encoding="utf-8")
    (work / "out").mkdir()
    (work / "out" / "conf").symlink_to(elsewhere)
    before = snapshot(work / "out", elsewhere)
    refused(build(work, "conf.yaml"), 1, "a file or link is where the output folder goes")
    assert snapshot(work / "out", elsewhere) == before


def test_the_clerks_files_and_folders_inside_the_output_folder_are_kept(work: Path) -> None:
    assert build(work, "conf.yaml").returncode == 0
    folder = work / "out" / "conf"
    (folder / "notes").mkdir()
    (folder / "notes" / "ghi-chu.txt").write_text("ghi chú của văn thư", encoding="utf-8")
    (folder / "notes" / "scans").mkdir()
    (folder / "notes" / "scans" / "page1.jpg").write_bytes(b"\xff\xd8\xff scan")
    (folder / "conf_signing_vi-km-signed.pdf").write_bytes(b"%PDF signed copy")
    (folder / "latest").symlink_to("notes")
    mine = {k: v for k, v in snapshot(folder).items() if "conf_report" not in k}
    mine = {k: v for k, v in mine.items() if not k.endswith("conf_signing_vi-km.docx")}
    old_report = (folder / "conf_report_vi-km.docx").read_bytes()
    assert build(work, "conf.yaml", fmt="all").returncode == 0
    after = snapshot(folder)
    assert {k: after[k] for k in mine} == mine
    assert (folder / "conf_report_vi-km.pdf").is_file()
    assert (folder / "conf_report_vi-km.docx").read_bytes() == old_report  # same input, same bytes


def test_a_folder_named_like_an_output_is_refused(work: Path) -> None:
    assert build(work, "conf.yaml").returncode == 0
    folder = work / "out" / "conf"
    (folder / "conf_report_vi-km.pdf").mkdir()
    (folder / "conf_report_vi-km.pdf" / "mine.txt").write_text("x", encoding="utf-8")
    before = snapshot(work / "out")
    refused(build(work, "conf.yaml", fmt="pdf"), 1, "a folder or link has the name of an output")
    assert snapshot(work / "out") == before


# --- two files, one output folder -------------------------------------------------------------

CLASHES = {
    "same name, two folders": ("a/2023.yaml", "b/2023.yaml"),
    "case only": ("Kampot.yaml", "kampot.yaml"),
    "accents only": ("Hội nghị.yaml", "Hoi nghi.yaml"),
    "punctuation only": ("hoi nghi.yaml", "hoi_nghi.yaml"),
}


@pytest.mark.parametrize("pair", list(CLASHES))
def test_two_files_with_one_output_folder_are_refused_before_anything_is_written(
    pair: str, work: Path, other_conference: dict[str, bytes | str]
) -> None:
    first, second = CLASHES[pair]
    content(work, first)
    content(work, second)
    result = build(work, first, second)
    refused(result, 1, "would both write into the output folder", "nothing written")
    assert snapshot(work / "out") == other_conference


def test_the_same_file_twice_is_built_once(work: Path) -> None:
    result = build(work, "conf.yaml", "./conf.yaml")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("conf_report_vi-km.docx") == 1


# --- where the outputs go -----------------------------------------------------------------------


def _long(work: Path) -> str:
    return "x" * 300


OUT_PLACES: dict[str, tuple[Callable[[Path], str], str]] = {
    "a file": (lambda w: (w / "f").write_text("mine") and "f", "a file is in the way"),
    "under a file": (lambda w: (w / "f").write_text("mine") and "f/sub", "a file is in the way"),
    "under /proc": (lambda w: "/proc/kbc-docs-test", "cannot write here"),
    "inside /proc/self": (lambda w: "/proc/self", "cannot write here"),
    "a name too long": (_long, "cannot write here: the name is too long"),
    "under /dev/null": (lambda w: "/dev/null/out", "cannot write here"),
}


@pytest.mark.parametrize("place", list(OUT_PLACES))
def test_out_in_a_bad_place_is_a_message(place: str, work: Path) -> None:
    make, expected = OUT_PLACES[place]
    out = make(work)
    before = snapshot(work)
    refused(build(work, "conf.yaml", out=out), 1, expected, "nothing written for conf.yaml")
    assert snapshot(work) == before


@pytest.mark.skipif(os.geteuid() != 0 or not os.path.ismount("/sys"), reason="needs /sys")
def test_out_on_a_read_only_file_system_is_a_message(work: Path) -> None:
    refused(build(work, "conf.yaml", out="/sys/kernel"), 1, "cannot write here", "choose a folder")


def test_out_through_a_link_to_another_file_system(work: Path) -> None:
    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(work).st_dev:
        pytest.skip("no second file system")
    target = Path(os.path.realpath(shm)) / f"kbc-docs-test-{os.getpid()}"
    target.mkdir()
    (work / "out").symlink_to(target, target_is_directory=True)
    try:
        result = build(work, "conf.yaml")
        assert result.returncode == 0, result.stderr
        assert (target / "conf" / "conf_report_vi-km.docx").is_file()
        assert build(work, "conf.yaml").returncode == 0  # and again, replacing
    finally:
        shutil.rmtree(target, ignore_errors=True)


def test_a_full_disk_keeps_the_earlier_outputs(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """In-process: the file system's ENOSPC at the second file, as a 2 MB tmpfs gives it."""
    folder = tmp_path / "out" / "conf"
    write.write_outputs(folder, {"a.docx": b"old a", "b.pdf": b"old b"})
    before = snapshot(tmp_path)
    real = write._write
    calls = []

    def full(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, data)

    monkeypatch.setattr(write, "_write", full)
    with pytest.raises(OutputError) as info:
        write.write_outputs(folder, {"a.docx": b"new a", "b.pdf": b"new b"})
    (problem,) = info.value.problems
    assert "no space left on the disk; free some space" in str(problem)
    assert snapshot(tmp_path) == before  # no staging folder left, old files whole


def test_a_full_disk_when_signing_leaves_no_part_file(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "signed.pdf"
    target.write_bytes(b"earlier")

    def full(fd: int) -> None:  # the disk fills while the data is flushed
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(write.os, "fsync", full)
    with pytest.raises(OutputError, match="no space left on the disk"):
        write.write_file(target, b"new signed pdf")
    assert snapshot(tmp_path) == {str(target): b"earlier"}


# --- the lock -------------------------------------------------------------------------------


def hold_lock(work: Path, name: str = "conf") -> int:
    (work / "out").mkdir(exist_ok=True)
    fd = os.open(work / "out" / f".{name}.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def test_a_lock_held_too_long_names_the_holder_and_stops(work: Path) -> None:
    fd = hold_lock(work)
    try:
        started = time.monotonic()
        result = build(work, "conf.yaml", extra=("--wait", "1"))
        waited = time.monotonic() - started
    finally:
        os.close(fd)
    stderr = refused(result, 3, f"still held by process {os.getpid()} after 1 s")
    assert f"is held by process {os.getpid()}" in stderr  # said while waiting
    assert waited < 30
    assert not (work / "out" / "conf").exists()


def test_a_lock_released_while_waiting_lets_the_build_finish(work: Path) -> None:
    fd = hold_lock(work)
    threading.Timer(8.0, os.close, [fd]).start()  # the build reaches the lock in about 3 s
    result = build(work, "conf.yaml", extra=("--wait", "60"))
    assert result.returncode == 0, result.stderr
    assert f"is held by process {os.getpid()}" in result.stderr
    assert (work / "out" / "conf" / "conf_report_vi-km.docx").is_file()


def test_a_lock_held_in_a_batch_is_told_and_bounded(work: Path) -> None:
    """With ``--jobs``, the worker waiting for the lock says so too, then stops with exit 3."""
    content(work, "conf2.yaml")
    fd = hold_lock(work)
    try:
        result = build(work, "conf.yaml", "conf2.yaml", extra=("--jobs", "2", "--wait", "1"))
    finally:
        os.close(fd)
    stderr = refused(result, 3, f"still held by process {os.getpid()} after 1 s")
    assert stderr.count(f"is held by process {os.getpid()}") == 1, stderr  # once, while waiting
    assert (work / "out" / "conf2" / "conf2_report_vi-km.docx").is_file()
    assert not (work / "out" / "conf").exists()


def test_a_batch_worker_tells_the_wait_as_it_happens(work: Path) -> None:
    """The notice reaches this process while the worker still waits, however workers start:
    the lock is released only once the notice has arrived here, so a notice printed by the
    worker itself (or kept until the end) would leave the build waiting until it gives up.
    Another process holds the lock: a worker forked from this one would inherit this one's."""
    from kbc_docs.batch import build_all
    from kbc_docs.options import BuildOptions

    content(work, "conf2.yaml")
    (work / "out").mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(work / "out" / ".conf.lock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    told = threading.Event()

    class Release(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if f"is held by process {holder.pid}" in record.getMessage():
                told.set()
                holder.kill()

    logger = logging.getLogger("kbc_docs")
    handler, level = Release(level=logging.INFO), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        options = BuildOptions(out=work / "out", formats=("docx",), lock_wait=60)
        files = [work / "conf.yaml", work / "conf2.yaml"]
        outcomes = list(build_all(files, options, jobs=2, force=True))
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        holder.kill()
        holder.wait()
    assert told.is_set()
    assert [o.error for o in outcomes] == [None, None], [str(o.error) for o in outcomes]
    assert (work / "out" / "conf" / "conf_report_vi-km.docx").is_file()


HOLD = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()
"""


def test_a_lock_file_that_is_a_link_is_not_followed(work: Path, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    victim = tmp_path_factory.mktemp("victim") / "important.txt"
    victim.write_text("do not touch", encoding="utf-8")
    (work / "out").mkdir()
    (work / "out" / ".conf.lock").symlink_to(victim)
    refused(build(work, "conf.yaml"), 1, "cannot write here")
    assert victim.read_text(encoding="utf-8") == "do not touch"


# --- signals --------------------------------------------------------------------------------


def _make_long(work: Path) -> None:
    """A long report, to be built with no render cache, so the build is still rendering when a
    signal comes (the corpus file builds in about 2 s, less with an earlier test's PDFs)."""
    line = "      - {vi: Hai bên phối hợp tốt., km: ភាគីទាំងពីរបានសហការល្អ។}\n"
    long = f"      - {{vi: {'Hai bên phối hợp tốt. ' * 10}, km: {'ភាគីទាំងពីរបានសហការល្អ។ ' * 10}}}\n"
    text = (work / "conf.yaml").read_text(encoding="utf-8")
    (work / "conf.yaml").write_text(text.replace(line, long * 300), encoding="utf-8")  # ~6 s


@pytest.mark.parametrize(
    ("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)]
)
def test_an_interrupted_build_says_so_in_one_line(
    signum: int, code: int, work: Path, other_conference: dict[str, bytes | str]
) -> None:
    # SIGHUP: the clerk closed the terminal window (or the SSH connection dropped).
    _make_long(work)
    process = start("build", "conf.yaml", "--out", "out", cwd=work, KBC_CACHE_DIR="off")
    time.sleep(2.5)  # inside the render
    process.send_signal(signum)
    _, err = process.communicate(timeout=SECONDS)
    assert process.returncode == code, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == (
        "interrupted: nothing more was written; earlier outputs are untouched"
    )
    assert snapshot(work / "out") == other_conference
    assert not [p for p in (work / "out").iterdir() if ".new-" in p.name or ".old-" in p.name]


def test_a_build_under_nohup_outlives_the_terminal(work: Path) -> None:
    """``nohup kbc-docs build …``: SIGHUP is ignored as the caller asked, the build finishes."""
    _make_long(work)

    def ignore_hangup() -> None:
        limits()
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    process = subprocess.Popen(
        [sys.executable, "-m", "kbc_docs", "build", "conf.yaml", "--out", "out", "--format", "pdf"],
        cwd=work,
        env=env(KBC_CACHE_DIR="off"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        preexec_fn=ignore_hangup,
    )
    time.sleep(2.5)  # inside the render
    process.send_signal(signal.SIGHUP)
    _, err = process.communicate(timeout=SECONDS)
    assert process.returncode == 0, err
    assert (work / "out" / "conf" / "conf_report_vi-km.pdf").read_bytes().startswith(b"%PDF-")


# --- template folders -------------------------------------------------------------------------

TEMPLATE_FOLDERS: dict[str, tuple[Callable[[Path], str], str]] = {
    "missing": (lambda w: "no-such-folder", "no such folder; --templates must name a folder"),
    "a file": (
        lambda w: (w / "t.txt").write_text("x") and "t.txt",
        "not a folder; --templates must name a folder of templates, not a file",
    ),
    "a link loop": (
        lambda w: (w / "loop").symlink_to("loop") or "loop",
        "a link that leads nowhere (or in a loop)",
    ),
    "a dangling link": (
        lambda w: (w / "gone").symlink_to("nowhere") or "gone",
        "a link that leads nowhere",
    ),
}


@pytest.mark.parametrize("command", ["build", "validate", "templates check"])
@pytest.mark.parametrize("kind", list(TEMPLATE_FOLDERS))
def test_a_templates_option_that_is_not_a_folder_is_refused(
    kind: str, command: str, work: Path
) -> None:
    make, expected = TEMPLATE_FOLDERS[kind]
    folder = make(work)
    args = [*command.split(), *(["conf.yaml"] if command != "templates check" else [])]
    before = snapshot(work)
    refused(kbc(*args, "--templates", folder, cwd=work), 1, expected)
    assert snapshot(work) == before


BAD_DESTINATIONS: dict[str, tuple[Callable[[Path], str], str]] = {
    "a file": (lambda w: (w / "f").write_text("mine") and "f", ""),
    "under a file": (lambda w: (w / "f").write_text("mine") and "f/sub", "a file is in the way"),
    "under /proc": (lambda w: "/proc/kbc-docs-test", "cannot write here"),
    "a name too long": (_long, "the name is too long"),
}


@pytest.mark.parametrize("kind", list(BAD_DESTINATIONS))
@pytest.mark.parametrize("command", ["schema --out", "templates eject"])
def test_schema_and_eject_onto_a_bad_place_are_messages(
    kind: str, command: str, work: Path
) -> None:
    make, expected = BAD_DESTINATIONS[kind]
    dest = make(work)
    before = snapshot(work)
    result = kbc(*command.split(), dest, cwd=work)
    refused(result, 1, expected or dest)
    assert snapshot(work) == before


def test_eject_twice_overwrites_nothing(work: Path) -> None:
    assert kbc("templates", "eject", "mine", cwd=work).returncode == 0
    (work / "mine" / "report.html").write_text("edited by the office", encoding="utf-8")
    before = snapshot(work)
    refused(kbc("templates", "eject", "mine", cwd=work), 1, "already exists")
    assert snapshot(work) == before


# --- templates that try to exhaust the build --------------------------------------------------

GREEDY = {
    "nested ranges": (
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"
    ),
    "huge range": "{% for i in range(10**9) %}{% endfor %}",
    "power": "{{ 10**100000000 }}",
    "power of power": "{{ (9**999)**999 }}",
    "big product": "{{ 99999999999999**99 * 99999999999999**99 }}",
    "string repetition": "{{ 'A'*1000000000 }}",
    "repetition reversed": "{{ 1000000000*'A' }}",
    "list repetition": "{{ ['A']*1000000000 }}",
    "lipsum": "{{ lipsum(n=1000000) }}",
    "lipsum long paragraphs": "{{ lipsum(n=100, min=100000, max=100000) }}",
    "center": "{{ 'x'|center(1000000000) }}",
    "indent": "{{ 'a\nb'|indent(1000000000) }}",
    "format width": "{{ '%999999999d'|format(1) }}",
    "percent width": "{{ '%999999999d' % 1 }}",
    "str.format width": "{{ '{:999999999}'.format(1) }}",
    "ljust": "{{ 'x'.ljust(1000000000) }}",
    "doubling namespace": (
        "{% set ns = namespace(s='xxxxxxxxxx') %}{% for i in range(60) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
    ),
    "output flood": "{% for i in range(999999) %}{{ 'ABCDEFGHIJ' * 100 }}{% endfor %}",
    "endless recursion": "{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(1) }}",
}


def html_templates(work: Path, snippet: str) -> Path:
    folder = work / "office"
    folder.mkdir()
    default = ROOT / "toolkit" / "kbc_docs" / "data" / "templates" / "report.html"
    page = default.read_text(encoding="utf-8")
    anchor = "{%- block body %}"  # inside the page body, which the report extends from _page.html
    assert anchor in page, "the shipped report.html no longer has the body block this test uses"
    (folder / "report.html").write_text(page.replace(anchor, anchor + snippet, 1), "utf-8")
    return folder


def word_templates(work: Path, snippet: str) -> Path:
    folder = work / "office"
    folder.mkdir()
    default = ROOT / "toolkit" / "kbc_docs" / "data" / "templates" / "report.docx"
    document = docx.Document(str(default))
    document.add_paragraph(snippet)
    document.save(str(folder / "report.docx"))
    return folder


SANDBOX_RUN = """
import sys
import jinja2
from jinja2.sandbox import SecurityError
from kbc_docs.templates.sandbox import BoundedSandbox
env = BoundedSandbox(undefined=jinja2.StrictUndefined, autoescape=True)
try:
    env.from_string(sys.argv[1]).render()
except SecurityError as exc:
    print(exc)
except RecursionError:
    print("recursion")
"""


@pytest.mark.parametrize("name", list(GREEDY))
def test_the_sandbox_stops_each_greedy_expression_in_bounded_time_and_memory(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SANDBOX_RUN, GREEDY[name]],
        env=env(),
        capture_output=True,
        text=True,
        timeout=SECONDS,
        preexec_fn=limits,
    )
    assert result.returncode == 0, result.stderr
    said = result.stdout.strip()
    assert said.startswith("the template") or said == "recursion", said


HTML_GREEDY = ["nested ranges", "power", "string repetition", "lipsum", "endless recursion"]


@pytest.mark.parametrize("name", HTML_GREEDY)
def test_a_greedy_html_template_is_stopped_with_its_name(name: str, work: Path) -> None:
    folder = html_templates(work, GREEDY[name])
    result = build(work, "conf.yaml", fmt="pdf", extra=("--templates", str(folder)))
    stderr = refused(result, 1, "report.html")
    assert any(
        word in stderr for word in ("more than", "longer than", "above", "asks for too much")
    ), stderr
    assert not (work / "out" / "conf").exists()


WORD_GREEDY = ["nested ranges", "power", "string repetition", "lipsum", "endless recursion"]


@pytest.mark.parametrize("name", WORD_GREEDY)
def test_a_greedy_word_template_is_stopped_with_its_name(name: str, work: Path) -> None:
    folder = word_templates(work, GREEDY[name])
    result = build(work, "conf.yaml", fmt="docx", extra=("--templates", str(folder)))
    refused(result, 1, "report.docx")
    assert not (work / "out" / "conf").exists()


# --- signing and verifying ------------------------------------------------------------------

FIELD = "vn-kiengiang-mttq"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A signing PDF built by the command line, a key, and damaged copies of both."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    from support.certificates import make_certificate

    folder = tmp_path_factory.mktemp("keys")
    shutil.copy(BAD / "_valid.yaml", folder / "conf.yaml")
    shutil.copy(BAD / "_registry.yaml", folder / "_registry.yaml")
    result = kbc("build", "conf.yaml", "--out", "out", "--format", "pdf", cwd=folder)
    assert result.returncode == 0, result.stderr
    pdf = (folder / "out" / "conf" / "conf_signing_vi-km.pdf").read_bytes()
    (folder / "signing.pdf").write_bytes(pdf)
    (folder / "truncated.pdf").write_bytes(pdf[: len(pdf) // 2])
    (folder / "not-a-pdf.pdf").write_text("hello", encoding="utf-8")
    (folder / "empty.pdf").write_bytes(b"")

    key, cert = make_certificate("Lê Thị Vệ")
    secret = serialization.BestAvailableEncryption(b"pw")
    p12 = pkcs12.serialize_key_and_certificates(b"s", key, cert, None, secret)
    (folder / "key.p12").write_bytes(p12)
    (folder / "truncated.p12").write_bytes(p12[: len(p12) // 2])
    (folder / "junk.p12").write_bytes(os.urandom(3000))
    (folder / "empty.p12").write_bytes(b"")
    (folder / "huge.p12").write_bytes(b"0" * (1024 * 1024 + 1))
    (folder / "cert-only.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(b"s", None, cert, None, secret)
    )
    (folder / "cert.der").write_bytes(cert.public_bytes(serialization.Encoding.DER))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "junk.der").write_bytes(os.urandom(500))
    (folder / "half.der").write_bytes(cert.public_bytes(serialization.Encoding.DER)[:200])
    os.mkfifo(folder / "fifo")
    (folder / "a-folder").mkdir()
    return folder


SIGN_CASES = {
    "p12 missing": (["signing.pdf", "--p12", "nope.p12"], "nope.p12: no such file"),
    "p12 a folder": (["signing.pdf", "--p12", "a-folder"], "a-folder: not a regular file"),
    "p12 /dev/zero": (["signing.pdf", "--p12", "/dev/zero"], "/dev/zero: not a regular file"),
    "p12 a fifo": (["signing.pdf", "--p12", "fifo"], "fifo: not a regular file"),
    "p12 random bytes": (["signing.pdf", "--p12", "junk.p12"], "junk.p12: not a PKCS#12"),
    "p12 truncated": (["signing.pdf", "--p12", "truncated.p12"], "damaged or truncated"),
    "p12 empty": (["signing.pdf", "--p12", "empty.p12"], "empty.p12: not a PKCS#12"),
    "p12 huge": (["signing.pdf", "--p12", "huge.p12"], "huge.p12: larger than 1,048,576 bytes"),
    "p12 without key": (["signing.pdf", "--p12", "cert-only.p12"], "holds no private key"),
    "wrong passphrase": (["signing.pdf", "--p12", "key.p12", "PASS=wrong"], "wrong passphrase"),
    "pdf missing": (["nope.pdf", "--p12", "key.p12"], "nope.pdf: no such file"),
    "pdf a folder": (["a-folder", "--p12", "key.p12"], "a-folder: not a regular file"),
    "pdf /dev/zero": (["/dev/zero", "--p12", "key.p12"], "/dev/zero: not a regular file"),
    "pdf a fifo": (["fifo", "--p12", "key.p12"], "fifo: not a regular file"),
    "pdf truncated": (["truncated.pdf", "--p12", "key.p12"], "truncated.pdf: not a readable PDF"),
    "pdf not a pdf": (["not-a-pdf.pdf", "--p12", "key.p12"], "not-a-pdf.pdf: not a readable"),
    "pdf empty": (["empty.pdf", "--p12", "key.p12"], "empty.pdf: not a readable PDF"),
    "out in a missing folder": (
        ["signing.pdf", "--p12", "key.p12", "--out", "no/such/signed.pdf"],
        "no/such/signed.pdf: cannot write here: no such file or folder",
    ),
    "out a folder": (
        ["signing.pdf", "--p12", "key.p12", "--out", "a-folder"],
        "a-folder: cannot write here: it is a folder",
    ),
    "out under /proc": (
        ["signing.pdf", "--p12", "key.p12", "--out", "/proc/signed.pdf"],
        "/proc/signed.pdf: cannot write here",
    ),
}


@pytest.mark.parametrize("case", list(SIGN_CASES))
def test_signing_with_a_bad_input_is_a_message(case: str, keys: Path) -> None:
    args, expected = SIGN_CASES[case]
    passphrase = next((a[5:] for a in args if a.startswith("PASS=")), "pw")
    args = [a for a in args if not a.startswith("PASS=")]
    before = snapshot(keys)
    result = kbc(
        "sign", args[0], "--field", FIELD, *args[1:], cwd=keys, KBC_P12_PASSPHRASE=passphrase
    )
    refused(result, 1, expected)
    assert snapshot(keys) == before  # no .part file, nothing else touched


VERIFY_CASES = {
    "pdf /dev/zero": (["/dev/zero"], "/dev/zero: not a regular file"),
    "pdf missing": (["nope.pdf"], "nope.pdf: no such file"),
    "pdf a fifo": (["fifo"], "fifo: not a regular file"),
    "pdf truncated": (["truncated.pdf"], "truncated.pdf: not a readable PDF"),
    "pdf not a pdf": (["not-a-pdf.pdf"], "not-a-pdf.pdf: not a readable PDF"),
    "trust random bytes": (["signed.pdf", "--trust", "junk.der"], "junk.der: not a certificate"),
    "trust truncated": (["signed.pdf", "--trust", "half.der"], "half.der: not a certificate"),
    "trust a key file": (["signed.pdf", "--trust", "key.p12"], "key.p12: not a certificate"),
    "trust missing": (["signed.pdf", "--trust", "nope.der"], "nope.der: no such file"),
    "trust /dev/zero": (["signed.pdf", "--trust", "/dev/zero"], "/dev/zero: not a regular file"),
}


@pytest.fixture(scope="module")
def signed(keys: Path) -> Path:
    result = kbc(
        "sign",
        "signing.pdf",
        "--field",
        FIELD,
        "--p12",
        "key.p12",
        "--out",
        "signed.pdf",
        cwd=keys,
        KBC_P12_PASSPHRASE="pw",
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return keys / "signed.pdf"


@pytest.mark.parametrize("case", list(VERIFY_CASES))
def test_verifying_a_bad_input_is_a_message(case: str, keys: Path, signed: Path) -> None:
    args, expected = VERIFY_CASES[case]
    refused(kbc("verify", *args, cwd=keys), 1, expected)


@pytest.mark.parametrize("trust", ["cert.der", "cert.pem"])
def test_a_good_signature_verifies_without_noise(trust: str, keys: Path, signed: Path) -> None:
    result = kbc("verify", "signed.pdf", "--trust", trust, cwd=keys)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # pyHanko's own log lines stay quiet
    assert f"{FIELD}: signed by Lê Thị Vệ" in result.stdout
    assert "the certificate is trusted" in result.stdout


def test_a_self_signed_signature_verifies_without_a_traceback(keys: Path, signed: Path) -> None:
    result = kbc("verify", "signed.pdf", cwd=keys)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 3  # intact, but nobody vouches for the certificate
    assert "NOT trusted" in result.stdout and "self-signed" in result.stdout


# --- messages about the rendered text, at the field that holds it ------------------------------


def test_text_running_outside_the_text_area_names_its_field(work: Path) -> None:
    text = (work / "conf.yaml").read_text(encoding="utf-8")
    wide = '      - {vi: "Hai bên ' + "X" * 400 + ' tốt.", km: ភាគីទាំងពីរបានសហការល្អ។}'
    text = text.replace("      - {vi: Hai bên phối hợp tốt., km: ភាគីទាំងពីរបានសហការល្អ។}", wide)
    (work / "conf.yaml").write_text(text, encoding="utf-8")
    stderr = refused(build(work, "conf.yaml", fmt="pdf"), 1, "outside the text area")
    assert "conf.yaml:36:10: results[0].paragraphs[0].vi: page 1: text runs" in stderr
    assert stderr.count("outside the text area") == 1
