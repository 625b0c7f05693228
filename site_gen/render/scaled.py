"""The layout of a large briefing: each section spread over a bounded number of pages.

A briefing that runs for months grows to thousands of records. MkDocs spends time on every
page and on every kilobyte of Markdown, Material renders the navigation on every page, and a
browser has to load whatever one page holds. So above ``LARGE_BRIEFING`` records:

* the timeline has one page per month (``timeline/2025-11.md``; an event known only to the year
  goes on ``timeline/2025.md``);
* quotes, people, topics and sources have one page per initial letter (``quotes/m.md`` holds the
  speakers whose name starts with M), so there are at most 28 pages each and a record's address
  changes only when its name does;
* funding figures have one page per status (``funding/frozen.md``);
* the top-level pages (``timeline.md``, ``quotes.md``, …) become short indexes that link to those
  pages, so the navigation keeps its ten entries at any size;
* the one-page "full briefing" becomes a bounded printable summary that links to the section
  pages instead of repeating every record (printing everything would be hundreds of pages).

Below the threshold, such as the first briefing, every section stays on one page
(``pages.render_pages``). Each record is rendered by the same block functions either way.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from ..i18n import N_
from ..model import Briefing, Event, Figure, PartialDate, Person, Source, Topic
from . import markup as m
from .chart import Bar
from .pages import (
    PAGES,
    STATUS_LABELS,
    Context,
    Links,
    _join,
    chart,
    event_line,
    faq_block,
    figure_block,
    home,
    person_block,
    quotes_section,
    section_counts,
    sources_section,
    timeline,
    topics_section,
    total_line,
    totals,
    updates_page,
)
from .search import with_search_meta

# Events, quotes and figures together above which a briefing is spread over many pages.
LARGE_BRIEFING = 500
LATEST = 10        # latest events on the timeline index and the summary page
CHART_BARS = 20    # largest figures drawn in the funding overview chart

SECTION_FOLDERS = ("timeline", "quotes", "people", "topics", "sources", "funding")


def is_large(b: Briefing) -> bool:
    return len(b.events) + len(b.quotes) + len(b.figures) > LARGE_BRIEFING


def initial(name: str) -> str:
    """The letter page a name is listed on: ``a``–``z``, ``0-9`` or ``other``."""
    first = unicodedata.normalize("NFKD", name.strip())[:1].casefold()
    if "a" <= first <= "z":
        return first
    if first.isdigit():
        return "0-9"
    return "other"


def _letter_title(c: Context, letter: str) -> str:
    return {"0-9": "0–9", "other": c._("Other")}.get(letter, letter.upper())


def month_slug(date: PartialDate) -> str:
    return f"{date.year:04d}-{date.month:02d}" if date.month else f"{date.year:04d}"


def _source_name(s: Source) -> str:
    return s.outlet or s.title


class Layout:
    """Which page each record is on."""

    def __init__(self, b: Briefing):
        self.event = {e.id: f"timeline/{month_slug(e.date)}.md" for e in b.events}
        self.person = {p.id: f"people/{initial(p.name)}.md" for p in b.people}
        self.quote = {q.id: f"quotes/{initial(b.person_by_id[q.speaker].name)}.md" for q in b.quotes}
        self.topic = {t.id: f"topics/{initial(t.name)}.md" for t in b.topics}
        self.source = {s.id: f"sources/{initial(_source_name(s))}.md" for s in b.sources}
        self.figure = {f.id: f"funding/{f.status}.md" for f in b.figures}
        self._by_kind: dict[str, dict[str, str]] = {
            "event": self.event, "person": self.person, "quote": self.quote, "topic": self.topic,
            "source": self.source, "figure": self.figure}

    def __call__(self, kind: str, record_id: str) -> str:
        if kind == "faq":
            return "faq.md"
        return self._by_kind[kind][record_id]


def _grouped(items: Iterable, key) -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return dict(sorted(groups.items()))


def _page(c: Context, home_path: str, link: Links, title: str, description: str, *parts: str) -> str:
    text = _join([m.front_matter(title=title, description=description), *parts]) + c.footer(link)
    return with_search_meta(home_path, text.rstrip("\n") + "\n")


def _letter_nav(c: Context, letters: Iterable[str], folder: str, up: str, current: str | None = None) -> str:
    """"A · B · C …": links to every letter page of a section."""
    items = []
    for letter in letters:
        label = _letter_title(c, letter)
        items.append(f"**{label}**" if letter == current else f"[{label}]({up}{folder}/{letter}.md)")
    return " · ".join(items)


def _excluded(heading: str) -> str:
    """A heading whose section only repeats names from elsewhere: kept out of the search index."""
    return heading.replace(" }", " data-search-exclude }", 1)


# --------------------------------------------------------------------------- sections


def _timeline_pages(c: Context, out: dict[str, str]) -> None:
    b = c.b
    months = _grouped(c.events_sorted, lambda e: month_slug(e.date))
    sub = c.link("../")
    slugs = list(months)
    for index, (slug, events) in enumerate(months.items()):
        first: Event = events[0]
        heading = c.fmt.month(PartialDate(first.date.year, first.date.month))
        neighbours = []
        if index > 0:
            neighbours.append(f"← [{c.fmt.month(months[slugs[index - 1]][0].date)}]({slugs[index - 1]}.md)")
        neighbours.append(f"[{c._('All months')}](../timeline.md)")
        if index + 1 < len(slugs):
            neighbours.append(f"[{c.fmt.month(months[slugs[index + 1]][0].date)}]({slugs[index + 1]}.md) →")
        out[f"timeline/{slug}.md"] = _page(
            c, "timeline.md", sub, c.plain_("Timeline: {month}", month=heading),
            c.plain_("What happened in {month} in {title}, with sources.", month=heading, title=b.meta.title),
            "# " + c._("Timeline: {month}", month=heading),
            c.n_("{count} event, oldest first.", "{count} events, oldest first.", len(events)),
            " · ".join(neighbours),
            timeline(c, sub, level=2, events=events),
        )

    link = c.link()
    latest = sorted(b.events, key=lambda e: e.date.ordinal, reverse=True)[:LATEST]
    by_year: dict[int, list[str]] = defaultdict(list)
    for slug, events in months.items():
        first = events[0]
        label = c.fmt.month(PartialDate(first.date.year, first.date.month))
        by_year[first.date.year].append(f"[{label}](timeline/{slug}.md) ({len(events)})")
    span = ""
    if b.events:
        span = c.n_("{count} event from {first} to {last}, one page per month.",
                    "{count} events from {first} to {last}, one page per month.", len(b.events),
                    first=c.date(c.events_sorted[0].date), last=c.date(c.events_sorted[-1].date))
    out["timeline.md"] = _page(
        c, "timeline.md", link, c.plain_("Timeline"),
        c.plain_("Every event in {title}, month by month, with sources.", title=b.meta.title),
        f"# {c._('Timeline')}",
        span,
        _excluded(f"## {c._('Latest developments')} {{ #latest }}"),
        "\n".join(event_line(c, e, link) for e in latest),
        _excluded(f"## {c._('By month')} {{ #months }}"),
        "\n".join(f"- **{year}:** " + " · ".join(items) for year, items in sorted(by_year.items())),
    )


def _letter_section(c: Context, out: dict[str, str], *, folder: str, records: list, name, anchor_of,
                    title: str, all_label: str, description: str, intro: str, index_line,
                    render_letter) -> None:
    """An index page (``folder``.md) listing every record by letter, and one page per letter."""
    letters = _grouped(records, lambda r: initial(name(r)))
    sub = c.link("../")
    shown_title = c.plain_(title)
    for letter, members in letters.items():
        out[f"{folder}/{letter}.md"] = _page(
            c, f"{folder}.md", sub,
            c.plain_("{section}: {letter}", section=shown_title, letter=_letter_title(c, letter)), description,
            "# " + c._("{section}: {letter}", section=c._(title), letter=_letter_title(c, letter)),
            _letter_nav(c, letters, folder, "../", letter) + f" · [{c._(all_label)}](../{folder}.md)",
            render_letter(sub, members),
        )
    link = c.link()
    index = []
    for letter, members in letters.items():
        index.append(_excluded(f"## {_letter_title(c, letter)} {{ #letter-{letter} }}"))
        index.append("\n".join(f"- [{m.text(name(r))}]({folder}/{letter}.md#{anchor_of(r)})"
                               + index_line(r) for r in members))
    out[f"{folder}.md"] = _page(
        c, f"{folder}.md", link, shown_title, description,
        f"# {c._(title)}",
        intro,
        _letter_nav(c, letters, folder, ""),
        *index,
    )


def _quotes_pages(c: Context, out: dict[str, str]) -> None:
    b = c.b
    speakers = sorted((b.person_by_id[s] for s in c.quotes_by_speaker), key=lambda p: c.sort_key(p.name))

    def count(p: Person) -> str:
        return " — " + c.n_("{count} quote", "{count} quotes", len(c.quotes_by_speaker[p.id]))

    _letter_section(
        c, out, folder="quotes", records=speakers, name=lambda p: p.name, anchor_of=lambda p: f"speaker-{p.id}",
        title=PAGES["quotes.md"], all_label=N_("All quotes"),
        description=c.plain_("What was said in {title}, by speaker, with context and sources.", title=b.meta.title),
        intro=(c.n_("{count} quote", "{count} quotes", len(b.quotes)) + " "
               + c.n_("by {count} speaker, one page per initial.", "by {count} speakers, one page per initial.",
                      len(speakers)) + " "
               + c._("Direct quotes are the speaker's exact words; reported speech is marked as such.")),
        index_line=count,
        render_letter=lambda link, members: quotes_section(c, link, level=2, speakers=[p.id for p in members]),
    )


def _people_pages(c: Context, out: dict[str, str]) -> None:
    b = c.b
    ordered = sorted(b.people, key=lambda p: c.sort_key(p.name))

    def roles(p: Person) -> str:
        kind = c._("organisation") if p.kind == "organisation" else ""
        shown = "; ".join(m.text(r.title) for r in p.roles[:2]) or kind
        return f" — {shown}" if shown else ""

    _letter_section(
        c, out, folder="people", records=ordered, name=lambda p: p.name, anchor_of=lambda p: f"person-{p.id}",
        title=PAGES["people.md"], all_label=N_("All people & organisations"),
        description=c.plain_("Who is who in {title}: roles, quotes and events.", title=b.meta.title),
        intro=c.n_("{count} person or organisation, one page per initial.",
                   "{count} people and organisations, one page per initial.", len(b.people)),
        index_line=roles,
        render_letter=lambda link, members: _join(
            person_block(c, p, link)
            for p in sorted(members, key=lambda p: (p.kind != "person", c.sort_key(p.name)))),
    )


def _topics_pages(c: Context, out: dict[str, str]) -> None:
    b = c.b
    ordered = sorted(b.topics, key=lambda t: c.sort_key(t.name))

    def count(t: Topic) -> str:
        found = c.by_topic.get(t.id, {})
        return " — " + c.n_("{count} item", "{count} items", sum(len(v) for v in found.values()))

    _letter_section(
        c, out, folder="topics", records=ordered, name=lambda t: t.name, anchor_of=lambda t: f"topic-{t.id}",
        title=PAGES["topics.md"], all_label=N_("All topics"),
        description=c.plain_("The topics of {title} with their events, figures and quotes.", title=b.meta.title),
        intro=c.n_("{count} topic, one page per initial.", "{count} topics, one page per initial.", len(b.topics)),
        index_line=count,
        render_letter=lambda link, members: topics_section(c, link, level=2, topics=members),
    )


def _sources_pages(c: Context, out: dict[str, str]) -> None:
    b = c.b
    ordered = sorted(b.sources, key=lambda s: c.sort_key(_source_name(s)))

    def what(s: Source) -> str:
        shown = m.text(s.title) if s.outlet else ""
        return f": {shown}" if shown else ""

    _letter_section(
        c, out, folder="sources", records=ordered, name=_source_name, anchor_of=lambda s: f"source-{s.id}",
        title=PAGES["sources.md"], all_label=N_("All sources"),
        description=c.plain_("Every source behind {title}, with what cites it.", title=b.meta.title),
        intro=c.n_("Every event, figure and quote in this briefing cites this {count} source, listed by "
                   "outlet, one page per initial.",
                   "Every event, figure and quote in this briefing cites at least one of these {count} sources, "
                   "listed by outlet, one page per initial.", len(b.sources)),
        index_line=what,
        render_letter=lambda link, members: sources_section(c, link, level=2, sources=members),
    )


def _funding_pages(c: Context, out: dict[str, str]) -> None:
    b = c.b
    by_status = {status: [f for f in b.figures if f.status == status] for status in STATUS_LABELS}
    by_status = {status: figures for status, figures in by_status.items() if figures}
    sub = c.link("../")
    for status, figures in by_status.items():
        label = c.plain_(STATUS_LABELS[status])
        out[f"funding/{status}.md"] = _page(
            c, "funding.md", sub, c.plain_("Funding: {status}", status=label),
            c.plain_("Funding figures with the status {status} in {title}.", status=label, title=b.meta.title),
            "# " + c._("Funding: {status}", status=c._(STATUS_LABELS[status])),
            c.n_("{count} figure", "{count} figures", len(figures)) + f" · [{c._('All funding')}](../funding.md)",
            *(figure_block(c, f, sub, level=2) for f in figures),
        )

    link = c.link()
    total_lines = []
    for currency, money, count in totals(c):
        total_lines.append(f"- {total_line(c, money, currency, count)}")
    table = [f"| {c._('Status')} | {c._('Figures')} | {c._('Page')} |", "| --- | --- | --- |"]
    for status, figures in by_status.items():
        shown = c._(STATUS_LABELS[status])
        table.append(f"| {shown} | {c.fmt.number(len(figures))} | [{shown}](funding/{status}.md) |")
    charts = []
    for currency, _money, _count in totals(c):
        largest: list[Figure] = sorted(
            (f for f in b.figures if not f.part_of and (f.amount.currency or c.currency) == currency),
            key=lambda f: (-f.amount.value, f.id))[:CHART_BARS]
        bars = [Bar(f.id, f.label, f.amount.value, c.money_plain(f.amount)) for f in largest]
        charts.append(chart(
            c, currency, c.n_("The largest funding figure in {currency}",
                              "The {count} largest funding figures in {currency}", len(bars), currency=currency),
            c.plain_("Bar lengths are proportional to the amounts; only the largest separate figures are drawn."),
            bars))
    out["funding.md"] = _page(
        c, "funding.md", link, c.plain_("Funding"), c.plain_("The money at stake in {title}.", title=b.meta.title),
        f"# {c._('Funding')}",
        c.n_("{count} funding figure, one page per status.", "{count} funding figures, one page per status.",
             len(b.figures)),
        _excluded(f"## {c._('By status')} {{ #funding-status }}"),
        "\n".join(table),
        f"## {c._('Totals')} {{ #funding-totals }}",
        c._("The total adds up separate figures only; a figure that is part of another is never counted "
            "twice. The totals are computed by this briefing, not quoted from a source."),
        "\n".join(total_lines),
        f"## {c._('Largest figures')} {{ #funding-chart }}",
        "\n\n".join(charts),
    )


def _full_briefing(c: Context) -> str:
    """The printable summary that stands in for the one-page briefing of a small briefing."""
    b = c.b
    link = c.link()
    records = len(b.events) + len(b.quotes) + len(b.figures)
    latest = sorted(b.events, key=lambda e: e.date.ordinal, reverse=True)[:LATEST]
    key = [b.figure_by_id[i] for i in b.meta.key_figures] or list(b.figures[:3])
    months = _grouped(c.events_sorted, lambda e: month_slug(e.date))
    counts = section_counts(c)
    sections = [(page, counts[page]) for page in
                ("quotes.md", "funding.md", "people.md", "topics.md", "faq.md", "sources.md", "updates.md")]
    text = _join([
        m.front_matter(title=c.plain_("Full briefing: {title}", title=b.meta.title),
                       description=c.plain_("A printable summary of the briefing, with links to every section.")),
        "# " + c._("{title}: the briefing in brief", title=m.text(b.meta.title)),
        f"**{m.text(b.meta.tagline)}**" if b.meta.tagline else "",
        " ".join(m.inline(s) for s in b.meta.summary),
        c.n_("This briefing holds {count} event, quote or funding figure: too many to print on one page. "
             "This page summarises it; every month of the timeline and every section page prints on its own.",
             "This briefing holds {count} events, quotes and funding figures: too many to print on one page. "
             "This page summarises it; every month of the timeline and every section page prints on its own.",
             records),
        f"## {c._('Key figures')} {{ #key-figures }}",
        "\n".join(f"- **{c.money(f.amount)}** — [{m.text(f.label)}]({link('figure', f.id)}) "
                  f"({c._(STATUS_LABELS[f.status])})" for f in key),
        "\n".join("- " + c.n_("Total in {currency}: {amount} across {count} separate figure",
                               "Total in {currency}: {amount} across {count} separate figures", count,
                               currency=currency, amount=f"**{c.money(money)}**")
                  for currency, money, count in totals(c)),
        f"## {c._('Latest developments')} {{ #latest }}",
        "\n".join(event_line(c, e, link) for e in latest),
        f"## {c._('The timeline, month by month')} {{ #months }}",
        "\n".join(f"- [{c.fmt.month(PartialDate(ev[0].date.year, ev[0].date.month))}]"
                  f"(timeline/{slug}.md) — " + c.n_("{count} event", "{count} events", len(ev))
                  for slug, ev in months.items()),
        f"## {c._('Every section')} {{ #sections }}",
        "\n".join(f"- [{c._(PAGES[path])}]({path}) — {count}" for path, count in sections),
    ]) + c.footer(link)
    return with_search_meta("full-briefing.md", text.rstrip("\n") + "\n")


def render_large(b: Briefing) -> dict[str, str]:
    """Every page of a large briefing: ``{relative path: Markdown}``."""
    layout = Layout(b)
    c = Context(b, where=layout)
    c.full_briefing_blurb = c._("a printable summary with links to every section")
    c.index_bodies = False
    link = c.link()
    out = {
        "index.md": with_search_meta("index.md", home(c).rstrip("\n") + "\n"),
        # FAQ and updates stay on one page each: they grow with editors' work, not with the news.
        "faq.md": _page(c, "faq.md", link, c.plain_("FAQ"),
                        c.plain_("Questions and answers about {title}.", title=b.meta.title),
                        f"# {c._('Frequently asked questions')}", *(faq_block(c, entry, link) for entry in b.faq)),
        "updates.md": with_search_meta("updates.md", updates_page(c).rstrip("\n") + "\n"),
    }
    _timeline_pages(c, out)
    _funding_pages(c, out)
    _quotes_pages(c, out)
    _people_pages(c, out)
    _topics_pages(c, out)
    _sources_pages(c, out)
    out["full-briefing.md"] = _full_briefing(c)
    return dict(sorted(out.items()))
