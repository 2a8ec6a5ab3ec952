"""Every Word file passes openxml-audit with no finding, as Word's own validator would judge it.

The named cases are the ones a partner office meets: the Khmer example, the three-party Lao
example, both in the parallel layout, a template folder ejected and edited in python-docx (as
a clerk's Word would save it), and the shipped templates themselves. The ``docx_audit`` plugin
audits every other Word file the suite builds at the end of the session.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from kbc_docs.pipeline import BuildOptions, build
from kbc_docs.templates.lookup import eject
from lxml import etree
from support.docx_audit import STRICTEST, audit, made_by_kbc_docs
from support.form_pages import KM_EXAMPLE, LO_EXAMPLE, TEMPLATES, copy_content

pytestmark = pytest.mark.slow  # builds whole documents; `pytest -m 'not slow'` skips it

EXAMPLES = {"km": KM_EXAMPLE, "lo": LO_EXAMPLE}
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


@pytest.fixture(
    scope="module",
    params=[(lang, layout) for lang in EXAMPLES for layout in ("sequential", "parallel")],
    ids=lambda p: f"{p[0]}-{p[1]}",
)
def built(request: pytest.FixtureRequest, built_example) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    lang, layout = request.param
    return built_example(EXAMPLES[lang], None if layout == "sequential" else layout)[1]


@pytest.mark.parametrize("document", ["report.docx", "signing.docx"])
def test_built_word_files_pass_openxml_audit(built: dict[str, Path], document: str) -> None:
    assert made_by_kbc_docs(built[document])
    assert audit(built[document]) == [], f"openxml-audit ({STRICTEST.value})"


@pytest.mark.parametrize("document", ["report.docx", "signing.docx"])
def test_every_prefix_mc_ignorable_names_is_declared(built: dict[str, Path], document: str) -> None:
    """The font embedder's clean-up keeps what ``mc:Ignorable`` names (ECMA-376-3 §10.1.1)."""
    with zipfile.ZipFile(built[document]) as package:
        names = [n for n in package.namelist() if n.endswith(".xml")]
        for name in names:
            root = etree.fromstring(package.read(name))
            for element in root.iter():
                ignorable = element.get(f"{{{MC}}}Ignorable")
                for prefix in (ignorable or "").split():
                    assert prefix in element.nsmap, (
                        f"{name}: mc:Ignorable names undeclared {prefix!r}"
                    )


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.docx")), ids=lambda p: p.name)
def test_shipped_templates_pass_openxml_audit(template: Path) -> None:
    assert audit(template) == []


def test_an_ejected_and_edited_template_still_gives_clean_word_files(tmp_path: Path) -> None:
    """A clerk ejects the templates, edits the report in Word (python-docx here) and builds."""
    folder = tmp_path / "office"
    eject(TEMPLATES, folder)
    report = folder / "report.docx"
    document = docx.Document(str(report))
    document.add_paragraph("Nơi nhận: Văn phòng UBND tỉnh (để báo cáo).")
    out = io.BytesIO()
    document.save(out)
    report.write_bytes(out.getvalue())
    assert audit(report) == []
    content = copy_content(KM_EXAMPLE, tmp_path / "content")
    # Word files only: a line typed into the Word template alone is refused when the PDF is
    # built too (the two would differ, see tests/render/test_one_truth.py).
    files = build(content, BuildOptions(out=tmp_path / "out", templates=folder, formats=("docx",)))
    word = [f for f in files if f.suffix == ".docx"]
    assert len(word) == 2
    with zipfile.ZipFile(next(f for f in word if "_report_" in f.name)) as package:
        assert "Văn phòng UBND tỉnh" in package.read("word/document.xml").decode("utf-8")
    for file in word:
        assert audit(file) == [], file.name
