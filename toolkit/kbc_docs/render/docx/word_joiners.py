"""Word joiners inside the Khmer and Lao words of a rendered Word part.

The view marks where a Khmer or Lao line may break with U+200B; Word and LibreOffice also run
their own dictionary breakers and would cut inside words the view keeps whole. Each paragraph's
text is read across its runs (a word may span two runs), and a WORD JOINER goes before every
index :func:`kbc_docs.text.segment.word_joins` names, in the run that holds that character.
"""

from __future__ import annotations

from lxml import etree

from kbc_docs.render.docx.ooxml import NS
from kbc_docs.text.segment import PARTNER_LETTERS, WJ, word_joins

__all__ = ["join_words"]


def join_words(root: etree._Element) -> int:
    """Put the word joiners into every paragraph of ``root``; the number written."""
    written = 0
    for paragraph in root.iterfind(".//w:p", NS):
        # Only the paragraph's own text: a nested paragraph (text box) is visited on its own.
        texts = [t for t in paragraph.iterfind(".//w:t", NS) if _paragraph_of(t) is paragraph]
        whole = "".join(t.text or "" for t in texts)
        if not PARTNER_LETTERS.search(whole):
            continue
        joins = set(word_joins(whole))
        start = 0
        for t in texts:
            text = t.text or ""
            here = [at - start for at in range(start, start + len(text)) if at in joins]
            if here:
                pieces = [text[a:b] for a, b in zip([0, *here], [*here, len(text)], strict=True)]
                t.text = WJ.join(pieces)
                written += len(here)
            start += len(text)
    return written


def _paragraph_of(element: etree._Element) -> etree._Element | None:
    return next(element.iterancestors(f"{{{NS['w']}}}p"), None)
