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
from site_gen.init import RENAMED, init_project, standalone_config
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


def _bare_env(home: Path) -> dict[str, str]:
    """An environment that knows nothing of the venv running the tests (nor of this checkout)."""
    prefixes = {str(Path(sys.prefix).resolve()), str(REPO)}
    path = [entry for entry in os.environ.get("PATH", "").split(os.pathsep)
            if entry and not any(str(Path(entry).resolve()).startswith(prefix) for prefix in prefixes)]
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "MAKEFLAGS", "MAKELEVEL", "PYTHONHOME")}
    return {**env, "PATH": os.pathsep.join(path), "HOME": str(home)}


def _make(target: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "--no-print-directory", target, *args], check=False, cwd=cwd, text=True,
                          capture_output=True, env=_bare_env(cwd.parent), timeout=900)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """site-gen as a wheel, built from this checkout (as a release would be)."""
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                             "-w", str(out), str(REPO)], capture_output=True, text=True, check=False,
                            cwd=out, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = out.glob("site_gen-*.whl")
    return built


@pytest.fixture(scope="module")
def new_project(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """``site-gen init``, then the project copied to another folder and the original removed: there,
    with a new .venv of its own, ``.ci/run`` (``make site`` then ``make test``) as CI runs it."""
    made = tmp_path_factory.mktemp("init") / "city-budget"
    own_wheel = made.parent / "dist" / wheel.name
    own_wheel.parent.mkdir()
    shutil.copy2(wheel, own_wheel)
    result = run_site_gen("init", str(made), "--title", "City budget 2031", "--site-gen-spec", str(own_wheel),
                          cwd=made.parent)
    assert result.returncode == 0, result.stderr
    assert "make site" in result.stdout
    target = tmp_path_factory.mktemp("elsewhere") / "budget"
    shutil.copytree(made, target, symlinks=True)
    shutil.rmtree(made)
    own_wheel.unlink()  # the copy must carry everything it needs
    ci = subprocess.run([str(target / ".ci" / "run")], cwd=target, text=True, capture_output=True, check=False,
                        env=_bare_env(target.parent), timeout=1800)
    assert ci.returncode == 0, ci.stdout + ci.stderr
    assert "Ran 3 tests" in ci.stderr and "OK" in ci.stderr, ci.stderr
    return target


def test_init_creates_the_project_files(new_project: Path) -> None:
    for name in ("mkdocs.yml", "Makefile", ".gitignore", ".pre-commit-config.yaml", "README.md",
                 "schema/briefing.schema.json", "docs/assets/briefing.css", "requirements.txt", ".ci/run",
                 ".github/workflows/publish.yml", "tests/test_site.py", "overrides/main.html"):
        assert (new_project / name).is_file(), name
    for name in ("briefing", "sources", "people", "topics", "events", "funding", "quotes", "faq",
                 "updates"):
        text = (new_project / "content" / f"{name}.yaml").read_text("utf-8")
        assert text.startswith(MODELINE_PREFIX + "../schema/briefing.schema.json\n"), name
        assert "\n# Example" in text, f"{name}.yaml has no commented example"
    assert (new_project / "schema" / "briefing.schema.json").read_text("utf-8") == dumps(content_schema())


def test_the_project_names_no_path_of_the_machine_that_made_it(tmp_path: Path, wheel: Path) -> None:
    target = tmp_path / "p"
    init_project(target, title="P", site_gen_spec=str(wheel))
    machine = [str(REPO), sys.executable, sys.prefix, str(Path(sys.executable).resolve().parent), str(tmp_path),
               str(wheel.parent)]
    for path in sorted(target.rglob("*")):
        if path.is_file() and path.suffix != ".whl":
            # (a `#!/usr/bin/env` line names no machine, even where Python lives in /usr/bin)
            text = "\n".join(line for line in path.read_text("utf-8").splitlines()
                              if not line.startswith("#!/usr/bin/env "))
            for name in machine:
                assert name not in text, f"{path.relative_to(target)} names {name}"
    makefile = (target / "Makefile").read_text("utf-8")
    assert f"SITE_GEN_SPEC ?= wheels/{wheel.name}\n" in makefile
    assert (target / "wheels" / wheel.name).read_bytes() == wheel.read_bytes()
    assert os.access(target / ".ci" / "run", os.X_OK)


def test_the_ci_script_runs_exactly_the_two_commands(new_project: Path) -> None:
    lines = [line.strip() for line in (new_project / ".ci" / "run").read_text("utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines[-2:] == ["make site", "make test"]
    assert not [line for line in lines if re.search(r"\b(pip|apt-get|npm)\b", line)]
    workflow = yaml.safe_load((new_project / ".github" / "workflows" / "publish.yml").read_text("utf-8"))
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    build = workflow["jobs"]["build"]["steps"]
    pages = next(i for i, step in enumerate(build) if step.get("uses", "").startswith("actions/configure-pages@"))
    make = next(i for i, step in enumerate(build) if step.get("run") == "make site")
    assert pages < make and build[make]["env"]["SITE_URL"].startswith("${{ steps.pages.outputs.base_url }}")


def test_requirements_are_pinned_like_ours(new_project: Path) -> None:
    from packaging.requirements import Requirement

    # Our pins for this Python: a line with an environment marker counts where it applies.
    ours = {}
    for line in (REPO / "requirements.txt").read_text("utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate():
                ours[requirement.name] = str(requirement.specifier).removeprefix("==")
    theirs = dict(line.split("==") for line in (new_project / "requirements.txt").read_text("utf-8").splitlines()
                  if line and not line.startswith("#"))
    assert theirs and all(ours.get(name) == version for name, version in theirs.items()), theirs
    runtime = set(ours) - {"setuptools"}
    assert set(theirs) == runtime, runtime ^ set(theirs)


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
    venv_python = new_project / ".venv" / "bin" / "python"
    where = subprocess.run([str(venv_python), "-c", "import site_gen, sys; print(site_gen.__file__)"],
                           capture_output=True, text=True, check=True, env=_bare_env(new_project.parent),
                           cwd=new_project)
    assert where.stdout.startswith(str(new_project / ".venv")), "site-gen must come from the project's venv"


def test_make_check_and_a_second_make_site(new_project: Path) -> None:
    assert _make("check", new_project).returncode == 0
    again = _make("site", new_project)
    assert again.returncode == 0 and "0 written" in again.stdout
    assert "installing" not in again.stdout, "nothing to install the second time"


def test_a_half_made_venv_is_made_again(tmp_path: Path, new_project: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(new_project, project, symlinks=True, ignore=shutil.ignore_patterns(".venv", "site", ".cache"))
    subprocess.run(["python3", "-m", "venv", "--without-pip", str(project / ".venv")], check=True,
                   env=_bare_env(tmp_path))
    result = _make("check", project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ".venv is incomplete (no working pip, left by a failed set-up); making it again" in result.stderr


def test_the_pre_commit_hook_needs_no_active_venv(new_project: Path, tmp_path: Path) -> None:
    """The new project's .pre-commit-config.yaml, run for real by pre-commit, no venv active."""
    project = tmp_path / "repo"
    shutil.copytree(new_project, project, symlinks=True, ignore=shutil.ignore_patterns("site", ".cache"))
    env = {**_bare_env(tmp_path), "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), check=False, cwd=project, env=env, text=True, capture_output=True)

    assert run("git", "init", "-q").returncode == 0 and run("git", "add", "-A").returncode == 0
    ok = run(sys.executable, "-m", "pre_commit", "run", "--all-files")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "site-gen check" in ok.stdout and "Passed" in ok.stdout
    events = project / "content" / "events.yaml"
    events.write_text(events.read_text("utf-8").replace("events: []", "events: [{id: x}]", 1), "utf-8")
    run("git", "add", "-A")
    bad = run(sys.executable, "-m", "pre_commit", "run", "--all-files")
    assert bad.returncode == 1 and "Failed" in bad.stdout
    assert re.search(r"content/events\.yaml:\d+:\d+: ", bad.stdout), bad.stdout


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
    config = yaml.safe_load((tmp_path / "b" / "mkdocs.yml").read_text("utf-8").replace("!ENV", ""))
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


def test_theme_files_have_one_source() -> None:
    """overrides/, the stylesheet and the mkdocs.yml skeleton exist once, in site_gen/theme/: the
    repository uses them there (links, INHERIT), init copies them into a new project."""
    theme = REPO / "site_gen" / "theme"
    assert (REPO / "overrides").is_symlink() and (REPO / "overrides").resolve() == theme / "overrides"
    css = REPO / "docs" / "assets" / "briefing.css"
    assert css.is_symlink() and css.resolve() == theme / "assets" / "briefing.css"
    assert re.search(r"^INHERIT: site_gen/theme/mkdocs.yml$", (REPO / "mkdocs.yml").read_text("utf-8"), re.MULTILINE)
    shipped = {p.relative_to(REPO / "site_gen" / "templates" / "project").as_posix()
               for p in (REPO / "site_gen" / "templates" / "project").rglob("*") if p.is_file()}
    assert not {p for p in shipped if p.startswith(("overrides/", "docs/")) or p == "mkdocs.yml"}, shipped
    for path in (theme / "overrides").rglob("*"):
        assert not (REPO / "site_gen" / "templates").joinpath(path.name).exists()


def test_init_writes_the_shared_theme_files(tmp_path: Path) -> None:
    target = tmp_path / "p"
    init_project(target, title="P", language="en")
    theme = REPO / "site_gen" / "theme"
    for path in sorted((theme / "overrides").rglob("*.html")):
        assert (target / path.relative_to(theme)).read_bytes() == path.read_bytes()
    assert (target / "docs" / "assets" / "briefing.css").read_bytes() == (theme / "assets" / "briefing.css").read_bytes()
    config = yaml.load((target / "mkdocs.yml").read_text("utf-8").replace("!ENV", ""), Loader=yaml.SafeLoader)
    repo = yaml.load(standalone_config(REPO / "mkdocs.yml").replace("!ENV", ""), Loader=yaml.SafeLoader)
    for key in set(config) | set(repo):
        if key not in ("site_name", "site_description", "site_url", "theme"):
            assert config.get(key) == repo.get(key), key
    assert config["theme"] == {**repo["theme"], "language": "en"}


def test_init_writes_the_skeletons_words_in_the_briefings_language(tmp_path: Path) -> None:
    from site_gen.i18n import Labels
    from site_gen.render.pages import PAGES

    init_project(tmp_path / "p", title="P", language="de")
    config = yaml.safe_load((tmp_path / "p" / "mkdocs.yml").read_text("utf-8").replace("!ENV", ""))
    german = Labels("de")
    assert config["theme"]["language"] == "de"
    assert [next(iter(item)) for item in config["nav"]] == [german.gettext(title) for title in PAGES.values()]
    assert german.gettext("Timeline") != "Timeline"
    names = [scheme["toggle"]["name"] for scheme in config["theme"]["palette"]]
    assert names == [german.gettext("Switch to dark mode"), german.gettext("Switch to light mode")]


def test_template_renames(tmp_path: Path) -> None:
    written = init_project(tmp_path / "p", title="P")
    paths = {p.relative_to(tmp_path / "p").as_posix() for p in written}
    assert set(RENAMED.values()) <= paths and not set(RENAMED) & paths


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
    (project / "mkdocs.yml").write_text(standalone_config(REPO / "mkdocs.yml"), "utf-8")
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


def test_this_repository_is_a_pre_commit_hook_for_other_repositories(tmp_path: Path) -> None:
    """.pre-commit-hooks.yaml (language: python), tried by pre-commit from another repository:
    pre-commit installs site-gen from this checkout into an environment of its own."""
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hook["language"] == "python" and hook["entry"] == "site-gen check"
    project = tmp_path / "other"
    init_project(project, title="Other")
    env = {**_bare_env(tmp_path), "PRE_COMMIT_HOME": str(tmp_path / "cache"),
           # the pinned versions (pip's cache has them); pre-commit's pip resolves nothing newer
           "PIP_CONSTRAINT": str(REPO / "requirements.txt"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), check=False, cwd=project, env=env, text=True, capture_output=True,
                              timeout=900)

    assert run("git", "init", "-q").returncode == 0 and run("git", "add", "-A").returncode == 0
    ok = run(sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "site-gen-check", "--all-files")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Passed" in ok.stdout
    quotes = project / "content" / "quotes.yaml"
    quotes.write_text(quotes.read_text("utf-8").replace("quotes: []", "quotes: [{id: q}]", 1), "utf-8")
    run("git", "add", "-A")
    bad = run(sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "site-gen-check", "--all-files")
    assert bad.returncode == 1 and "Failed" in bad.stdout
    assert re.search(r"content/quotes\.yaml:\d+:\d+: ", bad.stdout), bad.stdout
