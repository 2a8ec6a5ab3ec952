"""Signature and seal scans: read only from the content's folder, checked, printed in both outputs.

A copy of the example content is put in ``tmp_path`` with small images beside it; the first
signer's ``signature_image`` (and ``seal_image``) point at them. Every way of reaching outside
the folder (``..``, absolute paths, URLs, symlinks) and every file that is no small PNG/JPEG
is refused with a located message naming ``parties[0].signer.signature_image``.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest
from kbc_docs.content.images import MAX_BYTES, ImageProblem, check_image
from kbc_docs.content.resolve import load_content
from kbc_docs.errors import ContentError, RenderError
from kbc_docs.pipeline import BuildOptions, build
from kbc_docs.render.pdf.fetcher import TemplateFolderFetcher
from PIL import Image, ImageDraw
from support.pdf_checks import archive_problems

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
TEMPLATES = ROOT / "toolkit/kbc_docs/data/templates"
FIELD = "parties[0].signer.signature_image"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def png(width: int = 120, height: int = 60) -> bytes:
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(5, height - 5), (width // 2, 5), (width - 5, height - 5)], width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def jpeg(width: int = 80, height: int = 80) -> bytes:
    image = Image.new("RGB", (width, height), (255, 255, 255))
    if min(width, height) > 10:
        ImageDraw.Draw(image).ellipse((4, 4, width - 4, height - 4), outline=(200, 0, 0), width=5)
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG signature and IHDR only: a tiny file claiming a huge picture."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


def content_with(folder: Path, signature: str | None, seal: str | None = None) -> Path:
    """The example content copied into ``folder`` with the first signer's images set."""
    shutil.copy(CONTENT / "registry.yaml", folder / "registry.yaml")
    text = (CONTENT / "2023-11-16.yaml").read_text(encoding="utf-8")
    first = re.search(r"^(\s+)person: .*$", text, flags=re.M)
    assert first is not None
    extra = ""
    if signature is not None:
        extra += f"\n{first.group(1)}signature_image: '{signature}'"
    if seal is not None:
        extra += f"\n{first.group(1)}seal_image: '{seal}'"
    text = text[: first.end()] + extra + text[first.end() :]
    file = folder / "2023-11-16.yaml"
    file.write_text(text, encoding="utf-8")
    return file


def refusal(file: Path) -> str:
    """The one message for FIELD, as printed (``file:line:col: field: message``)."""
    with pytest.raises(ContentError) as caught:
        load_content(file, TEMPLATES)
    found = [p for p in caught.value.problems if p.path == FIELD]
    assert len(found) == 1, caught.value.problems
    printed = str(found[0])
    assert re.match(rf"^.*2023-11-16\.yaml:\d+:\d+: {re.escape(FIELD)}: ", printed), printed
    return printed


def test_build_prints_the_images_in_docx_and_pdf(tmp_path: Path) -> None:
    (tmp_path / "signature.png").write_bytes(png())
    (tmp_path / "seal.jpg").write_bytes(jpeg())
    file = content_with(tmp_path, "signature.png", "seal.jpg")
    written = build(file, BuildOptions(out=tmp_path / "out", templates=None))
    by_name = {p.name: p for p in written}

    for name in ("2023-11-16_signing_vi-km.docx", "2023-11-16_report_vi-km.docx"):
        with zipfile.ZipFile(by_name[name]) as docx:
            media = {docx.read(n) for n in docx.namelist() if n.startswith("word/media/")}
        assert {png(), jpeg()} <= media, name

    pdf = by_name["2023-11-16_signing_vi-km.pdf"].read_bytes()
    assert archive_problems(pdf) == []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:  # each language's signing page shows the first party's scans
            assert _images_on(page) >= 2
    assert archive_problems(by_name["2023-11-16_report_vi-km.pdf"].read_bytes()) == []


def _images_on(page: pikepdf.Page) -> int:
    """Image XObjects drawn on ``page``, also inside form XObjects."""

    def count(resources: pikepdf.Object) -> int:
        found = 0
        for xobject in dict(resources.get("/XObject", {})).values():
            if xobject.get("/Subtype") == "/Image":
                found += 1
            elif "/Resources" in xobject:
                found += count(xobject.Resources)
        return found

    return count(page.Resources)


def test_without_images_nothing_changes(tmp_path: Path) -> None:
    file = content_with(tmp_path, None)
    resolved, _ = load_content(file, TEMPLATES)
    assert resolved.images == {}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("../secret.png", "leads outside the content file's folder"),
        ("sub/../../secret.png", "leads outside the content file's folder"),
        ("/etc/passwd", "is an absolute path"),
        ("file:///etc/passwd", "is a URL"),
        ("http://example.com/x.png", "is a URL"),
        ("data:image/png;base64,iVBORw0KGgo=", "is a URL"),
        ("missing.png", "image 'missing.png' not found"),
    ],
)
def test_paths_are_refused(tmp_path: Path, value: str, expected: str) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    (tmp_path / "secret.png").write_bytes(png())  # exists, but outside the folder
    assert expected in refusal(content_with(folder, value))


def test_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    (tmp_path / "secret.png").write_bytes(png())
    (folder / "link.png").symlink_to(tmp_path / "secret.png")
    assert "leads outside the content file's folder" in refusal(content_with(folder, "link.png"))


def test_symlink_inside_the_folder_is_fine(tmp_path: Path) -> None:
    (tmp_path / "real.png").write_bytes(png())
    (tmp_path / "link.png").symlink_to(tmp_path / "real.png")
    resolved, _ = load_content(content_with(tmp_path, "link.png"), TEMPLATES)
    assert resolved.images["vn-kiengiang-mttq"]["signature_image"] == png()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"not an image at all\n", "not a PNG or JPEG image"),
        (b"GIF89a" + b"\0" * 40, "not a PNG or JPEG image"),
        (png_header(5000, 10), "5000×10 pixels, more than 4000"),
        (png(4001, 1), "4001×1 pixels, more than 4000"),
        (jpeg(1, 4001), "1×4001 pixels, more than 4000"),
        (png()[:40], "the PNG image cannot be read"),
        (b"\xff" * (MAX_BYTES + 1), f"more than the limit of {MAX_BYTES:,}"),
    ],
    ids=["text", "gif", "huge-header", "wide-png", "tall-jpeg", "truncated", "over-2mb"],
)
def test_files_are_refused(tmp_path: Path, data: bytes, expected: str) -> None:
    (tmp_path / "scan.png").write_bytes(data)
    assert expected in refusal(content_with(tmp_path, "scan.png"))


def test_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "scan.png").mkdir()
    assert "is not a regular file" in refusal(content_with(tmp_path, "scan.png"))


def test_seal_image_is_checked_too(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as caught:
        load_content(content_with(tmp_path, None, "../seal.png"), TEMPLATES)
    assert [p.path for p in caught.value.problems] == ["parties[0].signer.seal_image"]


def test_messages_in_vietnamese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    assert "là một URL" in refusal(content_with(tmp_path, "file:///etc/passwd"))


def test_type_is_judged_by_content_not_name() -> None:
    check_image(jpeg())  # a JPEG is fine whatever the file is called
    with pytest.raises(ImageProblem):
        check_image(b"<svg xmlns='http://www.w3.org/2000/svg'/>")


def test_fetcher_serves_only_the_registered_data_uris() -> None:
    data = png()
    uri = "data:image/png;base64,AAAA"
    fetcher = TemplateFolderFetcher(TEMPLATES, data_uris={uri: data})
    response = fetcher.fetch(uri)
    assert response.content_type == "image/png"
    assert response.read() == data
    response.close()
    for other in ("data:image/png;base64,BBBB", "data:text/css,body{}", "http://example.com/"):
        with pytest.raises(RenderError):
            fetcher.fetch(other)


def test_cmyk_jpeg_goes_into_the_pdf_as_rgb() -> None:
    from kbc_docs.render.pdf.html import pdf_image

    out = io.BytesIO()
    Image.new("CMYK", (20, 20), (0, 255, 255, 0)).save(out, format="JPEG")
    with Image.open(io.BytesIO(pdf_image(out.getvalue()))) as image:
        assert (image.format, image.mode) == ("PNG", "RGB")
    assert pdf_image(jpeg()) == jpeg()  # RGB passes unchanged
