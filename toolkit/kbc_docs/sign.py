"""Digital signatures on the signing pages: sign one party's field, report who signed what.

The signing PDF carries an empty signature field over each signer's signature space, named
after the party (``vn-kiengiang-mttq``…), see :mod:`kbc_docs.render.pdf.archive`. A leader can sign
it in Acrobat or Foxit, or here with a PKCS#12 file (:func:`sign_pdf`); each signature is an
incremental update, so the parties sign one after the other and every earlier signature stays
valid. :func:`verify_pdf` says, for every signature, who signed, whether the signed bytes are
intact and whether the document was changed since in a way a signature does not allow.

Signatures are PAdES baseline: B-B (``ETSI.CAdES.detached`` with the signing certificate
attribute), B-T when a timestamp authority is given. The visible stamp (the signer's name and
the time) is drawn with an embedded subset of Noto Serif, so the file stays PDF/A: pyHanko's
default stamp uses Courier, which is not embedded, and PDF/A forbids that.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kbc_docs.errors import FontError, KbcError, Problem
from kbc_docs.messages import msg
from kbc_docs.safepath import FileProblem, read_limited

__all__ = [
    "SignatureError",
    "SignatureReport",
    "fields_or_error",
    "read_pdf",
    "sign_pdf",
    "signature_fields",
    "trust_roots",
    "verify_pdf",
]

MAX_PDF_BYTES = 100 * 1024 * 1024  # signing pages are a few hundred KB
MAX_P12_BYTES = 1024 * 1024  # a key with its chain is a few KB
MAX_CERT_BYTES = 1024 * 1024

STAMP_FONT = "Noto Serif"
"""Family of the visible stamp's font, found with fontconfig and embedded as a subset.

It must cover Vietnamese (signers' names) and have 1000 units per em: pyHanko 0.38 writes
the glyph widths of the stamp font in font units, which spaces out the letters of a
2048-unit font such as Tinos."""


class SignatureError(KbcError):
    """Signing failed: no such field, a wrong passphrase, an unreadable certificate…"""


@dataclass(frozen=True)
class SignatureReport:
    """One signature of a PDF, as a reader needs to judge it.

    ``intact``: the signed bytes are the ones the signer's key signed (False after any change
    to them). ``valid``: the cryptographic signature checks out. ``trusted``: the certificate
    chains to one of the trust roots given to :func:`verify_pdf` (a self-made certificate is
    not). ``changed_after``: the file was changed after this signature in a way that is not
    another signature, a form fill or a timestamp the signature allows. ``timestamp``: the
    time a timestamp authority vouches for (PAdES B-T), else None. ``distrust``: why the
    certificate is not trusted (one of :data:`DISTRUST`), None when it is.
    """

    field: str
    signer: str
    issuer: str
    signed_at: dt.datetime | None
    timestamp: dt.datetime | None
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    changed_after: bool
    summary: str
    distrust: str | None = None

    @property
    def ok(self) -> bool:
        """Intact, valid and nothing changed after it (trust is the reader's separate call)."""
        return self.intact and self.valid and not self.changed_after

    @classmethod
    def unverifiable(cls, field: str, summary: str) -> SignatureReport:
        """A signature whose value cannot even be checked (mangled): nothing about it holds."""
        failed = dict.fromkeys(("intact", "valid", "trusted", "covers_whole_file"), False)
        return cls(field, "?", "?", None, None, **failed, changed_after=True, summary=summary)


DISTRUST = ("self-signed", "unknown-issuer", "expired", "revoked", "not-for-signing", "other")
"""The reasons a certificate is not trusted, as :attr:`SignatureReport.distrust` names them."""


def _distrust(status: object) -> str | None:
    """Why pyHanko did not trust the signing certificate, in one of the :data:`DISTRUST` words."""
    if getattr(status, "trusted", False):
        return None
    cert = status.signing_cert  # type: ignore[attr-defined]
    indication = getattr(getattr(status, "trust_problem_indic", None), "name", "")
    if getattr(status, "revoked", False) or "REVOKED" in indication:
        return "revoked"
    if "EXPIRED" in indication or "OUT_OF_BOUNDS" in indication or "NOT_YET_VALID" in indication:
        return "expired"
    if cert.self_signed in ("yes", "maybe") and cert.issuer == cert.subject:
        return "self-signed"
    if "NO_CERTIFICATE_CHAIN_FOUND" in indication or "CHAIN_CONSTRAINTS" in indication:
        return "unknown-issuer"
    if "SIG_CONSTRAINTS" in indication or "KEY_USAGE" in indication:
        return "not-for-signing"
    return "other"


def _name(name: object) -> str:
    """A certificate name as a reader says it: the common name, else pyHanko's long form."""
    native = getattr(name, "native", {}) or {}
    return str(native.get("common_name") or getattr(name, "human_friendly", "?"))


def signature_fields(pdf: bytes) -> dict[str, bool]:
    """Every signature field of ``pdf`` by name, with whether it is signed."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return {name: value is not None for name, value, _ in enumerate_sig_fields(reader)}


def sign_pdf(
    pdf: bytes,
    field: str,
    p12: Path,
    passphrase: bytes | None,
    tsa_url: str | None = None,
    source: Path | None = None,
) -> bytes:
    """Sign the empty signature field ``field`` of ``pdf`` with the key and certificate in ``p12``.

    PAdES B-B, or B-T with a timestamp from ``tsa_url``. Only an existing, unsigned field can
    be signed: a signature placed anywhere else would not stand over the signer's name.
    Raises :class:`SignatureError` with a message for the user on any failure.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers, timestamps
    from pyhanko.sign.fields import SigSeedSubFilter

    fields = fields_or_error(pdf, source)
    if field not in fields:
        known = ", ".join(sorted(fields)) or msg("sign_none")
        raise SignatureError([Problem(msg("sign_no_field", field=field, known=known))])
    if fields[field]:
        raise SignatureError([Problem(msg("sign_already", field=field))])
    signer = _signer(p12, passphrase)
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer,
        timestamper=timestamps.HTTPTimeStamper(tsa_url) if tsa_url else None,
        stamp_style=_stamp_style(),
    )
    out = io.BytesIO()
    try:
        writer = _archival_writer(IncrementalPdfFileWriter)(io.BytesIO(pdf), strict=False)
        with _quiet_pyhanko():
            pdf_signer.sign_pdf(writer, existing_fields_only=True, output=out)
    except Exception as exc:  # pyHanko raises many kinds; the user needs the message
        raise SignatureError([Problem(msg("sign_failed", field=field, reason=exc))]) from exc
    return out.getvalue()


def _signer(p12: Path, passphrase: bytes | None):  # type: ignore[no-untyped-def]
    """pyHanko's signer from a PKCS#12 file, or a SignatureError saying what is wrong with it.

    A missing file, a damaged or truncated one and a wrong passphrase each get their own
    message: cryptography reports all three as one "invalid password or PKCS12 data".
    """
    from asn1crypto import pkcs12 as asn1_pkcs12
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign import signers

    try:
        data = read_limited(p12, MAX_P12_BYTES)
    except FileProblem as exc:
        raise SignatureError([Problem(str(exc), p12)]) from None
    try:
        asn1_pkcs12.Pfx.load(data, strict=True).native  # noqa: B018 - parses every level
    except Exception:  # asn1crypto raises ValueError, TypeError… on malformed input
        raise SignatureError([Problem(msg("p12_damaged"), p12)]) from None
    try:
        key, _, _ = pkcs12.load_key_and_certificates(data, passphrase)
    except Exception:
        raise SignatureError([Problem(msg("p12_passphrase"), p12)]) from None
    if key is None:
        raise SignatureError([Problem(msg("p12_no_key"), p12)])
    try:
        return signers.SimpleSigner.load_pkcs12_data(data, [], passphrase=passphrase)
    except (ValueError, TypeError) as exc:
        raise SignatureError([Problem(msg("p12_unusable", reason=exc), p12)]) from None


def read_pdf(path: Path) -> bytes:
    """A PDF named on the command line, read only if it is a regular file of sane size."""
    try:
        return read_limited(path, MAX_PDF_BYTES)
    except FileProblem as exc:
        raise SignatureError([Problem(str(exc), path)]) from None


def trust_roots(paths: list[Path]) -> list[bytes]:
    """The DER bytes of each certificate file (DER or PEM) given to trust; else SignatureError."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    roots = []
    for path in paths:
        try:
            data = read_limited(path, MAX_CERT_BYTES)
        except FileProblem as exc:
            raise SignatureError([Problem(str(exc), path)]) from None
        try:
            if data.lstrip().startswith(b"-----BEGIN"):
                cert = x509.load_pem_x509_certificate(data)
            else:
                cert = x509.load_der_x509_certificate(data)
        except ValueError:
            raise SignatureError([Problem(msg("not_a_certificate"), path)]) from None
        roots.append(cert.public_bytes(Encoding.DER))
    return roots


def _archival_writer(base: type) -> type:
    """pyHanko's incremental writer, with the information dictionary kept in step with XMP.

    pyHanko sets XMP ``pdf:Producer`` to its own name but appends its name to the information
    dictionary's ``/Producer``; PDF/A requires the two to be equal, so after pyHanko's update
    the dictionary takes the XMP value.
    """

    class ArchivalWriter(base):  # type: ignore[misc, valid-type]
        def _update_meta(self) -> None:
            super()._update_meta()
            from pyhanko.pdf_utils import generic
            from pyhanko.pdf_utils.metadata import model

            info = self._info.get_object() if self._info is not None else None
            if info is not None and "/Metadata" in self.root:
                info["/Producer"] = generic.TextStringObject(model.VENDOR)
                self.mark_update(self._info)

    return ArchivalWriter


def fields_or_error(pdf: bytes, source: Path | None = None) -> dict[str, bool]:
    """The signature fields of ``pdf`` (read from ``source``), or a SignatureError about it."""
    try:
        with _quiet_pyhanko():
            return signature_fields(pdf)
    except Exception:  # pypdf's and pyHanko's many kinds; their words help nobody who got the file
        raise SignatureError([Problem(msg("pdf_unreadable"), source)]) from None


def _stamp_style():  # type: ignore[no-untyped-def]
    """A text stamp in an embedded font (PDF/A), or None for no stamp if the font is missing."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    font = _font_file(STAMP_FONT)
    if font is None:
        raise SignatureError([Problem(msg("sign_no_font", font=STAMP_FONT))])
    return TextStampStyle(
        stamp_text="%(signer)s\n%(ts)s",
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(font)), font_size=8),
        border_width=0,
        background=None,
    )


def _font_file(family: str) -> Path | None:
    """The file fontconfig resolves ``family`` to, if it really is that family."""
    from kbc_docs.text.fonts import fc_match

    try:
        match = fc_match(family)
    except FontError:
        return None
    if match is None or not match.is_family(family):
        return None
    path = match.file
    return path if path.suffix.lower() in (".ttf", ".otf") and path.is_file() else None


@contextmanager
def _quiet_pyhanko() -> Iterator[None]:
    """Keep pyHanko's logged tracebacks (a self-signed certificate is one) off the screen.

    pyHanko logs why a certificate is not trusted with the whole stack; the report already says
    it in plain words (:attr:`SignatureReport.distrust`).
    """
    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    before = [(logger.propagate, logger.handlers) for logger in loggers]
    for logger in loggers:
        logger.propagate, logger.handlers = False, [logging.NullHandler()]
    try:
        yield
    finally:
        for logger, (propagate, handlers) in zip(loggers, before, strict=True):
            logger.propagate, logger.handlers = propagate, handlers


def verify_pdf(
    pdf: bytes, trust_roots: list[bytes] | None = None, source: Path | None = None
) -> list[SignatureReport]:
    """Check every signature of ``pdf``; ``trust_roots`` are DER certificates to trust.

    A byte changed in a signed range makes that signature not intact; a PDF too damaged to
    read raises :class:`SignatureError`. No network access: revocation is not checked.
    """
    from asn1crypto import x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = [x509.Certificate.load(der) for der in trust_roots or []]
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:  # pypdf's and pyHanko's many kinds; their words help nobody who got the file
        raise SignatureError([Problem(msg("pdf_unreadable"), source)]) from None
    reports: list[SignatureReport] = []
    for signature in embedded:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        try:
            with _quiet_pyhanko():
                status = validate_pdf_signature(signature, signer_validation_context=context)
        except Exception as exc:  # a mangled signature value: not intact, and say why
            reason = msg("verify_cannot_validate", reason=exc)
            reports.append(SignatureReport.unverifiable(signature.field_name, reason))
            continue
        level = status.modification_level
        timestamp = status.timestamp_validity
        reports.append(
            SignatureReport(
                field=signature.field_name,
                signer=_name(status.signing_cert.subject),
                issuer=_name(status.signing_cert.issuer),
                signed_at=status.signer_reported_dt,
                timestamp=timestamp.timestamp if timestamp is not None else None,
                intact=status.intact,
                valid=status.valid,
                trusted=status.trusted,
                covers_whole_file=status.coverage is not None
                and status.coverage.name == "ENTIRE_FILE",
                changed_after=level is None
                or level.name not in ("NONE", "LTA_UPDATES", "FORM_FILLING"),
                summary=status.summary(),
                distrust=_distrust(status),
            )
        )
    return reports
