"""Every character the PDF prints has a glyph in the font that prints it, checked before layout.

WeasyPrint draws a character that no font of its stack has in whatever font fontconfig finds,
or as a box, and says nothing; an emoji or a Chinese character pasted into a name would reach
the signed paper. Which font prints a text is the template's choice: the class of its element
picks the role (:data:`~kbc_docs.render.pdf.html.ROLE_CLASSES`: headings, national title and
motto, signers' names, else the body), and the language file gives each role its font
(:meth:`kbc_docs.text.locale.Fonts.role`, carried by the view's font stacks). So the HTML
templates are filled (Jinja only, no layout) and read back, every text with its language and
role, and each character no font of that role has is reported at the field of the content file
or the registry that holds it, naming the character and the fonts tried: one message where
the clerk can fix it, before anything is written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import lxml.html

from kbc_docs.content.load import Loaded, load_yaml
from kbc_docs.content.references import used_entries
from kbc_docs.content.resolve import Resolved, registry_path
from kbc_docs.content.texts import Text, iter_texts
from kbc_docs.errors import ContentError, Problem
from kbc_docs.messages import GAP_MARKER, draft_title, msg
from kbc_docs.render.pdf.html import ROLE_CLASSES, render_html
from kbc_docs.templates.lookup import find_template
from kbc_docs.text.fonts import missing_characters
from kbc_docs.text.segment import ZWSP
from kbc_docs.view import DocumentView

_NOT_PRINTED = {"head", "title", "style", "script"}

Field = tuple[Loaded, str, Text]
"""Where a text is written (the file's places, the field path) and the text."""


def check_glyphs(content_file: Path, resolved: Resolved, view: DocumentView) -> None:
    """Raise :class:`ContentError` naming each field that holds a character no font prints."""
    problems = glyph_problems(view, resolved.templates, text_fields(content_file, resolved))
    if problems:
        raise ContentError(problems)


def glyph_problems(view: DocumentView, folders: list[Path], fields: list[Field]) -> list[Problem]:
    """Each character of ``view`` no font of its role prints, at the fields holding it.

    A character found in no field comes from a template or a language file: it is reported at
    the template.
    """
    missing: dict[tuple[str, str], dict[str, list[str]]] = {}  # (lang, char): {role: stack}
    template_of: dict[tuple[str, str], str] = {}
    # A draft's own markers (⟦BẢN NHÁP⟧) may print in a fallback font: they are no clerk's text.
    markers = [GAP_MARKER.format(lang=lang) for lang in view.languages]
    markers += [draft_title(lang) for lang in view.languages]
    markers += [marker.upper() for marker in markers]  # in titles printed in capitals
    for document in view.documents():
        html = render_html(view, f"{document}.html", folders)
        for lang, role, drawn in drawn_texts(html):
            stack = view.fonts[lang].pdf_stack(role) if lang in view.fonts else []
            for char in missing_characters(_without(drawn, markers), stack):
                missing.setdefault((lang, char), {}).setdefault(role, stack)
                template_of.setdefault((lang, char), f"{document}.html")
    problems: list[Problem] = []
    for (lang, char), roles in missing.items():
        tried = "; ".join(
            f"{msg(f'font_role_{role}')}: {', '.join(stack)}" for role, stack in roles.items()
        )
        about = {"char": char, "code": f"{ord(char):04X}", "lang": lang, "fonts": tried}
        about["name"] = unicodedata.name(char, "")
        holders = [
            (where, f"{path}.{lang}")
            for where, path, text in fields
            if char in _without(text.get(lang, ""), markers)
        ]
        if holders:
            message = msg("missing_glyph", **about)
            problems += [where.problem(path, message) for where, path in holders]
        else:
            template = find_template(template_of[(lang, char)], folders)
            problems.append(Problem(msg("missing_glyph_template", **about), template))
    return problems


def _without(text: str, markers: list[str]) -> str:
    """``text`` without the draft's markers (and the break marks that may cut them); a
    marker's spaces may be printed as NO-BREAK SPACEs (a signer's name is kept on one line)."""
    text = text.replace(ZWSP, "")
    for marker in markers:
        words = (re.escape(word) for word in marker.split(" "))
        text = re.sub("[ \u00a0]".join(words), "", text)
    return text


def drawn_texts(html: str) -> Iterator[tuple[str, str, str]]:
    """Every text the page prints, as (language, font role, text).

    The language is that of the nearest element with a ``lang-xx`` class (the class the CSS
    gives each language its fonts by); text outside any prints in no language's font and is
    left out. The role is that of the nearest element with a class of
    :data:`~kbc_docs.render.pdf.html.ROLE_CLASSES`, as the CSS decides it.
    """
    root = lxml.html.document_fromstring(html)
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in _NOT_PRINTED:
            continue
        if element.text:
            lang, role = _context(element)
            if lang:
                yield lang, role, element.text
        parent = element.getparent()
        if element.tail and parent is not None:
            lang, role = _context(parent)
            if lang:
                yield lang, role, element.tail


def _context(element: lxml.html.HtmlElement) -> tuple[str, str]:
    """The language and font role of the text directly inside ``element``."""
    lang, role = "", ""
    for node in (element, *element.iterancestors()):
        classes = (node.get("class") or "").split()
        if not role:
            own = [r for r, names in ROLE_CLASSES.items() if any(n in classes for n in names)]
            role = own[-1] if own else ""
        if not lang:
            lang = next((c.removeprefix("lang-") for c in classes if c.startswith("lang-")), "")
        if lang and role:
            break
    return lang, role or "body"


def text_fields(content_file: Path, resolved: Resolved) -> list[Field]:
    """Every text of the content file and of the registry entries it uses, with its place."""
    content, registry = resolved.content, resolved.registry
    loaded = load_yaml(content_file)  # only its places: it was read and checked already
    fields: list[Field] = [(loaded, path, text) for path, text in iter_texts(content, "")]
    reg_loaded = load_yaml(registry_path(content_file, content.registry))
    for kind, ids in used_entries(content, registry).items():
        entries = getattr(registry, kind)
        for entry_id in sorted(ids):
            for path, text in iter_texts(entries[entry_id], f"{kind}.{entry_id}"):
                fields.append((reg_loaded, path, text))
    return fields
