"""``kbc-docs build``: the report and signing pages of each content file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kbc_docs.cli.app import Files, Templates, app, err, out, reported, warnings_shown
from kbc_docs.cli.translate import translation_hint
from kbc_docs.messages import msg
from kbc_docs.pipeline import (
    BuildOptions,
    build,
)


class FormatChoice(StrEnum):
    docx = "docx"
    pdf = "pdf"
    all = "all"


@app.command("build")
def build_command(
    files: Files,
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("build"),
    fmt: Annotated[FormatChoice, typer.Option("--format", help="What to write.")] = (
        FormatChoice.all
    ),
    templates: Templates = None,
    draft: Annotated[
        bool,
        typer.Option(
            "--draft",
            help="Build even if translations are missing; mark each gap and the title as draft.",
        ),
    ] = False,
    embed: Annotated[
        bool,
        typer.Option(
            "--embed-fonts/--no-embed-fonts",
            help="Embed the Khmer/Lao fonts in the DOCX, for computers without them.",
        ),
    ] = True,
) -> None:
    """Build the report and signing pages (DOCX and PDF) of each content file."""
    formats = ("docx", "pdf") if fmt is FormatChoice.all else (fmt.value,)
    options = BuildOptions(
        out=out_dir,
        formats=formats,
        templates=templates,
        draft=draft,
        embed_fonts=embed,
    )
    failures = 0
    for file in files:
        with warnings_shown() as gaps, reported(file) as failed:
            for path in build(file, options):
                out.print(f"[green]✓[/] {escape(str(path))}")
        if gaps.count:
            err.print(msg("cli_draft_gaps", count=gaps.count), markup=False, style="yellow")
        if gaps.count or failed[0]:
            translation_hint(file, templates)
        if failed[0]:
            failures += 1
            err.print(f"  {msg('cli_nothing_written', file=file)}", markup=False)
    if failures:
        raise typer.Exit(1)
