"""Check the images a content file names (a signature scan, a seal) and read their bytes.

An image path comes from a file someone else may have written, and its bytes end up inside the
DOCX and the PDF. So it is read only from the content file's own folder: the path must be
relative, stay inside that folder once ``..`` and symlinks are resolved, and name a regular
file; a URL (``file:///etc/passwd``, ``http://…``) or an absolute path is refused outright.
The file must be a PNG or a JPEG by its first bytes (the extension says nothing), at most
:data:`MAX_BYTES`, and at most :data:`MAX_SIDE` pixels each way, read from its header before
anything is decoded (a small file can claim to be a huge image).
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

from kbc_docs.messages import msg
from kbc_docs.safepath import Outside, inside, refusal

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 4000
IMAGE_FIELDS = ("seal_image", "signature_image")
"""The signer's image fields, in drawing order: the seal first, the signature over it."""

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


class ImageProblem(ValueError):
    """Why an image path or file is refused, in the user's words."""


def mime_type(data: bytes) -> str:
    """``image/png`` or ``image/jpeg``, by the magic bytes (the data was checked already)."""
    return f"image/{_kind(data).lower()}"


def _kind(data: bytes) -> str:
    """``PNG`` or ``JPEG`` by the magic bytes; else ImageProblem."""
    if data.startswith(PNG_MAGIC):
        return "PNG"
    if data.startswith(JPEG_MAGIC):
        return "JPEG"
    raise ImageProblem(msg("image_type"))


def read_image(folder: Path, value: str) -> bytes:
    """The bytes of the image ``value`` names, relative to ``folder``; else ImageProblem."""
    try:
        path = inside(folder, value)
    except Outside as exc:
        raise ImageProblem(refusal(exc, folder)) from None
    if not path.exists():
        raise ImageProblem(msg("image_missing", value=value, path=path))
    if not path.is_file():
        raise ImageProblem(msg("image_not_file", value=value))
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ImageProblem(msg("image_too_big", size=size, limit=MAX_BYTES))
    with path.open("rb") as f:
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:  # grew since stat
        raise ImageProblem(msg("image_too_big", size=len(data), limit=MAX_BYTES))
    check_image(data)
    return data


def check_image(data: bytes) -> None:
    """PNG or JPEG by its magic bytes, of a sane pixel size, and decodable; else ImageProblem."""
    from PIL import Image, UnidentifiedImageError  # for the files that have images

    expected = _kind(data)
    if expected == "PNG" and data[12:16] == b"IHDR" and len(data) >= 24:
        # Read straight from the header, before Pillow sees the file.
        _check_size(*struct.unpack(">II", data[16:24]))
    try:
        with Image.open(io.BytesIO(data), formats=[expected]) as image:
            _check_size(*image.size)  # from the header (JPEG SOF): nothing is decoded yet
            image.load()
    except ImageProblem:
        raise
    except UnidentifiedImageError as exc:
        raise ImageProblem(msg("image_broken", kind=expected, reason="unknown data")) from exc
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ImageProblem(msg("image_broken", kind=expected, reason=exc)) from exc


def _check_size(width: int, height: int) -> None:
    if width > MAX_SIDE or height > MAX_SIDE:
        raise ImageProblem(msg("image_too_large", width=width, height=height, limit=MAX_SIDE))
