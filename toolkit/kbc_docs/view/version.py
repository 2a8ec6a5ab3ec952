"""One language version of a document and its parts: header, paragraphs, signature blocks, fonts.

The renderers and the templates see only these dataclasses; their fields (and the comments
beside them) are also what the template linter knows a template may use
(:mod:`kbc_docs.templates.variables`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

Role = Literal["h1", "h2", "body", "item"]


@dataclass(frozen=True)
class Para:
    """One paragraph of the body. ``role`` picks the paragraph style in both renderers."""

    role: Role
    text: str


@dataclass(frozen=True)
class HeaderBody:
    """One issuing body in the top-left header block (Decree 30: superior regular, body bold)."""

    superior: str | None
    body: str
    # Printed under the body in place of Decree 30's rule: "*" in the Party's format
    # (Hướng dẫn 36-HD/VPTW), "" otherwise.
    mark: str = ""


@dataclass(frozen=True)
class SignerBlock:
    """One party's signature block: authority line, title, room to sign, name."""

    party: str  # party id, names the PDF signature field later
    # "TM. BAN THƯỜNG TRỰC", "ĐẠI DIỆN <party>"; two lines for a two-level signature
    # ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH"); "" prints no line (a title alone)
    authority: str
    title: str  # "CHỦ TỊCH"
    name: str
    # The checked PNG/JPEG bytes of the signature scan and the seal, printed in the room for
    # the signature (the seal behind, the signature over it); None when the content has none.
    signature_image: bytes | None = None
    seal_image: bytes | None = None

    @property
    def scans(self) -> list[tuple[Literal["seal", "signature"], bytes]]:
        """The images of the room in drawing order: the seal first, the signature over it."""
        pairs = (("seal", self.seal_image), ("signature", self.signature_image))
        return [(kind, data) for kind, data in pairs if data]  # type: ignore[misc]


@dataclass(frozen=True)
class RoomImage:
    """An image the PDF template prints in a signer's room: a seal or a signature scan.

    ``src`` is a ``data:`` URI made by the PDF renderer from the checked bytes; the renderer's
    URL fetcher serves exactly these URIs and refuses every other one.
    """

    kind: Literal["seal", "signature"]
    src: str


@dataclass(frozen=True)
class Version:
    """One complete language version of a document."""

    lang: str
    national_title: str
    motto: str
    bodies: list[HeaderBody]
    number: str | None
    lunar_date: str | None  # Khmer lunar date line, above the solar one
    date_line: str
    kind: str  # "BÁO CÁO"
    title: str  # trích yếu
    body: list[Para]
    closing: str  # the copies-and-languages clause
    signers: list[SignerBlock]
    recipients_label: str
    recipients: list[str]
    # How the language's own official form lays out the top of the page: Decree 30's two
    # columns (Vietnamese) or the centred kingdom/republic motto block (Khmer, Lao).
    header_style: Literal["decree30", "centred"] = "decree30"
    # Lao usage: number and place-and-date at the top right (not above the signatures).
    date_at_top: bool = False
    digits: str = "latn"  # CLDR numbering system for page numbers: latn, khmr, laoo

    def printed(self, document: str) -> list[str]:
        """Every string a version prints in ``document`` (``report`` or ``signing``), one per
        printed line where a string holds several (a two-level authority)."""
        signers = [
            line
            for b in self.signers
            for s in (b.authority, b.title, b.name)
            for line in s.split("\n")
        ]
        dates = [self.date_line, self.lunar_date or ""]
        if document == "signing":
            strings = [self.kind, self.title, self.closing, *dates, *signers]
        else:
            strings = [
                self.national_title,
                self.motto,
                *[s for b in self.bodies for s in (b.superior or "", b.body)],
                self.number or "",
                *dates,
                self.kind,
                self.title,
                *[p.text for p in self.body],
                self.closing,
                *signers,
            ]
            if self.recipients:  # the label is printed only above a list
                strings += [self.recipients_label, *self.recipients]
        return [s for s in strings if s.strip()]


@dataclass(frozen=True)
class FontStack:
    """The fonts one language version uses, by role, for both renderers."""

    body: str  # Word family name
    heading: str
    body_pdf: list[str]  # CSS font-family stack for WeasyPrint, Latin face first
    heading_pdf: list[str]
    packages: list[str]  # Debian packages that provide these fonts (for error messages)
    national_title: str = ""  # national title and motto (default: the heading font)
    national_title_pdf: list[str] = dataclasses.field(default_factory=list)
    names: str = ""  # signers' names (default: the heading font)
    names_pdf: list[str] = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        for role in ("national_title", "names"):
            if not getattr(self, role):
                object.__setattr__(self, role, self.heading)
            if not getattr(self, f"{role}_pdf"):
                object.__setattr__(self, f"{role}_pdf", list(self.heading_pdf))

    def pdf_stacks(self) -> list[list[str]]:
        """Every PDF stack, one per role."""
        return [self.body_pdf, self.heading_pdf, self.national_title_pdf, self.names_pdf]

    def pdf_stack(self, role: str) -> list[str]:
        """The PDF stack of ``role`` (body, heading, national_title, names)."""
        return list(getattr(self, f"{role}_pdf"))

    def families(self) -> list[str]:
        """Every Word family, one per role, without repeats."""
        return list(dict.fromkeys([self.body, self.heading, self.national_title, self.names]))
