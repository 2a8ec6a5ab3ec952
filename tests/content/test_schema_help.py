"""The JSON Schema editors read: described fields, language keys, texts the languages need."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from kbc_docs.cli.schema import schema_text
from kbc_docs.content.load import load_yaml
from kbc_docs.content.schema_help import help_entries

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = load_yaml(ROOT / "content" / "2023-11-16.yaml").data


def schema(what: str) -> dict[str, Any]:
    return json.loads(schema_text(what))


def errors(data: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema("content"))
    return [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)
    ]


@pytest.mark.parametrize("what", ["content", "registry"])
def test_every_field_has_a_vietnamese_and_english_description_and_an_example(what: str) -> None:
    document = schema(what)
    models = [(document["title"], document), *document["$defs"].items()]
    for model, node in models:
        for field, prop in node.get("properties", {}).items():
            entry = help_entries().get(f"{model}.{field}")
            assert entry, f"{model}.{field} has no entry in data/schema-help.yaml"
            assert prop["description"] == f"{entry['vi']}\n\n{entry['en']}"
            assert prop["examples"] == [entry["example"]]


def test_every_help_entry_names_a_field() -> None:
    fields = set()
    for what in ("content", "registry"):
        document = schema(what)
        for model, node in [(document["title"], document), *document["$defs"].items()]:
            fields |= {f"{model}.{field}" for field in node.get("properties", {})}
    assert set(help_entries()) - {"languages"} <= fields


def test_the_example_satisfies_the_schema() -> None:
    assert errors(EXAMPLE) == []


def test_a_missing_translation_is_flagged_where_it_is() -> None:
    data = copy.deepcopy(EXAMPLE)
    del data["results"][1]["paragraphs"][0]["km"]
    found = errors(data)
    assert len(found) == 1 and found[0].startswith("results.1.paragraphs.0"), found


def test_a_missing_translation_says_so_in_both_languages_to_an_editor() -> None:
    """VS Code's YAML support shows a failing schema's ``errorMessage`` instead of the
    generic "not valid under any of the given schemas"; the model docstrings are not shown."""
    data = copy.deepcopy(EXAMPLE)
    del data["results"][1]["paragraphs"][0]["km"]
    validator = jsonschema.Draft202012Validator(schema("content"))
    (error,) = validator.iter_errors(data)
    assert error.schema["errorMessage"].startswith("Thiếu văn bản tiếng Khmer (km)")
    assert "The Khmer text (km) is missing" in error.schema["errorMessage"]
    document = schema("content")
    assert all("description" not in model for model in document["$defs"].values())


def test_an_unknown_language_key_is_flagged() -> None:
    data = copy.deepcopy(EXAMPLE)
    data["conference"]["venue"]["kh"] = data["conference"]["venue"].pop("km")
    found = errors(data)
    assert any(e.startswith("conference.venue") and "'kh'" in e for e in found), found


def test_a_text_in_a_language_the_document_is_not_in_is_flagged() -> None:
    data = copy.deepcopy(EXAMPLE)
    data["background"][0]["lo"] = "ພາສາລາວ"
    found = errors(data)
    assert any(e.startswith("background.0") for e in found), found


def test_a_to_be_completed_mark_stands_for_any_text() -> None:
    """The 'then' of a language accepts ``{todo: …}`` where a text is expected."""
    rule = schema("content")["allOf"][0]["then"]["properties"]["conference"]["properties"]["venue"]
    validator = jsonschema.Draft202012Validator(rule)
    assert validator.is_valid({"todo": "địa điểm"}) and not validator.is_valid({"vi": "x"})


def test_document_languages_and_recipients_name_known_languages() -> None:
    data = copy.deepcopy(EXAMPLE)
    data["document"]["languages"] = ["vi", "kh"]
    assert any(e.startswith("document.languages.1") for e in errors(data))
