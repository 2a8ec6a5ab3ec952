"""``kbc-docs new``: the title's review span moves on in the language's own digits and words."""

from __future__ import annotations

import pytest
from kbc_docs.content.new import carried_over


def titles_after(titles: dict[str, str], years: int = 1) -> dict[str, str]:
    data = {"document": {"reviews": {"years": years}, "title": titles}}
    return carried_over(data)["document"]["title"]


def test_each_language_moves_its_span_on_in_the_digits_it_was_written_in() -> None:
    after = titles_after(
        {
            "vi": "Sơ kết 01 năm thực hiện Giao ước",
            "km": "បូកសរុបបឋមរយៈពេល០១ឆ្នាំ នៃការអនុវត្ត",
            # Lao documents write Arabic digits (lo.yaml: digits: latn); Lao digits also count.
            "lo": "ສະຫຼຸບເບື້ອງຕົ້ນ 1 ປີ ຂອງການຈັດຕັ້ງປະຕິບັດ",
        }
    )
    assert after == {
        "vi": "Sơ kết 02 năm thực hiện Giao ước",
        "km": "បូកសរុបបឋមរយៈពេល០២ឆ្នាំ នៃការអនុវត្ត",
        "lo": "ສະຫຼຸບເບື້ອງຕົ້ນ 2 ປີ ຂອງການຈັດຕັ້ງປະຕິບັດ",
    }
    assert titles_after({"lo": "ສະຫຼຸບ ໑ ປີ"}) == {"lo": "ສະຫຼຸບ ໒ ປີ"}


@pytest.mark.parametrize(
    "title",
    [
        "Sơ kết 3 năm thực hiện",  # another number than the span of the earlier file
        "Báo cáo năm 2024",  # a year, not a span: no number right before "năm"
        "Sơ kết 0០1 năm",  # digits of two systems are no number
    ],
)
def test_a_title_that_does_not_name_the_span_is_left_as_it_is(title: str) -> None:
    assert titles_after({"vi": title}) == {"vi": title}


def test_a_language_without_a_file_or_an_odd_key_is_left_as_it_is() -> None:
    titles = {"xx": "title 01 năm", "../../etc/passwd": "01 năm"}
    assert titles_after(titles) == titles
