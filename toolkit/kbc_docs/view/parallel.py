"""A parallel document: two language versions side by side, paragraph by paragraph, signed once.

Putting a paragraph and its translations in one table row is what keeps them level on the page
however long each one is.
"""

from __future__ import annotations

from dataclasses import dataclass

from kbc_docs.messages import msg
from kbc_docs.view.version import Role, SignerBlock, Version


@dataclass(frozen=True)
class Cell:
    """One language's text in a row of a parallel document.

    Each cell carries its own ``lang``, since a row mixes languages: both renderers take the
    cell's fonts from it, and the PDF its ``lang`` attribute.
    """

    lang: str
    text: str


@dataclass(frozen=True)
class ParallelRow:
    """One row of a parallel document: the same paragraph in every language, left to right.

    Putting a paragraph and its translations in one table row is what keeps them level on the
    page however long each one is; ``role`` picks the paragraph style in both renderers.
    """

    role: Role
    cells: list[Cell]


@dataclass(frozen=True)
class SignerText:
    """A signer's lines in one language, for the shared signing block of a parallel document."""

    lang: str
    authority: str  # "" prints no authority line
    title: str
    name: str  # "" when spelt exactly as in a language before it (printed once)


@dataclass(frozen=True)
class ParallelSigner:
    """One party's signature block of a parallel document, in every language.

    A parallel document is one text in two languages, so it is signed once: each block shows
    the authority line and title in every language (one language after the other, so that
    "TM. BAN THƯỜNG TRỰC / CHỦ TỊCH" stays a unit) above the room for the signature and seal,
    and the name in every language under it.
    """

    party: str
    texts: list[SignerText]


def rows(versions: list[Version]) -> list[ParallelRow]:
    """The body of a parallel document: paragraph ``i`` of every version on row ``i``
    (:meth:`kbc_docs.view.document.DocumentView.rows`)."""
    if len(versions) != 2:
        # Two columns of about 80 mm are the practical limit on A4 (a 12 pt Vietnamese
        # national title alone needs 88 mm), so a parallel document has exactly two.
        languages = ", ".join(v.lang for v in versions)
        raise ValueError(msg("parallel_languages", count=len(versions), languages=languages))
    bodies = [v.body for v in versions]
    if len({len(b) for b in bodies}) != 1:
        lengths = ", ".join(f"{v.lang}: {len(v.body)}" for v in versions)
        raise ValueError(msg("parallel_body_lengths", lengths=lengths))
    rows: list[ParallelRow] = []
    for i, paras in enumerate(zip(*bodies, strict=True)):
        roles = {p.role for p in paras}
        if len(roles) != 1:
            raise ValueError(msg("parallel_roles", number=i + 1, roles="/".join(sorted(roles))))
        rows.append(
            ParallelRow(
                paras[0].role,
                [Cell(v.lang, p.text) for v, p in zip(versions, paras, strict=True)],
            )
        )
    return rows


def signers(versions: list[Version]) -> list[ParallelSigner]:
    """The one signing block of a parallel document, every party once, in every language
    (:meth:`kbc_docs.view.document.DocumentView.parallel_signers`)."""
    first = versions[0]
    out: list[ParallelSigner] = []
    for block in first.signers:
        texts: list[SignerText] = []
        seen: set[str] = set()
        for version in versions:
            b = block if version is first else signer_of(version, block.party)
            texts.append(
                SignerText(version.lang, b.authority, b.title, "" if b.name in seen else b.name)
            )
            seen.add(b.name)
        out.append(ParallelSigner(block.party, texts))
    return out


def signer_of(version: Version, party: str) -> SignerBlock:
    """The signature block of ``party`` in ``version`` (every version has every party)."""
    for block in version.signers:
        if block.party == party:
            return block
    raise ValueError(msg("parallel_no_signer", lang=version.lang, party=party))
