"""``kbc-docs translate export|import``: the translator's round trip (:mod:`kbc_docs.translate`).

Exit codes as for the other commands: 0 done, 1 a known error (nothing written), 2 usage.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kbc_docs.cli.app import (
    ContentFile,
    OutDir,
    Templates,
    app,
    command,
    err,
    out,
    reported_or_exit,
)
from kbc_docs.errors import KbcError
from kbc_docs.messages import _, msg
from kbc_docs.write import write_outputs

translate_app = typer.Typer(
    help=_("Send texts to a translator (XLIFF or a Word table) and merge the translations back."),
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.add_typer(translate_app, name="translate")


ExportFormat = StrEnum("ExportFormat", ["xliff", "docx", "all"])


@command(
    "export",
    _("Write the texts of FILE for a translator: XLIFF, a Word table and a TBX glossary."),
    "kbc-docs translate export content/2023-11-16.yaml --to km",
    on=translate_app,
)
def export_command(
    file: ContentFile,
    to: Annotated[str, typer.Option("--to", help=_("The language to translate into (km, lo)."))],
    only_missing: Annotated[
        bool,
        typer.Option(
            "--only-missing",
            help=_(
                "Only texts without a translation, or whose Vietnamese changed since the "
                "last import."
            ),
        ),
    ] = False,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help=_("xliff for a CAT tool, docx for Word."))
    ] = ExportFormat.all,
    out_dir: OutDir = Path("build"),
    templates: Templates = None,
) -> None:
    from kbc_docs.translate.export import FORMATS, export_files
    from kbc_docs.translate.texts import collect

    with reported_or_exit(file):
        job = collect(file, to, templates)
        units = job.missing if only_missing else job.units
        if not units:
            out.print(f"[green]✓[/] {escape(msg('tr_nothing', lang=to))}")
            return
        formats = FORMATS if fmt is ExportFormat.all else (fmt.value,)
        for path in write_outputs(out_dir / job.slug, export_files(job, units, formats)):
            out.print(f"[green]✓[/] {escape(str(path))}")
        summary = msg("tr_exported", count=len(units), lang=to, missing=len(job.missing))
        out.print(f"  {escape(summary)}")
        names = sum(unit.in_registry for unit in units)
        if names:
            shared = msg("tr_exported_registry", count=names, registry=job.registry)
            out.print(f"  {escape(shared)}")


@command(
    "import",
    _("Merge the translations of TRANSLATED into FILE, keeping its comments and layout."),
    "kbc-docs translate import content/2023-11-16.yaml build/2023-11-16/km.xlf",
    on=translate_app,
)
def import_command(
    file: ContentFile,
    translated: Annotated[
        Path, typer.Argument(help=_("The translated .xlf or .docx file."), show_default=False)
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Report what would change; write nothing."))
    ] = False,
    templates: Templates = None,
) -> None:
    from kbc_docs.translate.merge import import_translations

    with reported_or_exit(translated):
        report = import_translations(file, translated, templates, dry_run=dry_run)
        for problem in report.review:
            err.print(f"  ⚠ {problem}", markup=False, style="yellow")
        counts = {
            "filled": len(report.filled),
            "changed": len(report.changed),
            "unchanged": len(report.unchanged),
            "empty": len(report.empty),
            "review": len(report.review),
        }
        mark = "[green]✓[/]" if not report.review else "[yellow]⚠[/]"
        out.print(f"{mark} {escape(str(file))}: {escape(msg('tr_report', **counts))}")
        for unit_id in report.filled + report.changed:
            out.print(f"  {escape(unit_id)}", style="dim")
        if report.registry is not None:
            into = msg(
                "tr_report_registry",
                registry=report.registry,
                filled=len(report.in_registry(report.filled)),
                changed=len(report.in_registry(report.changed)),
            )
            out.print(f"  {escape(into)}")
        if dry_run:
            out.print(f"  {escape(msg('tr_dry_run'))}")
        elif report.still_missing:
            left = msg(
                "tr_still_missing", count=report.still_missing, lang=report.target, file=file
            )
            out.print(f"  {escape(left)}")
        else:
            out.print(f"  {escape(msg('tr_complete', lang=report.target, file=file))}")


def translation_hint(file: Path, templates: Path | None) -> None:
    """After validate or build found gaps: the export command that sends them to a translator."""
    from kbc_docs.content import schema
    from kbc_docs.content.load import load_yaml
    from kbc_docs.translate.texts import as_written, collect, source_language

    try:
        languages = as_written(load_yaml(file), schema.Content).document.languages
        for lang in languages:
            if lang == source_language(languages):
                continue
            gaps = collect(file, lang, templates).gaps  # the content's and the registry's
            if gaps:
                hint = msg("tr_hint", count=len(gaps), lang=lang, file=file)
                err.print(f"→ {hint}", markup=False, style="cyan")
    except (KbcError, ValueError):
        return  # other problems come first; the hint waits until they are fixed
