"""The registry's names travel with the content file's texts: a new partner's party, place and
people typed in Vietnamese only are offered to the translator beside the report's texts (marked
as registry texts, with the entry's id), and their translations go back into the registry —
only where the translator gave one, the rest of the shared file byte for byte as it was."""

from __future__ import annotations

import difflib
import errno
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from docx import Document
from kbc_docs.cli import app
from kbc_docs.content.resolve import load_content
from kbc_docs.errors import ContentError
from kbc_docs.pipeline import BuildOptions, build
from kbc_docs.text.segment import unsegment
from kbc_docs.translate.export import export_files
from kbc_docs.translate.merge import import_translations
from kbc_docs.translate.state import load_state, normal, state_file
from kbc_docs.translate.texts import collect
from lxml import etree
from support.pdf_checks import round_trip
from support.translation import (
    CONTENT,
    KAMPOT_SIDE,
    KM_EXAMPLE,
    LO_EXAMPLE,
    XLIFF,
    fill_table,
    fill_xliff,
    libreoffice_resave,
    omegat_translate,
    registry_translations,
    translations,
    untranslated,
    untranslated_registry,
)
from typer.testing import CliRunner

TEMPLATES = None
Q = f"{{{XLIFF}}}"
ATTAPEU_SIDE = (
    ("parties", "la-attapeu-lfnd"),
    ("people", "bounmy-phommavong"),
    ("people", "vannaphone-sisouvanh"),
    ("places", "attapeu"),
    ("places", "kon-tum"),
)
"""Registry entries the Lao example prints (Attapeu's side, and the place of signing)."""
SHIPPED_REGISTRY = (CONTENT / "registry.yaml").read_text(encoding="utf-8")


def clerk_folder(example: Path, lang: str, entries, folder: Path) -> tuple[Path, Path]:
    """The content file without its ``lang`` texts, beside a registry whose ``entries`` lack
    ``lang`` too: a new partner typed in by a clerk who writes Vietnamese only."""
    content = untranslated(example, lang, folder)
    return content, untranslated_registry(folder, lang, entries)


def export(content: Path, lang: str, folder: Path) -> dict[str, Path]:
    job = collect(content, lang, TEMPLATES)
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, data in export_files(job, job.missing, ("xliff", "docx")).items():
        (folder / name).write_bytes(data)
        written[Path(name).suffix] = folder / name
    return written


def docx_text(path: Path) -> str:
    """Every paragraph of a Word file, in the body and in tables."""
    document = Document(str(path))
    cells = [c.text for table in document.tables for c in table._cells]
    return " ".join([p.text for p in document.paragraphs] + cells)


def unchanged(*files: Path):
    before = [(f.read_bytes(), f.stat().st_mtime_ns) for f in files]
    return lambda: [(f.read_bytes(), f.stat().st_mtime_ns) for f in files] == before


@pytest.mark.parametrize(
    ("example", "lang", "entries", "via"),
    [(KM_EXAMPLE, "km", KAMPOT_SIDE, "xliff"), (LO_EXAMPLE, "lo", ATTAPEU_SIDE, "docx")],
    ids=["khmer-xliff", "lao-word-table"],
)
def test_registry_names_round_trip_into_the_registry(
    tmp_path: Path, example: Path, lang: str, entries, via: str
) -> None:
    content, registry = clerk_folder(example, lang, entries, tmp_path / "c")
    assert registry.read_text(encoding="utf-8") != SHIPPED_REGISTRY
    texts = translations(example, lang)
    names = registry_translations(lang, entries)
    job = collect(content, lang, TEMPLATES)
    assert {u.id for u in job.missing} == set(texts) | set(names)  # the content's and the names
    assert len(job.gaps) == len(texts) + len(names)

    exported = export(content, lang, tmp_path / "x")
    tree = etree.parse(str(exported[".xlf"]))
    group = tree.find(f".//{Q}group")
    assert group.get("restype") == "x-kbc-registry" and group.get("resname") == "registry.yaml"
    in_group = [u.get("id") for u in group.iter(f"{Q}trans-unit")]
    assert in_group == list(names)  # every registry text, and only those, in the group
    person = next(e for kind, e in entries if kind == "people")
    unit = group.find(f"{Q}trans-unit[@id='registry:people.{person}.titles[0]']")
    notes = [n.text for n in unit.iter(f"{Q}note")]
    assert f"người {person}: chức vụ 1" in notes[0]  # the entry's id as context
    assert "shared registry registry.yaml" in notes[1]
    assert unit.find(f"{Q}target").get("state") == "needs-translation"
    tbx = exported[".xlf"].with_name(exported[".xlf"].name.replace("translate", "glossary"))
    tbx_text = tbx.with_suffix(".tbx").read_text(encoding="utf-8")
    vi_name = normal(job.unit(f"registry:people.{person}.name").source)
    entry = re.search(
        rf"<termEntry[^>]*>(?:(?!</termEntry>).)*{vi_name}.*?</termEntry>", tbx_text, re.S
    )
    assert entry and "not yet translated" in entry.group(0)  # in the term base, as a gap
    assert entry.group(0).count("<langSet") == 1

    if via == "xliff":
        returned = tmp_path / "back.xlf"
        fill_xliff(exported[".xlf"], returned, texts | names)
    else:
        table = Document(str(exported[".docx"])).tables[0]
        section_rows = [r.cells[0].text for r in table.rows if r.cells[0]._tc is r.cells[2]._tc]
        assert section_rows[-1] == "Danh mục tên riêng dùng chung / Shared registry (registry.yaml)"
        filled = tmp_path / "filled.docx"
        fill_table(exported[".docx"], filled, texts | names)
        returned = libreoffice_resave(filled, tmp_path / "resaved")

    report = import_translations(content, returned, TEMPLATES)
    assert not report.review and not report.empty and report.still_missing == 0
    assert report.registry == registry
    assert sorted(report.in_registry(report.filled)) == sorted(names)
    # the registry is the shipped one again, byte for byte: comments, flow mappings, order kept
    assert registry.read_text(encoding="utf-8") == SHIPPED_REGISTRY
    made_from = json.loads(state_file(registry).read_text(encoding="utf-8"))["made_from"][lang]
    assert sorted(made_from) == sorted(n.removeprefix("registry:") for n in names)
    assert "registry:" not in state_file(content).read_text(encoding="utf-8")

    load_content(content, TEMPLATES)  # no --draft: complete
    assert collect(content, lang, TEMPLATES).missing == []
    outputs = build(content, BuildOptions(out=tmp_path / "build", formats=("docx", "pdf")))
    words = [p for p in outputs if p.suffix == ".docx"]
    printed = normal(unsegment(" ".join(docx_text(p) for p in words)).replace("\u00a0", " "))
    for unit_id, name in names.items():  # the translator's names, as the documents print them
        assert normal(name) in printed, unit_id
    found: set[str] = set()
    for pdf in (p for p in outputs if p.suffix == ".pdf"):  # and where a reader searches them
        # "layout": a title longer than a line wraps, and the line break comes back as a space
        found |= set(round_trip(pdf.read_bytes(), names.values(), "pdftotext-raw", "layout").found)
    assert found == set(names.values())


def test_a_shared_registry_changes_only_where_the_translator_gave_a_text(tmp_path: Path) -> None:
    """The registry serves other content files too: an entry this file does not print, and a
    registry text the translator left empty, stay exactly as they were."""
    other_side = (("parties", "kh-kampot-admin"), ("people", "mao-thonin"))
    content, registry = clerk_folder(KM_EXAMPLE, "km", KAMPOT_SIDE + other_side, tmp_path / "c")
    other = tmp_path / "c" / "kien-giang-kampot-2019-2021.yaml"
    shutil.copy(CONTENT / other.name, other)
    with pytest.raises(ContentError) as before:
        load_content(other, TEMPLATES)
    texts = translations(KM_EXAMPLE, "km")
    names = registry_translations("km")
    left = "registry:people.duong-savan.titles[0]"
    given = {i: t for i, t in names.items() if i != left}
    returned = tmp_path / "back.xlf"
    exported = export(content, "km", tmp_path / "x")[".xlf"]
    assert "kh-kampot-admin" not in exported.read_text(encoding="utf-8")  # not this file's
    fill_xliff(exported, returned, texts | given | {left: ""})
    # a unit a tool (or a hand) pointed at an entry this file does not print: not written
    stray = "registry:parties.kh-kampot-admin.name"
    xliff = returned.read_text(encoding="utf-8")
    xliff = xliff.replace('id="registry:places.kampot.name"', f'id="{stray}"', 1)
    returned.write_text(xliff.replace('resname="registry:places.kampot.name"', ""), "utf-8")
    given.pop("registry:places.kampot.name")
    old = registry.read_text(encoding="utf-8").splitlines()

    report = import_translations(content, returned, TEMPLATES)
    assert report.empty == [left]
    assert [p.path.split(": ")[-1] for p in report.review] == [stray]
    assert "no longer one the content file's documents print" in str(report.review[0])
    new = registry.read_text(encoding="utf-8").splitlines()
    diff = [x for x in difflib.unified_diff(old, new, lineterm="", n=0) if x[:1] in "+-"]
    removed = [x[1:] for x in diff if x[0] == "-" and not x.startswith("---")]
    added = [x[1:] for x in diff if x[0] == "+" and not x.startswith("+++")]
    # each given text is one new line, or a one-line {vi: …} mapping that gained it; no more
    assert len(added) == len(given) and all("km: " in x for x in added)
    assert all(re.fullmatch(r"\s*[\w-]+: \{vi: [^,}]*\}", x) for x in removed)
    assert "kh-kampot-admin" in "\n".join(new)
    admin_lines = [
        line for line in new if "CHÍNH QUYỀN TỈNH KAMPOT" in line or "Mao Thunin" in line
    ]
    assert admin_lines and not any("km:" in line for line in admin_lines)  # not touched
    title = next(
        i for i, line in enumerate(new) if "Phó Chủ tịch Thường trực Ủy ban Mặt trận Đoàn" in line
    )
    assert "km:" not in new[title + 1]  # the text left empty is still missing
    with pytest.raises(ContentError) as after:  # the other file: exactly its own gaps as before
        load_content(other, TEMPLATES)
    assert [p.path for p in after.value.problems] == [p.path for p in before.value.problems]
    job = collect(content, "km", TEMPLATES)
    assert [u.id for u in job.missing] == [left, "registry:places.kampot.name"]


def test_registry_vietnamese_corrected_is_reviewed_like_the_content(tmp_path: Path) -> None:
    content, registry = clerk_folder(KM_EXAMPLE, "km", KAMPOT_SIDE, tmp_path / "c")
    texts = translations(KM_EXAMPLE, "km") | registry_translations("km")
    sent = export(content, "km", tmp_path / "x1")[".xlf"]
    # while the translator works, the clerk corrects the partner's short name in the registry
    old_vi, new_vi = (
        "Ủy ban MTĐKPTTQ Campuchia tỉnh Kampot",
        "Ủy ban MTĐKPT Tổ quốc Campuchia tỉnh Kampot",
    )
    registry.write_text(registry.read_text(encoding="utf-8").replace(old_vi, new_vi), "utf-8")
    returned = tmp_path / "back.xlf"
    fill_xliff(sent, returned, texts)
    report = import_translations(content, returned, TEMPLATES)
    short = "registry:parties.kh-kampot-sfdcm.short_name"
    assert [p.path.split(": ")[-1] for p in report.review] == [short]
    assert "Vietnamese changed after the export" in str(report.review[0])
    assert new_vi in registry.read_text(encoding="utf-8")
    data = yaml.safe_load(registry.read_text(encoding="utf-8"))
    assert data["parties"]["kh-kampot-sfdcm"]["short_name"] == {"vi": new_vi}  # not written
    kept = load_state(registry).review["km"]["parties.kh-kampot-sfdcm.short_name"]
    assert kept.proposal == normal(texts[short])

    job = collect(content, "km", TEMPLATES)
    assert [(u.id, u.state) for u in job.missing] == [(short, "review")]
    again = export(content, "km", tmp_path / "x2")[".xlf"].read_text(encoding="utf-8")
    assert again.count("<trans-unit ") == 1 and "older Vietnamese" in again
    back = tmp_path / "back2.xlf"
    fill_xliff(tmp_path / "x2" / "2023-11-16_translate_vi-km.xlf", back, texts)
    content_untouched = unchanged(content)
    report = import_translations(content, back, TEMPLATES)
    assert report.filled == [short] and not report.review
    assert content_untouched()  # only the registry had something to take
    assert collect(content, "km", TEMPLATES).missing == []

    # corrected after the import: every content file naming the entry offers it again
    sibling = content.with_name("2023-12-01.yaml")
    shutil.copy(content, sibling)
    text = registry.read_text(encoding="utf-8")
    assert "{vi: TỈNH KAMPOT, km:" in text
    registry.write_text(text.replace("{vi: TỈNH KAMPOT,", "{vi: TỈNH KAMPOT (CAMPUCHIA),"), "utf-8")
    body = "registry:parties.kh-kampot-sfdcm.header.body"
    for file in (content, sibling):
        missing = collect(file, "km", TEMPLATES).missing
        assert [(u.id, u.state) for u in missing] == [(body, "changed")]
        assert missing[0].target == normal(texts[body])  # the old translation, to adjust


def test_nothing_is_written_when_the_import_is_refused(tmp_path: Path) -> None:
    content, registry = clerk_folder(KM_EXAMPLE, "km", KAMPOT_SIDE, tmp_path / "c")
    texts = translations(KM_EXAMPLE, "km") | registry_translations("km")
    sent = export(content, "km", tmp_path / "x")[".xlf"]
    listing = sorted(p.name for p in (tmp_path / "c").iterdir())
    same = unchanged(content, registry)

    lao = tmp_path / "lao.xlf"
    fill_xliff(sent, lao, texts)
    lao.write_bytes(lao.read_bytes().replace(b'target-language="km"', b'target-language="lo"'))
    with pytest.raises(ContentError, match="cannot translate into 'lo'"):
        import_translations(content, lao, TEMPLATES)

    # a registry name no font can print: the result would not build, so neither file changes
    bad = tmp_path / "bad.xlf"
    fill_xliff(sent, bad, texts | {"registry:places.kampot.name": "កំពត\U0001f600"})
    with pytest.raises(ContentError, match=r"invalid after the import.*registry\.yaml") as caught:
        import_translations(content, bad, TEMPLATES)
    assert ".import-check-" not in str(caught.value)  # named by the real file, not the copy
    assert same(), "the content file or the registry was touched"
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == listing  # no state, no leftovers


def test_cli_counts_agree_with_the_draft_and_import_in_vietnamese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hint, the draft build and the export count the same gaps; the import says, in the
    clerk's language, what went into the registry."""
    # the partner's party, place and its signer's titles (a signer's name left out: see report)
    entries = (("parties", "kh-kampot-sfdcm"), ("places", "kampot"))
    content, registry = clerk_folder(KM_EXAMPLE, "km", entries, tmp_path / "c")
    text = registry.read_text(encoding="utf-8")
    registry.write_text(
        text.replace(
            "        km: អនុប្រធានប្រចាំការគណៈកម្មាធិការរណសិរ្សសាមគ្គីអភិវឌ្ឍន៍មាតុភូមិកម្ពុជាខេត្តកំពត\n",
            "",
        ),
        "utf-8",
    )
    runner = CliRunner()
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    draft = ["build", str(content), "--draft", "--format", "docx", "--out", str(tmp_path / "b")]
    result = runner.invoke(app, draft)
    assert result.exit_code == 0, result.output
    marked = int(re.search(r"draft: (\d+) missing translation", result.output).group(1))
    hinted = int(re.search(r"→ (\d+) 'km' translation\(s\) missing", result.output).group(1))
    assert marked == hinted == 41 + 6  # the content's 41 and the registry's 6
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["translate", "export", str(content), "--to", "km", "--only-missing", "--out", str(out)],
    )
    assert result.exit_code == 0 and f"{marked} text(s) to translate" in result.output
    assert f"6 of them from the shared registry {registry}" in result.output

    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    returned = tmp_path / "back.docx"
    names = registry_translations("km", (*entries, ("people", "duong-savan")))
    fill_table(
        out / "2023-11-16" / "2023-11-16_translate_vi-km.docx",
        returned,
        translations(KM_EXAMPLE, "km") | names,
    )
    result = runner.invoke(app, ["translate", "import", str(content), str(returned)])
    assert result.exit_code == 0, result.output
    assert f"ghi vào sổ đăng ký dùng chung {registry}: 6 đoạn mới điền" in result.output
    assert "registry:people.duong-savan.titles[0]" in result.output
    assert registry.read_text(encoding="utf-8") == SHIPPED_REGISTRY

    doctype = tmp_path / "doctype.xlf"
    doctype.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE xliff SYSTEM "http://example.org/xliff.dtd">\n'
        '<xliff version="1.2"/>',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["translate", "import", str(content), str(doctype)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{doctype}:2: tệp XLIFF có khai báo DOCTYPE" in result.output
    assert "xuất lại tệp đã dịch" in result.output


@pytest.mark.parametrize("tool", ["omegat", "translate-toolkit"])
def test_registry_units_through_real_tools(tmp_path: Path, tool: str) -> None:
    """OmegaT and translate-toolkit (Weblate's XLIFF engine) read the registry's group like
    any other units and write it back; the names land in the registry."""
    content, registry = clerk_folder(LO_EXAMPLE, "lo", ATTAPEU_SIDE, tmp_path / "c")
    texts = translations(LO_EXAMPLE, "lo") | registry_translations("lo", ATTAPEU_SIDE)
    job = collect(content, "lo", TEMPLATES)
    sent = export(content, "lo", tmp_path / "x")[".xlf"]
    if tool == "omegat":
        memory = {unit.source: normal(texts[unit.id]) for unit in job.missing}
        returned = omegat_translate(sent, "lo", memory, tmp_path / "omegat")
    else:
        from translate.storage.xliff import xlifffile

        store = xlifffile.parsefile(str(sent))
        units = [u for u in store.units if not u.isheader()]
        assert {u.xmlelement.get("id") for u in units} == set(texts)
        for unit in units:
            unit.target = texts[unit.xmlelement.get("id")]
        returned = tmp_path / "weblate.xlf"
        store.savefile(str(returned))
    report = import_translations(content, returned, TEMPLATES)
    assert not report.review and not report.empty and len(report.filled) == len(texts)
    assert registry.read_text(encoding="utf-8") == SHIPPED_REGISTRY
    load_content(content, TEMPLATES)


def test_the_registry_is_put_back_when_the_content_file_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two files are replaced one after the other: a failure on the second (a full disk,
    a file locked by Word on a shared drive) puts the first back, so they never disagree."""
    from kbc_docs.errors import OutputError
    from kbc_docs.translate import merge
    from kbc_docs.write import os_problem

    content, registry = clerk_folder(KM_EXAMPLE, "km", KAMPOT_SIDE, tmp_path / "c")
    texts = translations(KM_EXAMPLE, "km") | registry_translations("km")
    returned = tmp_path / "back.xlf"
    fill_xliff(export(content, "km", tmp_path / "x")[".xlf"], returned, texts)
    before = content.read_bytes(), registry.read_bytes()
    written = []

    def refusing(path: Path, data: bytes) -> None:
        if path == content:  # what write_file raises for a full disk
            raise OutputError([os_problem(OSError(errno.ENOSPC, "No space left"), path, True)])
        written.append(path)
        path.write_bytes(data)

    monkeypatch.setattr(merge, "write_file", refusing)
    with pytest.raises(OutputError, match="no space left on the disk") as caught:
        import_translations(content, returned, TEMPLATES)
    assert caught.value.problems[0].file == content
    assert written == [registry, registry]  # written, then put back
    assert (content.read_bytes(), registry.read_bytes()) == before
    assert not state_file(content).exists() and not state_file(registry).exists()


def test_a_new_files_empty_texts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``kbc-docs new`` leaves texts empty (``""``) in the content file and the registry it
    writes. A text whose Vietnamese is still empty is nothing to translate; one whose Khmer is
    left "" is a missing translation, which the hint, the export and the import handle like a
    missing key — and the draft's dotted space never becomes a term or a source."""
    monkeypatch.setenv("LANG", "C.UTF-8")
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    runner = CliRunner()
    content = tmp_path / "c" / "2025.yaml"
    content.parent.mkdir()
    assert runner.invoke(app, ["new", str(content)]).exit_code == 0
    registry = content.with_name("registry.yaml")
    empty_name = '    name: {vi: "", km: ""}\n'
    text = registry.read_text(encoding="utf-8")
    assert text.count("  ben-ban:\n") == 1 and empty_name in text.split("  ben-ban:\n")[1]
    head, tail = text.split("  ben-ban:\n")
    tail = tail.replace(empty_name, '    name: {vi: Chính quyền tỉnh Kampot, km: ""}\n', 1)
    registry.write_text(f"{head}  ben-ban:\n{tail}", encoding="utf-8")
    written = content.read_text(encoding="utf-8")
    assert '  title: {vi: "", km: ""}' in written
    content.write_text(
        written.replace('  title: {vi: "", km: ""}', '  title: {vi: "Sơ kết 01 năm", km: ""}', 1),
        encoding="utf-8",
    )

    result = runner.invoke(app, ["validate", str(content), "--draft"])
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert "→ 2 'km' translation(s) missing" in result.output
    job = collect(content, "km", TEMPLATES)
    assert [(u.id, u.state) for u in job.units] == [
        ("document.title", "missing"),
        ("registry:parties.ben-ban.name", "missing"),
    ]
    exported = export(content, "km", tmp_path / "x")
    glossary = exported[".xlf"].with_name("2025_glossary_vi-km.tbx").read_text(encoding="utf-8")
    assert "……" not in glossary and "……" not in exported[".xlf"].read_text(encoding="utf-8")

    returned = tmp_path / "back.xlf"
    fill_xliff(
        exported[".xlf"],
        returned,
        {"document.title": "បូកសរុបបឋម", "registry:parties.ben-ban.name": "រដ្ឋបាលខេត្តកំពត"},
    )
    report = import_translations(content, returned, TEMPLATES)
    assert len(report.filled) == 2 and report.registry == registry
    data = yaml.safe_load(registry.read_text(encoding="utf-8"))
    assert data["parties"]["ben-ban"]["name"] == {
        "vi": "Chính quyền tỉnh Kampot",
        "km": "រដ្ឋបាលខេត្តកំពត",
    }
    assert data["parties"]["ben-viet-nam"]["name"] == {"vi": "", "km": ""}  # not touched
    assert collect(content, "km", TEMPLATES).missing == []
