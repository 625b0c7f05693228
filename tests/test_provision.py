"""scripts/provision, the bare-machine set-up behind `make site` and `make test`, for real.

A half-made virtualenv is repaired; a Python without ensurepip and a machine without the test
programs get one message with the exact install line (as a user who is not root, so nothing is
installed by the test itself).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PROVISION = REPO / "scripts" / "provision"
BASE_PYTHON = Path(getattr(sys, "_base_executable", sys.executable)).resolve()
SETPRIV = shutil.which("setpriv")


def _as_nobody(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    assert SETPRIV, "setpriv (util-linux) is needed to run the script as a user who is not root"
    command = args if os.getuid() != 0 else [SETPRIV, "--reuid=nobody", "--regid=nogroup", "--clear-groups", *args]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False, timeout=300)


def test_a_half_made_virtualenv_is_removed_and_made_again(tmp_path: Path) -> None:
    venv = tmp_path / ".venv"
    # What Debian's `python3 -m venv` leaves without python3-venv: bin/python, no pip.
    subprocess.run([str(BASE_PYTHON), "-m", "venv", "--without-pip", str(venv)], check=True)
    assert subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "--version"],
                          capture_output=True, check=False).returncode != 0
    result = subprocess.run([str(PROVISION), "venv", str(BASE_PYTHON), str(venv)], capture_output=True,
                            text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "incomplete" in result.stderr and "removing it" in result.stderr
    assert subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "--version"],
                          capture_output=True, check=False).returncode == 0
    assert "export NO_MKDOCS_2_WARNING=1" in (venv / "bin" / "activate").read_text("utf-8")
    again = subprocess.run([str(PROVISION), "venv", str(BASE_PYTHON), str(venv)], capture_output=True,
                           text=True, check=False, timeout=60)
    assert again.returncode == 0 and again.stderr == "", "a working virtualenv is left as it is"


def test_a_python_without_ensurepip_gets_the_exact_package_to_install() -> None:
    with tempfile.TemporaryDirectory() as folder:  # pytest's tmp_path is not readable by 'nobody'
        _python_without_ensurepip(Path(folder))


def _python_without_ensurepip(tmp_path: Path) -> None:
    # Debian's python3 without python3-venv: `import ensurepip` fails.
    shadow = tmp_path / "shadow"
    (shadow / "ensurepip").mkdir(parents=True)
    (shadow / "ensurepip" / "__init__.py").write_text("raise ImportError('no ensurepip here')\n", "utf-8")
    tmp_path.chmod(0o755)
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(shadow), "HOME": str(tmp_path)}
    # A Python that a user who is not root can run (this run's may live in root's home).
    python = Path("/usr/bin/python3") if os.getuid() == 0 else BASE_PYTHON
    assert python.exists(), f"{python} is needed for this test"
    version = subprocess.run([str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    result = _as_nobody([str(PROVISION), "venv", str(python), str(tmp_path / "venv")], env, tmp_path)
    assert result.returncode == 1, result
    assert f"sudo apt-get install -y python{version}-venv" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "venv").exists(), "nothing half-made is left behind"


def test_missing_test_programs_are_named_with_the_install_line() -> None:
    with tempfile.TemporaryDirectory() as folder:
        _machine_without_test_programs(Path(folder))


def _machine_without_test_programs(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "id"):  # a machine with none of the test programs
        found = shutil.which(tool)
        assert found, tool
        (bin_dir / tool).symlink_to(found)
    tmp_path.chmod(0o755)
    env = {"PATH": str(bin_dir), "SITE_GEN_CHROMIUM": str(tmp_path / "no-chromium")}
    result = _as_nobody([str(bin_dir / "bash"), str(PROVISION), "test-tools"], env, tmp_path)
    assert result.returncode == 1, result
    assert "missing: chromium pdftoppm pdftotext java npm git" in result.stderr, result.stderr
    assert ("sudo apt-get install -y --no-install-recommends chromium poppler-utils "
            "default-jre-headless npm git") in result.stderr, result.stderr


@pytest.mark.parametrize("python", ["python-that-does-not-exist"])
def test_no_python_is_a_clear_message(tmp_path: Path, python: str) -> None:
    result = subprocess.run([str(PROVISION), "venv", python, str(tmp_path / "v")], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 1
    assert "'python-that-does-not-exist' not found" in result.stderr
    assert "sudo apt-get install -y python3 python3-venv" in result.stderr


def test_ci_runs_exactly_the_readme_commands_and_installs_nothing() -> None:
    lines = [line.strip() for line in (REPO / ".ci" / "run").read_text("utf-8").splitlines()]
    commands = [line for line in lines if line and not line.startswith(("#", "set ", "cd ", "echo "))]
    assert commands == ["make site", "make test"], commands
    text = (REPO / ".ci" / "run").read_text("utf-8")
    for installer in ("apt-get", "pip ", "npm ", "install"):
        assert installer not in text.replace("installs nothing", ""), installer
