"""``kbc-docs sign`` and ``kbc-docs verify``: PAdES signatures on the signing pages."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from kbc_docs.cli.app import command, out, reported, reported_or_exit
from kbc_docs.errors import KbcError, Problem
from kbc_docs.messages import _, msg
from kbc_docs.write import write_file


@command(
    "sign",
    _(
        "Sign one party's signature field (PAdES), keeping the PDF/A claims intact. The "
        "passphrase comes from KBC_P12_PASSPHRASE or is asked for (empty for none)."
    ),
    "kbc-docs sign build/2023-11-16/2023-11-16_signing_vi-km.pdf "
    "--field vn-kiengiang-mttq --p12 leader.p12",
)
def sign_command(
    file: Annotated[Path, typer.Argument(help=_("A signing-pages PDF built by kbc-docs."))],
    field: Annotated[str, typer.Option("--field", help=_("The party id whose field to sign."))],
    p12: Annotated[Path, typer.Option("--p12", help=_("The signer's PKCS#12 certificate file."))],
    tsa: Annotated[
        str | None, typer.Option("--tsa", help=_("Timestamp server URL (PAdES B-T)."))
    ] = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", help=_("Where to write (default: FILE-signed.pdf)."))
    ] = None,
) -> None:
    from kbc_docs.sign import read_pdf, sign_pdf

    target = out_file or file.with_name(f"{file.stem}-signed.pdf")
    with reported_or_exit(file):
        pdf = read_pdf(file)  # a wrong file is said before a passphrase is asked for
        passphrase = os.environ.get("KBC_P12_PASSPHRASE")
        if passphrase is None:
            if not sys.stdin.isatty():  # a script: nobody to ask, and getpass would warn
                raise KbcError([Problem(msg("sign_no_passphrase"), p12)])
            passphrase = typer.prompt(_("Passphrase"), default="", hide_input=True)
        signed = sign_pdf(pdf, field, p12, passphrase.encode() or None, tsa, source=file)
        write_file(target, signed)
        out.print(f"[green]✓[/] {escape(str(target))}")


@command(
    "verify",
    _(
        "Say who signed a PDF, whether it changed since, and whether each certificate is "
        "trusted (and why not)."
    ),
    "kbc-docs verify signed.pdf --trust leader.der",
    exit_codes=_(
        "Exit codes: 0 every signature intact and trusted; 1 a signature does not check out, "
        "the file changed after it, or there is none; 2 usage error; 3 intact, but a "
        "certificate is not trusted."
    ),
)
def verify_command(
    file: Annotated[Path, typer.Argument(help=_("A signed PDF."))],
    trust: Annotated[
        list[Path] | None,
        typer.Option("--trust", help=_("A certificate to trust (DER or PEM; repeatable).")),
    ] = None,
) -> None:
    from kbc_docs.verify_report import verify_file

    code = 1
    with reported(file):
        code = verify_file(file, trust or [], out)
    if code:
        raise typer.Exit(code)
