"""axe-core (pinned in package-lock.json, injected from node_modules) on every page, light and dark."""

from __future__ import annotations

import pytest

from . import harness
from .harness import PAGES, PHONE

BLOCKING = {"serious", "critical"}


def _axe(page, axe_script) -> list[dict]:
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate("""async () => await axe.run(document, {
        resultTypes: ["violations"],
        runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    })""")
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def _describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:5]]}\n"
        f"    {v['nodes'][0]['failureSummary']}"
        for v in violations
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_violations_on_any_page(new_page, axe_script, scheme: str) -> None:
    page = new_page(scheme=scheme)
    problems = {}
    for path in PAGES:
        page.goto(path)
        assert page.evaluate("() => document.body.dataset.mdColorScheme") == (
            "slate" if scheme == "dark" else "default")
        violations = _axe(page, axe_script)
        if violations:
            problems[path or "/"] = _describe(violations)
    assert not problems, "\n".join(f"[{scheme}] {path}:\n{text}" for path, text in problems.items())


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_violations_with_search_results_open(new_page, axe_script, scheme: str) -> None:
    """The search dialog (named, results listed) is checked too, not only the closed page."""
    page = new_page(scheme=scheme)
    page.goto("")
    harness.type_search(page, "Hochul")
    assert page.locator(".md-search[role=dialog]").get_attribute("aria-label") == "Search"
    violations = _axe(page, axe_script)
    assert not violations, _describe(violations)


def test_no_serious_violations_on_a_phone(new_page, axe_script) -> None:
    page = new_page(viewport=PHONE)
    for path in ("", "timeline/", "funding/", "quotes/"):
        page.goto(path)
        violations = _axe(page, axe_script)
        assert not violations, f"{path or '/'}:\n{_describe(violations)}"
