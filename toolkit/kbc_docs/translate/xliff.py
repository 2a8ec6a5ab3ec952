"""XLIFF 1.2 out, XLIFF 1.2 or 2.x back in.

XLIFF 1.2 is written because every tool the translators use reads it (see docs/translation.md:
Weblate's XLIFF 2 support is still marked as under development, memoQ and OmegaT have a
filter for each version, Trados reads 1.2 natively). One ``<trans-unit>`` per text: its field
path as ``id`` and ``resname``, the Vietnamese ``<source>``, the translation already in the file
as ``<target>`` (or a copy of the source, see :func:`_state`), notes giving the context and
the registry names, and the source's hash in an attribute of our own namespace (``kbc:hash``),
which XLIFF 1.2 allows on ``<trans-unit>``.

Reading accepts what CAT tools write back: ``<seg-source>`` with ``<mrk mtype="seg">``
segments, inline codes (``<g>``, ``<x/>``, ``<bpt>``…, whose native code is not text), XLIFF
2.x ``<segment>``/``<ignorable>`` and ``<pc>``/``<ph>``/``<cp>``, re-indented text. White space
is normalised the way the content file folds it.

The texts of the shared registry (parties', places' and people's names and titles, ids
``registry:…``) are in a ``<group restype="x-kbc-registry">`` of their own, each with a note
saying the translation goes into the registry. A file with a DOCTYPE is refused: its entities
could stand for any text (or, resolved, a local file); kbc-docs expands none, and a target
made of them must not pass for one left empty.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lxml import etree

from kbc_docs.errors import ContentError, Problem
from kbc_docs.messages import msg
from kbc_docs.translate import wording
from kbc_docs.translate.exchange import Returned, ReturnedFile, file_name, language
from kbc_docs.translate.state import normal
from kbc_docs.translate.texts import Job, Unit

XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
KBC = "urn:kbc-docs:translate:1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_BYTES = 20_000_000  # a conference's XLIFF is some 100 KB; memoQ/Trados add metadata


def write_xliff(job: Job, units: list[Unit], when: dt.datetime) -> bytes:
    """The XLIFF 1.2 file for ``units`` of ``job``."""
    q = f"{{{XLIFF12}}}"
    root = etree.Element(f"{q}xliff", version="1.2", nsmap={None: XLIFF12, "kbc": KBC})
    file = etree.SubElement(
        root,
        f"{q}file",
        {
            "original": job.file.name,
            "source-language": job.source,
            "target-language": job.target,
            "datatype": "plaintext",
            "date": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tool-id": "kbc-docs",
        },
    )
    header = etree.SubElement(file, f"{q}header")
    etree.SubElement(header, f"{q}tool", {"tool-id": "kbc-docs", "tool-name": "kbc-docs"})
    etree.SubElement(header, f"{q}note").text = wording.HEADER.format(file=job.file.name)
    body = etree.SubElement(file, f"{q}body")
    registry_group = registry_note = None
    for unit in units:
        parent = body
        if unit.in_registry:
            if registry_group is None:  # the registry's texts, marked as such for the tools
                registry_group = etree.SubElement(
                    body,
                    f"{q}group",
                    {"id": "registry", "resname": job.registry.name, "restype": "x-kbc-registry"},
                )
                registry_note = wording.REGISTRY_NOTE.format(file=job.registry.name)
                etree.SubElement(registry_group, f"{q}note").text = registry_note
            parent = registry_group
        attributes = {"id": unit.id, "resname": unit.id, f"{{{KBC}}}hash": unit.hash}
        if unit.state == "done":  # in the content file and up to date: the clerk's accepted text
            attributes["approved"] = "yes"
        element = etree.SubElement(parent, f"{q}trans-unit", attributes)
        etree.SubElement(element, f"{q}source", {XML_LANG: job.source}).text = unit.source
        target = etree.SubElement(
            element, f"{q}target", {XML_LANG: job.target, "state": _state(unit)}
        )
        target.text = unit.target or unit.source  # see _state
        etree.SubElement(element, f"{q}note", {"from": "kbc-docs"}).text = unit.context
        if registry_note and parent is registry_group:
            etree.SubElement(element, f"{q}note", {"from": "kbc-docs"}).text = registry_note
        if unit.state in ("changed", "review"):
            note = wording.CHANGED if unit.state == "changed" else wording.REVIEW
            etree.SubElement(element, f"{q}note", {"from": "kbc-docs"}).text = note
        if unit.terms:
            names = "; ".join(f"{t.source} = {t.target}" for t in unit.terms)
            note = wording.TERMS.format(names=names)
            etree.SubElement(element, f"{q}note", {"from": "kbc-docs"}).text = note
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _state(unit: Unit) -> str:
    """The ``state`` of a unit's ``<target>``.

    An untranslated text gets the Vietnamese copied into its target, marked
    ``needs-translation``: OmegaT's built-in XLIFF filter translates what ``<target>`` holds and
    skips a unit without one; the others show the state. A target sent back unchanged counts as
    left empty (:mod:`.merge`).
    """
    if not unit.target:
        return "needs-translation"
    return "translated" if unit.state == "done" else "needs-review-translation"


_CODE = {"ph", "bpt", "ept", "it", "sub"}  # native code (1.2; XLIFF 2's <ph/> is empty)
_EMPTY = {"x", "bx", "ex", "sc", "ec", "sm", "em"}  # placeholders without text


def text_of(element: etree._Element | None) -> str:
    """The plain text of a ``<source>`` or ``<target>``: inline codes dropped, text kept."""
    if element is None:
        return ""
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):  # a comment or a processing instruction
            parts.append(child.tail or "")
            continue
        name = etree.QName(child).localname
        if name == "cp":  # XLIFF 2: a character XML cannot hold
            code = child.get("hex", "")
            parts.append(chr(int(code, 16)) if code else "")
        elif name not in _CODE and name not in _EMPTY:
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_xliff(path: Path, data: bytes) -> ReturnedFile:
    """The units of a returned XLIFF file; a clear error for anything that is not one."""
    if len(data) > MAX_BYTES:
        raise ContentError([Problem(msg("tr_too_large", limit=MAX_BYTES), path)])
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise ContentError([Problem(msg("tr_xml_broken", reason=exc.msg), path, line)]) from None
    if root.getroottree().docinfo.doctype:  # entities are not expanded: refused, not "empty"
        line = data[: data.find(b"<!DOCTYPE")].count(b"\n") + 1
        raise ContentError([Problem(msg("tr_doctype"), path, line)])
    name = etree.QName(root)
    if name.localname != "xliff":
        raise ContentError(
            [Problem(msg("tr_not_xliff", tag=name.localname), path, root.sourceline)]
        )
    files = [e for e in root if isinstance(e.tag, str) and etree.QName(e).localname == "file"]
    if len(files) != 1:
        raise ContentError([Problem(msg("tr_xliff_files", count=len(files)), path)])
    if name.namespace == XLIFF2 or root.get("version", "").startswith("2"):
        return _read2(path, root, files[0])
    return _read12(path, files[0])


def _local(element: etree._Element, name: str) -> list[etree._Element]:
    return [
        e for e in element.iter() if isinstance(e.tag, str) and etree.QName(e).localname == name
    ]


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next(
        (e for e in element if isinstance(e.tag, str) and etree.QName(e).localname == name), None
    )


def _read12(path: Path, file: etree._Element) -> ReturnedFile:
    units = []
    for unit in _local(file, "trans-unit"):
        unit_id = unit.get("resname") or unit.get("id") or ""
        source, target = text_of(_child(unit, "source")), text_of(_child(unit, "target"))
        units.append(_returned(unit, unit_id, source, target))
    return _returned_file(
        file, file.get("source-language", ""), file.get("target-language", ""), units
    )


def _read2(path: Path, root: etree._Element, file: etree._Element) -> ReturnedFile:
    units = []
    for unit in _local(file, "unit"):
        sources, targets = [], []
        for part in unit:
            if not isinstance(part.tag, str):
                continue
            if etree.QName(part).localname in ("segment", "ignorable"):
                sources.append(text_of(_child(part, "source")))
                targets.append(text_of(_child(part, "target")))
        unit_id = unit.get("name") or unit.get("id") or ""
        units.append(_returned(unit, unit_id, "".join(sources), "".join(targets)))
    return _returned_file(file, root.get("srcLang", ""), root.get("trgLang", ""), units)


def _returned(unit: etree._Element, unit_id: str, source: str, target: str) -> Returned:
    """One translated unit, in either XLIFF version, with its line for messages."""
    return Returned(
        id=unit_id,
        source=normal(source),
        target=normal(target),
        hash=unit.get(f"{{{KBC}}}hash"),
        where=msg("tr_where_line", line=unit.sourceline),
    )


def _returned_file(
    file: etree._Element, source: str, target: str, units: list[Returned]
) -> ReturnedFile:
    """A translated file: its original's name, its two languages (checked) and its units."""
    return ReturnedFile(
        original=file_name(file.get("original", "")),
        source=language(source),
        target=language(target),
        units=units,
    )
