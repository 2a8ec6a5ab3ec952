"""Page numbers in Khmer (or other native) digits for a language version of a DOCX.

Word's page-number formats (``w:pgNumType w:fmt``, ``PAGE \\* …``) know Thai and Hindi digits
but not Khmer, and so does LibreOffice. A Khmer version's header would show ``2, 3, 4``
while its text and the PDF say ``២, ៣, ៤``. What Word does have is arithmetic on fields: in
the header of each section whose text is written in a script with native digits, every
``PAGE`` field is replaced by three ``SYMBOL`` fields, hundreds, tens and units, each drawing
the character whose code is computed from the page number::

    { SYMBOL { = 6112 + {PAGE} - 10*INT({PAGE}/10) \\# "0" } \\u \\f "Khmer OS Siemreap" }

(U+17E0 ``០`` is 6112). A leading position that has no digit draws U+200B ZERO WIDTH SPACE
instead: ``8203 + (digit + 6112 - 8203) * SIGN(INT(page / 10**k))``. The formulas use only
one-argument functions: the separator between arguments is the reader's regional list
separator (``;`` on a Vietnamese Windows), so ``MOD(a, b)`` would break there. SYMBOL fields
stay at the top level: Word shows nothing for a SYMBOL nested inside another field
([MS-OI29500] 2.1.531).

LibreOffice cannot compute these fields; it shows the fields nested in their codes and the
stored results of the others. The stored results are left empty and every nested ``PAGE``
but one is hidden (``w:vanish``), so LibreOffice shows the page number once, in Arabic
digits, instead of a jumble. Word evaluates field codes whatever their formatting.

The template's own header is kept as the clerk left it (style, position, other text); only
its ``PAGE`` fields change, in a copy used by the native-digit sections.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from lxml import etree

from kbc_docs.render.docx.ooxml import RPR_ORDER, WORD_LANG, R, W, child_in_order
from kbc_docs.render.docx.package import add_part, part_xml
from kbc_docs.text.locale import digit_zero
from kbc_docs.text.segment import LETTERS
from kbc_docs.view import DocumentView

__all__ = ["native_page_numbers", "symbol_instructions"]

_NS = {"w": W, "r": R}
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_PAGE_INSTR = re.compile(r"^\s*PAGE(\s+\\\*\s+\w+)*\s*$", re.IGNORECASE)
_NO_DIGIT = 0x200B  # ZERO WIDTH SPACE: a leading position without a digit


def native_page_numbers(document: Part, view: DocumentView) -> bool:
    """Give each section written in a native-digit script a header with native page numbers.

    ``document`` is the rendered document's main part, in the package python-docx holds before
    it is saved; the copies of the headers are added to it (:mod:`.package`). A section belongs
    to a version when its text holds more letters of that version's script than Latin letters;
    a parallel layout shares one header between its two languages and keeps the template's
    numbers. Returns whether anything changed.
    """
    native = {
        v.lang: (digit_zero(v.digits), view.fonts[v.lang].body)
        for v in view.versions
        if v.digits != "latn" and v.lang in LETTERS and v.lang in view.fonts
    }
    if not native or view.layout == "parallel":
        return False
    made: dict[tuple[str, str], str] = {}  # (template header part, language) → new rel id
    changed = False
    for sect_pr, text in _sections(part_xml(document)):
        lang = _language(text, native)
        ref = sect_pr.find("w:headerReference[@w:type='default']", _NS)
        if lang is None or ref is None:
            continue
        rid = ref.get(f"{{{R}}}id")
        source = document.related_parts.get(rid)
        if source is None:
            continue
        key = (str(source.partname), lang)
        if key not in made:
            header = copy.deepcopy(part_xml(source))
            zero, font = native[lang]
            if not _replace_page_fields(header, zero, font, WORD_LANG.get(lang, lang)):
                continue
            blob = etree.tostring(header, xml_declaration=True, encoding="UTF-8", standalone=True)
            made[key] = add_part(
                document, RT.HEADER, "/word/header%d.xml", CT.WML_HEADER, blob, like=source
            )
        ref.set(f"{{{R}}}id", made[key])
        changed = True
    return changed


def symbol_instructions(zero: int) -> list[str]:
    """The ``=`` formulas of the hundreds, tens and units characters; ``P`` stands for PAGE."""
    units = f"{zero} + P - 10*INT(P/10)"
    leading = []
    for power in (100, 10):
        digit = f"INT(P/{power}) - 10*INT(P/{power * 10})"
        offset = zero - _NO_DIGIT
        shift = f"+ {offset}" if offset >= 0 else f"- {-offset}"
        leading.append(f"{_NO_DIGIT} + ({digit} {shift})*SIGN(INT(P/{power}))")
    return [*leading, units]


def _sections(document: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """Each section's ``w:sectPr`` with the text of the body elements it closes."""
    body = document.find("w:body", _NS)
    if body is None:
        return
    texts: list[str] = []
    for child in body:
        if child.tag == f"{{{W}}}sectPr":
            yield child, "".join(texts)
            texts = []
            continue
        texts.extend(t.text or "" for t in child.iter(f"{{{W}}}t"))
        sect_pr = child.find("w:pPr/w:sectPr", _NS)
        if sect_pr is not None:
            yield sect_pr, "".join(texts)
            texts = []


def _language(text: str, native: dict[str, tuple[int, str]]) -> str | None:
    latin = len(_LATIN.findall(text))
    counts = {lang: len(re.findall(f"[{LETTERS[lang]}]", text)) for lang in native}
    lang = max(counts, key=counts.__getitem__, default=None)
    return lang if lang is not None and counts[lang] > latin else None


def _replace_page_fields(header: etree._Element, zero: int, font: str, word_lang: str) -> bool:
    """Swap every PAGE field of ``header`` for the native-digit construct; False if none."""
    found = False
    for simple in list(header.iter(f"{{{W}}}fldSimple")):
        if _PAGE_INSTR.match(simple.get(f"{{{W}}}instr", "")):
            base = simple.find("w:r/w:rPr", _NS)
            _put(simple, _construct(zero, font, word_lang, base))
            found = True
    for begin in list(header.iter(f"{{{W}}}fldChar")):
        if begin.get(f"{{{W}}}fldCharType") != "begin" or begin.getparent() is None:
            continue
        runs = _complex_field(begin.getparent())
        if runs is None:
            continue
        instr = "".join(t.text or "" for r in runs for t in r.iterfind("w:instrText", _NS))
        if not _PAGE_INSTR.match(instr):
            continue
        base = runs[0].find("w:rPr", _NS)
        _put(runs[0], _construct(zero, font, word_lang, base))
        for run in runs[1:]:
            run.getparent().remove(run)
        found = True
    return found


def _complex_field(first: etree._Element) -> list[etree._Element] | None:
    """The sibling runs from a field's ``begin`` to its matching ``end``, if not nested."""
    runs, depth = [], 0
    node: etree._Element | None = first
    while node is not None:
        if node.tag != f"{{{W}}}r":
            return None  # a field across paragraphs or with other content: leave it alone
        runs.append(node)
        for mark in node.iterfind("w:fldChar", _NS):
            kind = mark.get(f"{{{W}}}fldCharType")
            depth += {"begin": 1, "end": -1}.get(kind or "", 0)
        if depth == 0:
            return runs if len(runs) > 1 else None
        node = node.getnext()
    return None


def _put(old: etree._Element, new: list[etree._Element]) -> None:
    parent = old.getparent()
    at = parent.index(old)
    parent.remove(old)
    for offset, run in enumerate(new):
        parent.insert(at + offset, run)


def _construct(
    zero: int, font: str, word_lang: str, base: etree._Element | None
) -> list[etree._Element]:
    """The runs of three SYMBOL fields computing the page number's native digits."""

    def rpr(hidden: bool) -> etree._Element:
        props = copy.deepcopy(base) if base is not None else etree.Element(f"{{{W}}}rPr")
        child_in_order(props, "rFonts", RPR_ORDER).set(f"{{{W}}}cs", font)
        if hidden:
            child_in_order(props, "vanish", RPR_ORDER)
        child_in_order(props, "lang", RPR_ORDER).set(f"{{{W}}}bidi", word_lang)
        return props

    def run(hidden: bool, kind: str, value: str = "") -> etree._Element:
        r = etree.Element(f"{{{W}}}r")
        r.append(rpr(hidden))
        if kind == "instr":
            t = etree.SubElement(r, f"{{{W}}}instrText")
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            t.text = value
        else:
            etree.SubElement(r, f"{{{W}}}fldChar").set(f"{{{W}}}fldCharType", kind)
        return r

    def field(hidden: bool, parts: list[etree._Element | str]) -> list[etree._Element]:
        runs = [run(hidden, "begin")]
        runs += [run(hidden, "instr", p) if isinstance(p, str) else p for p in parts]
        return [*runs, run(hidden, "separate"), run(hidden, "end")]  # no stored result

    formulas = symbol_instructions(zero)
    out: list[etree._Element] = []
    for index, formula in enumerate(formulas):
        pieces: list[etree._Element | str] = []
        for i, chunk in enumerate(formula.split("P")):
            if i:
                # LibreOffice shows nested fields: only the units' first PAGE stays visible.
                visible = index == len(formulas) - 1 and i == 1
                pieces += field(not visible, [" PAGE "])
            if chunk:
                pieces.append(chunk)
        pieces[0] = f" = {pieces[0]}"
        pieces.append(' \\# "0" ')
        out += field(False, [" SYMBOL ", *field(False, pieces), f' \\u \\f "{font}" '])
    return out
