"""Every message a user reads, in the user's language, through gettext.

The clerks who write content files are Vietnamese; the developers and CI logs mostly read
English. Library code names a message by id (``msg("read_failed", reason=…)``), so the English
wording lives in this package once, one module per subject (:mod:`.content`, :mod:`.output`,
:mod:`.templates`, :mod:`.lint`, :mod:`.translate`, :mod:`.signing`, :mod:`.cli`);
:mod:`.catalogue` holds the gettext machinery and the language's way of writing numbers.
``N_`` only marks a text for extraction. Placeholders are ``str.format`` fields; literal braces
are doubled (``{{vi: …}}``). The command line also hands this catalogue to Click and Typer
(:func:`use_for_click`), whose own messages are translated in the same ``.po``.
"""

from __future__ import annotations

import errno
import re
from decimal import Decimal
from typing import Any

from kbc_docs.messages import cli, content, lint, output, signing, templates, translate
from kbc_docs.messages.catalogue import N_, _, both, either, language, number, size, use_for_click

__all__ = [
    "DRAFT_WORDS",
    "GAP_MARKER",
    "MESSAGES",
    "N_",
    "_",
    "both",
    "draft_title",
    "either",
    "language",
    "msg",
    "number",
    "os_reason",
    "size",
    "use_for_click",
    "yaml_problem",
]

MESSAGES: dict[str, str] = {}
for _module in (content, output, templates, lint, translate, signing, cli):
    assert not MESSAGES.keys() & _module.MESSAGES.keys(), _module.__name__
    MESSAGES |= _module.MESSAGES

AS_WRITTEN = frozenset({"got", "value", "to", "total", "number", "plain", "fixed", "pid"})
"""Placeholders that repeat what the user wrote (``got 49.677``), or name a thing by its number
(a process id): shown exactly as they are, never rewritten in the language's number style."""

GAP_MARKER = "⟦THIẾU BẢN DỊCH {lang}⟧"
"""Put in the output where a translation is missing (``--draft``): loud, and never real text."""

DRAFT_WORDS = {"vi": "BẢN NHÁP", "km": "សេចក្ដីព្រាង · DRAFT", "lo": "ຮ່າງ · DRAFT"}
"""The word "draft" per language, put before each version's title by ``--draft``."""


def msg(message_id: str, **params: Any) -> str:
    """The message ``message_id`` in the user's language, with ``params`` filled in.

    Numbers (counts, limits, sizes, seconds) are written the language's way (:func:`number`),
    except the placeholders in :data:`AS_WRITTEN`; an :class:`OSError` is said in words
    (:func:`os_reason`).
    """
    for name, value in params.items():
        if isinstance(value, OSError):
            params[name] = os_reason(value)
            continue
        is_number = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
        if is_number and name not in AS_WRITTEN:
            params[name] = number(value)
    return _(MESSAGES[message_id]).format(**params)


def os_reason(exc: OSError) -> str:
    """Why the operating system refused, in the user's language: Python's ``strerror`` is
    always English, so the usual reasons are messages of their own (``os_<errno name>``)."""
    code = errno.EACCES if exc.errno == errno.EPERM else exc.errno
    name = errno.errorcode.get(code or 0, "")
    if f"os_{name}" in MESSAGES:
        return msg(f"os_{name}")
    return exc.strerror or str(exc)


def draft_title(lang: str) -> str:
    """The marker put before a version's title in a draft build, e.g. ``⟦BẢN NHÁP⟧``."""
    return f"⟦{DRAFT_WORDS.get(lang, 'DRAFT')}⟧"


def yaml_problem(problem: str) -> str:
    """The parser's ``problem`` in the user's language when known, else as the parser said it."""
    key = re.sub(r"character '.*?' that", "character that", problem)  # PyYAML names it
    for known, text in content.YAML_PROBLEMS.items():
        if key.startswith(known):
            return _(text)
    return problem
