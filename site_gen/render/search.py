"""What the site search needs from the generated pages: ranking per page and the ways figures are typed.

Material's search (lunr) ranks a section almost entirely by its heading (the title field weighs
1000 times the text), splits words with the ``separator`` set in ``mkdocs.yml`` and matches every
query word as a prefix. So a record is found first when

* its heading names it the way readers type it (a quote's heading holds the whole quote, a
  figure's heading its amount and projects, a person's heading their roles);
* the words readers type for a number are in its section (``$18 billion``, ``18 billion``,
  ``$18bn``, ``$18,000,000,000``: see :func:`amount_variants`);
* among pages whose headings match equally, the page that is the record's home wins: the
  ``search.boost`` below, written into each page's front matter;
* lists that only repeat headings from elsewhere (a person's events, a topic's quotes) and the
  one-page full briefing stay out of the index, so they never outrank the record itself.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal, get_currency_symbol

from ..model import Money
from .markup import _locale, add_front_matter

# The record whose words match is the best answer; when several match equally (a name appears
# in a person's heading and in an event's title), the more specific home page wins:
# a topic over an organisation named like it, a person over the events they appear in,
# a quote or figure over the event it came from, an event over an FAQ answer that retells it.
PAGE_BOOST: dict[str, float] = {
    "topics.md": 8,
    "people.md": 5,
    "quotes.md": 4,
    "funding.md": 4,
    "timeline.md": 3.5,
    "faq.md": 2,
}

# The one-page briefing repeats every section of the other pages word for word.
EXCLUDED_PAGES = frozenset({"full-briefing.md"})

# Short scales readers type after a currency amount ("$18bn", "$250m").
_SCALES = ((Decimal(10) ** 12, "tn"), (Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "m"))


def page_search_meta(path: str) -> dict[str, object] | None:
    """The ``search`` front matter of a generated page (None: index it with the default weight)."""
    if path in EXCLUDED_PAGES:
        return {"exclude": True}
    boost = PAGE_BOOST.get(path)
    return {"boost": boost} if boost is not None else None


def with_search_meta(path: str, markdown: str) -> str:
    """``markdown`` with its page's ``search`` setting added to the front matter it starts with."""
    meta = page_search_meta(path)
    return add_front_matter(markdown, {"search": meta}) if meta is not None else markdown


def amount_variants(amount: Money, default_currency: str, language: str = "en") -> list[str]:
    """Other ways readers write ``amount``: the exact figure and, in English, the "$18bn" form.

    The reader-facing form ("about $18 billion") is shown elsewhere; these are shown next to it
    so that every spelling of the number is on the page and in the search index.
    """
    currency = amount.currency or default_currency
    locale = _locale(language)
    symbol = get_currency_symbol(currency, locale=locale)
    symbol_first = locale.currency_formats["standard"].pattern.lstrip().startswith("¤")

    def with_symbol(number: str) -> str:
        return f"{symbol}{number}" if symbol_first else f"{number}\u00a0{symbol}"

    value = amount.value
    variants = [with_symbol(format_decimal(value, locale=locale, decimal_quantization=False))]
    if locale.language == "en":
        for scale, suffix in _SCALES:
            if value >= scale:
                short = (value / scale).normalize()
                if short == short.to_integral_value():
                    short = short.quantize(Decimal(1))
                variants.append(with_symbol(f"{short}{suffix}"))
                break
    return variants
