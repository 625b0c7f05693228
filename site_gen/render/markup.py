"""Markdown-safe text and reader-friendly formatting of dates and money.

Everything that comes from YAML goes through ``text`` (plain text) or ``inline`` (the few fields
that allow inline Markdown) before it reaches a page. Both encode every character that means
something to Markdown, its extensions (attribute lists, snippets, admonitions, tables) or HTML
as a numeric character reference: Python-Markdown passes references through untouched and the
browser shows the character, so YAML text can never become markup.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton
from babel.numbers import format_compact_decimal, format_currency, get_currency_symbol

from ..inline import Span
from ..inline import parse as parse_inline
from ..inline import plain as inline_plain
from ..model import ALLOWED_LINK_SCHEMES, Money, PartialDate
from ..textsafe import yaml_json

_SPECIAL = set("\\`*_{}[]()<>#+-.!|~=:^$%&\"'@/;?")
_REFERENCE = {c: f"&#{ord(c)};" for c in _SPECIAL}
# re.sub visits only the special characters; str.translate with a dict looks up every character
# (three times slower on prose, where they are sparse: page rendering calls this 150,000 times
# at 10,000 records).
_SPECIAL_CHAR = re.compile("[" + re.escape("".join(sorted(_SPECIAL))) + "]")


def _encode(value: str) -> str:
    return _SPECIAL_CHAR.sub(lambda match: _REFERENCE[match.group()], value)


# Names, titles and labels recur on many pages: 150,000 calls for 31,000 distinct values at
# 10,000 records.
@lru_cache(maxsize=65_536)
def text(value: str) -> str:
    """Plain text from YAML, safe anywhere in Markdown or HTML (content and attribute values)."""
    return _encode(" ".join(value.split()))


def inline(value: str) -> str:
    """Text that may use *emphasis*, **strong** and [links](https://…) — nothing else.

    The text is parsed by the CommonMark parser the model validated it with (``site_gen/inline.py``);
    every piece of text in the result is encoded as ``text`` encodes it, so only the ``<em>``,
    ``<strong>`` and ``[label](<url>)`` written here are markup."""
    return _inline_spans(parse_inline(value))


def _inline_spans(spans: tuple[Span, ...]) -> str:
    out: list[str] = []
    for span in spans:
        if span.kind == "text":
            out.append(_encode(span.content))
        elif span.kind == "link" and span.href.lower().startswith(ALLOWED_LINK_SCHEMES):
            out.append(f"[{_inline_spans(span.children)}](<{span.href.translate(_URL_ENCODE)}>)")
        elif span.kind == "link":  # never reaches here after validation; shown as its label
            out.append(_inline_spans(span.children))
        else:
            tag = span.kind
            out.append(f"<{tag}>{_inline_spans(span.children)}</{tag}>")
    return "".join(out)


_URL_ENCODE = {ord(c): f"%{ord(c):02X}" for c in " <>\"'`\\()[]{}|^"}


def url(value: str) -> str:
    """A validated http(s)/mailto URL for use as a Markdown link target."""
    return value.translate(_URL_ENCODE)


def text_keep_space(value: str) -> str:
    return _encode(value)


def plain(value: str) -> str:
    """What a reader sees of ``inline(value)``, as plain text (e.g. for page metadata)."""
    return " ".join(inline_plain(parse_inline(value)).split())


def front_matter(**fields: str) -> str:
    """YAML front matter; JSON strings are valid YAML, so any text is quoted safely.

    Material inserts ``title`` and ``description`` from front matter into the page unescaped (as
    HTML, in ``<title>``, the header and a ``content="…"`` attribute), so values are HTML-escaped
    here: the browser decodes them back to exactly the text given.
    """
    lines = ["---"]
    lines += [f"{key}: {yaml_json(json.dumps(html.escape(value, quote=True), ensure_ascii=False))}"
              for key, value in fields.items()]
    lines.append("---")
    return "\n".join(lines) + "\n"


def add_front_matter(markdown: str, fields: dict[str, object]) -> str:
    """``markdown``, which starts with front matter, with machine-made ``fields`` added first.

    Values are JSON (valid YAML) and not HTML-escaped: they are ids, dates, URLs and numbers, and
    the theme escapes every value it prints (``overrides/main.html``).
    """
    if not fields or not markdown.startswith("---\n"):
        return markdown
    lines = [f"{key}: {yaml_json(json.dumps(value, ensure_ascii=False, sort_keys=True))}"
             for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n" + markdown[len("---\n"):]


# --------------------------------------------------------------------------- dates


@cache
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):  # a tag Babel has no data for: English formats
        return Locale.parse("en")


@lru_cache(maxsize=65_536)
def date(value: PartialDate, language: str = "en") -> str:
    """"21 November 2025" / "November 2025" / "2025", as the locale writes them.

    Memoised: babel's formatting costs far more than a lookup, and a large briefing shows the same
    few hundred dates thousands of times, on its pages and in its calendar."""
    locale = _locale(language)
    if value.precision == "day":
        return babel_format_date(dt.date(value.year, value.month, value.day), "long", locale=locale)
    if value.precision == "month":
        return format_skeleton("yMMMM", dt.date(value.year, value.month, 1), locale=locale)
    return str(value.year)


def month_heading(value: PartialDate, language: str = "en") -> str:
    if value.precision == "year":
        return str(value.year)
    return format_skeleton("yMMMM", dt.date(value.year, value.month, 1), locale=_locale(language))


# --------------------------------------------------------------------------- money


def money(amount: Money, default_currency: str, language: str = "en", *, prefix_about: bool = True) -> str:
    """"about $18 billion" for approximate large amounts; exact amounts in full."""
    currency = amount.currency or default_currency
    locale = _locale(language)
    value = amount.value
    if value >= Decimal(1_000_000):
        number = format_compact_decimal(value, format_type="long", locale=locale, fraction_digits=2)
        symbol = get_currency_symbol(currency, locale=locale)
        pattern = locale.currency_formats["standard"].pattern
        shown = f"{symbol}{number}" if pattern.lstrip().startswith("¤") else f"{number}\u00a0{symbol}"
    else:
        digits = 0 if value == value.to_integral_value() else 2
        # Every decimal written is shown (1e-28 is not "$0.00"; 12.345 is not "$12.35").
        shown = format_currency(value, currency, locale=locale, format="¤#,##0" if digits == 0 else None,
                                currency_digits=digits != 0, decimal_quantization=False)
    if amount.approximate and prefix_about:
        return f"about {shown}"
    return shown
