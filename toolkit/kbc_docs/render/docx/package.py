"""New parts of a Word package, through python-docx's package (OPC) layer.

The DOCX renderer adds parts to what the template had: a copy of a header whose page numbers
are drawn in Khmer digits (:mod:`~kbc_docs.render.docx.page_numbers`) and the embedded fonts
(:mod:`~kbc_docs.render.docx.fonts`). They are added to the package python-docx holds for
docxtpl, before it is saved, so python-docx allocates the part names
(:meth:`~docx.opc.package.OpcPackage.next_partname`) and the relationship ids
(:meth:`~docx.opc.part.Part.relate_to`), and writes ``[Content_Types].xml`` and the ``.rels``
parts from its model: no name, id or content type is made up by hand.
"""

from __future__ import annotations

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.package import OpcPackage
from docx.opc.part import Part, PartFactory, XmlPart
from lxml import etree

__all__ = ["OBFUSCATED_FONT", "add_part", "part_xml", "related", "text_parts"]

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
"""The content type of an embedded font (``word/fonts/*.odttf``), ECMA-376 Part 1 §15.2.13."""

# python-docx reads the font table as opaque bytes; registered as XML, the font embedder can
# change it in place like the settings, which python-docx already reads as XML.
PartFactory.part_type_for.setdefault(CT.WML_FONT_TABLE, XmlPart)

_TEXT_PART = ("/word/document.xml", "/word/footnotes.xml", "/word/endnotes.xml")


def part_xml(part: Part) -> etree._Element:
    """The XML of ``part``: its own element for an XML part (changes to it are saved), a parsed
    copy otherwise (docxtpl keeps the headers it rendered as plain bytes)."""
    if isinstance(part, XmlPart):
        return part.element
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    return etree.fromstring(part.blob, parser)


def related(source: Part, reltype: str) -> Part | None:
    """The part ``source`` relates to with ``reltype`` (the font table, the settings), if any."""
    try:
        return source.part_related_by(reltype)
    except KeyError:
        return None


def add_part(
    source: Part, reltype: str, name: str, content_type: str, blob: bytes, like: Part | None = None
) -> str:
    """Add a part named after ``name`` (``/word/header%d.xml``: the first free number) and
    related from ``source``; return the new relationship's id.

    With ``like``, the new part has the relationships of ``like`` under the same ids, so a copy
    of a header keeps the pictures its XML refers to.
    """
    package: OpcPackage = source.package
    part = Part(package.next_partname(name), content_type, blob, package)
    for rel in like.rels.values() if like is not None else ():
        target = rel.target_ref if rel.is_external else rel.target_part
        part.load_rel(rel.reltype, target, rel.rId, rel.is_external)
    return source.relate_to(part, reltype)


def text_parts(package: OpcPackage) -> list[etree._Element]:
    """The XML of every part whose text is printed: body, headers, footers, notes."""
    out = []
    for part in package.iter_parts():
        name = str(part.partname)
        if name in _TEXT_PART or (
            part.content_type in (CT.WML_HEADER, CT.WML_FOOTER) and name.startswith("/word/")
        ):
            out.append(part_xml(part))
    return out
