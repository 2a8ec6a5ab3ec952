"""How the searchable-text pass reads what WeasyPrint drew (kbc_docs.render.pdf.text).

The pass reads each ``TJ`` operand from its PDF syntax, as qpdf writes it, rather than item
by item; these check that the syntax read gives what the items say, for the strings qpdf
writes in hex (WeasyPrint's glyph ids), the empty strings WeasyPrint writes between
adjustments and the literal strings qpdf writes for printable bytes.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from kbc_docs.render.pdf.text import _shown
from pikepdf import Array, String


def items(operand: Array | String) -> list[bytes | float]:
    """What the operand shows, item by item: each string's bytes, each adjustment's value."""
    shown = [operand] if isinstance(operand, String) else list(operand)
    return [bytes(item) if isinstance(item, String) else float(item) for item in shown]


def read(tokens: list[bytes]) -> list[bytes | float]:
    """The tokens :func:`_shown` gives, read back the way the pass reads them."""
    return [
        bytes.fromhex(token[1:-1].decode()) if token.startswith(b"<") else float(token)
        for token in tokens
    ]


@pytest.mark.parametrize(
    "operand",
    [
        Array([String(b"\x00\x50\x03\x15"), Decimal("-16.822"), String(b"\x00\x03")]),
        Array([String(b"\x00\x31"), 0, String(b""), Decimal("-24.0008"), String(b"\x00\x03")]),
        Array([String(b""), String(b""), String(b"\x00\x03"), String(b"")]),  # empty runs
        Array([String(b"AB"), -5, String(b"\x00\x03")]),  # a literal string: item by item
        Array([String(b"(a b)"), String(b"\x01\x02")]),  # parentheses and a space inside
        String(b"\x00\x50"),  # Tj
        Array([]),
    ],
)
def test_a_tj_is_read_from_its_syntax_as_its_items_say(operand: Array | String) -> None:
    expected = [item for item in items(operand) if item != b""]  # empty strings draw nothing
    assert [item for item in read(_shown(operand)) if item != b""] == expected
