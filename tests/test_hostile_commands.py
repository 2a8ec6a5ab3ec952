"""The third round of hostile and unlucky circumstances: the newer commands and mechanisms.

``kbc-docs new``, ``translate export/import``, ``watch``, ``build --jobs`` and ``--open``,
``schema --out`` and ``templates eject``, the disk cache and the incremental build records,
each tried as a hostile or unlucky user (or a full disk) would. Every case runs the real
command line bounded in time and memory (:mod:`support.hostile`) and checks the exit code, the
shape of the message (never a traceback), and that no unrelated byte was lost or printed.
Cases that need a small or read-only file system mount a tmpfs (root only; skipped otherwise).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support.hostile import BAD, ROOT, SECONDS, env, kbc, refused, snapshot, start, valid_conference

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """The corpus' valid content file (as ``conf.yaml``) and its registry."""
    return valid_conference(tmp_path)


def _mount(folder: Path, options: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr!r}")
    return folder


@pytest.fixture
def mounts() -> Iterator[Callable[[Path, str], Path]]:
    """Mount a tmpfs (``size=…``, ``ro``) at a folder; unmounted after the test."""
    made: list[Path] = []

    def mount(folder: Path, options: str) -> Path:
        made.append(_mount(folder, options))
        return folder

    yield mount
    for folder in reversed(made):
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> None:
    """Fill a small file system up to its last byte."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)


def build(work: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return kbc("build", "conf.yaml", "--out", "out", "--format", "docx", *args, cwd=work, **extra)


def outputs(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.*"))}


# --- kbc-docs new ------------------------------------------------------------------------------


def test_new_onto_an_existing_file_keeps_it(work: Path) -> None:
    (work / "2024.yaml").write_text("the clerk's draft\n", encoding="utf-8")
    before = snapshot(work)
    refused(kbc("new", "2024.yaml", "--from", "conf.yaml", cwd=work), 1, "already exists")
    assert snapshot(work) == before


def test_new_onto_a_link_writes_nowhere(work: Path, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    victim = tmp_path_factory.mktemp("victim") / "gone.yaml"
    (work / "2024.yaml").symlink_to(victim)  # dangling: the file would be created through it
    refused(kbc("new", "2024.yaml", "--from", "conf.yaml", cwd=work), 1, "already exists")
    assert not victim.exists()


def test_new_into_a_missing_folder_says_so(work: Path) -> None:
    before = snapshot(work)
    result = kbc("new", "no/such/2024.yaml", "--from", "conf.yaml", cwd=work)
    refused(result, 1, "the folder no/such does not exist; create it first")
    assert snapshot(work) == before


def test_new_into_a_read_only_folder_says_so(work: Path, mounts) -> None:  # type: ignore[no-untyped-def]
    mounts(work / "ro", "ro,size=64k")
    result = kbc("new", "ro/2024.yaml", "--from", "conf.yaml", cwd=work)
    refused(result, 1, "cannot write here: the disk is read-only; choose a folder you may write to")


def test_new_on_a_full_disk_leaves_no_half_file(work: Path, mounts) -> None:  # type: ignore[no-untyped-def]
    fill(mounts(work / "full", "size=64k"))
    result = kbc("new", "full/2024.yaml", "--from", "conf.yaml", cwd=work)
    refused(result, 1, "no space left on the disk")
    assert not (work / "full" / "2024.yaml").exists()  # else the next try says "already exists"


NEW_SOURCES: dict[str, tuple[Callable[[Path], str], str]] = {
    "a device": (lambda w: "/dev/zero", "not a regular file"),
    "a registry": (lambda w: "_registry.yaml", "not a conference file"),
    "a YAML file of something else": (
        lambda w: (w / "x.yaml").write_text("a: 1\nb: [2]\n") and "x.yaml",
        "not a conference file",
    ),
    "binary bytes": (
        lambda w: (w / "x.yaml").write_bytes(bytes(range(256)) * 40) and "x.yaml",
        "not UTF-8",
    ),
    "an alias bomb": (
        lambda w: shutil.copy(BAD / "alias_bomb.yaml", w / "x.yaml") and "x.yaml",
        "aliases expanding too far",
    ),
    "a huge file": (
        lambda w: (w / "x.yaml").write_text("a: " + "x" * 20_000_000) and "x.yaml",
        "larger than",
    ),
}


@pytest.mark.parametrize("kind", list(NEW_SOURCES))
def test_new_from_a_hostile_source_writes_nothing(kind: str, work: Path) -> None:
    make, expected = NEW_SOURCES[kind]
    source = make(work)
    before = snapshot(work)
    refused(kbc("new", "2024.yaml", "--from", source, cwd=work), 1, expected)
    assert snapshot(work) == before


# --- translate export / import ---------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The XLIFF and Word table that ``translate export`` writes for the corpus' file."""
    folder = tmp_path_factory.mktemp("export")
    shutil.copy(BAD / "_valid.yaml", folder / "conf.yaml")
    shutil.copy(BAD / "_registry.yaml", folder / "_registry.yaml")
    result = kbc("translate", "export", "conf.yaml", "--to", "km", "--out", "x", cwd=folder)
    assert result.returncode == 0, result.stderr
    found = {p.suffix: p.read_bytes() for p in (folder / "x" / "conf").glob("conf_translate_*")}
    return {"xlf": found[".xlf"], "docx": found[".docx"]}


TITLE_KM = "បូកសរុបបឋមរយៈពេល០១ឆ្នាំ"
LAUGHS = (
    '<!DOCTYPE x [<!ENTITY a "lol">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + "]>"
)


def _xlf(exported: dict[str, bytes], target: str, head: str = "") -> bytes:
    text = exported["xlf"].decode("utf-8")
    assert f"{TITLE_KM}</target>" in text
    text = text.replace(f"{TITLE_KM}</target>", f"{target}</target>", 1)
    declaration, rest = text.split("\n", 1)
    return f"{declaration}\n{head}{rest}".encode()


def _docx(exported: dict[str, bytes], change: Callable[[str, bytes], bytes]) -> bytes:
    import io

    source = zipfile.ZipFile(io.BytesIO(exported["docx"]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for item in source.infolist():
            package.writestr(item, change(item.filename, source.read(item.filename)))
    return out.getvalue()


def _bomb_part(exported: dict[str, bytes]) -> bytes:
    data = _docx(exported, lambda name, data: data)
    import io

    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/media/image9.png", b"\0" * 300_000_000)
    return out.getvalue()


def _laughing_word(exported: dict[str, bytes]) -> bytes:
    def change(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        data = data.replace(b"?>", b"?>" + LAUGHS.encode(), 1)
        return data.replace(TITLE_KM.encode(), b"&i;", 1)

    return _docx(exported, change)


TRANSLATIONS: dict[str, tuple[str, Callable[[dict[str, bytes]], bytes], str]] = {
    "a truncated XLIFF": ("xlf", lambda e: e["xlf"][: len(e["xlf"]) // 2], "not a well-formed"),
    "entity expansion (billion laughs)": (
        "xlf",
        lambda e: _xlf(e, "&i;", LAUGHS + "\n"),
        "not a well-formed",
    ),
    "nesting 100,000 deep": (
        "xlf",
        lambda e: b'<?xml version="1.0"?>' + b"<a>" * 100_000 + b"</a>" * 100_000,
        "not a well-formed",
    ),
    "a control character": ("xlf", lambda e: _xlf(e, "&#x1b;[31m"), "not a well-formed"),
    "a bidi control": ("xlf", lambda e: _xlf(e, "បូកសរុប\u202eបឋម"), "direction control U+202E"),
    "an emoji": ("xlf", lambda e: _xlf(e, "បូកសរុប 😀"), "(U+1F600 GRINNING FACE) is in none"),
    "a Word file cut in half": (
        "docx",
        lambda e: e["docx"][: len(e["docx"]) // 2],
        "not a readable Word file",
    ),
    "a Word file with a 300 MB part": ("docx", _bomb_part, "larger than"),
    "entity expansion in a Word file": ("docx", _laughing_word, "not a readable Word file"),
    "not a zip at all": ("docx", lambda e: b"PK\x03\x04" + b"\0" * 600, "not a readable Word"),
}


@pytest.mark.parametrize("case", list(TRANSLATIONS))
def test_a_hostile_translation_is_refused_and_the_content_kept(
    case: str, work: Path, exported: dict[str, bytes]
) -> None:
    suffix, make, expected = TRANSLATIONS[case]
    (work / f"back.{suffix}").write_bytes(make(exported))
    before = snapshot(work)
    result = kbc("translate", "import", "conf.yaml", f"back.{suffix}", cwd=work)
    (work / f"back.{suffix}").unlink()  # broken on purpose: not for the session's Word audit
    refused(result, 1, expected)
    before.pop(str(work / f"back.{suffix}"))
    assert snapshot(work) == before
    assert not list(work.glob(".*import-check*"))


def test_an_external_entity_is_never_read(work: Path, exported: dict[str, bytes]) -> None:
    secret = work / "secret.txt"
    secret.write_text("PASSWORD=hunter2\n", encoding="utf-8")
    head = f'<!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>\n'
    (work / "back.xlf").write_bytes(_xlf(exported, "&e;", head))
    result = kbc("translate", "import", "conf.yaml", "back.xlf", cwd=work)
    assert "Traceback" not in result.stderr
    assert "hunter2" not in result.stdout + result.stderr
    assert "hunter2" not in (work / "conf.yaml").read_text(encoding="utf-8")


def test_a_huge_translation_is_refused_before_it_is_read(work: Path) -> None:
    with open(work / "back.xlf", "wb") as handle:
        handle.write(b'<?xml version="1.0"?>\n<xliff>')
        handle.truncate(300_000_000)  # sparse: no disk used
    before = snapshot(work)
    refused(kbc("translate", "import", "conf.yaml", "back.xlf", cwd=work), 1, "larger than")
    assert snapshot(work) == before


def test_an_invisible_translation_is_not_written(work: Path, exported: dict[str, bytes]) -> None:
    (work / "back.xlf").write_bytes(_xlf(exported, "\u200b\u200b"))
    before = (work / "conf.yaml").read_bytes()
    result = kbc("translate", "import", "conf.yaml", "back.xlf", cwd=work)
    assert result.returncode == 0, result.stderr
    assert "no 'km' letters" in result.stderr + result.stdout
    assert (work / "conf.yaml").read_bytes() == before  # only the review state is kept


# --- watch -------------------------------------------------------------------------------------


def _watching(work: Path, action: Callable[[Path], None]) -> tuple[int, str, str]:
    process = start("watch", "conf.yaml", "--out", "out", cwd=work, session=True)
    deadline = time.monotonic() + SECONDS
    while not list((work / "out").glob("conf/*.pdf")) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)
    action(work)
    time.sleep(6)
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in the terminal
    out, err = process.communicate(timeout=60)
    assert "Traceback" not in out + err
    return process.returncode, out, err


def test_watch_stops_on_ctrl_c_in_one_line(work: Path) -> None:
    code, _, err = _watching(work, lambda w: None)
    assert code == 0, err
    assert err.strip().splitlines()[-1] == "stopped watching"
    assert "KeyboardInterrupt" not in err


def test_watch_survives_the_file_deleted_and_builds_it_back(work: Path) -> None:
    def delete_and_restore(w: Path) -> None:
        text = (w / "conf.yaml").read_text(encoding="utf-8")
        (w / "conf.yaml").unlink()
        time.sleep(4)
        (w / "conf.yaml").write_text(text.replace("phối hợp tốt.", "phối hợp tốt lắm."), "utf-8")

    code, out, err = _watching(work, delete_and_restore)
    assert code == 0
    assert "conf.yaml: no such file" in err
    assert out.count("✓ out/conf/") == 2, out  # the first build and the one after the return


def test_watch_rebuilds_after_a_save_by_rename(work: Path) -> None:
    def editor_save(w: Path) -> None:  # how many editors save: a new file renamed over the old
        text = (w / "conf.yaml").read_text(encoding="utf-8")
        (w / ".conf.yaml.swp").write_text(text.replace("phối hợp tốt.", "rất tốt."), "utf-8")
        os.replace(w / ".conf.yaml.swp", w / "conf.yaml")

    code, out, err = _watching(work, editor_save)
    assert code == 0
    assert out.count("✓ out/conf/") == 2, out + err


# --- build --jobs and --open ---------------------------------------------------------------------


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGHUP, 129)])
def test_ctrl_c_mid_batch_writes_nothing_more(signum: int, code: int, work: Path) -> None:
    # SIGHUP: the terminal window closed. It comes before the parent's SIGINT to its workers
    # (signals are handled in number order), which must not surface as a traceback.
    earlier = work / "out" / "2022"
    earlier.mkdir(parents=True)
    (earlier / "signed.pdf").write_bytes(b"a signed copy")
    files = [f"c{i}.yaml" for i in range(4)]
    for name in files:
        shutil.copy(work / "conf.yaml", work / name)
    process = start(
        "build", *files, "--out", "out", "--jobs", "2", cwd=work, session=True, KBC_CACHE_DIR="off"
    )
    deadline = time.monotonic() + 60
    while len(_session(process.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)  # until the batch has its two workers
    time.sleep(1)  # two files are being built, two wait in the queue
    os.killpg(process.pid, signum)
    interrupted = time.time()
    _, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == (
        "interrupted: nothing more was written; earlier outputs are untouched"
    )
    written = [p for p in (work / "out").rglob("*") if p.is_file() and p.parent != earlier]
    assert all(p.stat().st_mtime < interrupted for p in written), written
    assert len({p.parent for p in written if not p.name.endswith(".lock")}) < 4
    assert (earlier / "signed.pdf").read_bytes() == b"a signed copy"
    time.sleep(1)
    assert not _session(process.pid), "a worker outlived the batch"


def _session(sid: int) -> list[str]:
    """The processes of a session (the command line and its workers)."""
    found = subprocess.run(["pgrep", "-s", str(sid)], capture_output=True, text=True)
    return found.stdout.split()


def test_one_failing_file_in_a_batch_fails_alone(work: Path) -> None:
    for i in range(3):
        shutil.copy(work / "conf.yaml", work / f"c{i}.yaml")
    text = (work / "c1.yaml").read_text(encoding="utf-8")
    (work / "c1.yaml").write_text(text.replace("kind: so-ket", "kind: so-kett"), "utf-8")
    result = kbc(
        "build", "c0.yaml", "c1.yaml", "c2.yaml", "--out", "out", "--format", "docx", "-j", "2",
        cwd=work,
    )  # fmt: skip
    refused(result, 1, "did you mean 'so-ket'?")
    assert "built 2, failed 1" in result.stdout
    assert (work / "out" / "c0").is_dir() and (work / "out" / "c2").is_dir()
    assert not (work / "out" / "c1").exists()


def test_open_without_a_viewer_says_so_and_succeeds(work: Path, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("bin")  # fontconfig, but no xdg-open or open
    for tool in ("fc-match", "fc-list"):
        found = shutil.which(tool)
        assert found is not None
        (path / tool).symlink_to(found)
    result = build(work, "--format", "pdf", "--open", PATH=str(path))
    assert result.returncode == 0, result.stderr
    assert "no program to open PDF files was found; open out/conf/conf_report_vi-km.pdf" in (
        result.stderr
    )


# --- schema --out and templates eject onto a full or read-only disk --------------------------


@pytest.mark.parametrize("place", ["full", "read-only"])
@pytest.mark.parametrize("command", ["schema --out", "templates eject"])
def test_schema_and_eject_onto_a_full_or_read_only_disk(
    command: str, place: str, work: Path, mounts
) -> None:  # type: ignore[no-untyped-def]
    disk = mounts(work / "disk", "size=64k" if place == "full" else "ro,size=64k")
    if place == "full":
        fill(disk)
    before = snapshot(work)
    result = kbc(*command.split(), "disk/dest", cwd=work)
    stderr = refused(
        result, 1, "no space left on the disk" if place == "full" else "the disk is read-only"
    )
    assert "toolkit/kbc_docs/data" not in stderr  # the place written, not the file copied
    assert {k: v for k, v in snapshot(work).items() if not k.endswith(".lock")} == before
    assert not (work / "disk" / "dest").exists()  # nothing half-ejected to trip the next try


# --- build into an output folder on a full or read-only disk --------------------------------

OUTPUT_DISKS = {
    # --out as given, the mount's options, the message's line: the folder the user chose, never
    # the hidden lock or staging files kbc-docs keeps beside the output folder.
    "read-only --out": ("disk", "ro,size=64k", "  disk: cannot write here: the disk is read-only;"),
    "under a read-only --out": (
        "disk/new",
        "ro,size=64k",
        "  disk/new: cannot write here: the disk is read-only; choose a folder you may write to",
    ),
    "full --out": (
        "disk",
        "size=64k",
        "  disk/conf: cannot write here: no space left on the disk;",
    ),
}


@pytest.mark.parametrize("case", list(OUTPUT_DISKS))
def test_build_onto_a_full_or_read_only_disk_names_the_folder(
    case: str, work: Path, mounts
) -> None:  # type: ignore[no-untyped-def]
    out, options, line = OUTPUT_DISKS[case]
    disk = mounts(work / "disk", options)
    if "ro" not in options.split(","):
        fill(disk)
    result = kbc("build", "conf.yaml", "--out", out, "--format", "docx", cwd=work)
    stderr = refused(result, 1, line)
    assert ".lock" not in stderr and ".new-" not in stderr, stderr
    assert sorted(p.name for p in disk.iterdir() if p.name != "filler") in ([], [".conf.lock"])


# --- the disk cache ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A cache filled by one build of the corpus' file, and that build's outputs."""
    folder = tmp_path_factory.mktemp("reference")
    shutil.copy(BAD / "_valid.yaml", folder / "conf.yaml")
    shutil.copy(BAD / "_registry.yaml", folder / "_registry.yaml")
    result = build(folder, KBC_CACHE_DIR=str(folder / "cache"), **EPOCH)
    assert result.returncode == 0, result.stderr
    return folder / "cache", outputs(folder / "out" / "conf")


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _to_device(path: Path) -> None:
    path.unlink()
    path.symlink_to("/dev/zero")


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _misplaced(path: Path) -> None:
    """Another entry's bytes with the checksum the cache used to accept (over the bytes)."""
    data = b'[1, 2, "not what this entry holds"]'
    path.write_bytes(hashlib.sha256(data).digest() + data)


ENTRIES: dict[str, Callable[[Path], None]] = {
    "garbage": lambda p: p.write_bytes(os.urandom(max(40, p.stat().st_size))),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "empty": lambda p: p.write_bytes(b""),
    "a folder": _folder,
    "a pipe": _fifo,
    "a link to /dev/zero": _to_device,
    "another entry's bytes": _misplaced,
}


@pytest.mark.parametrize("damage", list(ENTRIES))
def test_damaged_cache_entries_only_cost_time(
    damage: str, work: Path, reference: tuple[Path, dict[str, str]]
) -> None:
    cache, expected = reference
    shutil.copytree(cache, work / "cache")
    entries = [p for p in (work / "cache").rglob("*") if p.is_file() and "builds" not in p.parts]
    assert entries
    for entry in entries:
        ENTRIES[damage](entry)
    result = build(work, timeout=90, KBC_CACHE_DIR=str(work / "cache"), **EPOCH)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert outputs(work / "out" / "conf") == expected


CACHE_PLACES: dict[str, Callable[[Path], str]] = {
    "a file": lambda w: (w / "cache").write_text("the clerk's file") and "cache",
    "a link loop": lambda w: (w / "cache").symlink_to("cache") or "cache",
    "under /proc": lambda w: "/proc/kbc-docs-cache",
    "/dev/null": lambda w: "/dev/null",
}


@pytest.mark.parametrize("place", list(CACHE_PLACES))
def test_an_unusable_cache_folder_only_costs_time(place: str, work: Path) -> None:
    folder = CACHE_PLACES[place](work)
    before = snapshot(work)
    result = build(work, KBC_CACHE_DIR=folder)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""  # not a word: the cache is best effort
    after = {k: v for k, v in snapshot(work).items() if not k.startswith(str(work / "out"))}
    assert after == before


@pytest.mark.parametrize("place", ["full", "read-only"])
def test_a_full_or_read_only_cache_disk_only_costs_time(place: str, work: Path, mounts) -> None:  # type: ignore[no-untyped-def]
    disk = mounts(work / "cache", "size=100k" if place == "full" else "ro,size=64k")
    result = build(work, KBC_CACHE_DIR=str(disk), **EPOCH)
    assert result.returncode == 0, result.stderr
    assert not [p for p in disk.rglob(".part-*")]  # no half-written entry left


def test_concurrent_builds_share_one_cache(work: Path) -> None:
    shutil.copy(work / "conf.yaml", work / "other.yaml")
    cache = str(work / "cache")
    runs = [
        start("build", name, "--out", f"out-{i}", "--format", "docx", cwd=work,
              KBC_CACHE_DIR=cache, **EPOCH)
        for i, name in enumerate(["conf.yaml", "other.yaml", "conf.yaml"])
    ]  # fmt: skip
    for process in runs:
        _, err = process.communicate(timeout=SECONDS)
        assert process.returncode == 0, err
    again = build(work, "--force", KBC_CACHE_DIR=cache, **EPOCH)  # read back what they wrote
    assert again.returncode == 0, again.stderr
    assert outputs(work / "out-0" / "conf") == outputs(work / "out-2" / "conf")
    assert outputs(work / "out" / "conf") == outputs(work / "out-0" / "conf")


# --- the incremental build records -------------------------------------------------------------


def _rewrite_record(work: Path, change: Callable[[dict], object]) -> None:
    """Change the record of the last build as another version (or a damaged disk) would."""
    probe = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from kbc_docs import cache, incremental\n"
        "entry = incremental._record_path(Path('conf.yaml'), Path('out'))\n"
        "note = json.loads(cache.get('builds', entry))\n"
        "sys.stdout.write(json.dumps(note))\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "toolkit"), "KBC_CACHE_DIR": "cache"}
    read = subprocess.run(
        [sys.executable, "-c", probe], cwd=work, env=environment, capture_output=True, text=True
    )
    assert read.returncode == 0, read.stderr
    changed = change(json.loads(read.stdout))
    data = changed if isinstance(changed, bytes) else json.dumps(changed).encode()
    write = (
        "import sys\nfrom pathlib import Path\nfrom kbc_docs import cache, incremental\n"
        "entry = incremental._record_path(Path('conf.yaml'), Path('out'))\n"
        "cache.put('builds', entry, sys.stdin.buffer.read())\n"
    )
    subprocess.run([sys.executable, "-c", write], cwd=work, env=environment, input=data, check=True)


RECORDS: dict[str, tuple[Callable[[dict], object], str]] = {
    "from a newer version": (
        lambda n: {**n, "settings": n["settings"] + "\nkbc-docs=99.0"},
        "built 1",
    ),
    "with notes of a kind this version has not": (
        lambda n: {**n, "notes": {"hints": ["a newer version's note"]}},
        "up to date",
    ),
    "with notes that are not lines": (lambda n: {**n, "notes": {"warnings": 5}}, "built 1"),
    "that is not JSON": (lambda n: b"\xff\xfe{", "built 1"),
    "that is a list": (lambda n: [1, 2, 3], "built 1"),
    "naming a device as an input": (
        lambda n: {**n, "inputs": {**n["inputs"], "/dev/zero": [0, 0, "0" * 64]}},
        "built 1",
    ),
}


@pytest.mark.parametrize("kind", list(RECORDS))
def test_a_strange_build_record_is_a_rebuild_or_a_skip(kind: str, work: Path) -> None:
    assert build(work, KBC_CACHE_DIR="cache").returncode == 0
    change, expected = RECORDS[kind]
    _rewrite_record(work, change)
    result = build(work, timeout=60, KBC_CACHE_DIR="cache")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert expected in result.stdout, result.stdout
    assert "a newer version's note" not in result.stderr


def test_an_input_replaced_by_a_pipe_is_a_rebuild_not_a_hang(work: Path) -> None:
    assert build(work, KBC_CACHE_DIR="cache").returncode == 0
    registry = (work / "_registry.yaml").read_bytes()
    (work / "_registry.yaml").unlink()
    os.mkfifo(work / "_registry.yaml")  # hashing it would wait for a writer forever
    result = build(work, timeout=60, KBC_CACHE_DIR="cache")
    assert "Traceback" not in result.stderr
    refused(result, 1, "registry")
    (work / "_registry.yaml").unlink()
    (work / "_registry.yaml").write_bytes(registry)


# --- sign in a script ----------------------------------------------------------------------------


def test_sign_in_a_script_without_a_passphrase_says_how_to_give_one(work: Path) -> None:
    """No terminal to ask and no KBC_P12_PASSPHRASE: one message, not getpass' warnings."""
    assert build(work, "--format", "pdf").returncode == 0
    pdf = work / "out" / "conf" / "conf_signing_vi-km.pdf"
    (work / "leader.p12").write_bytes(b"not read before a passphrase is known")
    environment = env()
    del environment["KBC_P12_PASSPHRASE"]
    command = [sys.executable, "-m", "kbc_docs", "sign", str(pdf), "--field", "x"]
    result = subprocess.run(
        [*command, "--p12", "leader.p12"],
        cwd=work,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=SECONDS,
    )
    refused(result, 1, "leader.p12: no passphrase for the certificate: set KBC_P12_PASSPHRASE")
    assert "Warning" not in result.stderr
    assert not list(pdf.parent.glob("*-signed.pdf"))
