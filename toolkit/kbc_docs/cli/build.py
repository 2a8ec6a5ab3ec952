"""``kbc-docs build``: the report and signing pages of each content file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kbc_docs.batch import Outcome, build_all, default_jobs
from kbc_docs.cli.app import Files, Strict, Templates, app, err, out, print_problems
from kbc_docs.cli.translate import translation_hint
from kbc_docs.messages import msg
from kbc_docs.pipeline import BuildOptions


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
    force: Annotated[
        bool,
        typer.Option("--force", help="Build even the files whose inputs have not changed."),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Content files built at once (default: one per core).",
            show_default=False,
        ),
    ] = None,
    strict: Strict = False,
    allow_drift: Annotated[
        bool,
        typer.Option(
            "--allow-template-drift",
            help="Build even if the Word file and the PDF say different things (warn instead).",
        ),
    ] = False,
) -> None:
    """Build the report and signing pages (DOCX and PDF) of each content file."""
    formats = ("docx", "pdf") if fmt is FormatChoice.all else (fmt.value,)
    options = BuildOptions(
        out=out_dir,
        formats=formats,
        templates=templates,
        draft=draft,
        embed_fonts=embed,
        strict=strict,
        allow_template_drift=allow_drift,
    )
    failures = 0
    for outcome in build_all(files, options, jobs or default_jobs(), force):
        failures += show(outcome, templates)
    if failures:
        raise typer.Exit(1)


def show(outcome: Outcome, templates: Path | None = None) -> bool:
    """Print what became of one content file; whether it failed.

    Missing translations (marked in a draft, or the reason a build failed) get the command that
    exports them for a translator; ``templates`` is the ``--templates`` folder, for that command.
    """
    for warning in [*outcome.warnings, *outcome.todos, *outcome.drift, *outcome.notices]:
        err.print(f"  ⚠ {warning}", markup=False, style="yellow")
    if outcome.warnings:
        err.print(msg("cli_draft_gaps", count=len(outcome.warnings)), markup=False, style="yellow")
    if outcome.todos:
        err.print(msg("cli_todos", count=len(outcome.todos)), markup=False, style="yellow")
    if outcome.skipped:
        out.print(f"[dim]= {escape(msg('cli_up_to_date', file=outcome.file))}[/]")
    for path in outcome.written:
        out.print(f"[green]✓[/] {escape(str(path))}")
    if outcome.error is not None:
        print_problems(outcome.file, outcome.error)
    if outcome.warnings or outcome.error is not None:
        translation_hint(outcome.file, templates)
    if outcome.error is not None:
        err.print(f"  {msg('cli_nothing_written', file=outcome.file)}", markup=False)
    return outcome.error is not None
