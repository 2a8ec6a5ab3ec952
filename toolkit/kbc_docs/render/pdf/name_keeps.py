"""Registry names kept whole where they wrap, layout after layout, and a memo of each block's
decisions so that a rebuild lays a document out once.

:func:`keep_names` runs the passes (:func:`kbc_docs.render.pdf.weasy.layout_document` calls it):
after a layout, each name that wraps where a line could hold it is kept whole in its element
(:func:`.laid_out.wrapped_names`, :func:`.breaks.keep_names_whole`) and the document laid out
again; a keep that leaves a justified line with holes is undone (:func:`.laid_out.loose_blocks`)
and the name let wrap. Each decision reads one element's lines, and those depend on the element
alone: its text and markup, the styles it gets (its ancestors and their siblings: the CSS has
``:first-child`` and ``+`` rules), the fonts, and the width of its lines. So the decisions an
element converged to are a function of those, and are kept (:class:`Memo`, on disk and in a warm
process) under a key that covers them all; the next build applies them before its first
layout. The width is the one input the key cannot see before a layout: it is stored and
checked after it, with every other sign that the element behaves as it did (the same names
found wrapped, no holes). Should any check fail, the memo's keeps are undone and the passes
run from the start, exactly as without a memo: the memo can save layouts, never change a byte.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from xml.etree import ElementTree

from kbc_docs import cache
from kbc_docs.render.pdf import laid_out
from kbc_docs.render.pdf.breaks import keep_names_whole
from kbc_docs.render.pdf.weasy import Document

__all__ = ["NAME_PASSES", "Decision", "Memo", "element_keys", "keep_names"]

NAME_PASSES = 4
"""Most layouts after the first that keep names whole. Names whose keep would leave a line
with holes are told from the first layout (:attr:`.laid_out.WrappedName.loosens`), so one
more layout keeps the others whole in every example. Another may be needed where a kept
name moves the text after it: another name may then wrap, or a line further down be left
with holes, and the keep be undone. An element still changing when they run out is not
memoised."""

_KIND = "name-keeps"


@dataclass(frozen=True)
class Decision:
    """What the passes decided for one element, once they had nothing left to do there."""

    width: float
    """The width of its lines (CSS px), which its key cannot cover: checked after a layout."""
    kept: tuple[str, ...]
    """The names kept whole, in the order they were kept."""
    tried: tuple[str, ...]
    """Every name kept at some pass: those kept, and those undone (let wrap)."""
    let_wrap: tuple[str, ...]
    """The names that wrap and are let wrap without a try: a keep would leave holes."""

    def to_bytes(self) -> bytes:
        return json.dumps(
            [self.width, self.kept, self.tried, self.let_wrap], ensure_ascii=False
        ).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> Decision | None:
        """The decision stored as ``data``, or None for anything else (a damaged entry)."""
        try:
            width, kept, tried, let_wrap = json.loads(data.decode("utf-8"))
        except (ValueError, TypeError, UnicodeDecodeError):
            return None
        lists = (kept, tried, let_wrap)
        if not isinstance(width, float) or not all(
            isinstance(names, list) and all(isinstance(n, str) for n in names) for names in lists
        ):
            return None
        return cls(width, tuple(kept), tuple(tried), tuple(let_wrap))


_RECENT: cache.Recent[Decision] = cache.Recent(8192)
"""The decisions of a warm process (``kbc-docs watch``), by element key."""


class Memo:
    """The decisions of elements laid out before, by a key that covers all an element's
    inputs but its lines' width; ``context`` covers those shared by the whole document (the
    template files and fonts, the names, the versions), the HTML ``<head>`` excepted."""

    def __init__(self, context: str) -> None:
        self.context = context

    @staticmethod
    def active() -> bool:
        """Whether anything can be kept (the disk cache is on, or a warm process)."""
        return cache.folder() is not None or _RECENT.active

    def get(self, entry: str) -> Decision | None:
        decision = _RECENT.get(entry)
        if decision is None:
            data = cache.get(_KIND, entry)
            decision = Decision.from_bytes(data) if data is not None else None
            if decision is not None:
                _RECENT.put(entry, decision)
        return decision

    def put(self, entry: str, decision: Decision) -> None:
        _RECENT.put(entry, decision)
        cache.put(_KIND, entry, decision.to_bytes())


def element_keys(root: ElementTree.Element, context: str) -> dict[ElementTree.Element, str]:
    """A key for each element of the body: ``context``, the ``<head>``, the element's place
    (the tag and attributes of it, its ancestors and all their siblings, with their
    positions: what selectors can match) and its serialized subtree."""
    body = root.find("body")
    if body is None:
        return {}
    head = root.find("head")
    shared = cache.key(context, _serialized(head) if head is not None else "")
    places = {root: cache.key(shared, _markup(root))}
    keys: dict[ElementTree.Element, str] = {}
    for parent in root.iter():
        siblings = repr([_markup(child) for child in parent])
        for index, child in enumerate(parent):
            places[child] = place = cache.key(places[parent], siblings, str(index))
            if isinstance(child.tag, str) and (child is body or parent in keys or parent is body):
                keys[child] = cache.key(place, _serialized(child))
    return keys


def _markup(element: ElementTree.Element) -> str:
    return repr((str(element.tag), sorted(element.attrib.items())))


def _serialized(element: ElementTree.Element) -> str:
    """``element`` and its subtree, without its tail (the text after it is its parent's)."""
    tail, element.tail = element.tail, None
    try:
        return ElementTree.tostring(element, encoding="unicode")
    finally:
        element.tail = tail


def keep_names(
    render: Callable[[], Document],
    root: ElementTree.Element,
    names: Iterable[str],
    memo: Memo | None = None,
) -> Document:
    """Lay out the tree ``root`` (``render``) with ``names`` kept whole where they wrap and a
    line could hold them; with a ``memo``, the known elements' keeps are made before the
    first layout and the new elements' decisions stored after the last."""
    names = list(names)
    keys = element_keys(root, memo.context) if memo is not None else {}
    known = {e: d for e, key in keys.items() if memo and (d := memo.get(key)) is not None}
    passes = _Passes(names)
    document = None
    if known:
        restore: list[Callable[[], None]] = []
        for element, decision in known.items():
            restore += keep_names_whole([(element, n) for n in decision.kept]).values()
        document = render()
        if not passes.seed(document, known):
            for undo in reversed(restore):
                undo()
            del document  # freed before the next layout is made, not after: a lower peak
            document, known = None, {}
    document, unsettled = passes.run(render, document)
    if memo is not None:
        for element, decision in passes.decisions(document, unsettled).items():
            if element in keys and element not in known:
                memo.put(keys[element], decision)
    return document


class _Passes:
    """The state of the passes: each element's names kept and tried."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.kept: dict[ElementTree.Element, list[str]] = {}
        self.tried: dict[ElementTree.Element, set[str]] = {}
        self.found: list[laid_out.WrappedName] = []  # in the last layout

    def seed(self, document: Document, known: dict[ElementTree.Element, Decision]) -> bool:
        """Take ``known``'s decisions as made, if the layout ``document`` (made with their
        keeps) shows each element as when it was decided: lines as wide, alone (no element
        with lines of its own inside or around it), the same names found wrapped and no
        holes where names are kept. False, and nothing taken, if not."""
        widths = dict(_alone(document))
        found: dict[ElementTree.Element, dict[str, bool]] = {}
        self.found = laid_out.wrapped_names(document, self.names)  # run() starts from them
        for wrapped in self.found:
            found.setdefault(wrapped.element, {})[wrapped.name] = wrapped.loosens
        for element, decision in known.items():
            tried = set(decision.tried)
            if not set(decision.kept) <= tried <= set(self.names):
                return False
            if widths.get(element) != decision.width:
                return False
            seen = found.get(element, {})
            if any(not loosens and name not in decision.tried for name, loosens in seen.items()):
                return False
            let_wrap = {n for n, loosens in seen.items() if loosens and n not in decision.tried}
            if let_wrap != set(decision.let_wrap):
                return False
        kept = {element for element, decision in known.items() if decision.kept}
        if laid_out.loose_blocks(document, kept):
            return False
        for element, decision in known.items():
            self.kept[element] = list(decision.kept)
            self.tried[element] = set(decision.tried)
        return True

    def run(
        self, render: Callable[[], Document], document: Document | None
    ) -> tuple[Document, set[ElementTree.Element]]:
        """The passes from ``document`` (the first layout, made if None; given, the layout
        :meth:`seed` read, whose wrapped names it found: not looked for twice); the last layout
        and the elements that had nothing left to do in it (all of them unless the passes ran
        out)."""
        if document is None:
            document = render()
            self.found = laid_out.wrapped_names(document, self.names)
        undo: dict[ElementTree.Element, Callable[[], None]] = {}
        last: dict[ElementTree.Element, list[str]] = {}
        number = 0
        while True:
            loose = laid_out.loose_blocks(document, undo)
            wrapped = [
                (found.element, found.name)
                for found in self.found
                if not found.loosens and found.name not in self.tried.get(found.element, ())
            ]
            if (not wrapped and not loose) or number == NAME_PASSES:
                return document, loose | {element for element, _ in wrapped}
            # The last pass's keeps that left a justified line with holes after all are
            # undone; those names wrap, and are not kept again.
            for element in loose:
                undo[element]()
                del self.kept[element][-len(last[element]) :]
            undo = keep_names_whole(wrapped)
            last = {}
            for element, name in wrapped:
                last.setdefault(element, []).append(name)
                self.kept.setdefault(element, []).append(name)
                self.tried.setdefault(element, set()).add(name)
            del document  # freed before the next layout is made, not after: a lower peak
            document = render()
            self.found = laid_out.wrapped_names(document, self.names)
            number += 1

    def decisions(
        self, document: Document, unsettled: set[ElementTree.Element]
    ) -> dict[ElementTree.Element, Decision]:
        """The decisions of the elements of the last layout ``document`` that can be
        memoised: settled (not in ``unsettled``), alone, on lines of one width."""
        let_wrap: dict[ElementTree.Element, list[str]] = {}
        for found in self.found:  # the names found wrapped in ``document``
            if found.loosens and found.name not in self.tried.get(found.element, ()):
                let_wrap.setdefault(found.element, []).append(found.name)
        return {
            element: Decision(
                float(width),
                tuple(self.kept.get(element, ())),
                tuple(sorted(self.tried.get(element, ()))),
                tuple(let_wrap.get(element, ())),
            )
            for element, width in _alone(document)
            if element not in unsettled
        }


def _alone(document: Document) -> list[tuple[ElementTree.Element, float]]:
    """The elements with lines of ``document`` whose decisions are theirs alone, with the
    width of their lines: no element with lines is inside or around them (a name kept in an
    element is kept in everything inside it), their lines, on one page or several, are one
    run of block boxes of one width, hold no text the CSS generates (a counter, a page number)
    and no float shortens them (none in the document)."""
    if laid_out.has_floats(document):
        return []
    blocks = laid_out.line_blocks(document)
    counts: dict[ElementTree.Element, int] = {}
    for block in blocks:
        counts[block.element] = counts.get(block.element, 0) + 1
    nested: set[ElementTree.Element] = set()
    for element in counts:
        for inner in element.iter():
            if inner is not element and inner in counts:
                nested |= {element, inner}
    return [
        (block.element, block.widths[0])
        for block in blocks
        if counts[block.element] == 1
        and block.element not in nested
        and len(set(block.widths)) == 1
        and not block.generated
    ]
