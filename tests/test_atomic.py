"""Nothing is lost: atomic writes, the manifest, failed and killed runs, and idempotent rebuilds.

The trees are compared entry by entry: content hash, inode and modification time. "Unchanged"
therefore means not even rewritten with the same bytes.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_gen import write as write_module
from site_gen.write import MANIFEST, WriteError, atomic_write, read_manifest, write_pages

from .conftest import FIXTURES, REPO, make_project, mkdocs_build, run_site_gen
from .hostile.support import contents, reader_text, tree_state

MINI = FIXTURES / "mini" / "content"


def _state(root: Path) -> dict[str, dict[str, tuple[str, int, int]]]:
    return {"docs": tree_state(root / "docs"), "site": tree_state(root / "site")}


def _leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site."))


def _temporaries(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*.tmp"))


# --------------------------------------------------------------------------- atomic_write


def test_atomic_write_replaces_in_one_step_and_cleans_up_on_failure(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "page.md"
    target.write_bytes(b"old")
    target.chmod(0o640)
    inode = target.stat().st_ino
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_ino != inode  # a new file renamed into place, never rewritten in place
    assert target.stat().st_mode & 0o777 == 0o640  # and it keeps the mode of the file it replaced

    def broken_replace(source: object, destination: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write_module.os, "replace", broken_replace)
    with pytest.raises(OSError):
        atomic_write(target, b"newer")
    assert target.read_bytes() == b"new"
    assert _temporaries(tmp_path) == []


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_generated_pages_are_readable_like_any_file(tmp_path: Path) -> None:
    """mkstemp alone makes files private (0600); generated pages get the usual permissions."""
    write_pages({"index.md": "# Home\n"}, tmp_path)
    assert (tmp_path / "index.md").stat().st_mode & 0o777 == 0o666 & ~_umask()


# --------------------------------------------------------------------------- the manifest


def test_hand_written_files_are_never_touched(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_pages({"index.md": "# One\n", "sub/page.md": "# Sub\n"}, docs)
    (docs / "notes.md").write_text("# My notes\n", "utf-8")
    (docs / "sub" / "mine.md").write_text("# Mine\n", "utf-8")
    hand = {p: s for p, s in tree_state(docs).items() if p in ("notes.md", "sub/mine.md")}

    report = write_pages({"index.md": "# Two\n"}, docs)  # sub/page.md is no longer generated
    assert report.written == ["index.md"] and report.removed == ["sub/page.md"]
    after = tree_state(docs)
    assert {p: after[p] for p in hand} == hand
    assert (docs / "sub").is_dir()  # still holds a hand-written file


def test_a_file_not_in_the_manifest_is_never_overwritten(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "faq.md").write_text("# Written by hand\n", "utf-8")
    before = tree_state(docs)
    with pytest.raises(WriteError, match="not written by site-gen"):
        write_pages({"index.md": "# Home\n", "faq.md": "# FAQ\n"}, docs)
    assert tree_state(docs) == before  # not even index.md: the check comes before any write


def test_a_lost_manifest_makes_every_page_a_conflict(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_pages({"index.md": "# Home\n"}, docs)
    (docs / MANIFEST).unlink()
    with pytest.raises(WriteError):
        write_pages({"index.md": "# Home again\n"}, docs)
    assert (docs / "index.md").read_text("utf-8") == "# Home\n"


def test_a_manifest_cannot_make_site_gen_delete_outside_its_folder(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", "utf-8")
    (docs / MANIFEST).write_text(json.dumps({"files": {"../victim.txt": "x", "/etc/hostname": "y",
                                                       "CON.md": "z"}}), "utf-8")
    write_pages({"index.md": "# Home\n"}, docs)
    assert victim.read_text("utf-8") == "keep me"
    assert read_manifest(docs) == {"index.md": write_module._digest(b"# Home\n")}


def test_a_symlinked_folder_cannot_lead_writes_outside(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (docs / "data").symlink_to(outside, target_is_directory=True)
    with pytest.raises(WriteError, match="leads outside"):
        write_pages({"index.md": "# Home\n", "data/briefing.json": "{}"}, docs)
    assert list(outside.iterdir()) == [] and not (docs / "index.md").exists()


@pytest.mark.parametrize("path", ["../x.md", "/etc/passwd", "a/../../x.md", "CON.md", "nul", "a./b.md",
                                  "trailing .md ", "back\\slash.md", "e\u0301.md"])
def test_unsafe_page_paths_are_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(WriteError, match="unsafe page path"):
        write_pages({path: "x"}, tmp_path / "docs")
    assert not (tmp_path / "docs").exists() or list((tmp_path / "docs").iterdir()) == []


def test_a_run_interrupted_while_writing_loses_nothing_and_blocks_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "docs"
    write_pages({"index.md": "# One\n"}, docs)
    before = contents(tree_state(docs))
    real_stage = write_module._stage
    calls = []

    def stage_then_die(path: Path, data: bytes) -> Path:
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process is stopped half-way through staging
        return real_stage(path, data)

    monkeypatch.setattr(write_module, "_stage", stage_then_die)
    with pytest.raises(KeyboardInterrupt):
        write_pages({"index.md": "# Two\n", "new.md": "# New\n"}, docs)
    monkeypatch.undo()
    # No page changed and no temporary file is left; the manifest already claims new.md, so the
    # next run does not mistake a generated file for a hand-written one.
    after = contents(tree_state(docs))
    assert {p: d for p, d in after.items() if p != MANIFEST} == {p: d for p, d in before.items() if p != MANIFEST}
    assert _temporaries(docs) == []
    assert "new.md" in read_manifest(docs)
    report = write_pages({"index.md": "# Two\n", "new.md": "# New\n"}, docs)
    assert sorted(report.written) == ["index.md", "new.md"]
    assert read_manifest(docs).keys() == {"index.md", "new.md"}


def test_temporary_files_of_a_killed_run_are_removed_and_no_others(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_pages({"index.md": "# One\n"}, docs)
    (docs / ".index.md.k1ll3d_x.tmp").write_text("half a page", "utf-8")
    (docs / ".mine.md.abcdefgh.tmp").write_text("not ours", "utf-8")
    write_pages({"index.md": "# One\n"}, docs)
    assert sorted(p.name for p in docs.iterdir()) == sorted([MANIFEST, ".mine.md.abcdefgh.tmp", "index.md"])


# --------------------------------------------------------------------------- whole runs


def test_two_runs_in_a_row_are_identical_and_the_second_rewrites_nothing(mini_project: Path) -> None:
    run_site_gen("build", cwd=mini_project, check=True)
    first = _state(mini_project)
    second_run = run_site_gen("build", cwd=mini_project, check=True)
    assert _state(mini_project) == first  # same bytes, same inodes, same modification times
    assert "0 written" in second_run.stdout and "unchanged (identical build)" in second_run.stdout
    assert _leftovers(mini_project) == []


def test_plain_mkdocs_build_twice_rewrites_no_page(mini_project: Path) -> None:
    assert mkdocs_build(mini_project).returncode == 0
    first = tree_state(mini_project / "docs")
    assert mkdocs_build(mini_project).returncode == 0
    assert tree_state(mini_project / "docs") == first


def test_invalid_content_leaves_docs_and_site_as_they_were(mini_project: Path) -> None:
    run_site_gen("build", cwd=mini_project, check=True)
    before = _state(mini_project)
    quotes = mini_project / "content" / "quotes.yaml"
    quotes.write_text(quotes.read_text("utf-8").replace("speaker: ada-lind", "speaker: nobody"), "utf-8")
    result = run_site_gen("build", cwd=mini_project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert _state(mini_project) == before
    # The MkDocs plugin validates before it writes anything, and MkDocs stops before it cleans site/.
    plain = mkdocs_build(mini_project)
    assert plain.returncode == 1 and "unknown person 'nobody'" in plain.stderr
    assert "Traceback" not in plain.stderr
    assert _state(mini_project) == before


def test_a_failing_mkdocs_build_publishes_no_generated_page(mini_project: Path) -> None:
    """Valid content that changed, but the site cannot be built: docs/ must not change either."""
    run_site_gen("build", cwd=mini_project, check=True)
    before = _state(mini_project)
    topics = mini_project / "content" / "topics.yaml"
    topics.write_text(topics.read_text("utf-8").replace("name: Repairs", "name: Bridge repairs"), "utf-8")
    (mini_project / "docs" / "broken.md").write_text("[nowhere](missing.md)\n", "utf-8")
    before["docs"]["broken.md"] = tree_state(mini_project / "docs")["broken.md"]
    result = run_site_gen("build", cwd=mini_project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "MkDocs build failed" in result.stderr
    assert _state(mini_project) == before
    assert _leftovers(mini_project) == []


# --------------------------------------------------------------------------- kill -9


def write_large_briefing(content: Path, records: int) -> None:
    """A valid briefing with ``records`` events and as many quotes (MkDocs needs seconds for it)."""
    content.mkdir(parents=True, exist_ok=True)
    (content / "briefing.yaml").write_text(
        "title: A large synthetic briefing\nsummary:\n  - One.\n  - Two.\n  - Three.\nkey_figures: []\n"
        "", "utf-8")
    (content / "sources.yaml").write_text(
        "sources:\n  - id: wire\n    title: The wire\n    outlet: Wire\n    url: https://example.org/wire\n", "utf-8")
    (content / "people.yaml").write_text(
        "people:\n  - id: ada\n    name: Ada Lind\n    sources: [wire]\n"
        "  - id: ben\n    name: Ben Okafor\n    sources: [wire]\n", "utf-8")
    (content / "topics.yaml").write_text("topics:\n  - id: city\n    name: City\n", "utf-8")
    (content / "updates.yaml").write_text(
        'updates:\n  - date: "2024-12-01"\n    summary: First version.\n', "utf-8")
    events, quotes = ["events:"], ["quotes:"]
    for i in range(records):
        year, month, day = 2010 + i % 15, 1 + i % 12, 1 + i % 28
        events += [f"  - id: event-{i}", f'    date: "{year}-{month:02d}-{day:02d}"',
                   f"    title: Event number {i} <b>&amp;</b> {{{{ x }}}}",
                   f"    summary: Something *happened* ({i}).", "    people: [ada, ben]", "    topics: [city]",
                   "    sources: [wire]"]
        quotes += [f"  - id: quote-{i}", f'    text: "Quote {i}: we said | what we said."',
                   f"    speaker: {'ada' if i % 2 else 'ben'}", f'    date: "{year}-{month:02d}"',
                   f"    event: event-{i}", "    sources: [wire]"]
    (content / "events.yaml").write_text("\n".join(events) + "\n", "utf-8")
    (content / "quotes.yaml").write_text("\n".join(quotes) + "\n", "utf-8")


@pytest.fixture
def large_project(tmp_path: Path) -> Path:
    root = tmp_path / "large"
    make_project(root, MINI)
    for old in (root / "content").iterdir():
        old.unlink()
    write_large_briefing(root / "content", 150)
    return root


def _start_build(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "site_gen", "build"], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(REPO)})


def _wait_for(condition, process: subprocess.Popen[bytes], timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.002)
    return False


def _staged_site_has_pages(root: Path) -> bool:
    return any(any(folder.glob("site/assets")) for folder in root.glob(".site.building-*"))


def _staging_exists(root: Path) -> bool:
    return any(root.glob(".site.building-*"))


@pytest.mark.parametrize("moment", ["as soon as staging starts", "while MkDocs writes the site"])
def test_a_build_killed_with_sigkill_leaves_docs_and_site_as_they_were(large_project: Path, moment: str) -> None:
    run_site_gen("build", cwd=large_project, check=True)
    before = _state(large_project)
    assert before["site"] and before["docs"]
    # The next run has something to change: a new title for every event.
    events = large_project / "content" / "events.yaml"
    events.write_text(events.read_text("utf-8").replace("title: Event number", "title: Happening number"), "utf-8")

    condition = (lambda: _staging_exists(large_project)) if moment.startswith("as soon") else (
        lambda: _staged_site_has_pages(large_project))
    process = _start_build(large_project)
    try:
        reached = _wait_for(condition, process)
        assert reached, "the build finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL

    assert _state(large_project) == before  # same bytes, inodes and times: nothing was touched
    assert _temporaries(large_project / "docs") == []
    assert _leftovers(large_project)  # the killed run's staging folder, outside docs/ and site/

    # The next run removes what the killed one left and publishes the new version.
    run_site_gen("build", cwd=large_project, check=True)
    assert _leftovers(large_project) == []
    timeline = reader_text((large_project / "site" / "timeline" / "index.html").read_text("utf-8"))
    assert "Happening number 7 <b>&amp;</b> {{ x }}" in timeline


def test_a_file_system_error_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", MINI)
    shutil.rmtree(root / "docs")
    (root / "docs").write_text("a file where the docs folder should be\n", "utf-8")
    for args, message in ((["build", "--no-site"], f"error: File exists: {root / 'docs'}"),
                          (["build"], f"error: {root / 'docs'} is not a folder; move it away so site-gen can "
                                      "create docs/")):
        result = run_site_gen(*args, cwd=root)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert result.stderr.splitlines() == [message]
    assert (root / "docs").read_text("utf-8") == "a file where the docs folder should be\n"
    assert not (root / "site").exists() and _leftovers(root) == []


def test_relative_symlinks_in_docs_still_resolve_in_the_staged_build(mini_project: Path) -> None:
    shared = mini_project / "shared"
    shared.mkdir()
    (shared / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n', "utf-8")
    (mini_project / "docs" / "assets" / "logo.svg").symlink_to(Path("..") / ".." / "shared" / "logo.svg")
    run_site_gen("build", cwd=mini_project, check=True)
    assert (mini_project / "site" / "assets" / "logo.svg").read_text("utf-8").startswith("<svg")
    assert (mini_project / "docs" / "assets" / "logo.svg").is_symlink()  # the link itself is untouched


def test_a_dangling_symlink_in_docs_does_not_break_the_build(mini_project: Path) -> None:
    (mini_project / "docs" / "assets" / "gone.svg").symlink_to(mini_project / "nowhere.svg")
    run_site_gen("build", cwd=mini_project, check=True)
    assert not (mini_project / "site" / "assets" / "gone.svg").exists()
