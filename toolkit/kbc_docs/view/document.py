"""The whole view: every language version of the report and the signing pages.

Both renderers (DOCX and PDF) see only a :class:`DocumentView`, and the templates only place its
strings on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kbc_docs.view import parallel
from kbc_docs.view.parallel import ParallelRow, ParallelSigner
from kbc_docs.view.version import FontStack, Version
from kbc_docs.view.walk import strings


@dataclass(frozen=True)
class DocumentView:
    """Everything the report and the signing pages show, for every language."""

    slug: str  # the content file's stem, used in output file names
    languages: list[str]
    layout: Literal["sequential", "parallel"]
    versions: list[Version]
    fonts: dict[str, FontStack]
    # The registry's names per language, kept on one line in the PDF where they fit (not text
    # of their own: every one printed is in ``versions``).
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def documents(self) -> tuple[str, ...]:
        """The documents this conference needs: the report, and the signing pages only where
        parties sign together (a report of one body is signed on its last page)."""
        joint = any(len(v.signers) > 1 for v in self.versions)
        return ("report", "signing") if joint else ("report",)

    def texts(self) -> list[str]:
        """Every string of the view in order: what both outputs must contain."""
        return list(strings(self.versions))

    def rows(self) -> list[ParallelRow]:
        """The body of a parallel document: paragraph ``i`` of every version on row ``i``.

        Columns follow ``versions`` (the content's ``languages``: Vietnamese first). Every
        version's body is built from the same content by the same code, so the bodies have the
        same length and roles; a mismatch would misalign the translations, so it is a
        ``ValueError``, as is a number of languages other than two.
        """
        return parallel.rows(self.versions)

    def parallel_signers(self) -> list[ParallelSigner]:
        """The one signing block of a parallel document: every party once, in every language.

        Parties stand in the order of the first (left-column) version, i.e. its alternat: the
        left column's own side signs on the left.
        """
        return parallel.signers(self.versions)
