"""The content format: pydantic models for the conference file and the party registry.

Every human-language field is a :data:`Text`, a mapping from language code to string, so the
Khmer or Lao wording lives in the file beside the Vietnamese and nothing is translated at build
time. Whether each Text has *every* language the document declares is checked afterwards in
:mod:`kbc_docs.content.check`, where the document's language list is known.

``extra="forbid"`` everywhere: a mistyped key is an error with a "did you mean" hint, never a
field silently ignored. Counts are strict integers: YAML reads ``yes`` as true and pydantic would
otherwise count it as 1. The messages of the cross-field checks come from
:mod:`kbc_docs.messages`, so they follow the user's language like every other message.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from annotated_types import MinLen
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    model_validator,
)

from kbc_docs.messages import msg

LANG_PATTERN = r"^[a-z]{2,3}$"
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"
MAX_COUNT = 1_000_000_000  # a figure larger than this is a typo, and would not fit a line

LangCode = Annotated[str, StringConstraints(pattern=LANG_PATTERN)]
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Text = Annotated[dict[LangCode, NonEmpty], MinLen(1)]
"""One wording per language code, e.g. ``{vi: "Kiên Giang", km: "គៀនយ៉ាង"}``; never empty."""
ImagePath = Annotated[str, StringConstraints(min_length=1, max_length=500)]
"""A PNG or JPEG file beside the content file, relative to it, e.g. ``chu-ky.png``."""


class Model(BaseModel):
    """Base for every section: unknown keys are errors, values are immutable once read."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --- registry (content/registry.yaml): typed once, reused every year -----------------------


class HeaderLines(Model):
    """The issuing-body lines of the top-left header, upper case as printed.

    ``superior`` is printed regular above ``body`` in bold (Decree 30). Kept in the registry, not
    in a template, because bodies are renamed and provinces merged (Kiên Giang into An Giang,
    2025).
    """

    superior: Text | None = None
    body: Text


class Place(Model):
    """A place named in documents (date line, venue, signing place)."""

    name: Text


class Party(Model):
    """An organisation that takes part in conferences."""

    country: Annotated[str, StringConstraints(pattern=COUNTRY_PATTERN)]
    province: Id
    name: Text
    short_name: Text
    header: HeaderLines


class Person(Model):
    """Someone who chairs, attends or signs; titles in order of precedence."""

    honorific: Text
    name: Text
    titles: list[Text] = Field(min_length=1)


class Registry(Model):
    """Everything typed once for many conferences: places, parties and people."""

    places: dict[Id, Place]
    parties: dict[Id, Party]
    people: dict[Id, Person] = {}


# --- the conference file ------------------------------------------------------------------


class Period(Model):
    """The years an agreement covers, e.g. 2023–2025."""

    start: StrictInt = Field(ge=1900, le=2200)
    end: StrictInt = Field(ge=1900, le=2200)

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(msg("period_order", start=self.start, end=self.end))
        return self


class Span(Model):
    """How long a review covers: exactly one of years or months (``01 năm``, ``06 tháng``)."""

    years: StrictInt | None = Field(default=None, ge=1, le=50)
    months: StrictInt | None = Field(default=None, ge=1, le=600)

    @model_validator(mode="after")
    def _one(self) -> Span:
        if (self.years is None) == (self.months is None):
            raise ValueError(msg("span_one"))
        return self


class Agreement(Model):
    """The agreement under review."""

    name: Text
    signed_on: dt.date
    signed_at: Id  # a place id from the registry
    period: Period


class DocumentInfo(Model):
    """What document this is and in which languages."""

    kind: Literal["so-ket", "tong-ket"]
    languages: list[LangCode] = Field(min_length=2)
    number: str | None = Field(default=None, max_length=60)  # số ký hiệu, e.g. "12/BC-MTTQ-BTT"
    title: Text  # trích yếu
    reviews: Span
    layout: Literal["sequential", "parallel"] = "sequential"


class Conference(Model):
    """When and where the review conference met, and who hosted it."""

    date: dt.date
    venue: Text
    host: Id  # a party id


class Delegation(Model):
    """A delegation counted rather than named (``22 thành viên``)."""

    members: StrictInt = Field(ge=1, le=10_000)
    description: Text


class Signer(Model):
    """Who signs for a party and with what authority (Decree 30: TM., KT., Q., TL., TUQ.).

    ``DD`` is "ĐẠI DIỆN" (representing), customary for each side of a joint document; it
    names the party itself unless ``on_behalf_of`` says otherwise. A signer without an
    authority is printed as ``DD`` of their party (every document has several parties).
    """

    authority: Literal["TM", "KT", "Q", "TL", "TUQ", "DD"] | None = None
    on_behalf_of: Text | None = None  # the line after the prefix, e.g. "BAN THƯỜNG TRỰC"
    title: Text  # e.g. "CHỦ TỊCH", printed upper case
    person: Id
    # Scans printed in the room for the signature, each a PNG or JPEG file in the content
    # file's folder, given relative to it (checked in kbc_docs.content.images): the signature over
    # the seal.
    signature_image: ImagePath | None = None
    seal_image: ImagePath | None = None

    @model_validator(mode="after")
    def _authority_needs_body(self) -> Signer:
        if self.authority and self.authority != "DD" and not self.on_behalf_of:
            raise ValueError(msg("authority_needs_body", authority=self.authority))
        return self


class Participation(Model):
    """One party's side of the conference."""

    party: Id
    co_chairs: list[Id] = Field(min_length=1)
    attendees: list[Id] = []
    others: list[Text] = []  # groups attending without names
    delegation: Delegation | None = None
    signer: Signer


class Figure(Model):
    """A number worth showing on its own line: ``06 bộ hài cốt``, ``23/28 mốc chính``."""

    label: Text
    value: StrictInt = Field(ge=0, le=MAX_COUNT)
    total: StrictInt | None = Field(default=None, ge=0, le=MAX_COUNT)
    unit: Text

    @model_validator(mode="after")
    def _total(self) -> Figure:
        if self.total is not None and self.total < self.value:
            raise ValueError(msg("figure_total", value=self.value, total=self.total))
        return self


class ResultField(Model):
    """The results in one field of cooperation."""

    title: Text
    paragraphs: list[Text] = Field(min_length=1)
    figures: list[Figure] = []


class Signing(Model):
    """Where and when the report is signed, and in how many originals."""

    place: Id
    date: dt.date
    copies: StrictInt | None = Field(default=None, ge=1, le=20)  # default: one per party


class Content(Model):
    """A whole conference file."""

    registry: str = "registry.yaml"  # path relative to the content file
    # An office's template folder for this conference, relative to the content file; searched
    # before the defaults (the --templates option wins over it).
    templates: str | None = None
    document: DocumentInfo
    agreement: Agreement
    conference: Conference
    parties: list[Participation] = Field(min_length=2)
    background: list[Text] = Field(min_length=1)
    results: list[ResultField] = Field(min_length=1)
    limitations: list[Text] = []
    causes: list[Text] = []
    directions: list[Text] = Field(min_length=1)
    signing: Signing
    recipients: dict[LangCode, list[NonEmpty]] = {}  # "Nơi nhận", per language version
