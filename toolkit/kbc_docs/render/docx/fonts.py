"""Embed the Khmer and Lao fonts in a rendered Word file (ECMA-376 Part 1, §17.8.1).

Windows ships no Khmer OS or Phetsarath OT font, so a partner opening the DOCX sees the Khmer
version in whatever font Word substitutes, or as boxes. Word files can carry their fonts: each
font is stored as an *obfuscated* part (``word/fonts/fontN.odttf``: the first 32 bytes XORed
with a GUID key), related from ``fontTable.xml``, referenced by ``w:embedRegular r:id=…
w:fontKey="{GUID}"`` in that font's ``w:font`` entry, and ``w:embedTrueTypeFonts`` in
``settings.xml`` tells Word to keep them when it saves.

* **Reproducible.** The GUID key is derived from the embedded bytes and zip entries get the
  document's own timestamp, so the same input gives byte-identical output.
* **Subset, but still editable.** The DOCX is meant to be edited. A font cut down to the
  characters the document happens to use would make every other Khmer letter a clerk types come
  out in a substitute font, so the subset keeps every character of each Unicode block the
  document uses (all of Khmer, all of Lao…) with all OpenType layout features (``*``: Khmer
  needs its GSUB/GPOS to stack and reorder), and drops the rest: glyphs of other scripts and the
  VTT hinting-source tables, about 40 % of Khmer OS. ``w:saveSubsetFonts`` is *not* set, so
  Word does not cut the font down further when a clerk saves. A font whose licence forbids
  subsetting (OS/2 ``fsType`` bit 8) is embedded whole; one that forbids embedding (restricted
  licence, bitmap-only) is refused with a :class:`FontError`. Khmer OS and Phetsarath OT are
  LGPL/free fonts with ``fsType`` 0 (installable).
* **Only TrueType.** Word embeds TrueType outlines only; CFF-based OpenType fonts are refused.
"""

from __future__ import annotations

import functools
import hashlib
import io
import unicodedata
import uuid
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from docx import Document as read_docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from fontTools.ttLib import TTFont, TTLibError
from lxml import etree

from kbc_docs import cache
from kbc_docs.errors import FontError
from kbc_docs.messages import msg
from kbc_docs.render.docx.ooxml import R, W, child_in_order, cleanup_namespaces, write_package
from kbc_docs.render.docx.package import OBFUSCATED_FONT, add_part, part_xml, related, text_parts
from kbc_docs.text.fonts import FontMatch, fc_match
from kbc_docs.view import DocumentView, strings

__all__ = [
    "FontFiles",
    "embed_font_parts",
    "embed_fonts",
    "embeddable_families",
    "font_files",
    "obfuscate",
]


# Children of w:font in schema order (ECMA-376 CT_Font).
_FONT_ORDER = [
    "altName", "panose1", "charset", "family", "notTrueType", "pitch", "sig",
    "embedRegular", "embedBold", "embedItalic", "embedBoldItalic",
]  # fmt: skip
# Children of w:settings that come before w:embedTrueTypeFonts (ECMA-376 CT_Settings).
_SETTINGS_BEFORE = {
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData",
}  # fmt: skip

# OS/2 fsType bits (OpenType spec): what the font's licence allows.
_FS_RESTRICTED = 0x0002
_FS_NO_SUBSETTING = 0x0100
_FS_BITMAP_ONLY = 0x0200

# Unicode blocks kept whole when one of their characters is used (see the module docstring).
_BLOCKS = [
    (0x0020, 0x007F),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 punctuation and letters
    (0x0E80, 0x0EFF),  # Lao
    (0x1780, 0x17FF),  # Khmer
    (0x19E0, 0x19FF),  # Khmer Symbols
    (0x2000, 0x206F),  # General Punctuation (ZWSP, ZWNJ, dashes…)
]
# Always kept: shapers draw a dotted circle under a mark that has no base.
_ALWAYS = "\u25cc\u200b\u200c\u200d\u00a0 "


@dataclass(frozen=True)
class FontFiles:
    """The files of one family: the regular face and, if the family has one, the bold face."""

    regular: Path
    bold: Path | None = None


# ---------------------------------------------------------------- finding the files


def font_files(family: str, bold: bool = False) -> Path:
    """The TrueType file fontconfig has for ``family`` (its bold face with ``bold``).

    fontconfig always answers with *some* font; a substitute (Tinos for "Times New Roman", the
    regular face when there is no bold) is a :class:`FontError`, never silently embedded.
    """
    match = _fc_match(family, bold)
    file, weight = str(match.file), match.weight
    if not match.is_family(family):
        raise FontError(msg("font_not_installed", family=family, families=",".join(match.families)))
    if (
        match.format != "TrueType"
        or match.index not in ("", "0")
        or not file.lower().endswith(".ttf")
    ):
        raise FontError(msg("font_not_truetype", family=family, file=file))
    # fontconfig answers a bold request with the regular file when it can embolden it itself
    # (and reports weight=bold); only a file that is bold itself is a bold face.
    if bold and (not weight.isdigit() or int(weight) < 200 or not _is_bold(match.file)):
        raise FontError(msg("font_no_bold", family=family))
    return match.file


def metric_file(family: str, bold: bool = False) -> Path:
    """The file fontconfig draws ``family`` with, substitutes included, to measure text.

    Unlike :func:`font_files` this accepts fontconfig's metric-compatible aliases (Tinos or
    Liberation Serif for "Times New Roman"): they have the same advance widths by design.
    """
    return _fc_match(family, bold).file


def _fc_match(family: str, bold: bool) -> FontMatch:
    """fontconfig's answer for ``family`` (see :func:`kbc_docs.text.fonts.fc_match`)."""
    match = fc_match(family, bold)
    if match is None:
        raise FontError(msg("font_unresolved", family=family))
    return match


def _is_bold(path: Path) -> bool:
    try:
        font = TTFont(path, lazy=True)
        return bool(font["head"].macStyle & 1) or font["OS/2"].usWeightClass >= 600
    except (OSError, TTLibError, KeyError):
        return False


def embeddable_families(view: DocumentView) -> dict[str, FontFiles]:
    """The Word font families worth embedding for ``view``: those of non-Latin versions.

    A version whose text is all Latin (Vietnamese in Times New Roman) uses fonts every reader
    has; a Khmer or Lao version does not. Families fontconfig cannot find as such are left out
    (the PDF renderer's font check reports missing Khmer and Lao fonts).
    """
    out: dict[str, FontFiles] = {}
    for version in view.versions:
        if not any(_needs_own_font(ch) for s in strings(version) for ch in s):
            continue
        stack = view.fonts.get(version.lang)
        if stack is None:
            continue
        for family in stack.families():
            if family in out:
                continue
            try:
                regular = font_files(family)
            except FontError:
                continue
            try:
                bold: Path | None = font_files(family, bold=True)
            except FontError:
                bold = None
            out[family] = FontFiles(regular, bold)
    return out


def _needs_own_font(ch: str) -> bool:
    """True for letters of scripts beyond Latin (Khmer, Lao…), not for digits or punctuation."""
    if not unicodedata.category(ch).startswith(("L", "M")):
        return False
    return "LATIN" not in unicodedata.name(ch, "LATIN")


# ---------------------------------------------------------------- embedding


def obfuscate(font: bytes, guid: str) -> bytes:
    """ECMA-376 Part 1 §17.8.1: XOR the first 32 bytes with the GUID's bytes, last byte first.

    The key is the 16 bytes written in the GUID string (``{XXXXXXXX-XXXX-…}``) in reverse
    order; it is applied to bytes 0–15 and again to bytes 16–31. The operation is its own
    inverse, so the same function de-obfuscates.
    """
    key = bytes.fromhex(guid.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ key[i % 16] for i, b in enumerate(font[:32]))
    return head + font[32:]


def embed_fonts(
    docx: bytes, families: Mapping[str, Path | FontFiles], subset: bool = True
) -> bytes:
    """``docx`` with each family's font files embedded (regular, and bold if given).

    With ``subset`` (the default) fonts are cut down as the module docstring explains;
    families already embedded in ``docx`` are left as they are. Raises :class:`FontError` if a
    file is not a TrueType font or its licence does not allow embedding. The DOCX renderer
    embeds with :func:`embed_font_parts` before it saves; this is the same on a finished file.
    """
    with zipfile.ZipFile(io.BytesIO(docx)) as zin:
        dates = {info.filename: info.date_time for info in zin.infolist()}
    document = read_docx(io.BytesIO(docx))
    if not embed_font_parts(document.part, families, subset):
        return docx
    saved = io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as zin:
        parts = {info.filename: zin.read(info) for info in zin.infolist()}
    stamp = dates.get("word/document.xml", (1980, 1, 1, 0, 0, 0))
    return write_package(parts, lambda name: dates.get(name, stamp))


def embed_font_parts(
    document: Part, families: Mapping[str, Path | FontFiles], subset: bool = True
) -> bool:
    """:func:`embed_fonts` on the package python-docx holds, before it is saved.

    ``document`` is the main document part; the font parts and their relationships are added
    through python-docx (:mod:`.package`), which names them and writes their content type.
    Returns whether anything was embedded.
    """
    font_table_part = related(document, RT.FONT_TABLE)
    settings_part = related(document, RT.SETTINGS)
    if font_table_part is None or settings_part is None:
        raise FontError(msg("font_no_font_table"))
    font_table = part_xml(font_table_part)
    chars = _keep_characters(text_parts(document.package)) if subset else ""
    embedded = False
    for family in sorted(families):
        files = families[family]
        files = files if isinstance(files, FontFiles) else FontFiles(Path(files))
        entry = _font_entry(font_table, family)
        if entry.find(f"{{{W}}}embedRegular") is not None:
            continue
        for element, path in (("embedRegular", files.regular), ("embedBold", files.bold)):
            if path is None:
                continue
            data = _prepare(Path(path), chars)
            guid = "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"
            rid = add_part(
                font_table_part,
                RT.FONT,
                "/word/fonts/font%d.odttf",
                OBFUSCATED_FONT,
                obfuscate(data, guid),
            )
            embed = child_in_order(entry, element, _FONT_ORDER)
            embed.set(f"{{{R}}}id", rid)
            embed.set(f"{{{W}}}fontKey", guid)
            embedded = True
    if embedded:
        cleanup_namespaces(font_table, top_nsmap={"w": W, "r": R})
        _settings(part_xml(settings_part))
    return embedded


@functools.lru_cache(maxsize=32)
def _prepare(path: Path, chars: str) -> bytes:
    """The bytes to embed: the font, checked against its licence and subset if allowed.

    Cached in memory and on disk (:mod:`kbc_docs.cache`, keyed by the font's bytes, the
    characters kept and the fontTools version): subsetting and saving a Khmer font takes about
    a second, and every build embeds the same fonts cut to the same script blocks.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FontError(msg("font_not_a_font", path=path, reason=exc)) from exc
    entry = cache.key(cache.versions("fonttools"), data, chars)
    stored = cache.get("font-subsets", entry)
    if stored is None:
        stored = _subset(path, data, chars)
        cache.put("font-subsets", entry, stored)
    return stored


def _subset(path: Path, data: bytes, chars: str) -> bytes:
    """:func:`_prepare` without the cache."""
    try:
        # recalcTimestamp=False: saving must not stamp the current time into the font.
        font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    except (OSError, TTLibError) as exc:
        raise FontError(msg("font_not_a_font", path=path, reason=exc)) from exc
    if "glyf" not in font:
        raise FontError(msg("font_no_outlines", path=path))
    fs_type = font["OS/2"].fsType if "OS/2" in font else 0
    if fs_type & (_FS_RESTRICTED | _FS_BITMAP_ONLY):
        raise FontError(msg("font_licence", path=path, fs_type=fs_type))
    if not chars or fs_type & _FS_NO_SUBSETTING:
        return data
    from fontTools import subset as ft_subset  # only on a cache miss: a tenth of a second

    options = ft_subset.Options()
    options.layout_features = ["*"]  # Khmer needs all of GSUB/GPOS (abvs, blws, pres, …)
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.glyph_names = False
    options.legacy_kern = True
    options.symbol_cmap = True
    options.hinting = True
    # Visual TrueType's hinting sources: editing data, not used for drawing.
    options.drop_tables += ["TSI0", "TSI1", "TSI2", "TSI3", "TSI5", "TSIV"]
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _keep_characters(parts: list[etree._Element]) -> str:
    """The document's characters, widened to the whole Unicode blocks they belong to."""
    used: set[str] = set(_ALWAYS)
    for root in parts:
        for t in root.iter(f"{{{W}}}t"):
            used.update(t.text or "")
    # Unicode noncharacters (the renderer's stand-ins for printed braces among them) are
    # never drawn.
    used = {c for c in used if not (0xFDD0 <= ord(c) <= 0xFDEF or ord(c) & 0xFFFE == 0xFFFE)}
    keep = set(used)
    for start, end in _BLOCKS:
        if any(start <= ord(ch) <= end for ch in used):
            keep.update(chr(c) for c in range(start, end + 1))
    return "".join(sorted(keep))


def _font_entry(font_table: etree._Element, family: str) -> etree._Element:
    for entry in font_table.iterfind(f"{{{W}}}font"):
        if entry.get(f"{{{W}}}name") == family:
            return entry
    entry = etree.SubElement(font_table, f"{{{W}}}font")
    entry.set(f"{{{W}}}name", family)
    etree.SubElement(entry, f"{{{W}}}charset").set(f"{{{W}}}val", "00")
    etree.SubElement(entry, f"{{{W}}}family").set(f"{{{W}}}val", "auto")
    etree.SubElement(entry, f"{{{W}}}pitch").set(f"{{{W}}}val", "variable")
    return entry


def _settings(root: etree._Element) -> etree._Element:
    """``w:embedTrueTypeFonts`` at its schema position, so Word keeps the fonts on save."""
    if root.find(f"{{{W}}}embedTrueTypeFonts") is None:
        at = 0
        for i, child in enumerate(root):
            if etree.QName(child).localname in _SETTINGS_BEFORE:
                at = i + 1
        root.insert(at, etree.Element(f"{{{W}}}embedTrueTypeFonts"))
    return root
