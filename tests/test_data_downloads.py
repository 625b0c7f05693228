"""The data behind the pages — briefing.json, funding.csv, events.ics and the updates feed —
read back with real parsers (json + jsonschema, csv, icalendar, feedparser + lxml)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import feedparser
import icalendar
import jsonschema
import lxml.etree
import pytest

from site_gen.amounts import unmark
from site_gen.model import (
    BriefingMeta,
    Event,
    FaqEntry,
    Figure,
    Person,
    Quote,
    Source,
    Topic,
    Update,
)
from site_gen.render.data import render_data
from site_gen.render.pages import DOWNLOADS
from site_gen.schema import data_schema
from site_gen.validate import load_briefing

from .conftest import FIXTURES, REPO
from .htmltext import parse

OTHER = FIXTURES / "other-story" / "content"
ATOM = "{http://www.w3.org/2005/Atom}"
SECTIONS = {"sources": Source, "people": Person, "topics": Topic, "events": Event, "figures": Figure,
            "quotes": Quote, "faq": FaqEntry, "updates": Update}


@pytest.fixture(scope="module")
def briefing():
    return load_briefing(REPO / "content")


@pytest.fixture(scope="module")
def other():
    return load_briefing(OTHER)


@pytest.fixture(scope="module")
def other_site(other_story_project: Path) -> Path:
    """The made-up story in a project from ``site-gen init``: no site_url is set there."""
    return other_story_project / "site"


# --------------------------------------------------------------------------- published and linked


def test_every_download_is_published(real_site: Path) -> None:
    for path in DOWNLOADS:
        assert (real_site / path).is_file(), path
        assert (real_site / path).stat().st_size > 0, path


@pytest.mark.parametrize("page", ["", "sources/"])
def test_home_and_sources_link_every_download(real_site: Path, page: str) -> None:
    html = (real_site / page / "index.html").read_text("utf-8")
    parsed = parse(html)
    assert "download-the-data" in parsed.ids
    assert "Download the data" in html
    downloads = {(real_site / path).resolve() for path in DOWNLOADS}
    targets = {(real_site / page / href).resolve() for href in parsed.hrefs}
    assert downloads <= targets


def test_updates_page_links_the_feed(real_site: Path) -> None:
    hrefs = parse((real_site / "updates" / "index.html").read_text("utf-8")).hrefs
    assert "../feed.xml" in hrefs


@pytest.mark.parametrize("page", ["", "timeline/", "updates/", "full-briefing/"])
def test_every_page_announces_the_feed_in_its_head(real_site: Path, page: str) -> None:
    html = (real_site / page / "index.html").read_text("utf-8")
    head = lxml.etree.HTML(html.encode("utf-8")).find("head")
    links = head.findall("link[@rel='alternate'][@type='application/atom+xml']")
    assert len(links) == 1, page
    assert (real_site / page / links[0].get("href")).resolve() == (real_site / "feed.xml").resolve()
    assert links[0].get("title")


def test_data_files_are_deterministic(briefing) -> None:
    assert render_data(briefing, "https://example.org/b/") == render_data(briefing, "https://example.org/b/")


# --------------------------------------------------------------------------- briefing.json


@pytest.mark.parametrize("which", ["real", "other"])
def test_briefing_json_validates_and_round_trips(real_site: Path, other_site: Path, briefing, other,
                                                 which: str) -> None:
    site, model = (real_site, briefing) if which == "real" else (other_site, other)
    raw = (site / "data" / "briefing.json").read_text("utf-8")
    jsonschema.Draft7Validator(data_schema()).validate(json.loads(raw))
    # Decimals stay exact when read as Decimal: the JSON is the validated model, nothing lost.
    data = json.loads(raw, parse_float=Decimal)
    assert BriefingMeta.model_validate(data["briefing"], strict=True) == model.meta
    for key, record_type in SECTIONS.items():
        assert tuple(record_type.model_validate(r) for r in data[key]) == getattr(model, key), key


# --------------------------------------------------------------------------- funding.csv


def test_funding_csv_has_one_exact_row_per_figure(real_site: Path, briefing) -> None:
    text = (real_site / "data" / "funding.csv").read_bytes().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["id"] for r in rows] == [f.id for f in briefing.figures]
    for row, figure in zip(rows, briefing.figures):
        assert Decimal(row["amount"]) == figure.amount.value
        assert row["currency"] == (figure.amount.currency or briefing.meta.currency)
        assert row["approximate"] == ("true" if figure.amount.approximate else "false")
        assert row["sources"].split("; ") == list(figure.sources)
    counted = sum(Decimal(r["amount"]) for r in rows if r["counted_in_total"] == "true")
    assert counted == Decimal(28_000_000_000)
    assert rows[0]["amount_text"] == "about $10 billion"


def test_funding_csv_other_currency_and_names(other_site: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((other_site / "data" / "funding.csv").read_text("utf-8"),
                                           newline="")))
    by_id = {r["id"]: r for r in rows}
    assert {r["currency"] for r in rows} == {"EUR", "GBP"}
    assert by_id["export-loan"]["currency"] == "GBP" and by_id["export-loan"]["amount_text"] == "about £1.8 billion"
    assert by_id["depot"]["counted_in_total"] == "false" and by_id["depot"]["part_of"] == "tram-line"
    assert by_id["staffing-fund"]["amount"] == "12.5"
    assert by_id["tram-line"]["amount_text"] == "about €420 million"
    assert by_id["tram-line"]["projects"] == "Velmira north–south tram line"


# --------------------------------------------------------------------------- events.ics


def _calendar(site: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical((site / "data" / "events.ics").read_bytes())


def test_calendar_day_events_are_all_day_and_year_events_left_out(real_site: Path, briefing) -> None:
    calendar = _calendar(real_site)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    by_precision = {p: [e for e in briefing.events if e.date.precision == p] for p in ("day", "month", "year")}
    assert len(events) == len(by_precision["day"]) + len(by_precision["month"])
    for event in by_precision["year"]:
        assert event.title not in events
    for event in by_precision["day"]:
        entry = events[event.title]
        start, end = entry.decoded("DTSTART"), entry.decoded("DTEND")
        assert type(start) is dt.date and type(end) is dt.date  # all-day: dates, not date-times
        assert start.isoformat() == event.date.iso() and end - start == dt.timedelta(days=1)
        assert entry.get("DTSTART").params.get("VALUE") == "DATE"
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert len(set(uids)) == len(uids)
    assert all(e["URL"].startswith("https://") for e in calendar.walk("VEVENT"))


def test_calendar_month_events_span_their_month(other_site: Path, other) -> None:
    events = {str(e["SUMMARY"]): e for e in _calendar(other_site).walk("VEVENT")}
    assert len(events) == len(other.events) == 5
    for event in other.events:
        entry = events[event.title]
        start, end = entry.decoded("DTSTART"), entry.decoded("DTEND")
        assert (start.year, start.month, start.day) == (event.date.year, event.date.month, 1)
        assert end == (start + dt.timedelta(days=32)).replace(day=1)
        assert "the exact day is not known" in str(entry["DESCRIPTION"])
    assert "URL" not in events[other.events[0].title], "no site_url: no absolute link to invent"


def test_calendar_uids_do_not_depend_on_other_events(briefing) -> None:
    from dataclasses import replace

    def uids(b) -> dict[str, str]:
        calendar = icalendar.Calendar.from_ical(render_data(b)["data/events.ics"])
        return {str(e["SUMMARY"]): str(e["UID"]) for e in calendar.walk("VEVENT")}

    fewer = replace(briefing, events=briefing.events[1:])
    before, after = uids(briefing), uids(fewer)
    assert after and all(before[title] == uid for title, uid in after.items())


def _icalendar_reference(b, site_url: str | None) -> bytes:
    """events.ics as the icalendar library writes it: the calendar built with its API.

    This was site-gen's own code until the file was written line by line for speed; the
    ``NAME`` and ``X-WR-*`` are given as TEXT (the library writes a property it does not know
    verbatim, so a comma or semicolon in the briefing's title would not be escaped)."""
    from icalendar import Event as CalendarEvent
    from icalendar import vText

    from site_gen import __version__
    from site_gen.render.data import Site, last_changed, period, plain, timestamp
    from site_gen.render.pages import Context, source_label

    c, site = Context(b), Site(b, site_url)
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//site-gen//site-gen {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = f"{b.meta.title}: events"
    description = ("Events of the briefing. An event known only to the month spans the whole month; "
                   "an event known only to the year is left out (see the timeline).")
    calendar.add("name", vText(name))
    calendar.add("x-wr-calname", vText(name))
    calendar.add("description", description)
    calendar.add("x-wr-caldesc", vText(description))
    stamp = timestamp(last_changed(b))
    for event in c.events_sorted:
        if event.date.precision == "year":
            continue
        start, after = period(event.date)
        when = c.date(event.date) + (f" ({event.date_note})" if event.date_note else "")
        if event.date.precision == "month":
            when += "; the exact day is not known"
        lines = [plain(event.summary)] if event.summary else []
        lines.append(f"When: {when}")
        if event.people:
            lines.append("Who: " + ", ".join(b.person_by_id[p].name for p in event.people))
        lines.append("Sources: " + ", ".join(source_label(b.source_by_id[s], b) for s in event.sources))
        entry = CalendarEvent()
        entry.add("uid", site.uuid(f"event/{event.id}"))
        entry.add("dtstamp", stamp)
        entry.add("dtstart", start)
        entry.add("dtend", after)
        entry.add("summary", event.title)
        entry.add("description", "\n\n".join(lines))
        if event.location:
            entry.add("location", event.location)
        if event.topics:
            entry.add("categories", [b.topic_by_id[t].name for t in event.topics])
        if site.url:
            entry.add("url", site.record("event", event.id))
        entry.add("transp", "TRANSPARENT")
        calendar.add_component(entry)
    return calendar.to_ical()


def test_calendar_is_byte_for_byte_what_icalendar_writes(briefing, other) -> None:
    """events.ics is written line by line (render/data.py); the bytes must be the library's own
    ``Calendar.to_ical()`` for the same calendar, with and without a site address."""
    from dataclasses import replace

    from site_gen.render.data import Site, events_ics
    from site_gen.render.pages import Context

    site_url = "https://briefing.example.org/trump-mamdani/"
    odd_title = replace(other, meta=other.meta.model_copy(update={"title": "Tram, bus; and C:\\Old"}))
    for b in (briefing, other, odd_title):
        for address in (None, site_url):
            ours = events_ics(Context(b), Site(b, address))
            assert ours == _icalendar_reference(b, address)
    assert b"URL:https://briefing.example.org/trump-mamdani/timeline/#event-" in ours


def test_ical_text_and_folding_match_icalendar_on_random_lines() -> None:
    """Escaping and folding agree with icalendar's vText and Contentline at every fold boundary,
    escape character and multi-byte character, and icalendar reads every value back as written
    (even ``C:\\New``, whose ``\\N`` icalendar's own escaping would turn into a line break)."""
    import random

    from icalendar import vText
    from icalendar.parser import Contentline

    from site_gen.render.data import fold_ical_line, ical_text

    rng = random.Random(5545)
    alphabet = "ab ,;:\\^\"\nN\ré€😀"
    for _ in range(20_000):
        length = rng.choice((rng.randint(0, 80), rng.randint(70, 500)))
        characters = alphabet[:8] if rng.random() < 0.5 else alphabet
        value = "".join(rng.choice(characters) for _ in range(length))
        escaped = ical_text(value)
        if "\\N" not in value:  # icalendar turns the two characters \N into a line break
            assert escaped == vText(value).to_ical().decode("utf-8"), value
        line = "DESCRIPTION:" + escaped
        folded = fold_ical_line(line)
        assert folded.encode("utf-8") == Contentline(line).to_ical(), line
        read_back = icalendar.Calendar.from_ical(f"BEGIN:VCALENDAR\r\n{folded}\r\nEND:VCALENDAR\r\n")
        assert str(read_back["DESCRIPTION"]) == value.replace("\r\n", "\n").replace("\r", "\n"), value


def test_briefing_json_is_what_json_dumps_writes(briefing, other) -> None:
    """briefing.json is written with pydantic's encoder (render/data.py); its bytes must stay
    those of ``json.dumps(indent=2, ensure_ascii=False)``, for any text."""
    import pydantic_core

    for b in (briefing, other):
        written = render_data(b)["data/briefing.json"]
        assert written == (json.dumps(json.loads(written), indent=2, ensure_ascii=False) + "\n").encode()
        # ... and it holds what model_dump(mode="json") gives for every record, in file order
        dumped = {"briefing": b.meta.model_dump(mode="json"),
                  **{section: [r.model_dump(mode="json") for r in getattr(b, section)]
                     for section in ("sources", "people", "topics", "events", "figures", "quotes", "faq", "updates")}}
        # (an amount with a fraction is written as its exact digits: read it back as Decimal)
        assert json.loads(written, parse_float=Decimal) == unmark(dumped)
        assert list(json.loads(written)) == list(dumped)
    text = "".join(chr(i) for i in range(0x3000)) + "\U0001f600\u2028\u2029"
    value = {"text": text, "empty": [[], {}, ""], "numbers": [0, -1, 10**40], "flags": [True, False, None]}
    assert pydantic_core.to_json(value, indent=2) == json.dumps(value, indent=2, ensure_ascii=False).encode()


# --------------------------------------------------------------------------- updates feed


def test_feed_is_valid_atom(real_site: Path, briefing) -> None:
    raw = (real_site / "feed.xml").read_bytes()
    root = lxml.etree.fromstring(raw)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title.endswith("updates and corrections")
    assert len(feed.entries) == len(briefing.updates)
    for entry in feed.entries:
        assert entry.id.startswith("urn:uuid:")
        assert entry.link.startswith("https://briefing.example.org/trump-mamdani/updates/#update-")
        assert entry.updated_parsed and entry.content[0].value
    assert any(link.rel == "self" and link.href == "https://briefing.example.org/trump-mamdani/feed.xml" for link in feed.feed.links)


def test_feed_of_other_story_lists_corrections_newest_first(other_site: Path, other) -> None:
    feed = feedparser.parse((other_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    titles = [e.title for e in feed.entries]
    assert len(titles) == 3
    assert titles[0].startswith("Update, May 2031") and titles[1].startswith("Correction, May 2031")
    assert titles[2].startswith("Update, April 2031")
    correction = feed.entries[1]
    assert [t.term for t in correction.tags] == ["correction"]
    assert "€35 million" in correction.content[0].value
    assert "Tram depot" in correction.content[0].value
    # no site_url: links are relative to the feed (feed.xml, at the site root)
    assert correction.link.startswith("updates/#update-")
    assert feed.feed.updated.startswith("2031-05-01")


def test_feed_entry_ids_are_stable(briefing) -> None:
    """Adding, removing or reordering other updates never changes an entry's id."""
    from dataclasses import replace

    def ids(b) -> list[str]:
        feed = feedparser.parse(render_data(b, "https://example.org/b/")["feed.xml"])
        return [e.id for e in feed.entries]

    other_update = Update.model_validate({"date": "2027-01-05", "kind": "correction",
                                          "summary": "Corrected a date.", "items": []}, strict=True)
    before = ids(briefing)
    with_new = ids(replace(briefing, updates=(other_update, *briefing.updates)))
    assert set(before) < set(with_new) and len(with_new) == len(before) + 1
    assert ids(replace(briefing, updates=tuple(reversed((*briefing.updates, other_update))))) == with_new
    assert ids(briefing) == before


def test_feed_timestamps_come_from_the_briefing_not_the_clock(briefing) -> None:
    feed = feedparser.parse(render_data(briefing)["feed.xml"])
    latest = max(u.date for u in briefing.updates)
    assert feed.feed.updated.startswith(latest.iso())
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", feed.feed.id)


def test_data_files_at_the_edges_of_the_calendar(other) -> None:
    """Dates at the end of year 9999 and text full of markup characters still give valid files."""
    from dataclasses import replace

    from site_gen.model import PartialDate

    edge = [e.model_copy(update={"date": date}) for e, date in
            zip(other.events, (PartialDate(9999, 12, 31), PartialDate(9999, 12), PartialDate(9999),
                               PartialDate(1000, 1, 1)))]
    odd = Update.model_validate({"date": "9999-12-31", "kind": "correction", "items": ["depot"],
                                 "summary": 'A 5 < 6 & "quoted" ]]> *claim* [link](https://example.org/?a=1&b=2)'},
                                strict=True)
    files = render_data(replace(other, events=tuple(edge), updates=(*other.updates, odd)))
    feed = feedparser.parse(files["feed.xml"])
    assert not feed.bozo, feed.get("bozo_exception")
    assert '5 &lt; 6 &amp; "quoted" ]]&gt; <em>claim</em>' in feed.entries[0].content[0].value
    calendar = icalendar.Calendar.from_ical(files["data/events.ics"])
    assert len(list(calendar.walk("VEVENT"))) == 3  # the year-only event is left out
    json.loads(files["data/briefing.json"])


def test_funding_csv_cells_are_never_spreadsheet_formulas() -> None:
    from site_gen.render.data import _spreadsheet_safe

    assert _spreadsheet_safe("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert _spreadsheet_safe("+1") == "'+1" and _spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert _spreadsheet_safe("-5") == "'-5"
    assert _spreadsheet_safe("Gateway") == "Gateway" and _spreadsheet_safe("") == ""
