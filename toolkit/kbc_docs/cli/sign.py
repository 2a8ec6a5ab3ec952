"""``kbc-docs sign`` and ``kbc-docs verify``: PAdES signatures on the signing pages."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kbc_docs.cli.app import app, out, reported
from kbc_docs.write import write_file


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
