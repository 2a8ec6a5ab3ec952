"""``kbc-docs validate``: check content files without rendering anything."""

from __future__ import annotations

import typer
from rich.markup import escape

from kbc_docs.cli.app import Files, Templates, app, out, reported
from kbc_docs.cli.translate import translation_hint
from kbc_docs.content.resolve import load_content
from kbc_docs.messages import msg


@app.command("validate")
def validate_command(files: Files, templates: Templates = None) -> None:
    """Check content files without rendering anything."""
    failures = 0
    for file in files:
        with reported(file) as failed:
            load_content(file, templates)
            out.print(f"[green]✓[/] {escape(msg('cli_valid', file=file))}")
        if failed[0]:
            translation_hint(file, templates)
        failures += failed[0]
    if failures:
        raise typer.Exit(1)
