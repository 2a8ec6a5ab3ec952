"""The text a reader sees, for tests that compare strings of the view or of a Word file."""

from __future__ import annotations

from kbc_docs.text.segment import unsegment

NBSP = "\u00a0"


def visible(text: str) -> str:
    """``text`` as printed: without the Khmer/Lao break marks (U+200B) and the Word file's word
    joiners (U+2060), and with each NO-BREAK SPACE a space (it keeps two words on one line,
    like "TM. ỦY BAN", and looks like a space)."""
    return unsegment(text).replace(NBSP, " ")
