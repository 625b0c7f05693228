"""Reading built HTML as a reader sees it: visible text, links and ids (stdlib only)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path


class _Text(HTMLParser):
    SKIP = frozenset({"script", "style", "svg", "head", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")
        if tag in self.SKIP:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def parse(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", " ".join(parse(html).parts))


def main_text(path: Path) -> str:
    """Text of the page's article (without navigation), whitespace collapsed."""
    html = path.read_text("utf-8")
    start = html.find("<article")
    end = html.rfind("</article>")
    return visible_text(html[start:end] if start >= 0 and end > start else html)
