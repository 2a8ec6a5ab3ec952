"""Helpers for the translation round-trip tests: a clerk's untranslated file, a translator's
filled XLIFF or Word table, and LibreOffice's open-and-save."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from kbc_docs.content import schema
from kbc_docs.content.load import load_yaml
from kbc_docs.content.texts import iter_texts
from kbc_docs.translate.table import _ID
from lxml import etree
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
KM_EXAMPLE = CONTENT / "2023-11-16.yaml"
LO_EXAMPLE = CONTENT / "2024-10-08-attapeu-sekong.yaml"
XLIFF = "urn:oasis:names:tc:xliff:document:1.2"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _drop(node: object, lang: str) -> None:
    if isinstance(node, CommentedMap):
        if lang in node and "vi" in node and all(isinstance(v, str) for v in node.values()):
            del node[lang]
        for value in node.values():
            _drop(value, lang)
    elif isinstance(node, CommentedSeq):
        for value in node:
            _drop(value, lang)


def _round_trip() -> YAML:
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)
    return rt


def untranslated(example: Path, lang: str, folder: Path) -> Path:
    """A copy of ``example`` (with the registry) from which every ``lang`` text is removed."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(CONTENT / "registry.yaml", folder / "registry.yaml")
    rt = _round_trip()
    data = rt.load(example.read_text(encoding="utf-8"))
    _drop(data, lang)
    out = io.StringIO()
    rt.dump(data, out)
    target = folder / example.name
    target.write_text(out.getvalue(), encoding="utf-8")
    return target


KAMPOT_SIDE = (("parties", "kh-kampot-sfdcm"), ("people", "duong-savan"), ("places", "kampot"))
"""Registry entries 2023-11-16.yaml prints: a new partner whose Khmer the clerk cannot type."""


def untranslated_registry(folder: Path, lang: str, entries=KAMPOT_SIDE) -> Path:
    """The registry in ``folder`` with every ``lang`` text of ``entries`` removed (comments and
    the other entries as they were)."""
    registry = folder / "registry.yaml"
    rt = _round_trip()
    data = rt.load(registry.read_text(encoding="utf-8"))
    for kind, entry_id in entries:
        _drop(data[kind][entry_id], lang)
    out = io.StringIO()
    rt.dump(data, out)
    registry.write_text(out.getvalue(), encoding="utf-8")
    return registry


def registry_translations(lang: str, entries=KAMPOT_SIDE) -> dict[str, str]:
    """Unit id → the shipped registry's ``lang`` text of ``entries`` (``registry:`` ids)."""
    registry = schema.Registry.model_validate(load_yaml(CONTENT / "registry.yaml").data)
    return {
        f"registry:{path}": text[lang]
        for kind, entry_id in entries
        for path, text in iter_texts(getattr(registry, kind)[entry_id], f"{kind}.{entry_id}")
        if lang in text
    }


def translations(example: Path, lang: str) -> dict[str, str]:
    """Field path → the example's own ``lang`` text: what a good translator would return."""
    content = schema.Content.model_validate(load_yaml(example).data)
    return {path: text[lang] for path, text in iter_texts(content, "") if lang in text}


def fill_xliff(exported: Path, filled: Path, texts: dict[str, str]) -> None:
    """Add a ``<target>`` to every unit, as a CAT tool's plain export would."""
    tree = etree.parse(str(exported))
    for unit in tree.iter(f"{{{XLIFF}}}trans-unit"):
        target = unit.find(f"{{{XLIFF}}}target")
        if target is None:
            target = etree.Element(f"{{{XLIFF}}}target")
            unit.insert(1, target)
        target.text = texts[unit.get("id")]
    tree.write(str(filled), xml_declaration=True, encoding="UTF-8")


def fill_table(exported: Path, filled: Path, texts: dict[str, str]) -> None:
    """Type each translation into the right-hand cell of its row, as a translator in Word."""
    document = Document(str(exported))
    for row in document.tables[0].rows[1:]:
        found = _ID.search("".join(t.text or "" for t in row.cells[0]._tc.iter(f"{W}t")))
        if found:
            row.cells[2].paragraphs[0].add_run(texts[found.group(1)])
    document.save(str(filled))


def libreoffice_resave(docx: Path, outdir: Path) -> Path:
    """Open ``docx`` in LibreOffice and save it again as Word 2007+ (skip without soffice).

    The import tells a Word file by its content, so the saved file keeps another suffix."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{outdir / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(outdir),
            str(docx),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    saved = outdir / docx.name
    assert result.returncode == 0 and saved.is_file(), result.stderr
    # LibreOffice's own Word file keeps our core properties but is not kbc-docs' output: out of
    # the session's openxml-audit (docx_audit audits the files kbc-docs writes).
    return saved.rename(saved.with_suffix(".lo-saved"))


OMEGAT_PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes/>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>vi</source_lang>
    <target_lang>{target}</target_lang>
    <source_tok>org.omegat.tokenizer.DefaultTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.DefaultTokenizer</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


def omegat_translate(exported: Path, target: str, pairs: dict[str, str], folder: Path) -> Path:
    """Translate ``exported`` with OmegaT itself (skip without it): a project holding the XLIFF,
    the translations as its memory (source → target, as a translator's confirmed segments),
    ``--mode=console-translate``; returns the XLIFF OmegaT wrote into ``target/``."""
    omegat = shutil.which("omegat")
    if omegat is None:
        pytest.skip("OmegaT is not installed")
    project = folder / "omegat-project"
    for sub in ("source", "target", "tm", "glossary", "omegat", "dictionary"):
        (project / sub).mkdir(parents=True, exist_ok=True)
    (project / "omegat.project").write_text(OMEGAT_PROJECT.format(target=target), "utf-8")
    shutil.copy(exported, project / "source" / exported.name)
    tmx = etree.Element("tmx", version="1.4")
    header = {"creationtool": "tests", "creationtoolversion": "1", "segtype": "paragraph"}
    header |= {"adminlang": "en", "srclang": "vi", "datatype": "plaintext", "o-tmf": "none"}
    etree.SubElement(tmx, "header", header)
    body = etree.SubElement(tmx, "body")
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for source, translation in pairs.items():
        unit = etree.SubElement(body, "tu")
        for code, text in (("vi", source), (target, translation)):
            etree.SubElement(etree.SubElement(unit, "tuv", {lang: code}), "seg").text = text
    etree.ElementTree(tmx).write(
        str(project / "omegat" / "project_save.tmx"), xml_declaration=True, encoding="UTF-8"
    )
    result = subprocess.run(
        [
            omegat,
            "--mode=console-translate",
            f"--config-dir={folder / 'omegat-config'}",
            "--disable-project-locking",
            "--no-team",
            str(project),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    written = project / "target" / exported.name
    assert result.returncode == 0 and written.is_file(), result.stdout[-2000:] + result.stderr
    return written
