"""The ``site-gen`` command behaves like the tools people know (mkdocs, hugo, pytest).

Every test runs the real command in a subprocess; the terminal cases run it on a real
pseudo-terminal (Python's ``pty``), as a person at a terminal would see it.
"""

from __future__ import annotations

import os
import pty
import re
import select
import socket
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import pytest

from .conftest import FIXTURES, REPO, make_project

ESCAPE = re.compile(r"\x1b\[")


def _env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "SITE_GEN_PROGRESS_AFTER")}
    env.update(PYTHONPATH=str(REPO), TERM="xterm", **extra)
    return env


def _run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "site_gen", *args], cwd=cwd, text=True, capture_output=True,
                          env=_env(**env), check=False, timeout=300)


def _run_on_a_terminal(*args: str, cwd: Path, **env: str) -> tuple[int, str]:
    """Run site-gen with stdin, stdout and stderr on a pseudo-terminal; all it wrote, as written."""
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "site_gen", *args], cwd=cwd, env=_env(**env),
                               stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        returncode = process.wait(timeout=60)
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
    return returncode, b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", FIXTURES / "mini" / "content")


@pytest.fixture
def broken(project: Path) -> Path:
    quotes = project / "content" / "quotes.yaml"
    quotes.write_text(quotes.read_text("utf-8").replace("speaker: ada-lind", "speaker: ada-lnd", 1), "utf-8")
    return project


# --------------------------------------------------------------------------- --version, options


def test_version_comes_from_the_package_metadata(tmp_path: Path) -> None:
    result = _run("--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"site-gen {version('site-gen')} (MkDocs {version('mkdocs')}, "
                            f"Material for MkDocs {version('mkdocs-material')}, Python "), first
    assert result.stderr == ""


@pytest.mark.parametrize("order", ["before", "after", "mixed"])
def test_global_options_before_or_after_the_command(project: Path, tmp_path: Path, order: str) -> None:
    args = {"before": ["--project", str(project), "-q", "check"],
            "after": ["check", "--project", str(project), "-q"],
            "mixed": ["-q", "check", "--project", str(project)]}[order]
    quiet = _run(*args, cwd=tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout == "" and quiet.stderr == ""
    loud = _run("check", "--project", str(project), cwd=tmp_path)
    assert loud.returncode == 0 and "OK — " in loud.stdout


def test_an_option_given_before_the_command_is_not_reset_after_it(project: Path, tmp_path: Path) -> None:
    result = _run("--project", str(project), "check", "--no-color", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"{project / 'content'}: OK" in result.stdout


def test_quiet_prints_errors_only(project: Path) -> None:
    result = _run("build", "-q", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    assert (project / "site" / "index.html").is_file()
    quotes = project / "content" / "quotes.yaml"
    quotes.write_text(quotes.read_text("utf-8").replace("speaker: ada-lind", "speaker: ada-lnd", 1), "utf-8")
    failed = _run("-q", "build", cwd=project)
    assert failed.returncode == 1 and failed.stdout == ""
    assert re.search(r"content/quotes\.yaml:\d+:\d+: quotes\[0\]\.speaker: unknown person 'ada-lnd'", failed.stderr)
    assert failed.stderr.rstrip().endswith("1 error found; nothing was written.")
    assert "ERROR" not in failed.stderr, "the content error is reported once, by site-gen"


def test_normal_and_verbose_output_never_show_the_staging_folder(project: Path) -> None:
    normal = _run("build", cwd=project)
    assert normal.returncode == 0, normal.stderr
    assert "docs/: " in normal.stdout and f"site built in {project / 'site'}" in normal.stdout
    assert f"Building documentation to directory: {project / 'site'}\n" in normal.stderr
    assert "DEBUG" not in normal.stderr
    verbose = _run("build", "-v", cwd=project)
    assert verbose.returncode == 0, verbose.stderr
    assert "DEBUG   -  " in verbose.stderr and "INFO    -  " in verbose.stderr
    for output in (normal.stdout + normal.stderr, verbose.stdout + verbose.stderr):
        assert ".site.building-" not in output, output


# --------------------------------------------------------------------------- progress


def test_progress_in_a_log_is_plain_lines_for_a_long_build(project: Path) -> None:
    # SITE_GEN_PROGRESS_AFTER=0: every build counts as long.
    result = _run("build", cwd=project, SITE_GEN_PROGRESS_AFTER="0")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("site-gen: ")]
    pages = len(list((project / "site").rglob("index.html")))
    assert "site-gen: Reading content/ …" in lines and "site-gen: Rendering pages …" in lines
    assert any(re.fullmatch(r"site-gen: Building the site with MkDocs \(\d+ pages\) …", line) for line in lines)
    assert f"site-gen: Building pages: {pages}/{pages}" in lines, lines
    assert "site-gen: Publishing …" in lines
    assert not ESCAPE.search(result.stderr) and "\r" not in result.stderr


def test_a_short_build_in_a_log_prints_no_progress(project: Path) -> None:
    """A build shorter than SITE_GEN_PROGRESS_AFTER seconds (default 2) prints no progress."""
    result = _run("build", cwd=project, SITE_GEN_PROGRESS_AFTER="600")
    assert result.returncode == 0, result.stderr
    assert "site-gen: " not in result.stderr


def test_progress_on_a_terminal_is_one_live_line_then_cleared(project: Path) -> None:
    code, output = _run_on_a_terminal("build", cwd=project)
    assert code == 0, output
    assert "\r\x1b[KReading content/ …" in output
    counts = re.findall(r"\r\x1b\[KBuilding pages: (\d+)/(\d+)", output)
    assert counts and counts[-1][0] == counts[-1][1], output
    assert "site-gen: " not in output, "no plain progress lines on a terminal"
    # The live line is taken off the screen before the summary is printed.
    summary = output.index("docs/: ")
    assert output.rfind("\r\x1b[K", 0, summary) > output.rfind("Building pages", 0, summary)
    quiet_code, quiet = _run_on_a_terminal("build", "-q", cwd=project)
    assert quiet_code == 0 and quiet == "", repr(quiet)


# --------------------------------------------------------------------------- colour


def test_colour_only_on_a_terminal_and_never_with_no_color(broken: Path) -> None:
    code, coloured = _run_on_a_terminal("check", cwd=broken)
    assert code == 1 and "\x1b[31m1 error found; nothing was written.\x1b[0m" in coloured, repr(coloured)
    for env in ({"NO_COLOR": "1"}, {}):
        args = ("check",) if env else ("check", "--no-color")
        code, plain = _run_on_a_terminal(*args, cwd=broken, **env)
        assert code == 1 and "1 error found" in plain and not ESCAPE.search(plain), repr(plain)
    piped = _run("check", cwd=broken)
    assert piped.returncode == 1 and "1 error found" in piped.stderr and not ESCAPE.search(piped.stderr)
    missing = _run_on_a_terminal("check", "--project", str(broken / "nowhere"), cwd=broken)[1]
    assert "\x1b[31;1merror:\x1b[0m " in missing and "no mkdocs.yml here" in missing


# --------------------------------------------------------------------------- serve: a busy port


def _listening_socket() -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    return listener


def test_a_busy_port_names_the_address_and_the_fix(project: Path) -> None:
    with _listening_socket() as listener:
        port = listener.getsockname()[1]
        started = time.monotonic()
        result = _run("serve", "--dev-addr", f"127.0.0.1:{port}", cwd=project)
        elapsed = time.monotonic() - started
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: cannot serve on 127.0.0.1:{port}: the address is already in use")
    assert f"site-gen serve --dev-addr 127.0.0.1:{port + 1}" in result.stderr
    assert f"make serve PORT={port + 1}" in result.stderr
    assert "Building documentation" not in result.stderr, "the port is checked before the first build"
    assert elapsed < 30
    assert not (project / "docs" / "index.md").exists()


def test_make_serve_takes_a_port(tmp_path: Path) -> None:
    result = subprocess.run(["make", "-n", "--no-print-directory", "serve", "PORT=8123"], cwd=REPO, text=True,
                            capture_output=True, check=False, env={k: v for k, v in os.environ.items()
                                                                   if k != "MAKEFLAGS"})
    assert result.returncode == 0, result.stderr
    assert "serve --dev-addr 127.0.0.1:8123" in result.stdout, result.stdout
    default = subprocess.run(["make", "-n", "--no-print-directory", "serve"], cwd=REPO, text=True,
                             capture_output=True, check=False)
    assert "serve --dev-addr 127.0.0.1:8000" in default.stdout, default.stdout


@pytest.mark.parametrize("address", ["nonsense", "127.0.0.1:99999", "127.0.0.1:"])
def test_a_bad_address_is_one_clear_line(project: Path, address: str) -> None:
    result = _run("serve", "--dev-addr", address, cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [f"error: --dev-addr {address!r}: expected HOST:PORT, such as "
                                          "127.0.0.1:8000"]


def test_serve_with_invalid_content_says_what_is_wrong_once(broken: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = _run("serve", "--dev-addr", f"127.0.0.1:{port}", cwd=broken)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = re.findall(r"content/quotes\.yaml:\d+:\d+: quotes\[0\]\.speaker: unknown person 'ada-lnd'",
                        result.stderr)
    assert len(errors) == 1, result.stderr
    assert result.stderr.rstrip().endswith("Fix the content above; the preview starts once it is valid.")
    assert not (broken / "docs" / "index.md").exists(), "nothing was written"
