"""Checks of a Word template, part by part: the package, each part's tags, hazards, properties.

Each part (``body``, ``header1``…) gets the tag checks of :mod:`.docx_tags` (where docxtpl's
tags work, text they would drop: :mod:`.dropped`) and the hazards of :mod:`.hazards`, located by
:mod:`.paragraphs`; docxtpl's own pre-processing is run on every part last.
"""

from __future__ import annotations

import contextlib
import re
import typing
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

from kbc_docs.errors import TemplateError
from kbc_docs.messages import msg
from kbc_docs.render.docx.ooxml import Styles, w
from kbc_docs.templates.lint.blocks import check_unit
from kbc_docs.templates.lint.docx_tags import check_part
from kbc_docs.templates.lint.hazards import format_hazards, section_hazards
from kbc_docs.templates.lint.html import sorted_findings
from kbc_docs.templates.lint.paragraphs import Paragraphs
from kbc_docs.templates.lint.scanner import (
    OPEN_RE,
    Finding,
    Where,
    scan,
    short,
)
from kbc_docs.templates.package import ExternalReference, external_references, read_package

_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")


_PROPERTIES = {  # core properties docxtpl renders as templates, by element
    "{http://purl.org/dc/elements/1.1/}title": "title",
    "{http://purl.org/dc/elements/1.1/}subject": "subject",
    "{http://purl.org/dc/elements/1.1/}creator": "author",
    "{http://purl.org/dc/elements/1.1/}description": "comments",
    "{http://purl.org/dc/elements/1.1/}identifier": "identifier",
    "{http://purl.org/dc/elements/1.1/}language": "language",
}


def check_docx(path: Path) -> list[Finding]:
    try:
        package = read_package(path)
    except TemplateError as exc:
        return [Finding("error", "", "", "", problem.message) for problem in exc.problems]
    parts = [(n, b) for n, b in package.items() if _PART.match(n)]
    core = package.get("docProps/core.xml")
    out: list[Finding] = []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    styles = None
    with contextlib.suppress(KeyError, etree.XMLSyntaxError):
        styles = Styles(etree.fromstring(package["word/styles.xml"], parser))
    external = external_references(package)
    for ref in external:
        if not _PART.match(ref.part):
            label = PurePosixPath(ref.part).stem
            out.append(
                Finding(
                    "error", label, "", "", msg("lint_in_part", message=ref.message, part=ref.part)
                )
            )
    parts.sort(key=lambda item: (not item[0].endswith("document.xml"), item[0]))
    for name, blob in parts:
        label = _PART.match(name).group(1)  # type: ignore[union-attr]
        label = "body" if label == "document" else label
        try:
            root = etree.fromstring(blob, parser)
        except etree.XMLSyntaxError as exc:
            out.append(Finding("error", label, "", "", msg("lint_bad_xml", part=name, reason=exc)))
            continue
        scope = root.find(w("body")) if label == "body" else root
        if scope is None:
            continue
        part_findings: list[Finding] = []
        check_part(scope, label, part_findings)
        part_findings += _hazards(scope, label, name, styles, external)
        if not any(f.severity == "error" for f in part_findings):
            part_findings += _docxtpl_dry_run(scope, label)
        out += sorted_findings(part_findings)
    if core is not None:
        out += _check_properties(core)
    return out


def _hazards(
    scope: etree._Element,
    label: str,
    name: str,
    styles: Styles | None,
    external: list[ExternalReference],
) -> list[Finding]:
    """External content and the structure an editor can break (:mod:`.hazards`)."""
    paragraphs = Paragraphs.of(scope)
    everything = list(scope.getroottree().getroot().iter(w("p")))
    out = []
    for ref in external:
        if ref.part == name:
            p = everything[ref.paragraph] if ref.paragraph is not None else None
            out.append(paragraphs.where(label, p).finding("error", ref.message))
    hazards = format_hazards(scope)
    if label == "body":
        hazards = section_hazards(scope, styles) + hazards
    for p, severity, message in hazards:
        out.append(paragraphs.where(label, p).finding(severity, message))  # type: ignore[arg-type]
    return out


def _check_properties(core: bytes) -> list[Finding]:
    """docxtpl renders some document properties (File › Info) as templates too."""
    out: list[Finding] = []
    try:
        root = etree.fromstring(core)
    except etree.XMLSyntaxError:
        return out
    for element in root:
        label = _PROPERTIES.get(element.tag)
        text = element.text or ""
        if label is None or not OPEN_RE.search(text):
            continue
        where = Where("properties", msg("lint_property", name=label), short(text, 100))
        tags = scan(text, lambda _offset, where=where: where, out)
        check_unit(tags, "docx", out)
    return out


def _docxtpl_dry_run(scope: etree._Element, label: str) -> list[Finding]:
    """Run docxtpl's own pre-processing and check that the result is still a document.

    This catches whatever the checks above do not know about: if docxtpl's regular
    expressions would cut the XML apart, the tags are removed and the rest must parse.
    """
    from docxtpl import DocxTemplate

    xml = etree.tostring(scope, encoding="unicode")
    try:
        patched = DocxTemplate.patch_xml(typing.cast(Any, None), xml)
    except Exception as exc:
        return [Finding("error", label, "", "", msg("lint_docxtpl_cannot", reason=exc))]
    stripped = re.sub(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", "", patched, flags=re.S)
    try:
        etree.fromstring(stripped.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        flat = stripped.splitlines()
        offset = sum(len(s) + 1 for s in flat[: line - 1]) + column
        near = re.sub(r"<[^>]*>", "", stripped[max(0, offset - 600) : offset + 200])
        return [
            Finding(
                "error",
                label,
                "",
                short(near[-100:], 100),
                msg("lint_docxtpl_corrupt", reason=exc.msg),
            )
        ]
    return []
