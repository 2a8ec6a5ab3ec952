"""New parts of a Word package go through python-docx: names, relationship ids, content types."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Mm
from kbc_docs.render.docx.package import add_part, part_xml
from lxml import etree
from PIL import Image

PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"


def a_png() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(data, format="PNG")
    data.seek(0)
    return data


def test_a_copied_header_gets_a_free_name_a_new_id_its_type_and_keeps_its_pictures() -> None:
    document = docx.Document()
    header = document.sections[0].header
    header.paragraphs[0].add_run().add_picture(a_png(), width=Mm(10))  # a logo in the header
    source = header.part
    (picture_rid,) = [r.rId for r in source.rels.values() if r.reltype == RT.IMAGE]
    blob = etree.tostring(part_xml(source), xml_declaration=True, encoding="UTF-8")

    before = {r.rId for r in document.part.rels.values()}
    rid = add_part(document.part, RT.HEADER, "/word/header%d.xml", CT.WML_HEADER, blob, like=source)

    assert rid not in before
    copy = document.part.related_parts[rid]
    assert str(copy.partname) == "/word/header2.xml" and str(source.partname) == "/word/header1.xml"
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as z:
        rels = etree.fromstring(z.read("word/_rels/header2.xml.rels"))
        types = etree.fromstring(z.read("[Content_Types].xml"))
    # The copy's XML still says r:embed="<picture_rid>": the same id leads to the same picture.
    assert [(r.get("Id"), r.get("Type")) for r in rels.iter(f"{{{PKG_RELS}}}Relationship")] == [
        (picture_rid, RT.IMAGE)
    ]
    overrides = {
        t.get("PartName"): t.get("ContentType") for t in types.iter(f"{{{TYPES}}}Override")
    }
    assert overrides["/word/header2.xml"] == CT.WML_HEADER


def test_the_font_table_is_read_as_xml_so_the_embedder_changes_it_in_place() -> None:
    document = docx.Document()
    font_table = document.part.part_related_by(RT.FONT_TABLE)
    root = part_xml(font_table)
    root.set("marked", "yes")
    assert part_xml(font_table).get("marked") == "yes"  # the part's own element, not a copy
