"""The briefing's own tests (``make test``): build the site and check what a reader gets.

Standard library only (``python -m unittest``): every page of the navigation is built, every
link between pages and every anchor resolves, and the feed and data downloads are well formed.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
import unittest
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("", "timeline/", "funding/", "quotes/", "people/", "topics/", "faq/", "sources/", "updates/",
         "full-briefing/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text("utf-8"))
    return parser


class BuiltSite(unittest.TestCase):
    site: Path
    _folder: tempfile.TemporaryDirectory[str]

    @classmethod
    def setUpClass(cls) -> None:
        cls._folder = tempfile.TemporaryDirectory()
        cls.site = Path(cls._folder.name) / "site"
        result = subprocess.run([sys.executable, "-m", "site_gen", "build", "--site-dir", str(cls.site)],
                                cwd=ROOT, text=True, capture_output=True, check=False)
        if result.returncode != 0:
            raise AssertionError(f"site-gen build failed:\n{result.stdout}\n{result.stderr}")

    @classmethod
    def tearDownClass(cls) -> None:
        cls._folder.cleanup()

    def test_every_page_is_built(self) -> None:
        for page in PAGES:
            with self.subTest(page=page):
                self.assertTrue((self.site / page / "index.html").is_file())

    def test_every_internal_link_and_anchor_resolves(self) -> None:
        pages = {path: _parse(path) for path in self.site.rglob("*.html")}
        broken = []
        for path, parsed in pages.items():
            for href in parsed.links:
                parts = urlsplit(href)
                if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                    continue
                base = self.site if parts.path.startswith("/") else path.parent  # 404.html: from the root
                target = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else path
                if target.is_dir():
                    target = target / "index.html"
                if not target.exists():
                    broken.append(f"{path.relative_to(self.site)}: {href}")
                elif parts.fragment and target.suffix == ".html":
                    ids = pages[target].ids if target in pages else _parse(target).ids
                    if unquote(parts.fragment) not in ids:
                        broken.append(f"{path.relative_to(self.site)}: {href} (no such anchor)")
        self.assertEqual(broken, [])

    def test_feed_and_data_downloads_are_well_formed(self) -> None:
        ElementTree.parse(self.site / "feed.xml")
        data = json.loads((self.site / "data" / "briefing.json").read_text("utf-8"))
        self.assertIsInstance(data, dict)
        with (self.site / "data" / "funding.csv").open(encoding="utf-8", newline="") as handle:
            self.assertTrue(next(csv.reader(handle)), "funding.csv has no header row")
        self.assertTrue((self.site / "data" / "events.ics").read_text("utf-8").startswith("BEGIN:VCALENDAR"))


if __name__ == "__main__":
    unittest.main()
