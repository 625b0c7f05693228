"""Dates, numbers, money, quotation marks, direction and order, as the briefing's locale writes them.

Everything comes from CLDR through Babel, with a fallback wherever a locale lacks a form:
Babel's compact "long" number forms ("420 Millionen") exist for about half of its languages,
so an amount falls back to the short compact form ("4.2億") and then to the full number.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import (
    format_compact_decimal,
    format_currency,
    format_decimal,
    get_currency_symbol,
)

from ..model import Money, PartialDate
from . import babel_locale

ENGLISH = Locale.parse("en")
RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg", "Mand", "Samr"})

# CLDR's quotation marks (common/main/*.xml, <delimiters>), which Babel does not carry; languages
# not listed use “…”. French (and Swiss French) puts a narrow no-break space inside the guillemets.
QUOTES: dict[str, tuple[str, str]] = {
    "de": ("„", "“"), "cs": ("„", "“"), "sk": ("„", "“"), "sl": ("„", "“"), "lt": ("„", "“"),
    "is": ("„", "“"), "ka": ("„", "“"), "bg": ("„", "“"), "et": ("„", "“"), "lb": ("„", "“"),
    "pl": ("„", "”"), "hu": ("„", "”"), "ro": ("„", "”"), "hr": ("„", "”"), "nl": ("‘", "’"),
    "fr": ("«\u202f", "\u202f»"), "es": ("«", "»"), "it": ("«", "»"), "ru": ("«", "»"),
    "uk": ("«", "»"), "be": ("«", "»"), "el": ("«", "»"), "nb": ("«", "»"), "nn": ("«", "»"),
    "no": ("«", "»"), "fa": ("«", "»"), "ca": ("«", "»"), "eu": ("«", "»"), "gl": ("“", "”"),
    "hy": ("«", "»"), "kk": ("«", "»"), "uz": ("“", "”"), "sq": ("«", "»"), "am": ("«", "»"),
    "ps": ("«", "»"), "ug": ("«", "»"), "ur": ("”", "“"),
    "sv": ("”", "”"), "fi": ("”", "”"), "he": ("”", "”"), "ar": ("”", "“"),
    "ja": ("「", "」"), "zh_Hant": ("「", "」"), "da": ("“", "”"), "pt_PT": ("«", "»"),
}

# Letters that do not decompose into a base letter and a mark, as readers type them without the mark.
_FOLD_LETTERS = str.maketrans({
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H", "ı": "i",
    "ŧ": "t", "Ŧ": "T", "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
    "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D",
})


@lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """``text`` without diacritics and case: ``Żółć`` → ``zolc``, ``Ångström`` → ``angstrom``.

    Only Latin, Greek and Cyrillic marks are removed: the marks of other scripts (Arabic vowel signs,
    Japanese dakuten) change the letter and stay.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_LETTERS))
    kept = "".join(ch for ch in decomposed
                   if not (unicodedata.category(ch) == "Mn" and "\u0300" <= ch <= "\u036f"))
    return unicodedata.normalize("NFC", kept).casefold()


def collation_key(text: str) -> tuple[str, str]:
    """Sorts names as a reader expects in most languages: letters first by their base letter
    (Ångström with A, Łukasz with L, Žižek with Z), case and marks breaking ties."""
    return fold(text), text.casefold()


@cache
def is_rtl(language: str) -> bool:
    locale = babel_locale(language)
    if locale is None:
        return False
    if locale.script:
        return locale.script in RTL_SCRIPTS
    return locale.character_order == "right-to-left"


class Formatter:
    """Formats for one language (Babel's English ones if Babel does not know it)."""

    def __init__(self, language: str = "en"):
        self.language = language
        self.locale = babel_locale(language) or ENGLISH
        self.rtl = is_rtl(language)
        loc = self.locale
        self.quotes = (QUOTES.get(f"{loc.language}_{loc.script}") or QUOTES.get(f"{loc.language}_{loc.territory}")
                       or QUOTES.get(loc.language) or ("“", "”"))
        pattern = loc.currency_formats["standard"]
        self._prefix, self._suffix = pattern.prefix[0], pattern.suffix[0]
        self._dates: dict[PartialDate, str] = {}

    # ----------------------------------------------------------------- dates

    def date(self, value: PartialDate) -> str:
        """"21 November 2025" / "November 2025" / "2025", as the locale writes each precision."""
        shown = self._dates.get(value)
        if shown is None:
            shown = self._dates[value] = self._date(value)
        return shown

    def _date(self, value: PartialDate) -> str:
        if value.precision == "day":
            return format_date(dt.date(value.year, value.month, value.day), "long", locale=self.locale)
        if value.precision == "month":
            return self.month(value)
        return format_skeleton("y", dt.date(value.year, 1, 1), locale=self.locale)

    def month(self, value: PartialDate) -> str:
        if value.precision == "year":
            return format_skeleton("y", dt.date(value.year, 1, 1), locale=self.locale)
        return format_skeleton("yMMMM", dt.date(value.year, value.month, 1), locale=self.locale)

    # ----------------------------------------------------------------- numbers

    def number(self, value: int | Decimal) -> str:
        return format_decimal(value, locale=self.locale, decimal_quantization=False)

    def with_symbol(self, number: str, currency: str) -> str:
        """``number`` with the currency symbol where the locale's currency pattern puts it."""
        symbol = get_currency_symbol(currency, locale=self.locale)
        return self._prefix.replace("¤", symbol) + number + self._suffix.replace("¤", symbol)

    def compact(self, value: Decimal) -> str:
        """"18 billion", "420 Millionen", "4.2億": the long compact form, else the short, else in full."""
        for form in ("long", "short"):
            try:
                return format_compact_decimal(value, format_type=form, locale=self.locale, fraction_digits=2)
            except (KeyError, IndexError):
                continue
        return self.number(value)

    def money(self, amount: Money, default_currency: str) -> str:
        """The amount as readers write it: compact from a million up, in full below."""
        currency = amount.currency or default_currency
        value = amount.value
        if value >= Decimal(1_000_000):
            return self.with_symbol(self.compact(value), currency)
        digits = 0 if value == value.to_integral_value() else 2
        if digits == 0:
            return self.with_symbol(format_decimal(value, format="#,##0", locale=self.locale), currency)
        return format_currency(value, currency, locale=self.locale)

    # ----------------------------------------------------------------- text

    def quoted(self, markup: str) -> str:
        """``markup`` between the locale's quotation marks."""
        return f"{self.quotes[0]}{markup}{self.quotes[1]}"

    def isolate(self, markup: str) -> str:
        """Text of unknown direction (a name, a number) isolated from a right-to-left line around it."""
        return f"<bdi>{markup}</bdi>" if self.rtl and markup else markup
