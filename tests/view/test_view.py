"""Who each side signs for, and dates inside sentences, in every version of the examples."""

from __future__ import annotations

from pathlib import Path

import pytest
from kbc_docs.text.locale import load_locale
from kbc_docs.text.segment import NBSP, unsegment
from kbc_docs.view import DocumentView
from support.form_pages import CONTENT, KM_EXAMPLE, LO_EXAMPLE, TEMPLATES, copy_content, view_of
from support.visible import visible


def authorities(view: DocumentView, lang: str) -> dict[str, str]:
    (version,) = [v for v in view.versions if v.lang == lang]
    return {s.party: visible(s.authority) for s in version.signers}


def test_each_side_of_the_khmer_example_names_the_body_it_signs_for(tmp_path: Path) -> None:
    view = view_of(copy_content(KM_EXAMPLE, tmp_path))
    assert authorities(view, "vi") == {
        "vn-kiengiang-mttq": "TM. BAN THƯỜNG TRỰC",
        "kh-kampot-sfdcm": "ĐẠI DIỆN ỦY BAN MẶT TRẬN ĐOÀN KẾT PHÁT TRIỂN TỔ QUỐC CAMPUCHIA"
        " TỈNH KAMPOT",
    }
    assert authorities(view, "km") == {
        "kh-kampot-sfdcm": "តំណាង គណៈកម្មាធិការរណសិរ្សសាមគ្គីអភិវឌ្ឍន៍មាតុភូមិកម្ពុជាខេត្តកំពត",
        "vn-kiengiang-mttq": "តំណាង គណៈអចិន្ត្រៃយ៍",
    }


def test_a_signer_without_authority_represents_their_party(tmp_path: Path) -> None:
    # The Lao example's two Lao signers give no authority: each block still names its body.
    view = view_of(copy_content(LO_EXAMPLE, tmp_path))
    vi = authorities(view, "vi")
    assert vi["la-attapeu-lfnd"] == "ĐẠI DIỆN ỦY BAN MẶT TRẬN LÀO XÂY DỰNG ĐẤT NƯỚC TỈNH ATTAPEU"
    assert vi["la-sekong-lfnd"].startswith("ĐẠI DIỆN ") and vi["la-sekong-lfnd"].endswith("SEKONG")
    lo = authorities(view, "lo")
    assert lo["la-attapeu-lfnd"].startswith("ຕາງໜ້າ ") and "ອັດຕະປື" in lo["la-attapeu-lfnd"]


EXAMPLES = sorted(p for p in CONTENT.glob("*.yaml") if p.name != "registry.yaml")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_an_authority_line_breaks_only_between_whole_phrases(example: Path, tmp_path: Path) -> None:
    """Decree 30 writes "TM. BAN THƯỜNG TRỰC" as one unit where it fits. In every version of
    every example, each authority line's word ("TM.", "ĐẠI DIỆN", "T/M") is whole (its spaces
    NO-BREAK SPACEs); in Vietnamese a line may break after it, but the body's name is never
    split after its first word ("BAN THƯỜNG TRỰC", "ỦY BAN MẶT TRẬN …" joined). Khmer and Lao,
    whose break opportunities are marked between words ("តំណាង", "ຕາງໜ້າ"), keep the word
    joined to the body, so no renderer leaves it alone on a line."""
    checked = 0
    for version in view_of(copy_content(example, tmp_path)).versions:
        locale = load_locale(TEMPLATES / "locale", version.lang)
        words = {w for form in ("state", "party") for w in dict(locale.authorities(form)).values()}
        for block in version.signers:
            for line in filter(None, unsegment(block.authority).split("\n")):
                (word,) = [w for w in words if visible(line).startswith(f"{w} ")]
                if version.lang != "vi":
                    assert line.startswith(word.replace(" ", NBSP) + NBSP), (block.party, line)
                else:
                    assert line.startswith(word.replace(" ", NBSP) + " "), (block.party, line)
                    body = line.removeprefix(word.replace(" ", NBSP) + " ")
                    assert " " not in body or NBSP in body.split(" ")[0], (block.party, line)
                checked += 1
    assert checked >= 1


def test_an_explicit_body_overrides_the_party_name(tmp_path: Path) -> None:
    content = copy_content(KM_EXAMPLE, tmp_path)
    text = content.read_text(encoding="utf-8").replace(
        "      authority: DD  # ĐẠI DIỆN: the party's own name follows\n",
        "      authority: DD\n      on_behalf_of: {vi: Ban Thường trực, km: គណៈអចិន្ត្រៃយ៍}\n",
    )
    content.write_text(text, encoding="utf-8")
    view = view_of(content)
    assert authorities(view, "vi")["kh-kampot-sfdcm"] == "ĐẠI DIỆN BAN THƯỜNG TRỰC"


def test_dates_in_sentences_follow_the_leading_zero_rule_in_every_version(tmp_path: Path) -> None:
    content = copy_content(KM_EXAMPLE, tmp_path)
    text = content.read_text(encoding="utf-8").replace("date: 2023-11-16", "date: 2024-01-05")
    text = text.replace("signed_on: 2022-11-25", "signed_on: 2023-03-25")
    content.write_text(text, encoding="utf-8")
    vi, km = view_of(content).versions
    assert vi.body[0].text.startswith("Ngày 05/01/2024, tại ")
    assert "ngày 25/3/2023" in vi.body[0].text  # Decree 30: months from March without a zero
    assert "tại Kiên Giang, ngày 05/01/2024, thành 02 bản" in vi.closing
    assert vi.date_line == "Kiên Giang, ngày 05 tháng 01 năm 2024"
    assert "ថ្ងៃទី០៥/០១/២០២៤" in unsegment(km.body[0].text)
    assert "ថ្ងៃទី០៥/០១/២០២៤" in unsegment(km.closing)
