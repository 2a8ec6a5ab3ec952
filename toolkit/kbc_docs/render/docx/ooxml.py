"""Small OOXML helpers shared by the DOCX renderer and the font embedder.

Word rejects a file whose property elements are out of schema order, and a zip entry stamped
with the clock makes every rebuild differ; both rules are kept here once.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator, Mapping

from docx.opc.constants import NAMESPACE
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

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


# Children of w:pPr in schema order (ECMA-376 CT_PPr).
PPR_ORDER = [
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
    "rPr", "sectPr", "pPrChange",
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


def cleanup_namespaces(root: etree._Element, top_nsmap: dict[str, str]) -> None:
    """Drop unused namespace declarations from ``root``, but none that Markup Compatibility names.

    ``mc:Ignorable="w14 w15"`` names prefixes in an attribute *value*, which lxml cannot see:
    its clean-up would drop ``xmlns:w14`` when no element uses it, and an undeclared prefix in
    ``mc:Ignorable`` is an error (ECMA-376 Part 3, §10.1.1) that makes Word offer to repair the
    file. The prefixes of every ``mc:Ignorable``, ``mc:ProcessContent`` and
    ``mc:MustUnderstand`` in the tree are kept.
    """
    keep: set[str] = set()
    for element in root.iter():
        for name in ("Ignorable", "ProcessContent", "MustUnderstand"):
            for token in (element.get(f"{{{MC}}}{name}") or "").split():
                keep.add(token.split(":")[0])
    etree.cleanup_namespaces(root, top_nsmap=top_nsmap, keep_ns_prefixes=sorted(keep))


def zip_entry(name: str, date_time: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    """A deflated zip entry with a fixed time and no host-specific attributes (reproducible)."""
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 0
    info.external_attr = 0
    return info


R = NAMESPACE.OFC_RELATIONSHIPS
"""Relationship ids inside parts (``r:id``)."""

DateTime = tuple[int, int, int, int, int, int]


def write_package(
    parts: Mapping[str, bytes], date_time: DateTime | Callable[[str], DateTime]
) -> bytes:
    """The one writer of Word packages: ``parts`` zipped in their order, reproducibly.

    ``date_time`` is every entry's time, or a function giving each entry's (by part name).
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for name, blob in parts.items():
            when = date_time(name) if callable(date_time) else date_time
            zout.writestr(zip_entry(name, when), blob)
    return out.getvalue()


def w(tag: str) -> str:
    """The Clark name of a WordprocessingML element or attribute."""
    return f"{{{W}}}{tag}"


class Styles:
    """Just enough of styles.xml to know a run's effective bold, italic, size and alignment."""

    def __init__(self, root: etree._Element) -> None:
        self.by_id: dict[str, etree._Element] = {}
        self.default_paragraph: str | None = None
        for style in root.iterfind("w:style", NS):
            sid = style.get(w("styleId"))
            if sid is None:
                continue
            self.by_id[sid] = style
            if style.get(w("type")) == "paragraph" and style.get(w("default")) in ("1", "true"):
                self.default_paragraph = sid
        self.defaults = root.find("w:docDefaults/w:rPrDefault/w:rPr", NS)

    def name(self, sid: str | None) -> str:
        style = self.by_id.get(sid or "")
        found = style.find("w:name", NS) if style is not None else None
        return found.get(w("val"), "") if found is not None else ""

    def chain(self, sid: str | None, props: str = "rPr") -> Iterator[etree._Element]:
        """The ``props`` (rPr or pPr) of a style and of the styles it is based on, nearest first."""
        seen: set[str] = set()
        while sid and sid not in seen and sid in self.by_id:
            seen.add(sid)
            style = self.by_id[sid]
            found = style.find(f"w:{props}", NS)
            if found is not None:
                yield found
            based = style.find("w:basedOn", NS)
            sid = based.get(w("val")) if based is not None else None

    def paragraph_style(self, paragraph: etree._Element | None) -> str | None:
        """The style id of ``paragraph`` (the default paragraph style when it names none)."""
        found = paragraph.find("w:pPr/w:pStyle", NS) if paragraph is not None else None
        return found.get(w("val")) if found is not None else self.default_paragraph

    def run_levels(self, run: etree._Element, psid: str | None) -> list[etree._Element]:
        """Where Word looks for a property of ``run``, nearest first.

        The run's own rPr, its character style chain, its paragraph style chain, the defaults.
        """
        rpr = run.find("w:rPr", NS)
        rstyle = rpr.find("w:rStyle", NS) if rpr is not None else None
        return [
            *([rpr] if rpr is not None else []),
            *self.chain(rstyle.get(w("val")) if rstyle is not None else None),
            *self.chain(psid),
            *([self.defaults] if self.defaults is not None else []),
        ]


def first_toggle(levels: list[etree._Element], tag: str) -> bool:
    """An on/off property (``w:b``, ``w:i``) as the nearest level that sets it says."""
    for rpr in levels:
        found = rpr.find(f"w:{tag}", NS)
        if found is not None:
            return found.get(w("val"), "true") not in ("0", "false", "off")
    return False


def first_val(levels: list[etree._Element], tag: str) -> int | None:
    """A numeric property (``w:sz``) from the nearest level that sets it."""
    for rpr in levels:
        found = rpr.find(f"w:{tag}", NS)
        if found is not None and (found.get(w("val")) or "").isdigit():
            return int(found.get(w("val")))
    return None
