"""Skip the whole pipeline when nothing it reads has changed since it last ran.

Loading, validating and rendering a briefing of 10,000 records takes seconds; finding out that
none of its inputs changed takes milliseconds. The inputs are the bytes of every content file the
loader reads (``content/*.yaml``/``*.yml``, hashed in chunks, and only when within the loader's
size limit: a larger file makes the run load, which refuses it; other files in ``content/`` are
not read at all), the ``site_url`` the data files embed, site-gen's own code (a new version
renders differently) and the versions of the installed distributions it depends on (its declared
requirements and theirs, from ``importlib.metadata``: upgrading Babel or Markdown regenerates
the pages). Their SHA-256 is the *fingerprint*. After a successful run the fingerprint and the
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
import re
import stat
import sys
from functools import cache
from importlib import metadata
from pathlib import Path

from .load import MAX_FILE_BYTES
from .write import MANIFEST, atomic_write, file_digest, read_manifest

CACHE_FILE = Path(".cache") / "site-gen" / "generate.json"
_PACKAGE = Path(__file__).resolve().parent


@cache
def code_fingerprint() -> str:
    """SHA-256 of site-gen's own source files, the Python that runs them and its dependencies."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".html", ".css", ".js", ".json", ".yml", ".yaml", ".md") and path.is_file():
            digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0" + path.read_bytes() + b"\0")
    for name, version in dependency_versions().items():
        digest.update(f"{name}=={version}\0".encode())
    return digest.hexdigest()


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _declared_requirements() -> list[str]:
    """site-gen's own requirements: its installed metadata, else pyproject.toml beside the package."""
    try:
        declared = metadata.requires("site-gen")
    except metadata.PackageNotFoundError:
        declared = None
    if declared is None:
        import tomllib

        try:
            project = tomllib.loads((_PACKAGE.parent / "pyproject.toml").read_text("utf-8"))
            declared = list(project["project"]["dependencies"])
        except (OSError, KeyError, TypeError, ValueError):
            declared = []
    return declared


def _names(requirements: list[str]) -> set[str]:
    """Distribution names of requirements, leaving out those of optional extras.

    A requirement for another platform (``colorama; platform_system == "Windows"``) is kept: it
    shows as not installed, the same on every run here.
    """
    names = set()
    for text in requirements:
        marker = text.partition(";")[2]
        match = _NAME.match(text.strip())
        if match and not re.search(r"\bextra\b", marker):
            names.add(match.group(0))
    return names


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@cache
def dependency_versions() -> dict[str, str]:
    """Installed version of every distribution site-gen needs, directly or through another one."""
    versions: dict[str, str] = {}
    todo = sorted(_names(_declared_requirements()))
    while todo:
        name = _normalise(todo.pop())
        if name in versions:
            continue
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            versions[name] = "(not installed)"
            continue
        versions[name] = distribution.version
        todo.extend(_names(distribution.requires or []))
    return dict(sorted(versions.items()))


def fingerprint(content_dir: Path, site_url: str | None) -> str | None:
    """SHA-256 of everything the pipeline reads, or None when it cannot be known cheaply.

    Only the files the loader reads are hashed (see ``validate.load_briefing``, which loads
    ``*.y*ml`` at the top of ``content/``), in chunks, and only when they are within the loader's
    size limit: for a larger one (or one that cannot be read) there is no fingerprint, so the
    pipeline runs and the loader reports the problem as it does in ``check``.
    """
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(f"site_url={site_url}\0".encode())
    try:
        paths = sorted(content_dir.glob("*.y*ml"))
    except OSError:
        return None
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            digest.update(path.name.encode() + b"\0(not a file)\0")
            continue
        if info.st_size > MAX_FILE_BYTES:
            return None
        file_hash = file_digest(path.resolve())
        if file_hash is None:
            return None
        digest.update(path.name.encode() + b"\0" + file_hash.encode() + b"\0")
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
        if file_digest(docs_dir / path) != expected:
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
