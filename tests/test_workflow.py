"""The publish workflow: the real Pages address, least privilege per job, and a PR job that tests."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = yaml.safe_load((REPO / ".github" / "workflows" / "publish.yml").read_text("utf-8"))
JOBS = WORKFLOW["jobs"]
# The newest major version of each official action at the time of writing; older is a failure.
CURRENT = {"actions/checkout": 6, "actions/setup-python": 6, "actions/configure-pages": 6,
           "actions/upload-pages-artifact": 5, "actions/deploy-pages": 5}


def _steps(job: str) -> list[dict]:
    return JOBS[job]["steps"]


def _uses() -> list[str]:
    return [step["uses"] for job in JOBS for step in _steps(job) if "uses" in step]


def test_official_actions_are_on_their_current_major_version() -> None:
    seen = set()
    for use in _uses():
        name, version = use.split("@")
        major = int(re.fullmatch(r"v(\d+)(?:\.\d+)*", version).group(1))  # type: ignore[union-attr]
        assert major >= CURRENT[name], f"{use}: the current major version is v{CURRENT[name]}"
        seen.add(name)
    assert seen == set(CURRENT)


def test_site_url_comes_from_the_pages_configuration_before_the_build() -> None:
    steps = _steps("build")
    names = [step.get("uses", step.get("run", "")) for step in steps]
    configure = next(i for i, n in enumerate(names) if n.startswith("actions/configure-pages"))
    build = next(i for i, n in enumerate(names) if n == "make site")
    assert configure < build, "configure-pages must run before the build"
    step_id = steps[configure]["id"]
    assert steps[build]["env"]["SITE_URL"].startswith(f"${{{{ steps.{step_id}.outputs.base_url }}}}")
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    assert re.search(r"^site_url: !ENV \[SITE_URL, ", config, re.MULTILINE), "mkdocs.yml must read SITE_URL"


def test_least_privilege_per_job() -> None:
    assert WORKFLOW["permissions"] == {}, "no permissions by default"
    assert JOBS["build"]["permissions"] == {"contents": "read"}
    assert JOBS["test"]["permissions"] == {"contents": "read"}
    assert JOBS["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s for s in _steps("deploy") if "uses" in s] == [s for s in _steps("deploy")], "deploy only deploys"


def test_pull_requests_run_the_readme_commands_and_deploy_nothing() -> None:
    on = WORKFLOW[True] if True in WORKFLOW else WORKFLOW["on"]  # YAML 1.1 reads `on` as true
    assert "pull_request" in on
    test = JOBS["test"]
    assert "pull_request" in test["if"] and "pull_request" in JOBS["build"]["if"]
    runs = [step["run"] for step in test["steps"] if "run" in step]
    assert runs[-2:] == ["make site", "make test"]
    assert not any("pages" in step.get("uses", "") for step in test["steps"])
    assert JOBS["deploy"]["needs"] == "build"
