"""``kbc-docs new``: this year's content file from last year's, or from a blank skeleton."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kbc_docs.cli.app import command, out, reported_or_exit
from kbc_docs.messages import _, msg


@command(
    "new",
    _(
        "Start a content file: from an earlier one (same parties and signers; dates, figures and "
        "results marked to be completed; the period one step on), or from a blank skeleton. "
        "Where its folder has no registry, one is written beside it."
    ),
    "kbc-docs new content/2024-11-20.yaml --from content/2023-11-16.yaml",
)
def new_command(
    target: Annotated[Path, typer.Argument(help=_("The new content file to write."))],
    earlier: Annotated[
        Path | None,
        typer.Option("--from", help=_("An earlier content file of the same conferences.")),
    ] = None,
) -> None:
    from kbc_docs.content.new import new_content

    with reported_or_exit(target):
        gaps = new_content(target, earlier)
        out.print(f"[green]✓[/] {escape(str(target))}")
        if gaps.registry is not None:
            about = (
                msg("cli_new_registry")
                if earlier is None
                else msg("cli_new_registry_copied", earlier=earlier)
            )
            out.print(f"[green]✓[/] {escape(str(gaps.registry))}: {escape(about)}")
        if gaps.blanks:
            out.print(msg("cli_new_blanks", count=gaps.blanks), markup=False)
        out.print(msg("cli_new_todo", count=gaps.todos, file=target), markup=False)
        out.print(msg("cli_new_draft", file=target), markup=False)
