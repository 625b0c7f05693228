"""Golden files: the Markdown generated for the mini briefing, page by page.

Regenerate after an intended change with ``make golden`` (UPDATE_GOLDEN=1 pytest tests/test_golden.py)
and review the diff like any other code change.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from site_gen.render import render_pages
from site_gen.validate import load_briefing

from .conftest import FIXTURES

GOLDEN = FIXTURES / "mini" / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return render_pages(load_briefing(FIXTURES / "mini" / "content"))


def test_golden_files_match(pages: dict[str, str]) -> None:
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for old in GOLDEN.rglob("*.md"):
            old.unlink()
        for path, text in pages.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(text, "utf-8")
    expected = {str(p.relative_to(GOLDEN)): p.read_text("utf-8") for p in sorted(GOLDEN.rglob("*.md"))}
    assert sorted(pages) == sorted(expected), "the set of generated pages changed"
    diffs = []
    for path in sorted(pages):
        if pages[path] != expected[path]:
            diffs.append("".join(difflib.unified_diff(expected[path].splitlines(True), pages[path].splitlines(True),
                                                      f"golden/{path}", f"generated/{path}")))
    assert not diffs, "generated Markdown differs from the golden files:\n" + "\n".join(diffs)


def test_rendering_is_deterministic() -> None:
    first = render_pages(load_briefing(FIXTURES / "mini" / "content"))
    second = render_pages(load_briefing(FIXTURES / "mini" / "content"))
    assert first == second


def test_render_does_not_depend_on_record_order(tmp_path: Path) -> None:
    """Pages list records in a defined order (date, name), not in file order."""
    import shutil

    shutil.copytree(FIXTURES / "mini" / "content", tmp_path / "content")
    events = tmp_path / "content" / "events.yaml"
    text = events.read_text("utf-8")
    head, first, second = text.split("  - id: ")
    events.write_text(head + "  - id: " + second.rstrip("\n") + "\n  - id: " + first, "utf-8")
    reordered = render_pages(load_briefing(tmp_path / "content"))
    original = render_pages(load_briefing(FIXTURES / "mini" / "content"))
    assert reordered["timeline.md"] == original["timeline.md"]
