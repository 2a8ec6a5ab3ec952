"""What a process has imported, asked of a worker (:mod:`kbc_docs.worker`) by name.

A module of its own, importing nothing: a test module sent to the worker would bring its own
imports along, and the answer would be about the test, not the worker.
"""

from __future__ import annotations

import sys


def modules() -> list[str]:
    """The names of the modules this process has imported."""
    return sorted(sys.modules)
