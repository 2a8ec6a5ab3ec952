"""Signing the example signing pages and checking the signatures, with throw-away keys.

A certificate is made for the test (cryptography), the parties sign their fields one after the
other, and the result is checked as a recipient would: who signed, whether the signed bytes
are intact, whether anything changed since; and that the file is still the PDF/A it claimed.
A byte flipped in a signed range must make verification fail. The B-T case (a timestamp)
talks to a timestamp authority run in the test on localhost.
"""

from __future__ import annotations

import datetime as dt
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID
from kbc_docs.sign import SignatureError, sign_pdf, signature_fields, verify_pdf
from support.archive_examples import example
from support.pdf_checks import archive_problems

pytestmark = pytest.mark.slow  # builds whole documents; `pytest -m 'not slow'` skips it


pytest.importorskip("pyhanko")

from support.certificates import make_certificate  # noqa: E402

PASSPHRASE = b"test passphrase"
KH, VN = "kh-kampot-sfdcm", "vn-kiengiang-mttq"


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


@pytest.fixture(scope="module")
def signer(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, x509.Certificate]:
    key, cert = make_certificate("Lê Thị Vệ")
    path = tmp_path_factory.mktemp("keys") / "signer.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"signer", key, cert, None, serialization.BestAvailableEncryption(PASSPHRASE)
        )
    )
    return path, cert


@pytest.fixture(scope="module")
def signing_pdf() -> bytes:
    return example("km").signing


@pytest.fixture(scope="module")
def signed_once(signing_pdf: bytes, signer: tuple[Path, x509.Certificate]) -> bytes:
    return sign_pdf(signing_pdf, VN, signer[0], PASSPHRASE, None)


def test_the_signing_pdf_offers_one_empty_field_per_party(signing_pdf: bytes) -> None:
    assert signature_fields(signing_pdf) == {VN: False, KH: False}


def test_sign_and_verify(signed_once: bytes, signer: tuple[Path, x509.Certificate]) -> None:
    assert signature_fields(signed_once) == {VN: True, KH: False}
    [report] = verify_pdf(signed_once, trust_roots=[der(signer[1])])
    assert report.field == VN
    assert "Lê Thị Vệ" in report.signer
    assert report.intact and report.valid and report.trusted
    assert report.covers_whole_file and not report.changed_after
    assert report.ok
    assert report.timestamp is None  # B-B: no timestamp authority
    # Without the certificate among the trust roots, the signature is sound but not trusted.
    [untrusted] = verify_pdf(signed_once)
    assert untrusted.intact and untrusted.valid and not untrusted.trusted


def test_signing_keeps_the_pdfa_claims(signed_once: bytes, tmp_path: Path) -> None:
    assert archive_problems(signed_once) == []
    doc = pikepdf.open(io.BytesIO(signed_once))
    meta = doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
    assert meta["pdfaid:part"] == "3" and meta["pdfaid:conformance"] == "B"
    assert str(doc.trailer.Info.Producer) == meta["pdf:Producer"]
    # The visible stamp's font is embedded too.
    for obj in doc.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            assert "/FontFile2" in obj or "/FontFile3" in obj or "/FontFile" in obj


def test_the_second_party_signs_after_the_first(
    signed_once: bytes, signer: tuple[Path, x509.Certificate]
) -> None:
    twice = sign_pdf(signed_once, KH, signer[0], PASSPHRASE, None)
    reports = {r.field: r for r in verify_pdf(twice, trust_roots=[der(signer[1])])}
    assert set(reports) == {VN, KH}
    assert all(r.ok for r in reports.values())
    assert not reports[VN].covers_whole_file  # the second signature came after it…
    assert not reports[VN].changed_after  # …and is a change the first one allows
    assert archive_problems(twice) == []


def test_a_flipped_byte_in_the_signed_range_fails_verification(signed_once: bytes) -> None:
    # A byte of the XMP packet: uncompressed, inside the signed range, harmless to parsing.
    at = signed_once.index(b"kbc-docs</xmp:CreatorTool>")
    tampered = bytearray(signed_once)
    tampered[at] ^= 0x01
    [report] = verify_pdf(bytes(tampered))
    assert not report.intact
    assert not report.ok


def test_a_rewritten_file_is_reported(signed_once: bytes) -> None:
    """Saved again by another tool, the file no longer matches what was signed."""
    doc = pikepdf.open(io.BytesIO(signed_once))
    doc.pages[0].Contents = pikepdf.Stream(doc, b"BT ET")
    out = io.BytesIO()
    doc.save(out, preserve_pdfa=False)
    # pikepdf rewrites the whole file: the signature no longer covers it or breaks.
    [report] = verify_pdf(out.getvalue())
    assert not report.ok


def test_refuses_unknown_or_signed_fields_and_wrong_passphrases(
    signing_pdf: bytes, signed_once: bytes, signer: tuple[Path, x509.Certificate]
) -> None:
    with pytest.raises(SignatureError, match="no signature field 'nobody'"):
        sign_pdf(signing_pdf, "nobody", signer[0], PASSPHRASE, None)
    with pytest.raises(SignatureError, match="already signed"):
        sign_pdf(signed_once, VN, signer[0], PASSPHRASE, None)
    with pytest.raises(SignatureError):
        sign_pdf(signing_pdf, VN, signer[0], b"wrong", None)
    with pytest.raises(SignatureError, match="not a readable PDF"):
        sign_pdf(b"not a pdf", VN, signer[0], PASSPHRASE, None)


# ---------------------------------------------------------------- B-T, with a local TSA


@pytest.fixture(scope="module")
def tsa() -> Iterator[tuple[str, x509.Certificate]]:
    """An RFC 3161 timestamp authority on localhost (pyHanko's test stamper behind HTTP)."""
    from asn1crypto import keys, tsp
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    key, cert = make_certificate("Test TSA", ExtendedKeyUsageOID.TIME_STAMPING)
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(der(cert)),
        tsa_key=keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
    )

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            reply = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", cert
    finally:
        server.shutdown()
        server.server_close()


def test_pades_b_t_with_a_timestamp_authority(
    signing_pdf: bytes,
    signer: tuple[Path, x509.Certificate],
    tsa: tuple[str, x509.Certificate],
) -> None:
    url, tsa_cert = tsa
    signed = sign_pdf(signing_pdf, KH, signer[0], PASSPHRASE, url)
    [report] = verify_pdf(signed, trust_roots=[der(signer[1]), der(tsa_cert)])
    assert report.ok and report.trusted
    assert report.timestamp is not None
    assert abs(report.timestamp - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert archive_problems(signed) == []


def test_cli_signs_and_verifies_and_reports_tampering(
    signing_pdf: bytes, signer: tuple[Path, x509.Certificate], tmp_path: Path
) -> None:
    from kbc_docs.cli import app
    from typer.testing import CliRunner

    runner = CliRunner()
    source = tmp_path / "signing.pdf"
    source.write_bytes(signing_pdf)
    env = {"KBC_P12_PASSPHRASE": PASSPHRASE.decode()}
    result = runner.invoke(
        app, ["sign", str(source), "--field", VN, "--p12", str(signer[0])], env=env
    )
    assert result.exit_code == 0, result.output
    signed = tmp_path / "signing-signed.pdf"
    # A self-made certificate: intact, but nothing vouches for it (exit 3), said in words.
    result = runner.invoke(app, ["verify", str(signed)], env={"LANG": "C.UTF-8"})
    assert result.exit_code == 3, result.output
    assert f"⚠ {VN}: signed by Lê Thị Vệ on " in result.output
    assert "the document has not changed since it was signed" in result.output
    assert "NOT trusted: Lê Thị Vệ made it themselves (self-signed)" in result.output
    assert f"{KH}: not signed yet" in result.output
    assert "Traceback" not in result.output
    # Trusted when the reader says so (the certificate as PEM, as it is often mailed).
    pem = tmp_path / "signer.pem"
    pem.write_bytes(signer[1].public_bytes(serialization.Encoding.PEM))
    result = runner.invoke(app, ["verify", str(signed), "--trust", str(pem)])
    assert result.exit_code == 0, result.output
    assert f"✓ {VN}: " in result.output and "the certificate is trusted" in result.output
    result = runner.invoke(app, ["verify", str(signed)], env={"LANG": "vi_VN.UTF-8"})
    assert "chứng thư số KHÔNG được tin cậy" in result.output and "tự ký" in result.output
    result = runner.invoke(app, ["verify", str(signed), "--trust", str(source)])
    assert result.exit_code == 1 and "not a certificate" in result.output

    data = bytearray(signed.read_bytes())
    data[len(data) // 3] ^= 0x01
    signed.write_bytes(bytes(data))
    assert runner.invoke(app, ["verify", str(signed)]).exit_code == 1
    result = runner.invoke(
        app, ["sign", str(source), "--field", "nobody", "--p12", str(signer[0])], env=env
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
