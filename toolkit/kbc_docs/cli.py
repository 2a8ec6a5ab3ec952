"""The ``kbc-docs`` command: thin Typer functions over the library.

Exit codes: 0 everything written (or valid), 1 invalid content or a failed render, 2 usage
error (Typer's own). Known errors print as ``file:line:col field: message`` without a
traceback; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from kbc_docs import schema
from kbc_docs.errors import KbcError
from kbc_docs.pipeline import BuildOptions, build, default_templates
from kbc_docs.validate import load_content

app = typer.Typer(
    help="Bilingual review reports and signing pages for cross-border conferences.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# soft_wrap: a message stays on one line, so "file:line: field: message" can be grepped.
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class FormatChoice(StrEnum):
    docx = "docx"
    pdf = "pdf"
    all = "all"


@contextmanager
def reported(file: Path) -> Iterator[list[bool]]:
    """Print a known error for ``file`` and record the failure instead of raising."""
    failed = [False]
    try:
        yield failed
    except KbcError as exc:
        failed[0] = True
        err.print(f"[bold red]✗ {file}[/]: {len(exc.problems)} problem(s)")
        for problem in exc.problems:
            err.print(f"  {problem}", markup=False)


Files = Annotated[list[Path], typer.Argument(help="Content files (YAML).", show_default=False)]
Templates = Annotated[
    Path | None, typer.Option("--templates", help="Template folder (default: ./templates).")
]


@app.command("build")
def build_command(
    files: Files,
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("build"),
    fmt: Annotated[FormatChoice, typer.Option("--format", help="What to write.")] = (
        FormatChoice.all
    ),
    templates: Templates = None,
) -> None:
    """Build the report and signing pages (DOCX and PDF) of each content file."""
    formats = ("docx", "pdf") if fmt is FormatChoice.all else (fmt.value,)
    options = BuildOptions(out=out_dir, formats=formats, templates=templates or default_templates())
    failures = 0
    for file in files:
        with reported(file) as failed:
            for path in build(file, options):
                out.print(f"[green]✓[/] {path}")
        if failed[0]:
            failures += 1
            err.print(f"  nothing written for {file}; earlier outputs are untouched")
    if failures:
        raise typer.Exit(1)


@app.command("validate")
def validate_command(files: Files, templates: Templates = None) -> None:
    """Check content files without rendering anything."""
    failures = 0
    for file in files:
        with reported(file) as failed:
            load_content(file, templates or default_templates())
            out.print(f"[green]✓[/] {file} is valid")
        failures += failed[0]
    if failures:
        raise typer.Exit(1)


@app.command("schema")
def schema_command(
    what: Annotated[str, typer.Argument(help="'content' or 'registry'.")] = "content",
) -> None:
    """Print the JSON Schema of the content or registry format (for editor completion)."""
    models = {"content": schema.Content, "registry": schema.Registry}
    if what not in models:
        err.print(f"unknown schema '{what}': choose content or registry")
        raise typer.Exit(2)
    print(json.dumps(models[what].model_json_schema(), ensure_ascii=False, indent=2))


def main() -> None:
    """Console-script entry point."""
    app()
