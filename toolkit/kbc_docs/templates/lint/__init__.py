"""Check templates before they are used, and say where each problem is in terms a clerk can find.

Clerks edit ``report.docx`` and ``signing.docx`` in Word. Word stores text as runs it splits as
it pleases, puts bookmarks, proofing marks and tracked changes between them and turns straight
quotes into curly ones; clerks move, copy and retype tags. docxtpl repairs some of this while
rendering and fails on the rest, usually with a message that names no place, or not at all:
text beside a ``{%p %}`` tag and a second ``{%p %}`` in the same paragraph silently vanish.
This package finds every such problem in one run and names the place: the part (``body``,
``header1``…), the table/row/cell, the paragraph number and the paragraph's text.

It checks, for ``.docx`` and ``.html`` templates alike: tags that are not closed, Jinja syntax,
blocks that are not closed or are closed by the wrong tag, curly quotes inside tags, and every
variable and field against the content model (:func:`kbc_docs.templates.variables.template_context`,
derived from :mod:`kbc_docs.view`), with "did you mean". For Word templates also: where
docxtpl's ``{%p %}``/``{%tr %}``/``{%tc %}``/``{%r %}`` tags can work, text they would drop,
blocks whose tags sit in different paragraphs, cells or tables, tags cut by markup docxtpl does
not remove (tracked changes, hyperlinks, content controls), and finally docxtpl's own
pre-processing run on every part, so that nothing it would break goes unreported.

``docxtpl-lint`` (PyPI) was evaluated and not used: it misses two of the Word damages in
``tests/templates_broken`` (two ``{%p %}`` tags in one paragraph, a tag cut by a tracked change),
checks variables only against sample data (no types, no methods, no "did you mean", optional
fields give false alarms) and does not read the HTML templates.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from pathlib import Path

from kbc_docs import cache
from kbc_docs.messages import language, msg
from kbc_docs.templates.lint.scanner import Finding
from kbc_docs.templates.lookup import TemplateKind, is_junk, template_kind

__all__ = ["Finding", "check_template", "format_findings", "lint_templates"]


def check_template(path: Path) -> list[Finding]:
    """Every problem of one template (``.docx`` or ``.html``), in document order."""
    path = Path(path)
    kind = template_kind(path)
    if not path.is_file():
        return [Finding("error", "", "", "", msg("lint_no_template"), str(path))]
    if kind is None:
        return [Finding("error", "", "", "", msg("lint_not_template"), str(path))]
    findings = _cached_check(path, kind)
    return [dataclasses.replace(f, file=str(path)) for f in findings]


def _cached_check(path: Path, kind: TemplateKind) -> list[Finding]:
    """The findings for one template, from the disk cache when the same bytes were checked.

    Checking the two Word templates takes most of a second and they rarely change; the key
    covers the template's bytes, the linter's code and libraries, and the message language.
    """
    versions = cache.versions("docxtpl", "Jinja2", "lxml")
    entry = cache.key(versions, kind, language(), path.read_bytes())
    stored = cache.get("template-checks", entry)
    if stored is not None:
        try:
            return [Finding(**item) for item in json.loads(stored)]
        except (ValueError, TypeError):
            pass
    # Imported on a miss only: a build whose templates were checked before loads no checker.
    from kbc_docs.templates.lint.html import check_html
    from kbc_docs.templates.lint.word import check_docx

    findings = check_docx(path) if kind == "docx" else check_html(path)
    data = json.dumps([dataclasses.asdict(f) for f in findings], ensure_ascii=False)
    cache.put("template-checks", entry, data.encode("utf-8"))
    return findings


def lint_templates(paths: Iterable[Path]) -> list[Finding]:
    """:func:`check_template` for each file; a folder stands for the templates in it."""
    findings: list[Finding] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files = sorted(
                p
                for p in path.iterdir()
                if template_kind(p) and p.is_file() and not is_junk(Path(p.name))
            )
        else:
            files = [path]
        for file in files:
            findings += check_template(file)
    return findings


def format_findings(findings: list[Finding], as_json: bool = False) -> str:
    """Findings as text for people (one line each plus the paragraph's text) or as JSON."""
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    if as_json:
        doc = {
            "findings": [dataclasses.asdict(f) for f in findings],
            "errors": errors,
            "warnings": warnings,
        }
        return json.dumps(doc, ensure_ascii=False, indent=2)
    lines: list[str] = []
    for f in findings:
        lines.append(str(f))
        if f.text:
            lines.append(f"    {f.text}")
    if not findings:
        lines.append(msg("lint_none"))
    else:
        lines.append(msg("lint_counts", errors=errors, warnings=warnings))
    return "\n".join(lines)
