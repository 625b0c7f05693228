"""Stage 4 — write: put rendered pages on disk safely.

Only files listed in the generator's manifest are ever replaced or removed; a file that exists
but is not in the manifest was written by someone else and is never touched. Every file is
written atomically (temporary file in the same folder, then rename), and only when its content
changed, so a second run with the same input rewrites nothing.

A run is done in phases, so that one killed at any moment never loses or half-writes a file:

1. check: every path is safe and no file that site-gen did not write is in the way (else stop,
   having written nothing);
2. claim: the manifest first lists every file this run may create, so a run killed later never
   leaves a generated file that the next run would mistake for a hand-written one;
3. stage: every changed file is written to a temporary file beside its target and flushed;
4. commit: each temporary file is renamed over its target (the only moment files change), then
   stale generated files are removed and the final manifest is written.

Temporary files left by a run that was killed are removed by the next run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import SiteGenError

MANIFEST = ".site-gen-manifest.json"
_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp")


class WriteError(SiteGenError):
    """A page could not be written safely; nothing was written."""


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.written)} written, {len(self.unchanged)} unchanged, "
                f"{len(self.removed)} removed")


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _stage(path: Path, data: bytes) -> Path:
    """Write ``data`` to a flushed temporary file beside ``path``; returns the temporary file.

    The file gets the mode of the file it replaces, or the one a plain ``open()`` would give
    (``mkstemp`` alone would make every generated page private to its owner).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_umask()
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one rename: a reader sees the old file or the new one."""
    temporary = _stage(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def safe_relative(path: str) -> PurePosixPath:
    """Reject any page path that could escape the output folder or misbehave on some filesystem."""
    pure = PurePosixPath(path)
    if (pure.is_absolute() or not pure.parts or any(p in ("", ".", "..") for p in pure.parts)
            or "\\" in path or "\x00" in path or path != unicodedata.normalize("NFC", path)
            or any(p.split(".")[0].lower() in _RESERVED or p.endswith((".", " ")) for p in pure.parts)):
        raise WriteError(f"refusing to write unsafe page path {path!r}")
    return pure


def _inside(out_dir: Path, path: str) -> bool:
    """True when ``out_dir/path``'s folder really is inside ``out_dir`` (no symlinked escape)."""
    root = out_dir.resolve()
    parent = (out_dir / path).parent
    while not parent.exists() and parent != out_dir:  # folders still to be created are fine
        parent = parent.parent
    try:
        parent.resolve().relative_to(root)
    except ValueError:
        return False
    return True


def read_manifest(out_dir: Path) -> dict[str, str]:
    try:
        data = json.loads((out_dir / MANIFEST).read_text("utf-8"))
        files = data.get("files", {})
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


def _manifest_bytes(files: Mapping[str, str]) -> bytes:
    manifest = {"generator": "site-gen", "files": dict(sorted(files.items()))}
    return (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode()


def _write_manifest(out_dir: Path, files: Mapping[str, str]) -> None:
    data = _manifest_bytes(files)
    path = out_dir / MANIFEST
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    atomic_write(path, data)


def _remove_abandoned_temporaries(out_dir: Path, owned: set[str]) -> None:
    """Temporary files a killed run left beside the files site-gen owns (only those)."""
    names_by_folder: dict[Path, set[str]] = {}
    for path in owned | {MANIFEST}:
        target = out_dir / path
        names_by_folder.setdefault(target.parent, set()).add(target.name)
    for folder, names in names_by_folder.items():
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            match = _TEMPORARY.fullmatch(entry.name)
            if match and match.group("name") in names and entry.is_file() and not entry.is_symlink():
                entry.unlink(missing_ok=True)


def write_pages(pages: Mapping[str, str | bytes], out_dir: Path) -> WriteReport:
    """Write ``pages`` under ``out_dir``; see the module docstring for the guarantees."""
    report = WriteReport()
    previous = read_manifest(out_dir)
    encoded = {str(safe_relative(p)): content if isinstance(content, bytes) else content.encode("utf-8")
               for p, content in sorted(pages.items())}

    # 1. check — before anything is written
    escaping = [p for p in encoded if not _inside(out_dir, p)]
    if escaping:
        raise WriteError(f"refusing to write {', '.join(escaping)}: a folder on the way is a link that "
                         f"leads outside {out_dir} (nothing was written)")
    conflicts = [p for p in encoded if p not in previous and (out_dir / p).exists()]
    if conflicts:
        listed = ", ".join(str(out_dir / p) for p in conflicts)
        raise WriteError(
            f"{listed} already exist{'s' if len(conflicts) == 1 else ''} and "
            f"{'was' if len(conflicts) == 1 else 'were'} not written by site-gen; "
            "move or delete it so site-gen can generate that page (nothing was written)")

    _remove_abandoned_temporaries(out_dir, set(previous) | set(encoded))
    changed: dict[str, bytes] = {}
    for path, data in encoded.items():
        try:
            current = (out_dir / path).read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            current = None
        if current == data:
            report.unchanged.append(path)
        else:
            changed[path] = data
    stale = [p for p in sorted(set(previous) - set(encoded)) if _is_safe(p) and (out_dir / p).is_file()]
    final = {p: _digest(d) for p, d in encoded.items()}
    if not changed and not stale:
        _write_manifest(out_dir, final)  # rewrites nothing when the manifest is already current
        return report

    # 2. claim every file this run may create
    new = {p: final[p] for p in encoded if p not in previous}
    if new:
        _write_manifest(out_dir, {**previous, **new})

    # 3. stage, 4. commit
    staged: dict[str, Path] = {}
    try:
        for path, data in changed.items():
            staged[path] = _stage(out_dir / path, data)
        for path, temporary in staged.items():
            os.replace(temporary, out_dir / path)
            report.written.append(path)
    finally:
        for temporary in staged.values():
            temporary.unlink(missing_ok=True)
    for folder in {(out_dir / p).parent for p in changed}:
        _fsync_directory(folder)

    for path in stale:
        target = out_dir / path
        target.unlink(missing_ok=True)
        report.removed.append(path)
        parent = target.parent
        while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent

    _write_manifest(out_dir, final)
    return report


def _is_safe(path: str) -> bool:
    try:
        safe_relative(path)
    except WriteError:
        return False
    return True
