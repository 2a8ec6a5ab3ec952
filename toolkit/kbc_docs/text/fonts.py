"""Check that the fonts a document names really exist on this machine.

WeasyPrint (through Pango and fontconfig) never fails on a missing family: it silently draws the
text in whatever font fontconfig offers instead. A Khmer report would then come out in Noto Sans
or with boxes, and nobody would notice until the paper copy is signed. So before rendering we ask
fontconfig, the same resolver WeasyPrint uses, what each family of the view's PDF font stacks
resolves to, and stop with an error that names the Debian package to install.

Only the PDF stacks (``FontStack.pdf_stacks()``: body, heading, national title, names) are
checked: they are what this machine draws with. The Word family names (``FontStack.body``/
``heading``) are resolved by Word on the reader's machine, and fontconfig maps e.g. "Times New
Roman" to Tinos here anyway.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True)
class FontMatch:
    """fontconfig's best match for a family: always *some* font, maybe a substitute."""

    file: Path
    index: str  # face index in the file ("0" for a plain .ttf)
    families: tuple[str, ...]  # every family name the font carries (localised ones too)
    weight: str  # fontconfig weight, e.g. "80" regular, "200" bold
    format: str  # "TrueType", "CFF"…

    def is_family(self, family: str) -> bool:
        """Whether the match is ``family`` itself rather than a substitute for it."""
        wanted = family.strip().casefold()
        return any(name.strip().casefold() == wanted for name in self.families)


_FORMAT = b"%{file}\n%{index}\n%{family}\n%{weight}\n%{fontformat}"
"""What :func:`fc_match` reads of the match (``fc-match --format``'s syntax)."""


@functools.cache
def fc_match(family: str, bold: bool = False) -> FontMatch | None:
    """fontconfig's best match for ``family`` (once per process, family and weight; fonts do
    not appear mid-run): what ``fc-match`` answers, asked in this process.

    The one way kbc-docs asks fontconfig, the resolver WeasyPrint uses, for the PDF font check,
    the DOCX font embedder and rule measuring, and the signature stamp: the family name is
    escaped for fontconfig's pattern syntax. None if fontconfig gives no answer; a
    :class:`FontError` if fontconfig is not installed.
    """
    pattern = family
    for char in _PATTERN_SPECIALS:
        pattern = pattern.replace(char, "\\" + char)
    answer = _match(pattern + (":weight=bold" if bold else ""))
    lines = answer.split("\n") if answer is not None else []
    if len(lines) < 5 or not lines[0]:
        return None
    file, index, families, weight, fmt = lines[:5]
    # A font may carry several family names (localised ones), comma-separated.
    names = tuple(name for name in families.split(",") if name)
    return FontMatch(Path(file), index, names, weight, fmt)


def _match(pattern: str) -> str | None:
    """:data:`_FORMAT` of fontconfig's match for ``pattern``, as ``fc-match`` makes it: the
    pattern parsed, the configuration's and the default substitutions made, the best font."""
    lib = _fontconfig()
    query = lib.FcNameParse(pattern.encode("utf-8"))
    if not query:
        return None
    try:
        lib.FcConfigSubstitute(None, query, 0)  # FcMatchPattern
        lib.FcDefaultSubstitute(query)
        result = ctypes.c_int()
        font = lib.FcFontMatch(None, query, ctypes.byref(result))
    finally:
        lib.FcPatternDestroy(query)
    if not font:
        return None
    try:
        text = lib.FcPatternFormat(font, _FORMAT)
        if not text:
            return None
        try:
            return ctypes.string_at(text).decode("utf-8", "replace")
        finally:
            lib.FcStrFree(text)
    finally:
        lib.FcPatternDestroy(font)


_LIBRARIES = ("libfontconfig.so.1", "libfontconfig.1.dylib")
"""fontconfig's library by the names its packages install (Linux, macOS), tried first: a
search (:func:`ctypes.util.find_library`) runs programs to look."""


def _library_names() -> Iterator[str]:
    """The names to load fontconfig by: the packages' own first, a search only if none loads
    (a generator, so that the search's programs run only then)."""
    yield from _LIBRARIES
    found = ctypes.util.find_library("fontconfig")
    if found is not None:
        yield found


@functools.cache
def _fontconfig() -> ctypes.CDLL:
    """fontconfig's library, its calls typed; a :class:`FontError` when it is not installed."""
    for name in _library_names():
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        pointer = ctypes.c_void_p
        for function, argtypes, restype in (
            ("FcNameParse", [ctypes.c_char_p], pointer),
            ("FcConfigSubstitute", [pointer, pointer, ctypes.c_int], ctypes.c_int),
            ("FcDefaultSubstitute", [pointer], None),
            ("FcFontMatch", [pointer, pointer, ctypes.POINTER(ctypes.c_int)], pointer),
            ("FcPatternFormat", [pointer, ctypes.c_char_p], pointer),
            ("FcStrFree", [pointer], None),
            ("FcPatternDestroy", [pointer], None),
        ):
            getattr(lib, function).argtypes = argtypes
            getattr(lib, function).restype = restype
        return lib
    raise FontError(msg("font_cannot_check"))


def _resolves(family: str) -> bool:
    """True if fontconfig's best match for ``family`` is that family, not a substitute."""
    match = fc_match(family)
    return match is not None and match.is_family(family)


def missing_characters(text: str, families: list[str]) -> list[str]:
    """The characters of ``text`` that none of ``families`` draws (each once, in order).

    Spaces, controls, format characters (zero-width space, soft hyphen) and variation
    selectors need no glyph of their own. With a family of the stack not installed nothing is
    reported here: every letter of its script would be "missing", and :func:`check_fonts` says
    instead which package to install.
    """
    if not all(_resolves(family) for family in families):
        return []
    covered = [_coverage(family) for family in families]
    return [
        char
        for char in dict.fromkeys(text)
        if unicodedata.category(char) not in ("Zs", "Zl", "Zp", "Cc", "Cf")
        and not _VARIATION_SELECTOR.match(char)
        and not any(ord(char) in cmap for cmap in covered)
    ]


# A variation selector asks for a glyph variant (emoji or text style) and is drawn as nothing
# when the font has no such variant.
_VARIATION_SELECTOR = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")


@functools.cache
def _coverage(family: str) -> frozenset[int]:
    """The code points the font fontconfig picks for ``family`` maps to a glyph."""
    from fontTools.ttLib import TTFont

    match = fc_match(family)
    try:
        if match is None:
            raise ValueError(family)
        with TTFont(match.file, lazy=True, fontNumber=int(match.index or 0)) as font:
            return frozenset(font.getBestCmap() or {})
    except (OSError, ValueError, KeyError, AssertionError):  # not a font fontTools reads
        return frozenset(range(0x110000))  # cannot tell: assume it draws everything
