"""Names kept whole cost one more layout, and only one: the holes a keep would open are told
from the first layout (issue 17).

A registry name split over two lines where a line could hold it is kept whole, and the
document laid out again (:func:`kbc_docs.render.pdf.name_keeps.keep_names`), unless keeping
it would leave the line it leaves with a gap over twice a space
(:attr:`kbc_docs.render.pdf.laid_out.WrappedName.loosens`). These tests lay the real examples
out: each name that prediction lets wrap, kept whole all the same, does open that hole, and
no example needs a layout to undo a keep.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from kbc_docs.render.pdf import html as pdf_html
from kbc_docs.render.pdf import laid_out, name_keeps, weasy
from kbc_docs.render.pdf import render as pdf_module
from kbc_docs.render.pdf.breaks import keep_names_whole
from kbc_docs.render.pdf.prepare import kept_names
from kbc_docs.text.segment import PARTNER_LETTERS
from kbc_docs.view import DocumentView
from support.form_pages import CONTENT, TEMPLATES, view_of

EXAMPLES = sorted(p for p in CONTENT.glob("*.yaml") if p.name != "registry.yaml")


def _layouts(html: str, view: DocumentView) -> tuple[object, list[weasy.Document]]:
    """The HTML source WeasyPrint lays out for the build of ``html`` (its tree is the one the
    names are kept whole in) and every layout made of it, in order: the last is written."""
    sources, made = [], []
    render = weasy.weasyprint.HTML.render

    def noting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        sources.append(self)
        made.append(render(self, *args, **kwargs))
        return made[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(weasy.weasyprint.HTML, "render", noting)
        # Every pass made, none taken from the memo of an earlier build.
        patch.setattr(name_keeps.Memo, "active", staticmethod(lambda: False))
        pdf_module.lay_out(html, TEMPLATES.resolve(), view)
    assert len(set(map(id, sources))) == 1
    return sources[0], made


def _example(source: Path, template: str) -> tuple[DocumentView, str, list[str]]:
    view = view_of(source)
    html = pdf_html.render_html(view, template, TEMPLATES.resolve())
    return view, html, kept_names(view)


@pytest.mark.parametrize("source", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("template", ["report.html", "signing.html"])
def test_names_are_kept_whole_in_one_more_layout(source: Path, template: str) -> None:
    """One layout where no name wraps that a line could hold, two where some do: no keep is
    undone, and the last layout has no name left to keep."""
    view, html, names = _example(source, template)
    _, made = _layouts(html, view)
    first = laid_out.wrapped_names(made[0], names)
    to_keep = [w for w in first if not w.loosens]
    assert len(made) == (2 if to_keep else 1), [(w.name, w.loosens) for w in first]
    last = laid_out.wrapped_names(made[-1], names)
    assert not [w.name for w in last if not w.loosens]
    kept = {w.element for w in to_keep}
    assert not laid_out.loose_blocks(made[-1], kept)


def test_the_examples_keep_names_and_let_some_wrap() -> None:
    """The examples have both kinds: names kept whole, and Vietnamese names let wrap where a
    keep would leave holes (so the tests here check something)."""
    found = []
    for source in EXAMPLES:
        view, html, names = _example(source, "report.html")
        _, made = _layouts(html, view)
        found += laid_out.wrapped_names(made[0], names)
    assert any(not w.loosens for w in found)
    assert any(
        w.loosens and not PARTNER_LETTERS.search("".join(w.element.itertext())) for w in found
    )


@pytest.mark.parametrize("source", EXAMPLES, ids=lambda p: p.stem)
def test_a_name_let_wrap_would_leave_a_hole(source: Path) -> None:
    """Each name the first layout lets wrap in a Vietnamese block, kept whole all the same,
    leaves a justified line of the block with a gap over twice a space (the prediction is the
    layout's).

    Khmer and Lao lines are justified with capped gaps (:mod:`kbc_docs.render.pdf.justify`):
    a name there is let wrap by the share of the line it would take
    (:data:`kbc_docs.render.pdf.laid_out.LOOSEST`), which no layout measures.
    """
    view, html, names = _example(source, "report.html")
    tree, made = _layouts(html, dataclasses.replace(view, names={}))
    assert len(made) == 1
    let_wrap = [
        w
        for w in laid_out.wrapped_names(made[0], names)
        if w.loosens and not PARTNER_LETTERS.search("".join(w.element.itertext()))
    ]
    for wrapped in let_wrap:
        restore = keep_names_whole([(wrapped.element, wrapped.name)])[wrapped.element]
        try:
            kept = tree.render()  # type: ignore[attr-defined]
        finally:
            restore()
        assert laid_out.loose_blocks(kept, {wrapped.element}), wrapped.name
