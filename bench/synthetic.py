"""A deterministic synthetic briefing of N records (events, quotes and funding figures).

The text is built from a Zipf-distributed vocabulary of a few thousand pseudo-words, with
record lengths close to real news briefings (titles of 40–100 characters, summaries and
quotes of a few sentences), so that Markdown size, search-index size and gzip ratios behave
like real prose rather than like repeated filler. Same ``n`` and ``seed``: byte-identical files.
"""

from __future__ import annotations

import json
import random
import unicodedata
from collections.abc import Iterable
from pathlib import Path

EVENT_SHARE, QUOTE_SHARE = 0.40, 0.50  # the rest are funding figures

_FIRST = """Ada Adrian Aisha Alan Alba Alejandro Alice Amara Amir Ana Andrea Anika Anton Arjun
Astrid Ayodele Beatriz Ben Bianca Boris Camila Carlos Carmen Chen Chiara Chloe Dalia Daniel Dara
Darius Diego Dmitri Elena Elif Elijah Emeka Emil Emma Esther Fatima Felix Fiona Gabriel Greta Hana
Hannah Hugo Ibrahim Ines Irina Isaac Ivan Jamal Jana Javier Jin Joaquin Jonas Jorge Julia Kai Kamala
Karim Kenji Lars Laura Leila Leon Lina Luca Lucia Maya Malik Marco Maria Marta Mateo Mei Miguel Mila
Mohammed Nadia Naomi Nikolai Nina Noah Olga Omar Oscar Pablo Paolo Priya Rafael Rania Ravi Rosa Ruth
Sami Sara Sofia Stefan Tariq Tomas Uma Valentina Victor Wei Yara Yusuf Zainab Zoe"""
FIRST_NAMES = _FIRST.split()
_LAST = """Abbott Acosta Adeyemi Alvarez Andersson Bauer Becker Bianchi Brennan Cabrera Castillo
Chandra Chowdhury Costa Dalton Delgado Dubois Duarte Eriksen Esposito Farouk Fischer Fontaine Garcia
Gomez Greco Gupta Haddad Hansen Hernandez Horvat Ibarra Iqbal Ivanova Jansen Jimenez Kaplan Kaur
Keller Khan Kim Kowalski Kruger Laine Larsen Leclerc Lopez Lund Mahmoud Marino Martins Mendez Meyer
Moreau Murphy Nakamura Navarro Nguyen Novak Nowak Okafor Oliveira Olsen Ortiz Park Patel Pereira
Petrov Quinn Ramos Reyes Ricci Rivera Romano Rossi Russo Saito Santos Schmidt Sato Schulz Silva
Singh Sokolov Suzuki Tanaka Torres Vargas Vasquez Vogel Wagner Walsh Weber Yamamoto Yilmaz Zhang
Zielinski"""
LAST_NAMES = _LAST.split()
_ORGANISATION = """Council Authority Commission Institute Agency Union League Foundation Bureau
Department Coalition Alliance Board Office Trust Association"""
ORGANISATION_WORDS = _ORGANISATION.split()
OUTLETS = """The Morning Ledger|City Desk Daily|Harbor Times|Metro Wire|The Civic Record|Capitol Report|
Evening Courier|Northern Gazette|The Transit Review|Riverside Post|National Dispatch|Public Radio Hour|
Bay Chronicle|The Borough Herald|Union Press Service|Weekend Review|Statehouse Bulletin|The Observer
Column|Atlas News|Summit Daily|Valley Sentinel|The Independent Monitor|Harborline|Open Record|
Field Report|The Daily Brief|Global Affairs Wire|Main Street Journal|Quarterly Insight|Zenith News""".replace(
    "\n", "").split("|")
SETTINGS = ["Press conference at City Hall", "Interview on morning radio", "Post on social media",
            "Remarks to reporters outside the courthouse", "Speech to the state legislature",
            "Town hall meeting in the borough", "Statement released by the office",
            "Television interview", "Briefing at the transit authority", "Campaign rally"]
PROJECTS = ["Harbor Tunnel", "Crosstown Line", "Northern Bridge", "Riverside Housing Plan",
            "East Side Flood Wall", "Airport Rail Link", "Union Station Renewal", "Broadband for All",
            "School Repair Fund", "Clean Buses Programme", "Port Expansion", "Water Main Renewal"]
STATUSES = ["at-stake", "frozen", "promised", "released", "requested", "other"]
SOURCE_KINDS = ["article", "news-report", "interview", "social-post", "speech", "document"]

_ONSETS = ["b", "br", "c", "ch", "cl", "d", "dr", "f", "fr", "g", "gr", "h", "j", "k", "l", "m", "n",
           "p", "pl", "pr", "r", "s", "sh", "st", "t", "tr", "v", "w", "z", ""]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "ee"]
_CODAS = ["", "", "n", "r", "s", "t", "l", "nd", "st", "ng", "m", "ck"]
FUNCTION_WORDS = """the of and to a in that is for on was with as by at it from he said his be
has have this are an its were which but not or after will who they their had about would more
been over also than new one two city state federal mayor plan money funding".""".replace('"', "").split()


class Words:
    """Zipf-distributed pseudo-English: frequent short words, a long tail of rare ones."""

    def __init__(self, rng: random.Random, size: int = 4000):
        seen: set[str] = set(FUNCTION_WORDS)
        vocabulary = list(FUNCTION_WORDS)
        while len(vocabulary) < size:
            syllables = 1 + min(int(rng.expovariate(0.9)), 3)
            word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS)
                           for _ in range(syllables))
            if 2 <= len(word) <= 14 and word not in seen:
                seen.add(word)
                vocabulary.append(word)
        self.vocabulary = vocabulary
        weights = [1.0 / (rank + 2.7) for rank in range(len(vocabulary))]
        total = sum(weights)
        cumulative, running = [], 0.0
        for weight in weights:
            running += weight / total
            cumulative.append(running)
        self._cumulative = cumulative
        self._rng = rng

    def words(self, count: int) -> list[str]:
        return self._rng.choices(self.vocabulary, cum_weights=self._cumulative, k=count)

    def sentence(self, low: int = 8, high: int = 24) -> str:
        words = self.words(self._rng.randint(low, high))
        if self._rng.random() < 0.25:
            words.insert(self._rng.randrange(len(words)), str(self._rng.randint(2, 2000)))
        text = " ".join(words)
        if self._rng.random() < 0.3:
            cut = self._rng.randrange(3, len(words))
            text = " ".join(words[:cut]) + ", " + " ".join(words[cut:])
        return text[0].upper() + text[1:] + "."

    def text(self, low_chars: int, high_chars: int) -> str:
        target = self._rng.randint(low_chars, high_chars)
        out = self.sentence()
        while len(out) < target:
            out += " " + self.sentence()
        return out

    def title(self, low_chars: int = 40, high_chars: int = 100) -> str:
        target = self._rng.randint(low_chars, high_chars)
        words: list[str] = []
        while len(" ".join(words)) < target:
            words.extend(self.words(1))
        title = " ".join(words)[:high_chars].rstrip()
        return title[0].upper() + title[1:]


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())[:40].strip("-")


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _flow(ids: Iterable[str]) -> str:
    return "[" + ", ".join(_q(i) for i in ids) + "]"


def _month(start_year: int, index: int) -> tuple[int, int]:
    return start_year + index // 12, index % 12 + 1


def counts(n: int) -> dict[str, int]:
    """How many records of each kind a briefing of ``n`` records has."""
    events = max(1, round(n * EVENT_SHARE))
    quotes = max(1, round(n * QUOTE_SHARE))
    return {
        "events": events,
        "quotes": quotes,
        "figures": max(1, n - events - quotes),
        "people": max(6, n // 20),
        "topics": max(5, n // 100),
        "sources": max(5, n // 20),
        "faq": max(3, min(40, n // 50)),
        "updates": max(2, n // 50),
    }


def write_briefing(content_dir: Path, n: int, seed: int = 2026) -> dict[str, int]:
    """Write a valid synthetic briefing of ``n`` records into ``content_dir``; returns the counts."""
    rng = random.Random(f"site-gen-bench:{seed}:{n}")
    words = Words(rng)
    c = counts(n)
    months = 12 if n <= 100 else min(60, 12 + n // 250)
    start_year = 2022
    content_dir.mkdir(parents=True, exist_ok=True)

    def date(precision_roll: float | None = None) -> str:
        year, month = _month(start_year, rng.randrange(months))
        roll = rng.random() if precision_roll is None else precision_roll
        if roll < 0.02:
            return f"{year:04d}"
        if roll < 0.12:
            return f"{year:04d}-{month:02d}"
        return f"{year:04d}-{month:02d}-{rng.randint(1, 28):02d}"

    def pick(pool: list[str], low: int, high: int) -> list[str]:
        return rng.sample(pool, min(len(pool), rng.randint(low, high)))

    # Sources ------------------------------------------------------------------------------
    source_ids = [f"src-{i + 1:05d}" for i in range(c["sources"])]
    lines = ["# Synthetic benchmark briefing: sources.", "sources:"]
    for i, sid in enumerate(source_ids):
        outlet = OUTLETS[i % len(OUTLETS)] if i < len(OUTLETS) else rng.choice(OUTLETS)
        lines += [f"  - id: {_q(sid)}", f"    title: {_q(words.title(40, 90))}", f"    outlet: {_q(outlet)}",
                  f"    kind: {_q(rng.choice(SOURCE_KINDS))}", f"    date: {_q(date())}",
                  f"    url: {_q(f'https://news.example/{_slug(outlet)}/{i + 1}')}"]
        if i > 3 and rng.random() < 0.05:
            lines.append(f"    via: {_flow([source_ids[rng.randrange(i)]])}")
        if rng.random() < 0.2:
            lines.append(f"    note: {_q(words.text(60, 160))}")
    (content_dir / "sources.yaml").write_text("\n".join(lines) + "\n", "utf-8")

    # People -------------------------------------------------------------------------------
    people_ids: list[str] = []
    lines = ["# Synthetic benchmark briefing: people and organisations.", "people:"]
    for i in range(c["people"]):
        if rng.random() < 0.15:
            name = f"{rng.choice(LAST_NAMES)} {rng.choice(ORGANISATION_WORDS)}"
            kind = "organisation"
        else:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            kind = "person"
        pid = f"{_slug(name)}-{i + 1}"
        people_ids.append(pid)
        lines += [f"  - id: {_q(pid)}", f"    name: {_q(name)}", f"    kind: {kind}", "    roles:"]
        for _ in range(rng.randint(1, 2)):
            lines += [f"      - title: {_q(words.title(12, 40))}", f"        date: {_q(date(0.5))}"]
        lines += [f"    description: {_q(words.text(80, 220))}",
                  f"    sources: {_flow(pick(source_ids, 1, 2))}"]
        if rng.random() < 0.2:
            lines.append(f"    aliases: {_flow([name.split()[-1] + ' ' + words.words(1)[0].title()])}")
    (content_dir / "people.yaml").write_text("\n".join(lines) + "\n", "utf-8")

    # Topics -------------------------------------------------------------------------------
    topic_ids: list[str] = []
    lines = ["# Synthetic benchmark briefing: topics.", "topics:"]
    for i in range(c["topics"]):
        name = " ".join(w.title() for w in words.words(rng.randint(1, 3)))
        tid = f"{_slug(name)}-{i + 1}"
        topic_ids.append(tid)
        lines += [f"  - id: {_q(tid)}", f"    name: {_q(name)}", f"    description: {_q(words.text(60, 200))}"]
    (content_dir / "topics.yaml").write_text("\n".join(lines) + "\n", "utf-8")

    # Events -------------------------------------------------------------------------------
    event_ids: list[str] = []
    lines = ["# Synthetic benchmark briefing: events.", "events:"]
    for i in range(c["events"]):
        eid = f"event-{i + 1:05d}"
        event_ids.append(eid)
        summary = words.text(200, 600)
        if rng.random() < 0.2:
            summary += f" See the [full statement](https://news.example/statements/{i + 1})."
        if rng.random() < 0.2:
            first = summary.split()[0]
            summary = summary.replace(first, f"*{first}*", 1)
        lines += [f"  - id: {_q(eid)}", f"    date: {_q(date())}", f"    title: {_q(words.title())}",
                  f"    summary: {_q(summary)}"]
        if rng.random() < 0.5:
            lines.append(f"    location: {_q(words.title(10, 40))}")
        if rng.random() < 0.05:
            lines.append(f"    date_note: {_q(words.title(10, 30).lower())}")
        lines += [f"    people: {_flow(pick(people_ids, 1, 3))}", f"    topics: {_flow(pick(topic_ids, 1, 2))}",
                  f"    sources: {_flow(pick(source_ids, 1, 2))}"]
    (content_dir / "events.yaml").write_text("\n".join(lines) + "\n", "utf-8")

    # Funding figures ----------------------------------------------------------------------
    figure_ids: list[str] = []
    lines = ["# Synthetic benchmark briefing: funding figures.", "figures:"]
    for i in range(c["figures"]):
        fid = f"figure-{i + 1:05d}"
        value = rng.choice([1, 2, 5, 10, 25, 50, 120, 400]) * 10 ** rng.randint(5, 9)
        lines += [f"  - id: {_q(fid)}", f"    label: {_q(words.title(25, 60))}", "    amount:",
                  f"      value: {value}", f"      currency: {'EUR' if rng.random() < 0.1 else 'USD'}",
                  f"      approximate: {'true' if rng.random() < 0.6 else 'false'}",
                  f"    status: {rng.choice(STATUSES)}", f"    description: {_q(words.text(120, 320))}",
                  f"    date: {_q(date())}"]
        if rng.random() < 0.4:
            lines.append(f"    projects: {_flow(pick(PROJECTS, 1, 2))}")
        if figure_ids and rng.random() < 0.1:
            lines.append(f"    part_of: {_q(rng.choice(figure_ids))}")
        lines += [f"    people: {_flow(pick(people_ids, 0, 2))}", f"    topics: {_flow(pick(topic_ids, 1, 2))}",
                  f"    events: {_flow(pick(event_ids, 0, 1))}", f"    sources: {_flow(pick(source_ids, 1, 2))}"]
        figure_ids.append(fid)
    (content_dir / "funding.yaml").write_text("\n".join(lines) + "\n", "utf-8")

    # Quotes -------------------------------------------------------------------------------
    quote_ids: list[str] = []
    lines = ["# Synthetic benchmark briefing: quotes.", "quotes:"]
    for i in range(c["quotes"]):
        qid = f"quote-{i + 1:05d}"
        quote_ids.append(qid)
        lines += [f"  - id: {_q(qid)}", f"    text: {_q(words.text(60, 400))}",
                  f"    speaker: {_q(rng.choice(people_ids))}",
                  f"    kind: {'reported' if rng.random() < 0.2 else 'direct'}", f"    date: {_q(date())}",
                  f"    setting: {_q(rng.choice(SETTINGS))}", f"    context: {_q(words.text(100, 300))}",
                  f"    about: {_flow(pick(people_ids, 0, 2))}"]
        if rng.random() < 0.5:
            lines.append(f"    event: {_q(rng.choice(event_ids))}")
        lines += [f"    topics: {_flow(pick(topic_ids, 0, 2))}", f"    sources: {_flow(pick(source_ids, 1, 2))}"]
    (content_dir / "quotes.yaml").write_text("\n".join(lines) + "\n", "utf-8")

    # FAQ, updates, briefing -----------------------------------------------------------------
    lines = ["# Synthetic benchmark briefing: questions and answers.", "faq:"]
    for i in range(c["faq"]):
        lines += [f"  - id: {_q(f'question-{i + 1}')}", f"    question: {_q(words.title(30, 80) + '?')}",
                  f"    answer: {_q(words.text(150, 500))}", f"    topics: {_flow(pick(topic_ids, 0, 2))}",
                  f"    sources: {_flow(pick(source_ids, 1, 2))}"]
    (content_dir / "faq.yaml").write_text("\n".join(lines) + "\n", "utf-8")

    records = event_ids + figure_ids + quote_ids
    lines = ["# Synthetic benchmark briefing: updates and corrections.", "updates:"]
    for _ in range(c["updates"]):
        lines += [f"  - date: {_q(date(0.5))}", f"    kind: {'correction' if rng.random() < 0.15 else 'update'}",
                  f"    summary: {_q(words.text(40, 160))}", f"    items: {_flow(pick(records, 1, 4))}"]
    (content_dir / "updates.yaml").write_text("\n".join(lines) + "\n", "utf-8")

    summary = [words.text(120, 240) for _ in range(3)]
    (content_dir / "briefing.yaml").write_text("\n".join([
        "# Synthetic benchmark briefing: settings.",
        f"title: {_q(f'Synthetic briefing of {n:,} records')}",
        f"tagline: {_q(words.text(60, 120))}",
        "summary:", *(f"  - {_q(s)}" for s in summary),
        "language: en", "currency: USD",
        f"key_figures: {_flow(figure_ids[:2])}",
    ]) + "\n", "utf-8")
    return c
