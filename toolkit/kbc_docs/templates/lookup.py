"""Where templates come from: the one place the template search order is decided.

A clerk who wants another wording or layout should not have to edit the templates shipped with
kbc-docs (an upgrade would overwrite them, and one broken edit breaks every build). Like MkDocs'
``custom_dir``, an office's folder holds only the files that differ; every name is looked up
there first and in the default folder next. :func:`template_folders` decides, once per build,
which folders those are; the Word and HTML templates and the language files
(``locale/<lang>.yaml``) all come from that one list (:func:`find_template`). :func:`eject`
copies the defaults into a new folder to start from. What a template can use is
:mod:`kbc_docs.templates.variables`.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Literal

from kbc_docs.data import shipped
from kbc_docs.errors import OutputError, Problem, TemplateError
from kbc_docs.messages import msg
from kbc_docs.safepath import Outside, inside
from kbc_docs.write import os_problem

__all__ = [
    "TemplateKind",
    "default_templates",
    "eject",
    "find_template",
    "is_junk",
    "project_templates",
    "search_path",
    "template_folders",
    "template_kind",
]


TemplateKind = Literal["docx", "html"]


# Files that are never templates: editor backups and Word's lock files ("~$report.docx").
_JUNK_PREFIXES = (".", "~$")


_JUNK_DIRS = {"__pycache__"}


def default_templates() -> Path:
    """The default templates, shipped inside the package (``kbc_docs/data/templates``)."""
    return shipped("templates")


def project_templates() -> Path | None:
    """An office's own ``./templates`` folder, if the current folder has one.

    Like MkDocs' ``custom_dir``, it need only hold the files the office changed (made with
    ``kbc-docs templates eject``); every other template comes from the defaults.
    """
    here = Path.cwd() / "templates"
    return here if here.is_dir() and here.resolve() != default_templates().resolve() else None


def template_folders(given: Path | None = None, own: Path | None = None) -> list[Path]:
    """The template folders of one build, in the order every template is looked up.

    The office's folder is the first of: ``given`` (``--templates DIR``), ``own`` (the content
    file's ``templates:`` folder), ``./templates`` if the current folder has one. It is searched
    first, the default templates next. One office folder at most: when both ``--templates``
    and a content file's ``templates:`` are given, the command line wins and the content
    file's folder is not searched (a flag overrides the file, as in MkDocs), so that the
    language files and the Word and HTML templates always come from the same folders.
    """
    return search_path(given or own or project_templates(), default_templates())


def search_path(custom: Path | None, default: Path) -> list[Path]:
    """``custom`` (if any) before ``default``: for ``jinja2.FileSystemLoader(search_path(...))``."""
    return [custom, default] if custom is not None and custom != default else [default]


def find_template(name: str, folders: Sequence[Path]) -> Path:
    """The file ``name`` (``report.docx``, ``locale/km.yaml``) from the first of ``folders``.

    ``name`` must stay inside the folders (no ``..``, not absolute): it may come from a command
    line or a URL in a template. Raises :class:`TemplateError` naming the folders if none
    holds the file.
    """
    rel = PurePosixPath(name.replace("\\", "/"))
    if not rel.parts:
        raise TemplateError(msg("template_name", name=name))
    for folder in folders:
        try:
            candidate = inside(folder, name)
        except Outside:
            raise TemplateError(msg("template_name", name=name)) from None
        if candidate.is_file():
            return folder.joinpath(*rel.parts)
    raise TemplateError(msg("template_missing", name=name, folders=" | ".join(map(str, folders))))


def eject(default: Path, dest: Path) -> list[Path]:
    """Copy every default template (with ``locale/``) into ``dest``; return the files written.

    Nothing is overwritten: if any target file exists, nothing is copied and a
    :class:`TemplateError` lists them, so a clerk's edited templates cannot be lost by running
    the command twice. File times are kept, so a copy is recognisably unchanged.
    """
    try:
        return _copy_templates(default, dest)
    except OSError as exc:  # a file in the way, a read-only folder, a name too long
        raise OutputError([os_problem(exc, dest)]) from None


def _copy_templates(default: Path, dest: Path) -> list[Path]:
    dest_resolved = dest.resolve()
    sources = [
        path
        for path in sorted(default.rglob("*"))
        if path.is_file()
        and not is_junk(path.relative_to(default))
        and not path.resolve().is_relative_to(dest_resolved)  # dest inside default
    ]
    if not sources:
        raise TemplateError(msg("template_none_to_copy", folder=default))
    targets = [dest / path.relative_to(default) for path in sources]
    existing = [target for target in targets if target.exists()]
    if existing:
        raise TemplateError([Problem(msg("template_exists"), t) for t in existing])
    made: list[Path] = []  # files, and folders that did not exist, in the order made
    try:
        for source, target in zip(sources, targets, strict=True):
            missing = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
            target.parent.mkdir(parents=True, exist_ok=True)
            made += reversed(missing)
            made.append(target)
            try:
                shutil.copy2(source, target)
            except OSError as exc:
                if exc.filename == str(source):  # the write failed: say where it went
                    exc.filename = str(target)
                raise
    except OSError:  # a full disk: take back only what this call made
        for path in reversed(made):
            if path.is_dir() and not path.is_symlink():
                path.rmdir()
            else:
                path.unlink(missing_ok=True)
        raise
    return targets


def check_template_folder(folder: Path) -> None:
    """An office's template folder named by the user must be a folder (else TemplateError).

    A typo or a broken link would otherwise build silently with the default templates.
    """
    if folder.is_dir():
        return
    if folder.is_symlink():  # leads nowhere, or in a loop
        key = "templates_bad_link"
    elif folder.exists():
        key = "templates_not_folder"
    else:
        key = "templates_missing"
    raise TemplateError([Problem(msg(key), folder)])


def is_junk(rel: Path) -> bool:
    """Whether a path (relative to a template folder) is a backup, lock file or cache."""
    return any(part.startswith(_JUNK_PREFIXES) or part in _JUNK_DIRS for part in rel.parts)


def template_kind(path: Path) -> TemplateKind | None:
    """``docx`` for Word templates, ``html`` for the PDF (Jinja2 + WeasyPrint) templates."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return "docx"
    if suffix in (".html", ".htm", ".jinja", ".j2"):
        return "html"
    return None
