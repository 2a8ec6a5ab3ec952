"""The dependencies whose internals kbc-docs uses: pinned, and checked to still have them.

WeasyPrint's boxes and glyphs (behind :mod:`kbc_docs.render.pdf.weasy`), docxtpl's
``fix_tables`` / ``patch_xml`` and pyHanko's ``_update_meta`` are not public API. When an
upgrade removes one, these tests fail first, naming the module that uses it.
"""

from __future__ import annotations

import importlib.metadata
import tomllib
import types
from pathlib import Path

import pytest
from kbc_docs.errors import RenderError
from kbc_docs.render.pdf import laid_out, weasy
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = {
    (r := Requirement(line)).name.lower(): r
    for line in tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"][
        "dependencies"
    ]
}


@pytest.mark.parametrize("name", sorted(REQUIREMENTS))
def test_installed_versions_are_the_pinned_ones(name: str) -> None:
    installed = importlib.metadata.version(name)
    assert REQUIREMENTS[name].specifier.contains(installed, prereleases=True), (
        f"{name} {installed} is outside pyproject.toml's {REQUIREMENTS[name].specifier}"
    )


def test_weasyprint_pin_is_the_range_weasy_checks() -> None:
    low, high = weasy.TESTED
    assert str(REQUIREMENTS["weasyprint"].specifier) in (f">={low},<{high}", f"<{high},>={low}")
    assert weasy.version_problem(weasy.version()) is None
    assert weasy.version_problem(f"{low}.0") is None
    for other in (f"{high}.0", f"{low - 1}.9", "unknown"):
        problem = weasy.version_problem(other)
        assert problem is not None and f">={low},<{high}" in problem and other in problem


def test_weasyprint_still_has_every_internal_kbc_docs_uses() -> None:
    missing = weasy.internals_missing()
    assert missing == [], f"kbc_docs.render.pdf.weasy uses {missing}, gone from WeasyPrint"


def test_a_vanished_internal_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.formatting_structure import boxes

    monkeypatch.delattr(boxes, "TextBox")
    assert weasy.internals_missing() == ["weasyprint.formatting_structure.boxes.TextBox"]


def test_a_changed_internal_during_a_render_is_a_render_error() -> None:
    """A page without ``_page_box`` (WeasyPrint changed) is a message naming the module."""
    document = types.SimpleNamespace(pages=[types.SimpleNamespace(height=1.0)])
    with pytest.raises(RenderError, match=r"kbc_docs\.render\.pdf\.laid_out"):
        laid_out.check_overflow(document)  # type: ignore[arg-type]


def test_a_drawn_line_without_pango_glyphs_is_a_render_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A text box whose layout has no Pango line (WeasyPrint changed) is a message naming the
    module that reads each drawn line's glyphs, not a traceback."""
    monkeypatch.setattr(laid_out, "_weasyprint_draw_first_line", lambda *args: [])
    page = types.SimpleNamespace()
    box = types.SimpleNamespace(
        text="Hội nghị",
        style={"font_size": 12.0},
        position_x=10.0,
        position_y=20.0,
        baseline=9.0,
        pango_layout=types.SimpleNamespace(),  # no get_first_line
    )
    matrix = types.SimpleNamespace(values=(1, 0, 0, -1, 10.0, 29.0))
    document = types.SimpleNamespace(pages=[page])
    with (
        laid_out.drawn_lines(document) as runs,  # type: ignore[arg-type]
        pytest.raises(RenderError, match=r"kbc_docs\.render\.pdf\.laid_out"),
    ):
        weasy.draw_text_module.draw_first_line(None, box, "clip", "none", matrix)
    assert runs == []
    assert "paint" not in vars(page)  # the page is drawn by WeasyPrint's own method again


def test_docxtpl_still_has_what_kbc_docs_overrides_and_calls() -> None:
    from docxtpl import DocxTemplate

    for name, user in (
        ("fix_tables", "kbc_docs.render.docx.render._StrictTemplate"),
        ("patch_xml", "kbc_docs.templates.lint.word._docxtpl_dry_run"),
    ):
        assert callable(getattr(DocxTemplate, name, None)), f"{user} needs DocxTemplate.{name}"


def test_pyhanko_still_has_what_kbc_docs_overrides() -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    for name in ("_update_meta", "mark_update"):
        assert callable(getattr(IncrementalPdfFileWriter, name, None)), (
            f"kbc_docs.sign._archival_writer needs IncrementalPdfFileWriter.{name}"
        )


@pytest.mark.parametrize(
    ("cdecl", "init", "expected"),
    [
        ("hb_codepoint_t[3]", [5, 1, 2], [5, 1, 2]),
        ("hb_codepoint_t[4]", None, [0, 0, 0, 0]),
        ("hb_codepoint_t[4]", [7], [7, 0, 0, 0]),  # shorter: made as asked
        ("hb_tag_t[2]", None, [0, 0]),
        ("char[4]", None, [b"\0"] * 4),
        ("unsigned int *", 100, [100]),
    ],
)
def test_weasyprint_subsetting_gets_the_arrays_it_asks_for(
    cdecl: str, init: object, expected: list[object]
) -> None:
    """``weasy.write_pdf`` gives WeasyPrint's font subsetting an ``ffi`` that makes each sized
    array from one parsed type: the same length and values as cffi makes them."""
    ffi = weasy._ArrayTypesParsedOnce(weasy.ffi)
    made = ffi.new(cdecl, init)
    assert ([made[i] for i in range(len(made))] if cdecl.endswith("]") else [made[0]]) == expected
    assert ffi.NULL == weasy.ffi.NULL  # everything else is cffi's own
