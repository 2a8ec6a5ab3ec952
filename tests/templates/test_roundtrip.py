"""Every shipped Word template survives the rewrites office suites do, with identical output.

Clerks open the templates in Word or LibreOffice and save them again; the suite rewrites the
XML on the way: LibreOffice moves section breaks and renames style ids, python-docx reorders
namespaces, Word splits each tag into runs with proofing marks, bookmarks and the revision
ids of each editing session. Each rewrite here is applied to the real templates, the result
is rendered from the example content (sequential Khmer and Lao, parallel Khmer) and compared
with what the untouched template gives: the same text paragraph by paragraph, the same
sections and the same page-number restarts. ``templates check`` must pass every rewrite too.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import io
import itertools
import random
import re
import zipfile
from pathlib import Path

import docx
import pytest
from kbc_docs.render.docx.ooxml import NS, Styles, w
from kbc_docs.render.docx.render import render_docx
from kbc_docs.templates.lint import check_template
from kbc_docs.text.segment import unsegment
from kbc_docs.view import DocumentView
from lxml import etree
from support.form_pages import KM_EXAMPLE, LO_EXAMPLE, TEMPLATES, view_of
from support.libreoffice import to_docx
from templates_broken.make_gallery import tag_paragraphs, visible

SHIPPED = sorted(TEMPLATES.glob("*.docx"))
_PARTS = ("word/document.xml", "word/header1.xml", "word/header2.xml")


@functools.cache
def views() -> dict[str, DocumentView]:
    km = view_of(KM_EXAMPLE)
    return {
        "km": km,
        "lo": view_of(LO_EXAMPLE),
        "km-parallel": dataclasses.replace(km, layout="parallel"),
    }


# ---------------------------------------------------------------- the rewrites


def saved_by(path: Path, who: str) -> Path:
    """``path`` with ``who`` as its last editor, as office suites record it when they save.

    (The docx_audit plugin audits files whose last editor is kbc-docs, i.e. its outputs.)
    """
    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, blob in entries:
            if info.filename == "docProps/core.xml":
                blob = re.sub(
                    rb"<cp:lastModifiedBy>[^<]*</cp:lastModifiedBy>",
                    f"<cp:lastModifiedBy>{who}</cp:lastModifiedBy>".encode(),
                    blob,
                )
            z.writestr(info, blob)
    return path


def libreoffice(source: Path, dest: Path) -> Path:
    """Opened and saved as DOCX by LibreOffice (headless)."""
    (saved,) = to_docx([source], dest)
    return saved_by(saved, "LibreOffice")


def python_docx(source: Path, dest: Path) -> Path:
    """Loaded and saved by python-docx."""
    target = dest / source.name
    docx.Document(str(source)).save(str(target))
    return saved_by(target, "python-docx")


def word_edits(source: Path, dest: Path, seed: int = 15) -> Path:
    """Every tag cut into runs at random places, as Word stores text edited over time.

    Between the pieces go the spelling marks of Word's proofing (``w:proofErr``), its
    ``_GoBack`` bookmark and named bookmarks, and each piece carries the revision id
    (``w:rsidR``) of another editing session.
    """
    rng = random.Random(seed)
    with zipfile.ZipFile(source) as zin:
        entries = [(info, zin.read(info)) for info in zin.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, blob in entries:
            if info.filename in _PARTS:
                root = etree.fromstring(blob)
                for paragraph in tag_paragraphs(root):
                    _cut(paragraph, rng)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            zout.writestr(info, blob)
    target = dest / source.name
    target.write_bytes(out.getvalue())
    return saved_by(target, "Clerk")


def _cut(paragraph: etree._Element, rng: random.Random) -> None:
    (run,) = paragraph.findall("w:r", NS)
    text = visible(paragraph)
    cuts = sorted({rng.randrange(1, len(text)) for _ in range(rng.randrange(2, 6))})
    at = paragraph.index(run)
    paragraph.remove(run)
    nodes: list[etree._Element] = []
    for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True):
        piece = copy.deepcopy(run)
        t = piece.find("w:t", NS)
        t.text = text[a:b]
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        session = f"00{rng.randrange(16**6):06X}"
        piece.set(w("rsidR"), session)
        piece.set(w("rsidRPr"), session)
        if nodes:
            mark = rng.choice(["proof", "goback", "named", "none"])
            ident = str(rng.randrange(100, 10_000))
            if mark == "proof":
                nodes.append(etree.Element(w("proofErr"), {w("type"): "spellStart"}))
            elif mark == "goback":
                nodes.append(
                    etree.Element(w("bookmarkStart"), {w("id"): ident, w("name"): "_GoBack"})
                )
                nodes.append(etree.Element(w("bookmarkEnd"), {w("id"): ident}))
            elif mark == "named":
                nodes.append(
                    etree.Element(w("bookmarkStart"), {w("id"): ident, w("name"): f"b{ident}"})
                )
        nodes.append(piece)
        if nodes[-2:-1] and nodes[-2].tag == w("proofErr"):
            nodes.append(etree.Element(w("proofErr"), {w("type"): "spellEnd"}))
        if (
            len(nodes) > 1
            and nodes[-2].tag == w("bookmarkStart")
            and nodes[-2].get(w("name")) != "_GoBack"
        ):
            nodes.append(etree.Element(w("bookmarkEnd"), {w("id"): nodes[-2].get(w("id"))}))
    for offset, node in enumerate(nodes):
        paragraph.insert(at + offset, node)


REWRITES = {"libreoffice": libreoffice, "python-docx": python_docx, "word-edits": word_edits}


# ---------------------------------------------------------------- what must stay the same


@dataclasses.dataclass(frozen=True)
class Section:
    """One section of a rendered document: where it ends and how its pages are numbered."""

    last_paragraph: int  # number of body paragraphs up to the section's end
    page_start: str | None  # w:pgNumType/@w:start: the page-number restart
    title_page: bool  # a first page without number
    headers: tuple[str, ...]  # the types of its header references (default, first)


@dataclasses.dataclass(frozen=True)
class Outcome:
    paragraphs: tuple[tuple[str, str], ...]  # (style name, text) of every body paragraph
    sections: tuple[Section, ...]


def outcome(data: bytes) -> Outcome:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        document = etree.fromstring(z.read("word/document.xml"))
        styles = Styles(etree.fromstring(z.read("word/styles.xml")))
    body = document.find("w:body", NS)
    paragraphs: list[tuple[str, str]] = []
    sections: list[Section] = []
    for p in body.iter(w("p"), w("sectPr")):
        if p.tag == w("p"):
            text = "".join(t.text or "" for t in p.iter(w("t")))
            paragraphs.append((styles.name(styles.paragraph_style(p)), text))
            continue
        start = p.find("w:pgNumType", NS)
        sections.append(
            Section(
                last_paragraph=len(paragraphs),
                page_start=start.get(w("start")) if start is not None else None,
                title_page=p.find("w:titlePg", NS) is not None,
                headers=tuple(
                    sorted(r.get(w("type")) for r in p.iterfind("w:headerReference", NS))
                ),
            )
        )
    return Outcome(tuple(paragraphs), tuple(sections))


def assert_unique_bookmarks(data: bytes) -> None:
    """Bookmarks repeated by the template's loops got ids and names of their own."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        document = etree.fromstring(z.read("word/document.xml"))
    starts = list(document.iter(w("bookmarkStart")))
    ids = [m.get(w("id")) for m in starts]
    names = [m.get(w("name")) for m in starts]
    ends = sorted(m.get(w("id")) for m in document.iter(w("bookmarkEnd")))
    assert len(set(ids)) == len(ids) and len(set(names)) == len(names)
    assert ends == sorted(ids)


@functools.cache
def original(template: str, view: str) -> Outcome:
    return outcome(render_docx(views()[view], TEMPLATES / template))


# ---------------------------------------------------------------- tests


@pytest.mark.parametrize("template", [p.name for p in SHIPPED])
def test_one_section_per_version(template: str) -> None:
    """The untouched templates: a sequential document has one section per language version,
    each restarting its page numbers at 1; a parallel document has one."""
    for name, view in views().items():
        got = original(template, name)
        expected = 1 if view.layout == "parallel" else len(view.versions)
        assert len(got.sections) == expected, (template, name, got.sections)
        assert all(s.page_start == "1" for s in got.sections), got.sections
        texts = [unsegment(text) for _, text in got.paragraphs]
        if expected > 1:  # each version's title ends up in its own section
            bounds = [0, *(s.last_paragraph for s in got.sections)]
            for version, (a, b) in zip(view.versions, itertools.pairwise(bounds), strict=True):
                assert unsegment(version.title) in texts[a:b], (template, name, version.lang)


@pytest.mark.parametrize("rewrite", sorted(REWRITES))
@pytest.mark.parametrize("template", [p.name for p in SHIPPED])
def test_rewritten_template_gives_the_same_document(
    template: str, rewrite: str, tmp_path: Path
) -> None:
    rewritten = REWRITES[rewrite](TEMPLATES / template, tmp_path)
    assert rewritten.read_bytes() != (TEMPLATES / template).read_bytes()
    errors = [f for f in check_template(rewritten) if f.severity == "error"]
    assert not errors, [str(f) for f in errors]
    for name, view in views().items():
        data = render_docx(view, rewritten)
        (tmp_path / f"built-{name}.docx").write_bytes(data)  # audited by the docx_audit plugin
        got = outcome(data)
        assert_unique_bookmarks(data)
        want = original(template, name)
        assert got.sections == want.sections, (rewrite, template, name)
        assert [t for _, t in got.paragraphs] == [t for _, t in want.paragraphs], (
            rewrite,
            template,
            name,
        )
        assert got.paragraphs == want.paragraphs, (rewrite, template, name)


def test_word_edits_really_cut_the_tags(tmp_path: Path) -> None:
    """The Word rewrite is not a no-op: tags are stored in several runs with marks between."""
    rewritten = word_edits(TEMPLATES / "report.docx", tmp_path)
    with zipfile.ZipFile(rewritten) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    cut = [p for p in tag_paragraphs(root) if len(p.findall("w:r", NS)) > 1]
    assert len(cut) == len(tag_paragraphs(root)) > 50
    assert root.find(".//w:proofErr", NS) is not None
    assert root.find(".//w:bookmarkStart", NS) is not None
