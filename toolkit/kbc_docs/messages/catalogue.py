"""The gettext catalogue and the user's language: which words, and how numbers are written.

Messages are written in English and translated in ``kbc_docs/data/locale/vi/LC_MESSAGES/
kbc_docs.po`` (extracted and compiled with Babel by ``scripts/update_catalogue.py``). The
language is gettext's choice from the environment (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``,
``LANG``), read each time a message is made, so ``LANG=vi_VN.UTF-8`` gives Vietnamese and
anything without a catalogue gives English. Numbers follow the same choice through Babel
(CLDR): ``8,2`` and ``10.485.760`` in Vietnamese, ``8.2`` and ``10,485,760`` in English.
"""

from __future__ import annotations

import gettext
from decimal import Decimal

from kbc_docs.data import shipped

DOMAIN = "kbc_docs"
gettext.bindtextdomain(DOMAIN, shipped("locale"))

GROUPED_FROM = 10_000
"""Whole numbers from here on are written with the language's group separator; smaller ones
(years, line and paragraph numbers, counts) are written plainly, as people write them."""


def N_(text: str) -> str:
    """Mark ``text`` for the catalogue without translating it yet (it is translated when used)."""
    return text


def _(text: str) -> str:
    """``text`` in the user's language, from kbc-docs' catalogue."""
    return gettext.dgettext(DOMAIN, text)


def language() -> str:
    """The language gettext chose for messages: ``vi``, or ``en`` when there is no catalogue."""
    found = gettext.translation(DOMAIN, shipped("locale"), fallback=True)
    if isinstance(found, gettext.GNUTranslations):
        return found.info().get("language", "en")
    return "en"


def number(value: int | float | Decimal) -> str:
    """``value`` written as the message language writes numbers (decimal comma in Vietnamese)."""
    if isinstance(value, int) and abs(value) < GROUPED_FROM:
        return str(value)
    from babel.numbers import format_decimal  # Babel: imported by the first message that needs it

    return format_decimal(value, format="#,##0.###", locale=language())


def size(n: int) -> str:
    """A size in bytes as a person reads it (``2,5 MiB`` in Vietnamese, ``2.5 MiB`` in English)."""
    from babel.numbers import format_decimal

    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= factor:
            return f"{format_decimal(n / factor, format='#,##0.0', locale=language())} {unit}"
    return f"{number(n)} B"


def either(items: list[str]) -> str:
    """``a, b or c`` in the message language (CLDR's list patterns)."""
    from babel.lists import format_list

    return format_list(items, style="or", locale=language())


def both(items: list[str]) -> str:
    """``a, b and c`` in the message language (CLDR's list patterns)."""
    from babel.lists import format_list

    return format_list(items, locale=language())


def use_for_click() -> None:
    """Make kbc-docs' catalogue the program's, so Click's and Typer's own messages translate.

    Click and Typer call :func:`gettext.gettext`, which reads the process's text domain; only the
    command line (a program, not a library) may set it.
    """
    gettext.textdomain(DOMAIN)
