"""One export: the XLIFF file, the Word table and the glossary (TBX and tab-separated text)."""

from __future__ import annotations

import datetime as dt
import os

from kbc_docs.pipeline import output_name
from kbc_docs.translate.glossary import tab_separated, tbx
from kbc_docs.translate.table import write_table
from kbc_docs.translate.texts import Job, Unit
from kbc_docs.translate.xliff import write_xliff

FORMATS = ("xliff", "docx")


def export_time() -> dt.datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (reproducible exports for tests and archives)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(dt.UTC)


def export_files(job: Job, units: list[Unit], formats: tuple[str, ...]) -> dict[str, bytes]:
    """File name → bytes: ``<slug>_translate_vi-km.xlf`` / ``.docx`` and the TBX glossary."""
    languages = [job.source, job.target]
    when = export_time()
    outputs: dict[str, bytes] = {}
    if "xliff" in formats:
        outputs[output_name(job.slug, "translate", languages, "xlf")] = write_xliff(
            job, units, when
        )
    if "docx" in formats:
        outputs[output_name(job.slug, "translate", languages, "docx")] = write_table(
            job, units, when
        )
    title = f"kbc-docs glossary for {job.file.name} ({job.source} → {job.target})"
    outputs[output_name(job.slug, "glossary", languages, "tbx")] = tbx(
        job.glossary, job.source, job.target, title
    )
    outputs[output_name(job.slug, "glossary", languages, "txt")] = tab_separated(job.glossary)
    return outputs
