"""``site-gen serve`` with Zensical: ``zensical serve`` shows docs/, site-gen keeps docs/ current.

Zensical runs no MkDocs plugin, so it cannot regenerate the pages itself. site-gen starts
``zensical serve`` (which watches docs/ and the theme overrides, rebuilds what changed and reloads
the open page) and watches content/ and mkdocs.yml itself: on a change it regenerates docs/ (only
the files that changed are written, atomically), and Zensical picks them up. A broken edit prints
the precise error and writes nothing, so the last good preview stays up; the next good save
recovers it.

Zensical serves from a site folder of its own, ``.cache/site-gen/zensical-serve/`` (inside the
project: Zensical accepts no other), never from site/, which only ``site-gen build`` replaces.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from .errors import BuildError, SiteGenError
from .generate import Project, generate

POLL_INTERVAL_S = 0.1  # as the MkDocs preview (plugin.py): content/ holds a few files
PREVIEW_SITE = Path(".cache") / "site-gen" / "zensical-serve"


def _fingerprint(project: Project) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every file that the generated pages depend on."""
    files = [project.config_file]
    if project.content_dir.is_dir():
        files += sorted(p for p in project.content_dir.rglob("*") if p.is_file())
    out = []
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue  # removed between listing and looking: the next poll sees it gone
        out.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(out)


def _regenerate(project: Project) -> None:
    started = time.perf_counter()
    try:
        _, report = generate(project)
    except SiteGenError as error:
        print(error, file=sys.stderr, flush=True)
        print("The preview keeps the last good version until the content is fixed.", file=sys.stderr, flush=True)
        return
    if report.written or report.removed:
        print(f"briefing: {report.summary()} ({time.perf_counter() - started:.2f} s)", flush=True)


def _config(project: Project) -> Path:
    """A configuration next to mkdocs.yml that inherits it and moves the site to the preview cache."""
    config = project.root / f".zensical-serve-{os.getpid()}.yml"
    site = (PREVIEW_SITE / "site").as_posix()
    config.write_text(f"INHERIT: {project.config_file.name}\nsite_dir: {json.dumps(site)}\n", "utf-8")
    return config


def serve_zensical(project: Project, dev_addr: str) -> int:
    """Run the preview until Zensical exits or the user presses Ctrl-C (docs/ already generated)."""
    import importlib.util

    if importlib.util.find_spec("zensical") is None:
        raise BuildError("Zensical is not installed; run 'make deps-dev' (requirements-dev.txt pins it)")
    (project.root / PREVIEW_SITE).mkdir(parents=True, exist_ok=True)
    config = _config(project)
    command = [sys.executable, "-m", "zensical", "serve", "--config-file", str(config), "--dev-addr", dev_addr]
    try:
        server = subprocess.Popen(command, cwd=project.root, stdin=subprocess.DEVNULL)
    except OSError as error:
        config.unlink(missing_ok=True)
        raise BuildError(f"cannot run Zensical: {error}") from None
    seen = _fingerprint(project)
    try:
        while server.poll() is None:
            time.sleep(POLL_INTERVAL_S)
            now = _fingerprint(project)
            if now != seen:
                seen = now
                _regenerate(project)
    except KeyboardInterrupt:
        pass
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        config.unlink(missing_ok=True)
    return 0 if server.returncode in (0, -15) else int(server.returncode)
