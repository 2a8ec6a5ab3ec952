"""The content-model check: every variable, field and filter of a template against the view's types.

The names a template may use come from :func:`kbc_docs.templates.variables.template_context`;
this walks the Jinja AST with those types, through loops, macros and filters, and says "did you
mean" for a misspelt field.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from typing import Any, Literal

from jinja2 import nodes

from kbc_docs.messages import msg
from kbc_docs.templates.lint.scanner import ENV, Finding, Tag, suggest
from kbc_docs.templates.variables import LOOP_ATTRIBUTES, type_attributes


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
        return msg("lint_type_loop")
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return msg("lint_type_object", name=tp.__name__)
    origin = typing.get_origin(tp)
    if origin is list:
        return msg("lint_type_list")
    if origin is dict:
        return msg("lint_type_table")
    if tp is str:
        return msg("lint_type_text")
    return getattr(tp, "__name__", None) or msg("lint_type_value")


class VariableChecker:
    """Walk the Jinja AST with the types of the content model and report unknown names.

    Scopes follow Jinja's: a ``for`` loop, a macro and ``with`` open a scope, ``if`` does not.
    Macro parameters get the types the macro is called with (``issuers(v)`` makes ``v`` a
    ``Version`` inside ``issuers``), found by walking the template until they settle.
    """

    def __init__(self, context: dict[str, Any], tags: list[Tag], out: list[Finding]) -> None:
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
        if name in ENV.globals:
            return _GLOBAL_TYPES.get(name, Any)
        if name == "__any__":
            return Any
        if name == "loop":
            self._report(node, msg("lint_loop_outside"))
            return Any
        visible = {n for s in self.scopes for n in s} | set(self.context)
        known = ", ".join(sorted(self.context))
        hint = suggest(name, visible) or msg("lint_names_are", names=known)
        self._report(node, msg("lint_unknown_variable", name=name, hint=hint))
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
            if node.name not in ENV.tests:
                hint = suggest(node.name, ENV.tests)
                self._report(node, msg("lint_unknown_test", name=node.name, hint=hint))
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
            self._report(node, msg("lint_private_name", expr=_describe(node)))
            return Any
        if base is Any:
            return Any
        if base is _Loop:
            if name not in LOOP_ATTRIBUTES:
                hint = suggest(name, LOOP_ATTRIBUTES) or msg(
                    "lint_has", type=_type_name(_Loop), names=", ".join(LOOP_ATTRIBUTES)
                )
                self._report(
                    node, msg("lint_loop_has_no", expr=_describe(node), name=name, hint=hint)
                )
                return Any
            return {"index": int, "index0": int, "first": bool, "last": bool}.get(name, Any)
        if isinstance(base, type) and dataclasses.is_dataclass(base):
            attributes = type_attributes(base)
            if name in attributes:
                return attributes[name]
            kind = _type_name(base)
            fields = ", ".join(attributes)
            hint = suggest(name, attributes) or msg("lint_has", type=kind, names=fields)
            self._report(
                node, msg("lint_no_field", expr=_describe(node), type=kind, name=name, hint=hint)
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
            kind = _type_name(base)
            self._report(node, msg("lint_no_attribute", expr=_describe(node), type=kind, name=name))
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
        if name not in ENV.filters:
            hint = suggest(name, ENV.filters)
            self._report(node, msg("lint_unknown_filter", name=name, hint=hint))
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
