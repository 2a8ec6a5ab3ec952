"""Checks common to Word and HTML templates: quotes in tags, Jinja syntax, blocks and their ends."""

from __future__ import annotations

import difflib
import re

from jinja2 import TemplateSyntaxError

from kbc_docs.messages import either, msg
from kbc_docs.templates.lint.scanner import (
    BLOCKS,
    CURLY,
    DOCXTPL_TAGS,
    DUMMY_OPENER,
    ENV,
    KNOWN_TAGS,
    MIDDLES,
    OTHER_QUOTES,
    PREFIXES,
    Finding,
    Tag,
    keyword,
    part_name,
    short,
    suggest,
)
from kbc_docs.templates.lint.types import VariableChecker
from kbc_docs.templates.lookup import TemplateKind
from kbc_docs.templates.variables import template_context


def _check_quotes(tag: Tag, docx: bool, out: list[Finding]) -> None:
    """Curly quotes: docxtpl straightens “ ” ‘ ’ itself, nothing straightens the others."""
    curly = sorted({c for c in tag.code if c in CURLY})
    other = sorted({c for c in tag.code if c in OTHER_QUOTES})
    fixed = tag.code
    for c in [*curly, *other]:
        fixed = fixed.replace(c, (CURLY | OTHER_QUOTES)[c])
    if curly and docx and not other:
        out.append(
            tag.where.finding(
                "warning",
                msg("lint_curly_quotes", quotes=" ".join(curly), tag=short(tag.raw)),
            )
        )
    elif curly or other:
        out.append(
            tag.where.finding(
                "error",
                msg("lint_quotes", quotes=" ".join(curly + other), tag=short(tag.raw)),
            )
        )
    tag.code = fixed


def _check_blocks(
    tags: list[Tag], out: list[Finding], dropped: list[Tag]
) -> tuple[list[list[Tag]], list[str]]:
    """Match every block tag with its partners; report the unmatched; return the blocks.

    An ``{% endfor %}`` met while an ``{% if %}`` opened inside the loop is still open closes
    the loop and reports the ``if`` as never closed, at the ``if``: that is where the missing
    ``{% endif %}`` belongs (Jinja itself would name only the ``endfor``). Unclosed blocks are
    then closed in the source the variable check reads (``Tag.pre`` and the returned trailing
    closers), and a misspelt tag close to a known one (``endfro``) counts as that one, so that
    one mistake is reported once and not again as unknown loop variables.
    """
    stack: list[list[Tag]] = []
    blocks: list[list[Tag]] = []
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
        if kw not in KNOWN_TAGS:
            out.append(tag.where.finding("error", _unknown_tag(tag)))
            rest = tag.code.lstrip("-+ \t")[len(kw) :]
            if kw in PREFIXES and keyword(rest) in KNOWN_TAGS:
                # `{%p for …%}` in an HTML template: check it on as the `for` it means.
                tag.code, kw = rest, keyword(rest)
                tag.keyword = kw
            else:
                tag.bad = tag.unknown = True
                guess = difflib.get_close_matches(kw, sorted(KNOWN_TAGS), n=1, cutoff=0.75)
                if not guess:
                    continue
                kw = tag.keyword = guess[0]
        if kw == "set" and "=" in tag.code:
            continue
        if kw in BLOCKS:
            stack.append([tag])
            raw_mode = kw == "raw"
        elif kw in MIDDLES:
            if stack and stack[-1][0].keyword in MIDDLES[kw]:
                stack[-1].append(tag)
            else:
                tag.bad = True
                owners = either([f"{{% {o} %}}" for o in sorted(MIDDLES[kw])])
                message = (
                    msg(
                        "lint_middle_inside",
                        tag=tag.raw,
                        owners=owners,
                        open=short(stack[-1][0].raw),
                        place=tag_place(stack[-1][0]),
                    )
                    if stack
                    else msg("lint_middle_without", tag=tag.raw, owners=owners)
                )
                out.append(tag.where.finding("error", message))
        elif kw.startswith("end") and kw[3:] in BLOCKS:
            name = kw[3:]
            depth = next(
                (i for i in range(len(stack) - 1, -1, -1) if stack[i][0].keyword == name), None
            )
            if depth is None:
                tag.bad = True
                out.append(
                    tag.where.finding("error", msg("lint_closes_unopened", tag=tag.raw, name=name))
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
    frame: list[Tag], out: list[Finding], dropped: list[Tag], before: Tag | None = None
) -> None:
    """Report a block never closed, or closed only by a tag docxtpl throws away."""
    opener = frame[0]
    end = f"end{opener.keyword}"
    lost = next(
        (
            t
            for t in dropped
            if t.start > opener.start and t.kind == "block" and keyword(t.code) == end
        ),
        None,
    )
    if lost is not None:
        message = msg(
            "lint_never_closed_lost", tag=short(opener.raw), end=lost.raw, place=tag_place(lost)
        )
    elif before is not None:
        message = msg(
            "lint_never_closed_before",
            tag=short(opener.raw),
            fix=f"{{%{opener.prefix} {end} %}}",
            before=before.raw,
            place=tag_place(before),
        )
    else:
        fix = f"{{%{opener.prefix} {end} %}}"
        message = msg("lint_never_closed", tag=short(opener.raw), fix=fix)
    out.append(opener.where.finding("error", message))


def tag_place(tag: Tag) -> str:
    """Where ``tag`` is, as a finding names it (``body, paragraph 12``), for other findings."""
    where = tag.where
    return ", ".join(x for x in (part_name(where.part), where.location) if x)


def _unknown_tag(tag: Tag) -> str:
    kw = tag.keyword
    if kw in PREFIXES:
        return msg("lint_prefix_in_html", tag=short(tag.raw), prefix=kw)
    if not kw:
        return msg("lint_no_tag_name", tag=short(tag.raw))
    return msg("lint_unknown_tag", tag=short(tag.raw), name=kw, hint=suggest(kw, KNOWN_TAGS))


def _check_syntax(tags: list[Tag], out: list[Finding]) -> None:
    """Parse each tag on its own, so every syntax error is reported at its own tag."""
    for tag in tags:
        if tag.kind == "comment" or tag.literal or tag.unknown:
            continue
        try:
            ENV.parse(_snippet(tag))
        except TemplateSyntaxError as exc:
            tag.bad = True
            reason = msg("lint_tag_syntax", tag=short(tag.raw), reason=exc.message)
            out.append(tag.where.finding("error", reason))
        else:
            tag.parses = True


def _snippet(tag: Tag) -> str:
    """A complete template holding just ``tag`` (with a stand-in partner if it needs one)."""
    kw, code = tag.keyword, tag.code
    if tag.kind == "var":
        return "{{" + code + "}}"
    if kw in DOCXTPL_TAGS:
        expr = code.strip()[len(kw) :].strip()
        return "{{ " + expr + " }}" if kw in ("cellbg", "colspan") else ""
    if kw in MIDDLES:
        return DUMMY_OPENER["if"] + "{%" + code + "%}{% endif %}"
    if kw.startswith("end") and kw[3:] in DUMMY_OPENER:
        return DUMMY_OPENER[kw[3:]] + "{%" + code + "%}"
    if kw == "raw":
        return "{%" + code + "%}{% endraw %}"
    if kw == "endraw":
        return "{% raw %}{%" + code + "%}"
    if kw in BLOCKS and not (kw == "set" and "=" in code):
        return "{%" + code + "%}{% end" + kw + " %}"
    return "{%" + code + "%}"


def _jinja_source(tags: list[Tag], trailing: list[str]) -> str:
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


def _jinja_line(tag: Tag) -> str:
    if tag.jinja is not None:
        return tag.jinja
    if tag.kind == "comment" or tag.literal or not tag.parses:
        return ""
    code = tag.code.replace("\n", " ")
    if tag.kind == "var":
        return "{{" + code + "}}"
    if tag.keyword in DOCXTPL_TAGS:
        expr = code.strip()[len(tag.keyword) :].strip()
        return "{{ " + expr + " }}" if tag.keyword in ("cellbg", "colspan") else ""
    return "{%" + code + "%}"


def _stand_ins(tags: list[Tag], blocks: list[list[Tag]]) -> None:
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
            if kw in BLOCKS or kw in MIDDLES or kw.startswith("end"):
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


def check_unit(
    tags: list[Tag], kind: TemplateKind, out: list[Finding], dropped: list[Tag] | None = None
) -> list[list[Tag]]:
    """The checks every template part gets: quotes, blocks, syntax, variables.

    ``dropped`` are tags docxtpl throws away before Jinja sees the template: not checked, but
    named when their loss leaves a block unclosed.
    """
    for tag in tags:
        if tag.kind != "comment":
            _check_quotes(tag, kind == "docx", out)
        tag.keyword = keyword(tag.code) if tag.kind == "block" else ""
    blocks, trailing = _check_blocks(tags, out, dropped or [])
    _check_syntax(tags, out)
    _stand_ins(tags, blocks)
    source = _jinja_source(tags, trailing)
    try:
        tree = ENV.parse(source)
    except TemplateSyntaxError as exc:
        if not any(f.severity == "error" for f in out):
            index = max(0, min(len(tags) - 1, (exc.lineno or 1) - 1))
            reason = msg("lint_syntax", reason=exc.message)
            out.append(tags[index].where.finding("error", reason))
        return blocks
    VariableChecker(template_context(kind), tags, out).check(tree)
    return blocks
