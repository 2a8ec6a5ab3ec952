"""Jinja2's compiled templates kept in the disk cache, so a build does not compile them again.

Compiling ``report.html`` and the partials it imports costs a build tens of milliseconds on
the path of the report's PDF, for templates that rarely change. Jinja2 supports a bytecode
cache for this; this one stores the compiled code in :mod:`kbc_docs.cache` under a key that
covers the template's name and path, a checksum of its source (Jinja2's own), the environment's
class and the kbc-docs code (which sets its options) and Jinja2's version. Jinja2 itself checks
the stored checksum and its bytecode's magic number (the Python version) before using an entry.
"""

from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from kbc_docs import cache

_KIND = "jinja-bytecode"


class DiskBytecode(BytecodeCache):
    """A :class:`jinja2.BytecodeCache` in the kbc-docs disk cache (best effort, like it)."""

    def load_bytecode(self, bucket: Bucket) -> None:
        stored = cache.get(_KIND, _entry(bucket))
        if stored is not None:
            bucket.bytecode_from_string(stored)  # ignored by Jinja2 if it does not match

    def dump_bytecode(self, bucket: Bucket) -> None:
        cache.put(_KIND, _entry(bucket), bucket.bytecode_to_string())


def _entry(bucket: Bucket) -> str:
    environment = type(bucket.environment)
    return cache.key(
        cache.versions("Jinja2"),
        f"{environment.__module__}.{environment.__qualname__}",
        bucket.key,
        bucket.checksum,
    )
