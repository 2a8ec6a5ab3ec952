"""Checks of an HTML template (the PDF's), located by line."""

from __future__ import annotations

import re
from pathlib import Path

from kbc_docs.messages import msg
from kbc_docs.templates.lint.blocks import check_unit
from kbc_docs.templates.lint.scanner import Finding, Where, check_strays, scan, short


def check_html(path: Path) -> list[Finding]:
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [Finding("error", "", "", "", msg("lint_unreadable", reason=exc))]
    lines = source.splitlines()
    starts = [m.start() for m in re.finditer(r"^", source, re.M)]

    def where_at(offset: int) -> Where:
        number = line_of(starts, offset)
        text = lines[number - 1].strip() if number - 1 < len(lines) else ""
        return Where("template", msg("lint_line", number=number), short(text, 100))

    out: list[Finding] = []
    tags = scan(source, where_at, out)
    check_strays(source, tags, where_at, out)
    check_unit(tags, "html", out)
    return sorted_findings(out)


def line_of(starts: list[int], offset: int) -> int:
    """1-based number of the line holding ``offset``."""
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= offset:
            lo = mid + 1
        else:
            hi = mid
    return max(lo, 1)


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    def key(f: Finding) -> tuple[int, int, str]:
        m = re.search(r"(\d+)\D*$", f.location)  # the paragraph's or line's number, last
        return (0, int(m.group(1)) if m else 0, f.message)

    unique = list(dict.fromkeys(findings))
    return sorted(unique, key=key)
