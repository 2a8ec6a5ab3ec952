"""The content format: pydantic models for the conference file and the party registry.

The values a field holds (texts per language, ids, dates known in part, numbers) are defined in
:mod:`kbc_docs.content.values` and re-exported here; any fact may instead be
``{todo: "what is missing"}`` (:class:`Todo`), which prints a dotted space to fill by hand and
is listed as a reminder (``--strict`` refuses it). Whether each Text has *every* language the
document declares is checked afterwards in :mod:`kbc_docs.content.translations`, where the
document's language list is known.

``extra="forbid"`` everywhere: a mistyped key is an error with a "did you mean" hint, never a
field silently ignored. Counts are strict integers: YAML reads ``yes`` as true and pydantic would
otherwise count it as 1.

Facts an article does not give are never invented: agreement period, place and venue may be
left out, and a fact may be ``{todo: …}``. The messages of the cross-field checks come from
:mod:`kbc_docs.messages`, so they follow the user's language like every other message.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictInt,
    StringConstraints,
    Tag,
    model_validator,
)

from kbc_docs.content.values import (
    COUNTRY_PATTERN,
    Date,
    Id,
    ImagePath,
    LangCode,
    NonEmpty,
    Number,
    Text,
)

# Also read as schema.<name> by the checks (kbc_docs.content.check), with the models.
from kbc_docs.content.values import LANG_PATTERN as LANG_PATTERN
from kbc_docs.content.values import PartialDate as PartialDate
from kbc_docs.messages import msg
from kbc_docs.text.locale import Qualifier

# --- the base of every model; facts not known yet ------------------------------------------


class Model(BaseModel):
    """Base for every section: unknown keys are errors, values are immutable once read."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Todo(Model):
    """A fact to be completed: ``{todo: "tên đồng chủ trì phía Campuchia"}``.

    Printed as a dotted space to fill in by hand (as printed drafts for signature do); listed
    by ``validate`` and ``build`` as a reminder; ``build --strict`` refuses a file with one.
    A mapping with the single key ``todo`` cannot be mistaken for a text (language codes have
    two or three letters) nor for an id (a string).
    """

    todo: Annotated[str, StringConstraints(min_length=1, max_length=500)]


KNOWN_TAG = "=known"
TODO_TAG = "=todo"
"""Tags of the two sides of an :func:`OrTodo` union. Union tags start with "=" and appear in
pydantic's error locations, where :mod:`kbc_docs.content.schema_errors` removes them (they are
no field a clerk wrote)."""


def _todo_or_known(value: Any) -> str:
    return TODO_TAG if isinstance(value, dict) and "todo" in value else KNOWN_TAG


def OrTodo(tp: Any) -> Any:  # used like a type, hence the capital
    """``tp`` or a :class:`Todo`; only the side the value looks like is checked, so a wrong
    value gets one message about ``tp`` rather than one per alternative."""
    return Annotated[
        Union[Annotated[tp, Tag(KNOWN_TAG)], Annotated[Todo, Tag(TODO_TAG)]],  # noqa: UP007
        Discriminator(_todo_or_known),
    ]


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
    """An organisation that takes part in conferences.

    ``format`` says which rules its documents follow: ``state`` (Decree 30/2020/NĐ-CP: national
    title and motto, "Số: 12/BC-…", "TM.", "KT.") for State bodies and mass organisations such as
    the Fatherland Front, or ``party`` (Hướng dẫn 36-HD/VPTW: "ĐẢNG CỘNG SẢN VIỆT NAM",
    "Số 12-BC/TU", "T/M", "K/T") for bodies of the Communist Party (tỉnh ủy, ban tuyên giáo…).
    """

    country: Annotated[str, StringConstraints(pattern=COUNTRY_PATTERN)]
    province: Id
    name: Text
    short_name: Text
    header: HeaderLines
    format: Literal["state", "party"] = "state"


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
    """The agreement under review; only its name is required.

    When the day, place or period of signing is not known, leave it out (the sentence that
    names the agreement is worded without it) or mark it ``{todo: …}`` to fill in by hand.
    """

    name: Text
    signed_on: OrTodo(Date) | None = None
    signed_at: OrTodo(Id) | None = None  # a place id from the registry
    period: OrTodo(Period) | None = None


class DocumentInfo(Model):
    """What document this is and in which languages.

    ``number`` is printed as typed after "Số:" (Party format: "Số "), e.g. ``12/BC-MTTQ-BTT``;
    written without the number, ``/BC-MTTQ-BTT`` (``-BC/TU``), it leaves room for the registry
    clerk to write the number at issue. ``leading_zero`` writes counts below 10 as "02" (the
    Vietnamese official habit, the default where the language file says so) in figures and
    generated sentences alike.
    """

    kind: Literal["so-ket", "tong-ket", "bao-cao"]
    languages: list[LangCode] = Field(min_length=1)
    number: str | None = Field(default=None, max_length=60)  # số ký hiệu, e.g. "12/BC-MTTQ-BTT"
    title: Text  # trích yếu
    reviews: Span | None = None  # how long the review covers (sơ kết, tổng kết)
    layout: Literal["sequential", "parallel"] = "sequential"
    leading_zero: bool | None = None


class Conference(Model):
    """When and where the conference met, who hosted it and, when it is no review of the
    agreement (a plain báo cáo), what it was called."""

    name: Text | None = None  # e.g. "Hội nghị tuyên truyền kết quả phân giới cắm mốc"
    date: OrTodo(Date)
    venue: OrTodo(Text) | None = None
    # The party that hosted, if the article says; without it the sentence names all the
    # parties as organising together.
    host: Id | None = None


class Delegation(Model):
    """A delegation counted rather than named (``22 thành viên``)."""

    members: StrictInt = Field(ge=1, le=10_000)
    description: Text


AUTHORITIES = ("TM", "KT", "Q", "TL", "TUQ")
"""Decree 30's authority prefixes (the Party format writes them T/M, K/T, Q., T/L, T/UQ)."""


class SecondAuthority(Model):
    """The second authority line of a two-level signature: "KT. CHỦ TỊCH" under
    "TM. ỦY BAN NHÂN DÂN", or "KT. CHÁNH VĂN PHÒNG" under "TL. BỘ TRƯỞNG"."""

    authority: Literal["KT", "Q"]
    on_behalf_of: Text  # e.g. "Chủ tịch"


class Signer(Model):
    """Who signs for a party and with what authority (Decree 30: TM., KT., Q., TL., TUQ.).

    ``DD`` is "ĐẠI DIỆN" (representing), customary for each side of a joint document; it
    names the party itself unless ``on_behalf_of`` says otherwise, and is the default.
    ``none`` prints the title alone (a head signing in their own name). ``second`` adds the
    second line of a two-level signature (TM. + KT., TL. + KT. …).
    """

    authority: Literal["TM", "KT", "Q", "TL", "TUQ", "DD", "none"] | None = None
    on_behalf_of: Text | None = None  # the line after the prefix, e.g. "BAN THƯỜNG TRỰC"
    second: SecondAuthority | None = None
    title: OrTodo(Text)  # e.g. "CHỦ TỊCH", printed upper case
    person: OrTodo(Id)
    # Scans printed in the room for the signature, each a PNG or JPEG file in the content
    # file's folder, given relative to it (checked in kbc_docs.content.images): the signature over
    # the seal.
    signature_image: ImagePath | None = None
    seal_image: ImagePath | None = None

    @model_validator(mode="after")
    def _authority_needs_body(self) -> Signer:
        if self.authority in AUTHORITIES and not self.on_behalf_of:
            raise ValueError(msg("authority_needs_body", authority=self.authority))
        if self.second is not None and self.authority not in ("TM", "TL", "TUQ"):
            raise ValueError(msg("second_needs_first", authority=self.authority or "DD"))
        return self


class Participation(Model):
    """One party's side of the conference; a party without ``signer`` does not sign."""

    party: Id
    co_chairs: list[OrTodo(Id)] = []
    attendees: list[OrTodo(Id)] = []
    others: list[Text] = []  # groups attending without names
    delegation: Delegation | None = None
    signer: Signer | None = None


PlainUnit = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Unit = Annotated[
    Union[Annotated[Text, Tag("=text")], Annotated[PlainUnit, Tag("=plain")]],  # noqa: UP007
    Discriminator(lambda v: "=text" if isinstance(v, dict) else "=plain"),
]
"""A figure's unit: a text per language (``{vi: lượt, km: លើក}``) or one string for every
language (``USD``, ``km``, ``%``)."""


class Figure(Model):
    """A number worth showing on its own line: ``1.667 bộ``, ``23/28 mốc chính``,
    ``khoảng 256 triệu USD``, ``mốc số 287–314``, ``84%``.

    ``unit`` is a text per language or one string for all (``USD``, ``km``, ``%``); ``total``
    makes a ratio (23/28), ``to`` a range (287–314).
    """

    label: Text
    # khoảng, hơn, trên, gần, dưới: the wording per language is in the language files
    qualifier: Qualifier | None = None
    value: OrTodo(Number)
    total: Number | None = None
    to: Number | None = None
    unit: Unit | None = None

    @model_validator(mode="after")
    def _total(self) -> Figure:
        value = self.value if isinstance(self.value, Decimal) else None
        if self.total is not None and self.to is not None:
            raise ValueError(msg("figure_total_and_to"))
        if value is not None and self.total is not None and self.total < value:
            raise ValueError(msg("figure_total", value=value, total=self.total))
        if value is not None and self.to is not None and self.to <= value:
            raise ValueError(msg("figure_range", value=value, to=self.to))
        return self


class ResultField(Model):
    """The results in one field of cooperation."""

    title: Text
    paragraphs: list[OrTodo(Text)] = Field(min_length=1)
    figures: list[Figure] = []


class Signing(Model):
    """Where and when the report is signed, and in how many originals.

    A date known only to the month or year prints blanks for the rest of the date line
    ("ngày    tháng    năm 2024"), to be written by hand at signing.
    """

    place: OrTodo(Id)
    date: OrTodo(Date)
    copies: StrictInt | None = Field(default=None, ge=1, le=20)  # default: one per party


class Content(Model):
    """A whole conference file."""

    registry: str = "registry.yaml"  # path relative to the content file
    # An office's template folder for this conference, relative to the content file; searched
    # before the defaults (the --templates option wins over it).
    templates: str | None = None
    document: DocumentInfo
    agreement: Agreement | None = None
    conference: Conference
    parties: list[Participation] = Field(min_length=1)
    background: list[OrTodo(Text)] = Field(min_length=1)
    results: list[ResultField] = Field(min_length=1)
    limitations: list[OrTodo(Text)] = []
    causes: list[OrTodo(Text)] = []
    directions: list[OrTodo(Text)] = Field(min_length=1)
    signing: Signing
    recipients: dict[LangCode, list[NonEmpty]] = {}  # "Nơi nhận", per language version
