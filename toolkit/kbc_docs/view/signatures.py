"""The end of a joint document: the copies-and-languages clause and each party's signature block.

Decree 30 prints the authority line and the title in capitals; each side of a joint document
says for which body it signs.
"""

from __future__ import annotations

from kbc_docs.content.resolve import Resolved, ResolvedParty
from kbc_docs.content.schema import Todo
from kbc_docs.content.values import Text
from kbc_docs.text.locale import Locale, fill
from kbc_docs.text.segment import NBSP
from kbc_docs.view.version import SignerBlock
from kbc_docs.view.wording import printed_place, printed_text, short_date


def closing(resolved: Resolved, loc: Locale) -> str:
    """The copies-and-languages clause of a joint document; "" when one party signs alone."""
    content = resolved.content
    lang = loc.code
    signing = sum(1 for p in content.parties if p.signer is not None)
    if signing < 2:
        return ""
    copies = content.signing.copies or signing
    each = copies // signing
    return fill(
        loc.data.copies,
        place=printed_place(content.signing.place, resolved, loc),
        date=short_date(content.signing.date, loc),
        copies=loc.count(copies),
        # Each version names its own language first, like its own party (the alternat).
        languages=loc.language_names(
            sorted(content.document.languages, key=lambda code: code != lang)
        ),
        each=loc.count(each),
    )


def authority_line(prefix: str, body: str) -> str:
    """The authority word and the body it signs for ("TM. ỦY BAN NHÂN DÂN"), the word never
    alone at the end of a line.

    Decree 30 writes "TM. ỦY BAN NHÂN DÂN" as one unit, and a narrow block of a three-party
    page would otherwise leave "TM." or "ĐẠI DIỆN" alone on its line, the body's name below.
    The prefix's own spaces and the one after it are NO-BREAK SPACEs (U+00A0), the
    keep-together mark both renderers honour (:func:`kbc_docs.text.segment.keep_together`):
    it keeps the prefix with the body's first word, and looks and extracts as a space.
    """
    return f"{prefix.replace(' ', NBSP)}{NBSP}{body}"


def signer_block(p: ResolvedParty, loc: Locale) -> SignerBlock:
    lang = loc.code
    signer = p.part.signer
    assert signer is not None  # only parties that sign have a block
    prefixes = loc.authorities(p.party.format)
    # Each side of a joint document says for which body it signs: "ĐẠI DIỆN <the party>"
    # unless the content gives another authority, or "none" for the title alone.
    kind = signer.authority or "DD"
    lines = []
    if kind != "none":
        body: Text = signer.on_behalf_of or p.party.name
        lines.append(authority_line(getattr(prefixes, kind), body[lang]))
    if signer.second is not None:
        second = signer.second
        lines.append(authority_line(getattr(prefixes, second.authority), second.on_behalf_of[lang]))
    name = signer.person
    return SignerBlock(
        party=p.id,
        # Decree 30 prints authority and title in capitals; Khmer and Lao have no case.
        authority="\n".join(lines).upper(),
        title=printed_text(signer.title, loc).upper(),
        name=loc.data.blank if isinstance(name, Todo) else p.resolved.people[name].name[lang],
        signature_image=p.resolved.images.get(p.id, {}).get("signature_image"),
        seal_image=p.resolved.images.get(p.id, {}).get("seal_image"),
    )
