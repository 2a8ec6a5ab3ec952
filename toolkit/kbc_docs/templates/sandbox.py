"""The Jinja environment every template runs in: sandboxed, immutable, and bounded in work.

Templates are data an office edits and passes around, so a template must not be able to hang
or exhaust a build. Jinja's sandbox bounds what a template may *reach* (no attributes starting
with ``_``, no changing the view), not how much it may *compute*: nested ``range(99999)``
loops, ``10**100000000``, ``'A'*1000000000`` or ``lipsum(n=1000000)`` run until the machine
gives up. :class:`BoundedSandbox` adds the missing limits:

* every loop over ``range`` draws on one budget of :data:`MAX_STEPS` iterations per render;
* ``**``, ``*`` and ``+`` refuse results larger than :data:`MAX_SIZE` characters or items,
  or integers longer than :data:`MAX_DIGITS` digits, *before* computing them;
* calls and filters that take a width or a count (``center``, ``indent``, ``lipsum``,
  ``format``, ``str.ljust``…) refuse one above :data:`MAX_WIDTH`;
* text assigned to a ``namespace`` and everything a template outputs (also through
  ``{% set %}`` blocks and macros) is at most :data:`MAX_SIZE` characters;
* a render stops after :data:`MAX_SECONDS`; the clock is read on every attribute access,
  call, loop step and output part, so no loop escapes it.

Each limit is far above what a real report uses (the default templates stay below a
hundredth of each) and raises :class:`jinja2.sandbox.SecurityError` with a message saying
which limit and what to change, which both renderers report with the template's name. One
environment serves one document: its budgets run from its creation.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import Namespace, generate_lorem_ipsum

from kbc_docs.messages import msg

MAX_STEPS = 1_000_000
"""Loop iterations over ``range`` in one render (a report loops over tens of items)."""
MAX_SIZE = 20_000_000
"""Characters a template may output or build in one value (a long report is a few hundred KB)."""
MAX_DIGITS = 1_000
"""Digits of an integer a template may compute."""
MAX_WIDTH = 10_000
"""A width, a count or a repetition passed to a filter or method (``center(…)``, ``lipsum``)."""
MAX_SECONDS = 30.0
"""Time one render may take (the default templates take well under a second)."""

_WIDE = re.compile(r"\d{5,}")  # a width or precision of 10000 or more in a format string
_SIZED_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs"}
_FORMAT_METHODS = {"format", "format_map"}


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """An immutable sandbox that also bounds loops, sizes and time (see the module docstring)."""

    intercepted_binops = frozenset({"**", "*", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        # One environment serves one document (all its parts), so the budgets start now.
        self.deadline = time.monotonic() + MAX_SECONDS
        self.steps = 0
        self.globals["range"] = self._range
        self.globals["lipsum"] = _lipsum
        self.globals["namespace"] = _BoundedNamespace
        for name in ("center", "indent", "format", "wordwrap", "truncate"):
            self.filters[name] = _bounded_filter(self.filters[name])
        self.concat = self._concat  # type: ignore[method-assign]

    # --- the clock and the budgets ----------------------------------------------------------

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise SecurityError(msg("template_too_slow", seconds=round(MAX_SECONDS)))

    def _range(self, *args: int) -> Iterator[int]:
        self.tick()
        numbers = range(*args)
        if len(numbers) > MAX_STEPS:
            raise SecurityError(msg("template_range", count=len(numbers), limit=MAX_STEPS))
        return self._steps(numbers)

    def _steps(self, numbers: range) -> Iterator[int]:
        for number in numbers:
            self.steps += 1
            if self.steps > MAX_STEPS:
                raise SecurityError(msg("template_steps", limit=MAX_STEPS))
            self.tick()
            yield number

    def _concat(self, parts: Iterable[str]) -> str:
        """Join output parts, stopping as soon as they pass :data:`MAX_SIZE` characters."""
        out: list[str] = []
        size = 0
        for part in parts:
            size += len(part)
            if size > MAX_SIZE:
                raise SecurityError(msg("template_output", limit=MAX_SIZE))
            self.tick()
            out.append(part)
        return "".join(out)

    # --- what the sandbox intercepts ----------------------------------------------------------

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.tick()
        if isinstance(obj, str) and attribute in _FORMAT_METHODS:
            _check_format(obj)  # the sandbox wraps str.format: the call no longer shows it
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.tick()
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.tick()
        name = getattr(__obj, "__name__", "")
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str) and name in _SIZED_METHODS | _FORMAT_METHODS:
            _check_format(owner)
            _check_widths(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.tick()
        if operator == "**":
            _check_power(left, right)
        elif operator == "*":
            _check_product(left, right)
        elif operator == "+":
            _check_sum(left, right)
        elif operator == "%" and isinstance(left, str):
            _check_format(left)
        return super().call_binop(context, operator, left, right)


# --- the checks -----------------------------------------------------------------------------


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, str | list | tuple | bytes) else None


def _digits(number: int) -> int:
    """About how many decimal digits ``number`` has (``str()`` refuses over 4300)."""
    return number.bit_length() * 30103 // 100000 + 1


def _check_power(base: Any, exponent: Any) -> None:
    numbers = isinstance(base, int) and isinstance(exponent, int)
    if numbers and exponent > 0 and abs(base) > 1 and exponent * _digits(base) > MAX_DIGITS:
        raise SecurityError(msg("template_number", limit=MAX_DIGITS))


def _check_product(left: Any, right: Any) -> None:
    for seq, count in ((left, right), (right, left)):
        size = _size(seq)
        if size is not None and isinstance(count, int) and size * count > MAX_SIZE:
            raise SecurityError(msg("template_size", limit=MAX_SIZE))
    if (
        isinstance(left, int)
        and isinstance(right, int)
        and _digits(left) + _digits(right) > MAX_DIGITS
    ):
        raise SecurityError(msg("template_number", limit=MAX_DIGITS))


def _check_sum(left: Any, right: Any) -> None:
    a, b = _size(left), _size(right)
    if a is not None and b is not None and a + b > MAX_SIZE:
        raise SecurityError(msg("template_size", limit=MAX_SIZE))


def _check_format(text: str) -> None:
    if _WIDE.search(text):
        raise SecurityError(msg("template_width", limit=MAX_WIDTH))


def _check_widths(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and value > MAX_WIDTH:
            raise SecurityError(msg("template_width", limit=MAX_WIDTH))


def _bounded_filter(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that refuses a width or count above :data:`MAX_WIDTH` (``center(10**9)``)."""

    def bounded(*args: Any, **kwargs: Any) -> Any:
        _check_widths(args[1:], kwargs)
        if fn.__name__ == "do_format" and isinstance(args[0], str):
            _check_format(args[0])
        return fn(*args, **kwargs)

    for attribute in ("jinja_pass_arg",):  # pass_context / pass_environment markers
        if hasattr(fn, attribute):
            setattr(bounded, attribute, getattr(fn, attribute))
    bounded.__name__ = fn.__name__
    return bounded


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    """Jinja's ``lipsum``, at most :data:`MAX_WIDTH` words in all."""
    if n * max > MAX_WIDTH:
        raise SecurityError(msg("template_width", limit=MAX_WIDTH))
    return generate_lorem_ipsum(n=n, html=html, min=min, max=max)


class _BoundedNamespace(Namespace):
    """``namespace()`` whose values, set in loops, cannot grow past :data:`MAX_SIZE`."""

    def __setitem__(self, name: str, value: Any) -> None:
        size = _size(value)
        if size is not None and size > MAX_SIZE:
            raise SecurityError(msg("template_size", limit=MAX_SIZE))
        super().__setitem__(name, value)


def template_line(exc: BaseException) -> tuple[Path | None, int | None]:
    """The template file and line a limit was hit at, from Jinja's rewritten traceback."""
    found: tuple[Path | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if not name.endswith(".py") and not name.startswith("<"):
            found = (Path(name), tb.tb_lineno)
        tb = tb.tb_next
    return found
