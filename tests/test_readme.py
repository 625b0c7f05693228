"""The README is true: every command and URL in it is run here, or by the test named for it.

A command added to the README without a test that runs it fails ``test_every_command_is_tested``;
the commands that are cheap to run are run here, as a reader would type them.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import REPO, make_project
from .test_live_preview import PreviewServer, _free_port

README = (REPO / "README.md").read_text("utf-8")

# Where each README command is run for real. Keys are command prefixes as the README writes them.
COVERED = {
    "make site": "tests/test_init.py::test_make_site_builds_the_empty_briefing",
    "make test": ".ci/run (CI runs exactly `make site` then `make test`)",
    "make serve": "tests/test_readme.py::test_worked_example_urls_and_error_line",
    "make check": "tests/test_readme.py::test_make_check_and_help",
    "make help": "tests/test_readme.py::test_make_check_and_help",
    "make schema": "tests/test_schema.py::test_schema_command_writes_and_checks",
    "make bench": "tests/test_bench_smoke.py::test_bench_prints_the_table_and_builds_a_complete_site",
    "make site-zensical": "tests/test_zensical.py::test_zensical_builds_the_same_pages_as_mkdocs",
    "make golden": "tests/test_golden.py::test_golden_files_match",
    "make": "tests/test_readme.py::test_make_check_and_help",
    "SITE_URL=": "tests/test_readme.py::test_site_url_from_the_environment",
    "site-gen build": "tests/test_build.py::test_site_gen_build_twice_rewrites_nothing",
    "site-gen serve": "tests/test_live_preview.py::test_yaml_edits_show_in_the_open_page_and_a_broken_edit_keeps_the_last_good_preview",
    "site-gen check": "tests/test_build.py::test_invalid_content_leaves_docs_and_site_untouched",
    "site-gen schema": "tests/test_schema.py::test_schema_command_writes_and_checks",
    "site-gen init": "tests/test_init.py::test_init_creates_the_project_files",
    "site-gen": "tests/test_build.py::test_cli_help_for_every_command",
    "mkdocs build": "tests/test_build.py::test_yaml_edit_shows_up_in_plain_mkdocs_build",
    "mkdocs serve": "tests/test_live_preview.py::test_yaml_edits_show_in_the_open_page_and_a_broken_edit_keeps_the_last_good_preview",
    ". .venv/bin/activate && mkdocs gh-deploy": "tests/test_readme.py::test_gh_deploy_pushes_the_site",
    ". .venv/bin/activate": "tests/test_readme.py::test_activate_silences_the_banner",
    "pip install pre-commit && pre-commit install": "tests/test_init.py::test_pre_commit_hook_runs_site_gen_check",
}
COMMAND = re.compile(r"^(?:make|site-gen|mkdocs(?!\.yml)|SITE_URL=|\. \.venv/bin/activate|pip )")


def _readme_commands() -> list[str]:
    inline = re.findall(r"`([^`\n]+)`", README)
    blocks = [line.split("#")[0].strip() for block in re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
              for line in block.splitlines()]
    return sorted({c.strip() for c in inline + blocks if COMMAND.match(c.strip())})


def _covering(command: str) -> str | None:
    matches = [prefix for prefix in COVERED if command == prefix or command.startswith(prefix + " ")
               or (prefix.endswith("=") and command.startswith(prefix))]
    return COVERED[max(matches, key=len)] if matches else None


def test_every_command_is_tested() -> None:
    commands = _readme_commands()
    assert len(commands) >= 15, commands
    untested = [command for command in commands if _covering(command) is None]
    assert untested == [], f"README commands with no test that runs them: {untested}"
    for where in {_covering(command) for command in commands}:
        assert where is not None
        if "::" not in where:
            assert (REPO / where.split()[0]).is_file(), where
            continue
        path, name = where.split("::")
        assert re.search(rf"^def {name}\(", (REPO / path).read_text("utf-8"), re.MULTILINE), where


def test_every_make_target_in_the_readme_exists_and_make_help_lists_them_all() -> None:
    result = subprocess.run(["make", "--no-print-directory", "help"], cwd=REPO, capture_output=True,
                            text=True, check=True)
    listed = set(re.findall(r"^  ([a-z][\w-]*)\s", result.stdout, re.MULTILINE))
    defined = set(re.findall(r"^([a-z][\w-]*):(?!=)", (REPO / "Makefile").read_text("utf-8"), re.MULTILINE))
    assert defined - listed == set(), f"targets missing from `make help`: {defined - listed}"
    mentioned = {m.split()[1] for m in _readme_commands() if m.startswith("make ")}
    assert mentioned - defined == set(), f"README names targets that do not exist: {mentioned - defined}"


def _make_env() -> dict[str, str]:
    # Run make with this test run's virtualenv, so nothing is installed again.
    return {**os.environ, "PYTHONPATH": str(REPO)}


def _project_copy(tmp_path: Path) -> Path:
    project = make_project(tmp_path / "project", REPO / "content")
    for name in ("Makefile", "requirements.txt", "requirements-dev.txt", "pyproject.toml"):
        shutil.copy2(REPO / name, project / name)
    shutil.copytree(REPO / "scripts", project / "scripts")
    return project


def _make(project: Path, *args: str) -> list[str]:
    """``make ARGS`` in a project copy, with this test run's virtualenv taken as up to date.

    (``-o``: never remake the install stamps, so the copy cannot reinstall into, or re-point the
    editable install of, the virtualenv that runs the tests.)
    """
    venv = Path(sys.executable).parent.parent
    keep = [f"--old-file={venv / stamp}" for stamp in (".venv-ok", ".installed", ".installed-dev")]
    return ["make", "--no-print-directory", "-C", str(project), f"VENV={venv}", *keep, *args]


def test_make_check_and_help(tmp_path: Path) -> None:
    project = _project_copy(tmp_path)
    result = subprocess.run(_make(project, "check"), capture_output=True, text=True, env=_make_env(),
                            check=False, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (project / "site").exists(), "make check must not build"
    bare = subprocess.run(["make", "-n", "-C", str(REPO)], capture_output=True, text=True, check=True)
    assert "site-gen build" in bare.stdout, "plain `make` is `make site`"


def test_worked_example_urls_and_error_line(tmp_path: Path) -> None:
    project = _project_copy(tmp_path)
    port = _free_port()
    urls = sorted(set(re.findall(r"http://127\.0\.0\.1:8000(/[^\s>)]*)", README)))
    assert "/trump-mamdani/quotes/" in urls, urls
    server = PreviewServer(_make(project, "serve", f"PORT={port}"), project)
    try:
        served = server.wait_for(r"Serving on (http://\S+)", timeout=120).group(1)
        assert served == f"http://127.0.0.1:{port}/trump-mamdani/", served
        for path in urls:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
                assert response.status == 200, path
        _add_the_readme_quote_and_break_it(project, server, port)
    except AssertionError as failure:
        raise AssertionError(f"{failure}\n--- make serve printed:\n{server.output}") from None
    finally:
        server.stop()
    assert "Traceback" not in server.output, server.output


def _readme_snippet() -> str:
    return re.search(r"```yaml\n(.*?)```", README, re.DOTALL).group(1)  # type: ignore[union-attr]


def _add_the_readme_quote_and_break_it(project: Path, server: PreviewServer, port: int) -> None:
    quotes = project / "content" / "quotes.yaml"
    snippet = "\n".join(line[3:] for line in _readme_snippet().splitlines())  # the list is indented
    text = re.search(r'text: "(.*)"', snippet).group(1)  # type: ignore[union-attr]
    mark = server.mark()
    quotes.write_text(quotes.read_text("utf-8") + snippet + "\n", "utf-8")
    server.wait_for(r"Reloading browsers|Building documentation", after=mark)
    _wait_for_page(f"http://127.0.0.1:{port}/trump-mamdani/quotes/", f"quote-{_snippet_id(snippet)}", text)

    expected = re.search(r" {3}```\n {3}(content/quotes\.yaml:\d+:\d+: .*)\n {3}(.*)\n {3}```", README)
    assert expected, "the README shows the error line of the worked example"
    mark = server.mark()
    quotes.write_text(quotes.read_text("utf-8").replace(snippet, snippet.replace("speaker: trump", "speaker: trumpp")),
                      "utf-8")
    server.wait_for(re.escape(expected.group(1)), after=mark)
    server.wait_for(re.escape(expected.group(2)), after=mark)


def _snippet_id(snippet: str) -> str:
    return re.search(r"- id: (\S+)", snippet).group(1)  # type: ignore[union-attr]


def _wait_for_page(url: str, *needles: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    body = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                body = html.unescape(response.read().decode("utf-8"))
        except urllib.error.URLError:
            body = ""
        if all(needle in body for needle in needles):
            return
        time.sleep(0.2)
    raise AssertionError(f"{url} never showed {needles}")


def test_site_url_from_the_environment(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", REPO / "content")
    address = re.search(r"`SITE_URL=(\S+) make site`", README).group(1)  # type: ignore[union-attr]
    result = subprocess.run([sys.executable, "-m", "site_gen", "build"], cwd=project, capture_output=True,
                            text=True, env={**_make_env(), "SITE_URL": address}, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    index = (project / "site" / "index.html").read_text("utf-8")
    assert f'<link rel="canonical" href="{address}"' in index
    assert address in (project / "site" / "feed.xml").read_text("utf-8")
    assert "briefing.example.org" not in (project / "site" / "sitemap.xml").read_text("utf-8")


def test_gh_deploy_pushes_the_site(tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    project = make_project(tmp_path / "project", REPO / "content")
    env = {**_make_env(), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), cwd=project, env=env, capture_output=True, text=True, check=False)

    for args in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"], ["git", "commit", "-qm", "x"],
                 ["git", "remote", "add", "origin", str(remote)]):
        assert run(*args).returncode == 0, args
    command = re.search(r"`\. \.venv/bin/activate && (mkdocs gh-deploy[^`]*)`", README).group(1)  # type: ignore[union-attr]
    result = run(sys.executable, "-m", *command.split())
    assert result.returncode == 0, result.stdout + result.stderr
    listing = subprocess.run(["git", "--git-dir", str(remote), "ls-tree", "-r", "--name-only", "gh-pages"],
                             capture_output=True, text=True, check=True).stdout.split()
    assert {"index.html", "quotes/index.html", "feed.xml", "data/briefing.json"} <= set(listing)


def test_activate_silences_the_banner() -> None:
    activate = Path(sys.executable).parent / "activate"
    assert "export NO_MKDOCS_2_WARNING=1" in activate.read_text("utf-8"), (
        "scripts/provision adds the line to .venv/bin/activate")


@pytest.mark.parametrize("name", ["LICENSE"])
def test_licence_is_there(name: str) -> None:
    assert (REPO / name).is_file()
    assert "MIT" in (REPO / "pyproject.toml").read_text("utf-8")
