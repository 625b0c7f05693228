"""Refuse a site folder whose replacement would destroy the project.

Building replaces the whole site folder (``site-gen build`` swaps a new one in, MkDocs empties it
first), so a site folder that is, holds or lies inside the project folder, ``content/``, the
docs folder, the theme overrides, the folder of ``mkdocs.yml`` or a ``.git`` would lose them.
MkDocs checks only docs_dir against site_dir, and ``site-gen build``'s swap checked nothing.
Paths are compared after resolving symbolic links. An existing folder that is not empty and
does not look like a built site is refused too: it is not site-gen's to replace.
"""

from __future__ import annotations

from pathlib import Path

from .errors import BuildError

# What every site that MkDocs (or Zensical) builds holds at its top.
_SITE_MARKERS = ("index.html", "404.html", "sitemap.xml")


def _contains(outer: Path, inner: Path) -> bool:
    return outer == inner or outer in inner.parents


def _git_folders(root: Path) -> list[Path]:
    return [folder / ".git" for folder in (root, *root.parents) if (folder / ".git").exists()]


def refuse_unsafe_site_dir(site_dir: Path, *, root: Path, docs_dir: Path, content_dir: Path,
                           config_file: Path, custom_dir: Path | None = None) -> None:
    """Raise BuildError when building into ``site_dir`` could delete anything but a site."""
    site = site_dir.resolve()
    root = root.resolve()
    around = {"the project folder": root, "the folder of mkdocs.yml": config_file.resolve().parent}
    both_ways = {"the content folder": content_dir, "the docs folder (docs_dir)": docs_dir,
                 **({"the theme overrides (custom_dir)": custom_dir} if custom_dir else {}),
                 **{f"the git repository {git}": git for git in _git_folders(root)}}
    for what, path in around.items():
        if _contains(site, path):
            _refuse(site_dir, f"it {'is' if site == path else 'holds'} {what} {path}")
    for what, path in both_ways.items():
        resolved = path.resolve()
        if _contains(site, resolved):
            _refuse(site_dir, f"it {'is' if site == resolved else 'holds'} {what} {resolved}")
        if _contains(resolved, site):
            _refuse(site_dir, f"it is inside {what} {resolved}")
    if site.is_dir() and not any((site / marker).exists() for marker in _SITE_MARKERS):
        if any(site.iterdir()):
            _refuse(site_dir, "it is a folder that holds files but no built site (no index.html); "
                    "choose a new or empty folder")
    elif site.exists() and not site.is_dir():
        _refuse(site_dir, "it is not a folder")


def _refuse(site_dir: Path, why: str) -> None:
    raise BuildError(f"refusing to build the site into {site_dir}: {why}, and building replaces "
                     "everything in the site folder (nothing was touched)")
