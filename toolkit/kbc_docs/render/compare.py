"""One truth: the Word file and the PDF of a document must say the same, paragraph by paragraph.

The DOCX comes from ``<document>.docx`` and the PDF from ``<document>.html``; clerks edit the
first in Word, and nothing else ties the two together. A fixed line typed into the Word
template, or a sentence changed there, would reach the Word file and never the PDF, and two
versions of one official text would go out. After both are rendered, their text is compared:
the Word file's body paragraphs (not headers: page numbers are drawn differently) against the
blocks the PDF lays out (:func:`kbc_docs.render.pdf.laid_out_text`), language version by
language version when the Word file has a section per version, else as one sequence.

Layout is allowed to differ, wording is not: spacing and line breaks are ignored (the texts
are compared without whitespace and break marks), a text split into two paragraphs on one
side and one on the other is the same text, and a paragraph found elsewhere in the same
version counts as present (a block placed differently). What is left is text only one of the
two has; each difference names the template, the paragraph and that text.
"""

from __future__ import annotations

import difflib
import io
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from kbc_docs.errors import Problem
from kbc_docs.messages import msg
from kbc_docs.render.docx.ooxml import NS, w
from kbc_docs.render.pdf.job import TextBlock

__all__ = [
    "Difference",
    "compare_texts",
    "docx_paragraphs",
    "drift_problems",
    "locate_in_docx",
    "locate_in_html",
]

_BREAK_MARKS = dict.fromkeys(map(ord, "\u200b\u00ad\u2060\ufeff"))


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph of the Word file with text."""

    number: int  # 1-based, among all paragraphs of the body (those in tables included)
    version: int | None  # index of its language version (its section), None if unknown
    text: str


@dataclass(frozen=True)
class Difference:
    """Text that only one of the two outputs has."""

    version: int | None  # the language version, None for the whole document
    only_in: str  # "docx" or "pdf"
    text: str  # the words only that output has
    paragraph: str  # the whole paragraph (or block) they are in
    number: int | None  # the Word paragraph's number, for text only the Word file has


def docx_paragraphs(data: bytes, versions: int) -> list[Paragraph]:
    """The body paragraphs with text of a rendered Word file.

    With one section per language version (``versions`` sections), each paragraph knows its
    version; otherwise none does. Hidden text (``w:vanish``) is left out.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        root = etree.fromstring(z.read("word/document.xml"), parser)
    body = root.find("w:body", NS)
    if body is None:
        return []
    found: list[tuple[int, int, str]] = []
    section = number = 0
    for child in body:
        for p in child.iter(w("p")):
            number += 1
            text = _paragraph_text(p)
            if text.strip():
                found.append((number, section, text))
        if child.find("w:pPr/w:sectPr", NS) is not None:
            section += 1
    by_section = section + 1 == versions and versions > 1
    return [Paragraph(n, s if by_section else None, t) for n, s, t in found]


def _paragraph_text(p: etree._Element) -> str:
    out = []
    for run in p.iter(w("r")):
        if run.find("w:rPr/w:vanish", NS) is not None:
            continue
        if next(run.iterancestors(w("p")), None) is not p:
            continue  # a text box's paragraph inside this one: counted on its own
        for node in run:
            if node.tag == w("t"):
                out.append(node.text or "")
            elif node.tag in (w("tab"), w("br"), w("cr")):
                out.append(" ")
    return "".join(out)


def _key(text: str) -> str:
    """What must be equal: the characters, without whitespace or break marks, NFC."""
    text = unicodedata.normalize("NFC", text).translate(_BREAK_MARKS)
    return "".join(text.split())


def compare_texts(docx: list[Paragraph], pdf: list[TextBlock]) -> list[Difference]:
    """Every text that only the Word file or only the PDF has, in document order."""
    if docx and all(p.version is not None for p in docx):
        versions = sorted({p.version for p in docx} | {b.version for b in pdf}, key=_order)
        out: list[Difference] = []
        for version in versions:
            out += _compare(
                version,
                [p for p in docx if p.version == version],
                [b for b in pdf if b.version == version],
            )
        return out
    return _compare(None, docx, pdf)


def _order(version: int | None) -> int:
    return -1 if version is None else version


def _compare(version: int | None, docx: list[Paragraph], pdf: list[TextBlock]) -> list[Difference]:
    a = [_key(p.text) for p in docx]
    b = [_key(block.text) for block in pdf]
    only_a: list[int] = []
    only_b: list[int] = []
    pairs: list[tuple[int, int]] = []  # one paragraph against one block, worded differently
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or "".join(a[i1:i2]) == "".join(b[j1:j2]):
            continue  # the same text, in other paragraphs
        if op == "replace" and i2 - i1 == j2 - j1 == 1:
            pairs.append((i1, j1))
        else:
            only_a += range(i1, i2)
            only_b += range(j1, j2)
    # A text split into paragraphs differently and placed elsewhere is still the same text.
    only_a, only_b = _rejoin(only_a, a, only_b, b)
    only_b, only_a = _rejoin(only_b, b, only_a, a)
    # A paragraph missing here but present elsewhere in the version was only placed differently.
    moved = Counter(a[i] for i in only_a) & Counter(b[j] for j in only_b)
    out: list[Difference] = []
    for i in only_a:
        if moved[a[i]]:
            moved[a[i]] -= 1
            continue
        out.append(Difference(version, "docx", docx[i].text, docx[i].text, docx[i].number))
    gone = Counter(a[i] for i in only_a) & Counter(b[j] for j in only_b)
    for j in only_b:
        if gone[b[j]]:
            gone[b[j]] -= 1
            continue
        out.append(Difference(version, "pdf", pdf[j].text, pdf[j].text, None))
    for i, j in pairs:
        mine, theirs = _words_only(docx[i].text, pdf[j].text)
        if mine:
            out.append(Difference(version, "docx", mine, docx[i].text, docx[i].number))
        if theirs:
            out.append(Difference(version, "pdf", theirs, pdf[j].text, None))
    return out


def _rejoin(
    parts: list[int], part_keys: list[str], wholes: list[int], whole_keys: list[str]
) -> tuple[list[int], list[int]]:
    """Drop each of ``wholes`` that consecutive ``parts`` spell out, and those parts."""
    parts, wholes = list(parts), list(wholes)
    for whole in list(wholes):
        target = whole_keys[whole]
        for start in range(len(parts)):
            joined, end = "", start
            while end < len(parts) and len(joined) < len(target):
                if end > start and parts[end] != parts[end - 1] + 1:
                    break
                joined += part_keys[parts[end]]
                end += 1
            if end - start > 1 and joined == target:
                del parts[start:end]
                wholes.remove(whole)
                break
    return parts, wholes


def _words_only(first: str, second: str) -> tuple[str, str]:
    """The words only ``first`` has and those only ``second`` has (joined with "…")."""
    x, y = first.split(), second.split()
    mine, theirs = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, x, y, autojunk=False).get_opcodes():
        if op != "equal":
            mine.append(" ".join(x[i1:i2]))
            theirs.append(" ".join(y[j1:j2]))
    join = " … ".join
    return join(s for s in mine if s), join(s for s in theirs if s)


# ---------------------------------------------------------------- finding it in the templates


def locate_in_docx(template: Path, text: str) -> str | None:
    """Where the Word template holds ``text`` literally: ``paragraph N`` of its body, or None."""
    needle = _key(text)
    if not needle:
        return None
    try:
        with zipfile.ZipFile(template) as z:
            root = etree.fromstring(z.read("word/document.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None
    for number, p in enumerate(root.iter(w("p")), start=1):
        if needle in _key("".join(t.text or "" for t in p.iter(w("t")))):
            return f"paragraph {number}"
    return None


def locate_in_html(templates: list[Path], text: str) -> str | None:
    """``name line N`` of the first HTML template holding ``text`` literally, or None."""
    needle = _key(text)
    if not needle:
        return None
    for template in templates:
        try:
            lines = template.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, start=1):
            if needle in _key(re.sub(r"<[^>]*>", "", line)):
                return f"{template.name} line {number}"
    return None


def drift_problems(
    differences: list[Difference],
    languages: list[str],
    docx_template: Path,
    html_templates: list[Path],
    allowed: bool = False,
) -> list[Problem]:
    """One problem a clerk can act on per difference: which template, where, what text.

    ``allowed`` (``--allow-template-drift``): the problems are shown as warnings, so they do
    not end by naming the option that was given.
    """
    problems = []
    for diff in differences:
        lang = languages[diff.version] if diff.version is not None else None
        scope = msg("drift_scope_version", lang=lang) if lang else msg("drift_scope_document")
        text = _clip(diff.text)
        context = []
        if diff.paragraph != diff.text:
            context.append(msg("drift_in_paragraph", text=_clip(diff.paragraph)))
        if diff.only_in == "docx":
            context.insert(0, msg("drift_docx_paragraph", number=diff.number))
            where = locate_in_docx(docx_template, diff.text)
            if where:
                context.append(msg("drift_docx_template_at", where=where))
            what = msg("drift_only_docx", scope=scope, text=text)
        else:
            where = locate_in_html(html_templates, diff.text)
            if where:
                context.append(msg("drift_html_template_at", where=where))
            what = msg("drift_only_pdf", scope=scope, text=text)
        if context:
            what += f" ({'; '.join(context)})"
        message = msg("drift", what=what)
        if not allowed:
            message += msg("drift_allow_hint")
        problems.append(Problem(message, docx_template))
    return problems


def _clip(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
