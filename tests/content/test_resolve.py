"""Loading a content file with what it names and joining the references (content/resolve.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from kbc_docs.content.resolve import load_content
from kbc_docs.errors import ContentError
from kbc_docs.templates.lookup import default_templates

ROOT = Path(__file__).resolve().parents[2]
KM = ROOT / "content" / "2023-11-16.yaml"
LO = ROOT / "content" / "2024-10-08-attapeu-sekong.yaml"


def test_every_reference_is_followed() -> None:
    resolved, locales = load_content(KM)
    assert resolved.slug == "2023-11-16"
    assert [p.id for p in resolved.parties] == [p.party for p in resolved.content.parties]
    for party in resolved.parties:
        assert party.party is resolved.registry.parties[party.id]
        assert party.language in locales  # the party's country speaks one of the document's
    assert set(locales) == set(resolved.content.document.languages)
    assert resolved.templates == [default_templates()]


def test_alternat_puts_the_versions_own_side_first() -> None:
    resolved, _ = load_content(LO)
    for lang in resolved.content.document.languages:
        order = resolved.in_alternat_order(lang)
        assert sorted(p.id for p in order) == sorted(p.id for p in resolved.parties)
        own = [p for p in order if p.language == lang]
        assert order[: len(own)] == own


def test_a_missing_registry_is_located_at_the_registry_key(tmp_path: Path) -> None:
    content = tmp_path / KM.name
    content.write_text(KM.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(content)
    [problem] = caught.value.problems
    assert problem.path == "registry" and problem.line is not None
