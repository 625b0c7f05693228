"""A second briefing is new YAML, not new code: ``site-gen init`` and a made-up story.

``tests/fixtures/other-story/`` is a briefing nobody wrote the code for: other people with
non-ASCII names, euros, and dates known to the month only. It is built in a project made by
``site-gen init`` with plain ``mkdocs build --strict``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from site_gen.errors import ContentError
from site_gen.init import RENAMED, TEMPLATE, init_project
from site_gen.schema import MODELINE_PREFIX, content_schema, dumps
from site_gen.validate import load_briefing

from .conftest import FIXTURES, REPO, mkdocs_build, run_site_gen
from .htmltext import main_text, parse

OTHER = FIXTURES / "other-story" / "content"

# This story's people, places and outlets: none may appear in the code.
STORY_WORDS = [
    "Trump", "Mamdani", "Zohran", "Hochul", "Schumer", "Cheung", "Mike Johnson", "Gateway",
    "Columbia", "New York", "NYC", "Second Avenue", "White House", "Oval Office", "State of the Union",
    "Reuters", "iNews", "NBC", "Fox News", "Associated Press",
]


def test_the_code_mentions_none_of_this_storys_people_or_places() -> None:
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in STORY_WORDS) + r")\b", re.IGNORECASE)
    found = []
    for path in sorted((REPO / "site_gen").rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if match := pattern.search(line):
                found.append(f"{path.relative_to(REPO)}:{number}: {match.group()}")
    assert not found, "story-specific names in site_gen/:\n" + "\n".join(found)


# --------------------------------------------------------------------------- site-gen init


def _make(target: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("MAKEFLAGS", None)
    return subprocess.run(["make", "--no-print-directory", target], check=False, cwd=cwd, text=True,
                          capture_output=True, env=env)


@pytest.fixture(scope="module")
def new_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``site-gen init`` then ``make site``, exactly as an editor starts a new briefing."""
    target = tmp_path_factory.mktemp("init") / "city-budget"
    result = run_site_gen("init", str(target), "--title", "City budget 2031", cwd=target.parent)
    assert result.returncode == 0, result.stderr
    assert "make site" in result.stdout
    built = _make("site", target)
    assert built.returncode == 0, built.stdout + built.stderr
    return target


def test_init_creates_the_project_files(new_project: Path) -> None:
    for name in ("mkdocs.yml", "Makefile", ".gitignore", ".pre-commit-config.yaml", "README.md",
                 "schema/briefing.schema.json", "docs/assets/briefing.css"):
        assert (new_project / name).is_file(), name
    for name in ("briefing", "sources", "people", "topics", "events", "funding", "quotes", "faq",
                 "updates"):
        text = (new_project / "content" / f"{name}.yaml").read_text("utf-8")
        assert text.startswith(MODELINE_PREFIX + "../schema/briefing.schema.json\n"), name
        assert "\n# Example" in text, f"{name}.yaml has no commented example"
    assert (new_project / "schema" / "briefing.schema.json").read_text("utf-8") == dumps(content_schema())
    assert sys.executable in (new_project / "Makefile").read_text("utf-8")


def test_make_site_builds_the_empty_briefing(new_project: Path) -> None:
    site = new_project / "site"
    home = main_text(site / "index.html")
    assert "City budget 2031" in home
    assert "Last updated" in home and "Download the data" in home
    for page in ("timeline", "funding", "quotes", "people", "topics", "faq", "sources", "updates",
                 "full-briefing"):
        assert (site / page / "index.html").is_file(), page
    for data in ("data/briefing.json", "data/funding.csv", "data/events.ics", "feed.xml"):
        assert (site / data).is_file(), data
    assert "Briefing created." in main_text(site / "updates" / "index.html")


def test_make_check_and_a_second_make_site(new_project: Path) -> None:
    assert _make("check", new_project).returncode == 0
    again = _make("site", new_project)
    assert again.returncode == 0 and "0 written" in again.stdout


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", "utf-8")
    result = run_site_gen("init", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert "not an empty folder" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("args, message", [
    (["--currency", "euro"], "three-letter ISO 4217 currency"),
    (["--language", "English"], "language"),
])
def test_init_rejects_bad_settings(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_site_gen("init", str(tmp_path / "x"), *args, cwd=tmp_path)
    assert result.returncode == 1 and message in result.stderr
    assert not (tmp_path / "x").exists()


def test_init_language_and_currency(tmp_path: Path) -> None:
    init_project(tmp_path / "b", title="Budżet: „Łódź” 2031", language="pl", currency="PLN")
    meta = yaml.safe_load((tmp_path / "b" / "content" / "briefing.yaml").read_text("utf-8"))
    assert meta["title"] == "Budżet: „Łódź” 2031" and meta["language"] == "pl" and meta["currency"] == "PLN"
    config = yaml.safe_load((tmp_path / "b" / "mkdocs.yml").read_text("utf-8"))
    assert config["site_name"] == "Budżet: „Łódź” 2031" and config["theme"]["language"] == "pl"
    load_briefing(tmp_path / "b" / "content")


def _uncomment_examples(text: str) -> str:
    """Apply a skeleton file's commented example as its comment says: uncomment it and delete
    the empty ``key: []`` it replaces."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# Example"))
    example = [line[2:] for line in lines[start + 1:] if line.startswith("# ")]
    replaced = {line.split(":")[0] for line in example if re.match(r"[a-z_]+:", line)}
    kept = [line for line in lines[:start] if line.split(":")[0] not in replaced or not line.endswith("[]")
            and "[]" not in line.split("#")[0]]
    return "\n".join(kept + example) + "\n"


def test_the_commented_examples_are_a_valid_briefing(tmp_path: Path) -> None:
    """Every example in the skeleton is correct: uncommented, they build a strict site."""
    project = tmp_path / "examples"
    init_project(project, title="Examples")
    for path in (project / "content").glob("*.yaml"):
        path.write_text(_uncomment_examples(path.read_text("utf-8")), "utf-8")
    try:
        briefing = load_briefing(project / "content")
    except ContentError as error:
        pytest.fail(f"the commented examples are not valid:\n{error}")
    assert len(briefing.events) == 2 and len(briefing.quotes) == 1 and len(briefing.figures) == 2
    assert len(briefing.updates) == 2 and briefing.meta.key_figures == ["library-budget"]
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    assert "A library is the one place in town" in main_text(project / "site" / "quotes" / "index.html")


def test_template_matches_the_repository_project() -> None:
    """The skeleton is the repository's own set-up minus the story: keep them in step."""
    template = yaml.safe_load((TEMPLATE / "mkdocs.yml").read_text("utf-8").replace("{{", "x").replace("}}", "x"))
    repo = yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8").replace("!ENV ", ""))
    for key in ("plugins", "markdown_extensions", "validation", "nav", "extra_css", "watch", "docs_dir",
                "site_dir"):
        assert template.get(key) == repo.get(key), f"mkdocs.yml '{key}' differs from the template's"
    for key in ("name", "font", "features", "palette", "custom_dir"):
        assert template["theme"].get(key) == repo["theme"].get(key), f"mkdocs.yml theme.{key} differs"
    hand_written = [p for folder in ("docs/assets", "overrides") if (REPO / folder).is_dir()
                    for p in sorted((REPO / folder).rglob("*")) if p.is_file()]
    assert hand_written
    for path in hand_written:
        relative = path.relative_to(REPO)
        copy = TEMPLATE.joinpath(*relative.parts)
        assert copy.is_file() and copy.read_bytes() == path.read_bytes(), (
            f"copy {relative} to site_gen/templates/project/{relative}")


def test_template_renames(tmp_path: Path) -> None:
    written = init_project(tmp_path / "p", title="P")
    names = {p.name for p in written}
    assert set(RENAMED.values()) <= names and not set(RENAMED) & names


# --------------------------------------------------------------------------- the other story


@pytest.fixture(scope="module")
def other_project(other_story_project: Path) -> Path:
    return other_story_project


def _site_text(site: Path) -> str:
    return " ".join(main_text(p) for p in sorted(site.rglob("index.html")))


def test_other_story_pages(other_project: Path) -> None:
    site = other_project / "site"
    people = main_text(site / "people" / "index.html")
    for name in ("Zoë Šimić", "Łukasz Wróbel", "Ingrid Ødegård", "Ministry of Transport"):
        assert name in people, name
    assert "person-simic" in parse((site / "people" / "index.html").read_text("utf-8")).ids
    funding = main_text(site / "funding" / "index.html")
    assert "about €420 million" in funding and "€35 million" in funding and "€12.50" in funding
    assert "in EUR across 2 separate figures" in funding
    assert "$" not in funding
    timeline_html = (site / "timeline" / "index.html").read_text("utf-8")
    timeline = main_text(site / "timeline" / "index.html")
    for month in ("March 2031", "April 2031", "May 2031"):
        assert month in timeline
    assert 'datetime="2031-04"' in timeline_html and "mid-April" in timeline
    assert not re.search(r'datetime="2031-\d\d-\d\d"', timeline_html), "no day was invented"
    quotes = main_text(site / "quotes" / "index.html")
    assert "A tram is not a luxury; it is how Velmira gets to work." in quotes
    assert "Reported speech" in quotes
    updates = main_text(site / "updates" / "index.html")
    assert "Correction" in updates and "not €53 million as first reported" in updates
    home = main_text(site / "index.html")
    assert "The Velmira tram dispute" in home and "Last updated" in home


def test_other_story_shows_correction_notes_on_the_items(other_project: Path) -> None:
    funding_html = (other_project / "site" / "funding" / "index.html").read_text("utf-8")
    funding = main_text(other_project / "site" / "funding" / "index.html")
    assert "Correction May 2031 The depot costs €35 million, not €53 million as first reported." in funding
    assert 'class="admonition warning"' in funding_html  # a correction stands out
    timeline_html = (other_project / "site" / "timeline" / "index.html").read_text("utf-8")
    assert "Updated May 2031 Added the first deal." in main_text(other_project / "site" / "timeline" / "index.html")
    assert 'class="admonition note"' in timeline_html


def test_other_story_site_has_nothing_of_the_first_story(other_project: Path) -> None:
    text = _site_text(other_project / "site")
    for word in STORY_WORDS:
        assert not re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE), word


def test_other_story_search_finds_non_ascii_names(other_project: Path) -> None:
    index = json.loads((other_project / "site" / "search" / "search_index.json").read_text("utf-8"))
    text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    assert "Zoë Šimić" in text and "Łukasz Wróbel" in text


# --------------------------------------------------------------------------- pre-commit


def test_pre_commit_hook_runs_site_gen_check(tmp_path: Path) -> None:
    """The repository's .pre-commit-config.yaml, run for real by pre-commit in a scratch repo."""
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text("utf-8"))
    (hook,) = [h for repo in config["repos"] if repo["repo"] == "local" for h in repo["hooks"]]
    assert hook["entry"] == "site-gen check" and hook["pass_filenames"] is False

    project = tmp_path / "repo"
    project.mkdir()
    shutil.copy2(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copy2(REPO / ".pre-commit-config.yaml", project / ".pre-commit-config.yaml")
    shutil.copytree(FIXTURES / "mini" / "content", project / "content")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(REPO),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    assert shutil.which("site-gen", path=env["PATH"]), (
        f"site-gen is not installed next to {sys.executable}; `make test` installs it (pip install -e .)")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), check=False, cwd=project, env=env, text=True,
                              capture_output=True)

    assert run("git", "init", "-q").returncode == 0
    assert run("git", "add", "-A").returncode == 0
    ok = run(sys.executable, "-m", "pre_commit", "run", "--all-files")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "site-gen check" in ok.stdout and "Passed" in ok.stdout

    quotes = project / "content" / "quotes.yaml"
    quotes.write_text(quotes.read_text("utf-8").replace("speaker: ada-lind", "speaker: ada-lnd", 1), "utf-8")
    run("git", "add", "-A")
    bad = run(sys.executable, "-m", "pre_commit", "run", "--all-files")
    assert bad.returncode == 1
    assert "Failed" in bad.stdout
    assert re.search(r"content/quotes\.yaml:\d+:\d+: quotes\[0\]\.speaker: unknown person 'ada-lnd'", bad.stdout)


def test_init_title_with_markup_cannot_inject_into_the_theme(tmp_path: Path) -> None:
    target = tmp_path / "xss"
    init_project(target, title="<script>alert(1)</script> & Co")
    config = yaml.safe_load((target / "mkdocs.yml").read_text("utf-8").replace("!ENV", ""))
    assert config["site_name"] == "scriptalert(1)/script & Co"
    briefing = (target / "content" / "briefing.yaml").read_text("utf-8")
    assert '"<script>alert(1)</script> & Co"' in briefing  # the content keeps it; the renderer escapes it
