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
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

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


def _without_top_level_keys(text: str, keys: set[str]) -> str:
    """The YAML ``text`` without the top-level ``keys`` (key and value, cut out by their marks)."""
    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(root, yaml.MappingNode):
        return text
    cuts = [(key.start_mark.index, value.end_mark.index) for key, value in root.value if key.value in keys]
    for start, end in reversed(cuts):
        text = text[:start] + text[end:]
    return text


def _config(project: Project) -> Path:
    """mkdocs.yml for the preview: its site folder in the cache, and nothing under ``watch``.

    mkdocs.yml watches content/ for `mkdocs serve`; Zensical 0.0.73 starts again from nothing when
    a watched file changes (it empties its site folder, so the open page reloads into a 404 until
    the whole site is rebuilt). site-gen watches content/ itself, and Zensical sees only the pages
    that changed in docs/ and rebuilds those. A copy, not ``INHERIT``: Zensical merges lists of an
    inherited file, so ``watch: []`` would not empty it. It sits next to mkdocs.yml, so relative
    paths in it mean the same.
    """
    config = project.root / f".zensical-serve-{os.getpid()}.yml"
    try:
        text = _without_top_level_keys(project.config_file.read_text("utf-8"), {"watch", "site_dir"})
    except yaml.YAMLError as error:
        raise BuildError(f"{project.config_file}: {error}") from None
    site = (PREVIEW_SITE / "site").as_posix()
    config.write_text(f"{text.rstrip()}\n\nsite_dir: {json.dumps(site)}\n", "utf-8")
    return config


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


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
    previous = signal.signal(signal.SIGTERM, _interrupt)  # a terminated preview cleans up as Ctrl-C does
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
        signal.signal(signal.SIGTERM, previous)
    return 0 if server.returncode in (0, -15) else int(server.returncode)
