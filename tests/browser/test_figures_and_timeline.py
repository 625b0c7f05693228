"""The funding chart, the timeline and the quote cards, measured in the rendered page."""

from __future__ import annotations

from decimal import Decimal

import pytest

from . import colors
from .harness import DESKTOP, PHONE

SCHEMES = ["light", "dark"]


def _background(page) -> colors.RGB:
    css = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    rgb, alpha = colors.parse(css)
    assert alpha == 1, css
    return rgb


# --------------------------------------------------------------------------- funding chart


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_chart_bars_are_proportional_to_the_amounts(new_page, content, javascript: bool) -> None:
    """Bar lengths measured in the DOM match the amounts in content/funding.yaml."""
    page = new_page(javascript=javascript)
    page.goto("funding/")
    figures = content["funding"]["figures"]
    assert len(figures) >= 2, "a proportion needs at least two figures"
    bars = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
        "svg.briefing-chart rect.briefing-chart__bar")].map(r => [r.dataset.key, r.getBoundingClientRect().width]))""")
    assert set(bars) == {f["id"] for f in figures}
    amounts = {f["id"]: Decimal(str(f["amount"]["value"])) for f in figures}
    largest = max(amounts, key=amounts.__getitem__)
    assert bars[largest] > 150, "the largest bar must be drawn at a readable length"
    for key, width in bars.items():
        expected = float(amounts[key] / amounts[largest])
        assert width / bars[largest] == pytest.approx(expected, rel=0.005), (key, width, bars[largest])


def test_chart_is_inline_svg_with_title_description_and_table(new_page, content) -> None:
    page = new_page()
    page.goto("funding/")
    chart = page.locator("figure.briefing-figure > svg.briefing-chart")
    assert chart.count() == 1
    assert chart.get_attribute("role") == "img"
    title_id, desc_id = chart.get_attribute("aria-labelledby").split()
    title = page.locator(f"svg.briefing-chart > title[id='{title_id}']").text_content()
    desc = page.locator(f"svg.briefing-chart > desc[id='{desc_id}']").text_content()
    assert title == "Funding figures in USD"
    # What a screen reader announces: the name and description computed by Chromium.
    name = page.evaluate("(el) => el.getAttribute('aria-labelledby').split(' ').map(id => "
                         "document.getElementById(id).textContent).join(' ')", chart.element_handle())
    assert name.startswith(title) and desc in name
    table = page.locator(".briefing-chart-pair table")
    rows = table.locator("tbody tr")
    assert rows.count() == len(content["funding"]["figures"])
    for figure in content["funding"]["figures"]:
        amount = f"about ${Decimal(str(figure['amount']['value'])) / 10**9:.0f} billion"
        assert f"{figure['label']}: {amount}" in desc
        row = rows.filter(has_text=figure["label"])
        assert row.locator("td").text_content() == amount
        assert page.locator(f"rect[data-key='{figure['id']}'] + text").text_content() == amount
    # The chart draws nothing from elsewhere and runs no script.
    assert page.locator("svg.briefing-chart image, svg.briefing-chart script, svg.briefing-chart use").count() == 0
    # "Beside": on a desktop the table sits to the right of the chart, on a phone below it.
    chart_box, table_box = chart.bounding_box(), table.bounding_box()
    assert table_box["x"] >= chart_box["x"] + chart_box["width"]
    assert abs(table_box["y"] - chart_box["y"]) < 60


def test_chart_and_table_stack_on_a_phone(new_page) -> None:
    page = new_page(viewport=PHONE)
    page.goto("funding/")
    chart_box = page.locator("svg.briefing-chart").bounding_box()
    table_box = page.locator(".briefing-chart-pair table").bounding_box()
    assert table_box["y"] >= chart_box["y"] + chart_box["height"]
    assert chart_box["x"] >= 0 and chart_box["x"] + chart_box["width"] <= PHONE["width"]
    font_px = page.evaluate("""() => { const t = document.querySelector('.briefing-chart__label');
        return t.getBoundingClientRect().height }""")
    assert font_px >= 11, "chart labels stay readable on a phone"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_chart_is_readable_in_light_and_dark_mode(new_page, scheme: str) -> None:
    page = new_page(scheme=scheme)
    page.goto("funding/")
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("() => document.body.dataset.mdColorScheme") == expected
    background = _background(page)
    fills = page.evaluate("""() => ({
        bars: [...document.querySelectorAll('.briefing-chart__bar')].map(e => getComputedStyle(e).fill),
        texts: [...document.querySelectorAll('.briefing-chart text')].map(e => getComputedStyle(e).fill),
    })""")
    assert fills["bars"] and fills["texts"]
    for fill in fills["bars"]:   # a bar is a graphical object: 3:1 (WCAG 1.4.11)
        assert colors.contrast(colors.over(fill, background), background) >= 3, (scheme, fill)
    for fill in fills["texts"]:  # labels are text: 4.5:1 (WCAG 1.4.3)
        assert colors.contrast(colors.over(fill, background), background) >= 4.5, (scheme, fill)


# --------------------------------------------------------------------------- timeline


def test_timeline_is_an_ordered_list_grouped_by_month(new_page, content) -> None:
    page = new_page()
    page.goto("timeline/")
    groups = page.evaluate("""() => [...document.querySelectorAll('article ol.briefing-timeline')].map(ol => {
        const heading = ol.previousElementSibling;
        return {
            heading: heading.tagName,
            month: heading.querySelector('time')?.getAttribute('datetime'),
            events: [...ol.children].map(li => ({
                tag: li.tagName,
                id: li.querySelector('h3').id,
                datetime: li.querySelector('h3 time').getAttribute('datetime'),
                permalink: li.querySelector('h3 a.headerlink')?.getAttribute('href'),
            })),
        };
    })""")
    events = {f"event-{e['id']}": e for e in content["events"]["events"]}
    seen = [event for group in groups for event in group["events"]]
    assert sorted(e["id"] for e in seen) == sorted(events)
    assert [e["datetime"] for e in seen] == sorted(e["datetime"] for e in seen), "oldest first"
    months = [group["month"] for group in groups]
    assert len(months) == len(set(months)), "one list per month"
    for group in groups:
        assert group["heading"] == "H2" and group["month"]
        for event in group["events"]:
            assert event["tag"] == "LI"
            assert event["datetime"] == events[event["id"]]["date"]
            assert event["datetime"].startswith(group["month"])
            assert event["permalink"] == f"#{event['id']}"


def test_each_event_has_a_working_permalink(new_page) -> None:
    page = new_page(viewport=DESKTOP)
    page.goto("timeline/#event-second-meeting")
    heading = page.locator("#event-second-meeting")
    page.wait_for_function("() => document.querySelector('#event-second-meeting').getBoundingClientRect().top < 300")
    assert heading.is_visible()
    assert "Trump and Mamdani meet again at the White House" in heading.text_content()


def test_quotes_are_cards_with_speaker_date_and_source(new_page, content) -> None:
    page = new_page()
    page.goto("quotes/")
    people = {p["id"]: p["name"] for p in content["people"]["people"]}
    cards = page.locator("article.briefing-quote")
    assert cards.count() == len(content["quotes"]["quotes"])
    for quote in content["quotes"]["quotes"]:
        card = page.locator(f"article.briefing-quote:has(> h3#quote-{quote['id']})")
        assert card.count() == 1, quote["id"]
        heading = " ".join(card.locator("h3").inner_text().split()).rstrip("¶")
        words = " ".join(quote["text"].split())
        assert heading == (f"“{words}”" if quote["kind"] == "direct" else f"Reported: {words}")
        byline = card.locator(".briefing-quote__by")
        speaker = byline.locator("a", has_text=people[quote["speaker"]])
        assert speaker.get_attribute("href").endswith(f"people/#person-{quote['speaker']}")
        assert byline.locator("time").get_attribute("datetime") == quote["date"]
        kind = "Direct quote" if quote["kind"] == "direct" else "Reported speech (not exact words)"
        assert byline.locator(".briefing-quote__kind").text_content() == kind
        for source in quote["sources"]:
            assert card.locator(f"a[href$='sources/#source-{source}']").count() == 1, (quote["id"], source)
        style = card.evaluate("(el) => { const s = getComputedStyle(el); "
                              "return [s.borderLeftWidth, s.backgroundColor] }")
        assert style[0] != "0px" and style[1] != "rgba(0, 0, 0, 0)", "drawn as a card"
