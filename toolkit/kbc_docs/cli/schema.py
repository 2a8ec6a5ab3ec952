"""``kbc-docs schema``: the JSON Schema of the content and registry formats."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kbc_docs.cli.app import command, err, out, reported
from kbc_docs.messages import _, msg
from kbc_docs.write import write_outputs

SCHEMAS = ("content", "registry")
"""The formats ``kbc-docs schema`` describes (models of :mod:`kbc_docs.content.schema`, named
in lower case); written as ``<name>.schema.json``."""


def schema_text(what: str) -> str:
    """The JSON Schema of one format, as written to ``schema/<what>.schema.json``.

    pydantic's schema with what editors need besides (descriptions, examples, language keys,
    the texts a document's languages require): :mod:`kbc_docs.content.schema_help`.
    """
    from kbc_docs.content import schema  # pydantic: loaded by this command only
    from kbc_docs.content.schema_help import described

    model = {"content": schema.Content, "registry": schema.Registry}[what]
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **model.model_json_schema(),
    }
    return json.dumps(described(what, document), ensure_ascii=False, indent=2) + "\n"


@command(
    "schema",
    _(
        "Print or write the JSON Schema of the content and registry formats, for editors "
        "(completion, descriptions and checks as you type)."
    ),
    "kbc-docs schema --out schema",
)
def schema_command(
    what: Annotated[
        str | None,
        typer.Argument(help=_("'content' or 'registry' (default: content; with --out, both).")),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", help=_("Write <what>.schema.json into this folder instead of printing.")
        ),
    ] = None,
) -> None:
    # The content files point at the written files with their first line,
    # `# yaml-language-server: $schema=../schema/content.schema.json`.
    if what is not None and what not in SCHEMAS:
        err.print(msg("cli_unknown_schema", what=what), markup=False)
        raise typer.Exit(2)
    if out_dir is None:
        print(schema_text(what or "content"), end="")
        return
    names = [what] if what else list(SCHEMAS)
    outputs = {f"{name}.schema.json": schema_text(name).encode("utf-8") for name in names}
    with reported(out_dir) as failed:
        for path in write_outputs(out_dir, outputs):
            out.print(f"[green]✓[/] {escape(str(path))}")
    if failed[0]:
        raise typer.Exit(failed[0])
