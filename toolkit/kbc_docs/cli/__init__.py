"""The ``kbc-docs`` command: thin Typer functions over the library.

Exit codes:

* **0** — every file was written (``build``), is valid (``validate``) or the schema was written;
* **1** — a content file is invalid or a render failed; nothing is written for that file and its
  earlier outputs stay as they were. Other files on the same command line are still processed;
* **2** — usage error (unknown option or value; Typer's own, or ``schema`` of an unknown kind).

Known errors print as ``file:line:col: field.path: message`` on stderr, one per line, without a
traceback; anything else is a bug and keeps its traceback. Messages are in Vietnamese when the
locale is (``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` starting with ``vi``), else in English.
``build --draft`` turns missing translations into warnings (``⚠ file:line:col: …`` on stderr)
and marks every gap and every title in the output.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape

from kbc_docs.content import schema
from kbc_docs.content.resolve import load_content
from kbc_docs.errors import KbcError
from kbc_docs.messages import msg
from kbc_docs.pipeline import (
    BuildOptions,
    build,
    template_files,
)
from kbc_docs.templates.lookup import default_templates, template_folders
from kbc_docs.write import write_outputs

app = typer.Typer(
    help="Bilingual review reports and signing pages for cross-border conferences.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# soft_wrap: a message stays on one line, so "file:line: field: message" can be grepped.
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

SCHEMAS: dict[str, type[BaseModel]] = {"content": schema.Content, "registry": schema.Registry}
"""The formats ``kbc-docs schema`` describes; written as ``<name>.schema.json``."""


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


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
        count = msg("cli_problems", count=len(exc.problems))
        err.print(f"[bold red]✗ {escape(str(file))}[/]: {escape(count)}")
        for problem in exc.problems:
            err.print(f"  {problem}", markup=False)


class _Warnings(logging.Handler):
    """Prints the library's warnings (draft gaps) on stderr and counts them."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        err.print(f"  ⚠ {record.getMessage()}", markup=False, style="yellow")


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
Templates = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        help="An office's template folder, searched before the defaults (default: ./templates).",
    ),
]


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
) -> None:
    """Build the report and signing pages (DOCX and PDF) of each content file."""
    formats = ("docx", "pdf") if fmt is FormatChoice.all else (fmt.value,)
    options = BuildOptions(
        out=out_dir,
        formats=formats,
        templates=templates,
        draft=draft,
        embed_fonts=embed,
    )
    failures = 0
    for file in files:
        with warnings_shown() as gaps, reported(file) as failed:
            for path in build(file, options):
                out.print(f"[green]✓[/] {escape(str(path))}")
        if gaps.count:
            err.print(msg("cli_draft_gaps", count=gaps.count), markup=False, style="yellow")
        if failed[0]:
            failures += 1
            err.print(f"  {msg('cli_nothing_written', file=file)}", markup=False)
    if failures:
        raise typer.Exit(1)


@app.command("validate")
def validate_command(files: Files, templates: Templates = None) -> None:
    """Check content files without rendering anything."""
    failures = 0
    for file in files:
        with reported(file) as failed:
            load_content(file, templates)
            out.print(f"[green]✓[/] {escape(msg('cli_valid', file=file))}")
        failures += failed[0]
    if failures:
        raise typer.Exit(1)


def schema_text(what: str) -> str:
    """The JSON Schema of one format, as written to ``schema/<what>.schema.json``."""
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **SCHEMAS[what].model_json_schema(),
    }
    return json.dumps(_closed(document), ensure_ascii=False, indent=2) + "\n"


def _closed(node: object) -> object:
    """Close every ``patternProperties`` object, as validation does (a text's keys are codes).

    pydantic leaves other keys allowed, so an editor would not flag ``{vi: …, Km: …}``.
    """
    if isinstance(node, list):
        return [_closed(item) for item in node]
    if not isinstance(node, dict):
        return node
    closed = {key: _closed(value) for key, value in node.items()}
    if "patternProperties" in closed:
        closed.setdefault("additionalProperties", False)
    return closed


@app.command("schema")
def schema_command(
    what: Annotated[
        str | None,
        typer.Argument(help="'content' or 'registry' (default: content; with --out, both)."),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Write <what>.schema.json into this folder instead of printing."
        ),
    ] = None,
) -> None:
    """Print or write the JSON Schema of the content and registry formats (editor completion).

    The content files point at the written files with their first line,
    ``# yaml-language-server: $schema=../schema/content.schema.json``.
    """
    if what is not None and what not in SCHEMAS:
        err.print(msg("cli_unknown_schema", what=what), markup=False)
        raise typer.Exit(2)
    if out_dir is None:
        print(schema_text(what or "content"), end="")
        return
    names = [what] if what else list(SCHEMAS)
    outputs = {f"{name}.schema.json": schema_text(name).encode("utf-8") for name in names}
    for path in write_outputs(out_dir, outputs):
        out.print(f"[green]✓[/] {escape(str(path))}")


templates_app = typer.Typer(
    help="Check, copy and list the templates.", no_args_is_help=True, add_completion=False
)
app.add_typer(templates_app, name="templates")


@templates_app.command("check")
def templates_check_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Templates or folders (default: those a build would use)."),
    ] = None,
    templates: Templates = None,
    report_format: Annotated[
        ReportFormat, typer.Option("--format", help="text for people, json for scripts.")
    ] = ReportFormat.text,
) -> None:
    """Report every problem in Word and HTML templates, with the place to find it."""
    from kbc_docs.templates.lint import format_findings, lint_templates

    findings = []
    with reported(Path(str(templates or "templates"))) as failed:
        if not paths:
            paths = template_files(template_folders(templates), BuildOptions().formats)
        findings = lint_templates(paths)
        print(format_findings(findings, as_json=report_format is ReportFormat.json))
    if failed[0] or any(f.severity == "error" for f in findings):
        raise typer.Exit(1)


@templates_app.command("eject")
def templates_eject_command(
    dest: Annotated[Path, typer.Argument(help="Folder to copy the default templates into.")],
) -> None:
    """Copy the default templates into DEST for an office to customise (never overwrites)."""
    from kbc_docs.templates.lookup import eject

    with reported(dest) as failed:
        for path in eject(default_templates(), dest):
            out.print(f"[green]✓[/] {escape(str(path))}")
    if failed[0]:
        raise typer.Exit(1)


@templates_app.command("vars")
def templates_vars_command() -> None:
    """List every variable a template can use (Markdown), generated from the view model."""
    from kbc_docs.templates.variables import template_vars

    print(template_vars())


@app.command("sign")
def sign_command(
    file: Annotated[Path, typer.Argument(help="A signing-pages PDF built by kbc-docs.")],
    field: Annotated[str, typer.Option("--field", help="The party id whose field to sign.")],
    p12: Annotated[Path, typer.Option("--p12", help="The signer's PKCS#12 certificate file.")],
    tsa: Annotated[
        str | None, typer.Option("--tsa", help="Timestamp server URL (PAdES B-T).")
    ] = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Where to write (default: FILE-signed.pdf).")
    ] = None,
) -> None:
    """Sign one party's signature field (PAdES), keeping the PDF/A claims intact.

    The passphrase comes from KBC_P12_PASSPHRASE or is asked for (empty for none).
    """
    from kbc_docs.sign import sign_pdf

    target = out_file or file.with_name(f"{file.stem}-signed.pdf")
    with reported(file) as failed:
        passphrase = os.environ.get("KBC_P12_PASSPHRASE")
        if passphrase is None:
            passphrase = typer.prompt("Passphrase", default="", hide_input=True)
        signed = sign_pdf(file.read_bytes(), field, p12, passphrase.encode() or None, tsa)
        write_file(target, signed)
        out.print(f"[green]✓[/] {escape(str(target))}")
    if failed[0]:
        raise typer.Exit(1)


@app.command("verify")
def verify_command(
    file: Annotated[Path, typer.Argument(help="A signed PDF.")],
    trust: Annotated[
        list[Path] | None, typer.Option("--trust", help="A DER certificate to trust (repeatable).")
    ] = None,
) -> None:
    """List the signatures of a PDF, who signed, and whether the document changed since."""
    from kbc_docs.sign import signature_fields, verify_pdf

    ok = False
    with reported(file) as failed:
        data = file.read_bytes()
        reports = verify_pdf(data, [p.read_bytes() for p in trust or []])
        for r in reports:
            mark = "[green]✓[/]" if r.ok else "[bold red]✗[/]"
            out.print(f"{mark} {escape(r.field)}: {escape(r.signer)} — {escape(r.summary)}")
        for name, signed in signature_fields(data).items():
            if not signed:
                out.print(f"  {escape(name)}: not signed yet")
        ok = bool(reports) and all(r.ok for r in reports)
    if failed[0] or not ok:
        raise typer.Exit(1)


def write_file(target: Path, data: bytes) -> None:
    """Write one file atomically (temporary file beside it, then rename)."""
    tmp = target.with_name(f".{target.name}.part")
    tmp.write_bytes(data)
    os.replace(tmp, target)


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
