"""Fixtures shared by the whole suite.

Building an example (both formats, every document) is the slow part of the end-to-end tests,
and several test modules read the same outputs. :func:`built_example` builds each
(example, layout) pair once per test session and hands every caller the same files; callers
read them and must not modify them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from kbc_docs import cache
from kbc_docs.view import DocumentView
from support.form_pages import KM_EXAMPLE, LO_EXAMPLE, build_outputs, copy_content, view_of

EXAMPLES = {"km": KM_EXAMPLE, "lo": LO_EXAMPLE}
ROOT = Path(__file__).resolve().parents[1]

Built = tuple[DocumentView, dict[str, Path]]


@pytest.fixture(scope="session", autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A cache folder (font subsets, template checks, build records) for this session only.

    The suite must not read what an earlier run or the user's own builds left in
    ``~/.cache/kbc-docs``, nor leave anything there; within the session the cache is shared,
    as it would be between a user's builds. Subprocesses inherit it through the environment.
    """
    before = os.environ.get("KBC_CACHE_DIR")
    os.environ["KBC_CACHE_DIR"] = str(tmp_path_factory.mktemp("kbc-cache"))
    yield
    if before is None:
        del os.environ["KBC_CACHE_DIR"]
    else:
        os.environ["KBC_CACHE_DIR"] = before


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Built]:
    """``built_example(source, layout=None)`` → (view, outputs) of a copy of a real example.

    ``source`` is an example's content file (``KM_EXAMPLE``, ``LO_EXAMPLE``) and ``layout``
    overrides its ``document.layout`` (see :func:`support.form_pages.copy_content`). The
    outputs map ``report.docx``, ``signing.pdf``… to the built files.
    """
    cache: dict[tuple[Path, str | None], Built] = {}

    def get(source: Path, layout: str | None = None) -> Built:
        key = (source, layout)
        if key not in cache:
            folder = tmp_path_factory.mktemp(f"{source.stem}-{layout or 'own'}")
            content = copy_content(source, folder / "content", layout=layout)
            cache[key] = view_of(content), build_outputs(content, folder / "out")
        return cache[key]

    return get


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example content and templates, with a cache folder of its own (tests that
    build, edit and rebuild; a module may define its own ``project``)."""
    monkeypatch.setenv("KBC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_keep_in_memory", False)  # watch turns it on: off after the test
    shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copytree(ROOT / "toolkit" / "kbc_docs" / "data" / "templates", tmp_path / "templates")
    return tmp_path
