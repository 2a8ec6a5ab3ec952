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
from pathlib import Path
from typing import Literal

import icu
from babel import Locale as BabelLocale
from babel.dates import get_month_names
from babel.lists import format_list
from pydantic import BaseModel, ConfigDict, ValidationError

from kbc_docs.content.load import load_yaml
from kbc_docs.errors import Problem, TemplateError


class FontRole(BaseModel):
    """A font for one role (body or heading): the Word family, the PDF stack, its package."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    family: str
    pdf: list[str]
    package: str


class Fonts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    body: FontRole
    heading: FontRole


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


class LocaleData(BaseModel):
    """Everything one language version needs beyond the content file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    language: str
    country: str
    digits: str
    header_style: Literal["decree30", "centred"]
    national_title: str
    motto: str
    number: str
    date: str
    month_pad_below: int
    short_date: str
    kind: dict[str, str]
    review: dict[str, str]
    span: dict[Literal["years", "months"], str]
    pad_counts: bool
    language_name: str
    headings: Headings
    conference: str
    side: str
    chairs: str
    attendees: str
    delegation: str
    person: str
    conjunction: str
    list_separator: str
    title_separator: str
    figure: str
    copies: str
    authority: Authorities
    recipients: str
    section_numbers: Literal["roman", "arabic"]
    fonts: Fonts
    unbreakable: list[str] = []
    """Words and set phrases a line never breaks inside (Khmer, Lao: see kbc_docs.segment)."""


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(pattern: str, **values: str) -> str:
    """Fill ``{name}`` placeholders; only plain names, so an edited pattern cannot reach objects.

    ``str.format`` would allow ``{x.__class__}`` in a pattern written by another office.
    """

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise TemplateError(f"unknown placeholder {{{name}}} in pattern {pattern!r}")
        return values[name]

    return _PLACEHOLDER.sub(one, pattern)


class Locale:
    """One language's wording plus its number, date and list formatting."""

    def __init__(self, data: LocaleData) -> None:
        self.data = data
        self.code = data.language
        icu_locale = icu.Locale(f"{data.language}@numbers={data.digits}")
        self._int = icu.NumberFormat.createInstance(icu_locale)
        self._int.setGroupingUsed(False)
        self._grouped = icu.NumberFormat.createInstance(icu_locale)
        self._pad2 = icu.DecimalFormat("00", icu.DecimalFormatSymbols(icu_locale))
        self._babel = BabelLocale.parse(data.language)

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
        return self.number(value, pad=self.data.pad_counts)

    def date(self, day: dt.date, place: str) -> str:
        """The place-and-date line ("Kiên Giang, ngày 16 tháng 11 năm 2023")."""
        return fill(self.data.date, place=place, **self._date_parts(day))

    def short_date(self, day: dt.date) -> str:
        """A date inside a sentence ("16/11/2023")."""
        return fill(self.data.short_date, **self._date_parts(day))

    def _date_parts(self, day: dt.date) -> dict[str, str]:
        pad_month = day.month < self.data.month_pad_below
        return {
            "d": self.number(day.day),
            "dd": self.number(day.day, pad=True),
            "m": self.number(day.month),
            "mm": self.number(day.month, pad=pad_month),
            "month_name": get_month_names("wide", locale=self._babel)[day.month],
            "yyyy": self.number(day.year),
        }

    def span(self, years: int | None, months: int | None) -> str:
        """How long a review covers ("01 năm", "06 tháng")."""
        if years is not None:
            return fill(self.data.span["years"], n=self.count(years))
        assert months is not None  # the schema guarantees exactly one
        return fill(self.data.span["months"], n=self.count(months))

    def period(self, start: int, end: int) -> str:
        """A span of years ("2023 - 2025")."""
        return f"{self.number(start)} - {self.number(end)}"

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
        raise TemplateError(
            [Problem(f"no language file for '{code}' (known: {', '.join(known)})", file)]
        )
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
