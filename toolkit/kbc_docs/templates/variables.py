"""What a template can use: the names and types the renderers pass, read from the view.

:func:`template_context` says which names a template may use and of which type, derived from
the dataclasses in :mod:`kbc_docs.view` rather than written down here, so a field added to the
view is known to the linter (:mod:`kbc_docs.templates.lint`) and listed by :func:`template_vars`
(``kbc-docs templates vars``) without touching this module. Only the names the renderers add
themselves (``layouts``, ``rows``, ``shared_signers``, ``head_css``) are declared here; a test
checks them against what :mod:`kbc_docs.render.docx.render` and :mod:`kbc_docs.render.pdf.render`
pass.
"""

from __future__ import annotations

import ast
import collections.abc
import dataclasses
import inspect
import io
import textwrap
import tokenize
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from kbc_docs.templates.lookup import TemplateKind
from kbc_docs.view import DocumentView, RoomImage, Version


@dataclass(frozen=True)
class ContextName:
    """One top-level name a template can use: its type (a typing object) and what it is."""

    name: str
    type: Any
    description: str


LOOP_ATTRIBUTES: dict[str, str] = {
    "index": "the current iteration, counting from 1",
    "index0": "the current iteration, counting from 0",
    "revindex": "iterations left until the end, counting down to 1",
    "revindex0": "iterations left until the end, counting down to 0",
    "first": "true in the first iteration",
    "last": "true in the last iteration",
    "length": "the number of items",
    "depth": "nesting level of a recursive loop, from 1",
    "depth0": "nesting level of a recursive loop, from 0",
    "previtem": "the item of the previous iteration (undefined in the first)",
    "nextitem": "the item of the next iteration (undefined in the last)",
    "cycle": "loop.cycle('a', 'b') gives 'a', 'b', 'a', … in turn",
    "changed": "loop.changed(x) is true when x differs from the previous iteration",
}
"""Jinja2's ``loop`` variable inside ``{% for %}`` (``jinja2.runtime.LoopContext``)."""


# Descriptions of the view's top-level fields that carry no comment in kbc_docs/view/.
_FALLBACK_NOTES = {
    "languages": "language codes of the document in order, Vietnamese first (e.g. vi, km)",
    "layout": "how the versions are arranged: one after the other, or side by side",
    "versions": "every language version, in the order of `languages`",
    "fonts": "language code → the fonts that version uses",
}


def template_context(kind: TemplateKind) -> dict[str, ContextName]:
    """Every top-level name a ``kind`` template is rendered with, and its type.

    Word templates get the view's fields as names of their own (``versions``, ``slug``…) plus
    ``layouts``, ``rows``, ``shared_signers`` and ``images``
    (:func:`kbc_docs.render.docx.render.render_docx`);
    HTML templates get ``view``, ``layouts``, ``head_css`` and ``images``
    (:func:`kbc_docs.render.pdf.render.render_pdf`).
    """
    hints = _hints(Version)
    layouts = ContextName(
        "layouts",
        dict[str, hints.get("header_style", str)],
        "language code → how that version lays out the top of the page: "
        '`layouts[v.lang] == "decree30"` for the Vietnamese two-column header',
    )
    if kind == "html":
        return {
            "view": ContextName("view", DocumentView, _first_line(DocumentView.__doc__)),
            "layouts": layouts,
            "head_css": ContextName(
                "head_css", str, "the fonts and page-number rules built from the view (CSS)"
            ),
            "images": ContextName(
                "images",
                dict[str, list[RoomImage]],
                "party id → the seal and signature scans for its room, seal first, each with "
                "`kind` and a `src` data: URI (an empty list when the content gives none)",
            ),
        }
    notes = field_notes(DocumentView)
    names = {
        name: ContextName(name, tp, notes.get(name) or _FALLBACK_NOTES.get(name, ""))
        for name, tp in _fields(DocumentView).items()
    }
    names["layouts"] = layouts
    names["images"] = ContextName(
        "images",
        dict[str, Any],
        "party id → the seal and signature scans for its room, as Word pictures: "
        "`{{ images[s.party] }}` in a paragraph of its own (empty when the content gives none)",
    )
    names["rows"] = ContextName(
        "rows",
        _return_type(DocumentView.rows),
        "parallel layout: the body as table rows, paragraph i of every language on row i "
        "(an empty list in a sequential document)",
    )
    names["shared_signers"] = ContextName(
        "shared_signers",
        _return_type(DocumentView.parallel_signers),
        "parallel layout: every party's signature block once, in every language "
        "(an empty list in a sequential document)",
    )
    return names


def type_attributes(tp: Any) -> dict[str, Any]:
    """The attributes a template may read on a view dataclass: fields, then public methods.

    A method maps to ``Callable[..., R]`` with ``R`` its return annotation, so that
    ``view.rows()`` is known to be a list of ``ParallelRow``.
    """
    if not (isinstance(tp, type) and dataclasses.is_dataclass(tp)):
        return {}
    out: dict[str, Any] = dict(_fields(tp))
    for name, member in inspect.getmembers(tp):
        if name.startswith("_") or name in out:
            continue
        if inspect.isfunction(member):
            out[name] = collections.abc.Callable[..., _return_type(member)]
        elif isinstance(member, property):
            out[name] = _return_type(member.fget) if member.fget else Any
    return out


def field_notes(cls: type) -> dict[str, str]:
    """Each field's comment in the source of ``cls``: inline, else the lines just above it.

    The view documents its fields with comments (``party: str  # party id, …``); reading them
    keeps a single place to describe a field for programmers and clerks alike.
    """
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    comments: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string.lstrip("#").strip()
    lines = source.splitlines()
    notes: dict[str, str] = {}
    (cls_node,) = [n for n in ast.parse(source).body if isinstance(n, ast.ClassDef)][:1]
    for node in cls_node.body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
            continue
        inline = comments.get(node.end_lineno or node.lineno)
        above: list[str] = []
        line = node.lineno - 1
        while line in comments and lines[line - 1].lstrip().startswith("#"):
            above.insert(0, comments[line])
            line -= 1
        note = inline or " ".join(above)
        if note:
            notes[node.target.id] = note
    return notes


def _fields(cls: type) -> dict[str, Any]:
    hints = _hints(cls)
    return {f.name: hints.get(f.name, Any) for f in dataclasses.fields(cls)}


def _hints(obj: Any) -> dict[str, Any]:
    """Resolved annotations (the view's modules use ``from __future__ import annotations``);
    each name is looked up in the module that defines ``obj``."""
    try:
        return typing.get_type_hints(obj, include_extras=False)
    except (NameError, TypeError):
        return {}


def _return_type(fn: Any) -> Any:
    return _hints(fn).get("return", Any)


def _first_line(doc: str | None) -> str:
    return inspect.cleandoc(doc or "").split("\n\n")[0].replace("\n", " ")


def describe(tp: Any) -> str:
    """A type as a clerk would say it: ``list of SignerBlock``, ``text or nothing``."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is str:
        return "text"
    if tp in (int, float):
        return "number"
    if tp is bool:
        return "yes/no"
    if tp is Any:
        return "anything"
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        text = " or ".join(describe(a) for a in rest)
        return f"{text} or nothing" if len(rest) < len(args) else text
    if origin is list:
        return f"list of {describe(args[0])}" if args else "list"
    if origin is dict:
        return f"{describe(args[0])} → {describe(args[1])}" if args else "table"
    if origin is collections.abc.Callable:
        return describe(args[-1]) if args else "anything"
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return f"[{tp.__name__}](#{tp.__name__.lower()})"
    return getattr(tp, "__name__", str(tp))


def _dataclasses_in(tp: Any) -> list[type]:
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return [tp]
    return [c for arg in typing.get_args(tp) for c in _dataclasses_in(arg)]


def template_vars() -> str:
    """Markdown: every name and field a template can use, with what it holds.

    Generated from the view's dataclasses, their field comments and docstrings, so the list
    is never out of date. Meant for clerks editing templates (``kbc-docs templates vars``).
    """
    out = [
        "# What a template can use",
        "",
        "Generated from the program (`kbc-docs templates vars`): this list is always current.",
        "Write a name in a tag, e.g. `{{ slug }}`; a field after a dot, e.g. `{{ v.title }}`",
        "inside `{%p for v in versions %}`. Names of lists are used in `for` loops.",
        "",
    ]
    seen: list[type] = []
    for kind, title in (
        ("docx", "Word templates (`report.docx`, `signing.docx`)"),
        ("html", "PDF templates (`report.html`, `signing.html`)"),
    ):
        out += [f"## {title}", "", "| name | what it holds | meaning |", "|---|---|---|"]
        for item in template_context(kind).values():  # type: ignore[arg-type]
            out.append(f"| `{item.name}` | {describe(item.type)} | {_cell(item.description)} |")
            seen += [c for c in _dataclasses_in(item.type) if c not in seen]
        out.append("")
    queue = list(seen)
    while queue:
        cls = queue.pop(0)
        doc = _first_line(cls.__doc__)
        notes = field_notes(cls)
        out += [f"## {cls.__name__}", "", doc, "", "| field | what it holds | meaning |"]
        out.append("|---|---|---|")
        fields = _fields(cls)
        for name, tp in type_attributes(cls).items():
            if name in fields:
                note = notes.get(name, "")
                shown = f"`{name}`"
            else:
                note = _first_line(getattr(cls, name).__doc__)
                shown = f"`{name}()`"
            out.append(f"| {shown} | {describe(tp)} | {_cell(note)} |")
            for c in _dataclasses_in(tp):
                if c not in seen:
                    seen.append(c)
                    queue.append(c)
        out.append("")
    out += ["## Inside every `for` loop", "", "| name | meaning |", "|---|---|"]
    out += [f"| `loop.{name}` | {_cell(text)} |" for name, text in LOOP_ATTRIBUTES.items()]
    out.append("")
    return "\n".join(out)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")
