"""Every build option, and whether a build with them would change anything.

Kept apart from :mod:`kbc_docs.pipeline` and light on purpose: ``kbc-docs build`` decides that
a file is up to date with this module, :mod:`kbc_docs.incremental` and the standard library
alone, so a no-op rebuild never loads the content checks or the renderers.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kbc_docs import incremental
from kbc_docs.templates.lookup import project_templates
from kbc_docs.write import LOCK_WAIT

Format = Literal["docx", "pdf"]


@dataclass(frozen=True)
class BuildOptions:
    """Every build option, shared by the CLI and the library."""

    out: Path = Path("build")
    formats: tuple[Format, ...] = ("docx", "pdf")
    # An office's template folder (--templates), searched before the defaults; the order is
    # decided by kbc_docs.templates.lookup.template_folders.
    templates: Path | None = None
    draft: bool = False  # build despite missing translations, marking each gap visibly
    strict: bool = False  # refuse a file that still has facts to be completed ({todo: …})
    embed_fonts: bool = True  # embed the Khmer/Lao fonts in the DOCX, for Word without them
    # Build even when the Word file and the PDF say different things (warn instead): for an
    # office that sends only one of the two while it moves its wording to the locale files.
    allow_template_drift: bool = False
    lock_wait: float = LOCK_WAIT  # seconds to wait for another build writing the same folder

    @property
    def fingerprint(self) -> str:
        """Everything in the options that decides the outputs, for :mod:`kbc_docs.incremental`.

        With the content file's bytes (its ``templates:`` folder) this decides the template
        folders too, so the current folder's ``./templates`` is part of it.
        """
        fields = dataclasses.asdict(self)
        fields.pop("out")  # part of the record's name instead
        fields.pop("lock_wait")  # how long to wait decides nothing in the outputs
        if self.templates is not None:
            fields["templates"] = self.templates.resolve()
        return repr((sorted(fields.items()), project_templates()))


def up_to_date(content_file: Path, options: BuildOptions) -> dict[str, list[str]] | None:
    """Whether :func:`kbc_docs.pipeline.build` would write exactly what the last build wrote
    (see :mod:`kbc_docs.incremental`).

    ``None`` if it would not; else the notes :func:`remember` kept of that build (its warnings).
    """
    return incremental.up_to_date(content_file, options.out, options.fingerprint)


def remember(content_file: Path, options: BuildOptions, notes: dict[str, list[str]]) -> None:
    """Keep ``notes`` (a build's warnings) with its record, to repeat them when it is skipped."""
    incremental.add_notes(content_file, options.out, notes)
