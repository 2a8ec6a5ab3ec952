"""``kbc-docs templates check|eject|vars``: check, copy and list the templates."""

from __future__ import annotations

import logging
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kbc_docs.cli.app import (
    Templates,
    app,
    check_templates_option,
    command,
    out,
    reported,
    reported_or_exit,
)
from kbc_docs.messages import _
from kbc_docs.options import BuildOptions
from kbc_docs.templates.lookup import default_templates, template_folders

templates_app = typer.Typer(
    help=_("Check, copy and list the templates."), no_args_is_help=True, rich_markup_mode="rich"
)
app.add_typer(templates_app, name="templates")


ReportFormat = StrEnum("ReportFormat", ["text", "json"])


@command(
    "check",
    _("Report every problem in Word and HTML templates, with the place to find it."),
    "kbc-docs templates check my-templates",
    on=templates_app,
)
def templates_check_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help=_(
                "Templates, folders, or content files (.yaml: the templates building it "
                "uses). Default: the templates a build would use."
            )
        ),
    ] = None,
    templates: Templates = None,
    report_format: Annotated[
        ReportFormat, typer.Option("--format", help=_("text for people, json for scripts."))
    ] = ReportFormat.text,
) -> None:
    from kbc_docs.pipeline import template_files
    from kbc_docs.templates.lint import format_findings, lint_templates

    findings = []
    check_templates_option(templates)
    with reported(Path(str(templates or "templates"))) as failed:
        files: list[Path] = []
        for path in paths or [None]:
            if path is None or path.suffix.lower() in (".yaml", ".yml"):
                files += template_files(_build_folders(path, templates), BuildOptions().formats)
            else:
                files.append(path)
        findings = lint_templates(dict.fromkeys(files))
        print(format_findings(findings, as_json=report_format is ReportFormat.json))
    if failed[0] or any(f.severity == "error" for f in findings):
        raise typer.Exit(1)


def _build_folders(content: Path | None, templates: Path | None) -> list[Path]:
    """The template folders a build of ``content`` would use (without one: of any build).

    The content file is read as ``build --draft`` reads it (a missing translation does not
    matter here), so its own ``templates:`` folder counts exactly as in a build.
    """
    if content is None:
        return template_folders(templates)
    from kbc_docs.content.resolve import load_content

    logger = logging.getLogger("kbc_docs")
    quiet = logging.NullHandler()  # draft gaps are no template problem: not printed here
    logger.addHandler(quiet)
    try:
        resolved, _ = load_content(content, templates, draft=True)
    finally:
        logger.removeHandler(quiet)
    return resolved.templates


@command(
    "eject",
    _("Copy the default templates into DEST for an office to change (never overwrites)."),
    "kbc-docs templates eject my-templates",
    on=templates_app,
)
def templates_eject_command(
    dest: Annotated[Path, typer.Argument(help=_("Folder to copy the default templates into."))],
) -> None:
    from kbc_docs.templates.lookup import eject

    with reported_or_exit(dest):
        for path in eject(default_templates(), dest):
            out.print(f"[green]✓[/] {escape(str(path))}")


@command(
    "vars",
    _("List every variable a template can use (Markdown), generated from the view model."),
    "kbc-docs templates vars > variables.md",
    on=templates_app,
)
def templates_vars_command() -> None:
    from kbc_docs.templates.variables import template_vars

    print(template_vars())
