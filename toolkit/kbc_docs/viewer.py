"""Open a built file in the system's viewer (``build --open``).

Each system has one way to open a file with the program the user chose for its type: Windows'
``os.startfile``, macOS' ``open`` and, on Linux and the BSDs, ``xdg-open``. The viewer is
started detached; when there is none (a server, a container), the caller says so in words
instead of failing. ``xdg-open`` is often installed where no viewer is: it then exits at once
with an error, so it is given :data:`PATIENCE` seconds to fail; one still running by then has
started a viewer (some desktops keep it running until the viewer closes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

PATIENCE = 3.0
"""Seconds to wait for the opener to report that nothing could open the file."""


def open_in_viewer(path: Path) -> bool:
    """Open ``path`` with the system's default program; False when the system has no way to."""
    try:
        if sys.platform == "win32":
            os.startfile(path)  # type: ignore[attr-defined]
            return True
        opener = shutil.which("open" if sys.platform == "darwin" else "xdg-open")
        if opener is None:
            return False
        started = subprocess.Popen(
            [opener, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        return started.wait(timeout=PATIENCE) == 0
    except subprocess.TimeoutExpired:
        return True
    except OSError:
        return False
