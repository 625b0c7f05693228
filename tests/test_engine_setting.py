"""The engine is a project setting: ``engine`` of the ``briefing`` plugin in mkdocs.yml.

``site-gen build``, ``serve`` and ``check`` read it (``--engine`` overrides it for one run), a bad
value is one precise error, and plain ``mkdocs build`` accepts the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_gen.engine import EngineSettingError, configured_engine

from .conftest import REPO, make_project, mkdocs_build, run_site_gen


def _with_engine(project: Path, value: str) -> None:
    config = project / "mkdocs.yml"
    text, found = re.subn(r"^  - briefing$", f"  - briefing:\n      engine: {value}",
                          config.read_text("utf-8"), flags=re.MULTILINE)
    assert found == 1
    config.write_text(text, "utf-8")


def _generator(site: Path) -> str:
    match = re.search(r'<meta name="generator" content="([^"]*)"', (site / "index.html").read_text("utf-8"))
    assert match, "no generator meta on the home page"
    return match.group(1)


@pytest.mark.parametrize(("options", "expected"), [
    ("", "mkdocs"),
    ("  - briefing:\n      engine: zensical\n", "zensical"),
    ("  - briefing:\n      engine: mkdocs\n", "mkdocs"),
    ("  - briefing: {engine: zensical, prebuilt_search: false}\n", "zensical"),
    ("  - briefing\n", "mkdocs"),
])
def test_the_setting_is_read_from_the_plugin_options(tmp_path: Path, options: str, expected: str) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: x\nsite_url: !ENV [SITE_URL, 'https://x.example/']\nplugins:\n  - search\n{options}",
                      "utf-8")
    assert configured_engine(config) == expected


def test_the_setting_is_inherited(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text("site_name: x\nplugins:\n  - briefing:\n      engine: zensical\n", "utf-8")
    (tmp_path / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_url: https://x.example/\n", "utf-8")
    assert configured_engine(tmp_path / "mkdocs.yml") == "zensical"


@pytest.mark.parametrize(("value", "message"), [
    ("zensicl", "expected one of 'mkdocs', 'zensical', received 'zensicl' (did you mean 'zensical'?)"),
    ("Zensical", "expected one of 'mkdocs', 'zensical', received 'Zensical' (did you mean 'zensical'?)"),
    ("1", "expected one of 'mkdocs', 'zensical', received 1 ("),
    ("[mkdocs]", "expected one of 'mkdocs', 'zensical', received a sequence ("),
    ("'hugo'", "expected one of 'mkdocs', 'zensical', received 'hugo' (the engine that builds site/"),
])
def test_a_bad_value_says_where_and_what(tmp_path: Path, value: str, message: str) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: x\nplugins:\n  - search\n  - briefing:\n      engine: {value}\n", "utf-8")
    with pytest.raises(EngineSettingError) as caught:
        configured_engine(config)
    assert str(caught.value).startswith(f"mkdocs.yml:5:15: plugins.briefing.engine: {message}"), str(caught.value)


def test_check_and_build_report_a_bad_value_in_one_line_with_every_content_error(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", REPO / "content")
    _with_engine(project, "zensicl")
    for command in (["check"], ["build"], ["serve", "--dev-addr", "127.0.0.1:1"]):
        result = run_site_gen(*command, cwd=project)
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert "mkdocs.yml:" in result.stderr and "plugins.briefing.engine:" in result.stderr, result.stderr
        assert "did you mean 'zensical'?" in result.stderr and "Traceback" not in result.stderr
    assert not (project / "site").exists() and not (project / "docs" / "index.md").exists()
    # A content error in the same run is reported with it, not after the setting is fixed.
    quotes = project / "content" / "quotes.yaml"
    quotes.write_text(quotes.read_text("utf-8").replace("speaker: trump\n", "speaker: trumpp\n", 1), "utf-8")
    result = run_site_gen("check", cwd=project)
    assert result.returncode == 1
    assert "plugins.briefing.engine:" in result.stderr and "unknown person 'trumpp'" in result.stderr, result.stderr


def test_build_uses_the_configured_engine_and_the_flag_overrides_it(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", REPO / "content")
    _with_engine(project, "zensical")
    run_site_gen("build", cwd=project, check=True)
    assert _generator(project / "site").startswith("zensical-"), _generator(project / "site")
    run_site_gen("build", "--engine", "mkdocs", cwd=project, check=True)
    assert _generator(project / "site").startswith("mkdocs-"), _generator(project / "site")
    assert run_site_gen("check", cwd=project, check=True).returncode == 0


def test_plain_mkdocs_accepts_the_setting(tmp_path: Path) -> None:
    """The plugin declares the option, so `mkdocs build --strict` takes the file (and builds with MkDocs)."""
    project = make_project(tmp_path / "project", REPO / "content")
    _with_engine(project, "zensical")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    assert _generator(project / "site").startswith("mkdocs-")
    _with_engine_value = (project / "mkdocs.yml").read_text("utf-8").replace("engine: zensical", "engine: hugo")
    (project / "mkdocs.yml").write_text(_with_engine_value, "utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0 and "engine" in result.stderr, result.stderr


def test_the_make_targets_and_the_publish_workflow_go_through_the_setting() -> None:
    """`make site` and the workflow run `site-gen build` with no --engine: the setting decides."""
    makefile = (REPO / "Makefile").read_text("utf-8")
    assert re.search(r"^site: \$\(SITE_DEPS\).*\n\t\$\(SITE_GEN\) build$", makefile, re.MULTILINE), makefile
    workflow = (REPO / ".github" / "workflows" / "publish.yml").read_text("utf-8")
    assert "make site" in workflow and "--engine" not in workflow
