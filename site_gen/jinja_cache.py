"""Compiled theme templates kept between MkDocs builds, in ``.cache/site-gen/jinja/``.

MkDocs makes a new Jinja environment for every build, so every build (and every rebuild of
``mkdocs serve``) compiles Material's templates again: about a third of a rebuild of a small
briefing. With this cache each template is compiled once and its bytecode reused.

When an entry is used:

* Jinja stores the SHA-1 of the template's source with its bytecode and compiles again when the
  source differs, so an edited template (``overrides/main.html``) is never served stale.
* Jinja does not look at the environment that compiled it, although compiled code depends on it:
  the Jinja and Python versions, the syntax options, and which filters and tests exist and how
  they take their arguments (a filter that starts to want the context is called differently).
  All of that is hashed into the entry's file name, so a different environment (another
  plugin, a Jinja or theme upgrade) uses entries of its own.

The cache never fails a build: an entry that cannot be read or is damaged means "compile",
and one that cannot be written (read-only project, full disk) is simply not kept.

The entries are Python bytecode that the build executes, like ``__pycache__``: whoever can write
to the project's ``.cache/`` can also change its templates, ``mkdocs.yml`` or hooks.
``SITE_GEN_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

log = logging.getLogger("mkdocs.plugins.briefing")

JINJA_CACHE_DIR = Path(".cache") / "site-gen" / "jinja"

# Environment attributes the compiler reads (jinja2.Environment.__init__ / lexer / compiler).
_SYNTAX = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
           "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
           "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized",
           "is_async")


def _describe(value: Any) -> str:
    """A stable description of a setting: its repr, or for a callable where it is defined."""
    if callable(value):
        target = getattr(value, "__func__", value)
        module = getattr(target, "__module__", None) or type(target).__module__
        name = getattr(target, "__qualname__", None) or type(target).__qualname__
        return f"<{module}.{name} pass={getattr(value, 'jinja_pass_arg', None)}>"
    return repr(value)


def environment_fingerprint(env: jinja2.Environment) -> str:
    """SHA-256 of everything besides the template source that the compiled code depends on."""
    parts = [f"jinja2={jinja2.__version__}", f"python={sys.implementation.cache_tag} {sys.version}"]
    parts += [f"{name}={getattr(env, name, None)!r}" for name in _SYNTAX]
    parts.append(f"autoescape={_describe(env.autoescape)}")
    parts.append(f"finalize={_describe(env.finalize)}")
    parts.append(f"code_generator={_describe(env.code_generator_class)}")
    parts += [f"extension={key}" for key in sorted(env.extensions)]
    for kind, table in (("filter", env.filters), ("test", env.tests)):
        parts += [f"{kind} {name}={_describe(table[name])}" for name in sorted(table)]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


class TemplateBytecodeCache(BytecodeCache):
    """Jinja bytecode in files named after the template *and* the environment that compiled it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        # One environment per MkDocs build; it is only read once every plugin's on_env has run,
        # when the first template is loaded.
        self._fingerprints: dict[int, tuple[jinja2.Environment, str]] = {}

    def _path(self, bucket: Bucket) -> Path:
        env = bucket.environment
        known = self._fingerprints.get(id(env))
        if known is None or known[0] is not env:
            known = (env, environment_fingerprint(env))
            self._fingerprints[id(env)] = known
        name = hashlib.sha256(f"{known[1]}\0{bucket.key}".encode()).hexdigest()[:40]
        return self.directory / f"{name}.jinja.bc"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            data = self._path(bucket).read_bytes()
        except OSError:
            return
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # noqa: BLE001 - a damaged entry (Jinja only catches some errors): compile
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        path = self._path(bucket)
        temporary = None
        try:
            data = bucket.bytecode_to_string()
            path.parent.mkdir(parents=True, exist_ok=True)
            # Renamed into place: another build reading the cache at the same time sees the whole
            # entry or none. Not fsynced: an entry lost in a crash is compiled again.
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
            temporary = None
        except OSError as error:
            log.debug(f"briefing: compiled template not cached ({error})")
        finally:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)

    def clear(self) -> None:
        for entry in self.directory.glob("*.jinja.bc"):
            entry.unlink(missing_ok=True)
