"""Broken copies of ``templates/report.docx``, damaged the way Word damages templates.

Word stores a paragraph as runs and splits them wherever an edit, a spell check or a change of
keyboard language happened, so a tag a clerk sees as ``{{ v.title }}`` may be stored as five
runs with bookmarks and proofing marks between them. AutoFormat turns straight quotes into curly
ones, tracked changes wrap half a tag in ``w:ins``. Each :class:`Case` applies one such damage
(or one typical clerk mistake) to the real template, so the tests always use the current one.

Run ``python tests/templates_broken/make_gallery.py [DEST]`` to write the gallery as ``.docx``
files (default: this folder) to open in Word or to try ``kbc-docs templates check`` on.
"""

from __future__ import annotations

import copy
import io
import itertools
import random
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kbc_docs.render.docx.ooxml import W
from lxml import etree

NS = {"w": W}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "toolkit/kbc_docs/data/templates/report.docx"

Parts = dict[str, etree._Element]  # part name ("word/document.xml") → its root element


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass(frozen=True)
class Case:
    """One broken template: how it is made and what a correct linter says about it.

    ``repairable`` cases are damage docxtpl undoes while rendering: the build must give the same
    text as the clean template and the linter must not report an error. For the others the
    linter must report an error in ``part`` whose location contains ``where`` and whose
    paragraph text contains ``text`` (and whose message contains ``message``).
    """

    name: str
    mutate: Callable[[Parts], None]
    repairable: bool = False
    part: str = "body"
    where: str = ""
    text: str = ""
    message: str = ""


# ---------------------------------------------------------------- helpers


def paragraphs(root: etree._Element) -> list[etree._Element]:
    return list(root.iter(w("p")))


def visible(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(w("t")))


def find(root: etree._Element, text: str, nth: int = 0) -> etree._Element:
    """The ``nth`` paragraph whose visible text is exactly ``text``."""
    found = [p for p in paragraphs(root) if visible(p) == text]
    if len(found) <= nth:
        raise LookupError(f"no paragraph #{nth} with text {text!r} in the template")
    return found[nth]


def set_text(p: etree._Element, text: str) -> None:
    """Put ``text`` into the paragraph's first run and drop its other runs."""
    runs = p.findall("w:r", NS)
    runs[0].find("w:t", NS).text = text
    for r in runs[1:]:
        p.remove(r)


def split(p: etree._Element, cuts: list[int], rsid: random.Random | None = None) -> list:
    """Split the paragraph's single run at the character offsets ``cuts``; return the runs.

    With ``rsid``, every piece gets the ``w:rsidR``/``w:rsidRPr`` of a different editing
    session, as Word writes them.
    """
    (run,) = p.findall("w:r", NS)
    text = run.find("w:t", NS).text or ""
    bounds = [0, *sorted(set(c for c in cuts if 0 < c < len(text))), len(text)]
    pieces = []
    for a, b in itertools.pairwise(bounds):
        piece = copy.deepcopy(run)
        t = piece.find("w:t", NS)
        t.text = text[a:b]
        t.set(XML_SPACE, "preserve")
        if rsid is not None:
            session = f"00{rsid.randrange(16**6):06X}"
            piece.set(w("rsidR"), session)
            piece.set(w("rsidRPr"), session)
        pieces.append(piece)
    at = p.index(run)
    p.remove(run)
    for i, piece in enumerate(pieces):
        p.insert(at + i, piece)
    return pieces


def tag_paragraphs(root: etree._Element) -> list[etree._Element]:
    return [p for p in paragraphs(root) if "{{" in visible(p) or "{%" in visible(p)]


# ---------------------------------------------------------------- damage docxtpl repairs


def split_runs(parts: Parts) -> None:
    """Every tag cut into runs at random places, each run from another editing session."""
    rng = random.Random(20231116)
    for p in tag_paragraphs(parts["word/document.xml"]):
        n = len(visible(p))
        cuts = [1, 2, n - 1, n - 2, *(rng.randrange(1, n) for _ in range(3))]
        split(p, cuts, rsid=rng)


def retyped_runs(parts: Parts) -> None:
    """Half of each tag retyped with a Vietnamese keyboard: its runs get other properties."""
    rng = random.Random(7)
    for p in tag_paragraphs(parts["word/document.xml"]):
        n = len(visible(p))
        for i, run in enumerate(split(p, [rng.randrange(3, n - 2)], rsid=rng)):
            if i % 2:
                rpr = run.find("w:rPr", NS)
                if rpr is None:
                    rpr = etree.SubElement(run, w("rPr"))
                    run.remove(rpr)
                    run.insert(0, rpr)
                etree.SubElement(rpr, w("noProof"))
                etree.SubElement(rpr, w("lang")).set(w("val"), "vi-VN")


def proof_errors(parts: Parts) -> None:
    """Word's spell checker marks the field names (``national_title``) as misspelt."""
    for p in tag_paragraphs(parts["word/document.xml"]):
        text = visible(p)
        dot = text.find(".")
        if not text.startswith("{{") or dot < 0:
            continue
        end = text.find(" ", dot)
        first, word, _ = split(p, [dot + 1, end])
        first.addnext(etree.Element(w("proofErr"), {w("type"): "spellStart"}))
        word.addnext(etree.Element(w("proofErr"), {w("type"): "spellEnd"}))


def bookmarks(parts: Parts) -> None:
    """Bookmarks inside tags: Word's ``_GoBack`` (last edit) and a named one spanning out."""
    doc = parts["word/document.xml"]
    title = find(doc, "{{ v.title }}", nth=1)
    first, _ = split(title, [5])
    first.addnext(etree.Element(w("bookmarkStart"), {w("id"): "990", w("name"): "Title"}))
    title.append(etree.Element(w("bookmarkEnd"), {w("id"): "990"}))
    for i, p in enumerate(tag_paragraphs(doc)):
        if p is title:
            continue
        n = len(visible(p))
        first, _ = split(p, [n // 2])
        start = etree.Element(w("bookmarkStart"), {w("id"): str(2000 + i), w("name"): "_GoBack"})
        end = etree.Element(w("bookmarkEnd"), {w("id"): str(2000 + i)})
        first.addnext(start)
        start.addnext(end)


def smart_quotes(parts: Parts) -> None:
    """AutoFormat As You Type turned the straight quotes of every tag into curly ones."""
    for p in tag_paragraphs(parts["word/document.xml"]):
        text = visible(p)
        if '"' not in text:
            continue
        out, opening = [], True
        for ch in text:
            if ch == '"':
                out.append("“" if opening else "”")
                opening = not opening
            else:
                out.append(ch)
        set_text(p, "".join(out))


# ---------------------------------------------------------------- damage docxtpl cannot repair


def two_p_tags(parts: Parts) -> None:
    """``{%p endif %}`` and ``{%p endfor %}`` typed into one paragraph."""
    doc = parts["word/document.xml"]
    endif = find(doc, "{%p if not loop.last %}").getnext().getnext()
    endfor = endif.getnext()
    assert visible(endif) == "{%p endif %}" and visible(endfor) == "{%p endfor %}"
    set_text(endif, "{%p endif %}{%p endfor %}")
    endfor.getparent().remove(endfor)


def misspelt_variable(parts: Parts) -> None:
    """``v.national_title`` misspelt, in the parallel header (table 1, row 1, cell 2)."""
    set_text(find(parts["word/document.xml"], "{{ v.national_title }}"), "{{ v.natonal_title }}")


def misspelt_loop_attribute(parts: Parts) -> None:
    """``s.name`` misspelt inside ``{%tc for s in v.signers %}``."""
    set_text(find(parts["word/document.xml"], "{{ s.name }}"), "{{ s.nmae }}")


def tr_outside_table(parts: Parts) -> None:
    """A row loop around the body paragraphs, which are not in a table."""
    doc = parts["word/document.xml"]
    start = find(doc, "{%p for para in v.body %}")
    set_text(start, "{%tr for para in v.body %}")


def unclosed_if(parts: Parts) -> None:
    """The ``{%p endif %}`` of ``{%p if not loop.last %}`` deleted."""
    endif = find(parts["word/document.xml"], "{%p if not loop.last %}").getnext().getnext()
    assert visible(endif) == "{%p endif %}"
    endif.getparent().remove(endif)


def tracked_change(parts: Parts) -> None:
    """Track Changes on: the end of ``{{ v.motto }}`` retyped, so it sits in a ``w:ins``."""
    p = find(parts["word/document.xml"], "{{ v.motto }}", nth=1)
    _, last = split(p, [6])
    ins = etree.Element(
        w("ins"), {w("id"): "1", w("author"): "Clerk", w("date"): "2024-01-01T00:00:00Z"}
    )
    last.addprevious(ins)
    ins.append(last)


def header_variable(parts: Parts) -> None:
    """A misspelt variable in the page header."""
    hdr = parts["word/header1.xml"]
    p = etree.SubElement(hdr, w("p"))
    etree.SubElement(etree.SubElement(p, w("r")), w("t")).text = "{{ slgu }}"


CASES = [
    Case("split_runs", split_runs, repairable=True),
    Case("retyped_runs", retyped_runs, repairable=True),
    Case("proof_errors", proof_errors, repairable=True),
    Case("bookmarks", bookmarks, repairable=True),
    Case("smart_quotes", smart_quotes, repairable=True),
    Case("two_p_tags", two_p_tags, text="{%p endif %}{%p endfor %}", message="{%p"),
    Case(
        "misspelt_variable",
        misspelt_variable,
        where="table 1, row 1, cell 2",
        text="{{ v.natonal_title }}",
        message="national_title",
    ),
    Case("misspelt_loop_attribute", misspelt_loop_attribute, text="{{ s.nmae }}", message="name"),
    Case("tr_outside_table", tr_outside_table, text="{%tr for para in v.body %}", message="{%tr"),
    Case("unclosed_if", unclosed_if, text="{%p if not loop.last %}", message="endif"),
    Case("tracked_change", tracked_change, text="{{ v.motto }}", message="w:ins"),
    Case("header_variable", header_variable, part="header1", text="{{ slgu }}", message="slug"),
]


def make(case: Case, source: Path, dest: Path) -> Path:
    """Write ``dest/<case>.docx``: ``source`` with ``case``'s damage applied."""
    with zipfile.ZipFile(source) as zin:
        entries = [(info, zin.read(info)) for info in zin.infolist()]
    parts = {
        info.filename: etree.fromstring(blob)
        for info, blob in entries
        if info.filename in ("word/document.xml", "word/header1.xml")
    }
    case.mutate(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, blob in entries:
            if info.filename in parts:
                blob = etree.tostring(
                    parts[info.filename], xml_declaration=True, encoding="UTF-8", standalone=True
                )
            zout.writestr(info, blob)
    path = dest / f"{case.name}.docx"
    path.write_bytes(out.getvalue())
    return path


def make_gallery(dest: Path, source: Path = SOURCE) -> dict[str, Path]:
    """Write every case into ``dest``; return case name → file."""
    dest.mkdir(parents=True, exist_ok=True)
    return {case.name: make(case, source, dest) for case in CASES}


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    for name, path in make_gallery(target).items():
        print(f"{name}: {path}")
