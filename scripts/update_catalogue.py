"""Extract, merge and compile the message catalogue (Babel), or check that it is complete.

    python scripts/update_catalogue.py          # after adding or changing a message
    python scripts/update_catalogue.py --check  # what the tests run: exit 1 if anything is due

Messages are extracted from kbc-docs' own code and from the parts of Click and Typer whose
messages a user meets (usage errors, help headings), since the command line hands kbc-docs'
catalogue to both (``messages.use_for_click``). New messages are merged into
``kbc_docs/data/locale/vi/LC_MESSAGES/kbc_docs.po`` without a translation; translate them there
(no fuzzy matches: a guessed translation is worse than English), then run this again to write
the ``.mo`` that gettext reads. Both are committed, so a checkout and a wheel work alike.

The ``.po`` is sorted by message and carries no source locations, so two branches adding
messages touch different lines.
"""

from __future__ import annotations

import argparse
import io
import string
import sys
from importlib.util import find_spec
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "toolkit" / "kbc_docs"
PO = PACKAGE / "data" / "locale" / "vi" / "LC_MESSAGES" / "kbc_docs.po"
MO = PO.with_suffix(".mo")

DEPENDENCIES = {
    "click": [
        "core.py",
        "decorators.py",
        "exceptions.py",
        "formatting.py",
        "parser.py",
        "termui.py",
        "types.py",
    ],
    "typer": ["core.py", "rich_utils.py"],
}
"""The modules of Click and Typer that produce what a kbc-docs user reads."""


def sources() -> list[Path]:
    """Every file messages are extracted from."""
    files = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
    for package, names in DEPENDENCIES.items():
        spec = find_spec(package)
        assert spec is not None and spec.origin is not None, package
        files += [Path(spec.origin).parent / name for name in names]
    return files


def template() -> Catalog:
    """The catalogue of every message in :func:`sources`, without translations."""
    catalog = Catalog(project="kbc-docs", fuzzy=False)
    for path in sources():
        for lineno, message, comments, context in extract_from_file("python", path):
            catalog.add(message, None, [(path.name, lineno)], auto_comments=comments,
                        context=context)  # fmt: skip
    return catalog


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def written(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, no_location=True, sort_output=True, width=100,
             include_previous=False, ignore_obsolete=True)  # fmt: skip
    return buffer.getvalue()


def _fields(text: str) -> set[str] | None:
    """The ``str.format`` fields of ``text``; None for a text that is not a format string."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def _same_fields(ids: tuple[str, ...], text: str) -> bool:
    """Whether a translation uses the fields of its message (of any plural form, for plurals:
    Vietnamese has one form for every number, and Click fills in all fields)."""
    wanted = [_fields(i) for i in ids]
    if any(w is None for w in wanted):
        return True
    got = _fields(text)
    union = set().union(*wanted)  # type: ignore[arg-type]
    return got is not None and (got == union if len(ids) == 1 else got <= union)


def problems(catalog: Catalog) -> list[str]:
    """Messages without a translation, and translations whose placeholders differ."""
    found = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            found.append(f"not translated: {ids[0]!r}")
        elif any(not _same_fields(ids, text) for text in strings):
            found.append(f"placeholders differ: {ids[0]!r}")
    return found


def updated() -> Catalog:
    """The ``.po`` merged with what the sources say today (new messages untranslated)."""
    with PO.open("rb") as file:
        catalog = read_po(file, locale="vi")
    catalog.update(template(), no_fuzzy_matching=True, update_creation_date=False)
    return catalog


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if due")
    args = parser.parse_args()
    catalog = updated()
    po, mo = written(catalog), compiled(catalog)
    found = problems(catalog)
    if args.check:
        if po != PO.read_bytes():
            found.append(f"{PO.name} is not up to date with the sources: run {Path(__file__).name}")
        if not MO.is_file() or mo != MO.read_bytes():
            found.append(f"{MO.name} is stale: run {Path(__file__).name}")
    else:
        PO.write_bytes(po)
        MO.write_bytes(mo)
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
