"""Renderers: turn a :class:`kbc_docs.view.DocumentView` into DOCX or PDF bytes."""
