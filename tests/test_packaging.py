"""The package declares what it imports: `pip install site-gen` alone must give a working tool."""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parent.parent
# import name -> distribution name, where they differ
DISTRIBUTION = {"yaml": "pyyaml", "pymdownx": "pymdown-extensions", "pydantic_core": "pydantic",
                "markdown_it": "markdown-it-py"}


def _third_party_imports() -> set[str]:
    names: set[str] = set()
    for path in (REPO / "site_gen").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {name for name in names if name not in sys.stdlib_module_names and name != "site_gen"}


def test_every_imported_package_is_a_declared_dependency() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    declared = {Requirement(spec).name.lower() for spec in project["dependencies"]}
    imported = {DISTRIBUTION.get(name, name).lower() for name in _third_party_imports()}
    assert imported, "no imports found: the test is not looking at the package"
    assert imported - declared == set(), f"imported by site_gen/ but not in pyproject.toml: {imported - declared}"


def test_every_declared_dependency_is_pinned_in_requirements() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    pinned: dict[str, list[str]] = {}
    for line in (REPO / "requirements.txt").read_text("utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            pin = Requirement(line.split("#")[0])
            pinned.setdefault(pin.name.lower(), []).extend(s.version for s in pin.specifier)
    for spec in project["dependencies"]:
        requirement = Requirement(spec)
        assert requirement.name.lower() in pinned, f"{requirement.name} is not pinned in requirements.txt"
        for version in pinned[requirement.name.lower()]:  # one per Python version where markers split it
            assert requirement.specifier.contains(version), (spec, version)
