"""Check that the fonts a document names really exist on this machine.

WeasyPrint (through Pango and fontconfig) never fails on a missing family: it silently draws the
text in whatever font fontconfig offers instead. A Khmer report would then come out in Noto Sans
or with boxes, and nobody would notice until the paper copy is signed. So before rendering we ask
fontconfig, the same resolver WeasyPrint uses, what each family of the view's PDF font stacks
resolves to, and stop with an error that names the Debian package to install.

Only the PDF stacks (``FontStack.body_pdf`` and ``heading_pdf``) are checked: they are what this
machine draws with. The Word family names (``FontStack.body``/``heading``) are resolved by Word
on the reader's machine, and fontconfig maps e.g. "Times New Roman" to Tinos here anyway.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import unicodedata

from kbc_docs.errors import FontError, Problem
from kbc_docs.messages import msg
from kbc_docs.view import DocumentView

# Characters with a meaning in fontconfig's pattern syntax ("Family-12:weight=bold,Other").
_PATTERN_SPECIALS = ("\\", "-", ":", ",")


def check_fonts(view: DocumentView) -> None:
    """Raise :class:`FontError` unless every PDF font family of every version resolves.

    Every family of a stack must resolve, not just the first: the stacks are written Latin face
    first (Tinos) and script face second (Khmer OS Siemreap), so each one draws part of the text.
    All problems are reported at once, so one ``apt-get install`` fixes them all.
    """
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for lang in dict.fromkeys(v.lang for v in view.versions):
        stack = view.fonts.get(lang)
        if stack is None:
            problems.append(Problem(msg("font_no_stack", lang=lang)))
            continue
        for family in [f for pdf in stack.pdf_stacks() for f in pdf]:
            if (lang, family) in seen:
                continue
            seen.add((lang, family))
            if not _resolves(family):
                install = " ".join(stack.packages) or msg("font_package_unknown")
                problems.append(
                    Problem(msg("font_missing", family=family, lang=lang, install=install))
                )
    if problems:
        raise FontError(problems)


def resolved_family(family: str) -> list[str]:
    """The family names fontconfig's best match for ``family`` carries (one font, many names)."""
    return list(_match(family))


def _escaped(family: str) -> str:
    """``family`` as a fontconfig pattern (its special characters escaped)."""
    for char in _PATTERN_SPECIALS:
        family = family.replace(char, "\\" + char)
    return family


def _resolves(family: str) -> bool:
    """True if fontconfig's best match for ``family`` is that family, not a substitute."""
    wanted = family.strip().casefold()
    return any(name.strip().casefold() == wanted for name in _match(family))


@functools.cache
def _match(family: str) -> tuple[str, ...]:
    """Ask ``fc-match`` once per process and family; fonts do not appear mid-run."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise FontError(msg("font_cannot_check"))
    result = subprocess.run(
        [fc_match, "--format=%{family}", _escaped(family)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        return ()
    # A font may carry several family names (localised ones), comma-separated.
    return tuple(name for name in result.stdout.split(",") if name)


def missing_characters(text: str, families: list[str]) -> list[str]:
    """The characters of ``text`` that none of ``families`` draws (each once, in order).

    Only installed families count (a missing one is :func:`check_fonts`' business); spaces,
    controls and format characters (zero-width space, soft hyphen) need no glyph. With no family
    installed at all nothing is reported here.
    """
    covered = [_coverage(family) for family in families if _resolves(family)]
    if not covered:
        return []
    return [
        char
        for char in dict.fromkeys(text)
        if unicodedata.category(char) not in ("Zs", "Zl", "Zp", "Cc", "Cf")
        and not any(ord(char) in cmap for cmap in covered)
    ]


@functools.cache
def _coverage(family: str) -> frozenset[int]:
    """The code points the font fontconfig picks for ``family`` maps to a glyph."""
    from fontTools.ttLib import TTFont

    result = subprocess.run(
        ["fc-match", "--format=%{file}", _escaped(family)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        with TTFont(result.stdout, lazy=True, fontNumber=0) as font:
            return frozenset(font.getBestCmap() or {})
    except (OSError, ValueError, KeyError, AssertionError):  # not a font fontTools reads
        return frozenset(range(0x110000))  # cannot tell: assume it draws everything
