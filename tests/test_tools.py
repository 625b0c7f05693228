"""Every system program the suite uses is there: a missing one fails here, by name, never a skip.

The list is read from scripts/provision, which `make test` runs first to install them, so the
two cannot disagree.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PROVISION = REPO / "scripts" / "provision"


def _tools() -> list[tuple[str, str]]:
    block = re.search(r"^TEST_TOOLS=\((.*?)^\)", PROVISION.read_text("utf-8"), re.MULTILINE | re.DOTALL)
    assert block, "scripts/provision has no TEST_TOOLS list"
    return re.findall(r'"([\w.-]+):([\w.+-]+)"', block.group(1))


def test_the_list_is_read() -> None:
    names = {command for command, _ in _tools()}
    assert {"chromium", "pdftoppm", "java", "npm", "git"} <= names


@pytest.mark.parametrize(("command", "package"), _tools(), ids=[c for c, _ in _tools()])
def test_program_is_installed(command: str, package: str) -> None:
    if command == "chromium":
        found = os.access(os.environ.get("SITE_GEN_CHROMIUM", "/usr/bin/chromium"), os.X_OK)
    else:
        found = shutil.which(command) is not None
    assert found, f"{command} is missing: `make test` installs it (apt-get install {package})"
