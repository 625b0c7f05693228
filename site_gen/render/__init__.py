"""Stage 3 — render: Briefing -> {relative path: Markdown text}; pure and deterministic."""

from .pages import PAGES, render_pages

__all__ = ["PAGES", "render_pages"]
