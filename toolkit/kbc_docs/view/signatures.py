"""The end of a joint document: the copies-and-languages clause and each party's signature block.

Decree 30 prints the authority line and the title in capitals; each side of a joint document
says for which body it signs.
"""

from __future__ import annotations

from collections.abc import Iterable

from kbc_docs.content.resolve import Resolved, ResolvedParty
from kbc_docs.content.schema import Todo
from kbc_docs.content.values import Text
from kbc_docs.text.locale import Locale, fill
from kbc_docs.text.segment import LETTERS, NBSP
from kbc_docs.view.linebreaks import unbreakable
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


TABLE_CHARS = 53
"""Capitals of the signature lines (13 pt bold: style.css and the Word styles; about 3 mm
each) across the signers' table, the page's text area (165 mm). A block of a table of ``n``
signers holds ``TABLE_CHARS // n - 2`` (its padding takes about two; one signer alone signs in
the right half, like one of two): 24 in a two-party block, 15 in a three-party one, which
"BAN THƯỜNG TRỰC" fills. A phrase longer than its block holds is not kept whole: a line that
cannot break would run out of the block."""


def authority_line(
    prefix: str, body: str, phrases: Iterable[str] | None = (), signers: int = 2
) -> str:
    """The authority word and the body it signs for ("TM. BAN THƯỜNG TRỰC"), in capitals,
    breakable only where a clerk would break it.

    Decree 30 writes "TM. BAN THƯỜNG TRỰC" on one line; where a narrow block of a
    three-party page cannot hold it, the line breaks between whole phrases: after the
    authority word, and inside the body's name only between its set phrases
    (:func:`phrased`), never after its first one ("TM." / "BAN THƯỜNG TRỰC", "ĐẠI DIỆN" /
    "ỦY BAN MẶT TRẬN" / …; not "TM. BAN" / "THƯỜNG TRỰC"). The spaces kept are NO-BREAK
    SPACEs (U+00A0), the keep-together mark both renderers honour
    (:func:`kbc_docs.text.segment.keep_together`); they look and extract as spaces.

    ``phrases`` is None for Khmer and Lao, which have no spaces between words (their breaks
    are marked later, :mod:`kbc_docs.view.linebreaks`): there the word stays joined to the
    body, so that it is never alone at the end of a line.
    """
    glued = prefix.upper().replace(" ", NBSP)
    if phrases is None:
        return f"{glued}{NBSP}{body.upper()}"
    return f"{glued} {phrased(body, phrases, signers, first_kept=True)}"


def phrased(text: str, phrases: Iterable[str], signers: int, first_kept: bool = False) -> str:
    """``text`` in capitals with the spaces inside each of ``phrases`` (the longest first)
    made NO-BREAK SPACEs, where the phrase fits a line of a block of ``signers``
    (:data:`TABLE_CHARS`); with ``first_kept``, the first phrase is kept with the next too, so
    a name is never split after its first word ("ỦY BAN MẶT TRẬN …", "BAN THƯỜNG TRỰC")."""
    fits = TABLE_CHARS // max(signers, 2) - 2
    known = {tuple(p.upper().split()) for p in phrases if " " in p.strip()}
    longest = max((len(p) for p in known), default=1)
    words = text.upper().split()
    units: list[list[str]] = []
    at = 0
    while at < len(words):
        size = next(
            (
                n
                for n in range(min(longest, len(words) - at), 1, -1)
                if tuple(words[at : at + n]) in known and len(" ".join(words[at : at + n])) <= fits
            ),
            1,
        )
        units.append(words[at : at + size])
        at += size
    if first_kept and len(units) > 1 and len(" ".join(units[0] + units[1])) <= fits:
        units[:2] = [units[0] + units[1]]
    return " ".join(NBSP.join(unit) for unit in units)


def signer_block(p: ResolvedParty, loc: Locale) -> SignerBlock:
    lang = loc.code
    signer = p.part.signer
    assert signer is not None  # only parties that sign have a block
    prefixes = loc.authorities(p.party.format)
    # The set phrases a line of the block keeps whole (in a language written with spaces
    # between words), and how many blocks share the width.
    phrases = unbreakable(p.resolved, loc) if lang not in LETTERS else None
    signers = sum(1 for x in p.resolved.content.parties if x.signer is not None)
    title = printed_text(signer.title, loc)
    # Each side of a joint document says for which body it signs: "ĐẠI DIỆN <the party>"
    # unless the content gives another authority, or "none" for the title alone.
    kind = signer.authority or "DD"
    lines = []
    if kind != "none":
        body: Text = signer.on_behalf_of or p.party.name
        lines.append(authority_line(getattr(prefixes, kind), body[lang], phrases, signers))
    if signer.second is not None:
        second = signer.second
        prefix = getattr(prefixes, second.authority)
        lines.append(authority_line(prefix, second.on_behalf_of[lang], phrases, signers))
    name = signer.person
    return SignerBlock(
        party=p.id,
        # Decree 30 prints authority and title in capitals; Khmer and Lao have no case.
        authority="\n".join(lines),
        title=title.upper() if phrases is None else phrased(title, phrases, signers),
        name=loc.data.blank if isinstance(name, Todo) else p.resolved.people[name].name[lang],
        signature_image=p.resolved.images.get(p.id, {}).get("signature_image"),
        seal_image=p.resolved.images.get(p.id, {}).get("seal_image"),
    )
