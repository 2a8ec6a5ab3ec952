"""Property-based tests: whatever a content file holds, the answer is a clean error or a document.

Hypothesis generates YAML text (random, YAML-shaped, and the example file with random edits) for
the loader, and valid-looking content whose strings are replaced by arbitrary Unicode (markup,
template braces, right-to-left marks, combining marks, control and non-characters) for the whole
chain down to both renderers. The only acceptable outcomes are a :class:`KbcError` or a DOCX that
python-docx opens and a PDF that pypdf opens, holding the text.

Runs are derandomized and small so that CI is fast and repeatable; set ``KBC_FUZZ=<examples>``
to explore with fresh random examples (e.g. ``KBC_FUZZ=2000 pytest tests/test_properties.py``).
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from kbc_docs.content.load import load_yaml
from kbc_docs.content.resolve import load_content
from kbc_docs.errors import KbcError
from kbc_docs.render.docx.render import render_docx
from kbc_docs.render.pdf.render import render_pdf
from kbc_docs.text.segment import unsegment
from kbc_docs.view import build_view
from lxml import etree

pytestmark = pytest.mark.slow  # builds whole documents; `pytest -m 'not slow'` skips it


ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "toolkit/kbc_docs/data/templates"
BASE = ROOT / "tests" / "bad" / "_valid.yaml"
REGISTRY = ROOT / "content" / "registry.yaml"
EXAMPLE_TEXT = (ROOT / "content" / "2023-11-16.yaml").read_text(encoding="utf-8")
FUZZ = int(os.environ.get("KBC_FUZZ", "0"))
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def budget(examples: int) -> settings:
    """Small and repeatable by default; many fresh examples when exploring (``KBC_FUZZ``)."""
    return settings(
        max_examples=FUZZ or examples,
        deadline=None,
        derandomize=not FUZZ,
        database=None,  # no .hypothesis/ folder in the checkout
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


# --- strategies -----------------------------------------------------------------------------

NASTY = [
    "{{ 7*7 }}", "{% if true %}x{% endif %}", "{#", "#}", "{{", "}}", "{%", "%}", "${x}", "{0}",
    "<script>alert(1)</script>", "<b>", "</w:t>", "]]>", "&amp;", "&", "<", ">", '"', "'", "\\",
    "\u202e", "\u202b", "\u200f", "\u0301", "\u0300\u0323", "\u200b", "\u00ad", "\ufeff",
    "\u0007", "\x1b", "\u0085", "\ufdd0", "\ufffe", "\ud7ff", "\U0001f600", "\U0010fffd",
    "ក្ស", "ຂອງ", "مرحبا", "שלום", "e\u0301", " ", "\t", "\n", "\r\n", "%", "*", "&a", "!!str",
    "- ", ": ", "#", "@", "`", "|", ">-",
]  # fmt: skip
nasty = st.sampled_from(NASTY)
unicode_text = st.text(st.characters(codec="utf-8"), max_size=40)
# Text a clerk could paste: any script, marks and symbols, but no control or non-characters.
printable = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn")), max_size=40
)
fragment = st.one_of(nasty, unicode_text, st.text(max_size=8))
texts = st.lists(fragment, max_size=6).map("".join)
printed_texts = st.lists(st.one_of(nasty, printable, printable), min_size=1, max_size=6).map(
    "".join
)

YAML_PIECES = [
    "a", "document", "kind", ":", ": ", "- ", "  ", "\n", "\t", "[", "]", "{", "}", ",", "&x ",
    "*x", "!!str ", "!!python/object:os.system ", "!!binary ", "<<: ", "? ", "|\n", ">-\n", '"',
    "'", "#", "---\n", "...\n", "%YAML 1.1\n", "2023-02-30", "0x1F", "1e400", "~", "null", "yes",
    "\\u0007", "\\x00", "\ufeff",
]  # fmt: skip
yaml_like = st.lists(st.one_of(st.sampled_from(YAML_PIECES), fragment), max_size=40).map("".join)


@st.composite
def edited_example(draw: st.DrawFn) -> str:
    """The real example with a few random insertions, deletions and replacements."""
    text = EXAMPLE_TEXT
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 12))
        text = (
            text[:at] + draw(st.one_of(fragment, st.sampled_from(YAML_PIECES))) + text[at + cut :]
        )
    return text


def string_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every string in plain data that is printed text (not ids, dates or codes)."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in string_paths(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in string_paths(v, (*path, i))]
    printed = isinstance(value, str) and len(path) >= 2 and path[-1] in ("vi", "km", "lo")
    return [path] if printed or path[:1] == ("recipients",) else []


def set_at(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


BASE_DATA = load_yaml(BASE).data
BASE_DATA["registry"] = "registry.yaml"  # copied beside each written file (`folder`)
PATHS = string_paths(BASE_DATA)


@st.composite
def content_with_odd_strings(draw: st.DrawFn) -> tuple[dict[str, Any], list[str]]:
    """The valid base content with some printed strings replaced by arbitrary text."""
    data = copy.deepcopy(BASE_DATA)
    chosen = draw(st.lists(st.sampled_from(PATHS), min_size=1, max_size=6, unique=True))
    new = [draw(printed_texts) for _ in chosen]
    for path, text in zip(chosen, new, strict=True):
        set_at(data, path, text)
    return data, new


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)


def all_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    inner: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        inner = [p for k, v in value.items() for p in all_paths(v, (*path, k))]
    elif isinstance(value, list):
        inner = [p for i, v in enumerate(value) for p in all_paths(v, (*path, i))]
    return ([path] if path else []) + inner


ALL_PATHS = [p for p in all_paths(BASE_DATA) if p != ("registry",)]


@st.composite
def content_with_odd_values(draw: st.DrawFn) -> dict[str, Any]:
    """The valid base content with some values (of any kind) replaced by arbitrary data."""
    data = copy.deepcopy(BASE_DATA)
    for path in draw(st.lists(st.sampled_from(ALL_PATHS), min_size=1, max_size=3, unique=True)):
        with contextlib.suppress(KeyError, IndexError, TypeError):
            set_at(data, path, draw(json_like))  # fails if an earlier one removed the parent
    return data


# --- helpers --------------------------------------------------------------------------------


def write(folder: Path, text: str | bytes, name: str = "case.yaml") -> Path:
    file = folder / name
    if isinstance(text, str):
        text = text.encode("utf-8", "surrogatepass")
    file.write_bytes(text)
    return file


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


def load_or_clean_error(file: Path) -> Any:
    """The loaded content, or None after a clean KbcError; any other exception fails the test."""
    try:
        return load_content(file, TEMPLATES)
    except KbcError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
        return None


def norm(text: str) -> str:
    """Text without white space and break marks: Word's runs and lines split text anywhere."""
    return re.sub(r"\s+", "", unsegment(text))


def docx_text(data: bytes) -> str:
    """Every ``w:t`` of the body in document order, as Word would show the characters."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return "".join(node.text or "" for node in root.iter(f"{{{W}}}t"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    made = tmp_path_factory.mktemp("fuzz")
    (made / "registry.yaml").write_bytes(REGISTRY.read_bytes())
    return made


# --- properties -----------------------------------------------------------------------------


@budget(150)
@given(st.one_of(yaml_like, unicode_text, st.binary(max_size=200)))
def test_loader_never_crashes_on_any_text(folder: Path, text: str | bytes) -> None:
    try:
        load_yaml(write(folder, text))
    except KbcError as exc:
        assert all(p.file is not None for p in exc.problems)


@budget(60)
@given(edited_example())
def test_edited_example_is_valid_or_cleanly_refused(folder: Path, text: str) -> None:
    (folder / "registry.yaml").write_bytes(REGISTRY.read_bytes())
    load_or_clean_error(write(folder, text))


@budget(80)
@given(content_with_odd_values())
def test_any_value_anywhere_is_valid_or_cleanly_refused(folder: Path, data: dict) -> None:
    load_or_clean_error(write(folder, dump(data)))


REGISTRY_DATA = load_yaml(REGISTRY).data
REGISTRY_PATHS = all_paths(REGISTRY_DATA)


@st.composite
def registry_with_odd_values(draw: st.DrawFn) -> dict[str, Any]:
    """The shared registry with some values (of any kind) replaced by arbitrary data."""
    data = copy.deepcopy(REGISTRY_DATA)
    for path in draw(st.lists(st.sampled_from(REGISTRY_PATHS), min_size=1, max_size=3)):
        with contextlib.suppress(KeyError, IndexError, TypeError):
            set_at(data, path, draw(json_like))
    return data


@budget(60)
@given(registry_with_odd_values())
def test_any_value_in_the_registry_is_valid_or_cleanly_refused(folder: Path, data: dict) -> None:
    write(folder, dump(data), "odd-registry.yaml")
    content = {**BASE_DATA, "registry": "odd-registry.yaml"}
    load_or_clean_error(write(folder, dump(content)))


@budget(12)
@given(content_with_odd_strings())
def test_odd_text_renders_literally_or_is_cleanly_refused(
    folder: Path, case: tuple[dict, list[str]]
) -> None:
    data, new = case
    try:
        loaded = load_content(write(folder, dump(data)), TEMPLATES)
    except KbcError as exc:
        event(f"refused by validation: {exc.problems[0].message[:30]}")
        return
    view = build_view(*loaded)
    try:
        docx_bytes = render_docx(view, TEMPLATES / "report.docx")
        pdf_bytes = render_pdf(view, "report.html", TEMPLATES)
    except KbcError as exc:
        event(f"refused by a renderer: {type(exc).__name__}")
        return  # e.g. an unbreakable line wider than the page: refused, not clipped
    event("rendered")
    docx.Document(io.BytesIO(docx_bytes))  # python-docx opens it
    assert len(pypdf.PdfReader(io.BytesIO(pdf_bytes)).pages) >= 2
    printed = norm(docx_text(docx_bytes))
    for text in new:  # verbatim, markup and braces included (signers' titles in capitals)
        assert norm(text) in printed or norm(text.upper()) in printed, text
