"""One tagged PDF from the PDFs of a document's language versions, in order.

Each version is laid out and written on its own (:mod:`~kbc_docs.render.pdf.versions`), as a
tagged PDF/A-3b file by WeasyPrint with its text and fonts fixed
(:func:`~kbc_docs.render.pdf.archive.finish_part`). Merging them is what a single layout of
the whole document would have written, the other way round:

* the pages, in order (qpdf copies each page with what it uses: content, fonts, images);
* the structure tree: each later version's structure elements go under the first version's
  document element, after its own, and its entries of the parent tree (the marked content of
  each page, by the page's ``/StructParents``) are renumbered after the first's;
* the outline: each version's entries after the previous version's, their counts summed;
* the catalog, output intent and viewer preferences of the first version (WeasyPrint writes
  the same ones for every version); the metadata is written afterwards for the whole document
  (:func:`~kbc_docs.render.pdf.archive.finish_document`).

Anything else a version's catalog holds (named destinations, forms, page labels: WeasyPrint
writes none for these documents) is refused rather than dropped (:class:`CannotMerge`): the
producer then lays the document out whole.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence

import pikepdf
from pikepdf import Array, Dictionary, Name

__all__ = ["CannotMerge", "merge_versions"]


class CannotMerge(Exception):
    """The versions' PDFs hold something this module does not merge (its args name it)."""

_MERGED = frozenset(
    {
        "/Type",
        "/Pages",
        "/StructTreeRoot",
        "/Outlines",
        "/MarkInfo",
        "/Metadata",
        "/OutputIntents",
        "/ViewerPreferences",
        "/Lang",
        "/PageMode",
    }
)
"""What a version's catalog may hold: merged here, or the same in every version."""


def merge_versions(parts: Sequence[bytes]) -> pikepdf.Pdf:
    """The PDFs ``parts`` (one per language version, in order) as one document, open."""
    doc = pikepdf.open(io.BytesIO(parts[0]))
    _check_catalog(doc)
    for data in parts[1:]:
        with pikepdf.open(io.BytesIO(data)) as other:
            _check_catalog(other)
            _append(doc, other)
    return doc


def _check_catalog(doc: pikepdf.Pdf) -> None:
    unknown = sorted(set(doc.Root.keys()) - _MERGED)
    if unknown:
        raise CannotMerge(*unknown)


def _append(doc: pikepdf.Pdf, other: pikepdf.Pdf) -> None:
    """``other``'s pages, structure and outline after ``doc``'s."""
    offset = _next_key(doc)
    first = len(doc.pages)
    doc.pages.extend(other.pages)  # copied first: what refers to a page then finds its copy
    for page in doc.pages[first:]:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annotation in page.obj.get("/Annots", Array()):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset
    _append_structure(doc, other, offset)
    _append_outline(doc, other)


def _numbers(tree: pikepdf.Object) -> Iterator[tuple[int, pikepdf.Object]]:
    """The entries of a number tree, in order."""
    nums = tree.get("/Nums", Array())
    for index in range(0, len(nums) - 1, 2):
        yield int(nums[index]), nums[index + 1]
    for kid in tree.get("/Kids", Array()):
        yield from _numbers(kid)


def _next_key(doc: pikepdf.Pdf) -> int:
    """The first parent-tree key ``doc`` does not use."""
    tree = doc.Root.get("/StructTreeRoot")
    if tree is None or "/ParentTree" not in tree:
        return 0
    keys = [key for key, _ in _numbers(tree.ParentTree)]
    declared = int(tree.get("/ParentTreeNextKey", 0))
    return max([declared, *(key + 1 for key in keys)])


def _document_element(root: pikepdf.Object) -> pikepdf.Object:
    """The one structure element under the structure tree root (WeasyPrint's /Document)."""
    kids = root.K
    if isinstance(kids, Array):
        if len(kids) != 1:
            raise CannotMerge("/StructTreeRoot /K")
        kids = kids[0]
    return kids


def _append_structure(doc: pikepdf.Pdf, other: pikepdf.Pdf, offset: int) -> None:
    if "/StructTreeRoot" not in other.Root:
        return
    if "/StructTreeRoot" not in doc.Root:
        raise CannotMerge("/StructTreeRoot")
    root, theirs = doc.Root.StructTreeRoot, other.Root.StructTreeRoot
    for key in ("/IDTree", "/RoleMap", "/ClassMap"):
        if key in root or key in theirs:
            raise CannotMerge(key)
    element = _document_element(root)
    if not isinstance(element.get("/K"), Array):
        element.K = Array([element.K]) if "/K" in element else Array()
    copied = doc.copy_foreign(_document_element(theirs))
    kids = copied.get("/K", Array())
    for kid in kids if isinstance(kids, Array) else [kids]:
        if isinstance(kid, Dictionary) and "/P" in kid:
            kid.P = element
        element.K.append(kid)
    entries = Array()
    for key, value in _numbers(root.ParentTree):
        entries.extend([key, value])
    for key, value in _numbers(theirs.ParentTree):
        entries.extend([key + offset, _copy(doc, value)])
    root.ParentTree = doc.make_indirect(Dictionary(Nums=entries))
    if "/ParentTreeNextKey" in root or "/ParentTreeNextKey" in theirs:
        root.ParentTreeNextKey = _next_key(doc)


def _copy(doc: pikepdf.Pdf, value: pikepdf.Object) -> pikepdf.Object:
    """``value`` of another file, in ``doc``: its objects copied (once: qpdf remembers the
    copies it made, pages included), a direct array or dictionary rebuilt around them."""
    if isinstance(value, Array | Dictionary) and not value.is_indirect:
        if isinstance(value, Array):
            return Array([_copy(doc, item) for item in value])
        return Dictionary({key: _copy(doc, item) for key, item in value.items()})
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return doc.copy_foreign(value)
    return value


def _append_outline(doc: pikepdf.Pdf, other: pikepdf.Pdf) -> None:
    theirs = other.Root.get("/Outlines")
    if theirs is None or "/First" not in theirs:
        return
    ours = doc.Root.get("/Outlines")
    if ours is None:
        ours = doc.Root.Outlines = doc.make_indirect(Dictionary(Type=Name.Outlines))
    first, last = doc.copy_foreign(theirs.First), doc.copy_foreign(theirs.Last)
    item = first
    while item is not None:  # the top-level entries (copied with the chain between them)
        item.Parent = ours
        item = item.get("/Next")
    if "/First" in ours:
        ours.Last.Next = first
        first.Prev = ours.Last
    else:
        ours.First = first
    ours.Last = last
    count = int(ours.get("/Count", 0)) + int(theirs.get("/Count", 0))
    if count:
        ours.Count = count
