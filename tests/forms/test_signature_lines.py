"""Where a signature block's lines break, and how a draft marks a missing name in it, in the
built PDF and Word files.

Decree 30 writes "TM. BAN THƯỜNG TRỰC" on one line; where a block is too narrow for it (the
three-party example), a clerk breaks between whole phrases: after the authority word, never
inside "THƯỜNG TRỰC", never after the first word of the body's name ("ỦY BAN MẶT TRẬN …").
The Word file carries the same rule as NO-BREAK SPACEs, which Word and LibreOffice honour.

A draft prints a missing Khmer or Lao name as a marker and the Vietnamese name; in a Khmer block
it is bold like the Muol lines beside it (as Word prints it), and the line may break between the
marker and the name (a three-party Lao page would otherwise not build).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml
from kbc_docs.pipeline import BuildOptions, build
from kbc_docs.text.segment import NBSP
from support.form_pages import (
    CONTENT,
    KM_EXAMPLE,
    LO_EXAMPLE,
    PT_PER_MM,
    TEMPLATES,
    WordDocument,
    copy_content,
    pdf_lines,
    text_of,
    w,
)

pytestmark = pytest.mark.slow  # builds whole documents; `pytest -m 'not slow'` skips it

LEFT, TEXT_WIDTH = 30 * PT_PER_MM, 165 * PT_PER_MM  # the page's text area (style.css @page)
PHRASES = [
    tuple(p.upper().split())
    for p in yaml.safe_load((TEMPLATES / "locale/vi.yaml").read_text(encoding="utf-8"))[
        "unbreakable"
    ]
]


def block_lines(pdf: Path, signers: int) -> list[list[str]]:
    """The heads (authority and title lines) of each signature block on the signing PDF's
    first page, left to right: a column of the signers' table read on its own, from its
    authority line down to the room left for the signature."""
    blocks = []
    for i in range(signers):
        x0 = LEFT + TEXT_WIDTH * i / signers
        lines = pdf_lines(pdf, (x0, x0 + TEXT_WIDTH / signers))[0]
        at = next(n for n, ln in enumerate(lines) if ln.text.startswith(("TM.", "ĐẠI")))
        block = [lines[at]]
        for line in lines[at + 1 :]:
            if line.top - block[-1].bottom > 10:  # the room for the signature
                break
            block.append(line)
        blocks.append([ln.text.replace(NBSP, " ") for ln in block])
    return blocks


def split_phrases(lines: list[str]) -> list[tuple[str, str]]:
    """Each place where the block's lines break inside a set phrase of the language file."""
    cut = []
    for above, below in itertools.pairwise(lines):
        a, b = above.split(), below.split()
        for phrase in PHRASES:
            for k in range(1, len(phrase)):
                if tuple(a[-k:]) == phrase[:k] and tuple(b[: len(phrase) - k]) == phrase[k:]:
                    cut.append((above, below))
    return cut


def test_three_party_column_breaks_between_whole_phrases(built_example) -> None:  # type: ignore[no-untyped-def]
    _, outputs = built_example(LO_EXAMPLE)
    mttq, attapeu, sekong = block_lines(outputs["signing.pdf"], 3)
    # Too narrow for "TM. BAN THƯỜNG TRỰC": the word on its line, the body whole below it.
    assert mttq == ["TM.", "BAN THƯỜNG TRỰC", "CHỦ TỊCH"]
    for block in (attapeu, sekong):
        assert block[0] == "ĐẠI DIỆN"
        assert block[1].startswith("ỦY BAN MẶT TRẬN")  # not split after its first word
        assert split_phrases(block) == [], block
    assert attapeu[-2:] == ["TỈNH ATTAPEU", "CHỦ TỊCH"]
    assert sekong[-3:] == ["TỈNH SEKONG", "PHÓ CHỦ TỊCH", "THƯỜNG TRỰC"]
    # Word breaks where the PDF may: at the plain spaces left, nowhere inside a phrase.
    paragraphs = {text_of(p) for p in WordDocument(outputs["signing.docx"]).body.iter(w("p"))}
    assert f"TM. BAN{NBSP}THƯỜNG{NBSP}TRỰC" in paragraphs
    attapeu_line = (
        f"ĐẠI{NBSP}DIỆN ỦY{NBSP}BAN{NBSP}MẶT{NBSP}TRẬN LÀO XÂY{NBSP}DỰNG ĐẤT{NBSP}NƯỚC "
        f"TỈNH{NBSP}ATTAPEU"
    )
    assert attapeu_line in paragraphs
    assert f"PHÓ{NBSP}CHỦ{NBSP}TỊCH THƯỜNG{NBSP}TRỰC" in paragraphs


def test_two_party_blocks_keep_the_authority_line_whole_where_it_fits(built_example) -> None:  # type: ignore[no-untyped-def]
    _, outputs = built_example(KM_EXAMPLE)
    mttq, kampot = block_lines(outputs["signing.pdf"], 2)
    assert mttq == ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"]
    assert kampot[0].startswith("ĐẠI DIỆN ỦY BAN MẶT TRẬN")
    assert split_phrases(kampot) == [], kampot


def test_a_body_too_long_for_the_line_goes_whole_below_the_word(built_example) -> None:  # type: ignore[no-untyped-def]
    """ "ĐẠI DIỆN CHÍNH QUYỀN TỈNH KAMPOT" is too long for a block of two: the body's name goes
    whole to the next line, in both files, never "ĐẠI DIỆN CHÍNH QUYỀN" above "TỈNH KAMPOT"."""
    _, outputs = built_example(CONTENT / "2024-03-25.yaml")
    _, kampot = block_lines(outputs["signing.pdf"], 2)
    assert kampot[:2] == ["ĐẠI DIỆN", "CHÍNH QUYỀN TỈNH KAMPOT"]
    paragraphs = {text_of(p) for p in WordDocument(outputs["signing.docx"]).body.iter(w("p"))}
    assert f"ĐẠI{NBSP}DIỆN CHÍNH{NBSP}QUYỀN{NBSP}TỈNH{NBSP}KAMPOT" in paragraphs


MISSING = {  # the registry's names whose Khmer or Lao is taken out, by example
    KM_EXAMPLE: ("km", ["Lê Thị Vệ", "Đuông Savan"]),
    LO_EXAMPLE: ("lo", ["Trần Minh Khang", "Bounmy Phommavong", "Somsack Keomany"]),
}


def draft_without_names(example: Path, folder: Path) -> tuple[str, list[str], dict[str, Path]]:
    """A draft of ``example`` whose signers' names lack their partner-language text."""
    lang, names = MISSING[example]
    content = copy_content(example, folder / "content")
    registry = content.parent / "registry.yaml"
    data = yaml.safe_load(registry.read_text(encoding="utf-8"))
    for person in data["people"].values():
        if person["name"]["vi"] in names:
            del person["name"][lang]
    registry.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    files = build(content, BuildOptions(out=folder / "out", templates=TEMPLATES, draft=True))
    return lang, names, {f"{f.stem.split('_')[-2]}{f.suffix}": f for f in files}


@pytest.mark.parametrize("example", list(MISSING), ids=lambda p: p.stem)
def test_a_missing_name_is_marked_in_the_weight_of_the_name(example: Path, tmp_path: Path) -> None:
    lang, names, outputs = draft_without_names(example, tmp_path)
    marker = f"⟦THIẾU BẢN DỊCH {lang}⟧"
    # Word: the name whole, a line break allowed after the marker, bold.
    word = WordDocument(outputs["signing.docx"])
    marked = [p for p in word.body.iter(w("p")) if text_of(p).startswith(marker)]
    assert sorted(text_of(p) for p in marked) == sorted(
        f"{marker} {name.replace(' ', NBSP)}" for name in names
    )
    assert all(run["bold"] for p in marked for run in word.run_props(p))
    # PDF: every letter of the marker and the name drawn in the bold Latin face, on the
    # partner version's signing page, whatever the line it ends on.
    lines = [
        line
        for page in pdf_lines(outputs["signing.pdf"])
        for line in page
        if "THIẾU" in line.text or any(name in line.text.replace(NBSP, " ") for name in names)
    ]
    printed = " ".join(line.text for line in lines).replace(NBSP, " ")
    assert printed.count(marker) == len(names), printed
    assert all(name in printed for name in names), printed
    latin = [c for line in lines for c in line.chars if c["text"].strip() and c["text"].isascii()]
    assert {c["fontname"].split("+")[-1] for c in latin} == {"Tinos-Bold"}, printed
