"""The Typer application, its consoles and the one place known errors are printed.

Each command lives in its own module of this package and registers itself on :data:`app`;
:func:`reported` turns a :class:`~kbc_docs.errors.KbcError` into ``file:line:col: field: message``
lines on stderr, so no command prints a traceback for a known error.

Every text (help, messages, Click's and Typer's own words) comes from the gettext catalogue
(:mod:`kbc_docs.messages`): Vietnamese under a Vietnamese locale, English otherwise. Help texts
are translated when the program starts, as in any gettext program; each command's help ends
with an example and its exit codes (:func:`epilog`).
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from kbc_docs.errors import KbcError
from kbc_docs.messages import _, msg, use_for_click
from kbc_docs.write import signals_to_catch, stop_writing

use_for_click()

CommandFunction = TypeVar("CommandFunction", bound=Callable[..., Any])

EXIT_CODES = _("Exit codes: 0 done; 1 a file is invalid or could not be built; 2 usage error.")


def epilog(example: str, exit_codes: str = EXIT_CODES) -> str:
    """The end of a command's help: an example to copy and the exit codes."""
    label = _("Example:")
    return f"{label} [bold]{escape(example)}[/]\n\n{exit_codes}"


app = typer.Typer(
    help=_("Bilingual review reports and signing pages for cross-border conferences."),
    epilog=epilog("kbc-docs build content/2023-11-16.yaml"),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def command(
    name: str,
    help: str,
    example: str,
    *,
    exit_codes: str = EXIT_CODES,
    on: typer.Typer = app,
) -> Callable[[CommandFunction], CommandFunction]:
    """Register a command on ``on`` (the app or a command group): every command's help ends
    with an example to copy and its exit codes, so the decorator is written once, here."""
    return on.command(name, help=help, epilog=epilog(example, exit_codes))


# soft_wrap: a message stays on one line, so "file:line: field: message" can be grepped.
# emoji=False: "file.yaml:100:9" must not print as "file.yaml💯9".
out = Console(highlight=False, soft_wrap=True, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


@contextmanager
def reported(file: Path) -> Iterator[list[int]]:
    """Print a known error for ``file`` and record its exit code instead of raising.

    ``failed[0]`` stays 0 while all is well, else it is the error's exit code (1, or 3 when
    another build kept the output folder locked).
    """
    failed = [0]
    try:
        yield failed
    except KbcError as exc:
        failed[0] = exc.exit_code
        print_problems(file, exc)


@contextmanager
def reported_or_exit(file: Path) -> Iterator[None]:
    """:func:`reported` for a command of one file: when it failed, the command ends there
    with exit code 1."""
    with reported(file) as failed:
        yield
    if failed[0]:
        raise typer.Exit(1)


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


class _Notices(logging.Handler):
    """Prints the library's notices (such as waiting for another build's lock) as they come."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.WARNING:  # warnings are counted and shown by the command
            err.print(f"  … {record.getMessage()}", markup=False)


def show_notices() -> None:
    """Print the ``kbc_docs`` logger's notices on stderr from now on (this process)."""
    logger = logging.getLogger("kbc_docs")
    if not any(isinstance(h, _Notices) for h in logger.handlers):
        logger.addHandler(_Notices())
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)


def check_templates_option(templates: Path | None) -> None:
    """``--templates`` must name a folder: a typo must not build silently with the defaults."""
    from kbc_docs.templates.lookup import check_template_folder

    if templates is None:
        return
    with reported(templates) as failed:
        check_template_folder(templates)
    if failed[0]:
        raise typer.Exit(failed[0])


Files = Annotated[list[Path], typer.Argument(help=_("Content files (YAML)."), show_default=False)]


ContentFile = Annotated[
    Path, typer.Argument(help=_("The content file (YAML)."), show_default=False)
]


OutDir = Annotated[Path, typer.Option("--out", help=_("Output folder."))]
"""``--out``, the folder outputs go in (default ``build``)."""


Draft = Annotated[
    bool,
    typer.Option(
        "--draft",
        help=_("Build even if translations are missing; mark each gap and the title as draft."),
    ),
]


Strict = Annotated[
    bool,
    typer.Option(
        "--strict", help=_("Refuse a file that still has facts to be completed ({todo: …}).")
    ),
]


Templates = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        help=_("An office's template folder, searched before the defaults (default: ./templates)."),
    ),
]


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        print(f"kbc-docs {version('kbc-docs')}")
        raise typer.Exit()


@app.callback()
def common(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show_version,
            is_eager=True,
            help=_("Show the version and exit."),
        ),
    ] = False,
) -> None:
    pass


COMPLETION_HELP = {
    "install_completion": _("Install completion for the current shell."),
    "show_completion": _(
        "Show completion for the current shell, to copy it or customize the installation."
    ),
}
"""Typer's completion options, whose help Typer does not pass through gettext."""


class Interrupted(BaseException):
    """Ctrl-C or a termination signal, raised past Click's own handler (which stays silent)."""


def _interrupt(signum: int, frame: object) -> None:
    raise stop_writing(Interrupted(signum))  # no output is put in place, even if it is swallowed


def main() -> None:
    """Console-script entry point, with Typer's completion options translated; Ctrl-C ends with
    one line and exit code 128 + signal.

    Outputs are put in place by two renames during which signals wait
    (:mod:`kbc_docs.write`), so an interrupted build has written nothing for the file it was on.
    """
    command = typer.main.get_command(app)
    for param in command.params:
        if param.name in COMPLETION_HELP and isinstance(param, typer.core.TyperOption):
            param.help = COMPLETION_HELP[param.name]
    for signum in signals_to_catch():
        signal.signal(signum, _interrupt)
    try:
        command(prog_name="kbc-docs")
    except Interrupted as exc:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        with suppress(OSError):  # the terminal is gone (SIGHUP): the exit code still says it
            err.print(msg("cli_interrupted"), markup=False)
        sys.exit(128 + exc.args[0])
