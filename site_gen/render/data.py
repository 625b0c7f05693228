"""Stage 3 — render the data behind the pages: Briefing -> {path: bytes}; pure and deterministic.

The files land in ``docs/`` next to the generated pages, so MkDocs publishes them in ``site/``
and ``mkdocs serve`` serves them:

* ``briefing.json`` — the validated model, one key per content section (``model_dump``);
* ``funding.csv`` — one row per funding figure (``csv``);
* ``events.ics`` — the timeline as an iCalendar file (RFC 5545, as ``icalendar`` writes it). A day-precision event is an
  all-day event; a month-precision event is an all-day event spanning the whole month; a
  year-precision event has no useful place in a calendar and is left out (it stays in
  ``briefing.json`` and on the Timeline);
* ``feed.xml`` (at the site root) — updates and corrections as an Atom feed (``feedgen``).

Nothing here reads the clock: every timestamp comes from the briefing's own dates, so the same
content always gives byte-identical files.

Identifiers stay stable across builds. A feed entry's id is derived from the briefing's address
(``site_url``, or its title when there is none) and the update's date, kind, summary and items
(two corrections worded alike about different records differ; updates identical in all four are
numbered in file order), so adding, removing or reordering other updates never changes it. Once published, an update is
not rewritten: a further correction is recorded instead, as newsrooms do. A calendar event's
UID is derived from the briefing's address and the event id.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import uuid
from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import urljoin

import pydantic_core

from .. import __version__, inline
from ..amounts import exact_json_numbers
from ..model import Briefing, Event, PartialDate, Update
from ..textsafe import xml_text
from . import markup as m
from .pages import FEED, HOME, Context, anchor, source_label

BRIEFING_JSON = "data/briefing.json"
FUNDING_CSV = "data/funding.csv"
EVENTS_ICS = "data/events.ics"
UPDATES_FEED = FEED

FUNDING_COLUMNS = (
    "id", "label", "amount", "currency", "approximate", "amount_text", "status", "status_note",
    "counted_in_total", "part_of", "date", "projects", "people", "topics", "events", "sources",
    "description",
)
LIST_SEPARATOR = "; "



def render_data(b: Briefing, site_url: str | None = None) -> dict[str, bytes]:
    """The published data files of the briefing, keyed by their path under docs/."""
    c = Context(b)
    site = Site(b, site_url)
    return {
        BRIEFING_JSON: briefing_json(b),
        FUNDING_CSV: funding_csv(c),
        EVENTS_ICS: events_ics(c, site),
        UPDATES_FEED: updates_feed(c, site),
    }


class Site:
    """Where the briefing is published: absolute links when ``site_url`` is known."""

    def __init__(self, b: Briefing, site_url: str | None):
        self.url = (site_url.rstrip("/") + "/") if site_url else None
        self.identity = self.url or f"site-gen:{b.meta.title}"

    def uuid(self, name: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.identity}#{name}"))

    def page(self, page_path: str, fragment: str = "", *, linked_from: str = UPDATES_FEED) -> str:
        """Link to a page (MkDocs directory URLs): absolute, else relative to ``linked_from``."""
        directory = "" if page_path == "index.md" else page_path.removesuffix(".md") + "/"
        target = directory + (f"#{fragment}" if fragment else "")
        # self.url ends with "/" and target is a relative path of site-gen's own pages (no "..",
        # no leading "/"): joining is concatenating, and urljoin would parse both every time.
        return self.url + target if self.url else "../" * linked_from.count("/") + target

    def record(self, kind: str, record_id: str) -> str:
        return self.page(HOME[kind][0], anchor(kind, record_id))


# --------------------------------------------------------------------------- helpers


def plain(inline_markdown: str) -> str:
    """Inline Markdown as plain text: ``[label](url)`` -> ``label (url)``, emphasis markers and
    escapes dropped (parsed as the pages parse it: ``site_gen/inline.py``; underscores in words
    and addresses stay)."""
    return inline.plain(inline.parse(inline_markdown), with_urls=True)


def period(date: PartialDate) -> tuple[dt.date, dt.date]:
    """First day of the date's period and the first day after it (day, month or year).

    The end of year 9999 has no day after it in Python; the period then ends on its last day.
    """
    start = dt.date(date.year, date.month or 1, date.day or 1)
    try:
        if date.precision == "day":
            return start, start + dt.timedelta(days=1)
        if date.precision == "month":
            return start, dt.date(date.year + date.month // 12, date.month % 12 + 1, 1)
        return start, dt.date(date.year + 1, 1, 1)
    except (OverflowError, ValueError):
        return start, dt.date.max


def timestamp(date: PartialDate) -> dt.datetime:
    """Midnight UTC at the start of the date's period (feeds and calendars need a full instant)."""
    return dt.datetime(date.year, date.month or 1, date.day or 1, tzinfo=dt.UTC)


def last_changed(b: Briefing) -> PartialDate:
    """The briefing's own notion of 'now': its latest update, else its latest dated record."""
    dates = [u.date for u in b.updates] or [
        *(e.date for e in b.events), *(q.date for q in b.quotes), *(s.date for s in b.sources if s.date)]
    return max(dates, default=PartialDate(1970, 1, 1))


def _amount_text(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def _joined(values: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(values)


# --------------------------------------------------------------------------- briefing.json


def briefing_json(b: Briefing) -> bytes:
    """The validated model, one key per content section, in the order of the content files."""
    data = {"briefing": b.meta, "sources": b.sources, "people": b.people, "topics": b.topics,
            "events": b.events, "figures": b.figures, "quotes": b.quotes, "faq": b.faq, "updates": b.updates}
    # pydantic's JSON encoder (Rust) serialises each model as ``model_dump(mode="json")`` would
    # and writes, for these plain values, exactly the bytes of json.dumps(dumped, indent=2,
    # ensure_ascii=False), several times faster: json.dumps with an indent uses its pure-Python
    # encoder. tests/test_data_downloads.py compares the two. Amounts with a fraction are
    # written as their exact digits, never through a float (``amounts.py``).
    return exact_json_numbers(pydantic_core.to_json(data, indent=2)) + b"\n"


# --------------------------------------------------------------------------- funding.csv


def funding_csv(c: Context) -> bytes:
    """One row per figure; lists are joined with '; ', amounts are exact decimal numbers."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FUNDING_COLUMNS)
    writer.writeheader()
    for f in c.b.figures:
        writer.writerow({key: _spreadsheet_safe(value) for key, value in {
            "id": f.id,
            "label": f.label,
            "amount": _amount_text(f.amount.value),
            "currency": f.amount.currency or c.currency,
            "approximate": "true" if f.amount.approximate else "false",
            "amount_text": c.money_plain(f.amount),
            "status": f.status,
            "status_note": f.status_note or "",
            "counted_in_total": "false" if f.part_of else "true",
            "part_of": f.part_of or "",
            "date": f.date.iso() if f.date else "",
            "projects": _joined(f.projects),
            "people": _joined(f.people),
            "topics": _joined(f.topics),
            "events": _joined(f.events),
            "sources": _joined(f.sources),
            "description": plain(f.description) if f.description else "",
        }.items()})
    return out.getvalue().encode("utf-8")


def _spreadsheet_safe(value: str) -> str:
    """Text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed with '."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# --------------------------------------------------------------------------- events.ics


def events_ics(c: Context, site: Site) -> bytes:
    """The timeline as an iCalendar file (RFC 5545), written line by line.

    The bytes are what ``icalendar`` 7 writes for the same calendar (``Calendar.to_ical()``:
    its property order, TEXT escaping and line folding), with the ``X-WR-*`` names escaped as
    TEXT too. Building the calendar through the library took 1.3 s CPU of a 10,000-record
    briefing's 4.6 s generation (property objects for 3,920 events, then a loop over every
    character to fold the lines); ``tests/test_data_downloads.py`` builds the same calendar with
    icalendar and compares the bytes, and parses the file back with it.
    """
    b = c.b
    name = ical_text(c.plain_("{title}: events", title=b.meta.title))
    description = ical_text(c.plain_(
        "Events of the briefing. An event known only to the month spans the whole month; "
        "an event known only to the year is left out (see the timeline)."))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:" + ical_text(f"-//site-gen//site-gen {__version__}//EN"),
        "CALSCALE:GREGORIAN",
        "DESCRIPTION:" + description,
        "X-WR-CALDESC:" + description,
        "NAME:" + name,
        "X-WR-CALNAME:" + name,
    ]
    stamp = "DTSTAMP:" + timestamp(last_changed(b)).strftime("%Y%m%dT%H%M%SZ")
    for event in c.events_sorted:
        if event.date.precision != "year":
            lines.extend(_calendar_event(c, site, event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold_ical_line(line) + "\r\n" for line in lines).encode("utf-8")


def ical_text(value: str) -> str:
    """A TEXT value escaped as RFC 5545, 3.3.11 says: backslash, semicolon and comma escaped,
    ``\\r\\n``, ``\\n`` or a lone ``\\r`` written ``\\n``.

    This is icalendar's escaping but for one step: icalendar first turns the two characters
    ``\\N`` into a line break, so text such as ``C:\\New`` would lose its backslash; here it
    stays text. (Six passes of ``str.replace`` in C are faster than one regular expression.)
    """
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _ical_date(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


_FOLD_WIDTH = 74  # icalendar starts a new line before the 75th octet
_FOLD_KEEP_WITH_NEXT = frozenset(b"\\^")  # an escape character is never left at the end of a folded line


def fold_ical_line(line: str) -> str:
    """A content line folded as icalendar 7 folds it (RFC 5545, 3.1).

    Every piece holds at most 74 octets of UTF-8 and never ends inside a character; a piece that
    would end on ``\\`` or ``^`` leaves it to the next one (icalendar issue #1501). The pieces
    are joined by CRLF and a space.
    """
    if len(line) <= _FOLD_WIDTH and line.isascii():
        return line
    data = line.encode("utf-8")
    parts = []
    start = 0
    while len(data) - start > _FOLD_WIDTH:
        end = start + _FOLD_WIDTH
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: do not split the character
            end -= 1
        if data[end - 1] in _FOLD_KEEP_WITH_NEXT and end - 1 > start:
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode("utf-8")


def _calendar_event(c: Context, site: Site, event: Event, stamp: str) -> list[str]:
    start, after = period(event.date)
    when = c.date(event.date) + (f" ({event.date_note})" if event.date_note else "")
    if event.date.precision == "month":
        when += c.plain_("; the exact day is not known")
    description = [plain(event.summary)] if event.summary else []
    description.append(f"{c.plain_('When:')} {when}")
    if event.people:
        description.append(f"{c.plain_('Who:')} " + ", ".join(c.b.person_by_id[p].name for p in event.people))
    description.append(f"{c.plain_('Sources:')} " + ", ".join(
        source_label(c.b.source_by_id[s], c.b, c.plain) for s in event.sources))
    # icalendar's order: SUMMARY, DTSTART, DTEND, DTSTAMP, UID, then the others alphabetically.
    lines = [
        "BEGIN:VEVENT",
        "SUMMARY:" + ical_text(event.title),
        "DTSTART;VALUE=DATE:" + _ical_date(start),
        "DTEND;VALUE=DATE:" + _ical_date(after),
        stamp,
        "UID:" + ical_text(site.uuid(f"event/{event.id}")),
    ]
    if event.topics:
        lines.append("CATEGORIES:" + ",".join(ical_text(c.b.topic_by_id[t].name) for t in event.topics))
    lines.append("DESCRIPTION:" + ical_text("\n\n".join(description)))
    if event.location:
        lines.append("LOCATION:" + ical_text(event.location))
    lines.append("TRANSP:TRANSPARENT")
    if site.url:
        lines.append("URL:" + site.record("event", event.id))
    lines.append("END:VEVENT")
    return lines


# --------------------------------------------------------------------------- feed.xml


def update_entry_id(site: Site, update: Update, occurrence: int = 1) -> str:
    """The Atom id of an update: from its date, kind, summary and the ids of the items it names
    (so two corrections worded alike but about different records differ). ``occurrence`` tells
    apart updates identical in all four (the second one written gets ``#2``)."""
    name = f"update/{update.date.iso()}/{update.kind}/{update.summary}"
    if update.items:
        name += "/items/" + ",".join(sorted(set(update.items)))
    if occurrence > 1:
        name += f"#{occurrence}"
    return "urn:uuid:" + site.uuid(name)


def update_entry_ids(site: Site, updates: Iterable[Update]) -> list[str]:
    """``update_entry_id`` of each update, in order, each one different."""
    seen: dict[str, int] = {}
    ids = []
    for update in updates:
        base = update_entry_id(site, update)
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else update_entry_id(site, update, seen[base]))
    return ids


def updates_feed(c: Context, site: Site) -> bytes:
    # Imported here: ``site-gen check`` of invalid content never renders, and these imports were a
    # tenth of its time at 10,000 records (bench/check_budget.py).
    from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

    b = c.b
    feed = FeedGenerator()
    feed.id("urn:uuid:" + site.uuid("updates"))
    feed.title(xml_text(c.plain_("{title}: updates and corrections", title=b.meta.title)))
    if b.meta.tagline:
        feed.subtitle(xml_text(b.meta.tagline))
    feed.author(name=xml_text(b.meta.title))
    feed.language(b.meta.language)
    feed.link(href=site.page("updates.md"), rel="alternate", type="text/html")
    feed.link(href=urljoin(site.url, UPDATES_FEED) if site.url else UPDATES_FEED.rsplit("/")[-1], rel="self",
              type="application/atom+xml")
    feed.updated(timestamp(last_changed(b)))
    records = _record_titles(c)
    entry_ids = update_entry_ids(site, b.updates)
    ordered = sorted(enumerate(b.updates), key=lambda pair: (pair[1].date.ordinal, pair[0]), reverse=True)
    for index, update in ordered:
        label = c.plain_("Correction") if update.kind == "correction" else c.plain_("Update")
        entry = feed.add_entry(order="append")
        entry.id(entry_ids[index])
        entry.title(xml_text(c.plain_("{kind}, {date}: {summary}", kind=label, date=c.date(update.date),
                                      summary=_shorten(plain(update.summary)))))
        entry.updated(timestamp(update.date))
        entry.published(timestamp(update.date))
        entry.link(href=site.page("updates.md", f"update-{index + 1}"), rel="alternate", type="text/html")
        entry.category(term=update.kind, label=label)
        entry.content(xml_text(_entry_html(site, update, records, c.plain_("Affected:"))), type="html")
    return feed.atom_str(pretty=True)


def _record_titles(c: Context) -> dict[str, tuple[str, str]]:
    b = c.b
    titles: dict[str, tuple[str, str]] = {}
    for kind, records, attribute in (("event", b.events, "title"), ("figure", b.figures, "label"),
                                     ("faq", b.faq, "question"), ("person", b.people, "name"),
                                     ("source", b.sources, "title"), ("topic", b.topics, "name")):
        for record in records:
            titles[record.id] = (kind, getattr(record, attribute))
    for q in b.quotes:
        titles[q.id] = ("quote", c.quote_title(q))
    return titles


def _shorten(text: str, limit: int = 100) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _entry_html(site: Site, update: Update, records: dict[str, tuple[str, str]], affected: str) -> str:
    import lxml.html  # type: ignore[import-untyped]  # (see updates_feed)
    import markdown  # type: ignore[import-untyped]

    # m.inline is the same escaping the pages use; re-serialising with lxml turns its numeric
    # character references back into plain characters, so feed readers get tidy HTML.
    fragments = lxml.html.fragments_fromstring(markdown.markdown(m.inline(xml_text(update.summary))))
    body = "".join(f if isinstance(f, str) else lxml.html.tostring(f, encoding="unicode") for f in fragments)
    if update.items:
        items = "".join(
            f'<li><a href="{html.escape(site.record(records[item][0], item))}">'
            f"{html.escape(xml_text(records[item][1]))}</a></li>"
            for item in update.items)
        body += f"\n<p>{html.escape(affected)}</p>\n<ul>{items}</ul>"
    return body
