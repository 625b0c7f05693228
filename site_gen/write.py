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

Temporary files left by a run that was killed are removed by the next run (only those: their
names carry the id of the process that made them, and a live process's files are left alone).

The manifest is not trusted: an entry is used only when its path is a safe relative path whose
folders really are inside the output folder (no link leading out), and a listed file is replaced
or removed only when its bytes are what site-gen recorded writing there (its SHA-256). Anything
else is skipped with a warning, or, for a file in the way of a page, refused like a hand-written
file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import SiteGenError
from .lock import process_alive

log = logging.getLogger("site_gen")

MANIFEST = ".site-gen-manifest.json"
_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})
# ".<name>.<pid>-<random>.tmp" (older versions wrote ".<name>.<random>.tmp", without the pid)
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.(?:(?P<pid>[0-9]+)-)?[A-Za-z0-9_]{8}\.tmp")
_DIGEST = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1 << 20


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
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}-",
                                          suffix=".tmp")
    except OSError as error:  # name the folder, not a temporary file that never existed
        raise OSError(error.errno, error.strerror, str(path.parent)) from None
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


def file_digest(path: Path) -> str | None:
    """SHA-256 of the regular file at ``path`` (read in chunks), None for anything else.

    A symbolic link is never followed: site-gen writes no links, so one is not a file it wrote.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    digest = hashlib.sha256()
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        while chunk := os.read(fd, _CHUNK):
            digest.update(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    return digest.hexdigest()


@dataclass(frozen=True)
class _Shown:
    """How to name the files of a staged copy of docs/ in messages: by the real docs/ folder."""

    staged: Path
    real: Path
    warned: set[str] = field(default_factory=set)


_shown: ContextVar[_Shown | None] = ContextVar("site_gen_write_shown", default=None)


@contextmanager
def shown_as(staged: Path, real: Path) -> Iterator[None]:
    """Messages about files in ``staged`` name them in ``real``, and each warning is given once."""
    token = _shown.set(_Shown(staged, real))
    try:
        yield
    finally:
        _shown.reset(token)


def _show(out_dir: Path, path: str = "") -> str:
    shown = _shown.get()
    folder = shown.real if shown is not None and out_dir == shown.staged else out_dir
    return str(folder / path) if path else str(folder)


def _warn(message: str) -> None:
    shown = _shown.get()
    if shown is not None:
        if message in shown.warned:
            return
        shown.warned.add(message)
    log.warning(f"warning: {message}")


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


class _Within:
    """``_inside`` for many paths of one output folder, resolving each folder once."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self._folders: dict[PurePosixPath, bool] = {}

    def __call__(self, path: str) -> bool:
        folder = PurePosixPath(path).parent
        if folder not in self._folders:
            self._folders[folder] = _inside(self.out_dir, path)
        return self._folders[folder]


@dataclass(frozen=True)
class _Manifest:
    """The trusted part of a manifest: safe paths with the SHA-256 of what site-gen wrote there."""

    files: dict[str, str]
    # Written while a run replaces files: the digests they are getting (a run killed half-way
    # leaves some files with the new bytes, which are site-gen's just as well).
    pending: dict[str, str]

    def wrote(self, path: str, digest: str | None) -> bool:
        return digest is not None and digest in (self.files.get(path), self.pending.get(path))


_MAX_MANIFEST_BYTES = 256 * 1024 * 1024


def _manifest_entries(table: object) -> tuple[dict[str, str], list[str]]:
    if not isinstance(table, dict):
        return {}, []
    kept: dict[str, str] = {}
    dropped: list[str] = []
    for path, digest in table.items():
        if (isinstance(path, str) and isinstance(digest, str) and _DIGEST.fullmatch(digest)
                and path != MANIFEST and _is_safe(path)):
            kept[path] = digest
        else:
            dropped.append(repr(path)[:80])
    return kept, dropped


def _load_manifest(out_dir: Path, *, warn: bool) -> _Manifest:
    path = out_dir / MANIFEST
    empty = _Manifest({}, {})

    def untrusted(why: str) -> _Manifest:
        if warn:
            _warn(f"{_show(out_dir, MANIFEST)} {why}; ignoring it (site-gen then treats the files "
                  "already there as hand-written, unless they hold exactly what it generates)")
        return empty

    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):  # no manifest (or no folder) yet
        return empty
    except OSError as error:
        return untrusted(f"cannot be read ({error.strerror})")
    if not stat.S_ISREG(info.st_mode):
        return untrusted("is not a regular file")
    if info.st_size > _MAX_MANIFEST_BYTES:
        return untrusted(f"is {info.st_size} bytes, too large to be a site-gen manifest")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as error:
        return untrusted(f"cannot be read ({error.strerror})")
    except (UnicodeDecodeError, ValueError, RecursionError):
        return untrusted("is not valid JSON")
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return untrusted("is not a site-gen manifest (no \"files\" table)")
    files, dropped = _manifest_entries(data["files"])
    pending, _ = _manifest_entries(data.get("pending"))
    if dropped and warn:
        listed = ", ".join(dropped[:5]) + (f" and {len(dropped) - 5} more" if len(dropped) > 5 else "")
        _warn(f"{_show(out_dir, MANIFEST)}: ignoring {len(dropped)} entr{'y' if len(dropped) == 1 else 'ies'} "
              f"that site-gen never writes: {listed}")
    return _Manifest(files, pending)


def read_manifest(out_dir: Path) -> dict[str, str]:
    """The files site-gen wrote in ``out_dir`` (safe paths only) with their SHA-256."""
    return _load_manifest(out_dir, warn=False).files


def _manifest_bytes(files: Mapping[str, str], pending: Mapping[str, str] | None = None) -> bytes:
    manifest: dict[str, object] = {"generator": "site-gen", "files": dict(sorted(files.items()))}
    if pending:
        manifest["pending"] = dict(sorted(pending.items()))
    return (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode()


def _write_manifest(out_dir: Path, files: Mapping[str, str], pending: Mapping[str, str] | None = None) -> None:
    data = _manifest_bytes(files, pending)
    path = out_dir / MANIFEST
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    atomic_write(path, data)


def _abandoned(pid: str | None) -> bool:
    """A temporary file's maker is gone (a file without a pid is from an older site-gen)."""
    return pid is None or (int(pid) != os.getpid() and not process_alive(int(pid)))


def _remove_abandoned_temporaries(out_dir: Path, owned: set[str], within: _Within) -> None:
    """Temporary files a killed run left beside the files site-gen owns (only those)."""
    names_by_folder: dict[Path, set[str]] = {}
    for path in owned | {MANIFEST}:
        if not (_is_safe(path) and within(path)):
            continue  # a manifest never steers the sweep outside the output folder
        target = out_dir / path
        names_by_folder.setdefault(target.parent, set()).add(target.name)
    for folder, names in names_by_folder.items():
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            match = _TEMPORARY.fullmatch(entry.name)
            if (match and match.group("name") in names and _abandoned(match.group("pid"))
                    and entry.is_file() and not entry.is_symlink()):
                entry.unlink(missing_ok=True)


def _in_the_way(out_dir: Path, encoded: Mapping[str, bytes], manifest: _Manifest,
                current: Mapping[str, str | None]) -> tuple[list[str], list[str]]:
    """Files at page paths that site-gen did not write: (not listed, listed but not as written).

    A file that already holds exactly the page is in nobody's way: nothing is written to it.
    """
    foreign, changed = [], []
    for path, data in encoded.items():
        if not os.path.lexists(out_dir / path) or current[path] == _digest(data):
            continue
        if path not in manifest.files and path not in manifest.pending:
            foreign.append(path)
        elif not manifest.wrote(path, current[path]):
            changed.append(path)
    return foreign, changed


def _check(out_dir: Path, encoded: Mapping[str, bytes], manifest: _Manifest,
           current: Mapping[str, str | None], within: _Within) -> None:
    """Stop before anything is written when a page would escape or replace a file not site-gen's."""
    escaping = [p for p in encoded if not within(p)]
    if escaping:
        raise WriteError(f"refusing to write {', '.join(escaping)}: a folder on the way is a link that "
                         f"leads outside {_show(out_dir)} (nothing was written)")
    foreign, changed = _in_the_way(out_dir, encoded, manifest, current)
    if foreign:
        listed = ", ".join(_show(out_dir, p) for p in foreign)
        raise WriteError(
            f"{listed} already exist{'s' if len(foreign) == 1 else ''} and "
            f"{'was' if len(foreign) == 1 else 'were'} not written by site-gen; "
            "move or delete it so site-gen can generate that page (nothing was written)")
    if changed:
        listed = ", ".join(_show(out_dir, p) for p in changed)
        raise WriteError(
            f"{listed} {'is' if len(changed) == 1 else 'are'} not what site-gen wrote there "
            "(changed by hand, or never written by site-gen although its manifest lists it); "
            "move or delete it so site-gen can generate that page (nothing was written)")


def _stale(out_dir: Path, manifest: _Manifest, encoded: Mapping[str, bytes], within: _Within) -> list[str]:
    """Listed files no longer generated that are safe to remove; the others are left, with a warning."""
    stale = []
    for path in sorted(set(manifest.files) - set(encoded)):
        target = out_dir / path
        if not os.path.lexists(target):
            continue
        if not within(path):
            _warn(f"{_show(out_dir, path)} is behind a link that leads outside {_show(out_dir)}; "
                  "left alone")
        elif not manifest.wrote(path, file_digest(target)):
            _warn(f"{_show(out_dir, path)} is not what site-gen wrote there (changed by hand, or never "
                  "written by site-gen although its manifest lists it); left alone, no longer tracked")
        else:
            stale.append(path)
    return stale


def _remove(out_dir: Path, stale: list[str], report: WriteReport) -> None:
    for path in stale:
        target = out_dir / path
        target.unlink(missing_ok=True)
        report.removed.append(path)
        parent = target.parent
        while parent != out_dir and parent.is_dir() and not parent.is_symlink() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


def write_pages(pages: Mapping[str, str | bytes], out_dir: Path) -> WriteReport:
    """Write ``pages`` under ``out_dir``; see the module docstring for the guarantees."""
    report = WriteReport()
    manifest = _load_manifest(out_dir, warn=True)
    previous = manifest.files
    encoded = {str(safe_relative(p)): content if isinstance(content, bytes) else content.encode("utf-8")
               for p, content in sorted(pages.items())}
    final = {p: _digest(d) for p, d in encoded.items()}
    within = _Within(out_dir)
    current = {p: file_digest(out_dir / p) if within(p) else None for p in encoded}

    # 1. check — before anything is written
    _check(out_dir, encoded, manifest, current, within)

    _remove_abandoned_temporaries(out_dir, set(previous) | set(encoded), within)
    changed = {p: d for p, d in encoded.items() if current[p] != final[p]}
    report.unchanged.extend(p for p in encoded if p not in changed)
    stale = _stale(out_dir, manifest, encoded, within)
    if not changed and not stale:
        _write_manifest(out_dir, final)  # rewrites nothing when the manifest is already current
        return report

    # 2. claim every file this run may create or replace
    new = {p: final[p] for p in encoded if p not in previous}
    replaced = {p: final[p] for p in changed if p in previous}
    if new or replaced:
        _write_manifest(out_dir, {**previous, **new}, replaced)

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

    _remove(out_dir, stale, report)
    _write_manifest(out_dir, final)
    return report


def _is_safe(path: str) -> bool:
    try:
        safe_relative(path)
    except WriteError:
        return False
    return True
