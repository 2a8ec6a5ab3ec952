"""The traditional Khmer lunisolar date (ចន្ទគតិ) of a Gregorian day, and the lunar date line
that Cambodian official letters print above the solar date.

Why our own code: the PyPI packages that claim to do this were checked and are not usable.
``khmerdate`` (0.1.3) counts months from astronomical new moons starting at 14 April, so the
lunar month goes backwards across its seam (2024-04-13 comes out as ពិសាខ, 2024-04-14 as
ចេត្រ), the animal year and the era are taken from the Gregorian year (2024-01-15 comes out as
ឆ្នាំរោង ឆស័ក instead of ឆ្នាំថោះ បញ្ចស័ក), the Buddhist Era changes on 14 April, and a leap
month is written "(Leap)" instead of បឋមាសាឍ/ទុតិយាសាឍ. ``khutils`` (1.0.3) has no lunar
calendar at all and does not even import (``from .dates import date_to_khmer`` names nothing).

Where the algorithm comes from: the arithmetic "chhankitek" (ចន្ទគតិ) calendar as implemented by
the JavaScript library momentkh (github.com/ThyrithSor/momentkh, MIT), which credits
"Pratitin Soryakkatik-Chankatik 1900-1999" by Roath Kim Soeun (cam-cc.org) for the leap rules
and dahlina.com's "គណនាម៉ោងទេវតាចុះ" for the New Year (សុរិយាឡើងស័ក) computation. This is a
port of its rules, written out so that each step says what it is; it is not a line-by-line
copy, and where momentkh is inconsistent between its versions the choice is stated below.

The calendar in short:

* A lunar year has 12 months that alternate 29 and 30 days (354 days). The leap rules work
  on the Buddhist Era (BE) year whose Visak Bochea falls in that lunar year:

  - អធិកមាស (leap month, 384 days): ជេស្ឋ is followed by two 30-day months, បឋមាសាឍ and
    ទុតិយាសាឍ, instead of the one អាសាឍ;
  - ចន្ទ្រាធិមាស (leap day, 355 days): ជេស្ឋ has 30 days instead of 29. A year cannot have
    both: a leap day that falls in a leap-month year is carried to the next year.

  Whether a year is which comes from its អាហារគុណ, អវមាន and បូតិថី (see ``_leap_kind``).
  Months are counted from a known day: 1 January 1900 was ១កើត ខែបុស្ស.
* The Buddhist Era counts from the day after the Buddha's parinirvana, so a new BE year
  begins on ១រោច ខែពិសាខ, the day *after* Visak Bochea (១៥កើត ខែពិសាខ). This is the rule the
  Ministry of Cults and Religion states (its spokesman Seng Somony, CPP news 20 April 2018: the
  change to BE 2562 "starts on ១រោច ខែពិសាខ, i.e. 30 April 2018"), the rule the yearly Moha
  Songkran announcements state ("…ត្រឹមថ្ងៃ ១៥ កើត ខែពិសាខ លុះដល់ថ្ងៃ ១ រោច ខែពិសាខ …
  តទៅចូលពុទ្ធសករាជ …"), and what dated documents show: Visak Bochea day itself is still
  dated with the old year (e.g. "ថ្ងៃអាទិត្យ ១៥កើត ខែពិសាខ ឆ្នាំខាល ចត្វាស័ក ព.ស២៥៦៥",
  15 May 2022, Senate of Cambodia). momentkh agrees for a day taken at 00:00.
* The animal year (ឆ្នាំជូត … ឆ្នាំកុរ) changes at the moment of Moha Songkran (ទេវតាចុះ), and
  the era (ស័ក, ឯកស័ក … សំរឹទ្ធិស័ក) on ថ្ងៃឡើងស័ក, the last of the 3 or 4 New Year days. So
  between New Year and Visak Bochea a date carries the new animal year and, from ឡើងស័ក on,
  the new era, with the old BE. (momentkh 2.x changes the era at Moha Songkran too; its newer
  standalone rewrite changes it at ឡើងស័ក, which is what ឡើងស័ក means and what we follow.)
* A date is taken as the civil day starting at 00:00 in Cambodia, as momentkh does for a date
  without a time: on the day of Moha Songkran itself the old animal year still applies, since
  the moment (e.g. 22:17 on 13 April 2024) has not come at the start of that day.

How it was checked: for every day from 1800 to 2300 the lunar day, the month and the BE
equal those of momentkh 2.5.5 (the npm release) for that day at 00:00; the animal year
differs on 12 days only, each a Moha Songkran day where ``_new_year`` explains why. The tests
compare against dated Cambodian documents and momentkh's own test data, not against this code.

The range is limited to Gregorian years 1800-2300: that is the range momentkh is tested on,
and the month-structure shortcut below (a lunar year starting with ខែបុស្ស around January)
holds there.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Final

from babel.dates import get_day_names

from kbc_docs.messages import msg
from kbc_docs.text.locale import number_format

__all__ = ["KhmerLunarDate", "format_lunar_line", "khmer_lunar_date"]

FIRST_YEAR: Final = 1800
LAST_YEAR: Final = 2300

WAXING: Final = "កើត"
WANING: Final = "រោច"

# Lunar month names are not in CLDR. Spelling as in the Chuon Nath dictionary; momentkh writes
# កត្ដិក with a subscript ដ, which looks the same but is a different code point.
MIGASER: Final = "មិគសិរ"
BOS: Final = "បុស្ស"
MEAK: Final = "មាឃ"
PHALKUN: Final = "ផល្គុន"
CHET: Final = "ចេត្រ"
PISAK: Final = "ពិសាខ"
JES: Final = "ជេស្ឋ"
ASAT: Final = "អាសាឍ"
FIRST_ASAT: Final = "បឋមាសាឍ"
SECOND_ASAT: Final = "ទុតិយាសាឍ"
SRAPORN: Final = "ស្រាពណ៍"
PHOTROBOT: Final = "ភទ្របទ"
ASSOCH: Final = "អស្សុជ"
KADEUK: Final = "កត្តិក"

# Animal years, indexed by (BE year + 4) % 12: BE 2568 (2024-25) is the Dragon.
ANIMAL_YEARS: Final = (
    "ជូត", "ឆ្លូវ", "ខាល", "ថោះ", "រោង", "ម្សាញ់", "មមី", "មមែ", "វក", "រកា", "ច", "កុរ",
)  # fmt: skip

# Eras (ស័ក), indexed by Chulasakarat (ចុល្លសករាជ) year % 10; JS year = BE year - 1182.
ERAS: Final = (
    "សំរឹទ្ធិស័ក", "ឯកស័ក", "ទោស័ក", "ត្រីស័ក", "ចត្វាស័ក",
    "បញ្ចស័ក", "ឆស័ក", "សប្តស័ក", "អដ្ឋស័ក", "នព្វស័ក",
)  # fmt: skip

_BE_JS_OFFSET: Final = 1182  # ពុទ្ធសករាជ - ចុល្លសករាជ
_EPOCH: Final = dt.date(1900, 1, 1)  # ១កើត ខែបុស្ស
_EPOCH_BE: Final = 2444  # the BE year whose Visak Bochea falls in the lunar year starting there

_REGULAR, _LEAP_MONTH, _LEAP_DAY = 0, 1, 2


@dataclass(frozen=True)
class KhmerLunarDate:
    """One day in the Khmer lunisolar calendar, with the names an official letter prints."""

    weekday: str  # e.g. "ចន្ទ"
    day: int  # 1..15 within the waxing or the waning half
    waxing: bool  # True = កើត, False = រោច
    month: str  # e.g. "មិគសិរ"; in a leap-month year "បឋមាសាឍ" / "ទុតិយាសាឍ"
    animal_year: str  # e.g. "រោង"
    era: str  # e.g. "ឆស័ក"
    buddhist_era: int  # e.g. 2568


def khmer_lunar_date(d: dt.date) -> KhmerLunarDate:
    """The Khmer lunar date of the Gregorian day ``d`` (taken from 00:00, Cambodia time)."""
    if isinstance(d, dt.datetime):  # a datetime is a date too; only its day counts here
        d = d.date()
    if not FIRST_YEAR <= d.year <= LAST_YEAR:
        raise ValueError(
            msg("khmer_calendar_range", date=d.isoformat(), first=FIRST_YEAR, last=LAST_YEAR)
        )
    be_year, month, day_index = _lunar_position(d)
    # The BE year that governs the lunar year begins at its Visak Bochea; before, the last one.
    buddhist_era = be_year if _is_after_visak(month, day_index) else be_year - 1

    new_year = _new_year(d.year)
    # The animal year and the era are those of the Gregorian year's New Year once it has come,
    # else those of the year before; the BE of that New Year is year + 544.
    animal_be = d.year + 544 if new_year.animal_year_changed(d) else d.year + 543
    era_be = d.year + 544 if d >= new_year.lerng_sak else d.year + 543

    return KhmerLunarDate(
        weekday=_weekday_names()[d.weekday()],
        day=day_index % 15 + 1,
        waxing=day_index < 15,
        month=month,
        animal_year=ANIMAL_YEARS[(animal_be + 4) % 12],
        era=ERAS[(era_be - _BE_JS_OFFSET) % 10],
        buddhist_era=buddhist_era,
    )


def format_lunar_line(d: dt.date) -> str:
    """The lunar date line of an official letter, e.g.
    ``ថ្ងៃចន្ទ ២កើត ខែមិគសិរ ឆ្នាំរោង ឆស័ក ព.ស.២៥៦៨`` for 2 December 2024, with Khmer digits."""
    k = khmer_lunar_date(d)
    phase = WAXING if k.waxing else WANING
    return (
        f"ថ្ងៃ{k.weekday} {_khmer_digits(k.day)}{phase} ខែ{k.month} "
        f"ឆ្នាំ{k.animal_year} {k.era} ព.ស.{_khmer_digits(k.buddhist_era)}"
    )


# --- names and digits ------------------------------------------------------------------------


@functools.cache
def _weekday_names() -> tuple[str, ...]:
    """Weekday names, Monday first, from CLDR through Babel.

    CLDR's wide Khmer name for Monday is "ច័ន្ទ", but Cambodian official letters (and dated news
    such as "ថ្ងៃចន្ទ ៤រោច ខែពិសាខ … ២០២៣") write "ចន្ទ" in the lunar date line, so that one name is
    replaced; the other six are the same in both.
    """
    cldr = get_day_names("wide", locale="km")
    customary = {0: "ចន្ទ"}
    return tuple(customary.get(i, cldr[i]) for i in range(7))


def _khmer_digits(value: int) -> str:
    return number_format("km", "khmr").format(value)


# --- leap rules --------------------------------------------------------------------------------
# All of these take a Buddhist Era year. The same formulas with the Chulasakarat year (BE - 1182)
# and the constants 373/1/650 are how the New Year texts write them; they are equal.


def _aharkun(be_year: int) -> int:
    """អាហារគុណ: days elapsed since the era's epoch, in the calendar's own reckoning."""
    return (be_year * 292207 + 499) // 800 + 4


def _kromathopol(be_year: int) -> int:
    """ក្រមធុពល: the fraction of a day (in 800ths) left at the start of the solar year."""
    return 800 - (be_year * 292207 + 499) % 800


def _has_366_days(be_year: int) -> bool:
    """Whether the Khmer solar year is a long (366-day) one."""
    return _kromathopol(be_year) <= 207


def _avoman(be_year: int) -> int:
    """អវមាន (0..691): how far the lunar day runs ahead of the solar day; decides leap days."""
    return (_aharkun(be_year) * 11 + 25) % 692


def _bodithey(be_year: int) -> int:
    """បូតិថី (0..29): the lunar day at the start of the solar year; decides leap months."""
    aharkun = _aharkun(be_year)
    return ((aharkun * 11 + 25) // 692 + aharkun + 29) % 30


@functools.cache
def _wants_leap_month(be_year: int) -> bool:
    """Adhikameas by the bodithey rule, with its two exceptions for consecutive years."""
    bodithey, next_bodithey = _bodithey(be_year), _bodithey(be_year + 1)
    if bodithey == 25 and next_bodithey == 5:  # 25 then 5: only the 5 is a leap-month year
        return False
    if bodithey == 24 and next_bodithey == 6:  # 24 then 6: the 24 must be one
        return True
    return bodithey >= 25 or bodithey <= 5


@functools.cache
def _wants_leap_day(be_year: int) -> bool:
    """Chantrathimeas by the avoman rule, before moving it out of a leap-month year."""
    avoman = _avoman(be_year)
    if avoman == 0 and _avoman(be_year - 1) == 137:
        return True
    if _has_366_days(be_year):
        return avoman < 127
    if avoman == 137 and _avoman(be_year + 1) == 0:  # 137 then 0: the 0 takes it (p. 26)
        return False
    return avoman < 138


@functools.cache
def _leap_kind(be_year: int) -> int:
    """Regular, leap-month or leap-day year.

    A year that wants both gets the leap month; its leap day goes to the next year that is not
    itself a leap-month year (momentkh's later rule, which also covers two leap-month years in
    a row).
    """
    if _wants_leap_month(be_year):
        return _LEAP_MONTH
    if _wants_leap_day(be_year):
        return _LEAP_DAY
    earlier = be_year - 1
    while _wants_leap_month(earlier):
        if _wants_leap_day(earlier):
            return _LEAP_DAY
        earlier -= 1
    return _REGULAR


def _months(be_year: int) -> tuple[tuple[str, int], ...]:
    """The months, with their lengths, of the lunar year from ខែបុស្ស to ខែមិគសិរ whose Visak
    Bochea starts BE ``be_year``."""
    kind = _leap_kind(be_year)
    jes = 30 if kind == _LEAP_DAY else 29
    asat = ((FIRST_ASAT, 30), (SECOND_ASAT, 30)) if kind == _LEAP_MONTH else ((ASAT, 30),)
    return (
        (BOS, 30), (MEAK, 29), (PHALKUN, 30), (CHET, 29), (PISAK, 30), (JES, jes),
        *asat,
        (SRAPORN, 29), (PHOTROBOT, 30), (ASSOCH, 29), (KADEUK, 30), (MIGASER, 29),
    )  # fmt: skip


def _year_length(be_year: int) -> int:
    return sum(length for _, length in _months(be_year))


_year_starts: dict[int, int] = {_EPOCH_BE: _EPOCH.toordinal()}


def _year_start(be_year: int) -> int:
    """Ordinal of ១កើត ខែបុស្ស opening the lunar year governed by ``be_year``.

    Counted from the epoch one year at a time; every year passed on the way is remembered, so
    later calls are short walks.
    """
    known = _year_starts
    if be_year not in known:
        step = 1 if be_year > _EPOCH_BE else -1
        year = be_year
        while year not in known:  # find the nearest known year on the epoch's side
            year -= step
        while year != be_year:
            if step == 1:
                known[year + 1] = known[year] + _year_length(year)
            else:
                known[year - 1] = known[year] - _year_length(year - 1)
            year += step
    return known[be_year]


def _lunar_position(d: dt.date) -> tuple[int, str, int]:
    """(BE year governing the lunar year, month name, day index 0..29) of ``d``.

    A lunar year here runs from ១កើត ខែបុស្ស (around January) to the end of ខែមិគសិរ; its ខែជេស្ឋ
    and ខែអាសាឍ, where leap days and months go, come after that year's Visak Bochea, so the BE
    year that starts then governs the whole lunar year. momentkh reaches the same months by
    guessing the BE year from the Gregorian month; this says it directly.
    """
    target = d.toordinal()
    be_year = d.year + 544  # the lunar year that starts around 1 January of d.year
    while target < _year_start(be_year):
        be_year -= 1
    while target >= _year_start(be_year + 1):
        be_year += 1
    offset = target - _year_start(be_year)
    for month, length in _months(be_year):
        if offset < length:
            return be_year, month, offset
        offset -= length
    raise AssertionError("unreachable: the offset is within the year's length")


def _gregorian_of(be_year: int, month: str, day_index: int) -> dt.date:
    """The Gregorian day of ``day_index`` (0..29) of ``month`` in the lunar year ``be_year``."""
    ordinal = _year_start(be_year)
    for name, length in _months(be_year):
        if name == month:
            return dt.date.fromordinal(ordinal + day_index)
        ordinal += length
    raise ValueError(msg("khmer_no_month", month=month, year=be_year))


def _is_after_visak(month: str, day_index: int) -> bool:
    """Whether a day of the lunar year (ខែបុស្ស first) is on or after ១រោច ខែពិសាខ."""
    if month in (BOS, MEAK, PHALKUN, CHET):
        return False
    if month == PISAK:
        return day_index >= 15
    return True


# --- New Year (សុរិយាឡើងស័ក) ----------------------------------------------------------------------


@dataclass(frozen=True)
class _NewYear:
    """Moha Songkran (the moment the new animal year begins) and ថ្ងៃឡើងស័ក (the new era)."""

    moment: dt.datetime  # naive, Cambodia time
    lerng_sak: dt.date

    def animal_year_changed(self, d: dt.date) -> bool:
        return dt.datetime.combine(d, dt.time()) >= self.moment


def _sun_inauguration(be_year: int, sotin: int) -> tuple[int, int]:
    """(angsar, libda) of សម្ពោធព្រះអាទិត្យ, the sun's true longitude within its sign, on day
    ``sotin`` (សុទិន) of the solar year that ends with the New Year of ``be_year``.

    New Year is the day on which the sun enters Aries, i.e. the first whose angsar is 0.
    Units: 1 reasey (sign) = 30 angsar (degrees), 1 angsar = 60 libda (minutes of arc);
    everything below is counted in libda. Around New Year all the values are positive, so
    Python's ``//`` and ``%`` give what JavaScript's ``Math.floor`` and ``%`` give in momentkh.
    """
    reasey_libda, angsar_libda = 30 * 60, 60
    # mean sun (មធ្យមព្រះអាទិត្យ)
    r2 = 800 * sotin + _kromathopol(be_year - 1)
    reasey, r3 = divmod(r2, 24350)
    angsar, r4 = divmod(r3, 811)
    libda = r4 // 14 - 3
    mean = reasey_libda * reasey + angsar_libda * angsar + libda
    # distance from the apogee (R2 A20), folded into one quadrant
    left = mean - (reasey_libda * 2 + angsar_libda * 20)
    if left < 0:
        left += reasey_libda * 12
    kaen = left // reasey_libda
    if kaen <= 2:
        rest = kaen  # as momentkh has it (sic); around New Year kaen is always 9
    elif kaen <= 5:
        rest = reasey_libda * 6 - left
    elif kaen <= 8:
        rest = left - reasey_libda * 6
    else:
        rest = reasey_libda * 11 + angsar_libda * 29 + 60 - left
    rest_reasey, rest_in_reasey = divmod(rest, reasey_libda)
    rest_angsar, rest_libda = divmod(rest_in_reasey, angsar_libda)
    # equation of centre (ផល) from the chhaya table, by half-sign (ខណ្ឌ)
    if rest_angsar >= 15:
        khan = 2 * rest_reasey + 1
        pouichalip = angsar_libda * (rest_angsar - 15) + rest_libda
    else:
        khan = 2 * rest_reasey
        pouichalip = angsar_libda * rest_angsar + rest_libda
    multiplicities = (35, 32, 27, 22, 13, 5)
    chhayas = (0, 35, 67, 94, 116, 129)
    phol = pouichalip * multiplicities[khan] // 900 + chhayas[khan] if khan <= 5 else 134
    true_sun = mean - phol if kaen <= 5 else mean + phol
    return divmod(true_sun % reasey_libda, angsar_libda)


@functools.cache
def _new_year(year: int) -> _NewYear:
    """Khmer New Year in Gregorian ``year``: the Soriyatra Lerng Sak computation as in momentkh.

    The sun is followed over the last days of the solar year (from day 362, or 363 after a
    366-day year); the first day whose true sun has angsar 0 gives the hour of Moha Songkran.
    ថ្ងៃឡើងស័ក is a lunar date found from the bodithey. New Year lasts 4 days if the first of
    those solar days already has angsar 0, else 3, and Moha Songkran is its first day.

    The computed hour can differ by minutes from the one the Ministry announces (2024: 22:24
    computed, 22:17 announced); momentkh patches a few years by hand. Only the day is used
    here. Checked against momentkh 2.5.5 for 1800-2300 the day agrees except in 1897, which
    momentkh patches by hand without a source, in 2012, where its patch (14 April) is a day
    late (the announcement says "ថ្ងៃសុក្រ ៧ រោច ខែចេត្រ ត្រូវនឹង ថ្ងៃទី១៣ ខែមេសា … ១៩ និង ១១
    នាទី", which is what this computes), and in the libda-0 years noted below.
    """
    be_year = year + 544  # the BE year that this New Year's Visak Bochea will start
    first_sotin = 363 if _has_366_days(be_year - 1) else 362
    suns = [_sun_inauguration(be_year, sotin) for sotin in range(first_sotin, first_sotin + 4)]
    # Moha Songkran falls (60 - libda) * 24 minutes into the first day whose sun has angsar 0.
    # libda 0 makes that 24:00, the end of the day; momentkh wraps it to 00:00 of the same day,
    # a day early (it happens in 1974 and 2032, among others).
    minutes = next((24 * 60 - libda * 24 for angsar, libda in suns if angsar == 0), None)
    if minutes is None:
        raise AssertionError(f"no day with angsar 0 before New Year {year}")
    new_year_days = 4 if suns[0][0] == 0 else 3

    # ថ្ងៃឡើងស័ក as a lunar date: day index in ខែចេត្រ, or in ខែពិសាខ when bodithey < 6.
    bodithey = _bodithey(be_year)
    if _wants_leap_month(be_year - 1) and _wants_leap_day(be_year - 1):
        bodithey = (bodithey + 1) % 30
    lerng_sak_month, lerng_sak_day = (CHET, bodithey - 1) if bodithey >= 6 else (PISAK, bodithey)

    # It is that lunar day of the lunar year whose ខែចេត្រ holds New Year, i.e. the one that
    # opens around January of ``year`` and is governed by ``be_year``. (momentkh counts the
    # same days back from the lunar date of 17 April.)
    lerng_sak = _gregorian_of(be_year, lerng_sak_month, lerng_sak_day)
    moha_songkran = lerng_sak - dt.timedelta(days=new_year_days - 1)
    return _NewYear(
        moment=dt.datetime.combine(moha_songkran, dt.time()) + dt.timedelta(minutes=minutes),
        lerng_sak=lerng_sak,
    )
