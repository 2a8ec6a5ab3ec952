"""The folded-text warning: a Khmer or Lao text folded over lines gets spaces nobody typed.

In these scripts a space is a phrase break, so ``>-`` (or a plain scalar over several lines)
silently changes the text; ``validate`` warns at the line of each fold and says what to write.
A ``|`` block is the way to wrap a long text: a line break between two letters joins them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from kbc_docs.cli import app
from kbc_docs.content.load import load_yaml
from kbc_docs.text.segment import join_lines, unsegment
from support.form_pages import LO_EXAMPLE, copy_content, view_of
from typer.testing import CliRunner

FOLDED = "ມູນເຊື້ອ\n  ຄວາມສາມັກຄີ"


def _file(tmp_path: Path, body: str) -> Path:
    file = tmp_path / "text.yaml"
    file.write_text(body, encoding="utf-8")
    return file


@pytest.mark.parametrize(
    "body",
    [
        "title:\n  lo: >-\n    ມູນເຊື້ອ\n    ຄວາມສາມັກຄີ\n",
        "title:\n  lo: >\n    ມູນເຊື້ອ\n    ຄວາມສາມັກຄີ\n",
        "title:\n  lo: ມູນເຊື້ອ\n    ຄວາມສາມັກຄີ\n",
        'title:\n  lo: "ມູນເຊື້ອ\n    ຄວາມສາມັກຄີ"\n',
        "title:\n  km: >-\n    នៅថ្ងៃទី\n    ១៦ រណសិរ្ស\n    មាតុភូមិ\n",
    ],
    ids=["folded", "folded-keep", "plain", "double-quoted", "khmer"],
)
def test_a_fold_between_two_letters_is_a_warning_at_its_line(tmp_path: Path, body: str) -> None:
    loaded = load_yaml(_file(tmp_path, body))
    assert loaded.warnings, body
    first = loaded.warnings[0]
    assert first.file == tmp_path / "text.yaml"
    assert first.line == (3 if ">" in body else 2)
    assert first.path in ("title.lo", "title.km")
    assert "'|'" in first.message and "one line" in first.message


@pytest.mark.parametrize(
    "body",
    [
        "title:\n  lo: ມູນເຊື້ອຄວາມສາມັກຄີ ແລະ ມິດຕະພາບ\n",  # one line
        "title:\n  lo: |-\n    ມູນເຊື້ອ\n    ຄວາມສາມັກຄີ\n",  # a | block
        "title:\n  lo: >-\n    ສັນຕິພາບ,\n    ສະຖຽນລະພາບ\n",  # after a comma a space is right
        "title:\n  lo: >-\n    ມູນເຊື້ອ\n\n    ຄວາມສາມັກຄີ\n",  # a blank line keeps the break
        "title:\n  vi: >-\n    Sơ kết 02 năm thực hiện\n    Thỏa thuận\n",  # Vietnamese
        'title:\n  lo: "ມູນເຊື້ອ\\\n    ຄວາມສາມັກຄີ"\n',  # an escaped line break
    ],
    ids=["one-line", "literal", "comma", "blank-line", "vietnamese", "escaped"],
)
def test_no_warning_where_no_space_was_folded_in(tmp_path: Path, body: str) -> None:
    assert load_yaml(_file(tmp_path, body)).warnings == []


def test_a_literal_block_joins_lines_between_letters_only() -> None:
    assert join_lines("ມູນເຊື້ອ\nຄວາມສາມັກຄີ") == "ມູນເຊື້ອຄວາມສາມັກຄີ"
    assert join_lines("ສັນຕິພາບ,\nສະຖຽນລະພາບ") == "ສັນຕິພາບ, ສະຖຽນລະພາບ"
    assert join_lines("ລາວ - ຫວຽດນາມ\n2022") == "ລາວ - ຫວຽດນາມ 2022"


def test_validate_prints_the_warning_with_file_line_and_field(tmp_path: Path) -> None:
    content = copy_content(LO_EXAMPLE, tmp_path)
    text = content.read_text(encoding="utf-8")
    line = "    lo: ສະຫຼຸບເບື້ອງຕົ້ນ 2 ປີ ການປະຕິບັດ"
    assert line in text
    content.write_text(
        text.replace(line, "    lo: >-\n      ສະຫຼຸບເບື້ອງຕົ້ນ 2 ປີ ການປະ\n      ຕິບັດ"), encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["validate", str(content)])
    assert result.exit_code == 0, result.output  # a warning, not an error
    number = (
        content.read_text(encoding="utf-8").splitlines().index("      ສະຫຼຸບເບື້ອງຕົ້ນ 2 ປີ ການປະ") + 1
    )
    assert re.search(
        rf"⚠ {re.escape(str(content))}:{number}:\d+: document\.title\.lo: ", result.output
    )


def test_the_examples_fold_no_khmer_or_lao_text() -> None:
    root = Path(__file__).resolve().parents[2] / "content"
    for file in root.glob("*.yaml"):
        assert load_yaml(file).warnings == [], file


def test_a_literal_block_builds_the_same_text_as_one_line(tmp_path: Path) -> None:
    content = copy_content(LO_EXAMPLE, tmp_path)
    text = content.read_text(encoding="utf-8")
    line = "    lo: ສະຫຼຸບເບື້ອງຕົ້ນ 2 ປີ ການປະຕິບັດ"
    title = unsegment(view_of(content).versions[1].title)
    content.write_text(
        text.replace(line, "    lo: |-\n      ສະຫຼຸບເບື້ອງຕົ້ນ 2 ປີ ການປະ\n      ຕິບັດ"), encoding="utf-8"
    )
    assert unsegment(view_of(content).versions[1].title) == title
