"""Nothing lost, no traceback: what a careless option, a tampered manifest or a second build can do.

Every test runs real builds (``site-gen build`` and plain ``mkdocs build --strict``, as processes)
on real projects in tmp_path and looks at what is on disk afterwards (issue 12, "Data loss";
issue 10, item 7).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from site_gen import cache
from site_gen.write import MANIFEST, read_manifest, write_pages

from .conftest import FIXTURES, REPO, make_project, mkdocs_build, run_site_gen
from .hostile.support import contents, tree_state
from .test_atomic import write_large_briefing

MINI = FIXTURES / "mini" / "content"
ENV = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _everything(root: Path) -> dict[str, str]:
    """Every file under ``root`` (the whole project, .git included) with its content hash."""
    return contents(tree_state(root))


def _git_init(root: Path) -> None:
    git = shutil.which("git")
    assert git, "git is needed for this test (apt-get install git)"
    subprocess.run([git, "init", "-q", str(root)], check=True)
    subprocess.run([git, "-C", str(root), "add", "-A"], check=True)
    subprocess.run([git, "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org",
                    "commit", "-qm", "project"], check=True)


# --------------------------------------------------------------------------- 1. the site folder


@pytest.fixture
def git_project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project", MINI)
    _git_init(root)
    return root


@pytest.mark.parametrize("site_dir", [".", "docs", "content", "overrides", ".git", "..", "content/site",
                                      "docs/site", "overrides/site", ".git/site", "via-link"])
def test_site_gen_build_refuses_a_site_dir_that_would_destroy_the_project(git_project: Path,
                                                                          site_dir: str) -> None:
    (git_project / "via-link").symlink_to(git_project / "content", target_is_directory=True)
    before = _everything(git_project.parent)
    result = run_site_gen("build", "--site-dir", site_dir, cwd=git_project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: refusing to build the site into "), lines
    assert "nothing was touched" in lines[0]
    assert _everything(git_project.parent) == before  # not one file written, moved or removed


def test_a_site_dir_in_mkdocs_yml_is_refused_by_site_gen_build_and_by_plain_mkdocs(git_project: Path) -> None:
    config = git_project / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^site_dir: site$", "site_dir: content", config.read_text("utf-8")),
                      "utf-8")
    assert "site_dir: content" in config.read_text("utf-8")
    before = _everything(git_project)
    result = run_site_gen("build", cwd=git_project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: refusing to build the site into {git_project / 'content'}: "
                                    f"it is the content folder")
    plain = mkdocs_build(git_project)
    assert plain.returncode != 0 and "Traceback" not in plain.stderr
    assert re.search(r"ERROR\s+-\s+briefing: refusing to build the site into .*content: it is the content "
                     r"folder", plain.stderr), plain.stderr
    # MkDocs empties its site_dir before it builds: the refusal came first.
    assert {p: d for p, d in _everything(git_project).items() if not p.startswith(".cache/")} == before
    assert not (git_project / "site").exists()


def test_plain_mkdocs_refuses_a_site_dir_option_that_would_empty_content(git_project: Path) -> None:
    before = _everything(git_project)
    result = mkdocs_build(git_project, git_project / "content")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "briefing: refusing to build the site into" in result.stderr
    assert {p: d for p, d in _everything(git_project).items() if not p.startswith(".cache/")} == before


def test_a_folder_of_other_files_is_not_replaced_by_a_site(git_project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "my-documents"
    elsewhere.mkdir()
    (elsewhere / "thesis.txt").write_text("years of work", "utf-8")
    result = run_site_gen("build", "--site-dir", str(elsewhere), cwd=git_project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "holds files but no built site" in result.stderr
    assert (elsewhere / "thesis.txt").read_text("utf-8") == "years of work"
    # A new folder, or one that holds a site built before, is fine.
    fresh = tmp_path / "fresh-site"
    run_site_gen("build", "--site-dir", str(fresh), cwd=git_project, check=True)
    assert (fresh / "index.html").is_file()
    run_site_gen("build", "--site-dir", str(fresh), cwd=git_project, check=True)


# --------------------------------------------------------------------------- 2. a tampered manifest


def _tamper(docs: Path, **entries: str) -> None:
    manifest = json.loads((docs / MANIFEST).read_text("utf-8"))
    manifest["files"].update(entries)
    (docs / MANIFEST).write_text(json.dumps(manifest), "utf-8")


def test_a_manifest_entry_behind_a_symlinked_folder_never_deletes_outside(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    docs = tmp_path / "docs"
    write_pages({"index.md": "# Home\n"}, docs)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_bytes(b"precious")
    (docs / "vlink").symlink_to(elsewhere, target_is_directory=True)
    _tamper(docs, **{"vlink/precious.txt": _sha(b"precious")})  # even with the right digest
    with caplog.at_level(logging.WARNING, logger="site_gen"):
        write_pages({"index.md": "# Home\n"}, docs)
    assert (elsewhere / "precious.txt").read_bytes() == b"precious"
    assert any("vlink/precious.txt is behind a link that leads outside" in r.getMessage() for r in caplog.records)
    assert "vlink/precious.txt" not in read_manifest(docs)


def test_a_manifest_never_steers_the_temporary_file_sweep_outside(tmp_path: Path) -> None:
    docs = tmp_path / "a" / "b" / "docs"
    write_pages({"index.md": "# Home\n"}, docs)
    absolute = tmp_path / "abs"
    absolute.mkdir()
    # What a killed run's temporary file would look like, beside each path the manifest names.
    victims = [tmp_path / "a" / ".x.abcdefgh.tmp", absolute / ".y.abcdefgh.tmp",
               tmp_path / "a" / ".x.1-abcdefgh.tmp"]
    for victim in victims:
        victim.write_bytes(b"not site-gen's")
    _tamper(docs, **{"../../x": _sha(b""), str(absolute / "y"): _sha(b"")})
    write_pages({"index.md": "# Home\n", "new.md": "# New\n"}, docs)
    assert [v.read_bytes() for v in victims] == [b"not site-gen's"] * 3
    assert read_manifest(docs).keys() == {"index.md", "new.md"}


def test_a_listed_hand_written_file_is_neither_deleted_nor_overwritten(
        mini_project: Path) -> None:
    run_site_gen("build", cwd=mini_project, check=True)
    docs = mini_project / "docs"
    css = (docs / "assets" / "briefing.css").read_bytes()
    (docs / "faq.md").write_bytes(b"# My own FAQ, written by hand\n")
    # The manifest now claims both: briefing.css (which site-gen never generates) and faq.md (which it
    # does, but whose bytes are not what it wrote). Each with a digest site-gen never recorded.
    _tamper(docs, **{"assets/briefing.css": _sha(b"whatever"), "faq.md": _sha(b"something else")})
    result = run_site_gen("build", cwd=mini_project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{docs / 'faq.md'} is not what site-gen wrote there" in result.stderr
    assert (docs / "faq.md").read_bytes() == b"# My own FAQ, written by hand\n"
    assert (docs / "assets" / "briefing.css").read_bytes() == css
    # Once the hand-written page is moved away, the build goes on and still leaves briefing.css.
    (docs / "faq.md").unlink()
    result = run_site_gen("build", cwd=mini_project, check=True)
    assert "assets/briefing.css is not what site-gen wrote there" in result.stderr
    assert (docs / "assets" / "briefing.css").read_bytes() == css
    assert "assets/briefing.css" not in read_manifest(docs)
    assert (docs / "faq.md").is_file() and (mini_project / "site" / "assets" / "briefing.css").is_file()


@pytest.mark.parametrize("manifest", [b"{not json", b"\xff\xfe", b"[1, 2]", b'{"files": [1]}',
                                      b'{"files": {"quotes.md": 7}}', b"[" * 100_000])
def test_an_invalid_manifest_is_untrusted_with_a_warning_not_a_traceback(mini_project: Path,
                                                                         manifest: bytes) -> None:
    run_site_gen("build", cwd=mini_project, check=True)
    docs = mini_project / "docs"
    quotes = (docs / "quotes.md").read_bytes()
    (docs / MANIFEST).write_bytes(manifest)
    _edit_a_quote(mini_project, "A changed quote")
    result = run_site_gen("build", cwd=mini_project)
    assert "Traceback" not in result.stderr
    assert re.search(r"warning: .*\.site-gen-manifest\.json( is not valid JSON| is not a site-gen manifest"
                     r"|: ignoring 1 entry)", result.stderr), result.stderr
    # Untrusted, the manifest vouches for nothing: a page that would change is not replaced.
    assert result.returncode == 1
    error = result.stderr.splitlines()[-1]
    assert re.fullmatch(r"error: (.+) already exists? and (was|were) not written by site-gen; .*", error), error
    refused = error.removeprefix("error: ").split(" already exist")[0].split(", ")
    assert str(docs / "quotes.md") in refused and str(docs / "index.md") not in refused, refused
    assert (docs / "quotes.md").read_bytes() == quotes
    assert ".site." not in result.stderr  # no staging path in any message
    # Pages that hold exactly what site-gen generates are taken back; the rest stays refused.
    for path in refused:
        Path(path).unlink()
    run_site_gen("build", cwd=mini_project, check=True)
    assert "A changed quote" in (docs / "quotes.md").read_text("utf-8")
    assert read_manifest(docs).keys() >= {"index.md", "quotes.md"}


def test_the_conflict_error_names_docs_not_a_deleted_staging_folder(mini_project: Path) -> None:
    (mini_project / "docs" / "faq.md").write_text("# Mine\n", "utf-8")
    result = run_site_gen("build", cwd=mini_project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {mini_project / 'docs' / 'faq.md'} already exists and was not written by site-gen; move or "
        "delete it so site-gen can generate that page (nothing was written)"]
    assert not list(mini_project.glob(".site.building-*"))


# --------------------------------------------------------------------------- 3. two builds at once


def test_the_sweep_never_removes_a_live_build_s_temporary_files(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_pages({"index.md": "# Home\n"}, docs)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        staged = docs / f".index.md.{live.pid}-abcdefgh.tmp"
        staged.write_bytes(b"# Home, being written\n")
        write_pages({"index.md": "# Home again\n"}, docs)
        assert staged.read_bytes() == b"# Home, being written\n"
    finally:
        live.kill()
        live.wait()
    write_pages({"index.md": "# Home again\n"}, docs)  # its maker is gone: it was abandoned
    assert not staged.exists()


@pytest.fixture
def big_project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "big", MINI)
    for old in (root / "content").iterdir():
        old.unlink()
    write_large_briefing(root / "content", 400)
    return root


def _start(command: list[str], root: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(command, cwd=root, env=ENV, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def _wait_until_building(root: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not any(root.glob(".site.building-*/site/assets")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the first build never got to writing its site"
        time.sleep(0.01)


@pytest.mark.parametrize("second", ["site-gen build", "mkdocs build --strict"])
def test_a_second_build_waits_and_publishes_the_newer_content(big_project: Path, second: str) -> None:
    first = _start([sys.executable, "-m", "site_gen", "build"], big_project)
    _wait_until_building(big_project, first)  # it has read the large briefing long ago
    shutil.rmtree(big_project / "content")
    shutil.copytree(MINI, big_project / "content")  # the newer content: the small briefing
    command = ([sys.executable, "-m", "site_gen", "build"] if second == "site-gen build"
               else [sys.executable, "-m", "mkdocs", "build", "--strict"])
    later = _start(command, big_project)
    _, err_first = first.communicate(timeout=300)
    _, err_later = later.communicate(timeout=300)
    assert first.returncode == 0, err_first
    assert later.returncode == 0, err_later
    assert f"another site-gen build is running (pid {first.pid}); waiting…" in err_later
    # The build that started last read the content after the first had finished: the newer
    # content is what docs/ and site/ hold, and they agree.
    home = (big_project / "site" / "index.html").read_text("utf-8")
    assert "The Harbour Bridge Dispute" in home and "A large synthetic briefing" not in home
    assert "Harbour Bridge" in (big_project / "docs" / "index.md").read_text("utf-8")
    assert not [p for p in (big_project / "docs").rglob("*.md") if "Event number 7" in p.read_text("utf-8")]
    assert not list(big_project.glob(".site.*")) and not list((big_project / "docs").rglob("*.tmp"))


def test_builds_started_a_moment_apart_all_succeed_one_after_the_other(mini_project: Path) -> None:
    run_site_gen("build", cwd=mini_project, check=True)
    (mini_project / "docs" / "faq.md").unlink()  # each build has something to write
    builds = []
    for _ in range(3):
        builds.append(_start([sys.executable, "-m", "site_gen", "build"], mini_project))
        time.sleep(0.2)
    results = [build.communicate(timeout=300) for build in builds]
    assert [b.returncode for b in builds] == [0, 0, 0], results
    assert sum("waiting…" in err for _, err in results) >= 1, results
    assert not list(mini_project.glob(".site.*")) and not list((mini_project / "docs").rglob("*.tmp"))
    assert (mini_project / "docs" / "faq.md").is_file()


# --------------------------------------------------------------------------- 5. the cache fingerprint


def _limit_memory(megabytes: int) -> None:
    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _sparse(path: Path, size: int) -> None:
    with path.open("wb") as handle:
        handle.truncate(size)  # no disk space used: the file is one hole


def _build_with_memory_limit(root: Path, megabytes: int, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "site_gen", "build", *args], cwd=root, env=ENV, text=True,
                          capture_output=True, check=False, preexec_fn=lambda: _limit_memory(megabytes))


MEMORY_MB = 1024  # a build of the small briefing needs well under this (address space, not resident)


def test_an_unrelated_large_file_in_content_is_never_read(mini_project: Path) -> None:
    control = _build_with_memory_limit(mini_project, MEMORY_MB, "--no-site")
    assert control.returncode == 0, control.stderr
    _sparse(mini_project / "content" / "interview.mp4", 600 * 1024 * 1024)
    (mini_project / "docs" / "faq.md").unlink()
    result = _build_with_memory_limit(mini_project, MEMORY_MB, "--no-site")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("docs/: 1 written,")


def test_a_huge_yaml_file_is_refused_cleanly_by_build(mini_project: Path) -> None:
    (mini_project / "content" / "faq.yaml").unlink()
    _sparse(mini_project / "content" / "faq.yaml", 3 * 1024 * 1024 * 1024)
    for args in (["--no-site"], []):
        result = _build_with_memory_limit(mini_project, MEMORY_MB, *args)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert "content/faq.yaml:1:1: file is 3221225472 bytes; at most 10485760 allowed" in result.stderr


def test_the_fingerprint_holds_the_installed_version_of_every_dependency() -> None:
    from importlib import metadata

    versions = cache.dependency_versions()
    declared = {re.match(r"[A-Za-z0-9._-]+", r).group(0).lower() for r in metadata.requires("site-gen") or []}
    assert declared >= {"mkdocs", "mkdocs-material", "babel", "pydantic", "markdown", "pymdown-extensions",
                        "pyyaml", "feedgen", "lxml", "jinja2"}
    for name in declared | {"markupsafe", "pygments", "pydantic-core"}:  # direct and indirect ones
        assert versions[name] == metadata.version(name), name


def test_upgrading_a_dependency_makes_the_next_run_regenerate(mini_project: Path, tmp_path: Path) -> None:
    run_site_gen("build", "--no-site", cwd=mini_project, check=True)
    remembered = mini_project / ".cache" / "site-gen" / "generate.json"
    first = json.loads(remembered.read_text("utf-8"))["fingerprint"]
    run_site_gen("build", "--no-site", cwd=mini_project, check=True)
    assert json.loads(remembered.read_text("utf-8"))["fingerprint"] == first  # nothing changed
    # "Babel 99.0" installed: a distribution found before the real one on the path.
    upgraded = tmp_path / "upgraded"
    info = upgraded / "babel-99.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: babel\nVersion: 99.0\n", "utf-8")
    env = {**ENV, "PYTHONPATH": f"{upgraded}{os.pathsep}{REPO}"}
    probe = subprocess.run([sys.executable, "-c", "import importlib.metadata as m; print(m.version('babel'))"],
                           env=env, text=True, capture_output=True, check=True)
    assert probe.stdout.strip() == "99.0"
    subprocess.run([sys.executable, "-m", "site_gen", "build", "--no-site"], cwd=mini_project, env=env,
                   check=True, capture_output=True)
    assert json.loads(remembered.read_text("utf-8"))["fingerprint"] != first


# --------------------------------------------------------------------------- 6. the plugin's failures


def _without_root_override(command: list[str]) -> list[str]:
    """As root, permissions do not stop writes: drop the capability that overrides them."""
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to test a read-only folder as root"
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--", *command]


def _read_only(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)


def _writable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def _edit_a_quote(root: Path, new: str) -> None:
    quotes = root / "content" / "quotes.yaml"
    text = quotes.read_text("utf-8")
    match = re.search(r'(?m)^    text: "([^"]+)"', text)
    assert match, "the fixture has a double-quoted quote text"
    quotes.write_text(text[:match.start(1)] + new + text[match.end(1):], "utf-8")


def test_plain_mkdocs_build_with_a_read_only_docs_folder_is_one_error_line(mini_project: Path) -> None:
    assert mkdocs_build(mini_project).returncode == 0
    _edit_a_quote(mini_project, "A changed quote")
    docs = mini_project / "docs"
    before = contents(tree_state(docs))
    _read_only(docs)
    try:
        result = subprocess.run(_without_root_override([sys.executable, "-m", "mkdocs", "build", "--strict"]),
                                cwd=mini_project, env=ENV, text=True, capture_output=True, check=False)
    finally:
        _writable(docs)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1 and re.fullmatch(rf"ERROR\s+-\s+briefing: Permission denied: {re.escape(str(docs))}",
                                             errors[0]), result.stderr
    assert contents(tree_state(docs)) == before


class _Server:
    def __init__(self, command: list[str], cwd: Path) -> None:
        self.process = subprocess.Popen(command, cwd=cwd, env=ENV, text=True, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, after: int = 0, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, "\n".join(self.lines[after:])):
                return
            assert self.process.poll() is None, "\n".join(self.lines)
            time.sleep(0.05)
        raise AssertionError(f"no {pattern!r} in:\n" + "\n".join(self.lines))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=15)
        if self.process.stdout is not None:
            self.process.stdout.close()


def test_serve_keeps_serving_the_last_good_site_when_docs_cannot_be_written(mini_project: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = _Server(_without_root_override([sys.executable, "-m", "mkdocs", "serve", "--livereload",
                                             "--dev-addr", f"127.0.0.1:{port}"]), mini_project)
    try:
        server.wait_for(r"Serving on (http://\S+)")
        url = re.search(r"Serving on (http://\S+)", "\n".join(server.lines)).group(1)  # type: ignore[union-attr]
        quotes_url = url.rstrip("/") + "/quotes/"
        with urllib.request.urlopen(quotes_url, timeout=10) as response:
            good = response.read().decode("utf-8")
        original = re.search(r'(?m)^    text: "([^"]+)"', (mini_project / "content" / "quotes.yaml").read_text("utf-8"))
        assert original and original.group(1).rstrip(".") in good
        docs = mini_project / "docs"
        _read_only(docs)
        try:
            mark = len(server.lines)
            _edit_a_quote(mini_project, "A changed quote")
            server.wait_for(r"the preview keeps showing the last good version", after=mark)
            output = "\n".join(server.lines[mark:])
            assert "Traceback" not in output and f"briefing: Permission denied: {docs}" in output, output
            started = time.monotonic()
            with urllib.request.urlopen(quotes_url, timeout=10) as response:
                page = response.read().decode("utf-8")
            assert original.group(1).rstrip(".") in page and "A changed quote" not in page
            assert time.monotonic() - started < 5  # served, not stuck waiting for a good build
        finally:
            _writable(docs)
    finally:
        server.stop()
