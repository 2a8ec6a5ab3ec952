"""Templates from elsewhere: nothing fetched from outside, bounded size, formatting kept or named.

Each hostile template is the real ``report.docx`` with one addition, written as Word writes it:
an attached template on a file server, an ``INCLUDEPICTURE``/``INCLUDETEXT``/``DDEAUTO``/``LINK``
field, a picture linked instead of stored, a ``file:///`` hyperlink, a mail-merge data source, a
media part that unpacks to 1 GiB. ``templates check`` must name each (with its paragraph where
it has one), the build must refuse it, and no built DOCX may carry any of them.
"""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from kbc_docs.errors import RenderError, TemplateError
from kbc_docs.pipeline import BuildOptions, build
from kbc_docs.render.docx.ooxml import NS, w
from kbc_docs.render.docx.render import refuse_external, render_docx
from kbc_docs.templates.lint import check_template
from kbc_docs.templates.package import external_references
from lxml import etree
from support.form_pages import KM_EXAMPLE, LO_EXAMPLE, TEMPLATES, copy_content, view_of
from templates_broken.make_gallery import find, split

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
SOURCE = TEMPLATES / "report.docx"

Parts = dict[str, bytes]


def rewrite(source: Path, dest: Path, change: Callable[[Parts], None]) -> Path:
    """``source`` changed by ``change``, saved last by a clerk (so not audited as our output)."""
    with zipfile.ZipFile(source) as z:
        parts = {info.filename: z.read(info) for info in z.infolist()}
    change(parts)
    parts["docProps/core.xml"] = parts["docProps/core.xml"].replace(
        b"<cp:lastModifiedBy>kbc-docs</cp:lastModifiedBy>",
        b"<cp:lastModifiedBy>Clerk</cp:lastModifiedBy>",
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in parts.items():
            z.writestr(name, blob)
    dest.write_bytes(out.getvalue())
    return dest


def add_relationship(parts: Parts, source: str, rid: str, kind: str, target: str) -> None:
    """A relationship of ``source`` (``word/document.xml``) with ``TargetMode="External"``."""
    folder, name = source.rsplit("/", 1)
    rels = f"{folder}/_rels/{name}.rels"
    root = (
        etree.fromstring(parts[rels])
        if rels in parts
        else etree.Element(f"{{{PKG}}}Relationships", nsmap={None: PKG})
    )
    etree.SubElement(
        root,
        f"{{{PKG}}}Relationship",
        Id=rid,
        Type=f"{R}/{kind}",
        Target=target,
        TargetMode="External",
    )
    parts[rels] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_NAMESPACES = " ".join(
    f'xmlns:{prefix}="{uri}"'
    for prefix, uri in {
        "w": NS["w"],
        "r": R,
        "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
        "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
        "wp": "http://schemas.openxmlformats.org/drawingprocessingml/2006/wordprocessingDrawing",
        "v": "urn:schemas-microsoft-com:vml",
        "o": "urn:schemas-microsoft-com:office:office",
    }.items()
)


def in_body(xml: str) -> Callable[[Parts], None]:
    """Insert ``xml`` (paragraphs) after the paragraph ``{{ v.closing }}`` of the report."""

    def change(parts: Parts) -> None:
        doc = etree.fromstring(parts["word/document.xml"])
        anchor = find(doc, "{{ v.closing }}", nth=1)
        wrapper = etree.fromstring(f"<x {_NAMESPACES}>{xml}</x>")
        for el in reversed(list(wrapper)):
            anchor.addnext(el)
        parts["word/document.xml"] = etree.tostring(doc, xml_declaration=True, encoding="UTF-8")

    return change


def field(code: str) -> str:
    return (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def attached_template(parts: Parts) -> None:
    settings = etree.fromstring(parts["word/settings.xml"])
    element = etree.Element(w("attachedTemplate"), nsmap={"r": R})
    element.set(f"{{{R}}}id", "rIdEvil")
    settings.insert(0, element)
    parts["word/settings.xml"] = etree.tostring(settings, xml_declaration=True, encoding="UTF-8")
    add_relationship(
        parts, "word/settings.xml", "rIdEvil", "attachedTemplate", "file://server/share/x.dotm"
    )


def linked_picture(parts: Parts) -> None:
    in_body(
        "<w:p><w:r><w:drawing><wp:inline><wp:extent cx='100' cy='100'/>"
        "<wp:docPr id='77' name='p'/><a:graphic><a:graphicData "
        "uri='http://schemas.openxmlformats.org/drawingml/2006/picture'><pic:pic>"
        "<pic:nvPicPr><pic:cNvPr id='77' name='p'/><pic:cNvPicPr/></pic:nvPicPr>"
        "<pic:blipFill><a:blip r:link='rIdPic'/></pic:blipFill><pic:spPr/></pic:pic>"
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )(parts)
    add_relationship(parts, "word/document.xml", "rIdPic", "image", "http://tracker.example/p.png")


def hyperlink(parts: Parts) -> None:
    in_body("<w:p><w:hyperlink r:id='rIdLink'><w:r><w:t>xem</w:t></w:r></w:hyperlink></w:p>")(parts)
    add_relationship(parts, "word/document.xml", "rIdLink", "hyperlink", "file:///C:/x.txt")


def mail_merge(parts: Parts) -> None:
    settings = etree.fromstring(parts["word/settings.xml"])
    merge = etree.SubElement(settings, w("mailMerge"))
    etree.SubElement(merge, w("mainDocumentType")).set(w("val"), "formLetters")
    etree.SubElement(merge, w("connectString")).set(w("val"), "Provider=x;Data Source=\\\\srv\\db")
    parts["word/settings.xml"] = etree.tostring(settings, xml_declaration=True, encoding="UTF-8")


HOSTILE = {
    "attached_template": (attached_template, "settings", "file://server/share/x.dotm"),
    "includepicture": (
        in_body(field('INCLUDEPICTURE "http://tracker.example/a.png" \\d')),
        "body",
        "INCLUDEPICTURE",
    ),
    "includetext_simple": (
        in_body("<w:p><w:fldSimple w:instr=' INCLUDETEXT \"\\\\\\\\srv\\\\x.docx\" '/></w:p>"),
        "body",
        "INCLUDETEXT",
    ),
    "ddeauto": (in_body(field('DDEAUTO c:\\\\windows\\\\cmd.exe "/c calc"')), "body", "DDEAUTO"),
    "link": (in_body(field('LINK Excel.Sheet.8 "C:\\\\a.xls" "" \\a')), "body", "LINK"),
    "linked_picture": (linked_picture, "body", "http://tracker.example/p.png"),
    "vml_linked_picture": (
        in_body(
            "<w:p><w:r><w:pict><v:shape><v:imagedata o:href='file:///C:/a.png'/></v:shape>"
            "</w:pict></w:r></w:p>"
        ),
        "body",
        "file:///C:/a.png",
    ),
    "file_hyperlink": (hyperlink, "body", "file:///C:/x.txt"),
    "mail_merge": (mail_merge, "settings", "Data Source"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_external_content_is_refused(case: str, tmp_path: Path) -> None:
    change, part, needle = HOSTILE[case]
    template = rewrite(SOURCE, tmp_path / "report.docx", change)
    errors = [f for f in check_template(template) if f.severity == "error"]
    assert [f.part for f in errors] == [part], [str(f) for f in errors]
    (error,) = errors
    assert needle in error.message and "outside the document" in error.message
    if part == "body":  # found at its paragraph, just after the closing formula
        assert re.fullmatch(r"paragraph \d+", error.location), error.location
    with pytest.raises(TemplateError, match=re.escape(needle)):
        render_docx(view_of(KM_EXAMPLE), template)


def test_build_refuses_a_hostile_template_folder(tmp_path: Path) -> None:
    folder = tmp_path / "office"
    folder.mkdir()
    rewrite(SOURCE, folder / "report.docx", hyperlink)
    content = copy_content(KM_EXAMPLE, tmp_path / "content")
    with pytest.raises(TemplateError, match=re.escape("file:///C:/x.txt")):
        build(content, BuildOptions(out=tmp_path / "out", templates=folder, formats=("docx",)))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("example", [KM_EXAMPLE, LO_EXAMPLE])
def test_built_documents_reach_nothing_outside(example: Path, tmp_path: Path) -> None:
    content = copy_content(example, tmp_path / "content")
    files = build(content, BuildOptions(out=tmp_path / "out", formats=("docx",)))
    assert len(files) == 2
    for file in files:
        with zipfile.ZipFile(file) as z:
            parts = {i.filename: z.read(i) for i in z.infolist()}
        assert external_references(parts) == []
        assert b'TargetMode="External"' not in b"".join(parts.values())


def test_the_renderer_checks_its_own_output() -> None:
    """The last line of defence: an output part reaching outside is a RenderError."""
    parts = {
        "word/document.xml": b'<w:document xmlns:w="%s"><w:body>%s</w:body></w:document>'
        % (NS["w"].encode(), field("INCLUDETEXT x").encode())
    }
    with pytest.raises(RenderError, match="INCLUDETEXT"):
        refuse_external(parts, SOURCE, RenderError)


# ---------------------------------------------------------------- size


@pytest.fixture(scope="module")
def gigabyte_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """report.docx with a media part of 1 GiB of zeros (a few MB in the zip)."""
    path = tmp_path_factory.mktemp("bomb") / "report.docx"
    rewrite(SOURCE, path, lambda parts: None)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z,
        z.open("word/media/image9.png", "w", force_zip64=True) as f,
    ):
        chunk = bytes(1 << 24)
        for _ in range(64):
            f.write(chunk)
    assert path.stat().st_size < 10 << 20
    return path


def test_a_gigabyte_part_is_refused_without_unpacking_it(gigabyte_template: Path) -> None:
    tracemalloc.start()
    try:
        findings = check_template(gigabyte_template)
        with pytest.raises(TemplateError, match=r"image9\.png unpacks to 1\.0 GiB"):
            render_docx(view_of(KM_EXAMPLE), gigabyte_template)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 << 20, f"{peak / 2**20:.0f} MiB allocated"
    (finding,) = findings
    assert finding.severity == "error" and "image9.png unpacks to 1.0 GiB" in finding.message


def test_a_zip_bomb_part_is_refused(tmp_path: Path) -> None:
    """Small enough in total, but 8 MiB of zeros packed into a few KB is no picture."""

    def bomb(parts: Parts) -> None:
        parts["word/media/image8.png"] = bytes(8 << 20)

    template = rewrite(SOURCE, tmp_path / "report.docx", bomb)
    (finding,) = check_template(template)
    assert "image8.png unpacks" in finding.message and "zip bomb" in finding.message


# ---------------------------------------------------------------- formatting on a tag


def closing_runs(data: bytes, text: str) -> list[etree._Element]:
    """The runs of the rendered paragraph whose text is ``text``."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
    for p in doc.iter(w("p")):
        if "".join(t.text or "" for t in p.iter(w("t"))) == text:
            return p.findall("w:r", NS)
    raise AssertionError(f"no paragraph {text!r}")


def formatted(cuts: list[int], bold: list[bool]) -> Callable[[Parts], None]:
    """``{{ v.closing }}`` of the sequential report cut at ``cuts``, piece i bold if bold[i]."""

    def change(parts: Parts) -> None:
        doc = etree.fromstring(parts["word/document.xml"])
        for run, on in zip(split(find(doc, "{{ v.closing }}", nth=1), cuts), bold, strict=True):
            if on:
                rpr = run.find("w:rPr", NS)
                if rpr is None:
                    rpr = etree.Element(w("rPr"))
                    run.insert(0, rpr)
                rpr.insert(0, etree.Element(w("b")))
        parts["word/document.xml"] = etree.tostring(doc, xml_declaration=True, encoding="UTF-8")

    return change


@pytest.mark.parametrize(
    ("cuts", "bold"),
    [
        ([], [True]),  # the whole tag, braces included
        ([3, 12], [False, True, False]),  # `{{ ` | `v.closing` | ` }}`: the name only
        ([2], [False, True]),  # everything but the opening braces
    ],
    ids=["whole-tag", "name-only", "all-but-braces"],
)
def test_bold_on_a_tag_stays_bold(cuts: list[int], bold: list[bool], tmp_path: Path) -> None:
    template = rewrite(SOURCE, tmp_path / "report.docx", formatted(cuts, bold))
    assert not check_template(template), [str(f) for f in check_template(template)]
    view = view_of(KM_EXAMPLE)
    runs = closing_runs(render_docx(view, template), view.versions[0].closing)
    assert runs and all(r.find("w:rPr/w:b", NS) is not None for r in runs)
    plain = closing_runs(render_docx(view, SOURCE), view.versions[0].closing)
    assert all(r.find("w:rPr/w:b", NS) is None for r in plain)


def test_formatting_changing_inside_the_name_is_reported(tmp_path: Path) -> None:
    template = rewrite(SOURCE, tmp_path / "report.docx", formatted([3, 8], [False, True, False]))
    (finding,) = check_template(template)
    assert finding.severity == "warning" and finding.part == "body"
    assert finding.text == "{{ v.closing }}"
    assert "`v.clo` | `sing`" in finding.message
