"""No pinned dependency is affected by a known advisory.

``security/advisories.toml`` lists the advisories this project knows about; this test checks
every pin in requirements*.txt against them, offline, so it runs everywhere. ``.ci/run`` also
runs pip-audit against the public vulnerability databases; where those cannot be reached from
the machine it says so loudly instead of claiming a clean result.
"""

from __future__ import annotations

import re
import tomllib

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from ..conftest import REPO

PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;#]+)", re.MULTILINE)


def _all_pins() -> list[tuple[str, Version]]:
    """Every pin, including each of a package pinned per Python version (environment markers)."""
    return [(package.lower().replace("_", "-"), Version(version))
            for name in ("requirements.txt", "requirements-dev.txt")
            for package, version in PIN.findall((REPO / name).read_text("utf-8"))]


def _pins() -> dict[str, Version]:
    return dict(_all_pins())


def test_every_dependency_is_pinned_exactly() -> None:
    pins = _pins()
    assert {"mkdocs", "mkdocs-material", "pyyaml", "markdown", "pydantic", "click"} <= set(pins)
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (REPO / name).read_text("utf-8").splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r"):
                assert PIN.match(line), f"{name}: not pinned with ==: {line}"


def test_no_pin_is_affected_by_a_known_advisory() -> None:
    advisories = tomllib.loads((REPO / "security" / "advisories.toml").read_text("utf-8"))["advisory"]
    assert advisories
    affected = [f"{a['package']}=={version}: {a['id']} ({a['summary']})"
                for a in advisories for package, version in _all_pins()
                if package == a["package"] and version in SpecifierSet(a["affected"])]
    assert not affected, "pinned versions with known advisories:\n" + "\n".join(affected)


def test_the_advisory_check_would_catch_an_affected_pin() -> None:
    assert Version("9.7.6") in SpecifierSet("<9.7.7")
    assert Version("8.2.2") in SpecifierSet(">=8.2.2,<8.4.0")
    assert Version("9.8.1") not in SpecifierSet("<9.7.7")
