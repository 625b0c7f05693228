"""Every word the generator writes, in the briefing's language.

The words come from gettext catalogs (``locale/<lang>/LC_MESSAGES/site_gen.po``), read with
Babel when a briefing is rendered; ``babel.cfg`` at the repository root tells ``pybabel extract``
where the messages are (``_``, ``ngettext`` and the marker ``N_`` for labels kept in tables).
An editor can replace any label for one briefing with ``labels:`` in ``briefing.yaml``.

A language without a catalog gets English labels (and Babel's formats for its numbers and dates,
when Babel knows it) plus a warning: never an error, never a traceback.
"""

from __future__ import annotations

import io
import string
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

DOMAIN = "site_gen"
LOCALE_DIR = resources.files(__name__) / "locale"
# The catalogs shipped with site-gen (folder names under locale/).
SHIPPED = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "ja", "zh_Hans", "ko", "ar", "he")
SOURCE_LANGUAGE = "en"

Override = str | Sequence[str]


def N_(message: str) -> str:
    """Marks a label kept in a table for ``pybabel extract``; it is translated where it is shown."""
    return message


@cache
def babel_locale(language: str) -> Locale | None:
    """Babel's locale for a BCP 47 tag (``de``, ``pt-BR``, ``zh-Hans``), or None if Babel has none."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


@cache
def catalog_for(language: str) -> str | None:
    """The shipped catalog that serves ``language`` (``zh``/``zh-CN`` → ``zh_Hans``), or None."""
    locale = babel_locale(language)
    if locale is None:
        return None
    script = locale.script
    if locale.language == "zh" and script is None:
        script = "Hant" if locale.territory in ("TW", "HK", "MO") else "Hans"
    for candidate in (f"{locale.language}_{script}" if script else None, locale.language):
        if candidate in SHIPPED:
            return candidate
    return None


def language_warning(language: str) -> str | None:
    """Why the labels of a briefing in ``language`` are in English, if they are (None: they are not)."""
    if catalog_for(language) is not None:
        return None
    if babel_locale(language) is None:
        return (f"language {language!r} is not a language site-gen knows: labels, dates and numbers "
                "are in English (use a BCP 47 tag such as 'de', 'pt-BR' or 'zh-Hans')")
    return (f"site-gen has no translation for language {language!r}: labels are in English, dates and "
            f"numbers in the language's own forms (translated: {', '.join(SHIPPED)}; any label can be "
            "set in briefing.yaml under labels:)")


def _catalog_file(code: str):  # -> Traversable
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def read_catalog(code: str) -> Catalog:
    with _catalog_file(code).open("rb") as handle:
        return read_po(handle, locale=code, domain=DOMAIN)


@cache
def _translations(code: str) -> Translations:
    """The compiled catalog (compiled in memory from the committed .po: no build step to forget)."""
    compiled = io.BytesIO()
    write_mo(compiled, read_catalog(code))
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


@cache
def messages() -> dict[str, str | None]:
    """Every message of the source catalog: msgid → its plural msgid (None for a singular)."""
    found: dict[str, str | None] = {}
    for message in read_catalog(SOURCE_LANGUAGE):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            found[str(message.id[0])] = str(message.id[1])
        else:
            found[str(message.id)] = None
    return found


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def check_overrides(overrides: Mapping[str, object]) -> list[tuple[str, str]]:
    """Problems with ``labels:`` of briefing.yaml: (key, what is wrong) for each bad entry."""
    import difflib

    known = messages()
    problems = []
    for key, value in overrides.items():
        if key not in known:
            close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else " (the keys are the English labels)"
            problems.append((key, f"unknown label {key!r}{hint}"))
            continue
        plural = known[key]
        forms = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else None
        if not forms or not all(isinstance(f, str) and f.strip() for f in forms):
            problems.append((key, "expected a non-empty text (or, for a label with plural forms, a list "
                                  "of texts, one per plural form)"))
            continue
        if plural is None and len(forms) != 1:
            problems.append((key, "expected one text: this label has no plural forms"))
            continue
        allowed = placeholders(key) | (placeholders(plural) if plural else set())
        for form in forms:
            try:
                used = placeholders(form)
            except ValueError as error:
                problems.append((key, f"expected text with {{placeholders}} in pairs of braces ({error})"))
                break
            extra = used - allowed
            if extra:
                names = ", ".join("{" + name + "}" for name in sorted(extra))
                offered = ", ".join("{" + name + "}" for name in sorted(allowed)) or "none"
                problems.append((key, f"unknown placeholder {names} (this label offers: {offered})"))
                break
    return problems


class Labels:
    """The translated labels of one briefing: its language's catalog and the editor's overrides."""

    def __init__(self, language: str = "en", overrides: Mapping[str, Override] | None = None):
        self.language = language
        self.code = catalog_for(language) or SOURCE_LANGUAGE
        self.warning = language_warning(language)
        self._t = _translations(self.code)
        self._overrides = dict(overrides or {})

    def gettext(self, message: str) -> str:
        override = self._overrides.get(message)
        if override is not None:
            return override if isinstance(override, str) else override[0]
        return self._t.gettext(message)

    _ = gettext

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        override = self._overrides.get(singular)
        if override is not None:
            if isinstance(override, str):
                return override
            index = self._t.plural(n) if hasattr(self._t, "plural") else int(n != 1)
            return override[min(index, len(override) - 1)]
        return self._t.ngettext(singular, plural, n)

