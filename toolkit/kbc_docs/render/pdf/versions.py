"""A sequential document's language versions, each laid out as a document of its own.

In the sequential layout every language version is a ``<section class="version version-N">``
of the body that starts on a new page, with its own named pages and page counter
(``report.html``, ``signing.html``, :func:`~kbc_docs.render.pdf.html.head_css`): nothing of one
version's pages depends on another's. So the PDF producer lays each version out on its own
(:func:`keep_only`: the document with the other versions' sections taken out) and merges the
versions' PDFs (:mod:`~kbc_docs.render.pdf.merge`): two processes can lay out two versions at
once, and a warm process lays out again only the version whose text changed.

A document is split only when its body is exactly the versions' sections, in order, and
nothing in it is an anchor (an ``id`` or a link to ``#…``: WeasyPrint writes named
destinations for them, and a link must find its anchor in the same layout): a parallel
document (one table) or an office's template that puts anything else in the body, or links
within the document, stays one document.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree

import tinyhtml5

from kbc_docs import cache

__all__ = ["Version", "keep_only", "parts"]


def _sections(root: ElementTree.Element) -> list[ElementTree.Element] | None:
    """The body's version sections, if the body is exactly ``section.version-0``, ``-1``…
    (at least two) with nothing but white space between them and no anchor in it; else
    None."""
    body = root.find("body")
    if body is None or (body.text or "").strip():
        return None
    if any(e.get("id") is not None or (e.get("href") or "").startswith("#") for e in body.iter()):
        return None
    sections = list(body)
    for index, section in enumerate(sections):
        classes = (section.get("class") or "").split()
        if (
            section.tag != "section"
            or "version" not in classes
            or f"version-{index}" not in classes
            or (section.tail or "").strip()
        ):
            return None
    return sections if len(sections) >= 2 else None


@dataclass(frozen=True)
class Version:
    """One language version of a document to lay out on its own."""

    key: str
    """Its ``<head>`` and its own section: its PDF is a function of this key and of what the
    job gives every version (folders, images, names, date)."""
    size: int
    """The length of its section's markup: roughly how long its layout takes."""


def parts(html: str) -> list[Version]:
    """The language versions of ``html``, or an empty list if the document is not split."""
    root = tinyhtml5.parse(html, namespace_html_elements=False)
    sections = _sections(root)
    if sections is None:
        return []
    head = root.find("head")
    shared = ElementTree.tostring(head, encoding="unicode") if head is not None else ""
    found = []
    for index, section in enumerate(sections):
        markup = ElementTree.tostring(section, encoding="unicode")
        found.append(Version(cache.key(shared, str(index), markup), len(markup)))
    return found


def keep_only(root: ElementTree.Element, version: int) -> None:
    """Take every version's section but ``version``'s out of the parsed document ``root``.

    Raises IndexError if the document is not split (:func:`parts` found no versions).
    """
    sections = _sections(root)
    if sections is None or not 0 <= version < len(sections):
        raise IndexError(version)  # a caller's mistake: parts() found no such version
    body = root.find("body")
    assert body is not None
    for index, section in enumerate(sections):
        if index != version:
            body.remove(section)
