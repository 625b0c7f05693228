"""Stage 5 — build: run MkDocs into a fresh folder and swap it in only when it succeeds."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from .errors import BuildError
from .generate import Project

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def mkdocs_build(project: Project, site_dir: Path | None = None, *, strict: bool = True) -> Path:
    """Build the site with MkDocs into ``site_dir`` (default: project site/), atomically.

    The site is built into a temporary sibling folder; the old site is replaced only after the
    build succeeded, so a failed or interrupted build leaves the previous site intact.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException, PluginError

    target = (site_dir or project.site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    _configure_logging()
    try:
        config = load_config(str(project.config_file), site_dir=str(staging), strict=strict)
        build(config)
    except PluginError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(str(error)) from None
    except (Abort, ConfigurationError, MkDocsException) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(f"MkDocs build failed: {error}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_in(staging, target)
    return target


def swap_in(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging`` using renames, so a reader never sees a half site."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        old.rmdir()
        os.replace(target, old)
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _configure_logging() -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_site_gen", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._site_gen = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
