"""One build of a project at a time: an exclusive lock in the project's cache folder.

``site-gen build``, ``site-gen serve``, ``build --no-site`` and the MkDocs plugin (plain
``mkdocs build`` / ``serve``) all take ``.cache/site-gen/build.lock`` (``fcntl.flock``) before
they read the content, and hold it until what they built is in place. A second build waits,
saying so, and then reads the content afresh: it can never publish older content over what the
first one published, nor find its temporary files swept away. The lock is re-entrant within a
process (``site-gen build`` holds it while MkDocs runs the plugin), and the kernel releases it
when a process ends, however it ends.
"""

from __future__ import annotations

import errno
import fcntl
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = Path(".cache") / "site-gen" / "build.lock"

_registry_guard = threading.Lock()
_locks: dict[Path, threading.RLock] = {}
_depth: dict[Path, int] = {}
_fds: dict[Path, int] = {}


def _tell(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def process_alive(pid: int) -> bool:
    """True when a process with this id exists (or cannot be signalled: someone else's)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return "?"
    return text if text.isdigit() else "?"


def _open(path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_NOFOLLOW: a link planted in place of the lock file never makes site-gen write elsewhere.
    return os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)


def _acquire(path: Path, tell: Callable[[str], None]) -> int | None:
    try:
        fd = _open(path)
    except OSError as error:
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            tell(f"site-gen: cannot create the build lock {path} ({error.strerror}); "
                 "building without it")
            return None
        raise
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            tell(f"another site-gen build is running (pid {_holder(fd)}); waiting…")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def project_lock(root: Path, tell: Callable[[str], None] = _tell) -> Iterator[None]:
    """Hold the build lock of the project in ``root`` (waiting for another build to finish)."""
    path = root.resolve() / LOCK_FILE
    with _registry_guard:
        local = _locks.setdefault(path, threading.RLock())
    with local:  # threads of one process take turns; the same thread may re-enter
        depth = _depth.get(path, 0)
        if depth == 0:
            fd = _acquire(path, tell)
            if fd is not None:
                _fds[path] = fd
        _depth[path] = depth + 1
        try:
            yield
        finally:
            _depth[path] -= 1
            if _depth[path] == 0:
                del _depth[path]
                fd = _fds.pop(path, None)
                if fd is not None:
                    os.close(fd)  # closing the only descriptor releases the flock
