"""The PDF's HTML: the view through a sandboxed Jinja2 template, with the view's CSS.

The template only places the view's strings. The font stacks and the per-version page groups
are written from the view (:func:`head_css`), the signers' scans go in as ``data:`` URIs of
checked bytes (:func:`room_images`), and a template tag left in the HTML by a broken template
is a :class:`RenderError` (:func:`check_no_tags`).
"""

from __future__ import annotations

import base64
import functools
import io
import re
from pathlib import Path
from typing import get_args

import jinja2
from jinja2.sandbox import SecurityError
from markupsafe import Markup, escape

from kbc_docs.compiled_templates import DiskBytecode
from kbc_docs.content.images import mime_type
from kbc_docs.errors import Problem, RenderError
from kbc_docs.messages import msg
from kbc_docs.render import TAG_MARKERS
from kbc_docs.templates.sandbox import BoundedSandbox, template_line
from kbc_docs.view import DocumentView, FontStack, Role, RoomImage

# CSS predefined counter style for each CLDR numbering system a version may number pages in.
_PAGE_NUMBER_STYLES = {"latn": "decimal", "khmr": "khmer", "laoo": "lao"}


_ROLES = frozenset(get_args(Role))


ROLE_CLASSES: dict[str, tuple[str, ...]] = {
    "heading": ("hf",),
    "national_title": ("national-title", "motto"),
    "names": ("name",),
}
"""The font role that draws the text of an element with each of these classes (text in none
of them: the body font). The templates choose a text's role by its class; :func:`head_css`
writes one rule per role in this order, so an element with several (``name hf``) takes the
role listed last, and the glyph check (:mod:`.glyphs`) reads roles from the same table."""


_SAFE_FAMILY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]*$")


_SAFE_LANG = re.compile(r"^[a-z]{2,3}$")


def check_parallel(view: DocumentView) -> None:
    """A parallel view that cannot be paired row by row is a RenderError, before any layout.

    The templates call ``view.rows()`` and ``view.parallel_signers()``; their ``ValueError``
    raised inside Jinja2 would otherwise surface as a traceback instead of a message.
    """
    if view.layout != "parallel":
        return
    try:
        view.rows()
        view.parallel_signers()
    except ValueError as exc:
        raise RenderError(str(exc)) from exc


def as_folders(templates: Path | list[Path]) -> list[Path]:
    """One folder or a search path, as a list of absolute folders."""
    return [Path(f).resolve() for f in ([templates] if isinstance(templates, Path) else templates)]


def _environment(templates: list[Path]) -> BoundedSandbox:
    """Sandboxed, immutable and bounded: a template from another office may read the view, not
    change it, and cannot hang the build (:mod:`kbc_docs.templates.sandbox`)."""
    return BoundedSandbox(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=DiskBytecode(),
    )


def render_html(view: DocumentView, template: str, templates: Path | list[Path]) -> str:
    """Fill the HTML template; template problems become RenderError, not tracebacks."""
    layouts = {v.lang: v.header_style for v in view.versions}
    try:
        templates = as_folders(templates)
        tpl = _environment(templates).get_template(template)
        return tpl.render(
            view=view, layouts=layouts, head_css=head_css(view), images=room_images(view)
        )
    except jinja2.TemplateNotFound as exc:
        where = " or ".join(str(t) for t in templates)
        raise RenderError(msg("pdf_template_missing", template=template, where=where)) from exc
    except (OverflowError, RecursionError, MemoryError) as exc:  # e.g. a macro calling itself
        raise RenderError(msg("pdf_too_much", template=template, reason=exc)) from None
    except SecurityError as exc:  # a limit of the sandbox, at its place in the template
        file, line = template_line(exc)
        raise RenderError([Problem(str(exc), file or Path(template), line)]) from None
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}: " if getattr(exc, "lineno", None) else ""
        raise RenderError(msg("pdf_failed", where=where, template=template, reason=exc)) from exc


def _css_families(families: list[str], lang: str) -> str:
    """A CSS ``font-family`` value; names are checked, since they end up inside a <style>."""
    for family in families:
        if not _SAFE_FAMILY.match(family):
            raise RenderError(msg("font_family_name", family=family, lang=lang))
    return ", ".join(f'"{family}"' for family in families)


def head_css(view: DocumentView) -> Markup:
    """The view-dependent CSS: font stacks per language and one named page per version.

    A named page per version (``version-0``, ``version-1``…) lets each version restart its page
    numbers at 1 (``counter-reset: page 1`` on the version's first page, via the
    ``:nth(1 of version-N)`` page-group selector, which also leaves that page unnumbered), and
    lets the Khmer version number its pages in Khmer digits in its own font. A parallel
    document is a single text and gets a single page group, ``parallel-doc``.
    """
    rules: list[str] = []
    for lang in dict.fromkeys(v.lang for v in view.versions):
        if not _SAFE_LANG.match(lang):
            raise RenderError(msg("language_code", lang=lang))
        stack: FontStack = view.fonts[lang]
        rules.append(f".lang-{lang} {{ font-family: {_css_families(stack.body_pdf, lang)}; }}")
        for role, classes in ROLE_CLASSES.items():
            selector = ", ".join(f".lang-{lang} .{name}" for name in classes)
            families = _css_families(stack.pdf_stack(role), lang)
            rules.append(f"{selector} {{ font-family: {families}; }}")
    # A parallel document is one text: one page group, numbered like its first (left) column.
    pages = (
        [("parallel-doc", view.versions[0])]
        if view.layout == "parallel"
        else [(f"version-{i}", v) for i, v in enumerate(view.versions)]
    )
    for name, version in pages:
        style = _PAGE_NUMBER_STYLES.get(version.digits, "decimal")
        families = _css_families(view.fonts[version.lang].body_pdf, version.lang)
        rules.append(f".{name} {{ page: {name}; }}")
        rules.append(
            f"@page {name} {{ @top-center {{ content: counter(page, {style}); "
            f"font-family: {families}; }} }}"
        )
        rules.append(
            f"@page :nth(1 of {name}) {{ counter-reset: page 1; @top-center {{ content: none; }} }}"
        )
    # Never emit "}}": it would look like a leftover template tag to check_no_tags.
    return Markup("\n".join(rules).replace("}}", "} }"))


def check_no_tags(html: str, view: DocumentView) -> None:
    """Fail if a template tag survived rendering, ignoring tags that are the view's own text.

    Users may legitimately write ``{{`` in their text, so the view's strings (as escaped into
    the HTML) are removed first; whatever tag remains came from a broken template.
    """
    rest = html
    # Paragraph roles ("body", "h1"…) are field values, not printed text: leave them in.
    strings = {str(escape(s)) for s in [*view.texts(), view.slug] if s and s not in _ROLES}
    for s in sorted(strings, key=len, reverse=True):
        # A separator, not "", so that removing a string cannot join "{" and "{" into a tag.
        rest = rest.replace(s, "\x00")
    for marker in TAG_MARKERS:
        at = rest.find(marker)
        if at >= 0:
            snippet = rest[max(0, at - 40) : at + 40].replace("\n", " ")
            raise RenderError(msg("html_leftover_tag", marker=marker, near=snippet))


# Pillow modes a PDF/A with an sRGB output intent can show as they are; others (CMYK JPEGs,
# 16-bit or float images) are converted to RGB first.
_PDF_MODES = frozenset({"1", "L", "LA", "P", "RGB", "RGBA"})


def room_images(view: DocumentView) -> dict[str, list[RoomImage]]:
    """Party id → the images printed in its signature room, seal first (empty list if none).

    Each is a ``data:`` URI of the bytes :mod:`kbc_docs.content.images` checked; templates print
    them
    as ``<img src>`` and :class:`TemplateFolderFetcher` serves exactly these URIs.
    """
    out: dict[str, list[RoomImage]] = {}
    for version in view.versions:
        for signer in version.signers:
            if signer.party in out:
                continue
            out[signer.party] = [RoomImage(kind, _data_uri(data)) for kind, data in signer.scans]
    return out


def data_uris(view: DocumentView | None) -> dict[str, bytes]:
    """The images of ``view`` as the fetcher serves them: data: URI → bytes."""
    if view is None:
        return {}
    return {
        _data_uri(data): pdf_image(data)
        for version in view.versions
        for signer in version.signers
        for _, data in signer.scans
    }


@functools.lru_cache(maxsize=32)
def pdf_image(data: bytes) -> bytes:
    """``data`` as PDF/A can hold it: unchanged, or converted to an RGB PNG (e.g. CMYK JPEG)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        if image.mode in _PDF_MODES:
            return data
        out = io.BytesIO()
        image.convert("RGB").save(out, format="PNG")
        return out.getvalue()


@functools.lru_cache(maxsize=32)
def _data_uri(data: bytes) -> str:
    return f"data:{mime_type(data)};base64,{base64.b64encode(data).decode('ascii')}"
