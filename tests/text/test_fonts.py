"""Font checks: a family the view names must resolve in fontconfig, or the build stops."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys

import pytest
from kbc_docs.errors import FontError
from kbc_docs.text import fonts
from kbc_docs.view import DocumentView
from support.sample_view import sample_view

FAKE = "Kbc Missing Font Family"


def with_font(lang: str, role: str, stack: list[str]) -> DocumentView:
    view = sample_view()
    changed = dataclasses.replace(view.fonts[lang], **{role: stack})
    return dataclasses.replace(view, fonts={**view.fonts, lang: changed})


def test_sample_fonts_resolve() -> None:
    fonts.check_fonts(sample_view())


@pytest.mark.parametrize(
    "family", ["Tinos", "Liberation Serif", "Khmer OS Siemreap", "Khmer OS Muol Light"]
)
def test_installed_families_resolve_to_themselves(family: str) -> None:
    match = fonts.fc_match(family)
    assert match is not None
    assert family.casefold() in [f.casefold() for f in match.families]


def test_substitution_does_not_count() -> None:
    """fontconfig maps Times New Roman to Tinos here: that is a substitute, not the family."""
    assert not fonts._resolves("Times New Roman")
    assert not fonts._resolves(FAKE)


def test_case_is_ignored() -> None:
    assert fonts._resolves("khmer os siemreap")


def test_missing_khmer_font_names_font_language_and_package() -> None:
    view = with_font("km", "heading_pdf", ["Tinos", FAKE])
    with pytest.raises(FontError) as info:
        fonts.check_fonts(view)
    message = str(info.value)
    assert FAKE in message
    assert "'km'" in message
    assert "apt-get install fonts-khmeros" in message


def test_missing_vietnamese_font_names_its_package() -> None:
    view = with_font("vi", "body_pdf", [FAKE, "Liberation Serif"])
    with pytest.raises(FontError, match=rf"{FAKE}.*'vi'.*apt-get install fonts-croscore"):
        fonts.check_fonts(view)


def test_every_missing_font_is_reported_at_once() -> None:
    view = with_font("vi", "body_pdf", [FAKE + " A"])
    view = dataclasses.replace(
        view,
        fonts={
            **view.fonts,
            "km": dataclasses.replace(view.fonts["km"], body_pdf=[FAKE + " B"]),
        },
    )
    with pytest.raises(FontError) as info:
        fonts.check_fonts(view)
    assert len(info.value.problems) == 2


def test_language_without_a_font_stack() -> None:
    view = sample_view()
    view = dataclasses.replace(view, fonts={"vi": view.fonts["vi"]})
    with pytest.raises(FontError, match="'km'"):
        fonts.check_fonts(view)


def test_unused_language_is_not_checked() -> None:
    """Locales loaded but not used by the document do not need their fonts installed."""
    view = sample_view()
    lo = dataclasses.replace(view.fonts["km"], body_pdf=[FAKE], heading_pdf=[FAKE])
    fonts.check_fonts(dataclasses.replace(view, fonts={**view.fonts, "lo": lo}))


def test_family_names_with_pattern_syntax_are_escaped() -> None:
    """'-' and ':' mean size and property in fontconfig patterns; they must not confuse it."""
    assert not fonts._resolves("Tinos-12:weight=bold")
    assert not fonts._resolves("Tinos,Other")


def test_results_are_cached_per_process() -> None:
    fonts.check_fonts(sample_view())
    before = fonts.fc_match.cache_info()
    fonts.check_fonts(sample_view())
    after = fonts.fc_match.cache_info()
    assert after.misses == before.misses
    assert after.hits > before.hits


def test_missing_fontconfig_is_a_font_error(monkeypatch: pytest.MonkeyPatch) -> None:
    fonts.fc_match.cache_clear()
    fonts._fontconfig.cache_clear()
    monkeypatch.setattr(fonts, "_LIBRARIES", ("libkbc-no-such-fontconfig.so.1",))
    monkeypatch.setattr(fonts.ctypes.util, "find_library", lambda name: None)
    try:
        with pytest.raises(FontError, match="fontconfig is not installed"):
            fonts.check_fonts(sample_view())
    finally:
        fonts.fc_match.cache_clear()
        fonts._fontconfig.cache_clear()


@pytest.mark.parametrize("bold", [False, True])
@pytest.mark.parametrize(
    "family",
    ["Tinos", "Khmer OS Siemreap", "Khmer OS Muol Light", "Times New Roman", FAKE, "Tinos-12:x"],
)
def test_the_answer_is_fc_matchs(family: str, bold: bool) -> None:
    """Asked in this process, fontconfig answers what its ``fc-match`` program answers."""
    program = shutil.which("fc-match")
    if program is None:
        pytest.skip("fontconfig's fc-match is not installed")
    pattern = family
    for char in fonts._PATTERN_SPECIALS:
        pattern = pattern.replace(char, "\\" + char)
    answer = subprocess.run(
        [program, f"--format={fonts._FORMAT.decode()}", pattern + (":weight=bold" if bold else "")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = fonts.fc_match(family, bold)
    assert match is not None
    assert answer.split("\n") == [
        str(match.file),
        match.index,
        ",".join(match.families),
        match.weight,
        match.format,
    ]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Debian package's soname")
def test_fontconfig_loads_by_its_soname_without_a_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """``ctypes.util.find_library`` runs ``ldconfig -p`` (and more): not while the package's
    own library name loads."""
    import ctypes.util

    def no_search(name: str) -> None:
        raise AssertionError(f"searched for {name}")

    monkeypatch.setattr(ctypes.util, "find_library", no_search)
    fonts._fontconfig.cache_clear()
    try:
        assert fonts._fontconfig().FcNameParse is not None
    finally:
        fonts._fontconfig.cache_clear()
