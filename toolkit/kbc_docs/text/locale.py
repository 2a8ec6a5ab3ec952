"""Per-language wording and form, read from ``templates/locale/<lang>.yaml``, and the formatting
that depends on it (digits, dates, counts, lists).

The wording of generated sentences is data that staff may edit; only the rules live here.
Digits come from ICU's numbering systems (``km@numbers=khmr``) and month and language names from
CLDR through Babel, so no table here repeats what CLDR already has.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal
from pathlib import Path
from typing import Literal

import icu
from babel import Locale as BabelLocale
from babel.dates import get_month_names
from babel.lists import format_list
from pydantic import BaseModel, ConfigDict, ValidationError

from kbc_docs.content.load import load_yaml
from kbc_docs.errors import Problem, TemplateError
from kbc_docs.messages import msg


class FontRole(BaseModel):
    """A font for one role (body or heading): the Word family, the PDF stack, its package."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    family: str
    pdf: list[str]
    package: str


class Fonts(BaseModel):
    """One font per role, the same family in the Word file and the PDF (the PDF stack puts a
    Latin face first for Vietnamese names inside the text). ``national_title`` (national
    title and motto) and ``names`` (signers' names) default to the heading font."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    body: FontRole
    heading: FontRole
    national_title: FontRole | None = None
    names: FontRole | None = None

    def role(self, name: str) -> FontRole:
        """The font of role ``name`` (body, heading, national_title, names)."""
        return getattr(self, name) or self.heading


class Headings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    situation: str
    results: str
    limitations: str
    limitations_sub: str
    causes_sub: str
    directions: str


class Authorities(BaseModel):
    """The signer's authority prefixes (Decree 30's TM., KT., Q., TL., TUQ., and ĐẠI DIỆN)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    TM: str
    KT: str
    Q: str
    TL: str
    TUQ: str
    DD: str


class PartyForm(BaseModel):
    """The Party's own form of a language version (Hướng dẫn 36-HD/VPTW, 2018): its title in
    place of the national title and motto, "Số 12-BC/TU" without a colon, and the authority
    prefixes written with a slash (T/M, K/T, T/L, T/UQ)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    national_title: str
    motto: str
    number: str
    authority: Authorities
    body_mark: str  # printed under the issuing body in place of the rule: "*"


Precision = Literal["day", "month", "year"]
Qualifier = Literal["khoang", "hon", "tren", "gan", "duoi"]


class LocaleData(BaseModel):
    """Everything one language version needs beyond the content file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    language: str
    country: str
    digits: str
    header_style: Literal["decree30", "centred"]
    date_position: Literal["top", "signatures"] = "signatures"
    """Where a centred header's version prints its place-and-date line: at the top right with
    the number (Lao usage) or above the signatures (Khmer usage)."""
    national_title: str
    motto: str
    number: str
    date: str
    month_pad_below: int
    short_date: str
    on_date: dict[Precision, str]
    blank: str
    blank_short: str
    blank_place: str | None = None
    """The dotted place of the place-and-date line (``blank`` when not given): shorter, so that
    the line with every part dotted ("…………, ngày …… tháng …… năm ……") stays one line in the
    header's column, as Decree 30 prints it."""
    kind: dict[str, str]
    review: dict[str, str]
    span: dict[Literal["years", "months"], str]
    pad_counts: bool
    number_words: list[str] = []
    """One to ten in words, as a title may word the review span ("hai năm"); validate checks
    the title words it as the report does."""
    language_name: str
    headings: Headings
    conference: str
    venue: str
    guests: str
    review_name: str
    span_part: str
    period_part: str
    signed_part: str
    signed_on_part: str
    signed_at_part: str
    side: str
    sentence_end: str
    chairs: str
    attendees: str
    delegation: str
    person: str
    conjunction: str
    list_separator: str
    title_separator: str
    figure: str
    qualifiers: dict[Qualifier, str]
    range: str
    copies: str
    authority: Authorities
    party: PartyForm | None = None
    recipients: str
    section_numbers: Literal["roman", "arabic"]
    fonts: Fonts
    unbreakable: list[str] = []
    """Words and set phrases a line never breaks inside (Khmer, Lao: see kbc_docs.segment;
    Vietnamese: the signature blocks, kbc_docs.view.signatures)."""


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(pattern: str, **values: str) -> str:
    """Fill ``{name}`` placeholders; only plain names, so an edited pattern cannot reach objects.

    ``str.format`` would allow ``{x.__class__}`` in a pattern written by another office.
    """

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise TemplateError(msg("locale_placeholder", name=name, pattern=pattern))
        return values[name]

    return _PLACEHOLDER.sub(one, pattern)


@functools.cache
def number_format(language: str, numbering: str) -> icu.NumberFormat:
    """ICU's integer format in a CLDR numbering system (``km``, ``khmr`` → ២៥៦៨), no grouping.

    The one place native digits are made: the language file names the numbering system
    (``digits: khmr``), ICU knows the digits.
    """
    fmt = icu.NumberFormat.createInstance(icu.Locale(f"{language}@numbers={numbering}"))
    fmt.setGroupingUsed(False)  # a year is written ២៥៦៨, not ២,៥៦៨
    return fmt


def digit_zero(numbering: str) -> int:
    """Code point of the digit zero of a CLDR numbering system (``khmr`` → U+17E0)."""
    return ord(icu.NumberingSystem.createInstanceByName(numbering).getDescription()[0])


class Locale:
    """One language's wording plus its number, date and list formatting."""

    def __init__(self, data: LocaleData, leading_zero: bool | None = None) -> None:
        self.data = data
        self.code = data.language
        # A content file may choose for itself whether counts below 10 take a leading zero.
        self.leading_zero = data.pad_counts if leading_zero is None else leading_zero
        self._icu_locale = icu.Locale(f"{data.language}@numbers={data.digits}")
        self._int = number_format(data.language, data.digits)
        self._grouped = icu.NumberFormat.createInstance(self._icu_locale)
        self._pad2 = icu.DecimalFormat("00", icu.DecimalFormatSymbols(self._icu_locale))
        self._babel = BabelLocale.parse(data.language)

    def with_leading_zero(self, leading_zero: bool | None) -> Locale:
        """This language as a content file asks for it (``document.leading_zero``)."""
        return self if leading_zero is None else Locale(self.data, leading_zero)

    def number(self, value: int, *, pad: bool = False, grouped: bool = False) -> str:
        """A number in this language's digits; ``pad`` gives two digits below 10 ("06")."""
        if pad and 0 <= value < 10:
            return self._pad2.format(value)
        return (self._grouped if grouped else self._int).format(value)

    def digits(self, text: str) -> str:
        """Replace ASCII digits in generated text (roman numbering excepted) by native digits."""
        return re.sub(r"\d+", lambda m: self._int.format(int(m.group())), text)

    def count(self, value: int) -> str:
        """A count as official texts write it ("01 năm", "22 thành viên")."""
        return self.number(value, pad=self.leading_zero)

    def quantity(self, value: Decimal) -> str:
        """A figure by the language's CLDR rules: grouped, with as many decimals as typed
        ("253.494.860,10", "1.667", "49,677"; Khmer digits and grouping in Khmer); a whole
        count below 10 takes the leading zero when the document asks for it ("06")."""
        places = max(0, -int(value.as_tuple().exponent))
        if places == 0:
            whole = int(value)
            if self.leading_zero and whole < 10:
                return self._pad2.format(whole)
            return self._grouped.format(whole)
        fmt = icu.NumberFormat.createInstance(self._icu_locale)
        fmt.setMinimumFractionDigits(places)
        fmt.setMaximumFractionDigits(places)
        return str(fmt.format(float(value)))

    def percent(self, value: Decimal) -> str:
        """A percentage by CLDR ("84%", Khmer "៨៤%"), with the decimals typed."""
        places = max(0, -int(value.as_tuple().exponent))
        fmt = icu.NumberFormat.createPercentInstance(self._icu_locale)
        fmt.setMinimumFractionDigits(places)
        fmt.setMaximumFractionDigits(places)
        return str(fmt.format(float(value) / 100))

    def on_date(self, day: dt.date | None, precision: Precision = "day") -> str:
        """A date inside a sentence, as precise as it is known ("ngày 16/11/2023",
        "tháng 3/2015", "năm 2015"); ``None`` is a date to be completed (dotted)."""
        if day is None:
            return fill(self.data.on_date["day"], **self._date_parts(None, "day"))
        return fill(self.data.on_date[precision], **self._date_parts(day, precision))

    def date(self, day: dt.date | None, place: str, precision: Precision = "day") -> str:
        """The place-and-date line ("Kiên Giang, ngày 16 tháng 11 năm 2023"); the parts not
        known yet are dotted, to be written by hand ("ngày …… tháng …… năm 2024")."""
        return fill(self.data.date, place=place, **self._date_parts(day, precision))

    def short_date(self, day: dt.date | None, precision: Precision = "day") -> str:
        """A date inside a sentence ("16/11/2023"; "……/9/2017" when the day is not known)."""
        return fill(self.data.short_date, **self._date_parts(day, precision))

    def _date_parts(self, day: dt.date | None, precision: Precision = "day") -> dict[str, str]:
        """The placeholders of a date pattern; the parts not known (``precision``, or the
        whole date when ``day`` is None) are dotted, to be written by hand."""
        blank = self.data.blank_short
        parts = dict.fromkeys(("d", "dd", "m", "mm", "month_name", "yyyy"), blank)
        if day is None:
            return parts
        parts["yyyy"] = self.number(day.year)
        if precision != "year":
            parts |= {
                "m": self.number(day.month),
                "mm": self.number(day.month, pad=day.month < self.data.month_pad_below),
                "month_name": get_month_names("wide", locale=self._babel)[day.month],
            }
        if precision == "day":
            parts |= {"d": self.number(day.day), "dd": self.number(day.day, pad=True)}
        return parts

    def span(self, years: int | None, months: int | None) -> str:
        """How long a review covers ("01 năm", "06 tháng")."""
        if years is not None:
            return fill(self.data.span["years"], n=self.count(years))
        assert months is not None  # the schema guarantees exactly one
        return fill(self.data.span["months"], n=self.count(months))

    def period(self, start: int, end: int) -> str:
        """A span of years ("2023 - 2025")."""
        return f"{self.number(start)} - {self.number(end)}"

    def authorities(self, party_format: str) -> Authorities:
        """The authority prefixes of a body's format: Decree 30 ("TM.") or the Party's ("T/M")."""
        if party_format == "party" and self.data.party is not None:
            return self.data.party.authority
        return self.data.authority

    def language_names(self, codes: list[str]) -> str:
        """The document's languages named in this language ("tiếng Việt và tiếng Khmer")."""
        names = []
        for code in codes:
            name = self._babel.languages.get(code, code)
            names.append(
                fill(
                    self.data.language_name,
                    name=name,
                    name_lower_first=name[:1].lower() + name[1:],
                )
            )
        return format_list(names, locale=self._babel)

    def join(self, items: list[str]) -> str:
        """Join a few names: "A, B và C" with this language's conjunction."""
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + self.data.conjunction + items[-1]

    def section_number(self, index: int) -> str:
        """Top-level section numbers: Roman (I., II.) as Vietnamese and Khmer reports use."""
        if self.data.section_numbers == "arabic":
            return self.number(index) + "."
        return _roman(index) + "."

    def item_number(self, index: int) -> str:
        """Numbers of sub-sections and list items (1., 2. / ១., ២.)."""
        return self.number(index) + "."


def _roman(n: int) -> str:
    values = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC")]
    values += [(50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in values:
        while n >= value:
            out += letters
            n -= value
    return out


@functools.cache
def load_locale(folder: Path, code: str) -> Locale:
    """Read and check ``<folder>/<code>.yaml``; a missing language is a clear error."""
    file = folder / f"{code}.yaml"
    if not file.is_file():
        known = sorted(p.stem for p in folder.glob("*.yaml"))
        raise TemplateError([Problem(msg("no_locale", lang=code, known=", ".join(known)), file)])
    loaded = load_yaml(file)
    try:
        return Locale(LocaleData(**loaded.data))
    except ValidationError as exc:
        raise TemplateError(
            [
                loaded.problem(".".join(str(p) for p in err["loc"]), err["msg"])
                for err in exc.errors()
            ]
        ) from None
