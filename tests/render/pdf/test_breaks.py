"""No PDF line ends with a hyphen, and no paragraph ends with one short word on a line.

The rules are applied to the HTML tree WeasyPrint lays out (:mod:`kbc_docs.render.pdf.breaks`);
what they do to the readers' text is checked on the examples by ``test_reader_matrix.py``.
"""

from __future__ import annotations

from xml.etree import ElementTree

import pypdfium2
import pytest
from kbc_docs.render.pdf.breaks import KEEP_STYLE, keep_lines_readable, keep_names_whole
from support.form_pages import CONTENT

ZWSP = "\u200b"


def _tree(body: str) -> ElementTree.Element:
    return ElementTree.fromstring(
        f"<html><head><title>a - b</title></head><body>{body}</body></html>"
    )


def _kept(root: ElementTree.Element) -> list[str]:
    return [span.text or "" for span in root.iter("span") if span.get("style") == KEEP_STYLE]


def _text(element: ElementTree.Element) -> str:
    return "".join(element.itertext())


def test_hyphenated_runs_and_last_words_are_kept_together() -> None:
    root = _tree(
        "<p>Giai đoạn 2019 - 2021 với Prek Chak - Hà Tiên, Covid-19 và nhiều việc khác nữa</p>"
        f"<h2>ការស្វែងរក{ZWSP}មាតុភូមិ{ZWSP}វិញ</h2>"
        '<div class="x">Kiên Giang - Kampot</div>'
    )
    before = [_text(e) for e in root.find("body")]
    keep_lines_readable(root)
    assert _kept(root) == ["2019 - 2021", "Chak - Hà", "Giang - Kampot"]
    after = [_text(e) for e in root.find("body")]
    assert after == [
        before[0].replace("khác nữa", "khác\u00a0nữa"),  # the last two words kept together
        "ការស្វែងរក\u200bមាតុភូមិវិញ",
        before[2],  # no paragraph
    ]
    assert root.find("head/title").text == "a - b"  # the title is no body text


def test_runs_inside_inline_markup_and_tails() -> None:
    root = _tree("<p><b>Ngày 16 - 11</b>, tại hội trường lớn</p><p>một</p><p><b>một hai</b></p>")
    keep_lines_readable(root)
    assert _kept(root) == ["16 - 11"]
    assert [_text(p) for p in root.iter("p")] == [
        "Ngày 16 - 11, tại hội trường\u00a0lớn",
        "một",
        "một\u00a0hai",
    ]


def test_a_name_is_kept_whole_in_its_element_only() -> None:
    root = _tree(
        "<p>ông Tô Văn Dân và <b>ông Tô\u00a0Văn Dân</b></p><p>ông Tô Văn Dân</p>"
        f"<p>គណៈកម្មាធិការ{ZWSP}រណសិរ្ស{ZWSP}មាតុភូមិ</p>"
    )
    first, second, khmer = root.iter("p")
    keep_names_whole([(first, "Tô Văn Dân"), (khmer, "គណៈកម្មាធិការរណសិរ្សមាតុភូមិ")])
    assert _text(first) == "ông Tô\u00a0Văn\u00a0Dân và ông Tô\u00a0Văn\u00a0Dân"
    assert _text(second) == "ông Tô Văn Dân"  # it did not wrap there
    assert _text(khmer) == "គណៈកម្មាធិការរណសិរ្សមាតុភូមិ"  # no break mark inside


def test_a_keep_is_undone_in_its_element_only() -> None:
    """A keep that leaves a justified line with holes is undone: its element's text comes back,
    that of another element keeps its name whole."""
    source = "<p>ông Tô Văn <i>Dân</i> và ông Tô Văn Dân</p><p>bà Tô Văn Dân</p>"
    root = _tree(source)
    first, second = root.iter("p")
    undo = keep_names_whole([(first, "Tô Văn Dân"), (second, "Tô Văn Dân")])
    assert set(undo) == {first, second}
    undo[first]()
    assert _text(first) == "ông Tô Văn Dân và ông Tô Văn Dân"
    assert _text(second) == "bà Tô\u00a0Văn\u00a0Dân"


EXAMPLES = sorted(p for p in CONTENT.glob("*.yaml") if p.name != "registry.yaml")


@pytest.mark.parametrize("source", EXAMPLES, ids=lambda p: p.stem)
def test_no_line_of_the_examples_ends_with_a_hyphen(built_example, source) -> None:  # type: ignore[no-untyped-def]
    """PDFium marks a hyphen ending a line as U+FFFE: no such mark in any example PDF."""
    _, outputs = built_example(source)
    pdfs = [path for name, path in outputs.items() if name.endswith(".pdf")]
    assert pdfs
    for pdf in pdfs:
        document = pypdfium2.PdfDocument(str(pdf))
        try:
            for page in document:
                text = page.get_textpage().get_text_range()
                assert "\ufffe" not in text, pdf.name
                lines = [line.rstrip() for line in text.splitlines()]
                assert not [line for line in lines if line.endswith("-")], pdf.name
        finally:
            document.close()
