"""Stage 3 — render: the validated Briefing -> {relative path: Markdown}. Pure and deterministic."""

from __future__ import annotations

import string
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from ..i18n import N_, Labels
from ..i18n.format import Formatter, collation_key
from ..model import (
    Briefing,
    Event,
    FaqEntry,
    Figure,
    Money,
    PartialDate,
    Person,
    Quote,
    Source,
    Topic,
)
from . import markup as m
from .chart import Bar, chart_block
from .search import amount_variants, with_search_meta

# The pages and their titles (in English: each is translated where it is shown, Context._).
PAGES = {
    "index.md": N_("Home"),
    "timeline.md": N_("Timeline"),
    "funding.md": N_("Funding"),
    "quotes.md": N_("Quotes"),
    "people.md": N_("People & organisations"),
    "topics.md": N_("Topics"),
    "faq.md": N_("FAQ"),
    "sources.md": N_("Sources"),
    "updates.md": N_("Updates"),
    "full-briefing.md": N_("Full briefing"),
}

STATUS_LABELS = {
    "at-stake": N_("At stake"),
    "frozen": N_("Frozen"),
    "promised": N_("Promised"),
    "released": N_("Released"),
    "requested": N_("Requested"),
    "other": N_("Other"),
}
SOURCE_KINDS = {
    "article": N_("Article"),
    "news-report": N_("News report"),
    "interview": N_("Interview"),
    "social-post": N_("Social media post"),
    "speech": N_("Speech"),
    "document": N_("Document"),
}

# The data files published next to the pages (rendered by ``render.data``): path -> (label, what it is).
DOWNLOADS = {
    "data/briefing.json": ("briefing.json", N_("the whole briefing as JSON: every event, figure, quote, "
                           "person, source and update, exactly as validated")),
    "data/funding.csv": ("funding.csv", N_("the funding figures as a spreadsheet (CSV, UTF-8)")),
    "data/events.ics": ("events.ics", N_("the timeline as a calendar (iCalendar); an event known only to "
                        "the month spans that month, one known only to the year is left out")),
    "feed.xml": (N_("Updates feed"), N_("every update and correction as an Atom feed")),
}
# The feed sits at the site root, not in data/: Material for MkDocs fetches sitemap.xml next to
# every <link rel="alternate"> (squidfunk/mkdocs-material#8576), which only exists at the root.
FEED = "feed.xml"

# Where each kind of record lives, and the anchor prefix that keeps ids unique on one page.
HOME = {
    "event": ("timeline.md", "event-"),
    "figure": ("funding.md", "figure-"),
    "quote": ("quotes.md", "quote-"),
    "faq": ("faq.md", "faq-"),
    "source": ("sources.md", "source-"),
    "person": ("people.md", "person-"),
    "topic": ("topics.md", "topic-"),
}


@dataclass(frozen=True)
class Links:
    """Builds link targets; on the one-page full briefing every target is a local anchor.

    A large briefing spreads each section over several pages (``render/scaled.py``): ``where``
    then names the page of each record, and ``up`` leads from a page in a sub-folder back to
    the top (``"../"``), so every link stays relative.
    """

    single_page: bool = False
    where: Callable[[str, str], str] | None = None
    up: str = ""

    def __call__(self, kind: str, record_id: str) -> str:
        page, prefix = HOME[kind]
        if self.single_page:
            return f"#{prefix}{record_id}"
        if self.where is not None:
            page = self.where(kind, record_id)
        return f"{self.up}{page}#{prefix}{record_id}"

    def page(self, path: str) -> str:
        return f"#{path.removesuffix('.md')}" if self.single_page else f"{self.up}{path}"


def anchor(kind: str, record_id: str) -> str:
    return f"{HOME[kind][1]}{record_id}"


class Context:
    """The briefing plus derived indexes shared by every page (computed once per render)."""

    def __init__(self, b: Briefing, where: Callable[[str, str], str] | None = None):
        self.b = b
        self.lang = b.meta.language
        self.currency = b.meta.currency
        # The words (site_gen/i18n: the language's catalog and the editor's labels) and the formats.
        # ``plain`` for text that is escaped where it is shown, ``labels`` (the editor's labels made
        # Markdown-safe) for text that goes into the Markdown as it is.
        self.plain = Labels(self.lang, b.meta.labels)
        self.labels = Labels(self.lang, {key: _safe(value) for key, value in b.meta.labels.items()})
        self.fmt = Formatter(self.lang)
        # The page of each record when the briefing is spread over many pages (render/scaled.py).
        self.where = where
        self.full_briefing_blurb = self._("everything on one printable page")
        self.index_bodies = True  # see body()
        # Formatting an amount with babel costs far more than looking it up (dates: markup.date), and a
        # large briefing shows the same few hundred dates and amounts thousands of times.
        self._money: dict[Money, str] = {}
        self._quote_titles: dict[str, str] = {}

    # The indexes below are built on first use (the data files need none of them).
    _INDEXES = frozenset({"quotes_by_speaker", "quotes_about", "quotes_by_event", "events_by_person",
                          "figures_by_person", "by_topic", "cited_by", "updates_by_item"})
    quotes_by_speaker: dict[str, list[Quote]]
    quotes_about: dict[str, list[Quote]]
    quotes_by_event: dict[str, list[Quote]]
    events_by_person: dict[str, list[Event]]
    figures_by_person: dict[str, list[Figure]]
    by_topic: dict[str, dict[str, list]]
    cited_by: dict[str, list[tuple[str, str, str]]]
    updates_by_item: dict[str, list]

    def __getattr__(self, name: str) -> Any:
        # Called only when an attribute is missing: once per index, before it is built.
        if name in Context._INDEXES:
            self._build_indexes()
            return self.__dict__[name]
        raise AttributeError(name)

    def _build_indexes(self) -> None:
        b = self.b
        self.quotes_by_speaker = defaultdict(list)
        self.quotes_about = defaultdict(list)
        self.quotes_by_event = defaultdict(list)
        self.events_by_person = defaultdict(list)
        self.figures_by_person = defaultdict(list)
        self.by_topic = defaultdict(lambda: defaultdict(list))
        self.cited_by = defaultdict(list)
        self.updates_by_item = defaultdict(list)

        # Ties keep the editor's file order: sorted() is stable.
        for q in sorted(b.quotes, key=lambda q: q.date.ordinal):
            self.quotes_by_speaker[q.speaker].append(q)
            for person_id in q.about:
                self.quotes_about[person_id].append(q)
            if q.event:
                self.quotes_by_event[q.event].append(q)
            for t in q.topics:
                self.by_topic[t]["quote"].append(q)
            if q.sources:
                cited = ("quote", q.id, self.quote_title(q))
                for s in q.sources:
                    self.cited_by[s].append(cited)
        for e in self.events_sorted:
            for p in e.people:
                self.events_by_person[p].append(e)
            for t in e.topics:
                self.by_topic[t]["event"].append(e)
            for s in e.sources:
                self.cited_by[s].append(("event", e.id, e.title))
        for f in b.figures:
            for p in f.people:
                self.figures_by_person[p].append(f)
            for t in f.topics:
                self.by_topic[t]["figure"].append(f)
            for s in f.sources:
                self.cited_by[s].append(("figure", f.id, f.label))
        for entry in b.faq:
            for t in entry.topics:
                self.by_topic[t]["faq"].append(entry)
            for s in entry.sources:
                self.cited_by[s].append(("faq", entry.id, entry.question))
        for person in b.people:
            for s in person.sources:
                self.cited_by[s].append(("person", person.id, person.name))
        for source in b.sources:
            for v in source.via:
                self.cited_by[v].append(("source", source.id, source.title))
        for u in b.updates:
            for item in u.items:
                self.updates_by_item[item].append(u)

    @cached_property
    def events_sorted(self) -> tuple[Event, ...]:
        """The events by date (ties in file order); sorted once per render, as the pages and the
        calendar each walk them."""
        return tuple(sorted(self.b.events, key=lambda e: e.date.ordinal))

    @property
    def last_updated(self) -> PartialDate | None:
        dates = [u.date for u in self.b.updates]
        return max(dates) if dates else None

    def body(self, parts: Iterable[str]) -> str:
        """A record's content below its heading.

        A large briefing (``render/scaled.py``) keeps it out of the search index, which then holds
        the headings only (titles, quotes, names, amounts): indexing every summary would make the
        index too big for a browser to load quickly. The page still shows everything.
        """
        text = _join(parts)
        if self.index_bodies or not text:
            return text
        # Not a <div>: Material's search parser matches elements by tag name only, so the </div> of an
        # admonition inside would end the exclusion early.
        return f'<section class="briefing-unindexed" data-search-exclude markdown="block">\n\n{text}\n\n</section>'

    def _(self, message: str, **values: object) -> str:
        """``message`` in the briefing's language, its ``{placeholders}`` filled with ``values``
        (already Markdown-safe)."""
        shown = self.labels.gettext(message)
        return shown.format(**values) if values else shown

    def plain_(self, message: str, **values: object) -> str:
        """``message`` as plain text (the editor's label as written), for text escaped where it is shown."""
        shown = self.plain.gettext(message)
        return shown.format(**values) if values else shown

    def n_(self, singular: str, plural: str, n: int, **values: object) -> str:
        """The plural form for ``n`` of a message with ``{count}`` (and other ``values``)."""
        return self.labels.ngettext(singular, plural, n).format(count=self.fmt.number(n), **values)

    def sort_key(self, name: str) -> tuple[str, str]:
        """Names in the order readers of the language expect (diacritics with their base letter)."""
        return collation_key(name)

    def quoted(self, markup: str) -> str:
        return self.fmt.quoted(markup)

    def link(self, up: str = "") -> Links:
        """The link builder for a page ``up`` levels below the top (``""`` or ``"../"``)."""
        return Links(where=self.where, up=up)

    def quote_title(self, q: Quote) -> str:
        """``_quote_title``, worked out once per quote (a quote is listed on several pages)."""
        title = self._quote_titles.get(q.id)
        if title is None:
            title = self._quote_titles[q.id] = _quote_title(q, self.b, self.plain, self.fmt)
        return title

    def date(self, value: PartialDate) -> str:
        return self.fmt.date(value)  # memoised by the formatter

    def time(self, value: PartialDate, note: str | None = None) -> str:
        shown = self.date(value)
        if note:
            shown += f" ({m.text(note)})"
        return f'<time datetime="{value.iso()}">{shown}</time>'

    def money(self, amount: Money) -> str:
        shown = self._money.get(amount)
        if shown is None:
            shown = self._money[amount] = money_text(amount, self.currency, self.labels, self.fmt)
        return shown

    def money_plain(self, amount: Money) -> str:
        """``money`` as plain text, for places that escape what they show (the chart)."""
        return money_text(amount, self.currency, self.plain, self.fmt)

    def sources(self, ids: Iterable[str], link: Links) -> str:
        items = []
        for source_id in ids:
            source = self.b.source_by_id[source_id]
            items.append(f"[{m.text(source_label(source, self.b, self.plain))}]({link('source', source_id)})")
        return f"**{self._('Sources:')}** " + ", ".join(items) if items else ""

    def person_link(self, person_id: str, link: Links) -> str:
        name = self.fmt.isolate(m.text(self.b.person_by_id[person_id].name))
        return f"[{name}]({link('person', person_id)})"

    def topic_link(self, topic_id: str, link: Links) -> str:
        return f"[{m.text(self.b.topic_by_id[topic_id].name)}]({link('topic', topic_id)})"

    def updated_note(self, record_id: str) -> str:
        """A boxed note on each record an update or correction names (corrections stand out)."""
        notes = []
        for u in self.updates_by_item.get(record_id, []):
            if u.kind == "correction":
                kind, label = "warning", self._("Correction {date}", date=self.date(u.date))
            else:
                kind, label = "note", self._("Updated {date}", date=self.date(u.date))
            title = m.text(label).replace('"', "&quot;")
            notes.append(f'!!! {kind} "{title}"\n\n    {m.inline(u.summary)}')
        return "\n\n".join(notes)

    def footer(self, link: Links) -> str:
        updated = self.last_updated
        if updated is None:
            return ""
        return ("\n\n---\n\n*" + self._("Last updated {date}", date=self.time(updated))
                + f" · [{self._('All updates')}]({link.page('updates.md')})*\n")


def _safe(value: str | list[str]) -> str | list[str]:
    """An editor's label, Markdown-safe but for its ``{placeholders}``."""
    if isinstance(value, list):
        return [str(_safe(v)) for v in value]
    return "".join(m.text_keep_space(literal) + (f"{{{field}}}" if field else "")
                   for literal, field, _spec, _conv in string.Formatter().parse(value))


def money_text(amount: Money, default_currency: str, labels: Labels, fmt: Formatter) -> str:
    """"about $18 billion" for approximate amounts; exact amounts as they are."""
    shown = fmt.money(amount, default_currency)
    return labels.gettext("about {amount}").format(amount=shown) if amount.approximate else shown


def source_label(source: Source, b: Briefing, labels: Labels | None = None) -> str:
    name = source.outlet or source.title
    if source.via:
        via = ", ".join(b.source_by_id[v].outlet or b.source_by_id[v].title for v in source.via)
        return (labels.gettext if labels else str)("{name} (via {via})").format(name=name, via=via)
    return name


def _quote_words(q: Quote, fmt: Formatter, max_words: int | None = None) -> str:
    """The quote itself: “exact words” for a direct quote, the paraphrase for reported speech."""
    words = q.text.split()
    shown = " ".join(words if max_words is None else words[:max_words])
    if max_words is not None and len(words) > max_words:
        shown += "…"
    return fmt.quoted(shown) if q.kind == "direct" else shown


def _quote_title(q: Quote, b: Briefing, labels: Labels, fmt: Formatter) -> str:
    """"Speaker: “exact words”": how a quote is named in lists on other pages."""
    speaker = b.person_by_id[q.speaker].name if q.speaker in b.person_by_id else q.speaker
    return labels.gettext("{speaker}: {quote}").format(speaker=speaker, quote=_quote_words(q, fmt))


def _quote_heading(c: Context, q: Quote, max_words: int | None = None) -> str:
    """A quote card's heading (Markdown-safe): the whole quote, so a search for any of its words
    finds the quote.

    The speaker is the section heading above it (and the attribution line below), so the
    heading does not repeat the name: a search for a name finds the person first. The words are
    escaped before the quotation marks go round them, which may hold spaces (« … » in French).
    """
    words = q.text.split()
    shown = " ".join(words if max_words is None else words[:max_words])
    if max_words is not None and len(words) > max_words:
        shown += "…"
    return c.quoted(m.text(shown)) if q.kind == "direct" else m.text(c.plain_("Reported: {quote}", quote=shown))


def _join(parts: Iterable[str], sep: str = "\n\n") -> str:
    return sep.join(p for p in parts if p)



# --------------------------------------------------------------------------- sections


def event_block(c: Context, e: Event, link: Links, level: int = 3) -> str:
    hashes = "#" * level
    meta = []
    # The date note stays out of the heading: the heading is what search results and the table
    # of contents show, and a note like "before the meeting of the 26th" must not read as the 26th.
    if e.date_note:
        meta.append(f"**{c._('When:')}** {m.text(e.date_note)}")
    if e.location:
        meta.append(f"**{c._('Where:')}** {m.text(e.location)}")
    if e.people:
        meta.append(f"**{c._('Who:')}** " + ", ".join(c.person_link(p, link) for p in e.people))
    if e.topics:
        meta.append(f"**{c._('Topics:')}** " + ", ".join(c.topic_link(t, link) for t in e.topics))
    quotes = [
        f"- [{m.text(c.quote_title(q))}]({link('quote', q.id)})" for q in c.quotes_by_event.get(e.id, [])
    ]
    return _join([
        (f"{hashes} {c.time(e.date)} — {m.text(e.title)}"
         f' {{ #{anchor("event", e.id)} data-toc-label="{m.text(e.title)}" }}'),
        c.body([
            m.inline(e.summary) if e.summary else "",
            "  \n".join(meta),
            (f"**{c._('Quotes from this event:')}**\n\n" + "\n".join(quotes)) if quotes else "",
            c.updated_note(e.id),
            c.sources(e.sources, link),
        ]),
    ])


def quote_block(c: Context, q: Quote, link: Links, level: int = 3) -> str:
    hashes = "#" * level
    kind = c._("Direct quote") if q.kind == "direct" else c._("Reported speech (not exact words)")
    attribution = [c.person_link(q.speaker, link)]
    if q.setting:
        attribution.append(m.text(q.setting))
    attribution.append(c.time(q.date, q.date_note))
    details = []
    if q.context:
        details.append(f"**{c._('Context:')}** {m.text(q.context)}")
    if q.about:
        details.append(f"**{c._('About:')}** " + ", ".join(c.person_link(p, link) for p in q.about))
    if q.event:
        event = c.b.event_by_id[q.event]
        details.append(f"**{c._('Event:')}** [{m.text(event.title)}]({link('event', event.id)})")
    if q.topics:
        details.append(f"**{c._('Topics:')}** " + ", ".join(c.topic_link(t, link) for t in q.topics))
    toc_label = _quote_heading(c, q, max_words=8)
    # A card: the heading is the quote (its own permalink and search result), then who said it,
    # when and where, what kind of quote it is, its context and its sources.
    return _join([
        f'<article class="briefing-quote briefing-quote--{q.kind}" markdown="block">',
        f'{hashes} {_quote_heading(c, q)} {{ #{anchor("quote", q.id)} data-toc-label="{toc_label}" }}',
        c.body([
            (f'<p class="briefing-quote__by" markdown="span">— {", ".join(attribution)}'
             f' · <span class="briefing-quote__kind">{kind}</span></p>'),
            "  \n".join(details),
            c.updated_note(q.id),
            c.sources(q.sources, link),
        ]),
        "</article>",
    ])


def figure_block(c: Context, f: Figure, link: Links, level: int = 2) -> str:
    hashes = "#" * level
    exact, *short = amount_variants(f.amount, c.currency, c.lang)
    spelled = c._("written out: {amount}", amount=m.text(exact)) + "".join(
        c._("; short: {amount}", amount=m.text(v)) for v in short)
    rows = [f"**{c._('Amount:')}** {c.money(f.amount)} ({spelled})",
            f"**{c._('Status:')}** {c._(STATUS_LABELS[f.status])}"
            + (f" — {m.text(f.status_note)}" if f.status_note else "")]
    if f.projects:
        rows.append(f"**{c._('Projects:')}** " + ", ".join(m.text(p) for p in f.projects))
    if f.part_of:
        parent = c.b.figure_by_id[f.part_of]
        rows.append(f"**{c._('Part of:')}** [{m.text(parent.label)}]({link('figure', parent.id)}) "
                    + c._("(not counted twice)"))
    if f.date:
        rows.append(f"**{c._('Date:')}** {c.time(f.date)}")
    if f.people:
        rows.append(f"**{c._('Who:')}** " + ", ".join(c.person_link(p, link) for p in f.people))
    if f.events:
        rows.append(f"**{c._('Events:')}** " + ", ".join(
            f"[{m.text(c.b.event_by_id[e].title)}]({link('event', e)})" for e in f.events))
    if f.topics:
        rows.append(f"**{c._('Topics:')}** " + ", ".join(c.topic_link(t, link) for t in f.topics))
    return _join([
        f"{hashes} {m.text(f.label)}: {c.money(f.amount)}"
        + (" — " + ", ".join(m.text(p) for p in f.projects) if f.projects else "")
        + f' {{ #{anchor("figure", f.id)} data-toc-label="{m.text(f.label)}: {c.money(f.amount)}" }}',
        c.body([
            m.inline(f.description) if f.description else "",
            "  \n".join(rows),
            c.updated_note(f.id),
            c.sources(f.sources, link),
        ]),
    ])


def faq_block(c: Context, entry: FaqEntry, link: Links, level: int = 2) -> str:
    hashes = "#" * level
    topics = (f"**{c._('Topics:')}** " + ", ".join(c.topic_link(t, link) for t in entry.topics)) if entry.topics else ""
    return _join([
        f"{hashes} {m.text(entry.question)} {{ #{anchor('faq', entry.id)} }}",
        m.inline(entry.answer),
        topics,
        c.updated_note(entry.id),
        c.sources(entry.sources, link),
    ])


def totals(c: Context) -> list[tuple[str, Money, int]]:
    """Sum of the figures per currency, leaving out any figure that is part of another."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    approx: dict[str, bool] = defaultdict(bool)
    counts: dict[str, int] = defaultdict(int)
    for f in c.b.figures:
        if f.part_of:
            continue
        currency = f.amount.currency or c.currency
        sums[currency] += f.amount.value
        approx[currency] |= f.amount.approximate
        counts[currency] += 1
    return [(cur, Money(value=sums[cur], currency=cur, approximate=approx[cur]), counts[cur])
            for cur in sorted(sums)]


def total_line(c: Context, money: Money, currency: str, count: int) -> str:
    """"**about $18 billion** in USD across 3 separate figures"."""
    return c.n_("{amount} in {currency} across {count} separate figure",
                "{amount} in {currency} across {count} separate figures", count,
                amount=f"**{c.money(money)}**", currency=currency)


def chart(c: Context, currency: str, title: str, caption: str, bars: list[Bar]) -> str:
    description = "; ".join(f"{bar.label}: {bar.value_label}" for bar in bars)
    return chart_block(
        f"funding-chart-{currency.lower()}", title,
        c.plain_("Horizontal bar chart, one bar per figure, bar length proportional to the amount. "
                 "{description}.", description=description),
        caption, bars, headers=(c.plain_("Figure"), c.plain_("Amount")),
        numbers=c._("{title}: the numbers", title=m.text(title)), rtl=c.fmt.rtl)


def funding_section(c: Context, link: Links, level: int = 2) -> str:
    figures = c.b.figures
    if not figures:
        return c._("No funding figures have been recorded yet.")
    hashes = "#" * level
    table = [f"| {c._('Figure')} | {c._('Amount')} | {c._('Status')} | {c._('Projects')} | {c._('Sources')} |",
             "| --- | --- | --- | --- | --- |"]
    for f in figures:
        table.append(
            f"| [{m.text(f.label)}]({link('figure', f.id)}) | {c.money(f.amount)} | {c._(STATUS_LABELS[f.status])} | "
            f"{', '.join(m.text(p) for p in f.projects) or '—'} | "
            + ", ".join(f"[{m.text(source_label(c.b.source_by_id[s], c.b, c.plain))}]({link('source', s)})"
                        for s in f.sources) + " |"
        )
    total_lines = []
    for currency, money, count in totals(c):
        excluded = sum(1 for f in figures if f.part_of and (f.amount.currency or c.currency) == currency)
        note = (" " + c.n_("({count} figure inside another not counted twice)",
                           "({count} figures inside another not counted twice)", excluded)) if excluded else ""
        total_lines.append(f"- {total_line(c, money, currency, count)}{note}")
    chart_parts = []
    for currency, _money, _count in totals(c):
        bars = [Bar(f.id, c.plain_("{label} (part of {parent})", label=f.label,
                                   parent=c.b.figure_by_id[f.part_of].label) if f.part_of else f.label,
                    f.amount.value, c.money_plain(f.amount))
                for f in figures if (f.amount.currency or c.currency) == currency]
        chart_parts.append(chart(
            c, currency, c.plain_("Funding figures in {currency}", currency=currency),
            c.plain_("Bar lengths are proportional to the amounts. Each figure is drawn on its own; a figure "
                     "that is part of another is not added to it."), bars))
    return _join([
        f"{hashes} {c._('Figures at a glance')} {{ #funding-table }}",
        "\n".join(table),
        f"{hashes} {c._('Totals')} {{ #funding-totals }}",
        c._("The total adds up separate figures only; a figure that is part of another is never counted "
            "twice. The totals are computed by this briefing, not quoted from a source."),
        "\n".join(total_lines),
        f"{hashes} {c._('Chart')} {{ #funding-chart }}",
        "\n\n".join(chart_parts),
    ])


def _record_list(items: Iterable[tuple[str, str, str]], link: Links) -> str:
    return "\n".join(f"- [{m.text(title)}]({link(kind, rid)})" for kind, rid, title in items)


def event_line(c: Context, e: Event, link: Links) -> str:
    """"- 21 November 2025 — [title](link)": an event in a list."""
    return f"- {c.time(e.date, e.date_note)} — [{m.text(e.title)}]({link('event', e.id)})"


# --------------------------------------------------------------------------- pages


def home(c: Context) -> str:
    link = c.link()
    b = c.b
    cards = []
    key = [b.figure_by_id[i] for i in b.meta.key_figures] or list(b.figures[:3])
    for f in key:
        cards.append(
            f"-   **{c.money(f.amount)}**\n\n    ---\n\n    {m.text(f.label)} — {c._(STATUS_LABELS[f.status])}\n\n"
            f"    [{c._('Details')}]({link('figure', f.id)})"
        )
    latest = sorted(b.events, key=lambda e: (e.date.ordinal, e.id), reverse=True)[:5]
    sections = [*section_counts(c).items(), ("full-briefing.md", c.full_briefing_blurb)]
    return _join([
        m.front_matter(title=b.meta.title, description=" ".join(m.plain(s) for s in b.meta.summary)),
        f"# {m.text(b.meta.title)}",
        f"**{m.text(b.meta.tagline)}**" if b.meta.tagline else "",
        f"## {c._('The story so far')} {{ #story }}",
        " ".join(m.inline(s) for s in b.meta.summary),
        f"## {c._('Key figures')} {{ #key-figures }}" if cards else "",
        ('<div class="grid cards" markdown>\n\n' + "\n\n".join(cards) + "\n\n</div>") if cards else "",
        f"## {c._('Latest developments')} {{ #latest }}",
        "\n".join(event_line(c, e, link) for e in latest),
        f"## {c._('In this briefing')} {{ #contents }}",
        "\n".join(f"- [{c._(PAGES[path])}]({path}) — {count}" for path, count in sections),
        downloads_section(c),
    ]) + c.footer(link)


def timeline(c: Context, link: Links | None = None, level: int = 2,
             events: Iterable[Event] | None = None) -> str:
    """Events by month; ``events`` (in date order) limits it to some of them, e.g. one month."""
    link = link or c.link()
    groups: dict[tuple[int, int], list[Event]] = defaultdict(list)
    for e in c.events_sorted if events is None else events:
        groups[(e.date.year, e.date.month)].append(e)
    parts = []
    for (year, month), month_events in groups.items():
        month_date = PartialDate(year, month)
        heading = c.fmt.month(month_date)
        slug = f"{year:04d}-{month:02d}" if month else f"{year:04d}"
        parts.append(f'{"#" * level} <time datetime="{month_date.iso()}">{heading}</time> {{ #month-{slug} }}')
        items = "\n\n".join(
            f'<li class="briefing-event" markdown="block">\n\n{event_block(c, e, link, level + 1)}\n\n</li>'
            for e in month_events)
        parts.append(f'<ol class="briefing-timeline" markdown="block">\n\n{items}\n\n</ol>')
    return _join(parts)


def quotes_section(c: Context, link: Links, level: int = 2, speakers: Iterable[str] | None = None) -> str:
    """Quotes by speaker; ``speakers`` (ids, in order) limits it to some of them."""
    parts = []
    if speakers is None:
        speakers = sorted(c.quotes_by_speaker, key=lambda p: c.sort_key(c.b.person_by_id[p].name))
    for speaker in speakers:
        person = c.b.person_by_id[speaker]
        parts.append(f"{'#' * level} {m.text(person.name)} {{ #speaker-{speaker} }}")
        parts.extend(quote_block(c, q, link, level + 1) for q in c.quotes_by_speaker[speaker])
    return _join(parts) or c._("No quotes have been recorded yet.")


def person_block(c: Context, p: Person, link: Links, level: int = 2) -> str:
    h, sub = "#" * level, "#" * (level + 1)
    roles = [m.text(r.title) + (f" ({c.date(r.date)})" if r.date else "") for r in p.roles]
    quotes = [(q, "quote") for q in c.quotes_by_speaker.get(p.id, [])]
    about = c.quotes_about.get(p.id, [])
    events = c.events_by_person.get(p.id, [])
    figures = c.figures_by_person.get(p.id, [])
    kind = c._("Organisation") if p.kind == "organisation" else c._("Person")
    name = m.text(p.name)
    return _join([
        f"{h} {name}" + (" — " + "; ".join(m.text(r.title) for r in p.roles) if p.roles else "")
        + f' {{ #{anchor("person", p.id)} data-toc-label="{name}" }}',
        f"*{kind}*" + (" — " + "; ".join(roles) if roles else ""),
        m.text(p.description) if p.description else "",
        (f"**{c._('Also known as:')}** " + ", ".join(m.text(a) for a in p.aliases)) if p.aliases else "",
        (f"{sub} " + c._("Quotes by {name}", name=c.fmt.isolate(name))
         + f" {{ #{anchor('person', p.id)}-quotes data-search-exclude }}\n\n"
         + _record_list((("quote", q.id, c.quote_title(q)) for q, _ in quotes), link)) if quotes else "",
        (f"{sub} " + c._("Quoted about {name}", name=c.fmt.isolate(name))
         + f" {{ #{anchor('person', p.id)}-about data-search-exclude }}\n\n"
         + _record_list((("quote", q.id, c.quote_title(q)) for q in about), link)) if about else "",
        (f"{sub} {c._('Events')} {{ #{anchor('person', p.id)}-events data-search-exclude }}\n\n"
         + "\n".join(event_line(c, e, link) for e in events)) if events else "",
        (f"{sub} {c._('Funding figures')} {{ #{anchor('person', p.id)}-figures data-search-exclude }}\n\n"
         + "\n".join(f"- [{m.text(f.label)}]({link('figure', f.id)}): {c.money(f.amount)}" for f in figures))
        if figures else "",
        c.updated_note(p.id),
        c.sources(p.sources, link),
    ])


def people_order(c: Context) -> list[Person]:
    """People first, then organisations, each in the language's order of names."""
    return sorted(c.b.people, key=lambda p: (p.kind != "person", c.sort_key(p.name)))


def people(c: Context) -> str:
    link = c.link()
    return _join([
        m.front_matter(title=c.plain_("People & organisations"),
                       description=c.plain_("Who is who in {title}: roles, quotes and events.",
                                            title=c.b.meta.title)),
        f"# {c._('People & organisations')}",
        *(person_block(c, p, link) for p in people_order(c)),
    ]) + c.footer(link)


def topics_section(c: Context, link: Links, level: int = 2, topics: Iterable[Topic] | None = None) -> str:
    """Every topic with what belongs to it; ``topics`` (in order) limits it to some of them."""
    h = "#" * level
    parts = []
    for t in sorted(c.b.topics, key=lambda t: c.sort_key(t.name)) if topics is None else topics:
        found = c.by_topic.get(t.id, {})
        sub: list[str] = []
        sub_h = "#" * (level + 1)
        if found.get("event"):
            sub.append(f"{sub_h} {c._('Events')} {{ #{anchor('topic', t.id)}-events data-search-exclude }}\n\n"
                       + "\n".join(event_line(c, e, link)
                                   for e in sorted(found["event"], key=lambda e: (e.date.ordinal, e.id))))
        if found.get("figure"):
            sub.append(f"{sub_h} {c._('Funding figures')} {{ #{anchor('topic', t.id)}-figures data-search-exclude }}"
                       "\n\n" + "\n".join(f"- [{m.text(f.label)}]({link('figure', f.id)}): {c.money(f.amount)}"
                                          for f in found["figure"]))
        if found.get("quote"):
            sub.append(f"{sub_h} {c._('Quotes')} {{ #{anchor('topic', t.id)}-quotes data-search-exclude }}\n\n"
                       + _record_list((("quote", q.id, c.quote_title(q)) for q in found["quote"]), link))
        if found.get("faq"):
            sub.append(f"{sub_h} {c._('Questions')} {{ #{anchor('topic', t.id)}-faq data-search-exclude }}\n\n"
                       + _record_list((("faq", f.id, f.question) for f in found["faq"]), link))
        parts.append(_join([
            f"{h} {m.text(t.name)} {{ #{anchor('topic', t.id)} }}",
            m.text(t.description) if t.description else "",
            *sub,
        ]))
    return _join(parts) or c._("No topics yet.")


def topics(c: Context) -> str:
    link = c.link()
    return _join([
        m.front_matter(title=c.plain_("Topics"), description=c.plain_(
            "The topics of {title} with their events, figures and quotes.", title=c.b.meta.title)),
        f"# {c._('Topics')}",
        topics_section(c, link),
    ]) + c.footer(link)


# What each kind of record is called in "Cited by" lists.
RECORD_KINDS = {"event": N_("Event"), "figure": N_("Figure"), "quote": N_("Quote"), "faq": N_("FAQ"),
                "person": N_("Person"), "source": N_("Source")}


def sources_section(c: Context, link: Links, level: int = 2, sources: Iterable[Source] | None = None) -> str:
    """Every source with what cites it; ``sources`` (in order) limits it to some of them."""
    parts = []
    for s in sorted(c.b.sources, key=lambda s: c.sort_key(s.outlet or s.title)) if sources is None else sources:
        rows = [f"**{c._('Kind:')}** {c._(SOURCE_KINDS[s.kind])}"]
        if s.outlet:
            rows.append(f"**{c._('Outlet:')}** {m.text(s.outlet)}")
        if s.date:
            rows.append(f"**{c._('Date:')}** {c.time(s.date)}")
        if s.url:
            rows.append(f"**{c._('Link:')}** [{m.text(s.url)}](<{m.url(s.url)}>)")
        if s.via:
            rows.append(f"**{c._('Known through:')}** " + ", ".join(
                f"[{m.text(c.b.source_by_id[v].title)}]({link('source', v)})" for v in s.via))
        cited = c.cited_by.get(s.id, [])
        parts.append(_join([
            f"{'#' * level} {m.text(s.title)} {{ #{anchor('source', s.id)} }}",
            c.body([
                "  \n".join(rows),
                m.text(s.note) if s.note else "",
                (f"**{c.n_('Cited by {count} item:', 'Cited by {count} items:', len(cited))}**\n\n" + "\n".join(
                    f"- {c._(RECORD_KINDS[kind])}: [{m.text(title)}]({link(kind, rid)})" for kind, rid, title in cited))
                if cited else f"*{c._('Not cited by any item yet.')}*",
            ]),
        ]))
    return _join(parts)


def sources_page(c: Context) -> str:
    link = c.link()
    return _join([
        m.front_matter(title=c.plain_("Sources"), description=c.plain_(
            "Every source behind {title}, with what cites it.", title=c.b.meta.title)),
        f"# {c._('Sources')}",
        c._("Every event, figure and quote in this briefing cites at least one of these sources."),
        sources_section(c, link),
        downloads_section(c),
    ]) + c.footer(link)


def downloads_section(c: Context, level: int = 2) -> str:
    """Links to the published data files (paths are relative to a top-level page)."""
    return _join([
        f"{'#' * level} {c._('Download the data')} {{ #download-the-data }}",
        c._("Everything in this briefing is also published as data:"),
        "\n".join(f"- [{c._(label)}]({path}) — {c._(what)}" for path, (label, what) in DOWNLOADS.items()),
    ])


def updates_section(c: Context, link: Links, level: int = 2) -> str:
    all_records: dict[str, tuple[str, str]] = {}
    for kind, records, title in (("event", c.b.events, "title"), ("figure", c.b.figures, "label"),
                                 ("faq", c.b.faq, "question"), ("person", c.b.people, "name"),
                                 ("source", c.b.sources, "title"), ("topic", c.b.topics, "name")):
        for r in records:
            all_records[r.id] = (kind, getattr(r, title))
    for q in c.b.quotes:
        all_records[q.id] = ("quote", c.quote_title(q))
    parts = []
    ordered = sorted(enumerate(c.b.updates), key=lambda pair: (pair[1].date.ordinal, pair[0]), reverse=True)
    for index, u in ordered:
        label = c._("Correction") if u.kind == "correction" else c._("Update")
        items = "\n".join(f"- [{m.text(all_records[i][1])}]({link(all_records[i][0], i)})" for i in u.items)
        parts.append(_join([
            f"{'#' * level} {c.time(u.date)} — {label} {{ #update-{index + 1} }}",
            m.inline(u.summary),
            (f"**{c._('Affected:')}**\n\n" + items) if items else "",
        ]))
    return _join(parts) or c._("No updates yet.")


def updates_page(c: Context) -> str:
    link = c.link()
    return _join([
        m.front_matter(title=c.plain_("Updates"), description=c.plain_(
            "Log of updates and corrections to {title}.", title=c.b.meta.title)),
        f"# {c._('Updates and corrections')}",
        c._("Every change to this briefing, newest first. Corrections are marked as such. "
            "Follow them in a feed reader with the [updates feed (Atom)]({feed}).", feed=FEED),
        updates_section(c, link),
    ]) + c.footer(link)


def full_briefing(c: Context) -> str:
    link = Links(single_page=True)
    b = c.b
    return _join([
        m.front_matter(title=c.plain_("Full briefing: {title}", title=b.meta.title),
                       description=c.plain_("The whole briefing on one page, ready to print.")),
        "# " + c._("{title}: the full briefing", title=m.text(b.meta.title)),
        f"**{m.text(b.meta.tagline)}**" if b.meta.tagline else "",
        " ".join(m.inline(s) for s in b.meta.summary),
        f"## {c._('Timeline')} {{ #timeline }}",
        timeline(c, link, level=3),
        f"## {c._('Funding')} {{ #funding }}",
        funding_section(c, link, level=3).replace("#funding-", "#full-funding-"),
        *(figure_block(c, f, link, level=3) for f in b.figures),
        f"## {c._('Quotes')} {{ #quotes }}",
        quotes_section(c, link, level=3),
        f"## {c._('People & organisations')} {{ #people }}",
        *(person_block(c, p, link, level=3) for p in people_order(c)),
        f"## {c._('Topics')} {{ #topics }}",
        topics_section(c, link, level=3),
        f"## {c._('Frequently asked questions')} {{ #faq }}",
        *(faq_block(c, entry, link, level=3) for entry in b.faq),
        f"## {c._('Sources')} {{ #sources }}",
        sources_section(c, link, level=3),
        f"## {c._('Updates')} {{ #updates }}",
        updates_section(c, link, level=3),
    ]) + c.footer(link)


def _section_page(c: Context, title: str, description: str, *parts: str) -> str:
    """A top-level page: front matter, its title as heading, ``parts`` and the footer."""
    return _join([
        m.front_matter(title=c.plain_(title), description=description),
        f"# {c._(title)}",
        *parts,
    ]) + c.footer(c.link())


def render_pages(b: Briefing) -> dict[str, str]:
    from .scaled import is_large, render_large  # scaled builds on this module

    if is_large(b):
        return render_large(b)
    c = Context(b)
    link = c.link()
    title = b.meta.title
    pages = {
        "index.md": home(c),
        "timeline.md": _section_page(
            c, N_("Timeline"), c.plain_("Every event in {title}, in order, with sources.", title=title),
            timeline(c, link)),
        "funding.md": _section_page(
            c, N_("Funding"), c.plain_("The money at stake in {title}.", title=title),
            funding_section(c, link),
            f"## {c._('Every figure')} {{ #figures }}",
            *(figure_block(c, f, link, level=3) for f in b.figures)),
        "quotes.md": _section_page(
            c, N_("Quotes"), c.plain_("What was said in {title}, by speaker, with context and sources.",
                                      title=title),
            c._("Direct quotes are the speaker's exact words; reported speech is marked as such."),
            quotes_section(c, link)),
        "people.md": people(c),
        "topics.md": topics(c),
        "faq.md": _join([
            m.front_matter(title=c.plain_("FAQ"), description=c.plain_(
                "Questions and answers about {title}.", title=title)),
            f"# {c._('Frequently asked questions')}",
            *(faq_block(c, entry, link) for entry in b.faq),
        ]) + c.footer(link),
        "sources.md": sources_page(c),
        "updates.md": updates_page(c),
        "full-briefing.md": full_briefing(c),
    }
    return {path: with_search_meta(path, m.add_front_matter(text.rstrip("\n") + "\n", share_meta(c, path)))
            for path, text in pages.items()}


ARTICLE_PAGES = ("index.md", "full-briefing.md")


def share_meta(c: Context, path: str) -> dict[str, object]:
    """Front matter the theme turns into Open Graph tags and JSON-LD (``overrides/main.html``)."""
    fields: dict[str, object] = {}
    if c.last_updated is not None:
        fields["updated"] = c.last_updated.iso()
    if path in ARTICLE_PAGES:
        fields["schema"] = "NewsArticle"
        first = min((u.date for u in c.b.updates), default=None)
        if first is not None:
            fields["published"] = first.iso()
        urls = [str(s.url) for s in c.b.sources if s.url]
        if urls:
            fields["based_on"] = urls
    return fields


def section_counts(c: Context) -> dict[str, str]:
    """Each section page with how many records it holds, in words ("3 quotes"), in nav order."""
    b = c.b
    return {
        "timeline.md": c.n_("{count} event", "{count} events", len(b.events)),
        "funding.md": c.n_("{count} figure", "{count} figures", len(b.figures)),
        "quotes.md": c.n_("{count} quote", "{count} quotes", len(b.quotes)),
        "people.md": c.n_("{count} entry", "{count} entries", len(b.people)),
        "topics.md": c.n_("{count} topic", "{count} topics", len(b.topics)),
        "faq.md": c.n_("{count} question", "{count} questions", len(b.faq)),
        "sources.md": c.n_("{count} source", "{count} sources", len(b.sources)),
        "updates.md": c.n_("{count} change", "{count} changes", len(b.updates)),
    }
