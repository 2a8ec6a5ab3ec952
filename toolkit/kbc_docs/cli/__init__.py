"""The ``kbc-docs`` command: thin Typer functions over the library.

Exit codes (also in each command's help):

* **0** — every file was written (``build``, ``new``), is valid (``validate``) or the schema was
  written; ``verify``: every signature is intact and its certificate trusted;
* **1** — a content file is invalid or a render failed; nothing is written for that file and its
  earlier outputs stay as they were. Other files on the same command line are still processed.
  ``verify``: a signature does not check out, the document changed after it, or none is there;
* **2** — usage error (unknown option or value; Click's own, or ``schema`` of an unknown kind);
* **3** — ``build``: another build kept the output folder locked longer than ``--wait`` (its
  process id is named); ``verify``: every signature is intact, but a certificate is not trusted;
* **130** / **143** / **129** — interrupted by Ctrl-C / SIGTERM / the terminal closing (SIGHUP,
  unless ignored: ``nohup``); one line says nothing more was written.

Known errors print as ``file:line:col: field.path: message`` on stderr, one per line, without a
traceback; anything else is a bug and keeps its traceback. Every text comes from the gettext
catalogue (:mod:`kbc_docs.messages`): Vietnamese under a Vietnamese locale, English otherwise.
``build --draft`` turns missing translations into warnings (``⚠ file:line:col: …`` on stderr)
and marks every gap and every title in the output.
"""

from __future__ import annotations

# Each command module registers itself on `app` when imported, in the order of `--help`.
from kbc_docs.cli import build, validate, watch, new, schema, templates, sign, translate  # noqa: F401  # isort: skip
from kbc_docs.cli.app import app, main

__all__ = ["app", "main"]
