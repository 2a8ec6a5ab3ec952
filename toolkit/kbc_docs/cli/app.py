"""The Typer application, its consoles and the one place known errors are printed.

Each command lives in its own module of this package and registers itself on :data:`app`;
:func:`reported` turns a :class:`~kbc_docs.errors.KbcError` into ``file:line:col: field: message``
lines on stderr, so no command prints a traceback for a known error.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from kbc_docs.errors import KbcError
from kbc_docs.messages import msg

app = typer.Typer(
    help="Bilingual review reports and signing pages for cross-border conferences.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


# soft_wrap: a message stays on one line, so "file:line: field: message" can be grepped.
# emoji=False: "file.yaml:100:9" must not print as "file.yaml💯9".
out = Console(highlight=False, soft_wrap=True, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


@contextmanager
def reported(file: Path) -> Iterator[list[bool]]:
    """Print a known error for ``file`` and record the failure instead of raising."""
    failed = [False]
    try:
        yield failed
    except KbcError as exc:
        failed[0] = True
        print_problems(file, exc)


def print_problems(file: Path, exc: KbcError) -> None:
    """``✗ file: N problems`` and one ``file:line:col: field: message`` line per problem."""
    count = msg("cli_problems", count=len(exc.problems))
    err.print(f"[bold red]✗ {escape(str(file))}[/]: {escape(count)}")
    for problem in exc.problems:
        err.print(f"  {problem}", markup=False)


class _Warnings(logging.Handler):
    """Prints the library's warnings (draft gaps, facts to be completed) on stderr and counts
    each kind."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0  # missing translations marked in a draft
        self.todos = 0  # facts to be completed, printed as dotted spaces

    def emit(self, record: logging.LogRecord) -> None:
        kind = getattr(record, "kbc_kind", "")
        if kind == "todo":
            self.todos += 1
        elif kind not in ("notice", "drift"):
            self.count += 1
        err.print(f"  ⚠ {record.getMessage()}", markup=False, style="yellow")

    def summary(self) -> None:
        """One line per kind of warning, after a file's own lines."""
        if self.count:
            err.print(msg("cli_draft_gaps", count=self.count), markup=False, style="yellow")
        if self.todos:
            err.print(msg("cli_todos", count=self.todos), markup=False, style="yellow")


@contextmanager
def warnings_shown() -> Iterator[_Warnings]:
    """Show the ``kbc_docs`` logger's warnings while the block runs."""
    handler = _Warnings()
    logger = logging.getLogger("kbc_docs")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


Files = Annotated[list[Path], typer.Argument(help="Content files (YAML).", show_default=False)]


Strict = Annotated[
    bool,
    typer.Option(
        "--strict", help="Refuse a file that still has facts to be completed ({todo: …})."
    ),
]


Templates = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        help="An office's template folder, searched before the defaults (default: ./templates).",
    ),
]


def version_callback(value: bool) -> None:
    if value:
        from importlib.metadata import version

        print(f"kbc-docs {version('kbc-docs')}")
        raise typer.Exit()


@app.callback()
def common(
    show_version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True)
    ] = False,
) -> None:
    """Bilingual review reports and signing pages for cross-border conferences."""


def main() -> None:
    """Console-script entry point."""
    app()
