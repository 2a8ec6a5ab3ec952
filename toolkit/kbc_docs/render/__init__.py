"""Renderers: turn a :class:`kbc_docs.view.DocumentView` into DOCX or PDF bytes.

What both renderers share is decided here once.
"""

from __future__ import annotations

import datetime as dt

DEFAULT_WHEN = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""Creation date written when the caller gives none: any fixed value keeps output reproducible."""

TAG_MARKERS = ("{{", "{%", "}}", "%}")
"""What a template tag left in a rendered document looks like (a broken template)."""
