"""The whole site in the briefing's language (site_gen/i18n): catalogs, formats, builds in every
shipped language, labels overrides, and no traceback in any language Babel knows."""

from __future__ import annotations

import dataclasses
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.localedata import locale_identifiers

from site_gen.errors import ContentError
from site_gen.i18n import SHIPPED, Labels, catalog_for, placeholders, read_catalog
from site_gen.i18n.extract import extract
from site_gen.i18n.format import Formatter, collation_key, fold
from site_gen.model import Money, PartialDate
from site_gen.render import render_data, render_pages
from site_gen.validate import load_briefing

from .conftest import FIXTURES, REPO, make_project, mkdocs_build, run_site_gen
from .htmltext import parse

OTHER = FIXTURES / "other-story" / "content"


# --------------------------------------------------------------------------- catalogs


def test_every_message_of_the_code_is_translated_in_every_shipped_catalog() -> None:
    template = extract()
    ids = [m.id for m in template if m.id]
    assert len(ids) > 150, "the extraction found the messages of the renderer"
    assert "The story so far" in {i if isinstance(i, str) else i[0] for i in ids}
    problems = []
    for code in SHIPPED:
        catalog = read_catalog(code)
        for msgid in ids:
            key = msgid if isinstance(msgid, str) else msgid[0]
            message = catalog.get(key)
            if message is None:
                problems.append(f"{code}: missing {key!r}")
                continue
            forms = list(message.string) if isinstance(message.string, tuple) else [message.string]
            if message.fuzzy or not all(f and f.strip() for f in forms):
                problems.append(f"{code}: empty or fuzzy {key!r}")
                continue
            if isinstance(msgid, tuple) and len(forms) != catalog.num_plurals:
                problems.append(f"{code}: {key!r} has {len(forms)} plural forms, the language {catalog.num_plurals}")
            allowed = placeholders(key) | (placeholders(msgid[1]) if isinstance(msgid, tuple) else set())
            for form in forms:
                if not placeholders(form) <= allowed or not placeholders(key) - {"count"} <= placeholders(form):
                    problems.append(f"{code}: {key!r} -> {form!r}: other placeholders")
                if re.search(r"[*_`<>|#\[\]]", form) and "[" not in key:
                    problems.append(f"{code}: {key!r} -> {form!r}: Markdown or HTML characters")
    assert not problems, "\n".join(problems[:40])


def test_pybabel_extract_finds_the_same_messages(tmp_path: Path) -> None:
    """``pybabel extract -F babel.cfg`` (what a translator runs) sees exactly what the test sees."""
    pot = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    result = subprocess.run([str(pybabel), "extract", "-F", "babel.cfg", "-o", str(pot), "."], cwd=REPO,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    from babel.messages.pofile import read_po

    with pot.open("rb") as handle:
        found = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert found == {m.id if isinstance(m.id, str) else m.id[0] for m in extract() if m.id}


def test_plural_forms() -> None:
    assert Labels("en").ngettext("{count} quote", "{count} quotes", 1) == "{count} quote"
    assert Labels("en").ngettext("{count} quote", "{count} quotes", 2) == "{count} quotes"
    pl = Labels("pl")
    assert [pl.ngettext("{count} quote", "{count} quotes", n).format(count=n) for n in (1, 3, 5, 22)] == [
        "1 cytat", "3 cytaty", "5 cytatów", "22 cytaty"]
    ar = Labels("ar")
    assert ar.ngettext("{count} quote", "{count} quotes", 2) == "تصريحان"
    assert Labels("fr").ngettext("{count} quote", "{count} quotes", 0).format(count=0) == "0 citation"


def test_language_tags_find_their_catalog() -> None:
    assert catalog_for("zh") == catalog_for("zh-Hans") == catalog_for("zh-CN") == "zh_Hans"
    assert catalog_for("zh-TW") is None  # Traditional Chinese: no catalog yet, English labels
    assert catalog_for("pt-BR") == "pt" and catalog_for("de-AT") == "de"
    assert catalog_for("sv") is None and catalog_for("xx") is None


def test_unknown_language_gets_english_labels_with_a_warning() -> None:
    for tag in ("sv", "xx", "zh-TW"):
        labels = Labels(tag)
        assert labels.gettext("The story so far") == "The story so far"
        assert labels.warning and tag in labels.warning
    assert Labels("de").warning is None


# --------------------------------------------------------------------------- formats


def test_money_in_every_locale_form() -> None:
    approx = Money(value=420_000_000, currency="EUR", approximate=True)
    assert Formatter("de").money(approx, "EUR") == "420 Millionen\xa0€"
    assert Formatter("de").money(Money(value=1500, currency="EUR"), "EUR") == "1.500\xa0€"
    assert Formatter("en").money(Money(value=18_000_000_000), "USD") == "$18 billion"
    assert Formatter("fr").money(approx, "EUR") == "420 millions\xa0€"
    # Locales without the long compact form: the short one (ja, zh, ko), never a KeyError.
    assert Formatter("ja").money(approx, "EUR") == "€4.2億"
    assert Formatter("zh").money(approx, "EUR") == "€4.2亿"
    assert Formatter("ko").money(approx, "EUR") == "€4.2억"


def test_dates_at_each_precision() -> None:
    assert Formatter("de").date(PartialDate(2026, 3)) == "März 2026"
    assert Formatter("fr").date(PartialDate(2026, 6, 14)) == "14 juin 2026"
    assert Formatter("ja").date(PartialDate(2026, 3)) == "2026年3月"
    assert Formatter("ja").date(PartialDate(2026)) == "2026年"
    assert Formatter("en-GB").date(PartialDate(2025, 11, 21)) == "21 November 2025"
    assert Formatter("en").date(PartialDate(2025, 11, 21)) == "November 21, 2025"


def test_quotation_marks_and_direction() -> None:
    assert Formatter("de").quoted("x") == "„x“"
    assert Formatter("fr").quoted("x") == "«\u202fx\u202f»"
    assert Formatter("ja").quoted("x") == "「x」"
    assert Formatter("en").quoted("x") == "“x”"
    assert Formatter("ar").rtl and Formatter("he").rtl and Formatter("fa").rtl and Formatter("ur").rtl
    assert not Formatter("de").rtl and not Formatter("ja").rtl
    assert Formatter("ar").isolate("Zoë") == "<bdi>Zoë</bdi>" and Formatter("de").isolate("Zoë") == "Zoë"


def test_folding_and_collation() -> None:
    assert fold("Zoë Ångström") == "zoe angstrom"
    assert fold("José Núñez") == "jose nunez"
    assert fold("Łukasz Żółć") == "lukasz zolc"
    assert fold("王芳") == "王芳"
    names = ["Zoë Šimić", "Łukasz Wróbel", "Ángel", "Anna", "Zeno", "ørsted"]
    assert sorted(names, key=collation_key) == ["Ángel", "Anna", "Łukasz Wróbel", "ørsted", "Zeno", "Zoë Šimić"]


# --------------------------------------------------------------------------- rendering


@pytest.fixture(scope="module")
def other():
    return load_briefing(OTHER)


def _in(b, language: str, **meta):
    return dataclasses.replace(b, meta=b.meta.model_copy(update={"language": language, **meta}))


def test_every_babel_locale_renders_without_a_traceback(other) -> None:
    """In memory, no MkDocs: every locale Babel has, as a BCP 47 tag, renders pages and data."""
    tags = sorted({identifier.replace("_", "-") for identifier in locale_identifiers()
                   if re.fullmatch(r"[a-z]{2,3}(_[A-Za-z0-9]{2,8})*", identifier)})
    assert len(tags) > 700
    failed = []
    for tag in tags:
        try:
            pages = render_pages(_in(other, tag))
            render_data(_in(other, tag))
        except Exception as error:  # noqa: BLE001 - the test reports every failing locale
            failed.append(f"{tag}: {type(error).__name__}: {error}")
            continue
        # every amount is on the page, in the locale's digits where it has its own
        if pages["funding.md"].count("data-toc-label=") < len(other.figures) or not re.search(r"\d", pages["funding.md"]):
            failed.append(f"{tag}: an amount is missing on the funding page")
    assert not failed, "\n".join(failed[:30]) + f"\n({len(failed)} locales failed)"


def test_labels_override_one_briefing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(OTHER, content)
    meta = content / "briefing.yaml"
    meta.write_text(meta.read_text("utf-8").replace("language: en", "language: de") + (
        'labels:\n  The story so far: "Worum es <geht>"\n  "{count} quote": ["ein Zitat", "{count} Wortmeldungen"]\n'),
        "utf-8")
    pages = render_pages(load_briefing(content))
    assert "## Worum es &#60;geht&#62; { #story }" in pages["index.md"]  # escaped: text stays text
    assert "7 Wortmeldungen" in pages["index.md"]


@pytest.mark.parametrize(("labels", "expected"), [
    ('  Teh story so far: "x"\n', "unknown label 'Teh story so far' (did you mean 'The story so far'?)"),
    ('  Last updated {date}: "Stand: {datum}"\n', "unknown placeholder {datum} (this label offers: {date})"),
    ('  Key figures: ["a", "b"]\n', "expected one text: this label has no plural forms"),
])
def test_labels_override_is_validated(tmp_path: Path, labels: str, expected: str) -> None:
    content = tmp_path / "content"
    shutil.copytree(OTHER, content)
    meta = content / "briefing.yaml"
    meta.write_text(meta.read_text("utf-8") + "labels:\n" + labels, "utf-8")
    with pytest.raises(ContentError) as error:
        load_briefing(content)
    assert expected in str(error.value) and "briefing.yaml:" in str(error.value)


# --------------------------------------------------------------------------- real builds


def _english_fragments() -> dict[str, list[str]]:
    """Each message of the catalog as the English words it leaves on a page (placeholders cut out)."""
    fragments: dict[str, list[str]] = {}
    for message in read_catalog("en"):
        if not message.id:
            continue
        for msgid in (message.id if isinstance(message.id, tuple) else (message.id,)):
            parts = [literal.strip(" :;,.()–—") for literal, *_ in string.Formatter().parse(msgid)]
            fragments[msgid] = [p for p in parts if len(p) >= 4 and re.search(r"[A-Za-z]{4}", p)]
    return fragments


def _project_in(tmp_path: Path, language: str) -> Path:
    project = make_project(tmp_path / language, OTHER)
    config = project / "mkdocs.yml"
    # No theme.language: the plugin sets it from briefing.yaml (one setting).
    config.write_text(re.sub(r"\n  language: en\n", "\n", config.read_text("utf-8")), "utf-8")
    meta = project / "content" / "briefing.yaml"
    meta.write_text(meta.read_text("utf-8").replace("language: en", f"language: {language.replace('_', '-')}"),
                    "utf-8")
    return project


def _body_text(path: Path) -> str:
    html = path.read_text("utf-8")
    body = html[html.index("<body"):]
    body = re.sub(r'<label class="md-header__button md-icon".*?</label>', "", body, flags=re.DOTALL)
    return " ".join(parse(body).parts)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("languages")
    sites = {}
    for code in SHIPPED:
        project = _project_in(root, code)
        result = mkdocs_build(project)
        assert result.returncode == 0, f"{code}:\n{result.stderr}"
        sites[code] = project / "site"
    return sites


EXPECTED = {  # what a reader of each language expects to read, written by hand
    "de": ["etwa 420 Millionen\xa0€", "Mai 2031", "„No tram carries passengers before every safety check is signed.“",
           "Was bisher geschah", "etwa 1,8 Milliarden\xa0£"],
    "fr": ["environ 420 millions\xa0€", "mai 2031", "«\u202fNo tram carries passengers", "L’essentiel"],
    "es": ["unos 420 millones\xa0€", "mayo de 2031", "«No tram carries passengers"],
    "it": ["circa 420 milioni\xa0€", "maggio 2031", "«No tram carries passengers"],
    "pt": ["cerca de €\xa0420 milhões", "maio de 2031"],
    "nl": ["ongeveer €\xa0420 miljoen", "mei 2031", "‘No tram carries passengers"],
    "pl": ["około 420 milionów\xa0€", "maj 2031", "„No tram carries passengers"],
    "ja": ["約€4.2億", "2031年5月", "「No tram carries passengers before every safety check is signed.」", "これまでの経緯"],
    "zh_Hans": ["约€4.2亿", "2031年5月", "“第一批电车将于2032年交付。”", "事件始末"],
    "ko": ["약 €4.2억", "2031년 5월", "지금까지의 이야기"],
    "ar": ["نحو", "مايو 2031", "”No tram carries passengers", "القصة حتى الآن"],
    "he": ["כ־", "מאי 2031", "”No tram carries passengers", "הסיפור עד כה"],
    "en": ["about €420 million", "May 2031", "“No tram carries passengers", "The story so far"],
}


@pytest.mark.parametrize("code", SHIPPED)
def test_built_site_is_in_the_language(built: dict[str, Path], code: str) -> None:
    site = built[code]
    pages = sorted(site.rglob("index.html"))
    assert len(pages) >= 10
    text = {p: _body_text(p) for p in pages}
    everything = " ".join(text.values())
    for expected in EXPECTED[code]:
        assert expected in everything, f"{code}: {expected!r} not on the site"
    html = (site / "index.html").read_text("utf-8")
    direction = "rtl" if code in ("ar", "he") else "ltr"
    assert re.search(rf'<body[^>]* dir="{direction}"', html), f"{code}: not dir={direction}"
    if code == "en":
        return
    content = " ".join(p.read_text("utf-8") for p in OTHER.glob("*.yaml"))
    labels = Labels(code)
    left = []
    for msgid, fragments in _english_fragments().items():
        translated = labels.gettext(msgid)
        for fragment in fragments:
            if fragment in translated or fragment in content:
                continue  # the same word in both languages ("Interview"), or the story's own words
            pattern = re.compile(rf"(?<![\w-]){re.escape(fragment)}(?![\w-])")
            for page, words in text.items():
                if pattern.search(words):
                    left.append(f"{page.relative_to(site)}: {fragment!r} (from {msgid!r})")
    assert not left, f"{code}: English left on the site:\n" + "\n".join(left[:30])


def test_people_are_ordered_by_the_languages_collation(built: dict[str, Path]) -> None:
    text = _body_text(built["de"] / "people" / "index.html")
    order = [text.index(name) for name in ("Ingrid Ødegård", "José Núñez", "Łukasz Wróbel", "Zoë Ångström",
                                           "Zoë Šimić")]
    assert order == sorted(order), "Ł sorts with L, Å with A"


def test_rtl_site_isolates_names_and_mirrors_the_chart(built: dict[str, Path]) -> None:
    funding = (built["ar"] / "funding" / "index.html").read_text("utf-8")
    svg = re.search(r"<svg class=\"briefing-chart\".*?</svg>", funding, re.DOTALL).group()
    bars = re.findall(r'<rect class="briefing-chart__bar"[^>]* x="([\d.]+)"[^>]* width="([\d.]+)"', svg)
    assert bars and all(abs(float(x) + float(w) - 360) < 0.01 for x, w in bars), "bars end at the right edge"
    assert 'direction="rtl"' in svg
    quotes = (built["ar"] / "quotes" / "index.html").read_text("utf-8")
    assert "<bdi>Zoë Ångström</bdi>" in quotes and "<bdi>王芳</bdi>" in quotes
    ltr = (built["de"] / "funding" / "index.html").read_text("utf-8")
    assert 'direction="rtl"' not in ltr and "<bdi>" not in ltr


def test_navigation_and_theme_follow_the_language(built: dict[str, Path]) -> None:
    html = (built["de"] / "index.html").read_text("utf-8")
    assert '<html lang="de"' in html
    start = html.index('class="md-nav md-nav--primary"')
    nav_text = " ".join(parse(html[start:html.index('class="md-content"')]).parts)
    for title in ("Chronik", "Finanzen", "Zitate", "Personen & Organisationen", "Gesamtdossier"):
        assert title in nav_text
    for english in ("Timeline", "Funding", "Quotes", "Full briefing"):
        assert english not in nav_text
    assert 'title="Link zu diesem Abschnitt"' in (built["de"] / "funding" / "index.html").read_text("utf-8")
    assert "Zum dunklen Modus wechseln" in html
    assert '"lang": ["de"]' in (built["de"] / "search" / "search_index.json").read_text("utf-8").replace(
        '"lang":["de"]', '"lang": ["de"]')


def test_theme_language_that_disagrees_is_an_error(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", OTHER)
    meta = project / "content" / "briefing.yaml"
    meta.write_text(meta.read_text("utf-8").replace("language: en", "language: de"), "utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "theme.language is 'en' but content/briefing.yaml has language: de" in result.stderr
    assert "Traceback" not in result.stderr
    check = run_site_gen("check", cwd=project)
    assert check.returncode != 0 and "theme.language is 'en'" in check.stderr and "Traceback" not in check.stderr


def test_init_in_a_language_and_refuses_an_unknown_one(tmp_path: Path) -> None:
    result = run_site_gen("init", str(tmp_path / "de"), "--language", "de", cwd=tmp_path, check=True)
    assert result.returncode == 0
    config = (tmp_path / "de" / "mkdocs.yml").read_text("utf-8")
    assert "language: de" in config and '"Chronik": timeline.md' in config
    assert "Ersetzen Sie diese drei Sätze" in (tmp_path / "de" / "content" / "briefing.yaml").read_text("utf-8")
    bad = run_site_gen("init", str(tmp_path / "xx"), "--language", "xx", cwd=tmp_path)
    assert bad.returncode != 0 and "'xx' is not a language CLDR knows" in bad.stderr
    assert not (tmp_path / "xx").exists() and "Traceback" not in bad.stderr
    sv = run_site_gen("init", str(tmp_path / "sv"), "--language", "sv", cwd=tmp_path, check=True)
    assert "no translation for language 'sv'" in sv.stderr
