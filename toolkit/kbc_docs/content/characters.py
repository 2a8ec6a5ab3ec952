"""Characters no document should hold, found in the raw YAML with their field.

XML forbids some (a DOCX holding one does not open in Word), bidirectional controls make a
name display as something else (Trojan Source), and some text looks blank to a reader although
it is not empty, which would pass the empty-text check.
"""

from __future__ import annotations

import re
import unicodedata

from kbc_docs.content.load import Loaded
from kbc_docs.content.texts import walk
from kbc_docs.errors import Problem
from kbc_docs.messages import msg

# XML 1.0 forbids these; a DOCX containing one does not open in Word. YAML's double-quoted
# escapes ("\u0007") can produce them although the file itself only holds printable text.
# Unicode noncharacters (U+FDD0–U+FDEF, U+xFFFE/U+xFFFF) are no text either, and the DOCX
# renderer uses two of them internally.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


_NONCHARACTER = re.compile(
    "[\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
    )
    + "]"
)


# Controls that reorder text on screen (Trojan Source): "Lê Thị Vệ" can display as anything.
# A Vietnamese, Khmer or Lao document has no right-to-left text that would need them.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Characters that look like nothing although they are not spaces.
_BLANK_LOOKING = {"\u2800", "\u3164", "\u115f", "\u1160", "\uffa0"}


def bad_character_problems(loaded: Loaded) -> list[Problem]:
    """Characters no document should hold, with their field.

    What XML forbids (YAML escapes such as ``"\\u0007"`` let it through), bidirectional
    controls, and text a reader sees as blank (only zero-width spaces, soft hyphens, U+2800,
    lone combining marks…), which would pass the empty-text check.
    """
    problems = []
    for path, text in walk(loaded.data, "", lambda v: isinstance(v, str)):
        control = _CONTROL.search(text)
        nonchar = _NONCHARACTER.search(text)
        bidi = _BIDI.search(text)
        if control or nonchar:
            char = (control or nonchar).group()  # type: ignore[union-attr]
            key = "control_character" if control else "noncharacter"
            problems.append(loaded.problem(path, msg(key, code=f"{ord(char):04X}")))
        elif bidi:
            code = f"{ord(bidi.group()):04X}"
            problems.append(loaded.problem(path, msg("bidi_control", code=code)))
        elif text and not _visible(text):
            codes = ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(text) if not c.isspace())
            problems.append(loaded.problem(path, msg("blank_text", codes=codes)))
    return problems


def _visible(text: str) -> bool:
    """Whether ``text`` shows anything: a letter, digit, punctuation mark or symbol.

    Marks (accents, Khmer and Lao vowel signs) only show on a letter; format characters
    (zero-width space, soft hyphen, joiners) and spaces never do.
    """
    return any(unicodedata.category(c)[0] in "LNPS" and c not in _BLANK_LOOKING for c in text)
