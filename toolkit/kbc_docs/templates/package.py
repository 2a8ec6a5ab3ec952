"""Read a Word template's package safely: bounded in size, and nothing fetched from outside it.

A template may come from another office. Two things in it can hurt every recipient of every
document built from it, and neither shows on the page:

* **External content.** Word fetches some things when a document is opened: the attached
  template (``w:attachedTemplate`` pointing outside the file), pictures *linked* rather than
  stored, fields that include other files or talk to other programs (``INCLUDEPICTURE``,
  ``INCLUDETEXT``, ``LINK``, ``DDE``…), a mail-merge data source, and every relationship with
  ``TargetMode="External"`` (hyperlinks and linked objects among them). An address such as
  ``file://server/share`` makes Word connect to that server as the reader. The build refuses
  such a template and checks its own output the same way (:func:`external_references`).
* **Size.** A zip entry can unpack to a gigabyte from a few kilobytes. Sizes are read from the
  zip directory before any part is unpacked (:func:`read_package`); reading stops at the
  declared size, so a lying directory gains nothing.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lxml import etree

from kbc_docs.errors import Problem, TemplateError
from kbc_docs.messages import msg, size
from kbc_docs.render.docx.ooxml import W

__all__ = [
    "MAX_PART",
    "MAX_TOTAL",
    "ExternalReference",
    "external_references",
    "read_package",
]

MAX_PART = 32 * 1024 * 1024
"""The largest a part may unpack to: a big picture is a few MB, a document's XML far less."""
MAX_TOTAL = 64 * 1024 * 1024
"""The most the whole package may unpack to."""
MAX_ENTRIES = 2000
"""The most parts a package may hold (Word writes a few dozen)."""
MAX_RATIO = 100
"""The most a part over 1 MiB may shrink in the zip; text compresses ten-fold, bombs far more."""

_MIB = 1024 * 1024
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_O = "urn:schemas-microsoft-com:office:office"
_V = "urn:schemas-microsoft-com:vml"

# Field types that read another file or program when updated (Word updates some on opening):
# INCLUDE and IMPORT are the old names of INCLUDETEXT and INCLUDEPICTURE; RD reads a file for
# a table of contents or an index.
_FETCHING_FIELDS = (
    "INCLUDEPICTURE",
    "INCLUDETEXT",
    "INCLUDE",
    "IMPORT",
    "LINK",
    "DDEAUTO",
    "DDE",
    "RD",
)
_FIELD_RE = re.compile(r"^\s*(" + "|".join(_FETCHING_FIELDS) + r")\b\s*(.*)$", re.I | re.S)


@dataclass(frozen=True)
class ExternalReference:
    """Something in a package that points outside it, and where it is."""

    part: str  # the part it is in, e.g. ``word/document.xml``
    paragraph: int | None  # index of its paragraph among the part's w:p (document order)
    kind: str  # "hyperlink", "linked picture", "field"…: its message is external_<kind>
    target: str  # the address, or the field's code

    @property
    def message(self) -> str:
        """What it is and what to do, for a clerk."""
        message_id = "external_" + self.kind.replace(" ", "_").replace("-", "_")
        return msg(message_id, target=_short(self.target))


def read_package(path: Path) -> dict[str, bytes]:
    """Every part of the Word file ``path`` by name, size-checked before anything is unpacked.

    Raises :class:`TemplateError` naming each part that is too large or compressed like a zip
    bomb, or if ``path`` is not a zip file.
    """
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            problems = _size_problems(path, infos)
            if problems:
                raise TemplateError(problems)
            return {info.filename: z.read(info) for info in infos if not info.is_dir()}
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise TemplateError(msg("package_not_word", path=path, reason=exc)) from exc
    except RuntimeError as exc:  # an encrypted entry
        raise TemplateError(msg("package_not_word", path=path, reason=exc)) from exc


def _size_problems(path: Path, infos: list[zipfile.ZipInfo]) -> list[Problem]:
    hint = msg("package_hint")
    if len(infos) > MAX_ENTRIES:
        return [Problem(msg("package_parts", count=len(infos), limit=MAX_ENTRIES, hint=hint), path)]
    problems = []
    for info in infos:
        if info.file_size > MAX_PART:
            problems.append(
                Problem(
                    msg(
                        "package_part_size",
                        part=info.filename,
                        size=size(info.file_size),
                        limit=size(MAX_PART),
                        hint=hint,
                    ),
                    path,
                )
            )
        elif info.file_size > _MIB and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            problems.append(
                Problem(
                    msg(
                        "package_ratio",
                        part=info.filename,
                        ratio=info.file_size // max(info.compress_size, 1),
                        limit=MAX_RATIO,
                        hint=hint,
                    ),
                    path,
                )
            )
    total = sum(info.file_size for info in infos)
    if not problems and total > MAX_TOTAL:
        problems.append(
            Problem(msg("package_size", size=size(total), limit=size(MAX_TOTAL), hint=hint), path)
        )
    return problems


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- external references


def external_references(parts: dict[str, bytes]) -> list[ExternalReference]:
    """Everything in the package ``parts`` that makes Word read from outside the file."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    external = _external_relationships(parts, parser)
    found: list[ExternalReference] = []
    used: set[tuple[str, str]] = set()
    for name, blob in parts.items():
        if not name.endswith(".xml") or not name.startswith("word/"):
            continue
        try:
            root = etree.fromstring(blob, parser)
        except etree.XMLSyntaxError:
            continue  # reported as malformed by whoever needs the part
        index = {p: i for i, p in enumerate(root.iter(f"{{{W}}}p"))}
        targets = external.get(name, {})
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            for attr, rid in element.attrib.items():
                if not attr.startswith(f"{{{_R}}}") or rid not in targets:
                    continue
                used.add((name, rid))
                kind = _kind(element, attr)
                found.append(
                    ExternalReference(name, _paragraph(element, index), kind, targets[rid])
                )
            linked = element.get("Type") == "Link" and element.get(f"{{{_R}}}id") not in targets
            if element.tag == f"{{{_O}}}OLEObject" and linked:
                found.append(
                    ExternalReference(
                        name,
                        _paragraph(element, index),
                        "linked object",
                        element.get(f"{{{_R}}}id", ""),
                    )
                )
            if element.tag == f"{{{_V}}}imagedata" and element.get(f"{{{_O}}}href"):
                found.append(
                    ExternalReference(
                        name,
                        _paragraph(element, index),
                        "linked picture",
                        element.get(f"{{{_O}}}href", ""),
                    )
                )
            if element.tag == f"{{{W}}}mailMerge":
                source = element.find(f"{{{W}}}connectString")
                found.append(
                    ExternalReference(
                        name,
                        None,
                        "mail-merge data source",
                        source.get(f"{{{W}}}val", "") if source is not None else "",
                    )
                )
        found += _fields(name, root, index)
    for source, targets in external.items():
        for rid, target in targets.items():
            if (source, rid) not in used:
                found.append(ExternalReference(source, None, "external link", target))
    return found


def _external_relationships(
    parts: dict[str, bytes], parser: etree.XMLParser
) -> dict[str, dict[str, str]]:
    """Source part → {relationship id → target} of its relationships that leave the package."""
    out: dict[str, dict[str, str]] = {}
    for name, blob in parts.items():
        if not name.endswith(".rels"):
            continue
        rels = PurePosixPath(name)
        source = str(rels.parent.parent / rels.name.removesuffix(".rels"))
        try:
            root = etree.fromstring(blob, parser)
        except etree.XMLSyntaxError:
            continue
        for rel in root.iter(f"{{{_PKG_REL}}}Relationship"):
            if (rel.get("TargetMode") or "").lower() == "external":
                out.setdefault(source, {})[rel.get("Id", "")] = rel.get("Target", "")
    return out


def _kind(element: etree._Element, attr: str) -> str:
    local = etree.QName(element).localname
    if local == "hyperlink":
        return "hyperlink"
    if local == "attachedTemplate":
        return "attached template"
    if local in ("blip", "imagedata") or attr == f"{{{_R}}}link":
        return "linked picture"
    if local == "OLEObject":
        return "linked object"
    if local in ("dataSource", "headerSource", "src"):
        return "mail-merge data source"
    return "external link"


def _paragraph(element: etree._Element, index: dict[etree._Element, int]) -> int | None:
    if element in index:
        return index[element]
    return next((index[a] for a in element.iterancestors(f"{{{W}}}p") if a in index), None)


def _fields(
    name: str, root: etree._Element, index: dict[etree._Element, int]
) -> list[ExternalReference]:
    """Fields whose type reads from outside: simple fields and complex ones, nested too."""
    found = []
    for simple in root.iter(f"{{{W}}}fldSimple"):
        code = simple.get(f"{{{W}}}instr", "")
        if _FIELD_RE.match(code):
            found.append(ExternalReference(name, _paragraph(simple, index), "field", code.strip()))
    stack: list[tuple[list[str], etree._Element]] = []  # code pieces of each open field
    for node in root.iter(f"{{{W}}}fldChar", f"{{{W}}}instrText"):
        if node.tag == f"{{{W}}}instrText":
            if stack:
                stack[-1][0].append(node.text or "")
            continue
        kind = node.get(f"{{{W}}}fldCharType")
        if kind == "begin":
            stack.append(([], node))
        elif kind == "end" and stack:
            pieces, begin = stack.pop()
            code = "".join(pieces)
            if _FIELD_RE.match(code):
                found.append(
                    ExternalReference(name, _paragraph(begin, index), "field", code.strip())
                )
    return found
