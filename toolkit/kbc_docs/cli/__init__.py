"""The ``kbc-docs`` command: thin Typer functions over the library.

Exit codes:

* **0** — every file was written (``build``), is valid (``validate``) or the schema was written;
* **1** — a content file is invalid or a render failed; nothing is written for that file and its
  earlier outputs stay as they were. Other files on the same command line are still processed;
* **2** — usage error (unknown option or value; Typer's own, or ``schema`` of an unknown kind).

Known errors print as ``file:line:col: field.path: message`` on stderr, one per line, without a
traceback; anything else is a bug and keeps its traceback. Messages are in Vietnamese when the
locale is (``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` starting with ``vi``), else in English.
``build --draft`` turns missing translations into warnings (``⚠ file:line:col: …`` on stderr)
and marks every gap and every title in the output.
"""

from __future__ import annotations

# Each command module registers itself on `app` when imported, in the order of `--help`.
from kbc_docs.cli import build, validate, watch, schema, templates, sign, translate  # noqa: F401  # isort: skip
from kbc_docs.cli.app import app, main

__all__ = ["app", "main"]
