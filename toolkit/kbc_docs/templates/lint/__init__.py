"""Check templates before they are used, and say where each problem is in terms a clerk can find.

Clerks edit ``report.docx`` and ``signing.docx`` in Word. Word stores text as runs it splits as
it pleases, puts bookmarks, proofing marks and tracked changes between them and turns straight
quotes into curly ones; clerks move, copy and retype tags. docxtpl repairs some of this while
rendering and fails on the rest, usually with a message that names no place, or not at all:
text beside a ``{%p %}`` tag and a second ``{%p %}`` in the same paragraph silently vanish.
This module finds every such problem in one run and names the place: the part (``body``,
``header1``…), the table/row/cell, the paragraph number and the paragraph's text.

It checks, for ``.docx`` and ``.html`` templates alike: tags that are not closed, Jinja syntax,
blocks that are not closed or are closed by the wrong tag, curly quotes inside tags, and every
variable and field against the content model (:func:`kbc_docs.templates.lookup.template_context`,
derived from :mod:`kbc_docs.view`), with "did you mean". For Word templates also: where
docxtpl's ``{%p %}``/``{%tr %}``/``{%tc %}``/``{%r %}`` tags can work, text they would drop,
blocks whose tags sit in different paragraphs, cells or tables, tags cut by markup docxtpl does
not remove (tracked changes, hyperlinks, content controls), and finally docxtpl's own
pre-processing run on every part, so that nothing it would break goes unreported.

``docxtpl-lint`` (PyPI) was evaluated and not used: it misses two of the Word damages in
``tests/templates_broken`` (two ``{%p %}`` tags in one paragraph, a tag cut by a tracked change),
checks variables only against sample data (no types, no methods, no "did you mean", optional
fields give false alarms) and does not read the HTML templates.
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import json
import re
import types
import typing
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from kbc_docs.render.docx.ooxml import w
from kbc_docs.templates.lookup import (
    LOOP_ATTRIBUTES,
    TemplateKind,
    is_junk,
    template_context,
    template_kind,
    type_attributes,
)

__all__ = ["Finding", "check_template", "format_findings", "lint_templates"]

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

    def __str__(self) -> str:
        where = ", ".join(x for x in (self.part, self.location) if x)
        head = f"{self.file}: " if self.file else ""
        return f"{head}{where}: {self.severity}: {self.message}"


# ---------------------------------------------------------------- public API


def check_template(path: Path) -> list[Finding]:
    """Every problem of one template (``.docx`` or ``.html``), in document order."""
    path = Path(path)
    kind = template_kind(path)
    if not path.is_file():
        return [Finding("error", "", "", "", "no such template", str(path))]
    if kind is None:
        return [Finding("error", "", "", "", "not a template (expected .docx or .html)", str(path))]
    findings = _check_docx(path) if kind == "docx" else _check_html(path)
    return [dataclasses.replace(f, file=str(path)) for f in findings]


def lint_templates(paths: Iterable[Path]) -> list[Finding]:
    """:func:`check_template` for each file; a folder stands for the templates in it."""
    findings: list[Finding] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files = sorted(
                p
                for p in path.iterdir()
                if template_kind(p) and p.is_file() and not is_junk(Path(p.name))
            )
        else:
            files = [path]
        for file in files:
            findings += check_template(file)
    return findings


def format_findings(findings: list[Finding], as_json: bool = False) -> str:
    """Findings as text for people (one line each plus the paragraph's text) or as JSON."""
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    if as_json:
        doc = {
            "findings": [dataclasses.asdict(f) for f in findings],
            "errors": errors,
            "warnings": warnings,
        }
        return json.dumps(doc, ensure_ascii=False, indent=2)
    lines: list[str] = []
    for f in findings:
        lines.append(str(f))
        if f.text:
            lines.append(f"    {f.text}")
    if not findings:
        lines.append("no problems found")
    else:
        lines.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)


# ---------------------------------------------------------------- tags


_OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_OPEN_RE = re.compile(r"\{[{%#]")
_PREFIXES = ("tr", "tc", "p", "r")  # docxtpl's order of processing
_PREFIX_RE = re.compile(r"^(\s*)(tr|tc|p|r)([ \u00a0\u2007\u202f]|$)")
# Replaced by docxtpl inside tags (``clean_tags``); anything else quote-like is not.
_CURLY = {"“": '"', "”": '"', "‘": "'", "’": "'"}
_OTHER_QUOTES = {"„": '"', "‟": '"', "«": '"', "»": '"', "″": '"', "‚": "'", "′": "'"}
_OTHER_QUOTES |= {"‹": "'", "›": "'", "＂": '"'}

_BLOCKS = {"if", "for", "macro", "call", "filter", "with", "autoescape", "block", "raw", "set"}
_MIDDLES = {"elif": {"if"}, "else": {"if", "for"}}
_SINGLES = {"include", "import", "from", "extends", "set"}
_DOCXTPL_TAGS = {"cellbg", "colspan", "vm", "hm"}  # rewritten by docxtpl before Jinja sees them
_KNOWN_TAGS = _BLOCKS | _SINGLES | set(_MIDDLES) | {f"end{b}" for b in _BLOCKS} | _DOCXTPL_TAGS
# A tag opening each kind of block, to check a closing tag on its own.
_DUMMY_OPENER = {
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
_ENV = SandboxedEnvironment(autoescape=True)


@dataclass
class _Tag:
    """One ``{{ }}``, ``{% %}`` or ``{# #}`` tag as written and as Jinja will see it."""

    kind: Literal["var", "block", "comment"]
    raw: str  # as typed: '{%p if x %}'
    code: str  # what Jinja sees between the delimiters: ' if x '
    prefix: str  # docxtpl prefix: '', 'p', 'tr', 'tc', 'r'
    start: int  # offsets in the part's text
    end: int
    where: _Where
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
class _Where:
    part: str
    location: str
    text: str

    def finding(self, severity: Severity, message: str) -> Finding:
        return Finding(severity, self.part, self.location, self.text, message)


def _scan(text: str, where_at: Callable[[int], _Where], out: list[Finding]) -> list[_Tag]:
    """The tags in ``text``; an opening delimiter without its closing one is reported."""
    tags: list[_Tag] = []
    pos = 0
    while (m := _OPEN_RE.search(text, pos)) is not None:
        start, opener = m.start(), m.group()
        closer = _OPENERS[opener]
        end = text.find(closer, start + 2)
        following = _OPEN_RE.search(text, start + 2)
        if end < 0 or (opener != "{#" and following and following.start() < end):
            shown = text[start : (following.start() if following else start + 40)].strip()
            out.append(
                where_at(start).finding(
                    "error",
                    f"`{_short(shown)}` is not closed: it needs `{closer}` at its end",
                )
            )
            pos = start + 2
            continue
        raw = text[start : end + 2]
        kind: Literal["var", "block", "comment"] = (
            "var" if opener == "{{" else "block" if opener == "{%" else "comment"
        )
        tags.append(_Tag(kind, raw, raw[2:-2], "", start, end + 2, where_at(start)))
        pos = end + 2
    return tags


def _check_strays(
    text: str, tags: list[_Tag], where_at: Callable[[int], _Where], out: list[Finding]
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
                    f"`{m.group()}` without its opening `{'{{' if m.group() == '}}' else '{%'}` "
                    f"(in `…{_short(snippet, 40)}`)",
                )
            )


def _keyword(code: str) -> str:
    m = re.match(r"[-+]?\s*([A-Za-z_]\w*)", code)
    return m.group(1) if m else ""


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _suggest(name: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=3, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"`{c}`" for c in close) + "?"


# ---------------------------------------------------------------- checks common to both kinds


def _check_quotes(tag: _Tag, docx: bool, out: list[Finding]) -> None:
    """Curly quotes: docxtpl straightens “ ” ‘ ’ itself, nothing straightens the others."""
    curly = sorted({c for c in tag.code if c in _CURLY})
    other = sorted({c for c in tag.code if c in _OTHER_QUOTES})
    fixed = tag.code
    for c in [*curly, *other]:
        fixed = fixed.replace(c, (_CURLY | _OTHER_QUOTES)[c])
    if curly and docx and not other:
        out.append(
            tag.where.finding(
                "warning",
                f"curly quotes {' '.join(curly)} in `{_short(tag.raw)}`: docxtpl straightens "
                "them, but type straight quotes (\" ') and turn Word's smart quotes off "
                "(docs/templates.md, rule 4)",
            )
        )
    elif curly or other:
        out.append(
            tag.where.finding(
                "error",
                f"quotes {' '.join(curly + other)} in `{_short(tag.raw)}` must be straight "
                "quotes (\" or ')",
            )
        )
    tag.code = fixed


def _check_blocks(
    tags: list[_Tag], out: list[Finding], dropped: list[_Tag]
) -> tuple[list[list[_Tag]], list[str]]:
    """Match every block tag with its partners; report the unmatched; return the blocks.

    An ``{% endfor %}`` met while an ``{% if %}`` opened inside the loop is still open closes
    the loop and reports the ``if`` as never closed, at the ``if``: that is where the missing
    ``{% endif %}`` belongs (Jinja itself would name only the ``endfor``). Unclosed blocks are
    then closed in the source the variable check reads (``_Tag.pre`` and the returned trailing
    closers), and a misspelt tag close to a known one (``endfro``) counts as that one, so that
    one mistake is reported once and not again as unknown loop variables.
    """
    stack: list[list[_Tag]] = []
    blocks: list[list[_Tag]] = []
    raw_mode = False
    for tag in tags:
        kw = tag.keyword
        if raw_mode and kw != "endraw":
            tag.literal = True
            continue
        if tag.kind != "block":
            continue
        if raw_mode:
            raw_mode = False
            stack[-1].append(tag)
            blocks.append(stack.pop())
            continue
        if kw not in _KNOWN_TAGS:
            out.append(tag.where.finding("error", _unknown_tag(tag)))
            rest = tag.code.lstrip("-+ \t")[len(kw) :]
            if kw in _PREFIXES and _keyword(rest) in _KNOWN_TAGS:
                # `{%p for …%}` in an HTML template: check it on as the `for` it means.
                tag.code, kw = rest, _keyword(rest)
                tag.keyword = kw
            else:
                tag.bad = tag.unknown = True
                guess = difflib.get_close_matches(kw, sorted(_KNOWN_TAGS), n=1, cutoff=0.75)
                if not guess:
                    continue
                kw = tag.keyword = guess[0]
        if kw == "set" and "=" in tag.code:
            continue
        if kw in _BLOCKS:
            stack.append([tag])
            raw_mode = kw == "raw"
        elif kw in _MIDDLES:
            if stack and stack[-1][0].keyword in _MIDDLES[kw]:
                stack[-1].append(tag)
            else:
                tag.bad = True
                inside = (
                    f"; the `{_short(stack[-1][0].raw)}` at {_at(stack[-1][0])} is still open"
                    if stack
                    else ""
                )
                owners = " or ".join(f"{{% {o} %}}" for o in sorted(_MIDDLES[kw]))
                out.append(tag.where.finding("error", f"`{tag.raw}` without {owners}{inside}"))
        elif kw.startswith("end") and kw[3:] in _BLOCKS:
            name = kw[3:]
            depth = next(
                (i for i in range(len(stack) - 1, -1, -1) if stack[i][0].keyword == name), None
            )
            if depth is None:
                tag.bad = True
                out.append(
                    tag.where.finding(
                        "error", f"`{tag.raw}` closes a `{{% {name} %}}` that is not open"
                    )
                )
                continue
            for frame in reversed(stack[depth + 1 :]):
                _unclosed(frame, out, dropped, before=tag)
                tag.pre.append(f"{{% end{frame[0].keyword} %}}")
                blocks.append(frame)
            del stack[depth + 1 :]
            stack[-1].append(tag)
            blocks.append(stack.pop())
    trailing: list[str] = []
    for frame in reversed(stack):
        _unclosed(frame, out, dropped)
        trailing.append(f"{{% end{frame[0].keyword} %}}")
        blocks.append(frame)
    return blocks, trailing


def _unclosed(
    frame: list[_Tag], out: list[Finding], dropped: list[_Tag], before: _Tag | None = None
) -> None:
    """Report a block never closed, or closed only by a tag docxtpl throws away."""
    opener = frame[0]
    end = f"end{opener.keyword}"
    lost = next(
        (
            t
            for t in dropped
            if t.start > opener.start and t.kind == "block" and _keyword(t.code) == end
        ),
        None,
    )
    if lost is not None:
        message = (
            f"`{_short(opener.raw)}` is never closed: its `{lost.raw}` at {_at(lost)} is "
            "thrown away by docxtpl (see the message there)"
        )
    else:
        fix = f"{{%{opener.prefix} {end} %}}"
        where = f" before the `{before.raw}` at {_at(before)}" if before else ""
        message = f"`{_short(opener.raw)}` is never closed: add `{fix}`{where}"
    out.append(opener.where.finding("error", message))


def _at(tag: _Tag) -> str:
    where = tag.where
    return ", ".join(x for x in (where.part, where.location) if x)


def _unknown_tag(tag: _Tag) -> str:
    kw = tag.keyword
    if kw in _PREFIXES:
        return (
            f"`{_short(tag.raw)}`: `{{%{kw}` is a Word-template prefix; write it right after "
            f"`{{%` and follow it by a space and the tag (`{{%{kw} if x %}}`); HTML templates "
            "use plain `{% if x %}`"
        )
    if not kw:
        return f"`{_short(tag.raw)}` does not start with a tag name such as if, for, endif"
    return f"`{_short(tag.raw)}`: unknown tag `{kw}`{_suggest(kw, _KNOWN_TAGS)}"


def _check_syntax(tags: list[_Tag], out: list[Finding]) -> None:
    """Parse each tag on its own, so every syntax error is reported at its own tag."""
    for tag in tags:
        if tag.kind == "comment" or tag.literal or tag.unknown:
            continue
        try:
            _ENV.parse(_snippet(tag))
        except TemplateSyntaxError as exc:
            tag.bad = True
            out.append(tag.where.finding("error", f"`{_short(tag.raw)}`: {exc.message}"))
        else:
            tag.parses = True


def _snippet(tag: _Tag) -> str:
    """A complete template holding just ``tag`` (with a stand-in partner if it needs one)."""
    kw, code = tag.keyword, tag.code
    if tag.kind == "var":
        return "{{" + code + "}}"
    if kw in _DOCXTPL_TAGS:
        expr = code.strip()[len(kw) :].strip()
        return "{{ " + expr + " }}" if kw in ("cellbg", "colspan") else ""
    if kw in _MIDDLES:
        return _DUMMY_OPENER["if"] + "{%" + code + "%}{% endif %}"
    if kw.startswith("end") and kw[3:] in _DUMMY_OPENER:
        return _DUMMY_OPENER[kw[3:]] + "{%" + code + "%}"
    if kw == "raw":
        return "{%" + code + "%}{% endraw %}"
    if kw == "endraw":
        return "{% raw %}{%" + code + "%}"
    if kw in _BLOCKS and not (kw == "set" and "=" in code):
        return "{%" + code + "%}{% end" + kw + " %}"
    return "{%" + code + "%}"


def _jinja_source(tags: list[_Tag], trailing: list[str]) -> str:
    """One line per tag, as Jinja sees them; tags already reported are neutralised.

    A broken block opener keeps its block (``{% if __any__ %}``) so that the rest can still be
    checked; broken single tags become empty lines, so line ``n`` is always tag ``n - 1``.
    """
    lines: list[str] = []
    for tag in tags:
        lines.append("".join(tag.pre) + _jinja_line(tag))
    if trailing:
        lines.append("".join(trailing))
    return "\n".join(lines)


def _jinja_line(tag: _Tag) -> str:
    if tag.jinja is not None:
        return tag.jinja
    if tag.kind == "comment" or tag.literal or not tag.parses:
        return ""
    code = tag.code.replace("\n", " ")
    if tag.kind == "var":
        return "{{" + code + "}}"
    if tag.keyword in _DOCXTPL_TAGS:
        expr = code.strip()[len(tag.keyword) :].strip()
        return "{{ " + expr + " }}" if tag.keyword in ("cellbg", "colspan") else ""
    return "{%" + code + "%}"


def _stand_ins(tags: list[_Tag], blocks: list[list[_Tag]]) -> None:
    """Decide what the variable check reads for tags that cannot be read as they are.

    A tag that parses is read as written, even if misplaced (its variables are still checked).
    A block tag that does not parse keeps its block with a stand-in (``{% if __any__ %}``), so
    the block's body is still checked; a broken ``{% set x = … %}`` still defines ``x``.
    Block tags matched to nothing (a stray ``{% endif %}``) are left out.
    """
    in_block = {id(t) for block in blocks for t in block}
    for tag in tags:
        if tag.kind != "block" or tag.literal:
            continue
        kw = tag.keyword
        if kw == "set" and "=" in tag.code:
            names = re.match(r"[-+]?\s*set\s+([\w\s,]+?)\s*=", tag.code)
            if not tag.parses and names:
                tag.jinja = f"{{% set {names.group(1)} = __any__ %}}"
        elif id(tag) not in in_block:
            if kw in _BLOCKS or kw in _MIDDLES or kw.startswith("end"):
                tag.jinja = ""
        elif not tag.parses:
            tag.jinja = _STAND_IN.get(kw, f"{{% {kw} %}}")
            if kw == "for":
                targets = re.match(r"[-+]?\s*for\s+(.+?)\s+in\s", tag.code)
                names = targets.group(1) if targets else "__any__"
                if not re.fullmatch(r"[\w\s,()]+", names):
                    names = "__any__"
                tag.jinja = f"{{% for {names} in __any__ %}}"


_STAND_IN = {
    "if": "{% if __any__ %}",
    "elif": "{% elif __any__ %}",
    "with": "{% with %}",
    "set": "{% set __any__ %}",
    "macro": "{% macro __any__() %}",
    "call": "{% call __any__() %}",
    "filter": "{% filter string %}",
    "autoescape": "{% autoescape true %}",
    "block": "{% block __any__ %}",
    "raw": "{% raw %}",
}


def _check_unit(
    tags: list[_Tag], kind: TemplateKind, out: list[Finding], dropped: list[_Tag] | None = None
) -> list[list[_Tag]]:
    """The checks every template part gets: quotes, blocks, syntax, variables.

    ``dropped`` are tags docxtpl throws away before Jinja sees the template: not checked, but
    named when their loss leaves a block unclosed.
    """
    for tag in tags:
        if tag.kind != "comment":
            _check_quotes(tag, kind == "docx", out)
        tag.keyword = _keyword(tag.code) if tag.kind == "block" else ""
    blocks, trailing = _check_blocks(tags, out, dropped or [])
    _check_syntax(tags, out)
    _stand_ins(tags, blocks)
    source = _jinja_source(tags, trailing)
    try:
        tree = _ENV.parse(source)
    except TemplateSyntaxError as exc:
        if not any(f.severity == "error" for f in out):
            index = max(0, min(len(tags) - 1, (exc.lineno or 1) - 1))
            out.append(tags[index].where.finding("error", f"template syntax: {exc.message}"))
        return blocks
    _VariableChecker(template_context(kind), tags, out).check(tree)
    return blocks


# ---------------------------------------------------------------- the content-model check


class _Loop:
    """Marker type of Jinja's ``loop`` variable."""


class _Macro:
    """Marker type of a macro: calling it gives text."""


_SAME = object()  # a filter that returns its input's type
_ELEM = object()  # a filter that returns one element of its input
_TEXT_FILTERS = (
    "upper", "lower", "capitalize", "title", "trim", "striptags", "escape", "e", "safe",
    "string", "join", "replace", "truncate", "center", "indent", "format", "urlencode",
    "urlize", "wordwrap", "tojson", "filesizeformat", "xmlattr", "forceescape",
)  # fmt: skip
_LIST_FILTERS = (
    "sort",
    "reverse",
    "unique",
    "list",
    "select",
    "reject",
    "selectattr",
    "rejectattr",
)
_FILTER_TYPES: dict[str, Any] = {
    **dict.fromkeys(("length", "count", "wordcount", "int"), int),
    **dict.fromkeys(("float", "round"), float),
    **dict.fromkeys(_TEXT_FILTERS, str),
    **dict.fromkeys((*_LIST_FILTERS, "default", "d"), _SAME),
    **dict.fromkeys(("first", "last", "random", "min", "max"), _ELEM),
}
_ATTRIBUTE_FILTERS = {"map", "selectattr", "rejectattr", "sort", "unique", "groupby", "sum", "min"}
_ATTRIBUTE_FILTERS |= {"max"}
_GLOBAL_TYPES: dict[str, Any] = {"range": list[int], "dict": dict[str, Any]}


def _strip_optional(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        rest = [a for a in typing.get_args(tp) if a is not type(None)]
        return rest[0] if len(rest) == 1 else Any
    if origin is Literal:
        return str
    return tp


def _element(tp: Any) -> Any:
    tp = _strip_optional(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (list, tuple, set, frozenset) and args:
        return _strip_optional(args[0])
    if origin is dict and args:
        return _strip_optional(args[0])
    if tp is str:
        return str
    return Any


def _type_name(tp: Any) -> str:
    tp = _strip_optional(tp)
    if tp is _Loop:
        return "loop"
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return f"a {tp.__name__}"
    origin = typing.get_origin(tp)
    if origin is list:
        return "a list"
    if origin is dict:
        return "a table"
    if tp is str:
        return "text"
    return getattr(tp, "__name__", "a value")


class _VariableChecker:
    """Walk the Jinja AST with the types of the content model and report unknown names.

    Scopes follow Jinja's: a ``for`` loop, a macro and ``with`` open a scope, ``if`` does not.
    Macro parameters get the types the macro is called with (``issuers(v)`` makes ``v`` a
    ``Version`` inside ``issuers``), found by walking the template until they settle.
    """

    def __init__(self, context: dict[str, Any], tags: list[_Tag], out: list[Finding]) -> None:
        self.context = {name: item.type for name, item in context.items()}
        self.tags = tags
        self.out = out
        self.scopes: list[dict[str, Any]] = []
        self.macros: dict[str, nodes.Macro] = {}
        self.params: dict[str, list[Any]] = {}
        self.calls: dict[str, list[set[Any]]] = {}
        self.reporting = False
        self.guarded = 0
        self.reported: set[tuple[int, str]] = set()

    def check(self, tree: nodes.Template) -> None:
        for macro in tree.find_all(nodes.Macro):
            self.macros[macro.name] = macro
            self.params[macro.name] = [Any] * len(macro.args)
        for _ in range(4):
            self.calls = {name: [set() for _ in m.args] for name, m in self.macros.items()}
            self._walk_template(tree)
            settled = True
            for name, seen in self.calls.items():
                types = [next(iter(s)) if len(s) == 1 else Any for s in seen]
                if types != self.params[name]:
                    self.params[name] = types
                    settled = False
            if settled:
                break
        self.reporting = True
        self._walk_template(tree)

    def _walk_template(self, tree: nodes.Template) -> None:
        globals_: dict[str, Any] = dict.fromkeys(self.macros, _Macro)
        self.scopes = [globals_]
        self._stmts(tree.body)

    # -- reporting

    def _report(self, node: nodes.Node, message: str) -> None:
        if not self.reporting or self.guarded:
            return
        index = (node.lineno or 1) - 1
        if not 0 <= index < len(self.tags):
            index = len(self.tags) - 1
        key = (index, message)
        if key in self.reported:
            return
        self.reported.add(key)
        self.out.append(self.tags[index].where.finding("error", message))

    # -- statements

    def _stmts(self, body: list[nodes.Node]) -> None:
        for node in body:
            self._stmt(node)

    def _stmt(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if not isinstance(child, nodes.TemplateData):
                    self._expr(child)
        elif isinstance(node, nodes.If):
            self._expr(node.test)
            self._stmts(node.body)
            for elif_ in node.elif_:
                self._stmt(elif_)
            self._stmts(node.else_)
        elif isinstance(node, nodes.For):
            item = _element(self._expr(node.iter))
            self.scopes.append({})
            self._bind(node.target, item)
            if node.test is not None:
                self._expr(node.test)
            self.scopes[-1]["loop"] = _Loop
            self._stmts(node.body)
            self.scopes.pop()
            self.scopes.append({})
            self._stmts(node.else_)
            self.scopes.pop()
        elif isinstance(node, nodes.Macro):
            self._macro_body(node, node.name)
        elif isinstance(node, nodes.CallBlock):
            self._expr(node.call)
            self.scopes.append({"caller": _Macro})
            for arg in node.args:
                self.scopes[-1][arg.name] = Any
            self._stmts(node.body)
            self.scopes.pop()
        elif isinstance(node, nodes.FilterBlock):
            self._stmts(node.body)
            self._filter(node.filter, str)
        elif isinstance(node, nodes.With):
            values = [self._expr(v) for v in node.values]
            self.scopes.append({})
            for target, tp in zip(node.targets, values, strict=False):
                self._bind(target, tp)
            self._stmts(node.body)
            self.scopes.pop()
        elif isinstance(node, nodes.Assign):
            tp = self._expr(node.node)
            self._bind(node.target, tp)
        elif isinstance(node, nodes.AssignBlock):
            self._stmts(node.body)
            self._bind(node.target, str)
        elif isinstance(node, nodes.Import):
            self.scopes[-1][node.target] = Any
        elif isinstance(node, nodes.FromImport):
            for name in node.names:
                self.scopes[-1][name if isinstance(name, str) else name[1]] = Any
        elif isinstance(node, nodes.Include):
            self._expr(node.template)
        else:
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Stmt | nodes.Template | nodes.Helper):
                    self._stmt(child)
                elif isinstance(child, nodes.Expr):
                    self._expr(child)

    def _macro_body(self, node: nodes.Macro, name: str) -> None:
        params = self.params.get(name, [])
        scope: dict[str, Any] = {"caller": _Macro, "varargs": list[Any], "kwargs": dict}
        for i, arg in enumerate(node.args):
            scope[arg.name] = params[i] if i < len(params) else Any
        for default in node.defaults:
            self._expr(default)
        saved = self.scopes
        self.scopes = [saved[0], scope]
        self._stmts(node.body)
        self.scopes = saved

    def _bind(self, target: nodes.Node, tp: Any) -> None:
        if isinstance(target, nodes.Name):
            self.scopes[-1][target.name] = tp
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self._bind(item, Any)
        elif isinstance(target, nodes.NSRef):
            self._lookup(target, target.name)

    # -- expressions

    def _lookup(self, node: nodes.Node, name: str) -> Any:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        if name in self.context:
            return self.context[name]
        if name in _ENV.globals:
            return _GLOBAL_TYPES.get(name, Any)
        if name == "__any__":
            return Any
        if name == "loop":
            self._report(node, "`loop` exists only inside a `{% for %}` block")
            return Any
        visible = {n for s in self.scopes for n in s} | set(self.context)
        hint = _suggest(name, visible) or (
            "; the names a template can use are: " + ", ".join(sorted(self.context))
        )
        self._report(node, f"unknown variable `{name}`{hint}")
        return Any

    def _expr(self, node: nodes.Node) -> Any:
        if isinstance(node, nodes.Name):
            return self._lookup(node, node.name)
        if isinstance(node, nodes.Const):
            return type(node.value) if node.value is not None else Any
        if isinstance(node, nodes.Getattr):
            return self._attribute(node, self._expr(node.node), node.attr)
        if isinstance(node, nodes.Getitem):
            base = self._expr(node.node)
            arg = node.arg
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                base_s = _strip_optional(base)
                if isinstance(base_s, type) and dataclasses.is_dataclass(base_s):
                    return self._attribute(node, base, arg.value)
            self._expr(arg)
            base = _strip_optional(base)
            if isinstance(arg, nodes.Slice):
                return base
            origin, args = typing.get_origin(base), typing.get_args(base)
            if origin is list and args:
                return _strip_optional(args[0])
            if origin is dict and len(args) == 2:
                return _strip_optional(args[1])
            return str if base is str else Any
        if isinstance(node, nodes.Call):
            return self._call(node)
        if isinstance(node, nodes.Filter):
            if node.node is None:
                return self._filter(node, str)
            # `x | default(…)` is how a template says "x may be missing": do not report x.
            guard = node.name in ("default", "d")
            self.guarded += guard
            base = self._expr(node.node)
            self.guarded -= guard
            return self._filter(node, base)
        if isinstance(node, nodes.Test):
            if node.name in ("defined", "undefined"):
                self.guarded += 1
                self._expr(node.node)
                self.guarded -= 1
            else:
                self._expr(node.node)
            if node.name not in _ENV.tests:
                self._report(node, f"unknown test `{node.name}`{_suggest(node.name, _ENV.tests)}")
            self._args(node)
            return bool
        if isinstance(node, nodes.CondExpr):
            self._expr(node.test)
            a = self._expr(node.expr1)
            b = self._expr(node.expr2) if node.expr2 is not None else Any
            return a if a == b else Any
        if isinstance(node, nodes.Compare):
            self._expr(node.expr)
            for op in node.ops:
                self._expr(op.expr)
            return bool
        if isinstance(node, nodes.Concat):
            for child in node.nodes:
                self._expr(child)
            return str
        for child in node.iter_child_nodes():
            self._expr(child)
        return Any

    def _attribute(self, node: nodes.Node, base: Any, name: str) -> Any:
        base = _strip_optional(base)
        if name.startswith("_"):
            self._report(node, f"`{_describe(node)}`: names starting with _ cannot be used")
            return Any
        if base is Any:
            return Any
        if base is _Loop:
            if name not in LOOP_ATTRIBUTES:
                hint = _suggest(name, LOOP_ATTRIBUTES) or (
                    "; loop has: " + ", ".join(LOOP_ATTRIBUTES)
                )
                self._report(node, f"`{_describe(node)}`: loop has no `{name}`{hint}")
                return Any
            return {"index": int, "index0": int, "first": bool, "last": bool}.get(name, Any)
        if isinstance(base, type) and dataclasses.is_dataclass(base):
            attributes = type_attributes(base)
            if name in attributes:
                return attributes[name]
            hint = _suggest(name, attributes) or (
                f"; {_type_name(base)} has: " + ", ".join(attributes)
            )
            self._report(
                node, f"`{_describe(node)}`: {_type_name(base)} has no field `{name}`{hint}"
            )
            return Any
        origin = typing.get_origin(base) or base
        if origin is dict:
            args = typing.get_args(base)
            if hasattr(dict, name):
                return Callable[..., Any]
            return _strip_optional(args[1]) if len(args) == 2 else Any
        if isinstance(origin, type) and origin in (str, list, int, float, bool):
            if hasattr(origin, name):
                return Callable[..., Any]
            self._report(node, f"`{_describe(node)}`: {_type_name(base)} has no attribute `{name}`")
        return Any

    def _call(self, node: nodes.Call) -> Any:
        self._args(node)
        func = node.node
        if isinstance(func, nodes.Name) and func.name in self.macros:
            self._lookup(func, func.name)
            seen = self.calls.get(func.name, [])
            for i, arg in enumerate(node.args):
                if i < len(seen):
                    tp = self._expr_quiet(arg)
                    if tp is not Any:
                        seen[i].add(tp)
            return str
        tp = self._expr(func)
        if typing.get_origin(tp) is typing.get_origin(Callable[..., Any]):
            args = typing.get_args(tp)
            return _strip_optional(args[-1]) if args else Any
        if tp is _Macro:
            return str
        if isinstance(func, nodes.Name) and func.name in _GLOBAL_TYPES:
            return _GLOBAL_TYPES[func.name]
        return Any

    def _expr_quiet(self, node: nodes.Node) -> Any:
        reporting, self.reporting = self.reporting, False
        try:
            return self._expr(node)
        finally:
            self.reporting = reporting

    def _args(self, node: nodes.Call | nodes.Filter | nodes.Test) -> None:
        for arg in node.args:
            self._expr(arg)
        for kw in node.kwargs:
            self._expr(kw.value)
        for extra in (node.dyn_args, node.dyn_kwargs):
            if extra is not None:
                self._expr(extra)

    def _filter(self, node: nodes.Filter, base: Any) -> Any:
        name = node.name
        self._args(node)
        if name not in _ENV.filters:
            self._report(node, f"unknown filter `{name}`{_suggest(name, _ENV.filters)}")
            return Any
        item = _element(base)
        if name in _ATTRIBUTE_FILTERS:
            attribute = next((k.value for k in node.kwargs if k.key == "attribute"), None)
            if attribute is None and name in ("selectattr", "rejectattr") and node.args:
                attribute = node.args[0]
            if isinstance(attribute, nodes.Const) and isinstance(attribute.value, str):
                tp = item
                for part in attribute.value.split("."):
                    tp = self._attribute(node, tp, part)
                if name == "map":
                    return list[tp] if tp is not Any else list[Any]
        result = _FILTER_TYPES.get(name, Any)
        if result is _SAME:
            return base
        if result is _ELEM:
            return item
        return result


def _describe(node: nodes.Node) -> str:
    """The expression as written, e.g. ``v.signers[0].nmae``, for messages."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_describe(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        arg = node.arg
        shown = repr(arg.value) if isinstance(arg, nodes.Const) else "…"
        return f"{_describe(node.node)}[{shown}]"
    if isinstance(node, nodes.Call):
        return f"{_describe(node.node)}()"
    if isinstance(node, nodes.Filter) and node.node is not None:
        return f"{_describe(node.node)}|{node.name}"
    return "…"


# ---------------------------------------------------------------- HTML templates


def _check_html(path: Path) -> list[Finding]:
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [Finding("error", "", "", "", f"cannot read the template: {exc}")]
    lines = source.splitlines()
    starts = [m.start() for m in re.finditer(r"^", source, re.M)]

    def where_at(offset: int) -> _Where:
        number = _bisect(starts, offset)
        text = lines[number - 1].strip() if number - 1 < len(lines) else ""
        return _Where("template", f"line {number}", _short(text, 100))

    out: list[Finding] = []
    tags = _scan(source, where_at, out)
    _check_strays(source, tags, where_at, out)
    _check_unit(tags, "html", out)
    return _sorted(out)


def _bisect(starts: list[int], offset: int) -> int:
    """1-based number of the line holding ``offset``."""
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= offset:
            lo = mid + 1
        else:
            hi = mid
    return max(lo, 1)


def _sorted(findings: list[Finding]) -> list[Finding]:
    def key(f: Finding) -> tuple[int, int, str]:
        m = re.search(r"(?:paragraph|line) (\d+)", f.location)
        return (0, int(m.group(1)) if m else 0, f.message)

    unique = list(dict.fromkeys(findings))
    return sorted(unique, key=key)


# ---------------------------------------------------------------- Word templates


_PART = re.compile(r"^word/(document|header\d*|footer\d*|footnotes)\.xml$")
_PROPERTIES = {  # core properties docxtpl renders as templates, by element
    "{http://purl.org/dc/elements/1.1/}title": "title",
    "{http://purl.org/dc/elements/1.1/}subject": "subject",
    "{http://purl.org/dc/elements/1.1/}creator": "author",
    "{http://purl.org/dc/elements/1.1/}description": "comments",
    "{http://purl.org/dc/elements/1.1/}identifier": "identifier",
    "{http://purl.org/dc/elements/1.1/}language": "language",
}
_CONTAINER_NAMES = {"p": "paragraph", "tc": "table cell", "tr": "table row", "r": "run"}
# Elements a tag may not be only partly inside: docxtpl cannot join the tag's pieces.
_WRAPPERS = {
    "ins": "a tracked change (w:ins): accept or reject all changes (Review › Accept › "
    "Accept All Changes) or retype the tag",
    "del": "a tracked change (w:del): accept or reject all changes (Review › Accept › "
    "Accept All Changes) or retype the tag",
    "moveTo": "a tracked move (w:moveTo): accept or reject all changes",
    "moveFrom": "a tracked move (w:moveFrom): accept or reject all changes",
    "hyperlink": "a hyperlink (w:hyperlink): remove the link or retype the tag outside it",
    "smartTag": "a smart tag (w:smartTag): retype the tag",
    "sdt": "a content control (w:sdt): retype the tag outside the control",
    "fldSimple": "a field (w:fldSimple): retype the tag outside the field",
    "customXml": "a custom XML element (w:customXml): retype the tag",
}


def _check_docx(path: Path) -> list[Finding]:
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            parts = [(n, z.read(n)) for n in names if _PART.match(n)]
            core = z.read("docProps/core.xml") if "docProps/core.xml" in names else None
    except (OSError, zipfile.BadZipFile) as exc:
        return [Finding("error", "", "", "", f"not a Word document: {exc}")]
    out: list[Finding] = []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    parts.sort(key=lambda item: (not item[0].endswith("document.xml"), item[0]))
    for name, blob in parts:
        label = _PART.match(name).group(1)  # type: ignore[union-attr]
        label = "body" if label == "document" else label
        try:
            root = etree.fromstring(blob, parser)
        except etree.XMLSyntaxError as exc:
            out.append(Finding("error", label, "", "", f"{name} is not well-formed XML: {exc}"))
            continue
        scope = root.find(w("body")) if label == "body" else root
        if scope is None:
            continue
        part_findings: list[Finding] = []
        _check_part(scope, label, part_findings)
        if not any(f.severity == "error" for f in part_findings):
            part_findings += _docxtpl_dry_run(scope, label)
        out += _sorted(part_findings)
    if core is not None:
        out += _check_properties(core)
    return out


def _check_properties(core: bytes) -> list[Finding]:
    """docxtpl renders some document properties (File › Info) as templates too."""
    out: list[Finding] = []
    try:
        root = etree.fromstring(core)
    except etree.XMLSyntaxError:
        return out
    for element in root:
        label = _PROPERTIES.get(element.tag)
        text = element.text or ""
        if label is None or not _OPEN_RE.search(text):
            continue
        where = _Where("properties", f"document property “{label}”", _short(text, 100))
        tags = _scan(text, lambda _offset, where=where: where, out)
        _check_unit(tags, "docx", out)
    return out


@dataclass
class _Paragraphs:
    """Where each paragraph of a part is: its number and its table/row/cell path."""

    number: dict[etree._Element, int] = field(default_factory=dict)
    path: dict[etree._Element, str] = field(default_factory=dict)

    @classmethod
    def of(cls, root: etree._Element) -> _Paragraphs:
        self = cls()
        tables = 0
        stack: list[list[int]] = []  # [table, row, cell] per open table

        def visit(el: etree._Element) -> None:
            nonlocal tables
            tag = el.tag
            if tag == w("tbl"):
                tables += 1
                stack.append([tables, 0, 0])
                for child in el:
                    visit(child)
                stack.pop()
                return
            if tag == w("tr") and stack:
                stack[-1][1] += 1
                stack[-1][2] = 0
            elif tag == w("tc") and stack:
                stack[-1][2] += 1
            elif tag == w("p"):
                self.number[el] = len(self.number) + 1
                self.path[el] = " › ".join(f"table {t}, row {r}, cell {c}" for t, r, c in stack)
            for child in el:
                if isinstance(child.tag, str):
                    visit(child)

        visit(root)
        return self

    def where(self, label: str, p: etree._Element | None) -> _Where:
        if p is None or p not in self.number:
            return _Where(label, "", "")
        location = f"paragraph {self.number[p]}"
        if self.path[p]:
            location = f"{self.path[p]}, {location}"
        return _Where(label, location, _short(_own_text(p), 100))


def _paragraph_of(el: etree._Element) -> etree._Element | None:
    return next((a for a in el.iterancestors(w("p"))), None) if el.tag != w("p") else el


def _own_text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(w("t")) if _paragraph_of(t) is p)


def _check_part(scope: etree._Element, label: str, out: list[Finding]) -> None:
    """All checks of one Word part (the body, a header, a footer or the footnotes)."""
    paragraphs = _Paragraphs.of(scope)
    pieces = list(scope.iter(w("t")))
    offsets: list[int] = []
    chunks: list[str] = []
    total = 0
    for t in pieces:
        offsets.append(total)
        chunks.append(t.text or "")
        total += len(t.text or "")
    text = "".join(chunks)

    def piece_at(offset: int) -> int:
        return max(0, _bisect(offsets, offset) - 1)

    def where_at(offset: int) -> _Where:
        if not pieces:
            return _Where(label, "", "")
        return paragraphs.where(label, _paragraph_of(pieces[piece_at(offset)]))

    tags = _scan(text, where_at, out)
    for tag in tags:
        first, last = piece_at(tag.start), piece_at(tag.end - 1)
        tag.pieces = pieces[first : last + 1]
        _docx_prefix(tag, out)
    for deleted in scope.iter(w("delText")):
        if _OPEN_RE.search(deleted.text or ""):
            out.append(
                paragraphs.where(label, _paragraph_of(deleted)).finding(
                    "error",
                    "a tracked deletion still holds template code "
                    f"(`{_short(deleted.text or '', 40)}`), which docxtpl runs anyway: accept "
                    "or reject all changes (Review › Accept › Accept All Changes)",
                )
            )
    for tag in tags:
        _check_pieces(tag, out)
        _check_placement(tag, out)
    _check_dropped(tags, offsets, pieces, out)
    _check_strays(text, tags, where_at, out)
    kept = [t for t in tags if not t.dropped]
    blocks = _check_unit(kept, "docx", out, [t for t in tags if t.dropped])
    _check_block_places(blocks, out)


def _docx_prefix(tag: _Tag, out: list[Finding]) -> None:
    """Recognise docxtpl's ``{%p``/``{%tr``/``{%tc``/``{%r`` prefix exactly as docxtpl does.

    docxtpl wants an ordinary space after the prefix; Word likes to put a non-breaking one
    there (Ctrl+Shift+Space, or French autocorrect), and then the tag is an unknown ``p`` tag.
    """
    tag.anchor = tag.pieces[0] if tag.pieces else None
    m = _PREFIX_RE.match(tag.code)
    if not m or not m.group(3) or (tag.kind == "comment" and m.group(2) == "r"):
        return
    lead, prefix, space = m.groups()
    if lead and tag.kind != "block":
        return  # `{{ p }}` prints a variable called p
    problems = []
    if lead:
        problems.append(f"no space may stand between `{tag.raw[:2]}` and `{prefix}`")
    if space != " ":
        problems.append(
            f"after `{prefix}` comes a non-breaking space (Word's Ctrl+Shift+Space) where "
            "docxtpl needs an ordinary one"
        )
    if problems:
        out.append(
            tag.where.finding(
                "error",
                f"`{_short(tag.raw)}`: " + " and ".join(problems) + f"; write `{tag.raw[:2]}"
                f"{prefix} …`",
            )
        )
    tag.prefix = prefix
    tag.code = " " + tag.code[m.end() :]
    if not tag.pieces:
        tag.anchor = None
    elif prefix == "r":
        tag.anchor = tag.pieces[0].getparent()
    else:
        tag.anchor = next(tag.pieces[0].iterancestors(w(prefix)), None)


def _check_pieces(tag: _Tag, out: list[Finding]) -> None:
    """A tag stored in several runs must start and end at the same depth of markup.

    docxtpl joins the pieces by deleting everything from the end of the first piece's text to
    the start of the last one's. That is harmless for run borders, bookmarks and proofing marks,
    but when only part of the tag is inside a tracked change, hyperlink or content control, the
    deletion leaves that element half open and the document corrupt.
    """
    if len(tag.pieces) < 2:
        return
    first, last = tag.pieces[0], tag.pieces[-1]
    if tag.prefix in ("p", "tc", "tr") and _paragraph_of(first) is _paragraph_of(last):
        return  # docxtpl replaces the whole paragraph/cell/row, markup and all
    if _paragraph_of(first) is not _paragraph_of(last):
        tag.bad = True
        out.append(
            tag.where.finding(
                "error",
                f"`{_short(tag.raw)}` runs on into the next paragraph: docxtpl would join the "
                "paragraphs; keep the tag on one line",
            )
        )
        return
    up_first = [a for a in first.iterancestors()]
    up_last = [a for a in last.iterancestors()]
    common = next(a for a in up_first if a in set(up_last))
    chain_first = [etree.QName(a).localname for a in up_first[: up_first.index(common)]]
    chain_last = [etree.QName(a).localname for a in up_last[: up_last.index(common)]]
    if chain_first == chain_last:
        return
    extra = [n for n in chain_first + chain_last if n not in ("r",)]
    wrapper = next((n for n in extra if n in _WRAPPERS), extra[0] if extra else "?")
    why = _WRAPPERS.get(wrapper, f"a w:{wrapper} element: retype the tag")
    tag.bad = True
    out.append(
        tag.where.finding(
            "error",
            f"`{_short(tag.raw)}` is only partly inside {why}; otherwise docxtpl cannot join "
            "the pieces of the tag and the document comes out corrupt",
        )
    )


def _check_placement(tag: _Tag, out: list[Finding]) -> None:
    """Prefixed tags where they cannot work: outside a table, in ``{{ }}``, with ``%``/``}``."""
    kw = _keyword(tag.code) if tag.kind == "block" else ""
    if tag.prefix in ("tr", "tc") and tag.anchor is None:
        tag.bad = True
        where = "a table row" if tag.prefix == "tr" else "a table cell"
        out.append(
            tag.where.finding(
                "error",
                f"`{_short(tag.raw)}`: `{{%{tag.prefix} …%}}` repeats or hides {where}, but "
                f"this paragraph is not in a table; use `{{%p …%}}` here",
            )
        )
    if tag.kind == "var" and tag.prefix:
        tag.bad = True
        out.append(
            tag.where.finding(
                "error",
                f"`{_short(tag.raw)}`: `{{{{{tag.prefix} …}}}}` expects a Word object "
                "(RichText or Subdoc); kbc-docs gives plain text, which would vanish. "
                "Write `{{ … }}`",
            )
        )
    if tag.prefix and tag.kind == "block" and re.search(r"[%}]", tag.code):
        tag.bad = True
        out.append(
            tag.where.finding(
                "error",
                f"`{_short(tag.raw)}`: docxtpl cannot handle `%` or `}}` inside a "
                f"`{{%{tag.prefix} …%}}` tag",
            )
        )
    in_cell = bool(tag.pieces) and next(tag.pieces[0].iterancestors(w("tc")), None) is not None
    if kw in _DOCXTPL_TAGS and not in_cell:
        tag.bad = True
        out.append(tag.where.finding("error", f"`{tag.raw}` works only inside a table cell"))


def _check_dropped(
    tags: list[_Tag], offsets: list[int], pieces: list[etree._Element], out: list[Finding]
) -> None:
    """Whatever shares a paragraph, cell or row with a ``{%p``/``{%tc``/``{%tr`` tag is lost.

    docxtpl replaces the whole row (first), cell (next) or paragraph (last) by the *last* such
    tag in it; other text, pictures and tags there vanish without a word. Lost tags are marked
    ``dropped`` and left out of the later checks, as docxtpl leaves them out of the template.
    """
    index = {t: i for i, t in enumerate(pieces)}
    for prefix in ("tr", "tc", "p"):
        groups: dict[etree._Element, list[_Tag]] = {}
        for tag in tags:
            if tag.prefix == prefix and tag.anchor is not None and not tag.dropped:
                groups.setdefault(tag.anchor, []).append(tag)
        for anchor, group in groups.items():
            kept = group[-1]
            inside = [t for t in tags if t is not kept and not t.dropped and _within(t, anchor)]
            for tag in inside:
                tag.dropped = True
            _report_dropped(kept, group, anchor, index, offsets, out)


def _within(tag: _Tag, anchor: etree._Element) -> bool:
    return bool(tag.pieces) and (
        tag.pieces[0] is anchor or any(a is anchor for a in tag.pieces[0].iterancestors())
    )


def _report_dropped(
    kept: _Tag,
    group: list[_Tag],
    anchor: etree._Element,
    index: dict[etree._Element, int],
    offsets: list[int],
    out: list[Finding],
) -> None:
    container = _CONTAINER_NAMES[kept.prefix]
    if len(group) > 1:
        out.append(
            kept.where.finding(
                "error",
                f"{len(group)} `{{%{kept.prefix} %}}` tags in one {container}: docxtpl keeps "
                f"only the last (`{_short(kept.raw, 40)}`) and drops the rest "
                f"(`{_short(' '.join(t.raw for t in group[:-1]), 60)}`); give each tag a "
                f"{container} of its own"
                + (" (press Enter between them)" if kept.prefix == "p" else ""),
            )
        )
        return
    own = [t for t in anchor.iter(w("t")) if t in index]
    if kept.prefix == "p":
        own = [t for t in own if _paragraph_of(t) is anchor]
    rest = []
    for t in own:
        start = offsets[index[t]]
        rest += [ch for i, ch in enumerate(t.text or "") if not kept.start <= start + i < kept.end]
    lost = _short("".join(rest).strip(), 60)
    pictures = sum(1 for _ in anchor.iter(w("drawing"), w("pict"), w("object")))
    if not (lost or pictures):
        return
    what = f"`{lost}`" if lost else ""
    if pictures:
        what += (" and " if what else "") + f"{pictures} picture(s)"
    out.append(
        kept.where.finding(
            "error",
            f"docxtpl replaces the whole {container} holding `{_short(kept.raw, 40)}` by the "
            f"tag, so {what} in it would be lost: put the tag in a {container} of its own",
        )
    )


def _check_block_places(blocks: list[list[_Tag]], out: list[Finding]) -> None:
    """The tags of one block must sit where docxtpl can cut and repeat what is between them.

    ``{%p if %}`` … ``{%p endif %}`` must be paragraphs of the same cell (or both outside any
    table), ``{%tc for %}`` … ``{%tc endfor %}`` cells of the same row, ``{%tr %}`` rows of the
    same table; an inline ``{% if %}`` … ``{% endif %}`` belongs in one paragraph.
    """
    for block in blocks:
        for a, b in itertools.pairwise(block):
            if a.bad or b.bad or a.anchor is None or b.anchor is None:
                continue
            if a.prefix != b.prefix:
                out.append(
                    b.where.finding(
                        "error",
                        f"`{_short(b.raw, 40)}` belongs to `{_short(a.raw, 40)}` at {_at(a)}, "
                        "but their prefixes differ: every tag of a block needs the same "
                        f"(`{{%{a.prefix or ''} …%}}`), or docxtpl loses rows or paragraphs",
                    )
                )
                continue
            if a.prefix in ("p", "tc", "tr", "r"):
                if a.anchor.getparent() is b.anchor.getparent():
                    continue
                apart = {
                    "p": "not in the same table cell (or one is in a table and one outside)",
                    "tc": "in different table rows",
                    "tr": "in different tables",
                    "r": "in different paragraphs",
                }[a.prefix]
                out.append(
                    b.where.finding(
                        "error",
                        f"`{_short(b.raw, 40)}` and `{_short(a.raw, 40)}` at {_at(a)} are "
                        f"{apart}: the document would come out corrupt",
                    )
                )
                continue
            pa, pb = _paragraph_of(a.anchor), _paragraph_of(b.anchor)
            if pa is pb or pa is None or pb is None:
                continue
            same = pa.getparent() is pb.getparent()
            out.append(
                b.where.finding(
                    "warning" if same else "error",
                    f"`{_short(b.raw, 40)}` and `{_short(a.raw, 40)}` at {_at(a)} are in "
                    "different paragraphs"
                    + (
                        ": docxtpl would merge the paragraphs between them"
                        if same
                        else ", one inside a table and one outside: the document would come "
                        "out corrupt"
                    )
                    + "; for blocks of whole paragraphs use `{%p …%}` tags, each in a "
                    "paragraph of its own",
                )
            )


def _docxtpl_dry_run(scope: etree._Element, label: str) -> list[Finding]:
    """Run docxtpl's own pre-processing and check that the result is still a document.

    This catches whatever the checks above do not know about: if docxtpl's regular
    expressions would cut the XML apart, the tags are removed and the rest must parse.
    """
    from docxtpl import DocxTemplate

    xml = etree.tostring(scope, encoding="unicode")
    try:
        patched = DocxTemplate.patch_xml(typing.cast(Any, None), xml)
    except Exception as exc:
        return [Finding("error", label, "", "", f"docxtpl cannot prepare this part: {exc}")]
    stripped = re.sub(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", "", patched, flags=re.S)
    try:
        etree.fromstring(stripped.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        flat = stripped.splitlines()
        offset = sum(len(s) + 1 for s in flat[: line - 1]) + column
        near = re.sub(r"<[^>]*>", "", stripped[max(0, offset - 600) : offset + 200])
        return [
            Finding(
                "error",
                label,
                "",
                _short(near[-100:], 100),
                "docxtpl would turn this part into a corrupt document near the text shown "
                f"({exc.msg}); check the tags around it",
            )
        ]
    return []
