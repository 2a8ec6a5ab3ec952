"""Find English sentences in what a command printed under a Vietnamese locale.

A Vietnamese message still quotes things that are not words of either language: tags and code
between backticks, quoted values, file names, options, menu names of an English Word. What is
left of a line is English when it holds two or more of English's commonest little words, which
Vietnamese, even written without its marks, does not use.
"""

from __future__ import annotations

import re

_QUOTED = re.compile(r"`[^`]*`|'[^']*'|\"[^\"]*\"|“[^”]*”|‘[^’]*’|\{[^}]*\}")
_NOT_WORDS = re.compile(r"(?:\S*[/\\.]\S*)|(?:--?[\w-]+)|(?:U\+[0-9A-F]+)")
_WORDS = """
    the is are was were be been not and of with cannot must would should has have had this that
    it its for from which there here your you they them their will can does did or than into
    only but no yet when where what if by on at as all any each more after before about please
    found missing expected unknown invalid error warning
"""
ENGLISH = frozenset(_WORDS.split())
"""English words a Vietnamese message never needs (``in``, ``do``, ``an`` and ``to`` are
Vietnamese words too, so they are not counted)."""


def english_words(line: str) -> set[str]:
    """The English little words left in ``line`` once quotes, code, paths and options are out."""
    rest = _NOT_WORDS.sub(" ", _QUOTED.sub(" ", line))
    return {w for w in re.findall(r"[A-Za-z]+", rest) if w.lower() in ENGLISH}


def english_lines(text: str) -> list[str]:
    """The lines of ``text`` that read as English sentences."""
    return [line for line in text.splitlines() if len(english_words(line)) >= 2]
