"""Tests of font embedding in the DOCX (:mod:`kbc_docs.render.docx.fonts`).

The decisive test converts the real example with LibreOffice on a machine that has no Khmer
fonts: a fontconfig setup that knows only the croscore fonts (Tinos, Arimo, Cousine). The PDF
must then use the Khmer fonts embedded in the DOCX; the same file without embedding is the
control, and shows the fallback, so the test can fail.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from kbc_docs.content.resolve import load_content
from kbc_docs.errors import FontError
from kbc_docs.pipeline import BuildOptions, build
from kbc_docs.render.docx.fonts import (
    FontFiles,
    embed_fonts,
    embeddable_families,
    font_files,
    obfuscate,
)
from kbc_docs.render.docx.ooxml import W
from kbc_docs.templates.lookup import default_templates
from kbc_docs.view import DocumentView, build_view
from lxml import etree
from support.libreoffice import to_pdf

pytestmark = pytest.mark.slow  # builds whole documents; `pytest -m 'not slow'` skips it

ROOT = Path(__file__).resolve().parents[3]
CONTENT = ROOT / "content" / "2023-11-16.yaml"
KHMER_FONTS = Path("/usr/share/fonts/truetype/khmeros")
CROSCORE = Path("/usr/share/fonts/truetype/croscore")
SIEMREAP = "Khmer OS Siemreap"
MUOL = "Khmer OS Muol Light"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
MOTTO = "ជាតិ សាសនា ព្រះមហាក្សត្រ"

needs_khmer = pytest.mark.skipif(
    not (KHMER_FONTS / "KhmerOSsiemreap.ttf").is_file(), reason="fonts-khmeros not installed"
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The example's report, rendered by the real build (DOCX only)."""
    out = tmp_path_factory.mktemp("build")
    paths = build(CONTENT, BuildOptions(out=out, formats=("docx",), embed_fonts=False))
    (path,) = [p for p in paths if "_report_" in p.name]
    return path.read_bytes()


@pytest.fixture(scope="module")
def view() -> DocumentView:
    resolved, locales = load_content(CONTENT, default_templates())
    return build_view(resolved, locales)


@pytest.fixture(scope="module")
def families() -> dict[str, FontFiles]:
    return {
        SIEMREAP: FontFiles(KHMER_FONTS / "KhmerOSsiemreap.ttf"),
        MUOL: FontFiles(KHMER_FONTS / "KhmerOSmuollight.ttf"),
    }


@pytest.fixture(scope="module")
def embedded(report: bytes, families: dict[str, FontFiles]) -> bytes:
    return embed_fonts(report, families)


def parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return {name: z.read(name) for name in z.namelist()}


def embedded_bytes(docx: bytes, family: str) -> bytes:
    """The de-obfuscated regular face of ``family`` in ``docx``, found as Word finds it."""
    files = parts(docx)
    table = etree.fromstring(files["word/fontTable.xml"])
    (entry,) = table.xpath("w:font[@w:name=$name]", namespaces=NS, name=family)
    embed = entry.find("w:embedRegular", NS)
    rels = etree.fromstring(files["word/_rels/fontTable.xml.rels"])
    (rel,) = [r for r in rels if r.get("Id") == embed.get(f"{{{R}}}id")]
    return obfuscate(files["word/" + rel.get("Target")], embed.get(f"{{{W}}}fontKey"))


def embedded_font(docx: bytes, family: str) -> TTFont:
    return TTFont(io.BytesIO(embedded_bytes(docx, family)))


# ---------------------------------------------------------------- the obfuscation algorithm


def test_obfuscation_follows_the_spec_and_is_its_own_inverse() -> None:
    """ECMA-376 §17.8.1: the key is the GUID's bytes in reverse order, applied twice."""
    guid = "{00112233-4455-6677-8899-AABBCCDDEEFF}"
    font = bytes(range(64))
    out = obfuscate(font, guid)
    key = bytes.fromhex("FFEEDDCCBBAA99887766554433221100")
    assert out[:16] == bytes(a ^ b for a, b in zip(font[:16], key, strict=True))
    assert out[16:32] == bytes(a ^ b for a, b in zip(font[16:32], key, strict=True))
    assert out[32:] == font[32:]
    assert obfuscate(out, guid) == font


# ---------------------------------------------------------------- the package


@needs_khmer
def test_the_package_declares_the_embedded_fonts(embedded: bytes) -> None:
    files = parts(embedded)
    fonts = [name for name in files if name.endswith(".odttf")]
    assert fonts == ["word/fonts/font1.odttf", "word/fonts/font2.odttf"]
    # Each font part has the obfuscated-font content type (python-docx writes it as an
    # Override per part; a Default for the extension would be as good).
    types = etree.fromstring(files["[Content_Types].xml"])
    overrides = {t.get("PartName"): t.get("ContentType") for t in types if t.get("PartName")}
    defaults = {t.get("Extension"): t.get("ContentType") for t in types if t.get("Extension")}
    for font in fonts:
        declared = overrides.get(f"/{font}", defaults.get("odttf"))
        assert declared == "application/vnd.openxmlformats-officedocument.obfuscatedFont"
    settings = etree.fromstring(files["word/settings.xml"])
    assert settings.find("w:embedTrueTypeFonts", NS) is not None
    # Word would cut the fonts down to the characters used when a clerk saves: not wanted.
    assert settings.find("w:saveSubsetFonts", NS) is None
    rels = etree.fromstring(files["word/_rels/fontTable.xml.rels"])
    assert {r.get("Target") for r in rels} == {"fonts/font1.odttf", "fonts/font2.odttf"}
    table = etree.fromstring(files["word/fontTable.xml"])
    for family in (SIEMREAP, MUOL):
        (entry,) = table.xpath("w:font[@w:name=$name]", namespaces=NS, name=family)
        embed = entry.find("w:embedRegular", NS)
        assert embed.get(f"{{{W}}}fontKey").startswith("{") and embed is entry[-1]
        assert entry.find("w:embedBold", NS) is None  # Khmer OS has no bold face


@needs_khmer
def test_the_embedded_font_is_the_family_with_all_of_khmer_and_its_layout(
    embedded: bytes,
) -> None:
    """Every Khmer character stays (a clerk may type any), with every GSUB/GPOS feature."""
    original = TTFont(KHMER_FONTS / "KhmerOSsiemreap.ttf")
    font = embedded_font(embedded, SIEMREAP)
    assert font["name"].getDebugName(1) == SIEMREAP
    khmer = {c for c in original.getBestCmap() if 0x1780 <= c <= 0x17FF}
    assert khmer <= set(font.getBestCmap())
    for table in ("GSUB", "GPOS"):
        tags = {r.FeatureTag for r in font[table].table.FeatureList.FeatureRecord}
        assert tags == {r.FeatureTag for r in original[table].table.FeatureList.FeatureRecord}
    assert font["OS/2"].fsType == original["OS/2"].fsType


@needs_khmer
def test_subsetting_makes_the_file_smaller_and_can_be_turned_off(
    report: bytes, embedded: bytes, families: dict[str, FontFiles]
) -> None:
    whole = embed_fonts(report, families, subset=False)
    assert len(report) < len(embedded) < len(whole)
    original = (KHMER_FONTS / "KhmerOSsiemreap.ttf").read_bytes()
    assert embedded_bytes(whole, SIEMREAP) == original
    assert len(embedded_bytes(embedded, SIEMREAP)) < len(original)


@needs_khmer
def test_embedding_is_reproducible_and_idempotent(
    report: bytes, embedded: bytes, families: dict[str, FontFiles]
) -> None:
    assert embed_fonts(report, families) == embedded
    assert embed_fonts(embedded, families) == embedded
    with zipfile.ZipFile(io.BytesIO(report)) as z:
        stamp = z.getinfo("word/document.xml").date_time
    with zipfile.ZipFile(io.BytesIO(embedded)) as z:
        assert {info.date_time for info in z.infolist()} == {stamp}


def test_a_font_whose_licence_forbids_embedding_is_refused(report: bytes, tmp_path: Path) -> None:
    source = CROSCORE / "Tinos-Regular.ttf"
    if not source.is_file():
        pytest.skip("fonts-croscore not installed")
    font = TTFont(source)
    font["OS/2"].fsType = 0x0002  # restricted licence embedding
    restricted = tmp_path / "restricted.ttf"
    font.save(restricted)
    with pytest.raises(FontError, match="licence"):
        embed_fonts(report, {"Tinos": restricted})
    with pytest.raises(FontError, match="not a font"):
        embed_fonts(report, {"Tinos": tmp_path / "missing.ttf"})


def test_a_bold_face_is_embedded_as_embed_bold(report: bytes) -> None:
    if not (CROSCORE / "Tinos-Bold.ttf").is_file():
        pytest.skip("fonts-croscore not installed")
    assert font_files("Tinos", bold=True) == CROSCORE / "Tinos-Bold.ttf"
    files = FontFiles(font_files("Tinos"), font_files("Tinos", bold=True))
    out = parts(embed_fonts(report, {"Tinos": files}))
    table = etree.fromstring(out["word/fontTable.xml"])
    (entry,) = table.xpath("w:font[@w:name='Tinos']", namespaces=NS)
    tags = [etree.QName(child).localname for child in entry]
    assert tags[-2:] == ["embedRegular", "embedBold"]
    keys = {e.get(f"{{{W}}}fontKey") for e in entry[-2:]}
    assert len(keys) == 2  # one key per embedded file


# ---------------------------------------------------------------- finding the font files


@needs_khmer
def test_font_files_resolves_families_and_refuses_substitutes(view: DocumentView) -> None:
    assert font_files(SIEMREAP) == KHMER_FONTS / "KhmerOSsiemreap.ttf"
    with pytest.raises(FontError, match="bold"):
        font_files(SIEMREAP, bold=True)  # fontconfig offers the regular face
    with pytest.raises(FontError, match="not installed"):
        font_files("No Such Family kbc")
    # Vietnamese is Latin and needs no embedding; the Khmer version's two families do.
    assert set(embeddable_families(view)) == {SIEMREAP, MUOL}


# ---------------------------------------------------------------- LibreOffice without Khmer fonts


def convert_without_khmer_fonts(docx: bytes, folder: Path) -> str:
    """Convert with LibreOffice seeing only the croscore fonts; return ``pdffonts`` output."""
    if shutil.which("pdffonts") is None:
        pytest.skip("poppler-utils (pdffonts) is needed")
    if not CROSCORE.is_dir():
        pytest.skip("fonts-croscore not installed")
    folder.mkdir(parents=True)
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><dir>{CROSCORE}</dir><cachedir>{folder / 'cache'}</cachedir>"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(folder), "FONTCONFIG_FILE": str(conf)}
    listed = subprocess.run(["fc-list"], env=env, capture_output=True, text=True, check=True)
    assert "Khmer" not in listed.stdout  # the point of the setup
    (folder / "report.docx").write_bytes(docx)
    (pdf,) = to_pdf([folder / "report.docx"], folder, env)
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


@needs_khmer
def test_libreoffice_without_khmer_fonts_falls_back_when_nothing_is_embedded(
    report: bytes, tmp_path: Path
) -> None:
    """The control: without embedding the Khmer fonts are missing from the PDF."""
    fonts = convert_without_khmer_fonts(report, tmp_path / "control")
    assert "Khmer" not in fonts


@needs_khmer
@pytest.mark.parametrize("subset", [True, False], ids=["subset", "whole"])
def test_libreoffice_without_khmer_fonts_uses_the_embedded_ones(
    report: bytes, families: dict[str, FontFiles], subset: bool, tmp_path: Path
) -> None:
    fonts = convert_without_khmer_fonts(embed_fonts(report, families, subset), tmp_path / "lo")
    assert "KhmerOSSiemreap" in fonts and "KhmerOSMuolLight" in fonts
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "lo" / "report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert MOTTO in text.replace("\u200b", "")
