"""Wording, digits and dates per language (:mod:`kbc_docs.text.locale`), from the shipped files."""

from __future__ import annotations

import datetime as dt

import pytest
from kbc_docs.errors import TemplateError
from kbc_docs.templates.lookup import default_templates
from kbc_docs.text.locale import digit_zero, load_locale, number_format

LOCALES = default_templates() / "locale"


def test_native_digits_come_from_the_numbering_system() -> None:
    assert number_format("km", "khmr").format(2568) == "២៥៦៨"  # no grouping in a year
    assert number_format("lo", "laoo").format(2025) == "໒໐໒໕"
    assert number_format("vi", "latn").format(2025) == "2025"
    assert chr(digit_zero("khmr")) == "០"
    assert chr(digit_zero("laoo")) == "໐"


def test_each_language_file_writes_numbers_in_its_digits() -> None:
    km, lo, vi = (load_locale(LOCALES, code) for code in ("km", "lo", "vi"))
    assert km.number(16) == "១៦" and km.number(6, pad=True) == "០៦"
    assert lo.number(8) == ("໘" if lo.data.digits == "laoo" else "8")
    assert vi.number(6, pad=True) == "06" and vi.number(1234567, grouped=True) != "1234567"
    assert km.digits("ឆ្នាំ 2023") == "ឆ្នាំ ២០២៣"


def test_vietnamese_date_line_follows_decree_30() -> None:
    vi = load_locale(LOCALES, "vi")
    # Days below 10 and months 1 and 2 take a leading zero (Decree 30/2020/NĐ-CP).
    assert vi.date(dt.date(2024, 2, 5), "Kon Tum") == "Kon Tum, ngày 05 tháng 02 năm 2024"
    assert vi.date(dt.date(2023, 11, 16), "Kiên Giang") == "Kiên Giang, ngày 16 tháng 11 năm 2023"


def test_a_missing_language_file_names_the_known_ones() -> None:
    with pytest.raises(TemplateError, match=r"no language file for 'xx' \(known: .*km.*\)"):
        load_locale(LOCALES, "xx")
