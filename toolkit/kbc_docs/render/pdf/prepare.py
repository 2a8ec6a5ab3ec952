"""The first step of a PDF: from the view to a :class:`~kbc_docs.render.pdf.job.PdfJob`.

Everything a PDF needs from the content is read here, in the build's process: the HTML (the
view through the template, checked), the signers' images, the names to keep on one line, the
metadata and where each signer signs. The job is plain data; producing the PDF from it
(:mod:`~kbc_docs.render.pdf.produce`) needs neither the view nor this module's imports, and
this module never imports WeasyPrint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from kbc_docs.render import DEFAULT_WHEN
from kbc_docs.render.pdf.html import (
    as_folders,
    check_no_tags,
    check_parallel,
    data_uris,
    render_html,
)
from kbc_docs.render.pdf.job import Metadata, PdfJob
from kbc_docs.text.fonts import check_fonts
from kbc_docs.text.segment import unsegment
from kbc_docs.view import DocumentView, Version

__all__ = ["metadata", "prepare_pdf"]


def prepare_pdf(
    view: DocumentView,
    template: str,
    templates: Path | list[Path],
    when: dt.datetime | None = None,
    *,
    sources: Mapping[str, bytes] | None = None,
    signature_fields: bool | None = None,
) -> PdfJob:
    """The job of rendering ``template`` for ``view``; see :func:`.render.render_pdf`.

    Raises :class:`FontError` if a font is missing and :class:`RenderError` if the template
    cannot be filled.
    """
    check_fonts(view)
    check_parallel(view)
    folders = as_folders(templates)
    html = render_html(view, template, folders)
    check_no_tags(html, view)
    if signature_fields is None:
        signature_fields = template == "signing.html"
    return PdfJob(
        template=template,
        html=html,
        folders=folders,
        when=when or DEFAULT_WHEN,
        metadata=metadata(view, template),
        names=kept_names(view),
        images=data_uris(view),
        sources=dict(sources or {}),
        signers=signers(view) if signature_fields else None,
    )


def kept_names(view: DocumentView) -> list[str]:
    """The names the layout keeps on one line where a line can hold them."""
    return [name for names in view.names.values() for name in names]


def metadata(view: DocumentView, template: str) -> Metadata:
    """The document's metadata from the view: title and subject in each of its languages.

    The issuing bodies are the authors, as their header lines name them in the first version
    (Decree 30's header); the keywords name the content file, the document and its languages.
    """
    versions: dict[str, Version] = {}
    for version in view.versions:
        versions.setdefault(version.lang, version)  # the first version of each language
    first = view.versions[0]
    return Metadata(
        titles={lang: unsegment(v.title) for lang, v in versions.items()},
        authors=[
            unsegment(" ".join(part for part in (b.superior, b.body) if part)) for b in first.bodies
        ],
        subjects={lang: unsegment(f"{v.kind} – {v.date_line}") for lang, v in versions.items()},
        keywords=[view.slug, Path(template).stem, *view.languages],
        languages=list(view.languages),
    )


def signers(view: DocumentView) -> dict[str, int]:
    """Party → index of the version where it stands earliest among the signers.

    A party's block stands on every language version's signing page; its signature field goes
    on the version in which it comes first: the alternat puts a version's own side first, so
    each leader signs on the page in their own language.
    """
    best: dict[str, tuple[int, int]] = {}
    for v_index, version in enumerate(view.versions):
        for position, signer in enumerate(version.signers):
            if signer.party not in best or position < best[signer.party][0]:
                best[signer.party] = (position, v_index)
    return {party: v_index for party, (_, v_index) in best.items()}
