"""The ``kbc-docs`` command's entry point; ``python -m kbc_docs`` is the same command.

A build's PDF worker is started here, before the command line is parsed and before the CLI
loads (:mod:`kbc_docs.early`): it imports WeasyPrint meanwhile.
"""

from __future__ import annotations

import sys


def main() -> None:
    """Run ``kbc-docs`` (:func:`kbc_docs.cli.app.main`), a build's PDF worker started first."""
    try:
        from kbc_docs import early

        early.start(sys.argv[1:])
        try:
            from kbc_docs.cli import main as command

            command()  # catches Ctrl-C and the other stop signals from here on
        finally:
            early.close()  # the command failed before its build took it
    except KeyboardInterrupt:
        # Ctrl-C while the CLI was still loading, before its own handler: the same one line
        # and exit code as later (nothing had been written yet).
        from kbc_docs.messages import msg

        print(msg("cli_interrupted"), file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()
