"""The values a content field can hold: texts per language, ids, dates known in part, numbers.

Every human-language field is a :data:`Text`, a mapping from language code to string, so the
Khmer or Lao wording lives in the file beside the Vietnamese and nothing is translated at build
time. Facts an article does not give are never invented: a date may be a year (``2015``), a
month (``2015-03``) or a day (``2015-03-25``). Each value reads YAML's forms strictly (no yes/no
for a number) and says what it expects in the user's language. The models that use these
values, and the ``{todo: …}`` that may stand for any of them, are in
:mod:`kbc_docs.content.schema`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from annotated_types import MinLen
from pydantic import (
    BeforeValidator,
    StringConstraints,
    WithJsonSchema,
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
