"""Stage 5 — build: the whole ``site-gen build``, done elsewhere and put in place only on success.

1. The content is loaded, validated and rendered; any error stops the run before anything is
   written.
2. A staging folder beside ``site/`` (``.site.building-<pid>-…``) gets a copy of ``docs/`` (hard
   links: nothing in ``docs/`` itself can change), the freshly generated pages, and the site that
   MkDocs builds from them.
3. Only when MkDocs succeeded: the generated pages are written into ``docs/`` (only those that
   changed, see ``write.py``) and the new site replaces ``site/`` in one atomic exchange — or not
   at all when it is byte-identical to the site already there.

A run that fails or is killed at any point before step 3 leaves ``docs/`` and ``site/`` exactly as
they were; its staging folder is removed by the next run.
"""

from __future__ import annotations

import ctypes
import errno
import filecmp
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import console
from .engine import ENGINES, configured_engine
from .errors import BuildError
from .generate import Project, build_epoch, generate, reproducible_dates
from .guard import refuse_unsafe_site_dir
from .lock import project_lock
from .write import WriteReport, read_manifest, shown_as, write_pages

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@dataclass(frozen=True)
class BuildResult:
    docs: WriteReport
    site: Path
    site_changed: bool


def build(project: Project, site_dir: Path | None = None, *, strict: bool = True,
          engine: str | None = None) -> BuildResult:
    """Validate, generate and build; see the module docstring for what a failure leaves behind.

    The pages are generated once per build: by the ``briefing`` plugin when MkDocs builds (as for
    plain ``mkdocs build``, with MkDocs' ``site_url``), here when the engine runs no plugin.
    ``engine``: ``"mkdocs"`` or ``"zensical"`` (which builds the same docs/ with Zensical, see
    ``_run_zensical``); by default the project's setting (``site_gen/engine.py``). The site goes
    to ``site_dir``, else to mkdocs.yml's ``site_dir``, else to ``site/``; a folder whose replacement would lose anything but a site is refused (``guard.py``).
    The project's build lock is held throughout (``lock.py``), so the content is read only once
    any other build of the project has finished.
    """
    if engine is None:
        engine = configured_engine(project.config_file)
    if engine not in ENGINES:
        raise BuildError(f"unknown engine {engine!r}; expected one of: {', '.join(ENGINES)}")
    if project.docs_dir.exists() and not project.docs_dir.is_dir():
        raise BuildError(f"{project.docs_dir} is not a folder; move it away so site-gen can create docs/")
    target = _site_target(project, site_dir)
    with project_lock(project.root):
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_abandoned_staging(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-{os.getpid()}-", dir=target.parent))
        staged_docs = staging / "docs"
        try:
            with shown_as(staged_docs, project.docs_dir):
                _link_tree(project.docs_dir, staged_docs)
                with console.paths_shown_as(_shown_as(project, staging, target)):
                    if engine == "zensical":
                        generate(project, docs_dir=staged_docs)
                        console.stage("Building the site with Zensical")
                        _run_zensical(project, staged_docs, staging / "site", strict=strict)
                    else:
                        _run_mkdocs(project, staged_docs, staging / "site", strict=strict)
                # The pages generated during the build; publish exactly what was built.
                built = {path: (staged_docs / path).read_bytes() for path in read_manifest(staged_docs)}
                console.stage("Publishing")
                report = write_pages(built, project.docs_dir)
            changed = swap_in(staging / "site", target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(report, target, changed)


def _shown_as(project: Project, staging: Path, target: Path) -> dict[Path, Path]:
    """How the staging folder's paths appear in messages: as the folders they stand for, both
    absolute (MkDocs) and relative to the project (Zensical)."""
    shown = {staging / "site": target, staging / "docs": project.docs_dir.resolve(), staging: target.parent}
    root = project.root.resolve()
    for old, new in list(shown.items()):
        if old.is_relative_to(root) and new.is_relative_to(root):
            shown[old.relative_to(root)] = new.relative_to(root)
    return shown


def _config_path(project: Project, key: str) -> Path | None:
    """A folder named in mkdocs.yml (relative to it), read without running anything it names."""
    from mkdocs.utils.yaml import yaml_load  # MkDocs' own reading: !ENV, INHERIT

    try:
        with project.config_file.open("rb") as handle:
            config = yaml_load(handle)
    except Exception:  # noqa: BLE001 - an unreadable mkdocs.yml is reported when MkDocs loads it
        return None
    if not isinstance(config, dict):
        return None
    value = config.get(key)
    if key == "custom_dir":
        theme = config.get("theme")
        value = theme.get("custom_dir") if isinstance(theme, dict) else None
    return project.config_file.parent / value if isinstance(value, str) and value else None


def _site_target(project: Project, site_dir: Path | None) -> Path:
    """Where the site goes, refused (before anything is touched) when it would lose anything else."""
    target = (site_dir or _config_path(project, "site_dir") or project.site_dir).resolve()
    refuse_unsafe_site_dir(target, root=project.root, docs_dir=project.docs_dir,
                           content_dir=project.content_dir, config_file=project.config_file,
                           custom_dir=_config_path(project, "custom_dir"))
    return target


def mkdocs_build(project: Project, site_dir: Path | None = None, *, strict: bool = True) -> Path:
    """Build the site with MkDocs from the current ``docs/`` into ``site_dir``, atomically."""
    target = _site_target(project, site_dir)
    with project_lock(project.root):
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_abandoned_staging(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-{os.getpid()}-", dir=target.parent))
        try:
            with console.paths_shown_as({staging / "site": target, staging: target.parent}):
                _run_mkdocs(project, project.docs_dir, staging / "site", strict=strict)
            swap_in(staging / "site", target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target


def _run_mkdocs(project: Project, docs_dir: Path, site_dir: Path, *, strict: bool) -> None:
    """``mkdocs build`` of ``docs_dir``; the ``briefing`` plugin generates the pages first.

    A project whose mkdocs.yml does not name the plugin has its pages generated here instead
    (once either way). Invalid content raises the ContentError itself, with every diagnostic.
    """
    from mkdocs.commands.build import build as mkdocs
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException

    from .plugin import BriefingError, InvalidContent, content_errors_not_logged

    console.configure_logging()
    docs_dir.mkdir(parents=True, exist_ok=True)
    try:
        with content_errors_not_logged():
            config = load_config(str(project.config_file), docs_dir=str(docs_dir), site_dir=str(site_dir),
                                 strict=strict)
            if "briefing" in config.plugins:
                mkdocs(config)
            else:
                briefing, _ = generate(project, docs_dir, site_url=config.site_url or None)
                with reproducible_dates(build_epoch(briefing)):
                    mkdocs(config)
    except InvalidContent as error:
        raise error.error from None
    except Abort as error:
        failure = error.__context__
        if isinstance(failure, InvalidContent):
            raise failure.error from None
        if isinstance(failure, BriefingError):  # the plugin's own one-line error, said once
            raise BuildError(str(failure).removeprefix("briefing: ")) from None
        raise BuildError(f"MkDocs build failed: {error}") from None
    except (ConfigurationError, MkDocsException) as error:
        raise BuildError(f"MkDocs build failed: {error}") from None


def _run_zensical(project: Project, docs_dir: Path, site_dir: Path, *, strict: bool) -> None:
    """Build with Zensical, which reads mkdocs.yml itself but runs no MkDocs plugin.

    The pages are already generated (``generate`` ran first), so the ``briefing`` plugin is not
    needed. Zensical takes its folders only from a configuration file, and only inside the
    project: a temporary one next to mkdocs.yml inherits everything from it and points
    ``docs_dir`` and ``site_dir`` at the staging folder. The theme's ``custom_dir`` (overrides/)
    is used as it is: its templates keep to what Jinja2 and Zensical's MiniJinja both have.
    """
    import subprocess
    import sys

    root = project.root.resolve()
    try:
        docs, site = docs_dir.resolve().relative_to(root), site_dir.resolve().relative_to(root)
    except ValueError:
        raise BuildError(f"Zensical builds only inside the project folder {root}; "
                         "choose a --site-dir inside it") from None
    config = root / f".zensical-{os.getpid()}.yml"
    config.write_text(f"INHERIT: {project.config_file.name}\n"
                      f"docs_dir: {json.dumps(docs.as_posix())}\nsite_dir: {json.dumps(site.as_posix())}\n",
                      "utf-8")
    try:
        command = [sys.executable, "-m", "zensical", "build", "--config-file", str(config)]
        result = subprocess.run(command + (["--strict"] if strict else []), cwd=root, text=True,
                                capture_output=True, check=False)
    except OSError as error:
        raise BuildError(f"cannot run Zensical: {error}") from None
    finally:
        config.unlink(missing_ok=True)
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0 or not (site_dir / "index.html").is_file():
        if "No module named zensical" in output:
            raise BuildError("Zensical is not installed; run 'make deps-dev' (requirements-dev.txt pins it)")
        raise BuildError(f"Zensical build failed:\n{output}")
    if output:
        logging.getLogger("mkdocs").info(output)


def _link_tree(source: Path, destination: Path) -> None:
    """Copy ``source`` to ``destination`` as hard links (a plain copy where links are impossible).

    Hard links cost no space and time, and nothing can change the originals through them: pages
    in the copy are only ever replaced (rename), never written in place.
    """

    def link_or_copy(src: str, dst: str) -> None:
        if not os.path.exists(src):  # a dangling symbolic link: MkDocs would not see it either
            return
        try:
            os.link(os.path.realpath(src), dst)  # link(2) itself would link the symbolic link
        except OSError:
            shutil.copy2(src, dst)

    if source.is_dir():
        # Symbolic links are followed (as MkDocs does): copied as links, a relative one would point
        # elsewhere from the staging folder. (copytree's ignore_dangling_symlinks is not used: it
        # resolves a relative link from the working directory, so it would drop good links.)
        shutil.copytree(source, destination, symlinks=False, copy_function=link_or_copy)
    else:
        destination.mkdir(parents=True)


def same_tree(a: Path, b: Path) -> bool:
    """True when two folders hold the same names with the same bytes (and the same links)."""
    if not (a.is_dir() and b.is_dir()):
        return False
    comparison = filecmp.dircmp(a, b, ignore=[], hide=[])
    if comparison.left_only or comparison.right_only or comparison.common_funny or comparison.funny_files:
        return False
    for name in comparison.common_files:
        left, right = a / name, b / name
        if left.is_symlink() or right.is_symlink():
            if not (left.is_symlink() and right.is_symlink() and os.readlink(left) == os.readlink(right)):
                return False
        elif not filecmp.cmp(left, right, shallow=False):
            return False
    return all(same_tree(a / name, b / name) for name in comparison.common_dirs)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(a))


def swap_in(staging: Path, target: Path) -> bool:
    """Put the folder ``staging`` at ``target``, so a reader never sees a half site.

    Returns False (and leaves ``target`` untouched) when both already hold the same files.
    """
    if target.exists() and same_tree(staging, target):
        return False
    if not target.exists():
        os.replace(staging, target)
        return True
    if _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the old site
        return True
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-{os.getpid()}-", dir=target.parent))
    old.rmdir()
    os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)
    return True


def remove_abandoned_staging(target: Path) -> None:
    """Remove the staging folders of runs that were killed (their process no longer exists)."""
    for prefix in (f".{target.name}.building-", f".{target.name}.old-"):
        for folder in target.parent.glob(prefix + "*"):
            owner = folder.name.removeprefix(prefix).split("-", 1)[0]
            if folder.is_dir() and not folder.is_symlink() and not _alive(owner):
                shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: str) -> bool:
    if not pid.isdigit():
        return False  # a staging folder from an older site-gen (no pid in its name)
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
