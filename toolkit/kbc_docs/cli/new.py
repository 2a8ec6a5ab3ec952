"""``kbc-docs new``: this year's content file from last year's, or from a blank skeleton."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kbc_docs.cli.app import command, err, out, reported_or_exit
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
        if gaps.added:
            about = msg(
                "cli_new_registry_added",
                ids=_listed(gaps.added),
                source=gaps.copied_from,
            )
            out.print(f"[green]✓[/] {escape(str(gaps.completed))}: {escape(about)}")
        if gaps.lacking:
            lacking = msg(
                "cli_new_registry_lacks",
                registry=gaps.completed,
                ids=_listed(gaps.lacking),
                file=target,
            )
            err.print(f"⚠ {lacking}", markup=False, style="yellow")
        if gaps.blanks:
            out.print(msg("cli_new_blanks", count=gaps.blanks), markup=False)
        out.print(msg("cli_new_todo", count=gaps.todos, file=target), markup=False)
        out.print(msg("cli_new_draft", file=target), markup=False)


def _listed(ids: tuple[str, ...]) -> str:
    """``("parties.a", "parties.b", "people.c")`` as the registry's sections list them:
    ``parties: a, b; people: c``."""
    sections: dict[str, list[str]] = {}
    for full in ids:
        kind, entry_id = full.split(".", 1)
        sections.setdefault(kind, []).append(entry_id)
    return "; ".join(f"{kind}: {', '.join(found)}" for kind, found in sections.items())
