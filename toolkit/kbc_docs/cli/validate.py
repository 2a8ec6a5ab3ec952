"""``kbc-docs validate``: check content files without rendering anything."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from kbc_docs.cli.app import (
    Files,
    Strict,
    Templates,
    check_templates_option,
    command,
    err,
    out,
    reported,
    warnings_shown,
)
from kbc_docs.cli.translate import translation_hint
from kbc_docs.errors import NotContentError
from kbc_docs.messages import _, msg


@command(
    "validate",
    _("Check content files without rendering anything; list what is still to be completed."),
    "kbc-docs validate content/2023-11-16.yaml",
)
def validate_command(
    files: Files,
    templates: Templates = None,
    draft: Annotated[
        bool,
        typer.Option(
            "--draft", help=_("Accept missing translations (as build --draft would mark them).")
        ),
    ] = False,
    strict: Strict = False,
) -> None:
    from kbc_docs.content.resolve import load_content  # not loaded by the other commands
    from kbc_docs.render.pdf.glyphs import check_glyphs
    from kbc_docs.view import build_view

    check_templates_option(templates)
    failures = 0
    for file in files:
        with warnings_shown() as gaps, reported(file) as failed:
            try:
                resolved, locales = load_content(file, templates, draft=draft, strict=strict)
            except NotContentError:
                if len(files) == 1:  # named on its own: say what it is
                    raise
                # Among several (``content/*.yaml`` matches the registry too): as build does.
                err.print(f"  {msg('cli_skipped', file=file)}", markup=False)
                continue
            check_glyphs(file, resolved, build_view(resolved, locales))
            valid = msg("cli_valid_draft" if draft and gaps.count else "cli_valid", file=file)
            out.print(f"[green]✓[/] {escape(valid)}")
        gaps.summary()
        if gaps.count or gaps.todos or failed[0]:  # a todo may be a translation left ""
            translation_hint(file, templates)
        failures += bool(failed[0])
    if failures:
        raise typer.Exit(1)
