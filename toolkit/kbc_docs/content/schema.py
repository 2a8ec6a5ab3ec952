"""The content format: pydantic models for the conference file and the party registry.

Every human-language field is a :data:`Text`, a mapping from language code to string, so the
Khmer or Lao wording lives in the file beside the Vietnamese and nothing is translated at build
time. Whether each Text has *every* language the document declares is checked afterwards in
:mod:`kbc_docs.content.check`, where the document's language list is known.

``extra="forbid"`` everywhere: a mistyped key is an error with a "did you mean" hint, never a
field silently ignored. Counts are strict integers: YAML reads ``yes`` as true and pydantic would
otherwise count it as 1.

Facts an article does not give are never invented: a date may be a year (``2015``), a month
(``2015-03``) or a day (``2015-03-25``); agreement period, place and venue may be left out; and a
person, number, date, place or text may be ``{todo: "what is missing"}`` (:class:`Todo`), which
prints a dotted space to fill by hand and is listed as a reminder (``--strict`` refuses it).
The messages of the cross-field checks come from :mod:`kbc_docs.messages`, so they follow the
user's language like every other message.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from annotated_types import MinLen
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictInt,
    StringConstraints,
    Tag,
    WithJsonSchema,
    model_validator,
)

from kbc_docs.messages import msg
from kbc_docs.text.locale import Qualifier

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


# --- facts known in part, or not yet --------------------------------------------------------


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


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day (``2015``, ``2015-03``, ``2015-03-25``)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Literal["year", "month", "day"]:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def first(self) -> dt.date:
        """The earliest day the date can mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> dt.date:
        """The latest day the date can mean."""
        if self.day:
            return self.first
        if self.month:
            following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)

    def __str__(self) -> str:
        parts = [
            f"{self.year:04d}",
            f"{self.month:02d}" if self.month else "",
            f"{self.day:02d}" if self.day else "",
        ]
        return "-".join(p for p in parts if p)


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DAY = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
YEARS = (1900, 2200)


def _partial_date(value: Any) -> PartialDate:
    """Read a year, a ``YYYY-MM`` month or a date; anything else is a clear error."""
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        found = PartialDate(value.year, value.month, value.day)
    elif isinstance(value, int) and not isinstance(value, bool):
        found = PartialDate(value)
    elif isinstance(value, str) and _DAY.match(value.strip()):
        year, month, day = (int(part) for part in value.strip().split("-"))
        try:
            dt.date(year, month, day)
        except ValueError:
            raise ValueError(msg("no_such_date", got=repr(value))) from None
        found = PartialDate(year, month, day)
    elif isinstance(value, str) and _MONTH.match(value.strip()):
        year, month = (int(g) for g in _MONTH.match(value.strip()).groups())  # type: ignore[union-attr]
        if not 1 <= month <= 12:
            raise ValueError(msg("no_such_month", got=repr(value)))
        found = PartialDate(year, month)
    else:
        raise ValueError(
            msg(
                "not_a_partial_date",
                got=repr(value) if isinstance(value, str | float) else type(value).__name__,
            )
        )
    if not YEARS[0] <= found.year <= YEARS[1]:
        raise ValueError(msg("year_range", got=found.year, low=YEARS[0], high=YEARS[1]))
    return found


Date = Annotated[
    PartialDate,
    BeforeValidator(_partial_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": r"^\d{4}-\d{1,2}$"},
                {"type": "integer", "minimum": YEARS[0], "maximum": YEARS[1]},
            ],
            "description": "a day YYYY-MM-DD, a month YYYY-MM or a year YYYY",
        }
    ),
]
"""A date as precise as it is known: a day, a month or a year."""

MAX_FRACTION = 4
_DECIMAL = re.compile(r"^\d+(\.\d+)?$")


def _number(value: Any) -> Decimal:
    """A figure's number: whole or decimal, never a yes/no; a quoted ``"253494860.10"`` keeps
    its trailing zero (YAML reads an unquoted 253494860.10 as 253494860.1)."""
    if isinstance(value, bool):
        raise ValueError(
            msg("expected_got", expected=msg("expect_number"), got="true" if value else "false")
        )
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float) and math.isfinite(value):
        number = Decimal(repr(value))
    elif isinstance(value, str) and _DECIMAL.match(value.strip()):
        number = Decimal(value.strip())
    else:
        raise ValueError(
            msg(
                "expected_got",
                expected=msg("expect_number"),
                got=repr(value) if isinstance(value, str | float) else type(value).__name__,
            )
        )
    if number < 0:
        raise ValueError(msg("at_least", limit=0, got=value))
    if number > MAX_COUNT:
        raise ValueError(msg("at_most", limit=MAX_COUNT, got=value))
    if -number.as_tuple().exponent > MAX_FRACTION:  # type: ignore[operator]
        raise ValueError(msg("too_many_decimals", limit=MAX_FRACTION, got=value))
    return number


Number = Annotated[
    Decimal,
    BeforeValidator(_number),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": MAX_COUNT},
                {"type": "string", "pattern": r"^\d+(\.\d+)?$"},
            ],
            "description": "a whole or decimal number; quote a decimal to keep trailing zeros",
        }
    ),
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
