"""Importing what translators really send back: CAT-tool XLIFF, edited Word tables, late
changes to the Vietnamese, and files that must be refused with the content file untouched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from kbc_docs.cli import app
from kbc_docs.content import schema
from kbc_docs.content.load import load_yaml
from kbc_docs.content.resolve import load_content
from kbc_docs.content.texts import iter_texts
from kbc_docs.errors import ContentError
from kbc_docs.translate.export import export_files
from kbc_docs.translate.merge import import_translations
from kbc_docs.translate.state import load_state, normal
from kbc_docs.translate.texts import collect
from lxml import etree
from support.translation import (
    KM_EXAMPLE,
    LO_EXAMPLE,
    XLIFF,
    fill_table,
    fill_xliff,
    omegat_translate,
    translations,
    untranslated,
)
from typer.testing import CliRunner

TEMPLATES = None  # the default templates and language files, as a plain build
KBC = "urn:kbc-docs:translate:1"


def exported(
    content: Path, lang: str, folder: Path, suffix: str, only_missing: bool = True
) -> Path:
    job = collect(content, lang, TEMPLATES)
    units = job.missing if only_missing else job.units
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in export_files(job, units, ("xliff", "docx")).items():
        (folder / name).write_bytes(data)
    return next(folder.glob(f"*_translate_*{suffix}"))


def texts_in(content: Path, lang: str) -> dict[str, str]:
    """The ``lang`` texts the content file holds now."""
    model = schema.Content.model_validate(load_yaml(content).data)
    return {p: normal(t[lang]) for p, t in iter_texts(model, "") if lang in t}


def _segments(text: str) -> list[str]:
    """Sentences the way a CAT tool's segmenter cuts them (after ។ or .)."""
    return [s for s in re.split(r"(?<=[។.])\s+", text) if s]


def as_cat_tool_writes_it(exported_xliff: Path, returned: Path, texts: dict[str, str]) -> None:
    """The shape memoQ/Trados/OmegaT give an XLIFF 1.2 back in: our extension attribute gone,
    ``<seg-source>`` and ``<mrk mtype="seg">`` per sentence, inline codes the tool added,
    re-indented white space, alternative translations and comments."""
    tree = etree.parse(str(exported_xliff))
    q = f"{{{XLIFF}}}"
    file = tree.getroot()[0]  # tools write regional language tags and the path they saw
    file.set("source-language", "vi-VN")
    file.set("target-language", "km-KH")
    file.set("original", "C:\\Users\\dich\\Documents\\" + file.get("original"))
    for number, unit in enumerate(tree.iter(f"{q}trans-unit")):
        unit.attrib.pop(f"{{{KBC}}}hash")
        unit.set("approved", "yes")
        unit.remove(unit.find(f"{q}target"))  # the copy of the source we exported
        source = unit.find(f"{q}source")
        seg_source = etree.Element(f"{q}seg-source")
        for mid, sentence in enumerate(_segments(source.text)):
            mrk = etree.SubElement(seg_source, f"{q}mrk", mtype="seg", mid=str(mid))
            mrk.text = sentence
            mrk.tail = " "
        source.addnext(seg_source)
        target = etree.Element(f"{q}target", state="translated")
        target.text = "\n          "
        for mid, sentence in enumerate(_segments(texts[unit.get("id")])):
            mrk = etree.SubElement(target, f"{q}mrk", mtype="seg", mid=str(mid))
            words = sentence.split(" ")
            if number % 3 == 0 and len(words) > 1:  # a word the tool kept formatting on
                mrk.text = ""
                g = etree.SubElement(mrk, f"{q}g", id=f"g{mid}", ctype="bold")
                g.text = words[0]
                g.tail = " " + " ".join(words[1:])
            elif number % 3 == 1:  # a native code pair and an empty placeholder
                bpt = etree.SubElement(mrk, f"{q}bpt", id="1")
                bpt.text = "<i>"
                bpt.tail = sentence
                ept = etree.SubElement(mrk, f"{q}ept", id="1")
                ept.text = "</i>"
                etree.SubElement(mrk, f"{q}x", id="2")
            else:
                mrk.text = sentence
            mrk.tail = "\n          "
        target.append(etree.Comment(" checked by the reviser "))
        seg_source.addnext(target)
        alt = etree.SubElement(unit, f"{q}alt-trans", origin="tm")
        etree.SubElement(alt, f"{q}target").text = "សាកល្បង"  # a TM proposal, not the answer
    tree.write(str(returned), xml_declaration=True, encoding="UTF-8")


def test_xliff_as_a_cat_tool_writes_it(tmp_path: Path) -> None:
    content = untranslated(KM_EXAMPLE, "km", tmp_path / "c")
    texts = translations(KM_EXAMPLE, "km")
    returned = tmp_path / "memoq.xlf"
    as_cat_tool_writes_it(exported(content, "km", tmp_path / "x", ".xlf"), returned, texts)
    assert b'<mrk mtype="seg"' in returned.read_bytes() and b"kbc:hash" not in returned.read_bytes()
    report = import_translations(content, returned, TEMPLATES)
    assert not report.review and len(report.filled) == len(texts)
    assert texts_in(content, "km") == {p: normal(t) for p, t in texts.items()}
    load_content(content, TEMPLATES)  # complete


@pytest.mark.parametrize(("example", "lang"), [(KM_EXAMPLE, "km"), (LO_EXAMPLE, "lo")])
def test_xliff_translated_in_omegat(tmp_path: Path, example: Path, lang: str) -> None:
    """A real CAT tool: OmegaT opens the exported XLIFF, fills it from its memory and writes
    the translated XLIFF, which imports into a complete content file."""
    content = untranslated(example, lang, tmp_path / "c")
    texts = translations(example, lang)
    job = collect(content, lang, TEMPLATES)
    memory = {unit.source: normal(texts[unit.id]) for unit in job.missing}
    sent = exported(content, lang, tmp_path / "x", ".xlf")
    returned = omegat_translate(sent, lang, memory, tmp_path / "omegat")
    assert returned.read_bytes() != sent.read_bytes()
    report = import_translations(content, returned, TEMPLATES)
    assert not report.review and not report.empty and len(report.filled) == len(texts)
    assert texts_in(content, lang) == {p: normal(t) for p, t in texts.items()}
    load_content(content, TEMPLATES)  # complete: builds without --draft


@pytest.mark.parametrize(("example", "lang"), [(KM_EXAMPLE, "km"), (LO_EXAMPLE, "lo")])
def test_xliff_through_translate_toolkit(tmp_path: Path, example: Path, lang: str) -> None:
    """translate-toolkit is the XLIFF engine Weblate reads and writes files with: it sees our
    units (ids, sources, notes, states) and its saved file imports complete."""
    from translate.storage.xliff import xlifffile

    content = untranslated(example, lang, tmp_path / "c")
    texts = translations(example, lang)
    store = xlifffile.parsefile(str(exported(content, lang, tmp_path / "x", ".xlf")))
    units = [u for u in store.units if not u.isheader()]
    assert store.getsourcelanguage() == "vi" and store.gettargetlanguage() == lang
    assert [u.xmlelement.get("id") for u in units] == list(texts)
    assert all(not u.istranslated() for u in units)  # the copied source is not a translation
    by_id = {u.xmlelement.get("id"): u for u in units}
    assert by_id["background[0]"].getnotes().startswith("Tình hình chung — đoạn 1\n")
    for unit in units:
        unit.target = texts[unit.xmlelement.get("id")]
        unit.markapproved(True)
    returned = tmp_path / "weblate.xlf"
    store.savefile(str(returned))
    report = import_translations(content, returned, TEMPLATES)
    assert not report.review and len(report.filled) == len(texts)
    load_content(content, TEMPLATES)  # complete

    full = xlifffile.parsefile(str(exported(content, lang, tmp_path / "y", ".xlf", False)))
    assert all(u.istranslated() for u in full.units if not u.isheader())


def test_xliff_2_is_read_too(tmp_path: Path) -> None:
    """A tool that converted our file to XLIFF 2.x: units, segments, ignorables, <pc>, <cp>."""
    content = untranslated(LO_EXAMPLE, "lo", tmp_path / "c")
    texts = translations(LO_EXAMPLE, "lo")
    job = collect(content, "lo", TEMPLATES)
    units = []
    for i, unit in enumerate(job.missing):
        first, _, rest = texts[unit.id].partition(" ")
        target = f'<pc id="p{i}">{first}</pc> {rest}' if rest else first
        units.append(
            f'<unit id="u{i}" name="{unit.id}"><segment><source>{unit.source}</source>'
            f"<target>{target}</target></segment><ignorable><source> </source>"
            f'<target><cp hex="200B"/></target></ignorable></unit>'
        )
    returned = tmp_path / "v2.xlf"
    returned.write_text(
        '<?xml version="1.0"?><xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" '
        'version="2.1" srcLang="vi" trgLang="lo">'
        f'<file id="f1" original="{content.name}">{"".join(units)}</file></xliff>',
        encoding="utf-8",
    )
    report = import_translations(content, returned, TEMPLATES)
    assert not report.review and len(report.filled) == len(texts)
    got = texts_in(content, "lo")
    assert all(got[p] == normal(t) + "\u200b" for p, t in texts.items())


def test_vietnamese_changed_after_export_is_kept_for_review(tmp_path: Path) -> None:
    content = untranslated(KM_EXAMPLE, "km", tmp_path / "c")
    texts = translations(KM_EXAMPLE, "km")
    sent = exported(content, "km", tmp_path / "x1", ".xlf")
    # the clerk corrects a paragraph while the translator works
    text = content.read_text(encoding="utf-8")
    content.write_text(text.replace("Hai tỉnh phối hợp", "Hai tỉnh đã phối hợp", 1), "utf-8")
    returned = tmp_path / "back.xlf"
    fill_xliff(sent, returned, texts)
    report = import_translations(content, returned, TEMPLATES)
    changed = "results[0].paragraphs[0]"
    assert [p.path.split(": ")[-1] for p in report.review] == [changed]
    assert "Vietnamese changed after the export" in str(report.review[0])
    assert changed not in texts_in(content, "km")  # not written over
    assert load_state(content).review["km"][changed].proposal == normal(texts[changed])

    job = collect(content, "km", TEMPLATES)
    assert [(u.id, u.state) for u in job.missing] == [(changed, "review")]
    again = exported(content, "km", tmp_path / "x2", ".xlf").read_text(encoding="utf-8")
    assert again.count("<trans-unit ") == 1 and 'state="needs-review-translation"' in again
    assert "older Vietnamese" in again  # the note tells the translator why
    back = tmp_path / "back2.xlf"
    fill_xliff(tmp_path / "x2" / Path(again and "2023-11-16_translate_vi-km.xlf"), back, texts)
    report = import_translations(content, back, TEMPLATES)
    assert report.filled == [changed] and not report.review
    assert collect(content, "km", TEMPLATES).missing == []
    assert load_state(content).review == {}


def test_vietnamese_changed_after_import_is_offered_again(tmp_path: Path) -> None:
    content = untranslated(KM_EXAMPLE, "km", tmp_path / "c")
    returned = tmp_path / "back.xlf"
    fill_xliff(
        exported(content, "km", tmp_path / "x", ".xlf"), returned, translations(KM_EXAMPLE, "km")
    )
    import_translations(content, returned, TEMPLATES)
    text = content.read_text(encoding="utf-8")
    content.write_text(text.replace("Nâng cao tinh thần", "Tiếp tục nâng cao tinh thần"), "utf-8")
    job = collect(content, "km", TEMPLATES)
    assert [(u.id, u.state) for u in job.missing] == [("directions[1]", "changed")]
    assert job.missing[0].target  # the old translation comes along for the translator to fix


def unchanged(content: Path):
    before = (content.read_bytes(), content.stat().st_mtime_ns)
    return lambda: (content.read_bytes(), content.stat().st_mtime_ns) == before


def refused(content: Path, returned: Path, match: str) -> None:
    same = unchanged(content)
    with pytest.raises(ContentError, match=match) as caught:
        import_translations(content, returned, TEMPLATES)
    assert same(), "the content file was touched"
    assert all(p.file is not None for p in caught.value.problems)


def test_refused_imports_leave_the_content_file_untouched(tmp_path: Path) -> None:
    content = untranslated(KM_EXAMPLE, "km", tmp_path / "c")
    texts = translations(KM_EXAMPLE, "km")
    sent = exported(content, "km", tmp_path / "x", ".xlf")
    good = tmp_path / "good.xlf"
    fill_xliff(sent, good, texts)

    other = content.with_name("2023-12-01.yaml")
    other.write_bytes(content.read_bytes())
    refused(other, good, r"made for 2023-11-16\.yaml, not 2023-12-01\.yaml; import it into")

    broken = tmp_path / "broken.xlf"
    broken.write_bytes(good.read_bytes()[:5000])
    refused(content, broken, "not a well-formed XLIFF file")

    html = tmp_path / "page.xlf"
    html.write_text("<html><body>hello</body></html>", encoding="utf-8")
    refused(content, html, r"not an XLIFF file \(it starts with <html>\)")

    old_word = tmp_path / "translated.doc"
    old_word.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    refused(content, old_word, r"neither an XLIFF nor a Word \(\.docx\) file")

    lao = tmp_path / "lao.xlf"
    lao.write_bytes(good.read_bytes().replace(b'target-language="km"', b'target-language="lo"'))
    refused(content, lao, "cannot translate into 'lo'")

    bomb = tmp_path / "entities.xlf"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        '<xliff version="1.2"><file original="2023-11-16.yaml" target-language="km">'
        "<body><trans-unit id='document.title'><source>x</source><target>&b;</target>"
        "</trans-unit></body></file></xliff>",
        encoding="utf-8",
    )
    refused(content, bomb, r"entities.xlf:1: the XLIFF declares a DOCTYPE .* export the transl")
    external = tmp_path / "external.xlf"  # an external entity: neither read nor "left empty"
    external.write_bytes(
        good.read_bytes().replace(
            b"?>\n", b'?>\n<!DOCTYPE xliff [<!ENTITY e SYSTEM "file:///etc/hostname">]>\n', 1
        )
    )
    text = external.read_text(encoding="utf-8")
    external.write_text(text.replace("</target>", "&e;</target>", 1), encoding="utf-8")
    refused(content, external, r"external.xlf:2: the XLIFF declares a DOCTYPE")


def _move_row(table, source: int, before: int) -> None:
    rows = table._tbl.tr_lst
    rows[before].addprevious(rows[source])


def test_word_table_rows_moved_deleted_or_added(tmp_path: Path) -> None:
    content = untranslated(KM_EXAMPLE, "km", tmp_path / "c")
    texts = translations(KM_EXAMPLE, "km")
    filled = tmp_path / "filled.docx"
    fill_table(exported(content, "km", tmp_path / "x", ".docx"), filled, texts)

    moved = tmp_path / "moved.docx"
    document = Document(str(filled))
    _move_row(document.tables[0], 6, 3)
    document.save(str(moved))
    refused(content, moved, "the rows were moved or deleted: table row")

    deleted = tmp_path / "deleted.docx"
    document = Document(str(filled))
    last = document.tables[0]._tbl.tr_lst[-1]
    last.getparent().remove(last)
    document.save(str(deleted))
    refused(content, deleted, "should have 41 text rows but has 40")

    added = tmp_path / "added.docx"
    document = Document(str(filled))
    row = document.tables[0].add_row()
    row.cells[2].text = "អត្ថបទបន្ថែម"
    document.save(str(added))
    refused(content, added, r"table row \d+ was added and holds text")

    not_ours = tmp_path / "letter.docx"
    Document().save(str(not_ours))
    refused(content, not_ours, "not a translation table made by 'kbc-docs translate export'")

    zipped = tmp_path / "archive.docx"
    import zipfile

    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("hello.txt", "hello")
    refused(content, zipped, "not a readable Word file")


def test_copied_source_and_wrong_script_are_not_written(tmp_path: Path) -> None:
    content = untranslated(KM_EXAMPLE, "km", tmp_path / "c")
    job = collect(content, "km", TEMPLATES)
    texts = {u.id: u.source for u in job.missing}  # the tool copied the source over
    texts["document.title"] = "Bản dịch tiếng Khmer"  # Vietnamese in the Khmer column
    texts["conference.venue"] = "សាលប្រជុំ"
    returned = tmp_path / "back.xlf"
    fill_xliff(exported(content, "km", tmp_path / "x", ".xlf"), returned, texts)
    report = import_translations(content, returned, TEMPLATES)
    assert report.filled == ["conference.venue"]
    assert [p.path.split(": ")[-1] for p in report.review] == ["document.title"]
    assert "has no 'km' letters" in str(report.review[0])
    assert len(report.empty) == len(job.missing) - 2


def test_cli_round_trip_and_hints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    content = untranslated(KM_EXAMPLE, "km", tmp_path / "c")
    runner = CliRunner()
    result = runner.invoke(app, ["validate", str(content)])
    assert result.exit_code == 1
    assert f"kbc-docs translate export {content} --to km --only-missing" in result.output
    draft = ["build", str(content), "--draft", "--format", "docx", "--out", str(tmp_path / "b")]
    result = runner.invoke(app, draft)
    assert result.exit_code == 0, result.output
    assert "41 'km' translation(s) missing" in result.output
    assert f"kbc-docs translate export {content} --to km --only-missing" in result.output

    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["translate", "export", str(content), "--to", "km", "--only-missing", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    folder = out / "2023-11-16"
    assert sorted(p.name for p in folder.iterdir()) == [
        "2023-11-16_glossary_vi-km.tbx",
        "2023-11-16_glossary_vi-km.txt",
        "2023-11-16_translate_vi-km.docx",
        "2023-11-16_translate_vi-km.xlf",
    ]
    returned = tmp_path / "back.docx"
    fill_table(folder / "2023-11-16_translate_vi-km.docx", returned, translations(KM_EXAMPLE, "km"))
    result = runner.invoke(app, ["translate", "import", str(content), str(returned), "--dry-run"])
    assert result.exit_code == 0 and "41 filled" in result.output and "dry run" in result.output
    assert "km:" not in content.read_text(encoding="utf-8")
    result = runner.invoke(app, ["translate", "import", str(content), str(returned)])
    assert result.exit_code == 0, result.output
    assert "41 filled, 0 changed" in result.output and "kbc-docs build" in result.output
    result = runner.invoke(
        app, ["translate", "export", str(content), "--to", "km", "--only-missing"]
    )
    assert result.exit_code == 0 and "nothing to translate" in result.output

    result = runner.invoke(app, ["translate", "import", str(content), str(tmp_path / "none.xlf")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    result = runner.invoke(app, ["translate", "export", str(content), "--to", "fr"])
    assert result.exit_code == 1 and "cannot translate into 'fr'" in result.output


def test_word_table_with_tracked_changes_and_line_breaks(tmp_path: Path) -> None:
    """A reviser with Track Changes on: insertions count, deletions do not; Enter and Shift+Enter
    inside a cell are spaces, as in the folded YAML; ids that were unhidden still work."""
    content = untranslated(KM_EXAMPLE, "km", tmp_path / "c")
    texts = translations(KM_EXAMPLE, "km")
    filled = tmp_path / "filled.docx"
    fill_table(exported(content, "km", tmp_path / "x", ".docx"), filled, texts)
    document = Document(str(filled))
    rows = {_row_id(row): row for row in document.tables[0].rows[1:] if _row_id(row)}
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    venue = rows["conference.venue"].cells[2].paragraphs[0]
    run = venue.runs[0]._r
    insertion = etree.SubElement(venue._p, f"{w}ins", {f"{w}id": "1", f"{w}author": "R"})
    insertion.append(run)  # the whole translation typed with Track Changes on
    deletion = etree.SubElement(venue._p, f"{w}del", {f"{w}id": "2", f"{w}author": "R"})
    gone = etree.SubElement(etree.SubElement(deletion, f"{w}r"), f"{w}delText")
    gone.text = "ពាក្យខុស"

    for row in rows.values():  # "show hidden text" on, and the ids made plain text
        for vanish in row.cells[0]._tc.iter(f"{w}vanish"):
            vanish.getparent().remove(vanish)

    cell = rows["directions[0]"].cells[2]
    words = texts["directions[0]"].split(" ")
    first = cell.paragraphs[0]
    for old in first.runs:
        first._p.remove(old._r)
    first.add_run(" ".join(words[:3])).add_break()  # Shift+Enter
    first.add_run(" ".join(words[3:6]))
    cell.add_paragraph(" ".join(words[6:]))  # Enter
    document.save(str(filled))

    report = import_translations(content, filled, TEMPLATES)
    assert not report.review and len(report.filled) == len(texts)
    got = texts_in(content, "km")
    assert got["conference.venue"] == normal(texts["conference.venue"])
    assert got["directions[0]"] == normal(texts["directions[0]"])


def _row_id(row) -> str:
    from kbc_docs.translate.table import _ID

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    found = _ID.search("".join(t.text or "" for t in row.cells[0]._tc.iter(f"{w}t")))
    return found.group(1) if found else ""


def test_windows_line_ends_byte_order_mark_and_permissions_are_kept(tmp_path: Path) -> None:
    content = untranslated(KM_EXAMPLE, "km", tmp_path / "c")
    windows = "\ufeff" + content.read_text(encoding="utf-8").replace("\n", "\r\n")
    content.write_bytes(windows.encode("utf-8"))
    content.chmod(0o640)
    returned = tmp_path / "back.xlf"
    texts = translations(KM_EXAMPLE, "km")
    fill_xliff(exported(content, "km", tmp_path / "x", ".xlf"), returned, texts)
    import_translations(content, returned, TEMPLATES)
    raw = content.read_bytes().decode("utf-8")
    assert raw.startswith("\ufeff") and raw.count("\n") == raw.count("\r\n") > 200
    assert content.stat().st_mode & 0o777 == 0o640  # replaced, permissions kept
    assert texts_in(content, "km") == {p: normal(t) for p, t in texts.items()}
