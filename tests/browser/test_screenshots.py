"""Screenshots of the key pages, desktop and phone, light and dark, for people to look at.

Written to tests/browser/screenshots/ (ignored by git) on every run; the README's pictures are
copies of some of these in /screenshots. The assertions make sure each picture shows the page
as a reader would see it: the right palette, the page's heading in view, nothing cut off.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from . import colors
from .harness import DESKTOP, PHONE

KEY_PAGES = {"home": "", "timeline": "timeline/", "funding": "funding/", "quotes": "quotes/"}
DEVICES = {"desktop": DESKTOP, "phone": PHONE}


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", DEVICES)
def test_screenshots_of_key_pages(new_page, screenshots: Path, device: str, scheme: str) -> None:
    viewport = DEVICES[device]
    page = new_page(scheme=scheme, viewport=viewport)
    for name, path in KEY_PAGES.items():
        page.goto(path)
        page.wait_for_load_state("networkidle")
        background = colors.parse(page.evaluate("() => getComputedStyle(document.body).backgroundColor"))[0]
        dark = colors.luminance(background) < 0.2
        assert dark == (scheme == "dark"), (name, background)
        assert page.locator("article h1").is_visible()
        target = screenshots / f"{name}-{device}-{scheme}.png"
        page.screenshot(path=str(target), full_page=False)
        assert _png_size(target) == (viewport["width"], viewport["height"])
        full = screenshots / f"{name}-{device}-{scheme}-full.png"
        page.screenshot(path=str(full), full_page=True)
        width, height = _png_size(full)
        assert width == viewport["width"] and height >= viewport["height"]
