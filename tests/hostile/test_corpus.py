"""The hostile-input corpus: every case under ``cases/`` with its exact expected outcome.

An error case must give exactly the expected ``file:line:col: field: …`` lines, within a second
and in bounded memory, through the CLI without a traceback, and a failed ``site-gen build``
must leave ``docs/`` and ``site/`` exactly as they were. A literal case must build with MkDocs
in strict mode and show every given text to the reader exactly as written, with no script,
event handler or unsafe link added to any page.
"""

from __future__ import annotations

import os
import shutil
import time
import tracemalloc
from pathlib import Path

import pytest

from site_gen import cli
from site_gen.build import build
from site_gen.errors import ContentError
from site_gen.generate import Project
from site_gen.validate import load_briefing

from ..htmltext import parse
from .support import (
    BASE,
    Case,
    all_cases,
    anchor_problems,
    load_case,
    make_project,
    page_facts,
    project_for,
    reader_text,
    site_pages,
    tree_state,
)

CASE_FILES = all_cases()
ERROR_CASES = [p for p in CASE_FILES if "errors" in load_case(p).expect]
LITERAL_CASES = [p for p in CASE_FILES if "literal" in load_case(p).expect]

TIME_LIMIT = 1.0  # seconds, for loading and validating a hostile briefing
MEMORY_LIMIT = 64 * 1024 * 1024  # bytes of Python allocations while doing so


def test_the_corpus_is_large_and_every_case_is_understood() -> None:
    assert len(CASE_FILES) >= 40
    assert sorted(ERROR_CASES + LITERAL_CASES) == CASE_FILES
    for path in CASE_FILES:
        case = load_case(path)
        assert case.description.strip(), path.name
        if "errors" in case.expect:
            assert case.expect["errors"], f"{path.name}: an error case lists its exact errors"


def _errors(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_briefing(root / "content", display_root=root)
    return [str(d) for d in caught.value.diagnostics]


@pytest.mark.parametrize("path", ERROR_CASES, ids=lambda p: p.stem)
def test_error_case(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = load_case(path)
    root = project_for(case, tmp_path / "project")
    expected = case.expect["errors"]

    started = time.perf_counter()
    errors = _errors(root)
    elapsed = time.perf_counter() - started
    assert errors == expected
    assert elapsed < TIME_LIMIT, f"took {elapsed:.2f} s"

    tracemalloc.start()
    try:
        _errors(root)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_LIMIT, f"peak {peak / 1e6:.0f} MB"

    # The command line reports the same lines, then a summary; never a traceback.
    capsys.readouterr()
    assert cli.main(["--project", str(root), "check"]) == 1
    out, err = capsys.readouterr()
    count = len(expected)
    assert err.splitlines() == [*expected, f"{count} error{'s' if count != 1 else ''} found; nothing was written."]
    assert out == ""

    # A failed build changes nothing in docs/ or site/ and leaves no staging folder behind.
    (root / "docs" / "hand-written.md").write_text("# Mine\n", "utf-8")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("<p>the previous site</p>\n", "utf-8")
    before = {"docs": tree_state(root / "docs"), "site": tree_state(root / "site")}
    assert cli.main(["--project", str(root), "build"]) == 1
    assert {"docs": tree_state(root / "docs"), "site": tree_state(root / "site")} == before
    # Besides them, only the build lock in site-gen's cache folder (site_gen/lock.py).
    assert sorted(p.name for p in root.iterdir()) == [".cache", "content", "docs", "mkdocs.yml", "overrides", "site"]
    assert sorted(str(p.relative_to(root)) for p in (root / ".cache").rglob("*")) == [
        ".cache/site-gen", ".cache/site-gen/build.lock"]


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The base briefing's built pages: what scripts and handlers the theme itself puts there."""
    root = make_project(tmp_path_factory.mktemp("baseline") / "project", BASE)
    build(Project(root))
    return {path: page_facts(html) for path, html in site_pages(root / "site").items()}


@pytest.mark.parametrize("path", LITERAL_CASES, ids=lambda p: p.stem)
def test_literal_case(path: Path, tmp_path: Path, baseline: dict[str, object]) -> None:
    case: Case = load_case(path)
    root = project_for(case, tmp_path / "project")
    build(Project(root), strict=True)
    site = root / "site"

    text = reader_text((site / "full-briefing" / "index.html").read_text("utf-8"))
    for literal in case.expect["literal"]:
        assert literal in text
    hrefs = parse((site / "full-briefing" / "index.html").read_text("utf-8")).hrefs
    for link in case.expect.get("links", []):
        assert link in hrefs

    pages = site_pages(site)
    assert sorted(pages) == sorted(baseline)
    for page, html in pages.items():
        facts, expected = page_facts(html), baseline[page]
        assert facts.scripts == expected.scripts, f"{page}: a script was added or changed"  # type: ignore[attr-defined]
        assert facts.handlers == expected.handlers, page  # type: ignore[attr-defined]
        assert facts.bad_urls == [], page
        assert anchor_problems(html) == [], page  # anchors exist, are unique and non-empty in any script
    home = page_facts(pages["index.html"])
    if "title" in case.expect:
        full = page_facts(pages["full-briefing/index.html"])
        assert full.title.startswith(f"Full briefing: {case.expect['title']} - "), full.title
    if "description" in case.expect:
        assert home.description == case.expect["description"]


def test_nothing_from_the_corpus_ran(tmp_path: Path) -> None:
    """The Python-tag case names a command; nothing may ever have run it."""
    assert not Path("/tmp/site-gen-pwned").exists()
    shutil.rmtree(tmp_path, ignore_errors=True)


# --------------------------------------------------------------------------- what a file cannot say


def _special(root: Path, kind: str) -> None:
    target = root / "content" / "topics.yaml"
    target.unlink()
    if kind == "directory":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)  # reading it would block forever
    elif kind == "device":
        target.symlink_to("/dev/zero")  # reading it would never end
    elif kind == "link loop":
        target.symlink_to(target)


@pytest.mark.parametrize(("kind", "message"), [
    ("directory", "content/topics.yaml:1:1: not a regular file (content files are plain YAML text files)"),
    ("fifo", "content/topics.yaml:1:1: not a regular file (content files are plain YAML text files)"),
    ("device", "content/topics.yaml:1:1: not a regular file (content files are plain YAML text files)"),
    ("link loop", "content/topics.yaml:1:1: cannot read file: Too many levels of symbolic links"),
])
def test_a_content_file_that_is_not_a_file(tmp_path: Path, kind: str, message: str) -> None:
    root = make_project(tmp_path / "project", BASE)
    _special(root, kind)
    started = time.perf_counter()
    assert _errors(root) == [message]
    assert time.perf_counter() - started < TIME_LIMIT


def test_hostile_file_names_cannot_forge_or_reorder_error_lines(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", BASE)
    (root / "content" / "x\ncontent:events.yaml:1:1: forged.yaml").write_text("x: 1\n", "utf-8")
    (root / "content" / "x\u202elmay.yaml").write_text("x: 1\n", "utf-8")
    expected_files = "briefing.yaml, events.yaml, faq.yaml, funding.yaml, people.yaml, quotes.yaml, " \
                     "sources.yaml, topics.yaml, updates.yaml"
    assert _errors(root) == [
        "content/x\\ncontent:events.yaml:1:1: forged.yaml:1:1: unexpected content file "
        f"'x\\ncontent:events.yaml:1:1: forged.yaml' (expected one of: {expected_files})",
        f"content/x\\u202elmay.yaml:1:1: unexpected content file 'x\\u202elmay.yaml' (expected one of: "
        f"{expected_files})",
    ]
