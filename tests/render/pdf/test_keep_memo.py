"""The memo of the names kept whole per block saves layouts and never changes a byte (issue 17).

Every example is rendered to PDF with no memo, with a memo filled by the same file, and with a
memo filled by a variant of it (one sentence of one paragraph changed, so the other blocks'
decisions come from another document): the PDFs are byte-identical, and the rebuilds lay
each document out once.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
import yaml
from kbc_docs import cache
from kbc_docs.render.pdf import laid_out, name_keeps, produce, weasy
from kbc_docs.render.pdf import render as pdf_module
from kbc_docs.render.pdf.name_keeps import Decision
from support.form_pages import CONTENT, TEMPLATES, view_of

EXAMPLES = sorted(p for p in CONTENT.glob("*.yaml") if p.name != "registry.yaml")
TEMPLATE_NAMES = ("report.html", "signing.html")


def _render(source: Path, template: str) -> tuple[bytes, int, int]:
    """The PDF of ``template`` for ``source``, the layouts it took (of the language version
    that took most: each is laid out on its own) and the names kept whole in its first
    layouts by the memo (the decisions taken from it)."""
    layouts: dict[int, int] = {}
    from_memo = [0]
    render, keep = weasy.weasyprint.HTML.render, name_keeps.keep_names_whole

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        layouts[id(self)] = layouts.get(id(self), 0) + 1
        return render(self, *args, **kwargs)

    def noting(places):  # type: ignore[no-untyped-def]
        places = list(places)
        if len(layouts) == 0 or list(layouts.values())[-1] == 0:
            from_memo[0] += len(places)
        return keep(places)

    def first(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        init(self, *args, **kwargs)
        layouts[id(self)] = 0

    init = weasy.weasyprint.HTML.__init__
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(weasy.weasyprint.HTML, "render", counting)
        patch.setattr(weasy.weasyprint.HTML, "__init__", first)
        patch.setattr(name_keeps, "keep_names_whole", noting)
        pdf = pdf_module.render_pdf(view_of(source), template, TEMPLATES.resolve())
    return pdf, max(layouts.values()), from_memo[0]


def _variant(source: Path, folder: Path) -> Path:
    """A copy of ``source`` (and its registry) in ``folder`` with the first sentence of its
    first background paragraph changed: made longer, so that the pages after it may break
    elsewhere."""
    content = yaml.safe_load(source.read_text(encoding="utf-8"))
    paragraph = content["background"][0]
    paragraph["vi"] = f"{_LONGER} {paragraph['vi'][0].lower()}{paragraph['vi'][1:]}"
    folder.mkdir()
    shutil.copy(CONTENT / "registry.yaml", folder / "registry.yaml")
    variant = folder / source.name
    variant.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    return variant


_LONGER = "Trong những năm qua, nhất là từ khi hai bên ký kết văn bản hợp tác mới,"


@pytest.fixture
def no_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """No decision kept in memory by an earlier test (``watch``'s tests keep them)."""
    monkeypatch.setattr(name_keeps, "_RECENT", cache.Recent(8192))


@pytest.mark.usefixtures("no_memory")
@pytest.mark.parametrize("source", EXAMPLES, ids=lambda p: p.stem)
def test_the_memo_changes_no_byte_and_saves_the_layouts(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    variant = _variant(source, tmp_path / "variant")
    for template in TEMPLATE_NAMES:
        monkeypatch.setenv("KBC_CACHE_DIR", "off")
        plain, layouts, _ = _render(source, template)

        monkeypatch.setenv("KBC_CACHE_DIR", str(tmp_path / f"same-{template}"))
        assert _render(source, template)[0] == plain
        same, relayouts, kept = _render(source, template)
        assert same == plain
        assert relayouts == 1, (template, layouts)
        # The memo was used: a document that kept names first time keeps them from it.
        assert kept > 0 or layouts == 1

        monkeypatch.setenv("KBC_CACHE_DIR", str(tmp_path / f"variant-{template}"))
        other = _render(variant, template)[0]
        seeded, seeded_layouts, seeded_kept = _render(source, template)
        assert seeded == plain
        assert seeded_layouts == 1, (template, layouts)
        assert seeded_kept > 0 or layouts == 1
        if template == "report.html":
            assert other != plain  # the variant is another document


@pytest.mark.usefixtures("no_memory")
def test_watch_keeps_the_decisions_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """``kbc-docs watch`` keeps the decisions in memory: the next build after a save lays
    the report out once without the disk cache, byte for byte as without a memo."""
    monkeypatch.setenv("KBC_CACHE_DIR", "off")
    source = CONTENT / "2023-11-16.yaml"
    plain, layouts, _ = _render(source, "report.html")
    assert layouts > 1  # the example keeps names: there is something to remember
    monkeypatch.setattr(cache, "_keep_in_memory", True)
    monkeypatch.setattr(produce, "_LAYOUTS", cache.Recent(0))  # no whole layout kept
    monkeypatch.setattr(produce, "_PARTS", cache.Recent(0))  # nor a language version's PDF
    assert _render(source, "report.html")[0] == plain
    assert _render(source, "report.html")[:2] == (plain, 1)


@pytest.mark.usefixtures("no_memory")
def test_a_rebuild_looks_for_the_wrapped_names_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild whose blocks the memo knows lays the report out once and looks for the
    wrapped names in that layout once: the memo's check and the passes share the search."""
    monkeypatch.setenv("KBC_CACHE_DIR", str(tmp_path / "cache"))
    source = CONTENT / "2023-11-16.yaml"
    first = _render(source, "report.html")[0]
    searched: list[object] = []
    wrapped_names = laid_out.wrapped_names

    def counting(document: weasy.Document, names: list[str]) -> list[laid_out.WrappedName]:
        searched.append(document)
        return wrapped_names(document, names)

    monkeypatch.setattr(laid_out, "wrapped_names", counting)
    assert _render(source, "report.html")[:2] == (first, 1)
    # Each language version is laid out on its own: each of its one layout searched once.
    assert len({id(document) for document in searched}) == len(searched) == 2


@pytest.mark.usefixtures("no_memory")
def test_a_block_whose_lines_are_not_as_wide_is_laid_out_as_without_a_memo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Decisions whose width is not the layout's (here: every one, made 1 px wider) are all
    undone, and the passes run from the start: one layout more, the same bytes."""
    source = CONTENT / "2023-11-16.yaml"
    monkeypatch.setenv("KBC_CACHE_DIR", "off")
    plain, layouts, _ = _render(source, "report.html")
    monkeypatch.setenv("KBC_CACHE_DIR", str(tmp_path / "cache"))
    _render(source, "report.html")
    get = name_keeps.Memo.get

    def wider(self: name_keeps.Memo, entry: str) -> Decision | None:
        decision = get(self, entry)
        return decision and dataclasses.replace(decision, width=decision.width + 1)

    monkeypatch.setattr(name_keeps.Memo, "get", wider)
    assert _render(source, "report.html")[:2] == (plain, layouts + 1)


def test_a_paragraph_over_two_pages_is_one_block() -> None:
    """Wrapped names are looked for in an element's lines on every page it runs over, as one
    block: where the pages break does not change what wraps."""
    document = pdf_module.lay_out(
        "<style>@page { size: 60mm 30mm; margin: 5mm } p { margin: 0; font-size: 12px }</style>"
        "<p>" + "một hai ba " * 40 + "</p>",
        TEMPLATES.resolve(),
    )
    assert len(document.pages) > 1
    [block] = laid_out.line_blocks(document)
    assert block.element.tag == "p" and len(block.widths) == len(document.pages)


@pytest.mark.parametrize(
    "data",
    [b"", b"[]", b"not json", b"[1, [], [], []]", b'[1.5, ["a", 2], [], []]', b"\xff\xfe"],
)
def test_a_damaged_entry_is_a_miss(data: bytes) -> None:
    assert Decision.from_bytes(data) is None


def test_a_decision_is_read_back_as_stored() -> None:
    decision = Decision(412.5, ("Tô Văn Dân",), ("Kampot", "Tô Văn Dân"), ("Hà Tiên",))
    assert Decision.from_bytes(decision.to_bytes()) == decision


@pytest.mark.usefixtures("no_memory")
@pytest.mark.parametrize(
    ("style", "stored"),
    [
        ("", 2),
        # Text the CSS generates may come from elsewhere (a counter): that block is left out.
        ("p.second::before { content: counter(page) ' ' }", 1),
        # A float shortens the lines beside it: nothing is stored.
        ("p.first { float: left; width: 20mm }", 0),
    ],
)
def test_only_blocks_whose_lines_are_their_own_are_stored(
    style: str, stored: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KBC_CACHE_DIR", str(tmp_path))
    pdf_module.lay_out(
        f"<html><head><style>{style}</style></head><body>"
        '<p class="first">một hai ba</p><p class="second">bốn năm sáu</p></body></html>',
        TEMPLATES.resolve(),
    )
    assert sum(path.is_file() for path in (tmp_path / "name-keeps").rglob("*")) == stored
