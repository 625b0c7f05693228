"""``site-gen init DIR``: a new, empty briefing project that builds at once.

The project is copied from ``templates/project/``: a content skeleton whose files each show a
commented example, ``mkdocs.yml``, a ``Makefile`` (``make site``, ``serve``, ``check``, ``schema``,
``deploy``), ``.gitignore``, a pre-commit configuration, the theme overrides and stylesheet of
the repository's own briefing, and the JSON Schema the content files name on their first line. A second briefing is new YAML, never new code.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from pydantic import ValidationError

from .errors import SiteGenError
from .i18n import N_, Labels, babel_locale
from .i18n.project import theme_language
from .model import BriefingMeta
from .render.pages import PAGES
from .schema import SCHEMA_PATH, content_schema, dumps

TEMPLATE = resources.files("site_gen") / "templates" / "project"
# Files a package cannot ship under their real name (hidden files are easily lost on the way).
RENAMED = {"gitignore": ".gitignore", "pre-commit-config.yaml": ".pre-commit-config.yaml"}
FILLED = frozenset({"mkdocs.yml", "Makefile", "README.md"})
_PLACEHOLDER = re.compile(r"\{\{([a-z0-9_]+)\}\}")
# The skeleton's sample text, in the new briefing's language.
SKELETON = {
    "tagline_yaml": N_("One line that says what this briefing is about."),
    "summary_1_yaml": N_("Replace these three sentences with the story so far."),
    "summary_2_yaml": N_("The second sentence gives the most important facts and figures."),
    "summary_3_yaml": N_("The third sentence says what happens next."),
    "created_yaml": N_("Briefing created."),
}


def default_title(target: Path) -> str:
    words = re.sub(r"[-_.\s]+", " ", target.name).strip()
    return (words[:1].upper() + words[1:]) if words else "My briefing"


def init_project(target: Path, *, title: str | None = None, language: str = "en",
                 currency: str = "USD", today: dt.date | None = None,
                 python: str = sys.executable) -> list[Path]:
    """Create a briefing project in ``target`` (new or empty folder); returns the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise SiteGenError(f"{target} already exists and is not an empty folder; "
                           "site-gen init only creates new projects (nothing was written)")
    title = title if title is not None else default_title(target)
    _check_settings(title, language, currency)
    labels = Labels(language)
    values = {
        "title_yaml": json.dumps(title, ensure_ascii=False),
        # Material prints site_name without escaping it, so it never gets markup characters.
        "site_name_yaml": json.dumps(re.sub(r"[<>]", "", title).strip() or "Briefing", ensure_ascii=False),
        "title_md": title,
        "language": language,
        "theme_language": theme_language(language),
        "currency": currency,
        "today": (today or dt.date.today()).isoformat(),
        "python": python,
        # The navigation, in the briefing's language (the plugin keeps it so under MkDocs; other
        # engines, such as Zensical, read these titles as they are).
        "nav": "\n".join(f"  - {json.dumps(labels.gettext(title), ensure_ascii=False)}: {path}"
                         for path, title in PAGES.items()),
        "dark_mode_yaml": json.dumps(labels.gettext("Switch to dark mode"), ensure_ascii=False),
        "light_mode_yaml": json.dumps(labels.gettext("Switch to light mode"), ensure_ascii=False),
        "permalink_title_yaml": json.dumps(labels.gettext("Link to this section"), ensure_ascii=False),
        **{key: json.dumps(labels.gettext(text), ensure_ascii=False) for key, text in SKELETON.items()},
    }
    files: dict[str, bytes] = {}
    for path, entry in _template_files(TEMPLATE, ""):
        data = entry.read_bytes()
        if _is_filled(path):
            data = _fill(data.decode("utf-8"), values, path).encode("utf-8")
        files[_destination(path)] = data
    files[SCHEMA_PATH] = dumps(content_schema()).encode("utf-8")
    written = []
    for relative, data in sorted(files.items()):
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        with destination.open("xb") as handle:  # "x": never overwrite anything
            handle.write(data)
        written.append(destination)
    return written


def _is_filled(path: str) -> bool:
    """Only these files hold {{placeholders}}; theme files and styles are copied as they are."""
    return path in FILLED or (path.startswith("content/") and path.endswith(".yaml"))


def _check_settings(title: str, language: str, currency: str) -> None:
    try:
        BriefingMeta.model_validate({"title": title, "summary": ["."], "language": language,
                                     "currency": currency}, strict=True)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        raise SiteGenError(f"invalid setting for the new briefing: {problems}") from None
    if babel_locale(language) is None:
        raise SiteGenError(f"invalid setting for the new briefing: --language {language!r} is not a language "
                           "CLDR knows (use a BCP 47 tag such as 'de', 'pt-BR', 'ja' or 'zh-Hans'; "
                           "nothing was written)")


def _template_files(folder: Traversable, prefix: str) -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name == "__pycache__":
            continue
        path = f"{prefix}{entry.name}"
        if entry.is_dir():
            found.extend(_template_files(entry, path + "/"))
        else:
            found.append((path, entry))
    return found


def _destination(path: str) -> str:
    folder, _, name = path.rpartition("/")
    name = RENAMED.get(name, name)
    return f"{folder}/{name}" if folder else name


def _fill(text: str, values: dict[str, str], path: str) -> str:
    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise KeyError(f"{path}: unknown template placeholder {{{{{key}}}}}")
        return values[key]

    return _PLACEHOLDER.sub(replace, text)
