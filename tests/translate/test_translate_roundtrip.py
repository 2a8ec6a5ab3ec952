"""The whole round trip as a clerk and a translator live it, for Khmer and for Lao:
export what is missing → the translator fills it (CAT tool or Word) → import → the content file
builds without --draft, keeps its comments and layout, and a new export has nothing left."""

from __future__ import annotations

import difflib
import logging
from pathlib import Path

import pytest
from docx import Document
from kbc_docs.content.resolve import load_content
from kbc_docs.pipeline import BuildOptions, build
from kbc_docs.text.segment import unsegment
from kbc_docs.translate.export import export_files
from kbc_docs.translate.merge import import_translations
from kbc_docs.translate.state import normal, state_file
from kbc_docs.translate.texts import collect
from support.translation import (
    KM_EXAMPLE,
    LO_EXAMPLE,
    fill_table,
    fill_xliff,
    libreoffice_resave,
    translations,
    untranslated,
)

TEMPLATES = None  # the default templates and language files, as a plain build


def export(content: Path, lang: str, folder: Path, *, only_missing: bool = True) -> dict[str, Path]:
    """Run an export the way the command does; return suffix → written file."""
    job = collect(content, lang, TEMPLATES)
    units = job.missing if only_missing else job.units
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, data in export_files(job, units, ("xliff", "docx")).items():
        (folder / name).write_bytes(data)
        written[Path(name).suffix] = folder / name
    return written


def only_added_lines(before: str, after: str) -> list[str]:
    """Lines of ``before`` that ``after`` lost or changed (a flow mapping may gain a key)."""
    lost = [
        line[1:]
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
        if line.startswith("-") and not line.startswith("---")
    ]
    return [line for line in lost if not line.rstrip().endswith("}")]


@pytest.mark.parametrize(
    ("example", "lang", "via"),
    [
        (KM_EXAMPLE, "km", "xliff"),
        (KM_EXAMPLE, "km", "docx"),
        (LO_EXAMPLE, "lo", "xliff"),
        (LO_EXAMPLE, "lo", "docx"),
    ],
    ids=["khmer-xliff", "khmer-word-table", "lao-xliff", "lao-word-table"],
)
def test_export_fill_import_builds(
    tmp_path: Path, example: Path, lang: str, via: str, caplog: pytest.LogCaptureFixture
) -> None:
    content = untranslated(example, lang, tmp_path / "content")
    before = content.read_text(encoding="utf-8")
    with pytest.raises(Exception, match=f"missing the '{lang}' text"):
        load_content(content, TEMPLATES)

    exported = export(content, lang, tmp_path / "out")
    texts = translations(example, lang)
    assert len(collect(content, lang, TEMPLATES).missing) == len(texts)
    if via == "xliff":
        returned = tmp_path / "back.xlf"
        fill_xliff(exported[".xlf"], returned, texts)
    else:
        filled = tmp_path / "filled.docx"
        fill_table(exported[".docx"], filled, texts)
        returned = libreoffice_resave(filled, tmp_path / "resaved")  # Word or Writer saves it

    report = import_translations(content, returned, TEMPLATES)
    assert len(report.filled) == len(texts) and not report.review and not report.empty
    assert report.still_missing == 0

    after = content.read_text(encoding="utf-8")
    assert only_added_lines(before, after) == []  # comments, order, layout kept
    assert [x for x in after.splitlines() if x.lstrip().startswith("#")] == [
        x for x in before.splitlines() if x.lstrip().startswith("#")
    ]
    with caplog.at_level(logging.WARNING, logger="kbc_docs"):
        resolved, _ = load_content(content, TEMPLATES)  # no --draft: complete now
    assert caplog.records == []  # no Khmer/Lao folded over two lines: one line each
    from kbc_docs.content.texts import iter_texts

    got = {path: normal(text[lang]) for path, text in iter_texts(resolved.content, "")}
    assert got == {path: normal(text) for path, text in texts.items()}

    outputs = build(content, BuildOptions(out=tmp_path / "build", formats=("docx",)))
    assert outputs and all(p.stat().st_size > 10_000 for p in outputs)
    report_docx = next(p for p in outputs if "_report_" in p.name)
    body = "".join(p.text for p in Document(str(report_docx)).paragraphs)
    assert normal(texts["directions[0]"]).replace(" ", "")[:20] in unsegment(body.replace(" ", ""))

    again = collect(content, lang, TEMPLATES)
    assert again.missing == []  # a new --only-missing export lists nothing
    assert state_file(content).is_file()


def test_texts_carry_context_terms_and_hash(tmp_path: Path) -> None:
    content = untranslated(KM_EXAMPLE, "km", tmp_path / "content")
    job = collect(content, "km", TEMPLATES)
    paragraph = job.unit("results[0].paragraphs[1]")
    assert paragraph is not None and paragraph.state == "missing" and paragraph.target == ""
    assert paragraph.context == "Kết quả thực hiện — mục 1 «Công tác tuyên truyền», đoạn 2"
    figure = job.unit("results[2].figures[0].unit")
    assert figure is not None and figure.place == "mục 3 «Phân giới cắm mốc», đơn vị số liệu 1"
    signer = job.unit("parties[1].signer.title")
    assert signer is not None
    assert signer.context == "Thành phần — Ủy ban MTĐKPTTQ Campuchia tỉnh Kampot: chức vụ người ký"
    venue = job.unit("conference.venue")
    assert venue is not None
    assert ("Ủy ban MTTQ Việt Nam tỉnh Kiên Giang", "រណសិរ្សមាតុភូមិវៀតណាមខេត្តគៀនយ៉ាង") in [
        (t.source, t.target) for t in venue.terms
    ]
    # honorifics are matched as words only: "ông" is not found inside "không" or "công"
    assert all(t.source != "ông" for u in job.units for t in u.terms if "ông " not in u.source)
    sources = {(t.source, t.target) for t in job.glossary}
    assert ("Kampot", "កំពត") in sources  # registry
    assert ("Độc lập - Tự do - Hạnh phúc", "ជាតិ សាសនា ព្រះមហាក្សត្រ") in sources  # locale
    assert ("TM.", "តំណាង") in sources and ("decree30", "centred") not in sources
    lao = collect(LO_EXAMPLE, "lo", TEMPLATES)
    assert ("signatures", "top") not in {(t.source, t.target) for t in lao.glossary}  # a setting


def test_full_export_offers_existing_translations(tmp_path: Path) -> None:
    job = collect(KM_EXAMPLE, "km", TEMPLATES)
    assert job.missing == [] and all(u.target and u.state == "done" for u in job.units)
    xliff = export_files(job, job.units, ("xliff",))["2023-11-16_translate_vi-km.xlf"].decode()
    assert xliff.count("<trans-unit ") == len(job.units) == xliff.count('state="translated"')
    assert 'original="2023-11-16.yaml"' in xliff and 'target-language="km"' in xliff
