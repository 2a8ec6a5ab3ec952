"""``python -m kbc_docs`` is the same as the ``kbc-docs`` command."""

from kbc_docs.cli import main

main()
