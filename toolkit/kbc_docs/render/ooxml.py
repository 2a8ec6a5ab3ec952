"""Small OOXML helpers shared by the DOCX renderer and the font embedder.

Word rejects a file whose property elements are out of schema order, and a zip entry stamped
with the clock makes every rebuild differ; both rules are kept here once.
"""

from __future__ import annotations

import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Word's language tags (w:lang w:bidi) of the complex-script languages a version may be in.
WORD_LANG = {"km": "km-KH", "lo": "lo-LA"}

# Children of w:rPr in schema order (ECMA-376 CT_RPr): Word rejects them out of order.
RPR_ORDER = [
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
    "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
    "specVanish", "oMath",
]  # fmt: skip


def child_in_order(parent: etree._Element, tag: str, order: list[str]) -> etree._Element:
    """The ``w:tag`` child of ``parent``, created at its schema position (``order``) if missing."""
    found = parent.find(f"{{{W}}}{tag}")
    if found is not None:
        return found
    new = etree.Element(f"{{{W}}}{tag}")
    rank = order.index(tag)
    for i, existing in enumerate(parent):
        local = etree.QName(existing).localname
        if local in order and order.index(local) > rank:
            parent.insert(i, new)
            return new
    parent.append(new)
    return new


def zip_entry(name: str, date_time: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    """A deflated zip entry with a fixed time and no host-specific attributes (reproducible)."""
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 0
    info.external_attr = 0
    return info
