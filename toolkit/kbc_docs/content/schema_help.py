"""The JSON Schema for editors: pydantic's schema plus what a clerk needs while typing.

pydantic describes the types; an editor (VS Code with the YAML extension reads the schema a
content file names on its first line) also needs to tell a clerk what a field is for, show an
example, complete the language keys and flag a missing translation. This module adds, to the
schema of :mod:`kbc_docs.content.schema`:

* a description in Vietnamese and English and an example on every field, from
  ``data/schema-help.yaml`` (kept as data beside the templates, so the wording is edited
  without touching the models; a test fails when a field has none);
* the language keys a text may have: one per shipped language file (``vi``, ``km``, ``lo``),
  so ``kh:`` is flagged and the keys complete;
* what the document's languages require, as far as JSON Schema can say it: for each language,
  ``if`` ``document.languages`` contains it, ``then`` every text of the file must give it
  (a ``todo`` mark aside), ``else`` no text may. A missing translation carries an
  ``errorMessage`` in both languages (VS Code's YAML and JSON support read it; validators
  that do not know the keyword ignore it), so the clerk reads "the Khmer text is missing"
  rather than "not valid under any of the given schemas".

The models' docstrings are written for developers, in English; they are left out, so that
what an editor shows is the fields' help.

Registry texts are not checked against languages: which ones they need depends on the
conference files that use them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from kbc_docs.content.load import load_yaml
from kbc_docs.content.values import LANG_PATTERN
from kbc_docs.data import shipped

Schema = dict[str, Any]


@cache
def help_entries() -> dict[str, Any]:
    """``data/schema-help.yaml``: ``Model.field`` → description and example; ``languages``."""
    return dict(load_yaml(shipped("schema-help.yaml")).data)


def languages() -> list[str]:
    """The languages kbc-docs ships a language file for, e.g. ``["km", "lo", "vi"]``."""
    return sorted(p.stem for p in (shipped("templates") / "locale").glob("*.yaml"))


def described(what: str, schema: Schema) -> Schema:
    """``schema`` (of the ``content`` or ``registry`` format) with everything editors need."""
    defs = schema.get("$defs", {})
    for name, model in [(schema.get("title", ""), schema), *defs.items()]:
        model.pop("description", None)
        for field, prop in model.get("properties", {}).items():
            entry = help_entries().get(f"{name}.{field}")
            if entry:
                prop["description"] = f"{entry['vi']}\n\n{entry['en']}"
                prop["examples"] = [entry["example"]]
    if what == "content":
        schema["allOf"] = [_needs(lang, schema) for lang in languages()]
        _languages_field(schema)
    _walk(schema, _closed)
    return schema


def _is_text(node: Schema) -> bool:
    """A :data:`kbc_docs.content.values.Text`: one string per language code."""
    value = node.get("patternProperties", {}).get(LANG_PATTERN)
    return isinstance(value, dict) and value.get("type") == "string"


def _closed(node: Schema) -> None:
    """Close every mapping keyed by pattern, as validation does; a text's keys are languages.

    pydantic leaves other keys allowed, so an editor would not flag ``{vi: …, Km: …}``.
    """
    if "patternProperties" not in node:
        return
    if not _is_text(node):
        node.setdefault("additionalProperties", False)
        return
    pattern = node.pop("patternProperties")
    value = pattern[LANG_PATTERN]
    words = help_entries()["languages"]
    node["properties"] = {
        lang: {**value, "description": f"{words[lang]['vi']}\n\n{words[lang]['en']}"}
        if lang in words
        else dict(value)
        for lang in languages()
    }
    node["additionalProperties"] = False


def _languages_field(schema: Schema) -> None:
    """``document.languages`` and the ``recipients`` keys name shipped languages."""
    document = schema["$defs"]["DocumentInfo"]["properties"]["languages"]
    document["items"] = {"enum": languages()}
    recipients = schema["properties"].get("recipients")
    if recipients is not None:
        recipients["propertyNames"] = {"enum": languages()}
        recipients.pop("patternProperties", None)
        recipients["additionalProperties"] = {"type": "array", "items": {"type": "string"}}


def _needs(lang: str, schema: Schema) -> Schema:
    """``if`` the document is in ``lang``, ``then`` every text gives it, ``else`` none does."""
    given = {"anyOf": [{"not": {"type": "object"}}, {"required": [lang]}, {"required": ["todo"]}]}
    words = help_entries()["languages"].get(lang)
    if words:
        given["errorMessage"] = f"{words['missing_vi']}\n\n{words['missing_en']}"
    absent = {"properties": {lang: False}}
    condition = {
        "properties": {"document": {"properties": {"languages": {"contains": {"const": lang}}}}},
        "required": ["document"],
    }
    return {
        "if": condition,
        "then": _at_texts(schema, schema, given, set()) or {},
        "else": _at_texts(schema, schema, absent, set()) or {},
    }


def _at_texts(node: Any, root: Schema, rule: Schema, seen: set[str]) -> Schema | None:
    """A schema applying ``rule`` at every text reachable from ``node``; None if there is none."""
    if not isinstance(node, dict):
        return None
    if _is_text(node):
        return rule
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in seen:  # no recursive models today; never loop if one comes
            return None
        return _at_texts(root["$defs"][name], root, rule, seen | {name})
    for key in ("anyOf", "oneOf"):
        if key in node:
            found = [c for c in (_at_texts(n, root, rule, seen) for n in node[key]) if c]
            return found[0] if found else None
    result: Schema = {}
    properties = {
        name: found
        for name, child in node.get("properties", {}).items()
        if (found := _at_texts(child, root, rule, seen)) is not None
    }
    if properties:
        result["properties"] = properties
    items = _at_texts(node.get("items"), root, rule, seen)
    if items is not None:
        result["items"] = items
    return result or None


def _walk(node: Any, visit: Any) -> None:
    """Call ``visit`` on every schema object in ``node``, depth first."""
    if isinstance(node, dict):
        visit(node)
        for value in list(node.values()):
            _walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk(value, visit)
