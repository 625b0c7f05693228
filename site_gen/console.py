"""What a run prints: log records, colour, and the progress of a long build.

* Log output of MkDocs (and of the ``briefing`` plugin, a child of its logger) goes to stderr as
  ``LEVEL   -  message``, like ``mkdocs build``; ``-q`` shows errors only, ``-v`` everything down to
  DEBUG. Paths of the staging folder a ``site-gen build`` runs MkDocs in are rewritten to the
  folders they stand for (``paths_shown_as``), so nobody is sent to a folder that is gone.
* Colour only on a terminal, and never with ``NO_COLOR`` set (https://no-color.org) or
  ``--no-color``.
* Progress (``stage``, ``count``): on a terminal one live line that is rewritten in place and
  cleared at the end; elsewhere (CI logs, pipes) plain lines, and only once the run has taken
  ``SITE_GEN_PROGRESS_AFTER`` seconds (default 2): a short build prints no progress at all.
  Nothing is shown unless the CLI asked for it (``reporting``): plain ``mkdocs build`` is unchanged.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

QUIET, NORMAL, VERBOSE = -1, 0, 1
_LEVELS = {QUIET: logging.ERROR, NORMAL: logging.INFO, VERBOSE: logging.DEBUG}
_COLOURS = {"WARNING": "33", "ERROR": "31", "CRITICAL": "31", "DEBUG": "2"}


def colour_wanted(stream: TextIO, no_color: bool = False) -> bool:
    if no_color or os.environ.get("NO_COLOR", ""):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def paint(text: str, code: str, enabled: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if enabled else text


class Progress:
    """Stages and page counts of one run (see the module docstring)."""

    def __init__(self, stream: TextIO, *, live: bool, after: float = 2.0):
        self.stream, self.live, self.after = stream, live, after
        self.started = time.monotonic()
        self._shown = ""      # the live line currently on screen
        self._stage = ""
        self._last_draw = 0.0
        self._last_quarter = -1

    def _long(self) -> bool:
        return time.monotonic() - self.started >= self.after

    def stage(self, text: str) -> None:
        self._stage, self._last_quarter = text, -1
        if self.live:
            self._draw(f"{text} …", force=True)
        elif self._long():
            self._print(f"{text} …")

    def count(self, label: str, done: int, total: int) -> None:
        text = f"{label}: {done}/{total}"
        if self.live:
            self._draw(text, force=done >= total)
            return
        quarter = 4 * done // total if total else 4
        if quarter != self._last_quarter and self._long():
            self._last_quarter = quarter
            self._print(text)

    def clear(self) -> None:
        """Take the live line off the screen (before other output, and at the end)."""
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = ""

    def _draw(self, text: str, *, force: bool) -> None:
        now = time.monotonic()
        if not force and now - self._last_draw < 0.1:
            return
        self._last_draw = now
        width = 79
        self.stream.write("\r\x1b[K" + (text if len(text) <= width else text[:width - 1] + "…"))
        self.stream.flush()
        self._shown = text

    def _print(self, text: str) -> None:
        self.stream.write(f"site-gen: {text}\n")
        self.stream.flush()


_current: Progress | None = None


def stage(text: str) -> None:
    if _current is not None:
        _current.stage(text)


def count(label: str, done: int, total: int) -> None:
    if _current is not None:
        _current.count(label, done, total)


def clear() -> None:
    if _current is not None:
        _current.clear()


@contextmanager
def reporting(progress: Progress | None) -> Iterator[None]:
    """Show the progress of everything run inside this block (None: show none)."""
    global _current
    previous, _current = _current, progress
    try:
        yield
    finally:
        if progress is not None:
            progress.clear()
        _current = previous


class _Handler(logging.StreamHandler):  # type: ignore[type-arg]
    """MkDocs' log lines, with staging paths rewritten, around the live progress line."""

    _site_gen = True

    def __init__(self, colour: bool):
        super().__init__(sys.stderr)
        self.colour = colour
        self.paths: dict[str, str] = {}

    def emit(self, record: logging.LogRecord) -> None:
        clear()
        super().emit(record)

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        for old, new in self.paths.items():
            message = message.replace(old, new)
        level = f"{record.levelname:<7s}"
        code = _COLOURS.get(record.levelname)
        return f"{paint(level, code, self.colour) if code else level} -  {message}"


def configure_logging(verbosity: int | None = None, *, colour: bool | None = None) -> None:
    """Send MkDocs' log records to stderr. Set up once; a later call changes only what it names
    (``verbosity`` None: as before, else normal)."""
    logger = logging.getLogger("mkdocs")
    handler = next((h for h in logger.handlers if isinstance(h, _Handler)), None)
    if handler is None:
        handler = _Handler(colour_wanted(sys.stderr) if colour is None else colour)
        logger.addHandler(handler)
        logger.propagate = False
        verbosity = NORMAL if verbosity is None else verbosity
    elif colour is not None:
        handler.colour = colour
    handler.stream = sys.stderr
    if verbosity is not None:
        logger.setLevel(_LEVELS.get(verbosity, logging.INFO))
        handler.setLevel(_LEVELS.get(verbosity, logging.INFO))


@contextmanager
def paths_shown_as(replacements: Mapping[Path, Path]) -> Iterator[None]:
    """While this block runs, log messages show each key path as its value (longest first)."""
    handlers = [h for h in logging.getLogger("mkdocs").handlers if isinstance(h, _Handler)]
    pairs = sorted(((str(old), str(new)) for old, new in replacements.items()), key=lambda p: -len(p[0]))
    saved = [dict(h.paths) for h in handlers]
    for handler in handlers:
        merged = {**handler.paths, **dict(pairs)}
        handler.paths = dict(sorted(merged.items(), key=lambda p: -len(p[0])))
    try:
        yield
    finally:
        for handler, paths in zip(handlers, saved, strict=True):
            handler.paths = paths
