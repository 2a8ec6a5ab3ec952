"""``kbc-docs build``: the report and signing pages of each content file.

Several files show a progress bar naming a file being built (on a terminal only), one ``✓``
line per built file with its outputs, and one summary line: built, failed, skipped (up to date,
or a registry among the files: ``content/*.yaml`` matches it), time.
"""

from __future__ import annotations

import os
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kbc_docs.batch import Outcome, build_all, default_jobs
from kbc_docs.cli.app import (
    Draft,
    Files,
    OutDir,
    Strict,
    Templates,
    check_templates_option,
    command,
    err,
    out,
    print_problems,
    show_notices,
)
from kbc_docs.cli.translate import translation_hint
from kbc_docs.errors import KbcError, NotContentError, OutputError, Problem
from kbc_docs.messages import _, msg, number
from kbc_docs.options import BuildOptions
from kbc_docs.write import LOCK_WAIT, folder_name

FormatChoice = StrEnum("FormatChoice", ["docx", "pdf", "all"])


def _progress() -> Progress:
    """A progress bar on stderr naming a file being built; drawn only on a terminal."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,  # else rich leaves an empty line in a log
    )


@command(
    "build",
    _("Build the report and signing pages (DOCX and PDF) of each content file."),
    "kbc-docs build content/*.yaml --open",
    exit_codes=_(
        "Exit codes: 0 done; 1 a file is invalid or could not be built; 2 usage error; "
        "3 another build kept the output folder busy; 130 interrupted (Ctrl-C)."
    ),
)
def build_command(
    files: Files,
    out_dir: OutDir = Path("build"),
    fmt: Annotated[FormatChoice, typer.Option("--format", help=_("What to write."))] = (
        FormatChoice.all
    ),
    templates: Templates = None,
    draft: Draft = False,
    embed: Annotated[
        bool,
        typer.Option(
            "--embed-fonts/--no-embed-fonts",
            help=_("Embed the Khmer/Lao fonts in the DOCX, for computers without them."),
        ),
    ] = True,
    strict: Strict = False,
    force: Annotated[
        bool,
        typer.Option("--force", help=_("Build even the files whose inputs have not changed.")),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            metavar=_("NUMBER"),
            help=_("Content files built at once (default: one per core)."),
            show_default=False,
        ),
    ] = None,
    allow_drift: Annotated[
        bool,
        typer.Option(
            "--allow-template-drift",
            help=_("Build even if the Word file and the PDF say different things (warn instead)."),
        ),
    ] = False,
    open_pdf: Annotated[
        bool,
        typer.Option("--open", help=_("Open each built report PDF in the system's PDF viewer.")),
    ] = False,
    lock_wait: Annotated[
        float,
        typer.Option(
            "--wait",
            min=0,
            metavar=_("SECONDS"),
            help=_(
                "Seconds to wait for another build writing the same output folder "
                "(default: {seconds})."
            ).format(seconds=number(LOCK_WAIT)),
            show_default=False,
        ),
    ] = LOCK_WAIT,
) -> None:
    from kbc_docs import early
    from kbc_docs.viewer import open_in_viewer

    formats = ("docx", "pdf") if fmt is FormatChoice.all else (fmt.value,)
    options = BuildOptions(
        out=out_dir,
        formats=formats,
        templates=templates,
        draft=draft,
        embed_fonts=embed,
        strict=strict,
        allow_template_drift=allow_drift,
        lock_wait=lock_wait,
    )
    check_templates_option(templates)
    files = one_output_folder_each(files)
    show_notices()
    started = time.monotonic()
    outcomes: list[Outcome] = []
    worst = 0
    with _progress() as progress:
        task = progress.add_task(escape(str(files[0])), total=len(files))
        waiting = list(files)
        ready = early.take()  # the PDF worker the entry point started, if it did
        # A file the entry point saw changed is not up to date: no need to check again.
        force = force or (len(files) == 1 and early.outdated(files[0], out_dir))
        for outcome in build_all(files, options, jobs or default_jobs(), force, ready):
            outcomes.append(outcome)
            worst = max(worst, show(outcome, templates))
            waiting.remove(outcome.file)
            # The first file not finished: the one being built, or one of those when in parallel.
            progress.update(task, advance=1, description=escape(str(waiting[0] if waiting else "")))
    built = [o for o in outcomes if o.written]
    skipped = sum(_skipped(o) for o in outcomes)
    failed = sum(o.error is not None and not _skipped(o) for o in outcomes)
    seconds = round(time.monotonic() - started, 1)
    summary = msg("cli_summary", built=len(built), failed=failed, skipped=skipped, seconds=seconds)
    out.print(summary, markup=False, style="bold red" if failed else "bold")
    if open_pdf:
        for outcome in built:
            for pdf in (p for p in outcome.written if p.suffix == ".pdf" and "_report_" in p.name):
                if not open_in_viewer(pdf):
                    err.print(msg("cli_no_viewer", file=pdf), markup=False)
    if worst:
        raise typer.Exit(worst)


def one_output_folder_each(files: list[Path]) -> list[Path]:
    """``files`` without repeats; exit before anything is written if two share an output folder.

    ``a/2023.yaml`` and ``b/2023.yaml`` (or ``Hội.yaml`` and ``Hoi.yaml``) would write the same
    outputs, the second silently replacing the first's.
    """
    seen: dict[str, Path] = {}
    unique: list[Path] = []
    clashes = False
    for file in files:
        try:
            name = folder_name(file)
        except KbcError:
            unique.append(file)  # reported when it is built
            continue
        first = seen.setdefault(name.casefold(), file)  # Windows and macOS fold case
        if first is file:
            unique.append(file)
        elif os.path.realpath(first) != os.path.realpath(file):  # the same file twice: once
            clashes = True
            message = msg("same_output_folder", first=first, second=file, name=name)
            print_problems(file, OutputError([Problem(message, file)]))
    if clashes:
        err.print(msg("cli_nothing_written_at_all"), markup=False)
        raise typer.Exit(1)
    return unique


def _skipped(outcome: Outcome) -> bool:
    """Up to date, or not a conference file (a registry among ``content/*.yaml``)."""
    return outcome.skipped or isinstance(outcome.error, NotContentError)


def show(outcome: Outcome, templates: Path | None = None) -> int:
    """Print what became of one content file, in one line unless it failed; its exit code.

    Missing translations (marked in a draft, or the reason a build failed) get the command that
    exports them for a translator; ``templates`` is the ``--templates`` folder, for that command.
    """
    for warning in [*outcome.warnings, *outcome.todos, *outcome.drift, *outcome.notices]:
        err.print(f"  ⚠ {warning}", markup=False, style="yellow")
    if outcome.warnings:
        err.print(msg("cli_draft_gaps", count=len(outcome.warnings)), markup=False, style="yellow")
    if outcome.todos:
        err.print(msg("cli_todos", count=len(outcome.todos)), markup=False, style="yellow")
    if isinstance(outcome.error, NotContentError):
        err.print(f"  {msg('cli_skipped', file=outcome.file)}", markup=False)
        return 0
    if outcome.skipped:
        out.print(f"[dim]= {escape(msg('cli_up_to_date', file=outcome.file))}[/]")
    if outcome.written:
        names = ", ".join(p.name for p in outcome.written)
        folder = outcome.written[0].parent
        out.print(f"[green]✓[/] {escape(str(folder))}{os.sep}: {escape(names)}")
    if outcome.error is not None:
        print_problems(outcome.file, outcome.error)
    if outcome.warnings or outcome.error is not None:
        translation_hint(outcome.file, templates)
    if outcome.error is not None:
        err.print(f"  {msg('cli_nothing_written', file=outcome.file)}", markup=False)
        return outcome.error.exit_code
    return 0
