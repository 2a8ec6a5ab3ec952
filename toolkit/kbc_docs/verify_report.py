"""``kbc-docs verify`` in plain words: who signed, whether the file changed, whether to trust it.

:func:`kbc_docs.sign.verify_pdf` gives the facts of each signature; this module says them the
way a clerk who receives a signed PDF needs to read them, and decides the exit code: **0** every
signature is intact and its certificate trusted, **1** a signature does not check out, the file
changed after it or there is none, **3** everything is intact but a certificate is not trusted
(a self-made certificate proves nothing about who made it).
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape

from kbc_docs.messages import msg
from kbc_docs.sign import SignatureReport, fields_or_error, read_pdf, trust_roots, verify_pdf

UNTRUSTED = 3
"""Exit code of a file whose signatures are intact but whose certificate is not trusted."""

_DISTRUST_MESSAGES = {
    "self-signed": "verify_self_signed",
    "unknown-issuer": "verify_unknown_issuer",
    "expired": "verify_expired",
    "revoked": "verify_revoked",
    "not-for-signing": "verify_not_for_signing",
    "other": "verify_untrusted_other",
}


def verify_file(file: Path, trust: list[Path], out: Console) -> int:
    """Print the report of every signature of ``file``; return the exit code."""
    pdf = read_pdf(file)
    reports = verify_pdf(pdf, trust_roots(trust), source=file)
    for report in reports:
        _print(report, out)
    for name, signed in fields_or_error(pdf, file).items():
        if not signed:
            out.print(f"  {escape(msg('verify_not_signed', field=name))}")
    if not reports:
        out.print(msg("verify_no_signature"), markup=False, style="bold red")
        return 1
    if not all(report.ok for report in reports):
        return 1
    return UNTRUSTED if any(not report.trusted for report in reports) else 0


def _print(report: SignatureReport, out: Console) -> None:
    when = report.timestamp or report.signed_at
    mark = (
        "[bold red]✗[/]" if not report.ok else "[green]✓[/]" if report.trusted else "[yellow]⚠[/]"
    )
    head = msg(
        "verify_signed_by",
        field=report.field,
        signer=report.signer,
        when=when.strftime("%d/%m/%Y %H:%M %Z") if when else "?",
    )
    out.print(f"{mark} {escape(head)}")
    lines = []
    if not report.intact or not report.valid:
        lines.append(msg("verify_broken", reason=report.summary))
    elif report.changed_after:
        lines.append(msg("verify_changed_after"))
    else:
        lines.append(
            msg("verify_unchanged" if report.covers_whole_file else "verify_signatures_after")
        )
    if report.timestamp is not None:
        lines.append(msg("verify_timestamped"))
    if report.trusted:
        lines.append(msg("verify_trusted", issuer=report.issuer))
    else:
        key = _DISTRUST_MESSAGES.get(report.distrust or "other", "verify_untrusted_other")
        lines.append(msg(key, signer=report.signer, issuer=report.issuer, reason=report.summary))
    for line in lines:
        out.print(f"    {line}", markup=False)
