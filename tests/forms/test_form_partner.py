"""The partner versions' own official form, checked on the real examples.

Khmer (``content/2023-11-16.yaml``): the kingdom's title and motto centred at the top in Khmer OS
Muol Light, Khmer digits wherever Khmer is written (the document number's Latin code aside), the
lunar date line above the solar one, page numbers in Khmer digits. Lao (the three-party
``content/2024-10-08-attapeu-sekong.yaml``): the republic's title and motto centred at the top,
Phetsarath OT for the body, three signature blocks side by side on one page, never split, and
copies for each of the three parties. Khmer words cannot be read back from a WeasyPrint PDF, so
which text is where comes from WeasyPrint's layout (what the PDF is written from), and digits,
fonts and positions from the PDF itself.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from pathlib import Path

import pytest
from kbc_docs.text.segment import ZWSP
from kbc_docs.view import DocumentView, Para, Version
from support.form_pages import (
    A4_PT,
    KHMER,
    KM_EXAMPLE,
    LAO,
    LO_EXAMPLE,
    NS,
    PT_PER_MM,
    WordDocument,
    laid_out,
    pdf_chars,
    pdftotext_pages,
    squeeze,
    text_of,
    text_runs,
    version_groups,
    w,
)

pytestmark = pytest.mark.slow  # builds whole documents; `pytest -m 'not slow'` skips it


LEFT, RIGHT, TOP = 30 * PT_PER_MM, 15 * PT_PER_MM, 20 * PT_PER_MM
TEXT_CENTRE = (LEFT + A4_PT[0] - RIGHT) / 2
KHMER_DIGITS = "០១២៣៤៥៦៧៨៩"
MUOL = "Khmer-OS-Muol-Light"


@pytest.fixture(scope="module")
def khmer(built_example) -> tuple[DocumentView, dict[str, Path]]:  # type: ignore[no-untyped-def]
    return built_example(KM_EXAMPLE)


@pytest.fixture(scope="module")
def lao(built_example) -> tuple[DocumentView, dict[str, Path]]:  # type: ignore[no-untyped-def]
    return built_example(LO_EXAMPLE)


def partner(view: DocumentView) -> Version:
    version = view.versions[1]
    assert version.lang in ("km", "lo")
    return version


def latin_code(number: str | None) -> list[str]:
    """The Latin part of a document number ("BC-MTTQ-BTT" in "លេខ៖ ១២/BC-MTTQ-BTT")."""
    return re.findall(r"[A-Za-z][A-Za-z0-9.\-]*", number or "")


def fonts(chars: list[dict]) -> set[str]:
    return {c["fontname"].split("+", 1)[-1].rstrip(",") for c in chars if c["text"].strip()}


# ---------------------------------------------------------------- Khmer


def test_khmer_motto_block_centred_at_the_top_in_muol_light(khmer) -> None:  # type: ignore[no-untyped-def]
    view, outputs = khmer
    km = partner(view)
    first = version_groups(outputs["report.pdf"])[1][0]
    runs = [r for r in text_runs(laid_out(view, "report.html")) if r.page == first]
    title = next(r for r in runs if squeeze(r.text) == squeeze(km.national_title))
    motto = next(r for r in runs if squeeze(r.text) == squeeze(km.motto))
    assert title is runs[0]  # the first thing on the version's first page
    assert title.top < TOP + 5 * PT_PER_MM and motto.top > title.top
    for run in (title, motto):
        assert abs((run.x0 + run.x1) / 2 - TEXT_CENTRE) < 2
    # On the PDF: the glyphs of those two lines are Muol Light, centred.
    chars = pdf_chars(outputs["report.pdf"])[first]
    after = runs[runs.index(motto) + 1]
    for run, below in ((title, motto), (motto, after)):
        # The glyphs drawn between this line's top and the next line's.
        line = [c for c in chars if KHMER.match(c["text"]) and run.top <= c["top"] < below.top]
        assert line and fonts(line) == {MUOL}
        centre = (min(c["x0"] for c in line) + max(c["x1"] for c in line)) / 2
        assert abs(centre - TEXT_CENTRE) < 3
    # The Word file: the first paragraphs of the Khmer section, centred, in Muol Light.
    word = WordDocument(outputs["report.docx"])
    section = word.sections()[1]
    assert [text_of(p) for p in section[:2]] == [
        km.national_title.replace(ZWSP, ""),
        km.motto.replace(ZWSP, ""),
    ]
    for p in section[:2]:
        assert word.par_props(p)["jc"] == "center"
        for run in word.runs(p):
            assert run.find("w:rPr/w:rFonts", NS).get(w("cs")) == "Khmer OS Muol Light"


def test_khmer_issuing_bodies_in_muol_light_in_both_files(khmer) -> None:  # type: ignore[no-untyped-def]
    # Cambodian letters set the whole top-left block (superior body and issuing body) in the
    # heading face; the Word file must show what the PDF shows.
    view, outputs = khmer
    km = partner(view)
    names = [squeeze(n) for b in km.bodies for n in (b.superior, b.body) if n]
    assert names
    word = WordDocument(outputs["report.docx"])
    section = word.sections()[1]
    issuers = [p for p in section if squeeze(text_of(p)) in names]
    assert {squeeze(text_of(p)) for p in issuers} == set(names)
    for p in issuers:
        assert (word.style_of(p) or "").startswith("KBCIssuer")
        for run in word.runs(p):
            if KHMER.search(run.findtext("w:t", "", NS)):
                assert run.find("w:rPr/w:rFonts", NS).get(w("cs")) == "Khmer OS Muol Light"
    first = version_groups(outputs["report.pdf"])[1][0]
    runs = [r for r in text_runs(laid_out(view, "report.html")) if r.page == first]
    chars = pdf_chars(outputs["report.pdf"])[first]
    # Names wrap: every laid-out line that is part of a name, its glyphs as drawn in the PDF.
    lines = [r for r in runs if KHMER.search(r.text) and any(squeeze(r.text) in n for n in names)]
    assert "".join(squeeze(r.text) for r in lines) == "".join(names)
    for run in lines:
        below = min((r.top for r in runs if r.top > run.top), default=run.top + 30)
        line = [
            c
            for c in chars
            if KHMER.match(c["text"]) and run.top <= c["top"] < below and c["x0"] < run.x1
        ]
        assert line and fonts(line) == {MUOL}


def test_khmer_text_uses_khmer_digits(khmer) -> None:  # type: ignore[no-untyped-def]
    view, outputs = khmer
    km = partner(view)
    allowed = latin_code(km.number)

    def ascii_digits(text: str) -> list[str]:
        for code in allowed:
            text = text.replace(code, "")
        return re.findall(r"[0-9]+", text)

    assert [s for s in view.texts() if KHMER.search(s) and ascii_digits(s)] == []
    # The Word file: every paragraph of the Khmer section.
    word = WordDocument(outputs["report.docx"])
    section = [text_of(p) for p in word.sections()[1]]
    assert [t for t in section if ascii_digits(t)] == []
    # The PDFs: every page holding Khmer, page numbers included.
    for name in ("report.pdf", "signing.pdf"):
        pages = pdftotext_pages(outputs[name])
        groups = version_groups(outputs[name])
        assert groups[1], name
        for index in groups[1]:
            assert ascii_digits(pages[index]) == [], (name, index)
        digits = "".join(c for i in groups[1] for c in pages[i] if c in KHMER_DIGITS)
        assert len(digits) > 20


def test_khmer_lunar_date_above_the_solar_one(khmer) -> None:  # type: ignore[no-untyped-def]
    view, outputs = khmer
    km = partner(view)
    assert km.lunar_date and "ព.ស." in km.lunar_date
    for template, document in (("report.html", "report"), ("signing.html", "signing")):
        runs = text_runs(laid_out(view, template))
        lunar = [r for r in runs if squeeze(r.text) == squeeze(km.lunar_date)]
        solar = [r for r in runs if squeeze(r.text) == squeeze(km.date_line)]
        assert len(lunar) == 1 and len(solar) == 1, template
        assert lunar[0].page == solar[0].page
        assert 0 < solar[0].top - lunar[0].top < 30  # right above, the next line
        # On the PDF: the Buddhist Era year (lunar line) is drawn above the solar year.
        chars = pdf_chars(outputs[f"{document}.pdf"])[lunar[0].page]
        be = re.search(r"ព\.ស\.(\S+)", km.lunar_date)
        assert be
        for run, digits in ((lunar[0], be.group(1)), (solar[0], km.date_line[-4:])):
            line = "".join(c["text"] for c in chars if abs(c["top"] - run.top) < 8)
            assert digits in line, (template, digits)
    # The Word file: the lunar paragraph right before the solar one.
    word = WordDocument(outputs["report.docx"])
    section = [text_of(p) for p in word.sections()[1]]
    lunar_at = section.index(km.lunar_date.replace(ZWSP, ""))
    assert section[lunar_at + 1] == km.date_line.replace(ZWSP, "")


def test_khmer_date_lines_centred_on_each_other_in_both_files(khmer) -> None:  # type: ignore[no-untyped-def]
    # The Word file centres the lunar and the solar line (KBC Date Block); the PDF must not
    # set them flush right instead.
    view, outputs = khmer
    km = partner(view)
    for template in ("report.html", "signing.html"):
        runs = text_runs(laid_out(view, template))
        lines = [
            r for r in runs if squeeze(r.text) in (squeeze(km.lunar_date), squeeze(km.date_line))
        ]
        assert len(lines) == 2, template
        centres = [(r.x0 + r.x1) / 2 for r in lines]
        assert abs(centres[0] - centres[1]) < 2, (template, centres)
        assert all(c > TEXT_CENTRE for c in centres)  # over the right-hand part of the page
    for document in ("report.docx", "signing.docx"):
        word = WordDocument(outputs[document])
        dates = [
            p
            for p in word.sections()[1]
            if text_of(p) in (km.lunar_date.replace(ZWSP, ""), km.date_line.replace(ZWSP, ""))
        ]
        assert len(dates) == 2 and all(word.par_props(p)["jc"] == "center" for p in dates), document


def test_khmer_page_numbers_in_khmer_digits(khmer) -> None:  # type: ignore[no-untyped-def]
    _, outputs = khmer
    pages = pdf_chars(outputs["report.pdf"])
    group = version_groups(outputs["report.pdf"])[1]
    assert len(group) >= 2
    assert [c for c in pages[group[0]] if c["bottom"] <= TOP] == []
    for number, index in enumerate(group[1:], start=2):
        chars = [c for c in pages[index] if c["bottom"] <= TOP]
        expected = "".join(KHMER_DIGITS[int(d)] for d in str(number))
        assert "".join(c["text"] for c in chars) == expected
        assert all("Khmer" in f for f in fonts(chars))
        centre = (min(c["x0"] for c in chars) + max(c["x1"] for c in chars)) / 2
        assert abs(centre - TEXT_CENTRE) < 2


# ---------------------------------------------------------------- Lao


def test_lao_motto_block_centred_at_the_top(lao) -> None:  # type: ignore[no-untyped-def]
    view, outputs = lao
    lo = partner(view)
    first = version_groups(outputs["report.pdf"])[1][0]
    runs = [r for r in text_runs(laid_out(view, "report.html")) if r.page == first]
    assert squeeze(runs[0].text) == squeeze(lo.national_title)
    motto = [r for r in runs if squeeze(r.text) == squeeze(lo.motto)]
    assert motto and motto[0].top > runs[0].top
    for run in (runs[0], motto[0]):
        assert abs((run.x0 + run.x1) / 2 - TEXT_CENTRE) < 2
        assert run.top < TOP + 15 * PT_PER_MM
    chars = [c for c in pdf_chars(outputs["report.pdf"])[first] if LAO.match(c["text"])]
    top_line = [c for c in chars if abs(c["top"] - min(x["top"] for x in chars)) < 3]
    centre = (min(c["x0"] for c in top_line) + max(c["x1"] for c in top_line)) / 2
    assert abs(centre - TEXT_CENTRE) < 3
    word = WordDocument(outputs["report.docx"])
    section = word.sections()[1]
    assert [text_of(p) for p in section[:2]] == [
        lo.national_title.replace(ZWSP, ""),
        lo.motto.replace(ZWSP, ""),
    ]
    assert all(word.par_props(p)["jc"] == "center" for p in section[:2])


def test_lao_body_in_phetsarath(lao) -> None:  # type: ignore[no-untyped-def]
    view, outputs = lao
    lo = partner(view)
    group = version_groups(outputs["report.pdf"])[1]
    pages = pdf_chars(outputs["report.pdf"])
    # Lao at the body size: Phetsarath OT, but for the bold headings (the heading face).
    body = [
        c["fontname"].split("+")[-1]
        for i in group
        for c in pages[i]
        if LAO.match(c["text"]) and round(c["size"]) == 12
    ]
    assert set(body) - {"Phetsarath-OT"} <= {f for f in body if "Bold" in f}
    assert body.count("Phetsarath-OT") > 0.9 * len(body)
    word = WordDocument(outputs["report.docx"])
    texts = {p.text.replace(ZWSP, "") for p in lo.body if p.role == "body"}
    paragraphs = [p for p in word.sections()[1] if text_of(p) in texts]
    assert len(paragraphs) == len(texts)
    for p in paragraphs:
        for run in word.runs(p):
            if LAO.search("".join(t.text or "" for t in run.iter(w("t")))):
                assert run.find("w:rPr/w:rFonts", NS).get(w("cs")) == "Phetsarath OT"


def _signature_pages(view: DocumentView, template: str) -> dict[str, set[int]]:
    """Pages holding each party's signature block in the Lao version."""
    lo_pages = {r.page for r in text_runs(laid_out(view, template)) if r.lang == "lo" and r.party}
    pages: dict[str, set[int]] = {}
    for r in text_runs(laid_out(view, template)):
        if r.party and r.page in lo_pages:
            pages.setdefault(r.party, set()).add(r.page)
    return pages


def test_lao_three_signature_blocks_side_by_side_on_one_page(lao) -> None:  # type: ignore[no-untyped-def]
    view, outputs = lao
    lo = partner(view)
    assert len(lo.signers) == 3
    for template in ("report.html", "signing.html"):
        runs = [r for r in text_runs(laid_out(view, template)) if r.lang == "lo" and r.party]
        assert {r.party for r in runs} == {s.party for s in lo.signers}
        assert len({r.page for r in runs}) == 1, template
        names = [
            next(r for r in runs if squeeze(r.text) == squeeze(s.name) and r.party == s.party)
            for s in lo.signers
        ]
        assert max(r.top for r in names) - min(r.top for r in names) < 1  # names level
        # Authority lines level too: every block starts on the same line, as joint documents do.
        firsts = [min(r.top for r in runs if r.party == s.party) for s in lo.signers]
        assert max(firsts) - min(firsts) < 1, firsts
        spans = [(min(r.x0 for r in runs if r.party == s.party),
                  max(r.x1 for r in runs if r.party == s.party)) for s in lo.signers]  # fmt: skip
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))  # apart
    # The Word file: one table, a column per party, rows that never split.
    word = WordDocument(outputs["report.docx"])
    names = {s.name.replace(ZWSP, "") for s in lo.signers}
    (table,) = [
        t for t in word.body.iter(w("tbl")) if names <= {text_of(p) for p in t.iter(w("p"))}
    ]
    rows = table.findall("w:tr", NS)
    assert all(len(tr.findall("w:tc", NS)) == 3 for tr in rows)
    heads = rows[0].findall("w:tc/w:tcPr/w:vAlign", NS)
    assert [v.get(w("val")) for v in heads] == ["top"] * 3
    assert all(tr.find("w:trPr/w:cantSplit", NS) is not None for tr in rows)
    heads = rows[0].iter(w("p"))
    assert all(any(lv.find("w:keepNext", NS) is not None for lv in word.par_levels(p))
               for p in heads)  # fmt: skip


def test_lao_signature_blocks_never_split_across_pages(lao) -> None:  # type: ignore[no-untyped-def]
    """Push the blocks down across a page end, six lines at a time: they move whole.

    Six lines are less than the blocks' height, so one of the steps would cut them if the
    layout allowed it. Only the Lao version is laid out, to keep the test quick.
    """
    view, _ = lao
    lo = partner(view)
    filler = Para("body", "ແນວ​ລາວ​ສ້າງ​ຊາດ​ແຂວງ​ອັດຕະປື ແລະ ແຂວງ​ເຊກອງ.")
    pages_seen: list[int] = []
    for extra in range(0, 90, 6):
        longer = dataclasses.replace(lo, body=[*lo.body, *([filler] * extra)])
        variant = dataclasses.replace(view, languages=["lo"], versions=[longer])
        pages = _signature_pages(variant, "report.html")
        assert set(pages) == {s.party for s in lo.signers}
        block_pages = set().union(*pages.values())
        assert len(block_pages) == 1, f"{extra} extra lines: blocks split over {block_pages}"
        pages_seen.append(block_pages.pop())
        if pages_seen[-1] != pages_seen[0]:
            break
    assert pages_seen[-1] == pages_seen[0] + 1, "the filler should push the blocks a page on"


def test_lao_copies_clause_gives_each_party_one(lao) -> None:  # type: ignore[no-untyped-def]
    view, outputs = lao
    vi, lo = view.versions
    assert "thành 03 bản" in vi.closing and "mỗi bên giữ 01 bản" in vi.closing
    copies = re.search(r"ເປັນ (\d+) ສະບັບ", lo.closing.replace(ZWSP, ""))
    each = re.search(r"ໄວ້ (\d+) ສະບັບ", lo.closing.replace(ZWSP, ""))
    assert copies and int(copies.group(1)) == 3 == len(lo.signers)
    assert each and int(each.group(1)) == 1
    for name in ("report.docx", "signing.docx"):
        text = "".join(text_of(p) for p in WordDocument(outputs[name]).body.iter(w("p")))
        assert lo.closing.replace(ZWSP, "") in text and vi.closing in text


def test_lao_number_and_date_at_the_top_right_not_above_the_signatures(lao) -> None:  # type: ignore[no-untyped-def]
    """Lao government documents (docs/form-sources.md): issuing body at left, "ເລກທີ …" and
    "[place], ວັນທີ …" at right under the motto; the date is not printed again at the end."""
    view, outputs = lao
    lo = partner(view)
    assert lo.date_at_top and lo.number
    for template in ("report.html",):
        runs = [r for r in text_runs(laid_out(view, template)) if r.lang == "lo"]
        first = min(r.page for r in runs)
        date = [r for r in runs if squeeze(r.text) == squeeze(lo.date_line)]
        number = [r for r in runs if squeeze(r.text) == squeeze(lo.number)]
        kind = next(r for r in runs if squeeze(r.text) == squeeze(lo.kind))
        bodies = [r for r in runs if r.page == first and r.top < kind.top and r.x1 < TEXT_CENTRE]
        assert len(date) == 1 and len(number) == 1, (date, number)  # once, not at the end too
        assert date[0].page == number[0].page == kind.page == first
        assert number[0].top < date[0].top < kind.top  # number over date, both over the title
        assert min(r.x0 for r in (*date, *number)) > TEXT_CENTRE  # the right half
        assert bodies and min(r.top for r in bodies) <= number[0].top + 1  # level with the bodies
    # The Word file: the date in the header table's right cell, no date block before signing.
    word = WordDocument(outputs["report.docx"])
    section = [p for p in word.body.iter(w("p")) if squeeze(text_of(p)) == squeeze(lo.date_line)]
    assert len(section) == 1
    assert next(section[0].iterancestors(w("tc")), None) is not None
    assert word.style_of(section[0]) != "KBCDateBlock"


def test_khmer_date_stays_above_the_signatures(khmer) -> None:  # type: ignore[no-untyped-def]
    """Cambodian usage keeps the lunar and solar date lines just above the signatures."""
    view, _ = khmer
    km = partner(view)
    assert not km.date_at_top
    runs = [r for r in text_runs(laid_out(view, "report.html")) if r.lang == "km"]
    solar = next(r for r in runs if squeeze(r.text) == squeeze(km.date_line))
    kind = next(r for r in runs if squeeze(r.text) == squeeze(km.kind))
    assert (solar.page, solar.top) > (kind.page, kind.top)


# ---------------------------------------------------------------- both


@pytest.mark.parametrize("example", ["khmer", "lao"])
def test_several_issuing_bodies_a_line_apart_in_both_files(example: str, request) -> None:  # type: ignore[no-untyped-def]
    # Stacked without a gap, two bodies read as one four-line name (docs/form-sources.md).
    view, outputs = request.getfixturevalue(example)
    bodies = partner(view).bodies
    assert len(bodies) >= 2
    firsts = [squeeze(b.superior or b.body) for b in bodies]
    lasts = [squeeze(b.body) for b in bodies]
    word = WordDocument(outputs["report.docx"])
    section = word.sections()[1]
    texts = [squeeze(text_of(p)) for p in section]
    for before, after in zip(lasts[:-1], firsts[1:], strict=True):
        start = texts.index(before)
        end = texts.index(after, start)
        between = section[start + 1 : end]
        heights = [
            int(s.get(w("line"))) / 20
            for p in between
            for s in p.findall("w:pPr/w:spacing", NS)
            if s.get(w("lineRule")) == "exact" and not text_of(p).strip()
        ]
        assert heights and max(heights) >= 8, (before, after)  # an empty line, 8 pt or more
    first_page = version_groups(outputs["report.pdf"])[1][0]
    runs = [r for r in text_runs(laid_out(view, "report.html")) if r.page == first_page]
    names = firsts + lasts
    lines = [r for r in runs if squeeze(r.text) and any(squeeze(r.text) in n for n in names)]
    tops = sorted({round(r.top, 1) for r in lines})
    steps = [b - a for a, b in itertools.pairwise(tops)]
    apart = sorted(steps)[-(len(bodies) - 1) :]
    assert all(step >= min(steps) + 6 for step in apart), steps  # 8 pt (CSS) between bodies
