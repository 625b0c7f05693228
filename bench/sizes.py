"""What a built site weighs: pages, bytes on disk, search index, and the first page's transfer."""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

SEARCH_INDEXES = ("search/search_index.json", "search.json")  # MkDocs Material, Zensical
# What site-gen adds to Material's index: the browser downloads it too (site_gen/search_prebuilt.py).
PREBUILT_INDEX = "search/prebuilt_index.json"
# The search worker the page names: Material's, or site-gen's, which loads Material's (?material=).
_WORKER = re.compile(r"""["']([^"']*workers/(?:site-gen-)?search[^"'?]*\.js)(?:\?material=([^"'&]+))?["']""")


def gzipped(data: bytes) -> int:
    """Size after gzip at level 6, what web servers commonly send."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


@dataclass(frozen=True)
class SiteSize:
    pages: int
    site_bytes: int
    search_raw: int
    search_gzip: int
    first_page_gzip: int
    first_page_files: int


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("href") and (found.get("rel") or "") in (
                "stylesheet", "icon", "preload", "modulepreload", "manifest"):
            self.urls.append(found["href"] or "")
        elif tag in ("script", "img") and found.get("src"):
            self.urls.append(found["src"] or "")


def first_page_assets(site: Path, page: Path) -> list[Path]:
    """The files a browser fetches to show ``page`` (styles, scripts, icons, the search worker),
    without the search index itself, which is fetched by the worker."""
    html = page.read_text("utf-8")
    parser = _Assets()
    parser.feed(html)
    urls = list(parser.urls)
    for worker, material in _WORKER.findall(html):
        urls.append(worker)
        if material:
            urls.append(worker.rsplit("/", 1)[0] + "/" + material)
    files = []
    for url in urls:
        url = urldefrag(url)[0].split("?")[0]
        if not url or urlsplit(url).scheme or url.startswith("//"):
            continue
        path = (page.parent / url).resolve() if not url.startswith("/") else (site / url.lstrip("/")).resolve()
        if path.is_file() and path.is_relative_to(site.resolve()) and path not in files:
            files.append(path)
    return files


def measure(site: Path) -> SiteSize:
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = sum(1 for p in files if p.name == "index.html")
    index = next((site / name for name in SEARCH_INDEXES if (site / name).is_file()), None)
    raw = index.read_bytes() if index else b""
    prebuilt = site / PREBUILT_INDEX
    extra = prebuilt.read_bytes() if prebuilt.is_file() else b""
    home = site / "index.html"
    assets = first_page_assets(site, home)
    first = gzipped(home.read_bytes()) + sum(gzipped(p.read_bytes()) for p in assets)
    return SiteSize(pages, sum(p.stat().st_size for p in files), len(raw) + len(extra),
                    (gzipped(raw) if raw else 0) + (gzipped(extra) if extra else 0), first, 1 + len(assets))
