"""Word files as Word's own validator sees them: ``openxml-audit`` (the Open XML SDK's checks).

The SDK's schema data is its port of the ISO/IEC 29500 transitional schemas plus Microsoft's
extensions (w14, w15…), checked at the newest Office version it knows (Microsoft 365), with
the semantic checks (relationships, Markup Compatibility) and the security checks. No package
on PyPI or npm publishes the ISO transitional XSD files themselves, and a plain XSD check of
WordprocessingML reports every w14/w15 element Word writes; the SDK's validator is what Word's
"unreadable content" answer corresponds to.

As a pytest plugin (``-p support.docx_audit`` in pyproject.toml), it also audits, at the end of the
session, every Word file kbc-docs wrote during the session, wherever in the session's
temporary folders a test put it: every document the test suite builds is checked, not only
the ones :mod:`test_docx_audit` names.
"""

from __future__ import annotations

import functools
import io
import zipfile
from pathlib import Path

import pytest
from openxml_audit import FileFormat, OpenXmlValidator

STRICTEST = FileFormat.MICROSOFT_365


@functools.cache
def _validator() -> OpenXmlValidator:
    return OpenXmlValidator(file_format=STRICTEST, max_errors=0, security_validation=True)


def audit(path: Path) -> list[str]:
    """openxml-audit's errors and warnings for the Word file at ``path`` (empty: clean)."""
    result = _validator().validate(path)
    return [f"{e.part_uri or ''} {e.path or ''}: {e.description}".strip() for e in result.errors]


def made_by_kbc_docs(path: Path) -> bool:
    """Whether ``path`` is a Word file kbc-docs rendered (it signs the core properties)."""
    try:
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as package:
            core = package.read("docProps/core.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return b"<cp:lastModifiedBy>kbc-docs</cp:lastModifiedBy>" in core


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Audit every Word file kbc-docs wrote in this session's temporary folders."""
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None or session.config.option.collectonly:
        return
    try:
        base = factory.getbasetemp()
    except (OSError, ValueError):
        return
    problems = [
        f"{path.relative_to(base)}: {finding}"
        for path in sorted(base.rglob("*.docx"))
        if made_by_kbc_docs(path)
        for finding in audit(path)
    ]
    if problems:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_sep(
                "=", "openxml-audit: problems in Word files the tests built", red=True
            )
            for line in problems[:50]:
                reporter.write_line(line)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
