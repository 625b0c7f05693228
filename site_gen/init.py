"""``site-gen init DIR``: a new, empty briefing project that builds at once, on any machine.

The project is made of

* ``templates/project/``: a content skeleton whose files each show a commented example, a
  ``Makefile`` that needs only ``python3`` and ``make`` (it makes ``.venv/`` itself, recovers a
  half-made one, and says which package to install when ``venv`` is missing), ``.ci/run``
  (exactly ``make site`` then ``make test``), a GitHub Pages workflow, the project's tests,
  ``.gitignore`` and a pre-commit configuration that runs ``make check``;
* ``theme/`` (shared with this repository, which uses the same files): ``mkdocs.yml`` with the
  project's own settings added, the theme overrides and the stylesheet;
* ``requirements.txt``: every package site-gen needs, pinned to the version running ``init``
  (so a new project gets the versions site-gen is tested with);
* the JSON Schema the content files name on their first line.

site-gen itself is installed by the Makefile from ``SITE_GEN_SPEC``: by default the released
``site-gen==<version>``; ``--site-gen-spec`` takes a wheel (copied into ``wheels/``, so the
project keeps working wherever it is copied), a VCS or HTTPS URL, or a source folder (kept as a
path relative to the project). No path of the machine that ran ``init`` is written anywhere.
A second briefing is new YAML, never new code.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
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
THEME = resources.files("site_gen") / "theme"
SKELETON = THEME / "mkdocs.yml"
# Files a package cannot ship under their real name (hidden files are easily lost on the way).
RENAMED = {"gitignore": ".gitignore", "pre-commit-config.yaml": ".pre-commit-config.yaml",
           "ci/run": ".ci/run", "github/workflows/publish.yml": ".github/workflows/publish.yml"}
EXECUTABLE = frozenset({".ci/run"})
FILLED = frozenset({"Makefile", "README.md"})
WHEELS = "wheels"
# The skeleton's sample text, in the new briefing's language.
SAMPLE_TEXT = {
    "tagline_yaml": N_("One line that says what this briefing is about."),
    "summary_1_yaml": N_("Replace these three sentences with the story so far."),
    "summary_2_yaml": N_("The second sentence gives the most important facts and figures."),
    "summary_3_yaml": N_("The third sentence says what happens next."),
    "created_yaml": N_("Briefing created."),
}
_PLACEHOLDER = re.compile(r"\{\{([a-z0-9_]+)\}\}")


def default_title(target: Path) -> str:
    words = re.sub(r"[-_.\s]+", " ", target.name).strip()
    return (words[:1].upper() + words[1:]) if words else "My briefing"


def init_project(target: Path, *, title: str | None = None, language: str = "en",
                 currency: str = "USD", today: dt.date | None = None,
                 site_gen_spec: str | None = None) -> list[Path]:
    """Create a briefing project in ``target`` (new or empty folder); returns the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise SiteGenError(f"{target} already exists and is not an empty folder; "
                           "site-gen init only creates new projects (nothing was written)")
    title = title if title is not None else default_title(target)
    _check_settings(title, language, currency)
    labels = Labels(language)
    files: dict[str, bytes] = {}
    spec = _site_gen_spec(site_gen_spec, target, files)
    values = {
        **{key: json.dumps(labels.gettext(text), ensure_ascii=False) for key, text in SAMPLE_TEXT.items()},
        "title_yaml": json.dumps(title, ensure_ascii=False),
        "title_md": title,
        "language": language,
        "currency": currency,
        "today": (today or dt.date.today()).isoformat(),
        "site_gen_spec": spec,
        "site_gen_version": _version("site-gen"),
    }
    for path, entry in _template_files(TEMPLATE, ""):
        data = entry.read_bytes()
        if _is_filled(path):
            data = _fill(data.decode("utf-8"), values, path).encode("utf-8")
        files[_destination(path)] = data
    for path, entry in _template_files(THEME / "overrides", "overrides/"):
        files[path] = entry.read_bytes()
    files["docs/assets/briefing.css"] = (THEME / "assets" / "briefing.css").read_bytes()
    files["mkdocs.yml"] = project_config(title, theme_language(language), labels).encode("utf-8")
    files["requirements.txt"] = pinned_requirements().encode("utf-8")
    files[SCHEMA_PATH] = dumps(content_schema()).encode("utf-8")
    written = []
    for relative, data in sorted(files.items()):
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        with destination.open("xb") as handle:  # "x": never overwrite anything
            handle.write(data)
        if relative in EXECUTABLE:
            destination.chmod(0o755)
        written.append(destination)
    return written


def project_config(title: str, language: str, labels: Labels | None = None) -> str:
    """A new project's mkdocs.yml: its own settings, then the shared skeleton (theme/mkdocs.yml),
    with its reader-facing words (navigation, palette toggles, permalink title) in the briefing's
    language: the plugin keeps them so under MkDocs, and engines without it read them as written."""
    # Material prints site_name without escaping it, so it never gets markup characters.
    site_name = json.dumps(re.sub(r"[<>]", "", title).strip() or "Briefing", ensure_ascii=False)
    skeleton, found = re.subn(r"^  language: en$", f"  language: {language}", SKELETON.read_text("utf-8"),
                              count=1, flags=re.MULTILINE)
    if not found:  # pragma: no cover - the skeleton is part of the package
        raise SiteGenError("theme/mkdocs.yml has no 'theme: language: en' line to set")
    if labels is not None:
        skeleton = _translate_skeleton(skeleton, labels)
    return ("# A briefing made with site-gen. The pages under docs/ are generated from content/ by the\n"
            "# `briefing` plugin on every `mkdocs build` / `mkdocs serve` (and by `site-gen build`).\n"
            f"site_name: {site_name}\nsite_description: {site_name}\n"
            "# The address the site is published at: canonical links, the sitemap, and the absolute\n"
            "# links in the updates feed and the calendar use it. The publish workflow sets SITE_URL\n"
            "# to the GitHub Pages address; or write it here: site_url: https://example.org/briefing/\n"
            "site_url: !ENV SITE_URL\n\n" + skeleton)


def _translate_skeleton(skeleton: str, labels: Labels) -> str:
    def words(english: str) -> str:
        return json.dumps(labels.gettext(english), ensure_ascii=False)

    lines = [(r"^(\s+name: )", "Switch to dark mode", ""), (r"^(\s+name: )", "Switch to light mode", ""),
             (r"^(\s+permalink_title: )", "Link to this section", "")]
    lines += [(r"^(  - )", english, f": {path}") for path, english in PAGES.items()]
    for prefix, english, suffix in lines:
        pattern = re.compile(prefix + re.escape(english + suffix) + "$", re.MULTILINE)
        replacement = words(english) + suffix
        skeleton = pattern.sub(lambda match: match.group(1) + replacement, skeleton)  # noqa: B023
    return skeleton


def standalone_config(config_file: Path) -> str:
    """``config_file``'s text with its ``INHERIT`` of the shared skeleton replaced by the skeleton,
    for a copy of the project elsewhere (tests, benchmarks). Other text is kept as it is."""
    text = config_file.read_text("utf-8")
    match = re.search(r"^INHERIT:\s*(\S+)\s*\n", text, re.MULTILINE)
    if match is None:
        return text
    inherited = (config_file.parent / match.group(1)).resolve()
    if inherited != Path(str(SKELETON)).resolve():
        return text
    return text[:match.start()] + text[match.end():].rstrip("\n") + "\n\n" + SKELETON.read_text("utf-8")


def pinned_requirements() -> str:
    """requirements.txt of a new project: everything site-gen needs, at the versions running now."""
    from importlib.metadata import PackageNotFoundError, distribution

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins: dict[str, str] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [("site-gen", frozenset[str]())]
    while todo:
        name, extras = todo.pop()
        if (canonicalize_name(name), extras) in seen:
            continue
        seen.add((canonicalize_name(name), extras))
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            raise SiteGenError(f"{name} is not installed; site-gen init pins what is installed "
                               "(install site-gen with its dependencies first)") from None
        if canonicalize_name(name) != "site-gen":
            pins[canonicalize_name(name)] = dist.version
        for text in dist.requires or []:
            requirement = Requirement(text)
            marker = requirement.marker
            if marker is None or any(marker.evaluate({"extra": extra}) for extra in extras or {""}):
                todo.append((requirement.name, frozenset(requirement.extras)))
    lines = [f"{name}=={pins[name]}" for name in sorted(pins)]
    return ("# Every package site-gen needs, pinned (transitive ones included) to the versions of the\n"
            f"# site-gen {_version('site-gen')} that made this project. site-gen itself is installed by\n"
            "# the Makefile from SITE_GEN_SPEC. To upgrade: install the new site-gen in a fresh venv\n"
            "# and run `site-gen init` in an empty folder; take its requirements.txt.\n"
            + "\n".join(lines) + "\n")


def _version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "0+unknown"


def _site_gen_spec(spec: str | None, target: Path, files: dict[str, bytes]) -> str:
    """What the Makefile's SITE_GEN_SPEC defaults to (see the module docstring)."""
    if spec is None or not spec.strip():
        return f"site-gen=={_version('site-gen')}"
    spec = spec.strip()
    if re.match(r"^[a-z][a-z0-9+.-]*://", spec, re.IGNORECASE) or re.match(r"^[A-Za-z0-9._-]+\s*[=<>!~]", spec):
        if re.search(r"[\s'\"$`\\]", spec):
            raise SiteGenError(f"--site-gen-spec {spec!r}: no spaces, quotes, $, ` or \\ in it, please")
        return spec
    path = Path(spec).expanduser()
    if path.is_file() and path.suffix == ".whl":
        files[f"{WHEELS}/{path.name}"] = path.read_bytes()
        return f"{WHEELS}/{path.name}"
    if path.is_dir() and (path / "pyproject.toml").is_file():
        relative = os.path.relpath(path.resolve(), target.resolve())
        if re.search(r"[\s'\"$`\\]", relative):
            raise SiteGenError(f"--site-gen-spec {spec!r}: its path has spaces or quotes; give a wheel instead")
        return relative
    raise SiteGenError(f"--site-gen-spec {spec!r}: expected a wheel (.whl file), a site-gen source folder, "
                       "a URL such as git+https://host/site-gen.git@v1.0, or a requirement such as "
                       "site-gen==1.0")


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
    if path in RENAMED:
        return RENAMED[path]
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
