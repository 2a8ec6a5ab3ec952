"""A sequential document's language versions are laid out each on its own and merged (issue 17).

Each version starts on a new page with its own named pages and page counter, so the merged
PDF must show what one layout of the whole document shows: the same pages with the same
text, the same outline pointing at the same pages, the same structure tree, PDF/A-3b. A warm
process lays out again only the version whose text changed; an error names the page of the
whole document.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pikepdf
import pytest
from kbc_docs import cache
from kbc_docs.errors import RenderError
from kbc_docs.render.pdf import merge, produce, versions
from kbc_docs.render.pdf.job import PdfJob
from support.form_pages import CONTENT
from support.pdf_checks import archive_problems, extract_text

EXAMPLES = sorted(p for p in CONTENT.glob("*.yaml") if p.name != "registry.yaml")


def job_of(content: Path, template: str) -> PdfJob:
    """``template``'s job for ``content``, prepared as ``kbc-docs build`` prepares it."""
    from kbc_docs.content.resolve import load_content
    from kbc_docs.pipeline import document_time, source_files
    from kbc_docs.render.pdf.prepare import prepare_pdf
    from kbc_docs.view import build_view

    resolved, locales = load_content(content, None)
    view = build_view(resolved, locales)
    when = document_time(resolved.content.signing.date)
    sources = source_files(content, resolved)
    return prepare_pdf(view, template, resolved.templates, when, sources=sources)


def _outline(pdf: pikepdf.Pdf) -> list[tuple[int, str, int, int]]:
    """(level, title, page index, count) of every outline entry, in order."""
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    found: list[tuple[int, str, int, int]] = []

    def walk(item: pikepdf.Object | None, level: int) -> None:
        while item is not None:
            page = pages[item.Dest[0].objgen]
            found.append((level, str(item.Title), page, int(item.get("/Count", 0))))
            walk(item.get("/First"), level + 1)
            item = item.get("/Next")

    walk(pdf.Root.Outlines.get("/First"), 0)
    return found


def _structure(pdf: pikepdf.Pdf) -> list[tuple[int, str, int | None]]:
    """(depth, role, page index) of every structure element, in order; every element's
    parent is the element it is listed under, and the parent tree lists each page's."""
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    found: list[tuple[int, str, int | None]] = []

    def walk(element: pikepdf.Object, parent: pikepdf.Object, depth: int) -> None:
        assert element.P.objgen == parent.objgen
        page = pages[element.Pg.objgen] if "/Pg" in element else None
        found.append((depth, str(element.S), page))
        kids = element.get("/K", pikepdf.Array())
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                walk(kid, element, depth + 1)

    root = pdf.Root.StructTreeRoot
    kids = root.K if isinstance(root.K, pikepdf.Array) else [root.K]
    for kid in kids:
        walk(kid, root, 0)
    nums = root.ParentTree.Nums
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    assert sorted(int(page.obj.StructParents) for page in pdf.pages) == sorted(set(keys))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("template", ["report.html", "signing.html"])
@pytest.mark.parametrize("content", EXAMPLES, ids=lambda p: p.stem)
def test_the_versions_merged_show_what_one_layout_shows(content: Path, template: str) -> None:
    job = job_of(content, template)
    languages = len(job.metadata.languages)  # every example is sequential
    assert len(versions.parts(job.html)) == (languages if languages > 1 else 0)
    whole, whole_text = produce._produce_whole(job)
    merged, merged_text = produce.produce_pdf(job)
    if languages == 1:
        assert merged == whole  # one version: one layout, as before
        return
    assert archive_problems(merged) == []
    assert merged_text == whole_text  # what the build compares with the Word file
    assert extract_text(merged) == extract_text(whole)  # page by page
    assert extract_text(merged, "pdftotext-raw") == extract_text(whole, "pdftotext-raw")
    with pikepdf.open(io.BytesIO(whole)) as a, pikepdf.open(io.BytesIO(merged)) as b:
        assert len(b.pages) == len(a.pages)
        assert [p.mediabox for p in b.pages] == [p.mediabox for p in a.pages]
        assert _outline(b) == _outline(a)
        assert _structure(b) == _structure(a)
        assert (b.Root.Lang, b.Root.MarkInfo, len(b.Root.OutputIntents)) == (
            a.Root.Lang,
            a.Root.MarkInfo,
            1,
        )
    assert produce.produce_pdf(job)[0] == merged  # and again: the same bytes


def test_a_parallel_document_stays_one_document() -> None:
    job = job_of(CONTENT / "2023-11-16.yaml", "report.html")
    table = job.html.replace('<section class="version version-0', '<section class="x version-0')
    assert versions.parts(job.html) and not versions.parts(table)
    text = "<html><body><section class='version version-0'></section>x</body></html>"
    assert versions.parts(text) == []  # anything but the versions in the body: one document


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    made: list[int] = []
    real = produce.produce_part

    def counted(job: PdfJob, version: int) -> produce.Part:
        made.append(version)
        return real(job, version)

    monkeypatch.setattr(produce, "produce_part", counted)
    return made


def test_a_warm_process_lays_out_only_the_version_that_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    job = job_of(CONTENT / "2023-11-16.yaml", "report.html")
    khmer = "ទូទៅ"  # "general": in the Khmer version only, as every Khmer word
    assert khmer in job.html.split('<section class="version version-1')[1]
    changed = dataclasses.replace(job, html=job.html.replace(khmer, "ទូ ទៅ"))
    fresh = produce.produce_pdf(changed)  # no process memory: both versions laid out
    made = _counting(monkeypatch)
    monkeypatch.setattr(cache, "_keep_in_memory", True)  # as in `watch`
    monkeypatch.setattr(produce, "_PARTS", cache.Recent(8))
    first = produce.produce_pdf(job)
    assert made == [0, 1]
    again = produce.produce_pdf(changed)
    assert made == [0, 1, 1]  # the Vietnamese version's PDF was kept
    assert again == fresh and again[0] != first[0]
    assert produce.produce_pdf(job) == first  # both kept now
    assert made == [0, 1, 1]


def test_an_error_in_a_later_version_names_the_page_of_the_whole_document() -> None:
    job = job_of(CONTENT / "2023-11-16.yaml", "report.html")
    # A Khmer run with no break opportunity (no U+200B) runs off the page in any layout.
    long_word = "ការអនុវត្ត" * 12
    vietnamese, khmer = job.html.split('<section class="version version-1')
    khmer = khmer.replace('<div class="content">', f'<div class="content"><p>{long_word}</p>', 1)
    broken = dataclasses.replace(job, html=f'{vietnamese}<section class="version version-1{khmer}')
    with pytest.raises(RenderError) as whole:
        produce._produce_whole(broken)
    with pytest.raises(RenderError) as merged:
        produce.produce_pdf(broken)
    assert str(merged.value) == str(whole.value)
    first = produce.produce_part(job, 0).pages + 1  # the Khmer version's first page
    assert str(merged.value).startswith(f"page {first}: text runs") and first > 1


def _linked(html: str, anchor_in: int) -> str:
    """``html`` with a link at the top of version 0 to the content of version ``anchor_in``."""
    sections = html.split('<section class="version version-')
    sections[1] = sections[1].replace(
        '<div class="content">', '<div class="content"><p><a href="#far">see</a></p>', 1
    )
    where = 1 + anchor_in
    sections[where] = sections[where].replace(
        '<div class="content">', '<div class="content" id="far">', 1
    )
    return '<section class="version version-'.join(sections)


@pytest.mark.parametrize("anchor_in", [0, 1], ids=["same version", "other version"])
def test_a_template_that_links_within_the_document_is_laid_out_whole(
    anchor_in: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An office's template with a link to an anchor (named destinations, an anchor perhaps
    in another version) is one layout: its link works, nothing is refused."""
    job = job_of(CONTENT / "2023-11-16.yaml", "report.html")
    linked = dataclasses.replace(job, html=_linked(job.html, anchor_in))
    assert versions.parts(job.html) and versions.parts(linked.html) == []
    made = _counting(monkeypatch)
    data, _ = produce.produce_pdf(linked)
    assert made == []  # no version on its own
    with pikepdf.open(io.BytesIO(data)) as pdf:
        links = [
            annot
            for page in pdf.pages
            for annot in page.obj.get("/Annots", [])
            if annot.get("/Subtype") == "/Link"
        ]
        assert len(links) == 1
        assert not archive_problems(data)


def test_versions_the_merge_refuses_are_laid_out_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """A version's PDF holding what the merge does not know (here: forced) gives the one
    layout's bytes, not an error."""
    job = job_of(CONTENT / "2023-11-16.yaml", "report.html")
    whole, _ = produce._produce_whole(job)

    def refuse(doc: pikepdf.Pdf) -> None:
        raise merge.CannotMerge("/Names")

    monkeypatch.setattr(merge, "_check_catalog", refuse)
    assert produce.produce_pdf(job)[0] == whole
