"""WCAG contrast from CSS colours as the browser computes them ("rgb(…)" / "rgba(…)")."""

from __future__ import annotations

import re

RGB = tuple[float, float, float]


def parse(css: str) -> tuple[RGB, float]:
    match = re.fullmatch(r"rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)", css.strip())
    if not match:
        raise ValueError(f"not an rgb() colour: {css!r}")
    r, g, b, a = match.groups()
    alpha = 1.0 if a is None else (float(a[:-1]) / 100 if a.endswith("%") else float(a))
    return (float(r), float(g), float(b)), alpha


def over(foreground: str, background: RGB) -> RGB:
    """``foreground`` (possibly translucent) painted over an opaque ``background``."""
    rgb, alpha = parse(foreground)
    return tuple(alpha * f + (1 - alpha) * b for f, b in zip(rgb, background))  # type: ignore[return-value]


def luminance(rgb: RGB) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
