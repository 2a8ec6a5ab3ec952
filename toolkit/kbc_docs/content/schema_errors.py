"""pydantic's errors reworded for a clerk, from the schema itself.

The field's type says what is expected (``a date written YYYY-MM-DD``), the model's fields
give the "did you mean", and each error is located at its line in the YAML file
(:meth:`kbc_docs.content.load.Loaded.problem`). :func:`parse_model` is the one entry point.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from kbc_docs.content import schema, values
from kbc_docs.content.load import Loaded
from kbc_docs.errors import Problem
from kbc_docs.messages import msg


def _strip(tp: Any) -> Any:
    """``tp`` without ``Annotated`` and ``| None``."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            # A fact that may be {todo: …} is described by what it is when known.
            args = [a for a in get_args(tp) if a is not type(None) and not _is_todo(a)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _is_todo(tp: Any) -> bool:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp is schema.Todo


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _is_text_type(tp: Any) -> bool:
    tp = _strip(tp)
    return get_origin(tp) is dict and _strip(get_args(tp)[1]) is str


def annotation_at(model: type[BaseModel], loc: tuple[Any, ...]) -> Any:
    """The declared type of the value at ``loc`` (a pydantic error location), or None."""
    tp: Any = model
    for part in loc:
        if _is_tag(part):  # the side of a tagged union the value was checked against
            tp = _tagged_member(tp, part)
            continue
        tp = _strip(tp)
        if _is_model(tp) and isinstance(part, str):
            field = tp.model_fields.get(part)
            if field is None:
                return None
            tp = field.annotation
        elif get_origin(tp) is list and isinstance(part, int):
            tp = get_args(tp)[0]
        elif get_origin(tp) is dict:
            tp = get_args(tp)[1]
        else:
            return None
    return tp


def _is_tag(part: Any) -> bool:
    """A union tag in an error location (``=known``, ``=todo``, ``=text``…), no field name."""
    return isinstance(part, str) and part.startswith("=")


def _tagged_member(tp: Any, tag: str) -> Any:
    """The member of the tagged union ``tp`` (see :func:`schema.OrTodo`) that has ``tag``."""
    while True:
        if get_origin(tp) is Annotated:
            tp = get_args(tp)[0]
            continue
        members = [m for m in get_args(tp) if m is not type(None)]
        for member in members:
            metadata = get_args(member)[1:] if get_origin(member) is Annotated else ()
            if any(getattr(m, "tag", None) == tag for m in metadata):
                return member
        if len(members) != 1:  # not an optional around the tagged union
            return None
        tp = members[0]


def _pattern(tp: Any) -> str | None:
    for meta in get_args(tp)[1:] if get_origin(tp) is Annotated else ():
        pattern = getattr(meta, "pattern", None)
        if pattern:
            return pattern
    return None


def _expect_pattern(pattern: str | None) -> str:
    known = {
        values.ID_PATTERN: "expect_id",
        values.LANG_PATTERN: "expect_lang",
        values.COUNTRY_PATTERN: "expect_country",
    }
    return msg(known.get(pattern or "", "expect_string"))


def expected(tp: Any) -> str:
    """What a value of type ``tp`` looks like, in words ("a date written YYYY-MM-DD")."""
    if tp is None:
        return msg("expect_value")
    pattern = _pattern(tp)
    if _is_text_type(tp):
        return msg("expect_text")
    bare = _strip(tp)
    if _is_model(bare):
        fields = bare.model_fields
        keys = sorted(fields, key=lambda name: not fields[name].is_required())
        return msg("expect_section", keys=", ".join(keys[:6]) + (", …" if len(keys) > 6 else ""))
    if get_origin(bare) is Literal:
        return msg("expect_one_of", options=_options(bare))
    simple = {
        int: "expect_int",
        dt.date: "expect_date",
        values.PartialDate: "expect_partial_date",
        Decimal: "expect_number",
        list: "expect_list",
        dict: "expect_mapping",
    }
    key = simple.get(get_origin(bare) or bare)
    if key:
        return msg(key)
    return _expect_pattern(pattern) if bare is str else msg("expect_value")


def _options(literal: Any) -> str:
    return ", ".join(f"'{option}'" for option in get_args(literal))


def _show(value: Any) -> str:
    """A value as the user typed it, short enough for one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return msg("kind_null")
    if isinstance(value, list):
        return msg("kind_list")
    if isinstance(value, dict):
        return msg("kind_mapping")
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "…'"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return msg("kind_bool")
    if isinstance(value, int | float):
        return msg("kind_number")
    return msg("kind_text")


def did_you_mean(value: str, choices: list[str]) -> str:
    """``; did you mean 'x'?`` for the closest choice (case-insensitive), or ""."""
    folded = {c.casefold(): c for c in choices}
    found = difflib.get_close_matches(value.casefold(), list(folded), n=1)
    return msg("did_you_mean", hint=folded[found[0]]) if found else ""


def _path(loc: tuple[Any, ...]) -> str:
    """``parties[1].signer.person``: the field path as the clerk wrote it (no union tags)."""
    out = ""
    for part in loc:
        if _is_tag(part):
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_DATE_ERRORS = {
    "date_from_datetime_parsing",
    "date_parsing",
    "date_type",
    "date_from_datetime_inexact",
}


_INT_ERRORS = {"int_type", "int_parsing", "int_from_float", "int_parsing_size"}


def _date_message(value: Any) -> str:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value.strip()):
        return msg("no_such_date", got=_show(value))
    return msg("not_a_date", got=_show(value))


def _key_message(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    """A dictionary key that is not a language code (in a text) or not an id (in the registry)."""
    container = annotation_at(model, loc[:-2])
    if _is_text_type(container):
        return msg("lang_key", key=loc[-2])
    key_type = get_args(_strip(container))[0] if get_origin(_strip(container)) is dict else None
    return msg("id_key", key=loc[-2], expected=_expect_pattern(_pattern(key_type)))


def _fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys the section at ``loc`` may have."""
    owner = _strip(annotation_at(model, loc))
    return sorted(owner.model_fields) if _is_model(owner) else []


def _close_fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field an unknown key at ``loc`` was probably meant to be (or nothing)."""
    return difflib.get_close_matches(str(loc[-1]), _fields(model, loc[:-1]), n=1)


def _unknown_key(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    key = str(loc[-1])
    found = _close_fields(model, loc)
    if found:
        return msg("unknown_key_hint", key=key, hint=found[0])
    return msg("unknown_key", key=key, keys=", ".join(_fields(model, loc[:-1])))


def _error_message(model: type[BaseModel], err: Any) -> str:
    """One pydantic error as: what is wrong, what is expected, what was found."""
    loc, kind, value = err["loc"], err["type"], err.get("input")
    ctx = err.get("ctx") or {}
    tp = annotation_at(model, loc)
    got = _show(value)
    if kind in _DATE_ERRORS:
        return _date_message(value)
    if kind == "extra_forbidden":
        return _unknown_key(model, loc)
    if kind == "missing":
        return msg("missing_field", field=loc[-1], expected=expected(tp))
    if kind == "dict_type" and isinstance(value, str) and _is_text_type(tp):
        return msg("single_text", got=got)
    if kind == "string_type" and value is None:
        return msg("empty_text")
    if kind == "string_type" and isinstance(value, bool | int | float):
        return msg("quote_it", got=got, kind=_kind(value))
    if kind == "string_too_short":
        return msg("empty_text")
    if kind == "string_too_long":
        return msg("too_long_text", actual=len(str(value)), max=ctx.get("max_length"))
    if kind == "too_short" and _is_text_type(tp):
        return msg("no_text", expected=msg("expect_text"))
    if kind == "too_short":
        return msg("too_short", min=ctx.get("min_length"), actual=ctx.get("actual_length"))
    if kind == "too_long":
        return msg("too_long_list", actual=ctx.get("actual_length"), max=ctx.get("max_length"))
    if kind in _INT_ERRORS:
        return msg("expected_got", expected=msg("expect_int"), got=got)
    if kind in ("greater_than_equal", "greater_than"):
        return msg("at_least", limit=ctx.get("ge", ctx.get("gt")), got=got)
    if kind in ("less_than_equal", "less_than"):
        return msg("at_most", limit=ctx.get("le", ctx.get("lt")), got=got)
    if kind == "literal_error":
        choices = [str(c) for c in get_args(_strip(tp))]
        hint = did_you_mean(str(value), choices) if isinstance(value, str) else ""
        return msg("one_of", options=_options(_strip(tp)), got=got) + hint
    if kind == "string_pattern_mismatch":
        return msg("expected_got", expected=_expect_pattern(ctx.get("pattern")), got=got)
    if kind == "value_error":
        return str(ctx.get("error", err["msg"])).removeprefix("Value error, ")
    if kind.endswith("_type"):
        return msg("expected_got", expected=expected(tp), got=got)
    return err["msg"] + (f" ({got})" if isinstance(value, str | int | float) else "")


def _schema_problems(loaded: Loaded, exc: ValidationError, model: type[BaseModel]) -> list[Problem]:
    problems = []
    errors = exc.errors()
    bad_keys = {_path(e["loc"][:-1]) for e in errors if e["loc"][-1:] == ("[key]",)}
    # A misspelt key is also a missing one: the "did you mean" says it all.
    misspelt = {
        _path((*e["loc"][:-1], hint))
        for e in errors
        if e["type"] == "extra_forbidden"
        for hint in _close_fields(model, e["loc"])
    }
    for err in errors:
        loc = err["loc"]
        if loc[-1:] == ("[key]",):
            problems.append(loaded.problem(_path(loc[:-1]), _key_message(model, loc)))
        elif _path(loc) in bad_keys:
            continue  # the same mistake, already reported above
        elif err["type"] != "missing" or _path(loc) not in misspelt:
            problems.append(loaded.problem(_path(loc), _error_message(model, err)))
    return problems


def is_registry(loaded: Loaded) -> bool:
    """Whether a file given as content is a registry (``content/*.yaml`` matches both)."""
    data = loaded.data
    return isinstance(data, dict) and "document" not in data and "places" in data


def parse_model(loaded: Loaded, model: type[BaseModel]) -> tuple[Any, list[Problem]]:
    """The validated model, or None and every schema problem."""
    if not isinstance(loaded.data, dict):
        return None, [loaded.problem("", msg("top_not_mapping", got=_show(loaded.data)))]
    if model is schema.Content and is_registry(loaded):
        return None, [loaded.problem("places", msg("is_registry"))]
    try:
        return model.model_validate(loaded.data), []
    except ValidationError as exc:
        return None, _schema_problems(loaded, exc, model)
