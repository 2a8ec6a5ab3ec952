"""Read YAML safely and remember where every value came from.

PyYAML's safe loader builds no arbitrary objects, but it silently accepts duplicate keys and
forgets line numbers once data is constructed. Clerks copy last year's file and edit it, so a
duplicated key is a real mistake that would silently drop text: we reject it. The map from
field path to (line, column) lets every later error point at the place in the file.

A content file is also input from outside (e-mailed, downloaded), so reading it must stay
bounded whatever it holds. Each step is limited before the next one can blow up:

1. at most :data:`MAX_BYTES` are read, and only from a regular file (not ``/dev/zero``);
2. the parser's event stream is checked first (:func:`_check_events`): at most
   :data:`MAX_NODES` events and :data:`MAX_DEPTH` levels of nesting. This is cheap, stops at the
   first excess, and protects the composer, which recurses once per level (libyaml's crashes
   the process on a few hundred thousand ``[``);
3. the node graph is walked with aliases followed (:class:`_Walker`), again at most
   :data:`MAX_NODES` nodes, :data:`MAX_DEPTH` levels and :data:`MAX_CHARS` characters of text,
   which refuses "billion laughs", recursive aliases and one long text repeated by aliases
   (small to parse, huge to validate and render) before anything is built from them; the same
   walk refuses tags other than YAML's plain ones (``!!python/…``, ``!!binary``, merge keys);
4. only then are Python values constructed (each aliased node once).

libyaml is used when PyYAML has it (the usual wheels do): the pure-Python parser takes tens of
seconds for a megabyte. Marks (line, column, character index) are the same with both.
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kbc_docs.errors import ContentError, Problem
from kbc_docs.messages import msg, yaml_problem

MAX_BYTES = 500_000  # a conference file is a few tens of KB; more is a mistake or an attack
MAX_NODES = 100_000  # values after following aliases; bounds "billion laughs"
MAX_CHARS = 1_000_000  # characters of text after following aliases; bounds what is rendered
MAX_DEPTH = 40  # nesting levels; a content file uses about 6
MAX_DIGITS = 30  # an integer longer than this is a typo (and Python refuses over 4300 digits)
Location = tuple[int, int]

_TAG = "tag:yaml.org,2002:"
# A number as YAML 1.2 and people read it: decimal digits, maybe a sign, a point, an exponent.
_PLAIN_NUMBER = re.compile(
    r"[-+]?(0|[1-9][0-9]*)(\.[0-9]*)?([eE][-+]?[0-9]+)?|[-+]?\.[0-9]+([eE][-+]?[0-9]+)?"
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)
_PLAIN_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")}


@dataclass
class Loaded:
    """A YAML document as plain data plus the location of every field path in it."""

    file: Path
    data: Any
    locations: dict[str, Location] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    """What is allowed but probably not meant (a Khmer/Lao text folded with a space)."""

    def problem(self, path: str, message: str) -> Problem:
        """A problem at ``path``, located at the nearest enclosing field that has a location."""
        probe = path
        while probe and probe not in self.locations:
            probe = _parent(probe)
        line, column = self.locations.get(probe, (None, None))
        return Problem(message, self.file, line, column, path)


def _parent(path: str) -> str:
    if path.endswith("]"):
        return path[: path.rindex("[")]
    return path.rpartition(".")[0]


def _join(parent: str, key: object) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else str(key)


def load_yaml(file: Path) -> Loaded:
    """Parse ``file`` into plain data, refusing what a safe loader would quietly accept."""
    # NFC: a name typed with combining accents (NFD, as macOS and some keyboards write it)
    # must be the same text as the precomposed one, or a search for it finds nothing.
    text = unicodedata.normalize("NFC", _decode(file, _read(file)))
    bad = _NON_PRINTABLE.search(text)
    if bad:
        raise ContentError([_control_character(file, text, bad.start())])
    node = _compose(file, text)
    walker = _Walker(file, text)
    walker.walk(node, "", 0)
    if walker.problems:
        raise ContentError(walker.problems)
    return Loaded(file, _construct(file, text, node), walker.locations, walker.warnings)


def _read(file: Path) -> bytes:
    """At most ``MAX_BYTES + 1`` bytes of a regular file: a device or a FIFO is never read."""
    try:
        if not file.exists():
            raise ContentError([Problem(msg("no_such_file"), file)])
        if not file.is_file():
            raise ContentError([Problem(msg("not_a_file"), file)])
        with file.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ContentError([Problem(msg("read_failed", reason=exc), file)]) from None
    if len(raw) > MAX_BYTES:
        line = raw[:MAX_BYTES].count(b"\n") + 1
        raise ContentError([Problem(msg("too_large", limit=MAX_BYTES), file, line, 1)])
    return raw


def _decode(file: Path, raw: bytes) -> str:
    # Word's and Notepad's "Unicode" is UTF-16: a byte-order mark, or a zero byte beside each
    # ASCII letter. Said by name, since its first byte is all a UTF-8 decoder can report.
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in raw[:2]:
        raise ContentError([Problem(msg("utf16"), file, 1, 1)])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = len(raw[raw.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8", "replace"))
        problem = Problem(msg("not_utf8", byte=exc.start), file, line, column + 1)
        raise ContentError([problem]) from None


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader (libyaml when available), except that dates stay strings.

    PyYAML's own date constructor raises a bare ``ValueError`` on ``2023-02-30``; pydantic names
    the field and the problem instead.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != f"{_TAG}timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# What PyYAML's reader refuses (C0/C1 controls and the like), and XML 1.0 forbids too.
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _syntax_problem(file: Path, text: str, exc: yaml.YAMLError) -> Problem:
    """A parser or composer error as a located problem, in words a clerk can act on."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    message = msg("yaml_syntax", problem=yaml_problem(problem))
    if mark is None:
        return Problem(message, file)
    lines = text.split("\n")
    line_text = lines[mark.line] if mark.line < len(lines) else ""
    indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
    if "\t" in indent or line_text[mark.column : mark.column + 1] == "\t":
        message += msg("tabs_hint")
    return Problem(message, file, mark.line + 1, mark.column + 1)


def _check_events(file: Path, text: str) -> None:
    """Refuse too many values or too deep nesting while parsing, before anything is built."""
    depth = count = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            count += 1
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if count > MAX_NODES or depth > MAX_DEPTH:
                mark = event.start_mark
                message = (
                    msg("too_many_values", limit=MAX_NODES)
                    if count > MAX_NODES
                    else msg("too_deep", limit=MAX_DEPTH)
                )
                raise ContentError([Problem(message, file, mark.line + 1, mark.column + 1)])
    except yaml.YAMLError as exc:
        problem = _syntax_problem(file, text, exc)
        if "maximum nesting depth" in str(getattr(exc, "problem", "")):
            # Some libyaml builds scan a flow collection ahead of the events and stop at their own
            # limit (1000) before ours is reached; the clerk gets the same words either way.
            problem = Problem(msg("too_deep", limit=MAX_DEPTH), file, problem.line, problem.column)
        raise ContentError([problem]) from None


def _compose(file: Path, text: str) -> yaml.Node:
    """The node graph of ``text`` (one document), after :func:`_check_events` allowed it."""
    _check_events(file, text)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:  # an undefined alias, a second document
        raise ContentError([_syntax_problem(file, text, exc)]) from None
    if node is None:
        raise ContentError([Problem(msg("empty_file"), file, 1, 1)])
    return node


def _construct(file: Path, text: str, node: yaml.Node) -> Any:
    """Python values from a node graph the walker accepted."""
    try:
        return _Loader(text).construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = msg("yaml_value", problem=exc.problem)
        raise ContentError([Problem(problem, file, line, column)]) from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. "!!int x"; the walker refuses
        raise ContentError([Problem(msg("yaml_value", problem=str(exc)), file)]) from None


class _Walker:
    """Walks the node graph once, following aliases, within :data:`MAX_NODES`/:data:`MAX_DEPTH`.

    Records each path's location, and collects duplicate keys, unsupported tags, merge keys and
    keys that are not plain scalars, each at its place in the file.
    """

    def __init__(self, file: Path, text: str) -> None:
        self.file = file
        self.text = text
        self.warnings: list[Problem] = []
        self.locations: dict[str, Location] = {}
        self.problems: list[Problem] = []
        self.budget = MAX_NODES
        self.chars = MAX_CHARS
        self.stopped = False  # a limit was hit: report it once, walk no further

    def add(self, node: yaml.Node, path: str, message: str) -> None:
        mark = node.start_mark
        if len(path) > 80:  # deep inside expanded aliases: the start says where
            path = path[:80] + "…"
        self.problems.append(Problem(message, self.file, mark.line + 1, mark.column + 1, path))

    def walk(self, node: yaml.Node, path: str, depth: int) -> None:
        self.budget -= 1
        if self.stopped:
            return
        if isinstance(node, yaml.ScalarNode):
            self.chars -= len(node.value)
        if self.budget < 0 or depth > MAX_DEPTH or self.chars < 0:
            self.stopped = True
            self.add(node, path, self.limit_message(depth))
            return
        self.locations[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.ScalarNode) and node.style != "|":
            self.warnings += _folded_spaces(self.file, self.text, node, path)
        if node.tag not in _PLAIN_TAGS:
            self.add(node, path, msg("bad_tag", tag=node.tag.replace(_TAG, "!!")))
        elif isinstance(node, yaml.MappingNode):
            self.mapping(node, path, depth)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.walk(item, _join(path, index), depth + 1)
        elif node.tag == f"{_TAG}int" and len(node.value) > MAX_DIGITS:
            self.add(node, path, msg("number_too_long", digits=len(node.value), limit=MAX_DIGITS))
        elif node.tag in (f"{_TAG}int", f"{_TAG}float") and not node.style:  # plain, unquoted
            self.yaml11_number(node, path)

    def yaml11_number(self, node: yaml.ScalarNode, path: str) -> None:
        """Refuse a number YAML 1.1 reads unlike it looks: ``012`` is 10, ``1:20`` is 80.

        Octal (``012``), hexadecimal (``0x16``), binary, ``_`` separators and base-60
        (``1:20``) are YAML 1.1 only; a clerk writing them meant the digits or a text.
        """
        if _PLAIN_NUMBER.fullmatch(node.value):
            return
        number = yaml.load(node.value, Loader=yaml.SafeLoader)  # short: MAX_DIGITS checked
        plain = node.value.replace("_", "") if "_" in node.value and ":" not in node.value else ""
        message = msg("yaml11_number", value=node.value, number=number)
        message += msg("yaml11_write", plain=plain) if plain else msg("yaml11_quote")
        self.add(node, path, message)

    def limit_message(self, depth: int) -> str:
        if self.budget < 0:
            return msg("too_many_values", limit=MAX_NODES)
        if depth > MAX_DEPTH:
            return msg("too_deep", limit=MAX_DEPTH)
        return msg("too_much_text", limit=MAX_CHARS)

    def mapping(self, node: yaml.MappingNode, path: str, depth: int) -> None:
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.add(key_node, path, msg("complex_key"))
                continue
            key = str(key_node.value)
            child = _join(path, key)
            if key_node.tag == f"{_TAG}merge":
                self.add(key_node, child, msg("merge_key"))
                continue
            if key in seen:
                self.add(key_node, child, msg("duplicate_key", key=key, first=seen[key]))
                continue
            seen[key] = key_node.start_mark.line + 1
            self.walk(value_node, child, depth + 1)
            # Point at the key, not the value: a block value starts on the next line.
            self.locations[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)


_PARTNER = re.compile("[\u1780-\u17d3\u17dc\u17dd\u17e0-\u17e9\u19e0-\u19ff\u0e80-\u0edf]")
"""Khmer and Lao letters and digits (not the signs that end a phrase, after which a space is
right): scripts where a space is a phrase break, not a word separator."""


def _folded_spaces(file: Path, text: str, node: yaml.ScalarNode, path: str) -> list[Problem]:
    """A warning for each line break YAML folds into a space between two Khmer or Lao letters.

    A plain, ``>`` or quoted scalar written over several lines gets a space at each line break
    ("ມູນເຊື້ອ⏎ຄວາມສາມັກຄີ" becomes "ມູນເຊື້ອ ຄວາມສາມັກຄີ"). In these scripts that space is a phrase
    break, so the text changed silently. A blank line (a kept line break) and a break escaped
    with a backslash in a double-quoted scalar give no space and no warning.
    """
    source = text[node.start_mark.index : node.end_mark.index]
    found: list[Problem] = []
    lines = source.split("\n")
    for number, (line, after) in enumerate(itertools.pairwise(lines)):
        before = line.rstrip(" ")
        following = after.lstrip(" ")
        if not before or not following or (before.endswith("\\") and node.style == '"'):
            continue
        if _PARTNER.match(before[-1]) and _PARTNER.match(following[0]):
            where = node.start_mark.line + number + 1
            words = f"{before.split()[-1]} {following.split()[0]}"
            found.append(Problem(msg("folded_text", words=words), file, where, len(before), path))
    return found


def _control_character(file: Path, text: str, index: int) -> Problem:
    """Locate a character YAML and Word refuse, with the field it sits in when we can tell."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    message = msg("control_character", code=f"{ord(text[index]):04X}")
    return Problem(message, file, line, column, _field_at(file, text, index))


def _field_at(file: Path, text: str, index: int) -> str:
    """The path of the innermost value spanning ``index``, or "" if the YAML does not parse."""
    cleaned = _NON_PRINTABLE.sub(" ", text)
    try:
        node = _compose(file, cleaned)
    except ContentError:
        return ""  # the syntax error will be reported once the character is fixed
    spans: list[tuple[int, int, str]] = []
    _spans(node, "", spans, 0)
    inside = [(end - start, p) for start, end, p in spans if start <= index < end]
    return min(inside)[1] if inside else ""


def _spans(node: yaml.Node, path: str, out: list[tuple[int, int, str]], depth: int) -> None:
    if depth > MAX_DEPTH or len(out) > MAX_NODES:  # aliases may repeat or recurse
        return
    if isinstance(node, yaml.ScalarNode):
        out.append((node.start_mark.index, node.end_mark.index, path))
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _spans(value, _join(path, str(key.value)), out, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _spans(item, _join(path, i), out, depth + 1)
