"""Open a built file in the system's viewer (``build --open``).

Each system has one way to open a file with the program the user chose for its type: Windows'
``os.startfile``, macOS' ``open`` and, on Linux and the BSDs, ``xdg-open``. The viewer is
started detached and not waited for; when there is none (a server, a container), the caller
says so in words instead of failing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def open_in_viewer(path: Path) -> bool:
    """Open ``path`` with the system's default program; False when the system has no way to."""
    try:
        if sys.platform == "win32":
            os.startfile(path)  # type: ignore[attr-defined]
            return True
        opener = shutil.which("open" if sys.platform == "darwin" else "xdg-open")
        if opener is None:
            return False
        subprocess.Popen(
            [opener, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return False
    return True
