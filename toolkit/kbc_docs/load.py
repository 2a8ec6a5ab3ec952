"""Read YAML safely and remember where every value came from.

PyYAML's safe loader builds no arbitrary objects, but it silently accepts duplicate keys and
forgets line numbers once data is constructed. Clerks copy last year's file and edit it, so a
duplicated key is a real mistake that would silently drop text: we reject it. The map from
field path to (line, column) lets every later error point at the place in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kbc_docs.errors import ContentError, Problem

MAX_BYTES = 2_000_000  # a conference file is a few KB; anything larger is a mistake or an attack
MAX_NODES = 200_000  # bounds alias expansion ("billion laughs") while walking the node graph
Location = tuple[int, int]


@dataclass
class Loaded:
    """A YAML document as plain data plus the location of every field path in it."""

    file: Path
    data: Any
    locations: dict[str, Location] = field(default_factory=dict)

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
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise ContentError([Problem(f"cannot read the file: {exc.strerror}", file)]) from None
    if len(raw) > MAX_BYTES:
        raise ContentError([Problem(f"file is larger than {MAX_BYTES} bytes", file)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(
            [Problem(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", file)]
        ) from None
    bad = _NON_PRINTABLE.search(text)
    if bad:
        raise ContentError([_control_character(file, text, bad.start())])
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        message = f"YAML syntax error: {exc.problem}"
        if "\t" in text and "found character '\\t'" in str(exc):
            message += " (tabs cannot indent YAML; use spaces)"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise ContentError([Problem(message, file, line, column)]) from None
    if node is None:
        raise ContentError([Problem("the file is empty", file)])
    locations: dict[str, Location] = {}
    problems: list[Problem] = []
    budget = [MAX_NODES]
    _walk(node, "", locations, problems, file, budget)
    if problems:
        raise ContentError(problems)
    try:
        data = _Loader(text).construct_document(node)
    except yaml.MarkedYAMLError as exc:  # e.g. a !!python/object tag: never constructed
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise ContentError([Problem(f"YAML error: {exc.problem}", file, line, column)]) from None
    return Loaded(file, data, locations)


class _Loader(yaml.SafeLoader):
    """The safe loader, except that dates stay strings for pydantic to check.

    PyYAML's own date constructor raises a bare ``ValueError`` on ``2023-02-30``; pydantic names
    the field and the problem instead.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# What PyYAML's reader refuses (C0/C1 controls and the like), and XML 1.0 forbids too.
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _control_character(file: Path, text: str, index: int) -> Problem:
    """Locate a character YAML and Word refuse, with the field it sits in when we can tell."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    path = ""
    try:
        cleaned = _NON_PRINTABLE.sub(" ", text)
        spans: list[tuple[int, int, str]] = []
        _spans(yaml.compose(cleaned, Loader=_Loader), "", spans)
        inside = [(end - start, p) for start, end, p in spans if start <= index < end]
        path = min(inside)[1] if inside else ""
    except yaml.YAMLError:
        pass  # the syntax error will be reported once the character is fixed
    message = (
        f"contains the control character U+{ord(text[index]):04X}, which YAML and Word refuse "
        "(pasted from another program?); delete it"
    )
    return Problem(message, file, line, column, path)


def _spans(node: yaml.Node | None, path: str, out: list[tuple[int, int, str]]) -> None:
    if isinstance(node, yaml.ScalarNode):
        out.append((node.start_mark.index, node.end_mark.index, path))
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _spans(value, _join(path, str(key.value)), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _spans(item, _join(path, i), out)


def _walk(
    node: yaml.Node,
    path: str,
    locations: dict[str, Location],
    problems: list[Problem],
    file: Path,
    budget: list[int],
) -> None:
    """Record each path's start mark and reject duplicate mapping keys."""
    budget[0] -= 1
    if budget[0] < 0:
        if budget[0] == -1:
            problems.append(
                Problem(f"more than {MAX_NODES} values (aliases expanding too far?)", file)
            )
        return
    locations[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                problems.append(
                    Problem(
                        f"duplicate key '{key}' (first on line {seen[key]}); "
                        "YAML would silently keep only the last one",
                        file,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        _join(path, key),
                    )
                )
                continue
            seen[key] = key_node.start_mark.line + 1
            child = _join(path, key)
            _walk(value_node, child, locations, problems, file, budget)
            # Point at the key, not the value: a block value starts on the next line.
            locations[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, _join(path, index), locations, problems, file, budget)
