"""Every message a user can read has its Vietnamese, and numbers are written the user's way.

``scripts/update_catalogue.py --check`` (tests/content/test_check.py) proves every text marked
for the catalogue is translated; these tests prove the rest: that what reaches a user *is*
marked (no English sentence built in code), that every id named in code exists, and that
numbers, sizes and lists follow the language.
"""

from __future__ import annotations

import ast
import errno
import gettext
import os
from pathlib import Path

import pytest
from kbc_docs import messages
from kbc_docs.messages import MESSAGES, msg, size
from support.english import english_words

PACKAGE = Path(messages.__file__).resolve().parents[1]

SAME_IN_VIETNAMESE = {"loop", "{message} ({part})"}
"""Messages whose Vietnamese is the English (a Jinja name; a frame of other messages)."""

USER_FACING = {"Finding", "finding", "Problem", "echo", "print", "secho", "BadParameter", "Exit"}
"""Calls whose text a user reads; so is the text of any raised ``…Error``."""

INTERNAL = {"AssertionError", "AttributeError", "NotImplementedError", "RuntimeError", "TypeError"}
"""Errors that are a programmer's, never shown to a user as a message (the CLI shows only
``KbcError``s; anything else is a bug)."""

NEVER_TRANSLATED = {
    "data/__init__.py": "an installation without its data has no catalogue to translate with",
    "render/docx/rules.py": "a FontError caught in fit_rules: that paragraph is not measured",
}
"""Modules whose English literal is never read in another language, and why."""


@pytest.fixture
def vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")


def test_every_message_has_its_vietnamese(vietnamese: None) -> None:
    untranslated = [
        key
        for key, text in MESSAGES.items()
        if gettext.dgettext("kbc_docs", text) == text and text not in SAME_IN_VIETNAMESE
    ]
    assert not untranslated, untranslated


def _sources() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(PACKAGE.rglob("*.py"))]


def test_every_message_id_named_in_code_exists() -> None:
    unknown = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "msg"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value not in MESSAGES
            ):
                unknown.append(f"{path.name}:{node.lineno}: {node.args[0].value}")
    assert not unknown, unknown


def _literal_text(node: ast.expr) -> str:
    """The words of a string literal or f-string (its holes left out); '' for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(v.value for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return f"{_literal_text(node.left)} {_literal_text(node.right)}"
    return ""


def _raised_call(node: ast.Raise) -> ast.Call | None:
    return node.exc if isinstance(node.exc, ast.Call) else None


def test_no_english_sentence_reaches_a_user_without_the_catalogue() -> None:
    """A finding, problem, printed line or raised error written as an English literal would
    stay English under a Vietnamese locale: every such text must be a message id."""
    found = []
    for path, tree in _sources():
        calls: list[ast.Call] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and (call := _raised_call(node)) is not None:
                name = getattr(call.func, "id", None) or getattr(call.func, "attr", "")
                if name not in INTERNAL:
                    calls.append(call)
            elif isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
                if name in USER_FACING:
                    calls.append(node)
        for call in calls:
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                where = path.relative_to(PACKAGE).as_posix()
                if len(english_words(_literal_text(arg))) >= 2 and where not in NEVER_TRANSLATED:
                    found.append(f"{where}:{call.lineno}")
    assert not found, found


def test_the_checker_above_sees_an_english_literal() -> None:
    tree = ast.parse('raise RenderError(f"{path}: the font is not a TrueType file")')
    (node,) = [n for n in ast.walk(tree) if isinstance(n, ast.Raise)]
    call = _raised_call(node)
    assert call is not None and len(english_words(_literal_text(call.args[0]))) >= 2


def test_numbers_in_messages_follow_the_language(
    vietnamese: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = msg("cli_summary", built=10, failed=1, skipped=0, seconds=8.2)
    assert summary == "đã tạo 10, lỗi 1, bỏ qua 0, trong 8,2 giây"
    assert "10.485.760" in msg("too_large", limit=10_485_760)
    assert size(5 * 1024 * 1024 // 2) == "2,5 MiB"
    # What the user wrote is repeated as written, not rewritten as a Vietnamese number.
    assert "(nhận được 49.677)" in msg("at_least", limit=0, got=49.677)
    # Years, line numbers and counts are written plainly.
    assert "từ 1900 đến 2100" in msg("year_range", got=1800, low=1900, high=2100)
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert msg("cli_summary", built=10, failed=1, skipped=0, seconds=8.2).endswith("in 8.2 s")
    assert "10,485,760" in msg("too_large", limit=10_485_760)


def test_what_the_system_refused_is_said_in_the_users_language(
    vietnamese: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Python's strerror is English whatever the locale: the usual reasons are messages."""
    try:
        (tmp_path / "nope" / "x.yaml").read_text()
    except OSError as exc:
        missing = exc
    assert msg("cannot_write", reason=missing) == (
        "không ghi được vào đây: không có tệp hoặc thư mục này"
    )
    denied = PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    assert msg("read_failed", reason=denied).startswith("không đọc được tệp: không có quyền")
    odd = OSError(errno.ENOTSOCK, os.strerror(errno.ENOTSOCK))
    assert os.strerror(errno.ENOTSOCK) in msg("cannot_write", reason=odd)  # no message: as is
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert msg("cannot_write", reason=denied) == "cannot write here: permission denied"
