"""``kbc-docs watch``: rebuild a content file each time it, its registry or a template is saved."""

from __future__ import annotations

import logging
from pathlib import Path

from kbc_docs.cli.app import ContentFile, Draft, OutDir, Templates, command, err
from kbc_docs.cli.build import show
from kbc_docs.messages import _, msg
from kbc_docs.options import BuildOptions


@command(
    "watch",
    _("Build FILE, then rebuild it after every save until Ctrl-C (one process, warm)."),
    "kbc-docs watch content/2024-11-20.yaml",
)
def watch_command(
    file: ContentFile,
    out_dir: OutDir = Path("build"),
    templates: Templates = None,
    draft: Draft = False,
) -> None:
    from kbc_docs.watch import watch_and_build

    options = BuildOptions(out=out_dir, templates=templates, draft=draft)
    # watchfiles says "KeyboardInterrupt caught, stopping watch" in English; ours says it.
    logging.getLogger("watchfiles").setLevel(logging.ERROR)
    err.print(msg("cli_watching", file=file), markup=False)
    watch_and_build(file, options, lambda outcome: show(outcome, templates))
    err.print(msg("cli_watch_stopped"), markup=False)
