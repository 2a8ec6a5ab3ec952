"""The only files a PDF may load: those inside the template folders, and the signers' images.

WeasyPrint would otherwise read any ``file://`` URL or fetch from the network (WeasyPrint #2098).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from kbc_docs.content.images import mime_type
from kbc_docs.errors import RenderError
from kbc_docs.messages import msg
from kbc_docs.render.pdf.weasy import URLFetcher, URLFetcherResponse
from kbc_docs.safepath import Outside, inside, within


class TemplateFolderFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves only files inside the template folders.

    Everything else (``http:``, ``data:``, a ``file:`` URL outside the folders, ``../`` escapes,
    symlinks pointing out of them) raises :class:`RenderError` naming the URL. WeasyPrint would
    otherwise turn the error into a logged warning, so ``fail_on_errors`` makes it stop the render.
    The one exception is ``data_uris``: the ``data:`` URIs of the signers' images, which the
    renderer made itself from checked bytes (:func:`room_images`).
    Relative URLs resolve against the first folder; a file missing there is taken from the next
    one, so an office's folder need only hold the templates it changed.
    """

    def __init__(
        self, root: Path, *fallbacks: Path, data_uris: Mapping[str, bytes] | None = None
    ) -> None:
        super().__init__(fail_on_errors=True)
        self.root = Path(root).resolve()
        self.fallbacks = [Path(f).resolve() for f in fallbacks]
        # The data: URIs the renderer itself made from checked images (:func:`room_images`),
        # with their bytes: the only data: URIs served; any other one is refused.
        self.data_uris = dict(data_uris or {})

    def allowed_path(self, url: str) -> Path:
        """The file ``url`` names, if it is a readable file inside the folders; else RenderError."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise RenderError(msg("pdf_refused", url=url, root=self.root))
        path = Path(url2pathname(parts.path)).resolve()  # url2pathname decodes %XX
        if not within(self.root, path):
            raise RenderError(msg("pdf_outside", url=url, root=self.root))
        rel = path.relative_to(self.root).as_posix()
        for folder in self.fallbacks:
            if not path.is_file():
                try:
                    path = inside(folder, rel)
                except Outside:
                    raise RenderError(msg("pdf_outside", url=url, root=folder)) from None
        if not path.is_file():
            raise RenderError(msg("pdf_no_file", url=url, root=self.root))
        return path

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Serve ``url`` from the folder (see :meth:`allowed_path`), or a registered image."""
        data = self.data_uris.get(url)
        if data is not None:
            return URLFetcherResponse(url, data, headers={"Content-Type": mime_type(data)})
        path = self.allowed_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
        )
