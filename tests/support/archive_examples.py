"""Helpers of the archival-PDF and signature tests: the examples rendered as the build will.

The pipeline does not pass the source files to the renderer yet, so the examples are rendered
here exactly as it is meant to: the content file's bytes and the registry entries it used
(:func:`kbc_docs.content.references.registry_excerpt`) as ``sources``, the signing date as ``when``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from kbc_docs.content.resolve import load_content
from kbc_docs.pipeline import document_time, source_files
from kbc_docs.render.pdf.render import render_pdf
from kbc_docs.text.segment import PARTNER_LETTERS
from kbc_docs.view import DocumentView, build_view

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "toolkit/kbc_docs/data/templates"
CONTENT = ROOT / "content"
EXAMPLES = {"km": CONTENT / "2023-11-16.yaml", "lo": CONTENT / "2024-10-08-attapeu-sekong.yaml"}


@dataclass(frozen=True)
class Example:
    """One example content file, its view and its two PDFs."""

    content: Path
    view: DocumentView
    sources: dict[str, bytes]
    report: bytes
    signing: bytes


@functools.cache
def example(partner: str) -> Example:
    """The example with the partner language ``partner`` (``km`` or ``lo``), rendered once."""
    content = EXAMPLES[partner]
    resolved, locales = load_content(content, TEMPLATES)
    view = build_view(resolved, locales)
    sources = source_files(content, resolved)
    when = document_time(resolved.content.signing.date)
    return Example(
        content=content,
        view=view,
        sources=sources,
        report=render_pdf(view, "report.html", TEMPLATES, when, sources=sources),
        signing=render_pdf(view, "signing.html", TEMPLATES, when, sources=sources),
    )


def partner_paragraphs(view: DocumentView, document: str) -> list[str]:
    """The Khmer and Lao strings a document prints: what must be searchable."""
    return [s for v in view.versions for s in v.printed(document) if PARTNER_LETTERS.search(s)]


def vietnamese_paragraphs(view: DocumentView, document: str) -> list[str]:
    return [s for v in view.versions if v.lang == "vi" for s in v.printed(document)]


def squeeze(text: str) -> str:
    return re.sub(r"[\s\u200b\u2060]+", "", text)
