"""Hostile input and hostile circumstances: huge or explosive files, markup in text, template
escapes, failed, concurrent and killed builds.

What must hold: reading stays within bounded time and memory and ends in a located message;
text that looks like markup or template code is printed literally in both formats; a failed or
killed build never leaves a broken or half-written output under an output's name; two builds at
once do not corrupt each other; the same input gives the same bytes in separate processes.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import docx
import pytest
from kbc_docs.cli import app
from kbc_docs.content import load
from kbc_docs.content.load import load_yaml
from kbc_docs.content.resolve import load_content
from kbc_docs.errors import ContentError, KbcError
from kbc_docs.render.docx.ooxml import W
from kbc_docs.render.docx.render import render_docx
from kbc_docs.render.pdf.render import render_pdf
from kbc_docs.view import build_view
from lxml import etree
from typer.testing import CliRunner

pytestmark = pytest.mark.slow  # builds whole documents; `pytest -m 'not slow'` skips it

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "toolkit/kbc_docs/data/templates"
EXAMPLE = ROOT / "content" / "2023-11-16.yaml"
REGISTRY = ROOT / "content" / "registry.yaml"
BASE = ROOT / "tests" / "bad" / "_valid.yaml"
runner = CliRunner()


def cli_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "toolkit"), "LANG": "C.UTF-8", **extra}


def kbc(*args: str) -> list[str]:
    return [sys.executable, "-m", "kbc_docs", *args, "--templates", str(TEMPLATES)]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


# --- bounded reading ------------------------------------------------------------------------


def bomb(levels: int, width: int = 10) -> str:
    lines = [f"a0: &a0 [{', '.join(['x'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def key_bomb(levels: int) -> str:
    lines = ["k0: &k0 {a: x, b: x, c: x, d: x, e: x, f: x, g: x, h: x, i: x, j: x}"]
    for i in range(1, levels):
        keys = ", ".join(f"{c}: *k{i - 1}" for c in "abcdefghij")
        lines.append(f"k{i}: &k{i} {{{keys}}}")
    return "\n".join(lines) + "\n"


LIMIT = load.MAX_BYTES
HOSTILE = {
    "too large": ("x: y\n" * (LIMIT // 5 + 1), "larger than"),
    "many values": ("a:\n" + "- x\n" * ((LIMIT - 10) // 4), "more than"),
    "long flow list": ("a: [" + "1," * ((LIMIT - 10) // 2) + "]\n", "more than"),
    "deep flow": ("[" * (LIMIT - 1), "nested more than"),
    "deep block": ("- " * ((LIMIT - 1) // 2), "nested more than"),
    "billion laughs": (bomb(9), "more than"),
    "billion laughs in mappings": (key_bomb(9), "more than"),
    "recursive alias": ("a: &a [*a, *a]\n", "nested more than"),
    "repeated long text": (
        "t: &t " + "x" * 100_000 + "\nl: [" + ", ".join(["*t"] * 20) + "]\n",
        "characters of text",
    ),
    "huge number": ("n: " + "9" * 5000 + "\n", "digits"),
    "many aliases": ("a: &x v\nb: [" + "*x," * ((LIMIT - 20) // 3) + "]\n", "more than"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_yaml_is_refused_quickly_in_bounded_memory(name: str, tmp_path: Path) -> None:
    text, expected = HOSTILE[name]
    file = tmp_path / "hostile.yaml"
    file.write_text(text, encoding="utf-8")
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ContentError) as info:
            load_yaml(file)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    (problem,) = info.value.problems
    assert expected in problem.message, problem
    assert problem.file == file and problem.line is not None, problem
    assert elapsed < 5, f"{name}: {elapsed:.1f} s"
    assert peak < 200_000_000, f"{name}: {peak / 1e6:.0f} MB"


def test_a_long_single_text_is_read_quickly(tmp_path: Path) -> None:
    file = tmp_path / "long.yaml"
    file.write_text("a: " + "ខ្មែរ " * 25_000 + "\n", encoding="utf-8")
    started = time.perf_counter()
    assert len(load_yaml(file).data["a"]) > 140_000
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("special", ["directory", "fifo", "/dev/zero", "missing"])
def test_content_path_that_is_not_a_regular_file(special: str, tmp_path: Path) -> None:
    path = {"directory": tmp_path, "/dev/zero": Path("/dev/zero")}.get(special)
    path = path or tmp_path / "content.yaml"
    if special == "fifo":
        os.mkfifo(path)  # opening it to read would block forever
    result = runner.invoke(app, ["validate", str(path), "--templates", str(TEMPLATES)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    expected = "no such file" if special == "missing" else "not a regular file"
    assert expected in result.output


# --- markup and template code in text -------------------------------------------------------

MARKUP = [
    "{{ 7*7 }}",
    "{% if true %}yes{% endif %}",
    "{# not a comment #}",
    "<script>alert('x')</script>",
    "Tom & Jerry &amp; co",
    "<b>not bold</b>",
    "]]> </w:t></w:r> <w:p/>",
    "${HOME} %s {0} \\n",
]


@pytest.fixture(scope="module")
def markup_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The base content with markup in Vietnamese and Khmer texts, built by the real CLI."""
    folder = tmp_path_factory.mktemp("markup")
    text = BASE.read_text(encoding="utf-8")
    shutil.copy(REGISTRY, folder / "_registry.yaml")
    quoted = [s.replace("\\", "\\\\").replace('"', '\\"') for s in MARKUP]
    text = text.replace(
        "  - {vi: Hai tỉnh có quan hệ truyền thống lâu đời., km:",
        "".join(f'  - {{vi: "{q}", km: "{q} ខ្មែរ"}}\n' for q in quoted)
        + "  - {vi: Hai tỉnh có quan hệ truyền thống lâu đời., km:",
    )
    text = text.replace('    - "Lưu: VT, BTT."', f'    - "{quoted[0]} {quoted[3]}"')
    content = folder / "markup.yaml"
    content.write_text(text, encoding="utf-8")
    out = folder / "out"
    result = subprocess.run(
        kbc("build", str(content), "--out", str(out)),
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return out / "markup"


def squeeze(text: str) -> str:
    return re.sub(r"[\s\u200b\u2060]+", "", text)


def test_markup_is_printed_literally_in_the_docx(markup_build: Path) -> None:
    with zipfile.ZipFile(markup_build / "markup_report_vi-km.docx") as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    printed = squeeze("".join(t.text or "" for t in root.iter(f"{{{W}}}t")))
    for text in MARKUP:
        assert squeeze(text) in printed, text
        assert squeeze(text + "ខ្មែរ") in printed, text
    assert "49" not in printed and "yes" not in printed.replace("{%iftrue%}yes", "")
    # python-docx, as a recipient's program would, opens it and sees the same.
    document = docx.Document(str(markup_build / "markup_report_vi-km.docx"))
    assert any("<script>alert('x')</script>" in p.text for p in document.paragraphs)


def test_markup_is_printed_literally_in_the_pdf(markup_build: Path) -> None:
    pdf = markup_build / "markup_report_vi-km.pdf"
    printed = squeeze(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    )
    for text in MARKUP:
        assert squeeze(text) in printed, text
    signing = markup_build / "markup_signing_vi-km.pdf"
    assert subprocess.run(["pdftotext", str(signing), "-"], capture_output=True).returncode == 0


# --- templates are sandboxed ----------------------------------------------------------------

ESCAPES = [
    "{{ '{0.__class__.__mro__}'.format(slug) }}",
    "{{ lipsum.__globals__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ not_a_field }}",
]


@pytest.fixture(scope="module")
def small_view():  # type: ignore[no-untyped-def]
    return build_view(*load_content(BASE, TEMPLATES))


def html_templates_with(folder: Path, snippet: str) -> Path:
    shutil.copytree(TEMPLATES, folder, dirs_exist_ok=True)
    page = folder / "signing.html"
    text = page.read_text(encoding="utf-8")
    anchor = "{%- block body %}"  # the page's body (signing.html extends _page.html)
    assert anchor in text
    page.write_text(text.replace(anchor, anchor + snippet, 1), "utf-8")
    return folder


def docx_template_with(folder: Path, snippet: str) -> Path:
    document = docx.Document(str(TEMPLATES / "signing.docx"))
    document.add_paragraph(snippet)
    document.save(str(folder / "signing.docx"))
    return folder / "signing.docx"


@pytest.mark.parametrize("snippet", ESCAPES)
def test_html_template_escapes_and_undefined_names_are_errors(
    snippet: str, small_view, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    folder = html_templates_with(tmp_path, snippet.replace("slug", "view.slug"))
    with pytest.raises(KbcError, match=r"unsafe|undefined"):
        render_pdf(small_view, "signing.html", folder)


@pytest.mark.parametrize("snippet", ESCAPES)
def test_word_template_escapes_and_undefined_names_are_errors(
    snippet: str, small_view, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(KbcError, match=r"unsafe|undefined"):
        render_docx(small_view, docx_template_with(tmp_path, snippet))


def test_template_asking_for_a_huge_range_is_a_clean_error(small_view, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = html_templates_with(tmp_path, "{% for i in range(10**9) %}{% endfor %}")
    with pytest.raises(KbcError):
        render_pdf(small_view, "signing.html", folder)


# --- nothing lost ---------------------------------------------------------------------------


def test_failed_render_keeps_previous_outputs_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["build", str(EXAMPLE), "--out", str(out)]
    assert runner.invoke(app, [*args, "--templates", str(TEMPLATES)]).exit_code == 0
    before = snapshot(out / "2023-11-16")
    stamps = {p.name: p.stat().st_mtime_ns for p in (out / "2023-11-16").iterdir()}
    broken = html_templates_with(tmp_path / "templates", "{{ not_a_field }}")
    result = runner.invoke(app, [*args, "--templates", str(broken)])
    assert result.exit_code == 1
    assert (
        "nothing written for" in result.output and "earlier outputs are untouched" in result.output
    )
    assert "Traceback" not in result.output
    assert snapshot(out / "2023-11-16") == before
    assert {p.name: p.stat().st_mtime_ns for p in (out / "2023-11-16").iterdir()} == stamps


@pytest.fixture(scope="module")
def parallel_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, float]:
    """Three processes at once: two into the same folder, one into another; each with its own
    hash seed. Returns the shared folder, the other one and how long a build takes."""
    root = tmp_path_factory.mktemp("parallel")
    started = time.perf_counter()
    processes = [
        subprocess.Popen(
            kbc("build", str(EXAMPLE), "--out", str(root / out)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=cli_env(PYTHONHASHSEED=seed),
        )
        for out, seed in (("shared", "1"), ("shared", "2"), ("alone", "3"))
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr.decode()
    return (
        root / "shared" / "2023-11-16",
        root / "alone" / "2023-11-16",
        time.perf_counter() - started,
    )


def test_two_builds_at_once_into_one_folder_do_not_corrupt_each_other(parallel_builds) -> None:  # type: ignore[no-untyped-def]
    shared, alone, _ = parallel_builds
    assert sorted(p.name for p in shared.iterdir()) == sorted(p.name for p in alone.iterdir())
    assert not [p for p in shared.iterdir() if p.name.endswith(".part")]
    assert snapshot(shared) == snapshot(alone)


def test_separate_processes_give_byte_identical_files(parallel_builds) -> None:  # type: ignore[no-untyped-def]
    shared, alone, _ = parallel_builds
    outputs = snapshot(alone)
    assert len(outputs) == 4
    assert all(data == snapshot(shared)[name] for name, data in outputs.items())
    with zipfile.ZipFile(io.BytesIO(outputs["2023-11-16_report_vi-km.docx"])) as archive:
        assert archive.testzip() is None


def visible_outputs_are_whole(
    folder: Path, old: dict[str, bytes], new: dict[str, bytes]
) -> list[str]:
    """The outputs are the complete old set or the complete new set (a kill between the two
    renames of write.py leaves the old set aside, for the next build to restore); returns the
    hidden leftovers."""
    if not folder.exists():
        (folder,) = folder.parent.glob(f".{folder.name}.old-*/{folder.name}")
    leftovers = []
    files = {}
    for path in folder.iterdir():
        if path.name.startswith("."):
            leftovers.append(path.name)  # hidden: never taken for an output
            continue
        assert path.name in new, f"unexpected visible file {path.name}"
        files[path.name] = path.read_bytes()
    assert files in (old, new), "the outputs are a mix of old and new files"
    return leftovers


@pytest.fixture(scope="module")
def old_and_new(
    tmp_path_factory: pytest.TempPathFactory, parallel_builds
) -> tuple[Path, dict, dict, float]:  # type: ignore[no-untyped-def]
    """Outputs of a content file that differs from the example, the example's outputs, and how
    long one build takes in its own process."""
    root = tmp_path_factory.mktemp("kill")
    (root / "content").mkdir()
    shutil.copy(REGISTRY, root / "content" / "registry.yaml")
    old_text = EXAMPLE.read_text(encoding="utf-8").replace(
        "Sơ kết 01 năm", "Sơ kết 01 năm (bản sửa)", 1
    )
    (root / "content" / "2023-11-16.yaml").write_text(old_text, encoding="utf-8")
    out = root / "old"
    started = time.perf_counter()
    command = kbc("build", str(root / "content" / "2023-11-16.yaml"), "--out", str(out))
    subprocess.run(command, check=True, capture_output=True, env=cli_env(), timeout=120)
    build_time = time.perf_counter() - started
    old, new = snapshot(out / "2023-11-16"), snapshot(parallel_builds[1])
    assert old.keys() == new.keys() and all(old[n] != new[n] for n in old)
    return out / "2023-11-16", old, new, build_time


def fresh_copy(old_folder: Path, target: Path) -> Path:
    shutil.copytree(old_folder, target / "2023-11-16")
    return target


def test_build_killed_at_any_moment_leaves_old_or_new_files(
    old_and_new, parallel_builds, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    old_folder, old, new, build_time = old_and_new
    for i, share in enumerate([0.1, 0.5, 0.8, 0.9, 0.95, 1.0, 1.1]):
        out = fresh_copy(old_folder, tmp_path / f"run{i}")
        process = subprocess.Popen(
            kbc("build", str(EXAMPLE), "--out", str(out)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=cli_env(),
        )
        time.sleep(build_time * share)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        visible_outputs_are_whole(out / "2023-11-16", old, new)


SLOW_RENAME = """
import os, sys, time
real_rename = os.rename
def rename(src, dst):
    real_rename(src, dst)
    print("renamed", dst, flush=True)
    time.sleep(60)
os.rename = rename
from kbc_docs.cli import main

sys.argv = ["kbc-docs", *sys.argv[1:]]
main()
"""


def test_build_killed_between_the_two_renames(old_and_new, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Killed after the old folder stepped aside: the old set survives whole, and the next
    build puts things right and leaves no hidden leftovers."""
    old_folder, old, new, _ = old_and_new
    out = fresh_copy(old_folder, tmp_path)
    command = [sys.executable, "-c", SLOW_RENAME, "build", str(EXAMPLE), "--out", str(out)]
    command += ["--templates", str(TEMPLATES)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env()
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.startswith(b"renamed"), line + process.stderr.read()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    (aside,) = out.glob(".2023-11-16.old-*/2023-11-16")
    assert snapshot(aside) == old  # the previous outputs, whole, set aside

    command = [sys.executable, "-m", "kbc_docs", "build", str(EXAMPLE), "--out", str(out)]
    command += ["--templates", str(TEMPLATES)]
    result = subprocess.run(command, capture_output=True, env=cli_env(), timeout=120)
    assert result.returncode == 0, result.stderr
    assert snapshot(out / "2023-11-16") == new
    hidden = [p.name for p in out.iterdir() if p.name.startswith(".2023-11-16.")]
    assert hidden == [".2023-11-16.lock"], hidden
