"""Stage 4 — write: put rendered pages on disk safely.

Only files listed in the generator's manifest are ever replaced or removed; a file that exists
but is not in the manifest was written by someone else and is never touched. Every file is
written atomically (temporary file in the same folder, then rename), and only when its content
changed, so a second run with the same input rewrites nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import SiteGenError

MANIFEST = ".site-gen-manifest.json"


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


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def safe_relative(path: str) -> PurePosixPath:
    """Reject any page path that could escape the output folder or misbehave on some filesystem."""
    pure = PurePosixPath(path)
    reserved = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
    if (pure.is_absolute() or not pure.parts or any(p in ("", ".", "..") for p in pure.parts)
            or "\\" in path or path != unicodedata.normalize("NFC", path)
            or any(p.split(".")[0].lower() in reserved or p.endswith((".", " ")) for p in pure.parts)):
        raise WriteError(f"refusing to write unsafe page path {path!r}")
    return pure


def read_manifest(out_dir: Path) -> dict[str, str]:
    try:
        data = json.loads((out_dir / MANIFEST).read_text("utf-8"))
        files = data.get("files", {})
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


def write_pages(pages: dict[str, str], out_dir: Path) -> WriteReport:
    """Write ``pages`` under ``out_dir``; see the module docstring for the guarantees."""
    report = WriteReport()
    previous = read_manifest(out_dir)
    encoded = {str(safe_relative(p)): text.encode("utf-8") for p, text in sorted(pages.items())}

    conflicts = [p for p in encoded if p not in previous and (out_dir / p).exists()]
    if conflicts:
        listed = ", ".join(str(out_dir / p) for p in conflicts)
        raise WriteError(
            f"{listed} already exist{'s' if len(conflicts) == 1 else ''} and "
            f"{'was' if len(conflicts) == 1 else 'were'} not written by site-gen; "
            "move or delete it so site-gen can generate that page (nothing was written)")

    for path, data in encoded.items():
        target = out_dir / path
        try:
            current = target.read_bytes()
        except FileNotFoundError:
            current = None
        if current == data:
            report.unchanged.append(path)
            continue
        atomic_write(target, data)
        report.written.append(path)

    for path in sorted(set(previous) - set(encoded)):
        target = out_dir / path
        try:
            safe_relative(path)
        except WriteError:
            continue
        if target.is_file():
            target.unlink()
            report.removed.append(path)
            parent = target.parent
            while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent

    manifest = {"generator": "site-gen", "files": {p: _digest(d) for p, d in encoded.items()}}
    manifest_bytes = (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode()
    manifest_path = out_dir / MANIFEST
    if not manifest_path.exists() or manifest_path.read_bytes() != manifest_bytes:
        atomic_write(manifest_path, manifest_bytes)
    return report
