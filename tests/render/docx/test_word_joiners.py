"""Word joiners between the clusters of Khmer and Lao words in the Word file."""

from __future__ import annotations

import unicodedata

from kbc_docs.render.docx.ooxml import W
from kbc_docs.render.docx.word_joiners import join_words
from kbc_docs.text.segment import WJ, ZWSP, segment, unsegment, word_joins
from lxml import etree


def test_a_joiner_between_every_two_clusters_of_a_word_and_none_at_a_break() -> None:
    text = segment("ខេត្តគៀនយ៉ាងបានសហការជាមួយខេត្តកំពត ១២៣", "km", keep=("គៀនយ៉ាង",))
    joins = word_joins(text)
    assert joins
    for at in joins:
        assert ZWSP not in (text[at - 1], text[at])
        assert unicodedata.category(text[at]) not in ("Mn", "Mc")  # never inside a cluster
        assert text[at - 1] != "\u17d2"  # nor after a COENG
        assert not (text[at - 1].isdigit() and text[at].isdigit())
    # "ខេ ត្ត": between the two clusters of the word; "ខេត្ត|គៀនយ៉ាង" is an opportunity.
    assert text.index("ត្ត") in joins
    assert text.index("គៀ") not in joins


def test_joiners_go_into_the_runs_a_word_spans() -> None:
    xml = (
        f'<w:body xmlns:w="{W}"><w:p><w:r><w:t>ແຂວງກອນ</w:t></w:r><w:r><w:t>ຕູມ and</w:t></w:r>'
        "</w:p><w:p><w:r><w:t>Kon Tum</w:t></w:r></w:p></w:body>"
    )
    root = etree.fromstring(xml)
    written = join_words(root)
    first, second, third = (t.text for t in root.iter(f"{{{W}}}t"))
    assert written == first.count(WJ) + second.count(WJ) > 0
    assert second.startswith(WJ + "ຕູ")  # the word goes on in the next run: no break there
    assert unsegment(first + second) == "ແຂວງກອນຕູມ and"
    assert third == "Kon Tum"


def test_text_copied_from_a_word_file_is_segmented_as_if_typed() -> None:
    """A translator copies last year's Khmer from the Word file kbc-docs wrote: its word
    joiners are dropped, and the text gets the same opportunities as the typed text."""
    typed = "គណៈកម្មាធិការរណសិរ្សមាតុភូមិវៀតណាមខេត្តគៀនយ៉ាងបានសហការជាមួយខេត្តកំពត"
    marked = segment(typed, "km")
    copied = "".join(
        WJ + c if i in set(word_joins(marked)) else c for i, c in enumerate(marked)
    ).replace(ZWSP, "")
    assert WJ in copied and unsegment(copied) == typed
    assert segment(copied, "km") == marked
