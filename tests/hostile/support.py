"""Helpers for the hostile-input tests: the case format, projects built from it, and HTML checks.

A case is a small YAML file under ``cases/`` that changes the base briefing (``base/content``)
and states the exact expected outcome::

    description: what the case is about
    files:                       # whole files to put in content/ (null deletes the file)
      topics.yaml: |
        topics: …
    patch:                       # or replacements in a base file; each `old` must occur once
      funding.yaml:
        - ["value: 120000000", "value: $DIGITS"]
    expand:                      # optional: $NAME becomes `text` repeated `times` times
      DIGITS: ["9", 5000]
    encoding: utf-8              # optional: how changed files are encoded (latin-1, utf-16, …)
    expect:
      errors: [ … ]              # the exact error lines, in order — or:
      literal: [ … ]             # the briefing builds (strict) and each text shows up literally
      links: [ … ]               # … and these link targets exist (optional)
      title: …                   # … and the full briefing's <title> shows it (optional)
      description: …             # … and the home page meta description is exactly this (optional)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import lxml.html
import yaml

from ..conftest import make_project

HERE = Path(__file__).resolve().parent
BASE = HERE / "base" / "content"
CASES = HERE / "cases"


@dataclass
class Case:
    name: str
    description: str
    files: dict[str, bytes | None]
    expect: dict[str, Any]


def load_case(path: Path) -> Case:
    spec = yaml.safe_load(path.read_text("utf-8"))
    expansions = {name: text * times for name, (text, times) in (spec.get("expand") or {}).items()}
    encoding = spec.get("encoding", "utf-8")

    def fill(text: str) -> str:
        for name, value in expansions.items():
            text = text.replace(f"${name}", value)
        return text

    files: dict[str, bytes | None] = {}
    for name, text in (spec.get("files") or {}).items():
        files[name] = None if text is None else fill(text).encode(encoding)
    for name, pairs in (spec.get("patch") or {}).items():
        original = (BASE / name).read_text("utf-8")
        for old, new in pairs:
            assert original.count(old) == 1, f"{path.name}: {old!r} does not occur exactly once in {name}"
            original = original.replace(old, fill(new))
        files[name] = original.encode(encoding)
    return Case(path.stem, spec["description"], files, spec["expect"])


def all_cases() -> list[Path]:
    return sorted(CASES.glob("*.yaml"))


def project_for(case: Case, destination: Path) -> Path:
    root = make_project(destination, BASE)
    for name, data in case.files.items():
        target = root / "content" / name
        if data is None:
            target.unlink()
        else:
            target.write_bytes(data)
    return root


# --------------------------------------------------------------------------- trees


def tree_state(root: Path) -> dict[str, tuple[str, int, int]]:
    """Every entry under ``root``: content hash (or link target), inode and mtime in ns."""
    state: dict[str, tuple[str, int, int]] = {}
    if not root.exists():
        return state
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files) + sorted(d for d in dirs if (Path(folder) / d).is_symlink()):
            path = Path(folder) / name
            info = path.lstat()
            if path.is_symlink():
                digest = "link:" + os.readlink(path)
            else:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            state[str(path.relative_to(root))] = (digest, info.st_ino, info.st_mtime_ns)
    return state


def contents(state: dict[str, tuple[str, int, int]]) -> dict[str, str]:
    return {path: digest for path, (digest, _inode, _mtime) in state.items()}


# --------------------------------------------------------------------------- HTML


SAFE_SCHEMES = ("http:", "https:", "mailto:")
DATA_SCRIPTS = ("application/ld+json", "application/json")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset", "background"}


class _Fingerprint(HTMLParser):
    """What could run in a page: scripts, event-handler attributes and the schemes of its URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.handlers: list[str] = []
        self.bad_urls: list[str] = []
        self.title = ""
        self.description: str | None = None
        self._in_script: list[str] | None = None
        self._in_title = False
        self._script_src = ""
        self._script_type = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value:
                url = re.sub(r"[\x00-\x20]", "", value).lower()
                scheme = re.match(r"[a-z][a-z0-9+.-]*:", url)
                if scheme and scheme.group() not in SAFE_SCHEMES:
                    self.bad_urls.append(f"<{tag} {name}={value!r}>")
        if tag in ("iframe", "object", "embed", "base", "form", "frame"):
            self.handlers.append(f"<{tag}>")
        if tag == "meta" and values.get("name") == "description":
            self.description = values.get("content")
        if tag == "script":
            self._in_script = []
            self._script_src = values.get("src") or ""
            self._script_type = values.get("type") or ""
        if tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script is not None:
            body = "".join(self._in_script)
            if self._script_type in DATA_SCRIPTS:
                # Data, not code: its content follows the page, but it must still be whole JSON
                # (text that broke out of the element would leave it truncated).
                try:
                    json.loads(body)
                    fingerprint = f"{self._script_type}|valid JSON"
                except ValueError:
                    fingerprint = f"{self._script_type}|BROKEN JSON: {body[:200]}"
            else:
                fingerprint = f"{self._script_type}|{self._script_src}|{hashlib.sha256(body.encode()).hexdigest()}"
            self.scripts.append(fingerprint)
            self._in_script = None
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self._in_script.append(data)
        elif self._in_title:
            self.title += data


@dataclass
class PageFacts:
    scripts: list[str] = field(default_factory=list)
    handlers: list[str] = field(default_factory=list)
    bad_urls: list[str] = field(default_factory=list)
    title: str = ""
    description: str | None = None


def page_facts(html: str) -> PageFacts:
    parser = _Fingerprint()
    parser.feed(html)
    parser.close()
    return PageFacts(sorted(parser.scripts), parser.handlers, parser.bad_urls, parser.title, parser.description)


def reader_text(html: str) -> str:
    """The article's text as a reader sees it: entities decoded, whitespace collapsed.

    Unlike joining text nodes with spaces, this keeps "decided;" as one word, so a literal
    comparison with the YAML text is exact.
    """
    document = lxml.html.document_fromstring(html)
    articles = document.xpath("//article")
    node = articles[0] if articles else document
    for permalink in node.xpath(".//a[contains(concat(' ', @class, ' '), ' headerlink ')]"):
        permalink.drop_tree()
    return " ".join(node.text_content().split())


def anchor_problems(html: str) -> list[str]:
    """Empty or repeated ids, and links to ``#fragment`` that no element on the page has."""
    document = lxml.html.document_fromstring(html)
    ids = [element.get("id") for element in document.xpath("//*[@id]")]
    problems = [f"empty id on <{e.tag}>" for e in document.xpath("//*[@id='']")]
    problems += [f"id {i!r} used {ids.count(i)} times" for i in sorted(set(ids)) if ids.count(i) > 1]
    for href in document.xpath("//a/@href"):
        if href.startswith("#") and len(href) > 1 and href[1:] not in ids:
            problems.append(f"link to missing anchor {href!r}")
    return problems


def site_pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text("utf-8") for p in sorted(site.rglob("*.html"))}


# --------------------------------------------------------------------------- the payload site

PAYLOAD = HERE / "payload" / "content"


def build_payload_site(destination: Path) -> Path:
    """The payload briefing built with plain ``mkdocs build --strict``; returns the site folder."""
    from ..conftest import mkdocs_build

    root = make_project(destination, PAYLOAD)
    result = mkdocs_build(root)
    assert result.returncode == 0, result.stderr
    return root / "site"
