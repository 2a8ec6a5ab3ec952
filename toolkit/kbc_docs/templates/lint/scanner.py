"""Finding the Jinja tags in a template's text, and the finding a check reports.

The scanner reads ``{{ }}``, ``{% %}`` and ``{# #}`` tags the way docxtpl and Jinja2 will, with
their ``p``/``tr``/``tc``/``r`` prefixes, and records where each piece of a tag lies so that a
check can name the place.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from kbc_docs.messages import either, msg

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem in a template, located so that a person can find it.

    ``part`` is ``body``, ``header1``, ``footer1``, ``footnotes`` or ``properties`` for Word
    templates and ``template`` for HTML ones. ``location`` is e.g. ``table 1, row 2, cell 1,
    paragraph 37`` (paragraphs are counted from the start of the part, table ones included) or
    ``line 34``; ``text`` is the paragraph's (or line's) text, to search for with Ctrl+F.
    """

    severity: Severity
    part: str
    location: str
    text: str
    message: str
    file: str = ""

    @property
    def place(self) -> str:
        """Where it is, in the user's language: ``body, table 1, row 2, cell 1, paragraph 37``."""
        return ", ".join(x for x in (part_name(self.part), self.location) if x)

    def __str__(self) -> str:
        head = "".join(f"{x}: " for x in (self.file, self.place) if x)
        severity = msg(f"lint_{self.severity}")
        return f"{head}{severity}: {self.message}"


def part_name(part: str) -> str:
    """A part's label (``body``, ``header1``…) in the user's language; the data keeps the label."""
    m = re.fullmatch(r"(header|footer)(\d*)", part)
    if m:
        return msg(f"lint_part_{m.group(1)}", number=m.group(2))
    if part in ("body", "footnotes", "properties", "template"):
        return msg(f"lint_part_{part}")
    return part


_OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}


OPEN_RE = re.compile(r"\{[{%#]")


PREFIXES = ("tr", "tc", "p", "r")  # docxtpl's order of processing


PREFIX_RE = re.compile(r"^(\s*)(tr|tc|p|r)([ \u00a0\u2007\u202f]|$)")


# Replaced by docxtpl inside tags (``clean_tags``); anything else quote-like is not.
CURLY = {"“": '"', "”": '"', "‘": "'", "’": "'"}


OTHER_QUOTES = {"„": '"', "‟": '"', "«": '"', "»": '"', "″": '"', "‚": "'", "′": "'"}


OTHER_QUOTES |= {"‹": "'", "›": "'", "＂": '"'}


BLOCKS = {"if", "for", "macro", "call", "filter", "with", "autoescape", "block", "raw", "set"}


MIDDLES = {"elif": {"if"}, "else": {"if", "for"}}


_SINGLES = {"include", "import", "from", "extends", "set"}


DOCXTPL_TAGS = {"cellbg", "colspan", "vm", "hm"}  # rewritten by docxtpl before Jinja sees them


KNOWN_TAGS = BLOCKS | _SINGLES | set(MIDDLES) | {f"end{b}" for b in BLOCKS} | DOCXTPL_TAGS


# A tag opening each kind of block, to check a closing tag on its own.
DUMMY_OPENER = {
    "if": "{% if x %}",
    "for": "{% for x in y %}",
    "macro": "{% macro m() %}",
    "call": "{% call m() %}",
    "filter": "{% filter upper %}",
    "with": "{% with %}",
    "autoescape": "{% autoescape true %}",
    "block": "{% block b %}",
    "set": "{% set x %}",
}


ENV = SandboxedEnvironment(autoescape=True)


@dataclass
class Tag:
    """One ``{{ }}``, ``{% %}`` or ``{# #}`` tag as written and as Jinja will see it."""

    kind: Literal["var", "block", "comment"]
    raw: str  # as typed: '{%p if x %}'
    code: str  # what Jinja sees between the delimiters: ' if x '
    prefix: str  # docxtpl prefix: '', 'p', 'tr', 'tc', 'r'
    start: int  # offsets in the part's text
    end: int
    where: Where
    keyword: str = ""  # 'if', 'endfor', … for block tags
    pieces: list[etree._Element] = field(default_factory=list)  # w:t elements holding it
    anchor: etree._Element | None = None  # what docxtpl replaces by the tag (or the w:t)
    bad: bool = False  # reported as misplaced or broken: its block needs a stand-in
    literal: bool = False  # inside {% raw %}: text, not code
    unknown: bool = False  # reported as an unknown tag
    dropped: bool = False  # docxtpl throws it away with its paragraph/cell/row
    parses: bool = False  # Jinja accepts it on its own (set by _check_syntax)
    jinja: str | None = None  # what the variable check reads instead of the tag
    pre: list[str] = field(default_factory=list)  # closers of unclosed blocks to put before it


@dataclass(frozen=True)
class Where:
    part: str
    location: str
    text: str

    def finding(self, severity: Severity, message: str) -> Finding:
        return Finding(severity, self.part, self.location, self.text, message)


def scan(text: str, where_at: Callable[[int], Where], out: list[Finding]) -> list[Tag]:
    """The tags in ``text``; an opening delimiter without its closing one is reported."""
    tags: list[Tag] = []
    pos = 0
    while (m := OPEN_RE.search(text, pos)) is not None:
        start, opener = m.start(), m.group()
        closer = _OPENERS[opener]
        end = text.find(closer, start + 2)
        following = OPEN_RE.search(text, start + 2)
        if end < 0 or (opener != "{#" and following and following.start() < end):
            shown = text[start : (following.start() if following else start + 40)].strip()
            out.append(
                where_at(start).finding(
                    "error",
                    msg("lint_not_closed", tag=short(shown), closer=closer),
                )
            )
            pos = start + 2
            continue
        raw = text[start : end + 2]
        kind: Literal["var", "block", "comment"] = (
            "var" if opener == "{{" else "block" if opener == "{%" else "comment"
        )
        tags.append(Tag(kind, raw, raw[2:-2], "", start, end + 2, where_at(start)))
        pos = end + 2
    return tags


def check_strays(
    text: str, tags: list[Tag], where_at: Callable[[int], Where], out: list[Finding]
) -> None:
    """``}}`` or ``%}`` outside any tag: half a tag whose start was deleted or mistyped.

    Jinja would print it as text, but both renderers refuse output holding template
    delimiters, so the build fails; here it is named where it is.
    """
    spans = [(t.start, t.end) for t in tags]
    for m in re.finditer(r"\}\}|%\}", text):
        if not any(a <= m.start() < b for a, b in spans):
            snippet = text[max(0, m.start() - 30) : m.end()]
            out.append(
                where_at(m.start()).finding(
                    "error",
                    msg(
                        "lint_stray_closer",
                        closer=m.group(),
                        opener="{{" if m.group() == "}}" else "{%",
                        snippet=short(snippet, 40),
                    ),
                )
            )


def keyword(code: str) -> str:
    m = re.match(r"[-+]?\s*([A-Za-z_]\w*)", code)
    return m.group(1) if m else ""


def short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def suggest(name: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=3, cutoff=0.6)
    if not close:
        return ""
    return msg("lint_did_you_mean", names=either([f"`{c}`" for c in close]))
