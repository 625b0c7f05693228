"""The language of a briefing project, as its two configuration files state it.

``content/briefing.yaml`` says what language the briefing is in; Material for MkDocs' own words
(search box, navigation, "dir") follow ``theme.language`` of ``mkdocs.yml``. site-gen keeps them
one setting: the plugin sets ``theme.language`` from briefing.yaml, and a ``theme.language``
written in mkdocs.yml that says otherwise is an error (in ``site-gen check`` and every build),
never a site that is half in one language and half in another. ``site-gen init`` writes both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from . import language_warning


def theme_language(language: str) -> str:
    """The closest language Material for MkDocs has templates for (it fails on unknown ones)."""
    try:
        languages = resources.files("material") / "templates" / "partials" / "languages"
        available = {entry.name.removesuffix(".html") for entry in languages.iterdir()}
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - material is a dependency
        return "en"
    parts = language.replace("_", "-").split("-")
    candidates = ["-".join(parts)]
    if parts[0] == "zh":
        traditional = any(p in ("Hant", "TW", "HK", "MO") for p in parts[1:])
        candidates.append("zh-Hant" if traditional else "zh")
    candidates.append(parts[0])
    for candidate in candidates:
        if candidate in available:
            return candidate
    return "en"


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def _read_config(path: Path) -> Any:
    """mkdocs.yml as MkDocs reads it (``!ENV``, ``INHERIT``), without running anything it names."""
    from mkdocs.utils.yaml import yaml_load

    try:
        with path.open("rb") as handle:
            return yaml_load(handle)
    except Exception:  # noqa: BLE001 - an unreadable mkdocs.yml is reported when MkDocs loads it
        return None


@dataclass
class ProjectLanguage:
    language: str = "en"                 # briefing.yaml's language
    theme: str = "en"                    # what theme.language must be
    labels: dict[str, Any] = field(default_factory=dict)
    configured: str | None = None        # theme.language as mkdocs.yml states it (None: not at all)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def project_language(root: Path, config_file: Path | None = None) -> ProjectLanguage:
    """What the project's files say about its language, and whether they agree."""
    meta = _read(root / "content" / "briefing.yaml")
    meta = meta if isinstance(meta, dict) else {}
    given = meta.get("language")
    language = given if isinstance(given, str) else "en"
    given_labels = meta.get("labels")
    labels: dict[str, Any] = given_labels if isinstance(given_labels, dict) else {}
    found = ProjectLanguage(language=language, theme=theme_language(language), labels=labels)
    warning = language_warning(language)
    if warning:
        found.warnings.append(f"content/briefing.yaml: {warning}")
    config = _read_config(config_file or root / "mkdocs.yml")
    theme = config.get("theme") if isinstance(config, dict) else None
    configured = theme.get("language") if isinstance(theme, dict) else None
    found.configured = configured if isinstance(configured, str) else None
    if configured is not None and configured != found.theme:
        found.errors.append(
            f"mkdocs.yml: theme.language is {configured!r} but content/briefing.yaml has language: "
            f"{language}; the theme's words must be in the briefing's language (set theme.language: "
            f"{found.theme}, or remove it: site-gen sets it from briefing.yaml)")
    return found
