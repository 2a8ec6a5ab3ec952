"""Errors a user can act on, and the one formatter that prints them.

Every message names the file, line and column, the field path and what is wrong, so a clerk can
find the place in the YAML without reading Python. Only :class:`KbcError` subclasses are turned
into friendly output by the CLI; any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    message: str
    file: Path | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    path: str = ""  # field path such as ``results[3].paragraphs[0].km``

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        field = f"{self.path}: " if self.path else ""
        return f"{where}{field}{self.message}"


@dataclass(frozen=True)
class TextProblem(Problem):
    """A problem found in the rendered document, with the ``text`` it concerns, so that the
    pipeline can put it at the field that holds that text (:func:`kbc_docs.pipeline.build`)."""

    text: str = ""


class KbcError(Exception):
    """Root of all errors reported to the user without a traceback."""

    exit_code = 1

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ContentError(KbcError):
    """The content file or the registry is invalid (syntax, schema, references, translations)."""


class NotContentError(ContentError):
    """The file is a registry, not a conference file: ``build content/*.yaml`` skips it."""


class TemplateError(KbcError):
    """A template is missing or cannot be rendered."""


class FontError(KbcError):
    """A font the document needs does not resolve on this machine."""


class RenderError(KbcError):
    """A renderer produced something unusable (unrendered tags, overflow, invalid XML)."""


class OutputError(KbcError):
    """An output cannot be put in place: the file system refused, or it would destroy a file."""


class LockBusy(OutputError):
    """Another process kept the output folder's lock longer than a build should take."""

    exit_code = 3
