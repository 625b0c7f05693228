"""Skip the whole pipeline when nothing it reads has changed since it last ran.

Loading, validating and rendering a briefing of 10,000 records takes seconds; finding out that
none of its inputs changed takes milliseconds. The inputs are the bytes of every content file,
the ``site_url`` the data files embed, and site-gen's own code (a new version renders
differently). Their SHA-256 is the *fingerprint*. After a successful run the fingerprint and the
manifest of what was written are kept in ``.cache/site-gen/generate.json`` in the project.

A later run is a no-op only when the fingerprint is the same *and* the output folder still holds
exactly those files with exactly those bytes (every file is hashed again, so a page edited or
deleted by hand is regenerated). Anything else runs the pipeline in full. The cache holds only
hashes: nothing in it is ever executed or turned into content. (The compiled theme templates
kept beside it in ``.cache/site-gen/jinja/`` are another matter: see ``jinja_cache.py``.)
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from functools import cache
from pathlib import Path

from .write import MANIFEST, atomic_write, read_manifest

CACHE_FILE = Path(".cache") / "site-gen" / "generate.json"
_PACKAGE = Path(__file__).resolve().parent


@cache
def code_fingerprint() -> str:
    """SHA-256 of site-gen's own source files (and the Python version that runs them)."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".html", ".css", ".js", ".json", ".yml", ".yaml", ".md") and path.is_file():
            digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def fingerprint(content_dir: Path, site_url: str | None) -> str | None:
    """SHA-256 of everything the pipeline reads, or None when the content cannot be read."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(f"site_url={site_url}\0".encode())
    try:
        for path in sorted(content_dir.iterdir()):
            digest.update(path.name.encode() + b"\0")
            if path.is_file():
                digest.update(path.read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()


def _cache_path(root: Path) -> Path:
    return root / CACHE_FILE


def up_to_date(root: Path, docs_dir: Path, print_: str | None) -> list[str] | None:
    """The generated files, when ``docs_dir`` already holds the output for fingerprint ``print_``."""
    if print_ is None:
        return None
    try:
        cached = json.loads(_cache_path(root).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(cached, dict) or cached.get("fingerprint") != print_:
        return None
    files = cached.get("files")
    if not isinstance(files, dict) or read_manifest(docs_dir) != files:
        return None
    for path, expected in files.items():
        try:
            if hashlib.sha256((docs_dir / path).read_bytes()).hexdigest() != expected:
                return None
        except OSError:
            return None
    return sorted(files)


def remember(root: Path, docs_dir: Path, print_: str | None) -> None:
    """Record that ``docs_dir`` now holds the output for fingerprint ``print_``."""
    if print_ is None or not (docs_dir / MANIFEST).is_file():
        return
    data = {"fingerprint": print_, "files": read_manifest(docs_dir)}
    encoded = (json.dumps(data, indent=1, sort_keys=True) + "\n").encode()
    try:
        atomic_write(_cache_path(root), encoded)
    except OSError:  # a read-only project still builds, just without the shortcut
        pass


def disabled() -> bool:
    """``SITE_GEN_NO_CACHE=1`` always runs the whole pipeline (benchmarks, debugging)."""
    return os.environ.get("SITE_GEN_NO_CACHE", "") not in ("", "0")
