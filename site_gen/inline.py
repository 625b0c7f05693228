"""Inline Markdown, parsed by a real CommonMark parser (markdown-it-py) restricted to four rules.

The fields that accept inline Markdown (``summary``, ``description``, ``answer``) may use
``*emphasis*``/``_emphasis_``, ``**strong**``, ``[links](https://…)`` and backslash escapes
(``\\*`` is a literal asterisk). Nothing else is parsed: code spans, images, autolinks, raw
HTML, entities and every block construct stay text. One deviation from CommonMark: an asterisk
inside a word is literal, as an underscore is (``2*3*4``, ``a*b*c``), because in news text it
almost never means emphasis.

:func:`parse` gives a small tree that the model validates links with (``model.py``) and that the
renderers turn into safe Markdown, HTML or plain text (``render/markup.py``, ``render/data.py``):
what is checked is exactly what is linked. Parsing is memoised (validation and every rendering
of a text share one parse), and text without any of ``*_[\\`` is not parsed at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline.state_inline import Delimiter, StateInline
from markdown_it.token import Token
from pydantic_core import PydanticCustomError


@dataclass(frozen=True)
class Span:
    """A piece of inline Markdown: ``text`` (``content``), ``em``, ``strong`` or ``link``."""

    kind: str
    content: str = ""
    children: tuple[Span, ...] = ()
    href: str = ""
    title: str = ""


def _emphasis(state: StateInline, silent: bool) -> bool:
    """markdown-it's emphasis tokenizer, except that ``*`` never splits a word (like ``_``)."""
    marker = state.src[state.pos]
    if silent or marker not in ("_", "*"):
        return False
    scanned = state.scanDelims(state.pos, False)
    for _ in range(scanned.length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(Delimiter(marker=ord(marker), length=scanned.length,
                                          token=len(state.tokens) - 1, end=-1,
                                          open=scanned.can_open, close=scanned.can_close))
    state.pos += scanned.length
    return True


# The characters a rule here starts at (``]`` ends a link's label): markdown-it's own text rule
# stops at every ASCII punctuation character, one Python loop step per character; a run of
# anything else is one text token, found by one regular expression.
_PLAIN_RUN = re.compile(r"[^*_\[\]\\]+")


def _text(state: StateInline, silent: bool) -> bool:
    match = _PLAIN_RUN.match(state.src, state.pos, state.posMax)
    if match is None:
        return False
    if not silent:
        state.pending += match.group()
    state.pos = match.end()
    return True


def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "link", "escape"])
    md.inline.ruler.at("emphasis", _emphasis)
    md.inline.ruler.at("text", _text)
    # Every destination is kept as written: the model decides which links are allowed (and
    # refuses the rest with a clear error) instead of the parser silently leaving them as text.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda url: url  # type: ignore[method-assign,assignment]
    return md


_MD = _parser()
_MARKUP = frozenset("*_[\\")


@lru_cache(maxsize=65_536)
def parse(text: str) -> tuple[Span, ...]:
    """The spans of one inline-Markdown text (whitespace already normalised by the model)."""
    if _MARKUP.isdisjoint(text):
        return (Span("text", text),) if text else ()
    tokens = _MD.parseInline(text)[0].children or []
    spans, _ = _spans(tokens, 0, "")
    return spans


def _spans(tokens: list[Token], start: int, closing: str) -> tuple[tuple[Span, ...], int]:
    out: list[Span] = []
    i = start
    while i < len(tokens):
        token = tokens[i]
        if token.type == closing:
            return tuple(out), i + 1
        if token.type in ("em_open", "strong_open", "link_open"):
            kind = token.type.removesuffix("_open")
            children, i = _spans(tokens, i + 1, f"{kind}_close")
            out.append(Span(kind, children=children, href=str(token.attrGet("href") or ""),
                            title=str(token.attrGet("title") or "")) if kind == "link"
                       else Span(kind, children=children))
            continue
        content = token.content if token.type in ("text", "text_special") else token.content or ""
        if out and out[-1].kind == "text":
            out[-1] = Span("text", out[-1].content + content)
        elif content:
            out.append(Span("text", content))
        i += 1
    return tuple(out), i


def links(spans: tuple[Span, ...]) -> list[Span]:
    """Every link in ``spans`` (links cannot nest, but may sit inside emphasis)."""
    found: list[Span] = []
    for span in spans:
        if span.kind == "link":
            found.append(span)
        elif span.children:
            found.extend(links(span.children))
    return found


def plain(spans: tuple[Span, ...], *, with_urls: bool = False) -> str:
    """What a reader sees, as text: emphasis markers and escapes gone, a link as its label
    (``label (url)`` with ``with_urls``, for files that cannot link: CSV, calendar)."""
    out: list[str] = []
    for span in spans:
        if span.kind == "text":
            out.append(span.content)
        elif span.kind == "link" and with_urls:
            out.append(f"{plain(span.children, with_urls=True)} ({span.href})")
        else:
            out.append(plain(span.children, with_urls=with_urls))
    return "".join(out)


def check_links(text: str, check_url: Callable[..., Any]) -> None:
    """Refuse a link the site must not show: an address ``check_url`` refuses, a link title
    (``[a](https://… "title")``: its words would not be shown) or a link without words."""
    for link in links(parse(text)):
        check_url(link.href, allow_mailto=True)
        if link.title:
            raise PydanticCustomError(
                "link_title", "a link title is not supported (found {title} after {url}); remove it",
                {"title": repr(link.title[:80]), "url": repr(link.href[:80])})
        if not plain(link.children).strip():
            raise PydanticCustomError("link_empty", "a link needs words to click, received {got}",
                                      {"got": repr("[](" + link.href[:80] + ")")})
