"""The template search order (:mod:`kbc_docs.templates.lookup`): decided once, used for everything.

``--templates`` wins over a content file's ``templates:`` folder, which wins over
``./templates``; the defaults always come last. The language files and the Word/HTML templates
come from the same list.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from kbc_docs.content.resolve import load_content
from kbc_docs.errors import ContentError
from kbc_docs.pipeline import template_files
from kbc_docs.templates.lookup import default_templates, template_folders

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "content" / "2023-11-16.yaml"
DEFAULT = default_templates()


def test_default_templates_are_the_shipped_folder() -> None:
    assert DEFAULT == ROOT / "toolkit" / "kbc_docs" / "data" / "templates"
    assert (DEFAULT / "report.docx").is_file()


def test_order_of_the_office_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    given, own, here = tmp_path / "given", tmp_path / "own", tmp_path / "here"
    for folder in (given, own, here / "templates"):
        folder.mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert template_folders() == [DEFAULT]
    monkeypatch.chdir(here)
    assert template_folders() == [here / "templates", DEFAULT]
    assert template_folders(own=own) == [own, DEFAULT]
    assert template_folders(given, own) == [given, DEFAULT]
    assert template_folders(given) == [given, DEFAULT]
    assert template_folders(DEFAULT) == [DEFAULT]


def test_language_files_and_templates_come_from_the_same_folders(tmp_path: Path) -> None:
    """With both ``--templates`` and ``templates:``, the command line's folder is the only one."""
    shutil.copy(ROOT / "content" / "registry.yaml", tmp_path / "registry.yaml")
    text = EXAMPLE.read_text(encoding="utf-8")
    content = tmp_path / EXAMPLE.name
    content.write_text(
        text.replace("registry: registry.yaml", "registry: registry.yaml\ntemplates: own"),
        encoding="utf-8",
    )
    own, given = tmp_path / "own", tmp_path / "given"
    for folder in (own, given):
        (folder / "locale").mkdir(parents=True)
        (folder / "report.html").write_text((DEFAULT / "report.html").read_text("utf-8"))
    # A broken language file in the folder that must not be searched would fail the load.
    (own / "locale" / "km.yaml").write_text("not: a language file\n", encoding="utf-8")

    resolved, _ = load_content(content, given)
    assert resolved.templates == [given, DEFAULT]
    assert given / "report.html" in template_files(resolved.templates, ("pdf",))

    # Without --templates the content file's folder is searched, for the language files too.
    with pytest.raises(ContentError, match=r"own/locale/km\.yaml"):
        load_content(content)
    (own / "locale" / "km.yaml").unlink()
    resolved, _ = load_content(content)
    assert resolved.templates == [own.resolve(), DEFAULT]
    assert own.resolve() / "report.html" in template_files(resolved.templates, ("pdf",))
