"""Tests for the Khmer lunar date (chhankitek) and the lunar date line of official letters.

Every expected value below was taken from a source outside this code, named next to it:

* dated Cambodian documents and news, which print the lunar date line of the day
  ("ថ្ងៃ… ត្រូវនឹងថ្ងៃទី… ខែ… ឆ្នាំ…");
* momentkh's own test data, ``test/conversion.json`` in github.com/ThyrithSor/momentkh
  (commit 43704bd), which that library generated and checks; it spells the month
  ``កត្ដិក`` (subscript ដ) and writes ``ពុទ្ធសករាជ`` where letters write ``ព.ស.``, so cases are
  chosen outside ខែកត្តិក and the BE is compared as a number;
* momentkh's ``test/new-year.json`` (same commit) and Khmer New Year announcements for the
  moment of Moha Songkran, with the rules stated in the module docstring.

Where a value is worked out by hand from two sources (counting days between them), the
comment shows the sum.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from babel.dates import get_day_names
from kbc_docs.text.khmer_calendar import KhmerLunarDate, format_lunar_line, khmer_lunar_date

# (date, the line as a letter would print it, source)
DATED_LINES = [
    # The example in the task that asked for this module.
    (dt.date(2024, 12, 2), "ថ្ងៃចន្ទ ២កើត ខែមិគសិរ ឆ្នាំរោង ឆស័ក ព.ស.២៥៦៨", "task example"),
    # ronetv-news.com/?p=1318 (Royal Ploughing Ceremony 2021): "ថ្ងៃសុក្រ ៤រោច ខែពិសាខ ឆ្នាំឆ្លូវ
    # ត្រីស័ក ពុទ្ធសករាជ ២៥៦៥ ត្រូវនឹងថ្ងៃទី៣០ ខែមេសា ឆ្នាំ២០២១"
    (dt.date(2021, 4, 30), "ថ្ងៃសុក្រ ៤រោច ខែពិសាខ ឆ្នាំឆ្លូវ ត្រីស័ក ព.ស.២៥៦៥", "ronetv-news"),
    # nkdnews.com/?p=787680: "ថ្ងៃចន្ទ ៤រោច ខែពិសាខ ឆ្នាំថោះ បញ្ចស័ក ព.ស. ២៥៦៧ ត្រូវនឹង ថ្ងៃទី៨
    # ខែឧសភា ឆ្នាំ២០២៣"
    (dt.date(2023, 5, 8), "ថ្ងៃចន្ទ ៤រោច ខែពិសាខ ឆ្នាំថោះ បញ្ចស័ក ព.ស.២៥៦៧", "nkdnews"),
    # ppreporter.com/?p=431153: "ព្រហស្បតិ៍ ៤រោច ខែពិសាខ ឆ្នាំម្សាញ់ សប្តស័ក ពុទ្ធសករាជ ២៥៦៩
    # ត្រូវនឹងថ្ងៃទី១៥ ខែឧសភា ឆ្នាំ២០២៥"
    (dt.date(2025, 5, 15), "ថ្ងៃព្រហស្បតិ៍ ៤រោច ខែពិសាខ ឆ្នាំម្សាញ់ សប្តស័ក ព.ស.២៥៦៩", "ppreporter"),
    # senate.gov.kh/news/20935 (Visak Bochea 2022): "ថ្ងៃអាទិត្យ ១៥កើត ខែពិសាខ ឆ្នាំខាល ចត្វាស័ក
    # ព.ស២៥៦៥ ត្រូវនឹងថ្ងៃទី១៥ ខែឧសភា ឆ្នាំ២០២២" -- Visak Bochea day keeps the old BE.
    (dt.date(2022, 5, 15), "ថ្ងៃអាទិត្យ ១៥កើត ខែពិសាខ ឆ្នាំខាល ចត្វាស័ក ព.ស.២៥៦៥", "senate.gov.kh"),
    # nokorwatnews.com/?p=997160 (Visak Bochea 2023): "ថ្ងៃព្រហស្បតិ៍ ១៥ កើត ខែពិសាខ ឆ្នាំថោះ
    # បញ្ចស័ក ព.ស.២៥៦៦ ត្រូវនឹងថ្ងៃទី៤ ខែឧសភា ឆ្នាំ២០២៣"
    (dt.date(2023, 5, 4), "ថ្ងៃព្រហស្បតិ៍ ១៥កើត ខែពិសាខ ឆ្នាំថោះ បញ្ចស័ក ព.ស.២៥៦៦", "nokorwatnews"),
    # Leap-month year 2021 (BE 2565). mtaseav-today.com/?p=57444: "ថ្ងៃសៅរ៍ ២រោច ខែបឋមាសាឍ
    # ឆ្នាំឆ្លូវ ត្រីស័ក ព.ស.២៥៦៥ ត្រូវនឹងថ្ងៃទី២៦ ខែមិថុនា ឆ្នាំ២០២១"
    (dt.date(2021, 6, 26), "ថ្ងៃសៅរ៍ ២រោច ខែបឋមាសាឍ ឆ្នាំឆ្លូវ ត្រីស័ក ព.ស.២៥៦៥", "mtaseav-today"),
    # Leap-month year 2023 (BE 2567). m.freshnewsasia.com, localnews/302308 (Buddhist Lent 2023):
    # "ថ្ងៃពុធ ១រោច ខែទុតិយាសាឍ ឆ្នាំថោះ បញ្ចស័ក ព.ស. ២៥៦៧ ត្រូវនឹង ថ្ងៃទី២ ខែសីហាឆ្នាំ២០២៣"
    (dt.date(2023, 8, 2), "ថ្ងៃពុធ ១រោច ខែទុតិយាសាឍ ឆ្នាំថោះ បញ្ចស័ក ព.ស.២៥៦៧", "freshnewsasia"),
    # After the 2020 leap day. chk-news.com/?p=45296: "ព្រឹកថ្ងៃព្រហស្បតិ៍ ១៣រោច ខែអស្សុជ ឆ្នាំជូត
    # ទោស័ក ព.ស ២៥៦៤ ត្រូវនឹងថ្ងៃទី ១៥ ខែតុលា ឆ្នាំ ២០២០"
    (dt.date(2020, 10, 15), "ថ្ងៃព្រហស្បតិ៍ ១៣រោច ខែអស្សុជ ឆ្នាំជូត ទោស័ក ព.ស.២៥៦៤", "chk-news"),
]

# (date, weekday, day, waxing, month, animal year, era, BE) from momentkh's test/conversion.json
MOMENTKH_CASES = [
    # "2019-10-13 04:22:44": "ថ្ងៃអាទិត្យ ១៥កើត ខែអស្សុជ ឆ្នាំកុរ ឯកស័ក ពុទ្ធសករាជ ២៥៦៣"
    (dt.date(2019, 10, 13), "អាទិត្យ", 15, True, "អស្សុជ", "កុរ", "ឯកស័ក", 2563),
    # "2020-02-03 13:08:06": "ថ្ងៃចន្ទ ១០កើត ខែមាឃ ឆ្នាំកុរ ឯកស័ក ពុទ្ធសករាជ ២៥៦៣"
    (dt.date(2020, 2, 3), "ចន្ទ", 10, True, "មាឃ", "កុរ", "ឯកស័ក", 2563),
    # "2020-05-06 13:08:09": "ថ្ងៃពុធ ១៥កើត ខែពិសាខ ឆ្នាំជូត ទោស័ក ពុទ្ធសករាជ ២៥៦៣" (Visak 2020)
    (dt.date(2020, 5, 6), "ពុធ", 15, True, "ពិសាខ", "ជូត", "ទោស័ក", 2563),
    # "2020-07-31 01:05:49": "ថ្ងៃសុក្រ ១១កើត ខែស្រាពណ៍ ឆ្នាំជូត ទោស័ក ពុទ្ធសករាជ ២៥៦៤"
    (dt.date(2020, 7, 31), "សុក្រ", 11, True, "ស្រាពណ៍", "ជូត", "ទោស័ក", 2564),
    # "2021-06-12 01:16:10": "ថ្ងៃសៅរ៍ ៣កើត ខែបឋមាសាឍ ឆ្នាំឆ្លូវ ត្រីស័ក ពុទ្ធសករាជ ២៥៦៥"
    (dt.date(2021, 6, 12), "សៅរ៍", 3, True, "បឋមាសាឍ", "ឆ្លូវ", "ត្រីស័ក", 2565),
    # "2023-07-14 23:58:49": "ថ្ងៃសុក្រ ១២រោច ខែបឋមាសាឍ ឆ្នាំថោះ បញ្ចស័ក ពុទ្ធសករាជ ២៥៦៧"
    (dt.date(2023, 7, 14), "សុក្រ", 12, False, "បឋមាសាឍ", "ថោះ", "បញ្ចស័ក", 2567),
    # "2024-01-21 13:07:16": "ថ្ងៃអាទិត្យ ១១កើត ខែបុស្ស ឆ្នាំថោះ បញ្ចស័ក ពុទ្ធសករាជ ២៥៦៧"
    (dt.date(2024, 1, 21), "អាទិត្យ", 11, True, "បុស្ស", "ថោះ", "បញ្ចស័ក", 2567),
    # "2024-04-27 12:41:10": "ថ្ងៃសៅរ៍ ៤រោច ខែចេត្រ ឆ្នាំរោង ឆស័ក ពុទ្ធសករាជ ២៥៦៧"
    # (after New Year and ឡើងស័ក, before Visak Bochea: new animal year and era, old BE)
    (dt.date(2024, 4, 27), "សៅរ៍", 4, False, "ចេត្រ", "រោង", "ឆស័ក", 2567),
    # "2024-05-28 20:13:28": "ថ្ងៃអង្គារ ៦រោច ខែពិសាខ ឆ្នាំរោង ឆស័ក ពុទ្ធសករាជ ២៥៦៨"
    (dt.date(2024, 5, 28), "អង្គារ", 6, False, "ពិសាខ", "រោង", "ឆស័ក", 2568),
    # "2025-12-12 15:26:16": "ថ្ងៃសុក្រ ៧រោច ខែមិគសិរ ឆ្នាំម្សាញ់ សប្តស័ក ពុទ្ធសករាជ ២៥៦៩"
    (dt.date(2025, 12, 12), "សុក្រ", 7, False, "មិគសិរ", "ម្សាញ់", "សប្តស័ក", 2569),
    # "2026-03-22 21:41:34": "ថ្ងៃអាទិត្យ ៤កើត ខែចេត្រ ឆ្នាំម្សាញ់ សប្តស័ក ពុទ្ធសករាជ ២៥៦៩"
    (dt.date(2026, 3, 22), "អាទិត្យ", 4, True, "ចេត្រ", "ម្សាញ់", "សប្តស័ក", 2569),
    # "2026-05-26 04:12:19": "ថ្ងៃអង្គារ ១០កើត ខែជេស្ឋ ឆ្នាំមមី អដ្ឋស័ក ពុទ្ធសករាជ ២៥៧០"
    (dt.date(2026, 5, 26), "អង្គារ", 10, True, "ជេស្ឋ", "មមី", "អដ្ឋស័ក", 2570),
    # "2026-12-21 14:46:13": "ថ្ងៃចន្ទ ១២កើត ខែមិគសិរ ឆ្នាំមមី អដ្ឋស័ក ពុទ្ធសករាជ ២៥៧០"
    (dt.date(2026, 12, 21), "ចន្ទ", 12, True, "មិគសិរ", "មមី", "អដ្ឋស័ក", 2570),
]


@pytest.mark.parametrize(("day", "line", "source"), DATED_LINES)
def test_lunar_line_matches_dated_documents(day: dt.date, line: str, source: str) -> None:
    assert format_lunar_line(day) == line, source


@pytest.mark.parametrize(
    ("day", "weekday", "lunar_day", "waxing", "month", "animal", "era", "be"), MOMENTKH_CASES
)
def test_matches_momentkh_test_data(
    day: dt.date,
    weekday: str,
    lunar_day: int,
    waxing: bool,
    month: str,
    animal: str,
    era: str,
    be: int,
) -> None:
    assert khmer_lunar_date(day) == KhmerLunarDate(
        weekday=weekday,
        day=lunar_day,
        waxing=waxing,
        month=month,
        animal_year=animal,
        era=era,
        buddhist_era=be,
    )


def _fields(day: dt.date) -> tuple[int, bool, str]:
    k = khmer_lunar_date(day)
    return k.day, k.waxing, k.month


def test_leap_day_year_2020_has_a_30_day_jesth() -> None:
    # Anchors: Visak Bochea 2020 = 6 May (15កើត ពិសាខ, momentkh conversion.json above) and
    # 15 Oct 2020 = 13រោច អស្សុជ (chk-news above). Counting forward: ពិសាខ (30 days) ends 21 May,
    # so ជេស្ឋ starts 22 May; អស្សុជ starts 15 Oct - 27 = 18 Sep, ភទ្របទ (30) 19 Aug, ស្រាពណ៍ (29)
    # 21 Jul (also momentkh: 31 Jul = 11កើត ស្រាពណ៍), អាសាឍ (30) 21 Jun. 22 May..20 Jun = 30 days.
    assert _fields(dt.date(2020, 5, 22)) == (1, True, "ជេស្ឋ")
    assert _fields(dt.date(2020, 6, 20)) == (15, False, "ជេស្ឋ")  # ១៥រោច: only in a leap-day year
    assert _fields(dt.date(2020, 6, 21)) == (1, True, "អាសាឍ")


def test_regular_year_2019_has_a_29_day_jesth() -> None:
    # momentkh conversion.json: 2019-06-07 = ៥កើត ខែជេស្ឋ (so ជេស្ឋ starts 3 Jun) and
    # 2019-07-22 = ៦រោច ខែអាសាឍ (so អាសាឍ starts 22 Jul - 20 = 2 Jul): 29 days, ending on ១៤រោច.
    assert _fields(dt.date(2019, 6, 7)) == (5, True, "ជេស្ឋ")
    assert _fields(dt.date(2019, 7, 1)) == (14, False, "ជេស្ឋ")
    assert _fields(dt.date(2019, 7, 2)) == (1, True, "អាសាឍ")
    assert _fields(dt.date(2019, 7, 22)) == (6, False, "អាសាឍ")


def test_leap_month_year_2023_doubles_asat() -> None:
    # momentkh conversion.json: 2023-07-14 = ១២រោច ខែបឋមាសាឍ (day 27, so បឋមាសាឍ runs 18 Jun to
    # 17 Jul); freshnewsasia above: 2023-08-02 = ១រោច ខែទុតិយាសាឍ (day 16, so ទុតិយាសាឍ starts
    # 18 Jul). Both are 30-day months; no plain អាសាឍ that year.
    assert _fields(dt.date(2023, 6, 18)) == (1, True, "បឋមាសាឍ")
    assert _fields(dt.date(2023, 7, 17)) == (15, False, "បឋមាសាឍ")
    assert _fields(dt.date(2023, 7, 18)) == (1, True, "ទុតិយាសាឍ")
    assert _fields(dt.date(2023, 8, 16)) == (15, False, "ទុតិយាសាឍ")
    assert _fields(dt.date(2023, 8, 17)) == (1, True, "ស្រាពណ៍")
    months = {khmer_lunar_date(dt.date(2023, 1, 1) + dt.timedelta(n)).month for n in range(365)}
    assert "អាសាឍ" not in months


def test_buddhist_era_changes_the_day_after_visak_bochea() -> None:
    # The Ministry of Cults and Religion (cpp.org.kh/details/66872, 20 April 2018): the new BE
    # "starts on ១រោច ខែពិសាខ". thmeythmey.com (id 78286, 16 May 2022): "ពុទ្ធសករាជ២៥៦៦
    # ចាប់ផ្តើមរាប់ពីថ្ងៃនេះហើយ" -- 16 May 2022, the day after Visak Bochea 15 May 2022 (Senate).
    assert khmer_lunar_date(dt.date(2022, 5, 15)).buddhist_era == 2565
    assert _fields(dt.date(2022, 5, 16)) == (1, False, "ពិសាខ")
    assert khmer_lunar_date(dt.date(2022, 5, 16)).buddhist_era == 2566
    # 2024: Visak Bochea on 22 May (Cambodian public holiday; also the KhmerCalendarCalculatorTest
    # of a Kotlin Khmer calendar app in the search index: "May 22, 2024 was Visak Bochea
    # (15កើត ខែពិសាខ)"); momentkh conversion.json has 2024-05-28 = ៦រោច ពិសាខ, BE 2568.
    assert _fields(dt.date(2024, 5, 22)) == (15, True, "ពិសាខ")
    assert khmer_lunar_date(dt.date(2024, 5, 22)).buddhist_era == 2567
    assert _fields(dt.date(2024, 5, 23)) == (1, False, "ពិសាខ")
    assert khmer_lunar_date(dt.date(2024, 5, 23)).buddhist_era == 2568


def _years(day: dt.date) -> tuple[str, str, int]:
    k = khmer_lunar_date(day)
    return k.animal_year, k.era, k.buddhist_era


def test_khmer_new_year_2024_changes_animal_year_then_era() -> None:
    # Moha Songkran 2024: Saturday 13 April at 22:17 (momentkh new-year.json "2024-04-13T22:17",
    # the Ministry's figure); the festival ran 4 days, 13-16 April, the 4th being ឡើងស័ក
    # (ams.com.kh/central/detail/1094248). The animal year changes at that moment, so at the start
    # of 13 April it is still ថោះ; the era changes on ឡើងស័ក; the BE waits for Visak Bochea.
    assert _years(dt.date(2024, 4, 12)) == ("ថោះ", "បញ្ចស័ក", 2567)
    assert _years(dt.date(2024, 4, 13)) == ("ថោះ", "បញ្ចស័ក", 2567)
    assert _years(dt.date(2024, 4, 14)) == ("រោង", "បញ្ចស័ក", 2567)
    assert _years(dt.date(2024, 4, 15)) == ("រោង", "បញ្ចស័ក", 2567)
    assert _years(dt.date(2024, 4, 16)) == ("រោង", "ឆស័ក", 2567)


def test_khmer_new_year_2025_and_2023() -> None:
    # 2025: Moha Songkran at dawn on 14 April, New Year 14-16 April (kohsantepheapdaily.com.kh
    # article 2066492; momentkh new-year.json "2025-04-14T04:48"), so ឡើងស័ក is 16 April.
    assert _years(dt.date(2025, 4, 13)) == ("រោង", "ឆស័ក", 2568)
    assert _years(dt.date(2025, 4, 15)) == ("ម្សាញ់", "ឆស័ក", 2568)
    assert _years(dt.date(2025, 4, 16)) == ("ម្សាញ់", "សប្តស័ក", 2568)
    # 2023: Moha Songkran on "ថ្ងៃសុក្រ ៩ រោច ខែចេត្រ ត្រូវនឹងថ្ងៃទី ១៤ ខែមេសា ២០២៣"
    # (ppreporter.com/?p=317610), at 16:00 (momentkh new-year.json "2023-04-14T16:00").
    line = "ថ្ងៃសុក្រ ៩រោច ខែចេត្រ ឆ្នាំខាល ចត្វាស័ក ព.ស.២៥៦៦"
    assert format_lunar_line(dt.date(2023, 4, 14)) == line
    assert _years(dt.date(2023, 4, 15)) == ("ថោះ", "ចត្វាស័ក", 2566)


def test_line_has_khmer_digits_only() -> None:
    day = dt.date(2019, 1, 1)
    while day <= dt.date(2026, 12, 31):
        line = format_lunar_line(day)
        assert not re.search(r"[0-9]", line), line
        assert re.fullmatch(
            r"ថ្ងៃ\S+ [០-៩]{1,2}(កើត|រោច) ខែ\S+ ឆ្នាំ\S+ \S+ស័ក ព\.ស\.[០-៩]{4}", line
        ), line
        day += dt.timedelta(days=1)


def test_weekday_uses_the_customary_monday() -> None:
    # CLDR (through Babel) spells Monday "ច័ន្ទ"; letters write "ថ្ងៃចន្ទ" (see the dated lines).
    assert get_day_names("wide", locale="km")[0] == "ច័ន្ទ"
    assert khmer_lunar_date(dt.date(2024, 12, 2)).weekday == "ចន្ទ"
    assert khmer_lunar_date(dt.date(2024, 12, 5)).weekday == "ព្រហស្បតិ៍"


def test_datetime_counts_by_its_day_and_result_is_frozen() -> None:
    at_night = khmer_lunar_date(dt.datetime(2024, 12, 2, 23, 59))
    assert at_night == khmer_lunar_date(dt.date(2024, 12, 2))
    with pytest.raises(dataclasses.FrozenInstanceError):
        at_night.day = 3  # type: ignore[misc]


def test_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="1800–2300"):
        khmer_lunar_date(dt.date(1799, 12, 31))
    with pytest.raises(ValueError, match="1800–2300"):
        format_lunar_line(dt.date(2301, 1, 1))
