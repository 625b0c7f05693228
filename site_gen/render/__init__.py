"""Stage 3 — render: Briefing -> {relative path: Markdown text}; pure and deterministic."""

from .data import render_data
from .pages import PAGES, render_pages

__all__ = ["PAGES", "render_data", "render_pages"]
