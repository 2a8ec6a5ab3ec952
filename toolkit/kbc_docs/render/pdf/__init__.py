"""The PDF renderer: Jinja2 HTML, WeasyPrint, then PDF/A archiving.

Importing WeasyPrint loads Pango, HarfBuzz and fontconfig through cffi, trying each library's
names for every platform in turn ("libgobject-2.0-0", "gobject-2.0-0", … "libgobject-2.0.so.0").
cffi looks up every name that does not load with :func:`ctypes.util.find_library`, which on
Linux runs ``ldconfig -p``, then ``gcc`` and ``ld`` for each one: about 40 processes and a
tenth of a second of CPU per build. On Linux that lookup can only ever name a library the
dynamic loader would load by its soname, and WeasyPrint's list ends with the sonames, so it is
skipped while WeasyPrint loads its libraries (same libraries, no processes).
"""

from __future__ import annotations

import ctypes.util
import sys


def _load_weasyprint_libraries() -> None:
    if not sys.platform.startswith("linux") or "weasyprint.text.ffi" in sys.modules:
        return
    find_library = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint.text.ffi  # noqa: F401
    finally:
        ctypes.util.find_library = find_library


_load_weasyprint_libraries()
