"""The messages of ``kbc-docs sign`` and ``kbc-docs verify``.

``verify`` speaks in plain words: who signed, whether the file changed, whether to trust it.
"""

from kbc_docs.messages.catalogue import N_

MESSAGES: dict[str, str] = {
    "sign_no_passphrase": N_(
        "no passphrase for the certificate: set KBC_P12_PASSPHRASE (empty if it has none), or "
        "run the command in a terminal to be asked for it"
    ),
    "p12_damaged": N_(
        "not a PKCS#12 certificate file, or a damaged or truncated one; export it again"
    ),
    "p12_passphrase": N_(
        "wrong passphrase for this certificate file (set KBC_P12_PASSPHRASE or type it)"
    ),
    "p12_no_key": N_("the certificate file holds no private key; export it with the key"),
    "p12_unusable": N_("the key and certificate cannot be used for signing: {reason}"),
    "pdf_unreadable": N_(
        "not a readable PDF, or a damaged or truncated one; ask the sender for the file again"
    ),
    "not_a_certificate": N_("not a certificate (expected an X.509 certificate, DER or PEM)"),
    "verify_not_signed": N_("{field}: not signed yet"),
    "verify_no_signature": N_("this PDF has no signature"),
    "verify_signed_by": N_("{field}: signed by {signer} on {when}"),
    "verify_broken": N_(
        "the signature does not match the document: the signed part was changed or the signature "
        "is damaged ({reason})"
    ),
    "verify_changed_after": N_(
        "the document was changed after this signature (not by another signature or a form "
        "field); ask the sender for the original"
    ),
    "verify_unchanged": N_("the document has not changed since it was signed"),
    "verify_signatures_after": N_(
        "the document has not changed since it was signed, except for later signatures"
    ),
    "verify_timestamped": N_("the time of signing is vouched for by a timestamp authority"),
    "verify_trusted": N_("the certificate is trusted (issued by {issuer})"),
    "verify_self_signed": N_(
        "the certificate is NOT trusted: {signer} made it themselves (self-signed), so nobody "
        "vouches that it is theirs; if you received it from them in person, check again with "
        "--trust <certificate file>"
    ),
    "verify_unknown_issuer": N_(
        "the certificate is NOT trusted: it was issued by {issuer}, which is not among the "
        "certificates you trust; add that authority's certificate with --trust"
    ),
    "verify_expired": N_(
        "the certificate is NOT trusted: it was not valid when the document was signed (expired "
        "or not yet valid)"
    ),
    "verify_revoked": N_("the certificate is NOT trusted: {issuer} has revoked it"),
    "verify_not_for_signing": N_(
        "the certificate is NOT trusted: it is not meant for signing documents"
    ),
    "verify_untrusted_other": N_("the certificate is NOT trusted ({reason})"),
    "sign_no_field": N_("no signature field {field!r} (fields: {known})"),
    "sign_none": N_("none"),
    "sign_already": N_("signature field {field!r} is already signed"),
    "sign_bad_key": N_("cannot read the key and certificate: {reason}"),
    "sign_wrong_passphrase": N_("cannot read the key and certificate (wrong passphrase?)"),
    "sign_failed": N_("signing field {field!r} failed: {reason}"),
    "sign_no_font": N_("font {font!r} for the signature stamp not found (install fonts-noto-core)"),
    "verify_cannot_validate": N_("cannot be validated: {reason}"),
}
