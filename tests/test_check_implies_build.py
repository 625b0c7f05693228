"""``check`` OK ⇒ ``build`` OK, and ``check``'s cost grows linearly (hypothesis).

Random valid briefings of up to a few thousand records — text from all of Unicode's visible
characters mixed with inline Markdown, exact amounts with fractions, ``part_of`` chains, updates
naming any kind of record, dates of every precision — must pass ``site-gen check``; then the
generation (pages, data files, feed, calendar) must succeed with no traceback, and for the
small ones a real ``mkdocs build --strict`` too. The cost test counts Python function calls
(``sys.setprofile``), not time: a check that is quadratic anywhere in Python code shows.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_gen import cli
from site_gen.build import build
from site_gen.generate import Project, generate

from .conftest import REPO

SCALE = int(os.environ.get("SITE_GEN_PROPERTY_SCALE", "1"))
MKDOCS_BUILD_UP_TO = 40  # records; a real MkDocs build of larger briefings is left to test_build.py

WORDS = ["bridge", "council", "São Paulo", "Zürich", "東京", "القاهرة", "Київ", "naïve", "₹500", "snake_case",
         "a*b", "2*3*4", "@handle_name", "{{ x }}", "<b>", "&amp;", "#tag", "| pipe |", "`code`", "~~s~~",
         "C:\\path", "50%", "“quoted”", "emoji 🙂", "x_y_z", "!!! note", "--8<--", "[not a link]"]
MARKUP = ["*{}*", "**{}**", "_{}_", "[{}](https://example.org/a_b/{{}})", "[{}](mailto:a@example.org)", "\\*{}\\*"]


def _text(rng: random.Random, low: int = 1, high: int = 6, markup: bool = False) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    if markup and rng.random() < 0.5:
        at = rng.randrange(len(words))
        pattern = rng.choice(MARKUP)
        words[at] = pattern.format("word" + str(at)).replace("{}", str(rng.randint(1, 99)))
    text = " ".join(words)
    return text if not markup else text.replace("<", "‹")  # raw HTML is refused in Markdown fields


def _date(rng: random.Random) -> str:
    year, month, day = rng.randint(1990, 2030), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}"])


def _amount(rng: random.Random) -> str:
    whole = rng.choice([0, 1, 7, 999_999, 1_000_000, 18_000_000_000, 12_345_678_901_234])
    return str(whole) if rng.random() < 0.6 else str(Decimal(whole) + Decimal(rng.randint(1, 99)) / 100)


def write_briefing(content: Path, records: int, seed: int) -> None:
    """A valid briefing of about ``records`` records (YAML written with JSON strings)."""
    rng = random.Random(seed)

    def q(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    content.mkdir(parents=True, exist_ok=True)
    n_people, n_sources, n_topics = max(2, records // 10), max(2, records // 10), max(1, records // 40)
    people = [f"person-{i}" for i in range(n_people)]
    sources = [f"source-{i}" for i in range(n_sources)]
    topics = [f"topic-{i}" for i in range(n_topics)]
    n_events = max(1, records * 4 // 10)
    n_figures = max(1, records * 2 // 10)
    n_quotes = max(1, records - n_events - n_figures)
    events = [f"event-{i}" for i in range(n_events)]
    figures = [f"figure-{i}" for i in range(n_figures)]
    quotes = [f"quote-{i}" for i in range(n_quotes)]

    def flow(pool: list[str], low: int, high: int) -> str:
        return "[" + ", ".join(rng.sample(pool, min(len(pool), rng.randint(low, high)))) + "]"

    files = {
        "briefing.yaml": [f"title: {q(_text(rng))}", f"tagline: {q(_text(rng))}", "summary:",
                          *(f"  - {q(_text(rng, markup=True))}" for _ in range(3)),
                          f"language: {rng.choice(['en', 'de', 'fr', 'es'])}",
                          f"key_figures: [{figures[0]}]"],
        "sources.yaml": ["sources:", *(line for i, s in enumerate(sources) for line in (
            f"  - id: {s}", f"    title: {q(_text(rng))}", f"    date: {q(_date(rng))}",
            f"    url: {q(f'https://news.example/{i}_x')}",
            *([f"    via: [{sources[i - 1]}]"] if i and rng.random() < 0.2 else [])))],
        "people.yaml": ["people:", *(line for p in people for line in (
            f"  - id: {p}", f"    name: {q(_text(rng, 1, 3))}",
            f"    kind: {rng.choice(['person', 'organisation'])}", f"    sources: {flow(sources, 1, 2)}"))],
        "topics.yaml": ["topics:", *(line for t in topics for line in (
            f"  - id: {t}", f"    name: {q(_text(rng, 1, 2))}"))],
        "events.yaml": ["events:", *(line for e in events for line in (
            f"  - id: {e}", f"    date: {q(_date(rng))}", f"    title: {q(_text(rng))}",
            f"    summary: {q(_text(rng, 3, 12, markup=True))}", f"    people: {flow(people, 0, 3)}",
            f"    topics: {flow(topics, 0, 2)}", f"    sources: {flow(sources, 1, 2)}"))],
        "funding.yaml": ["figures:", *(line for i, f in enumerate(figures) for line in (
            f"  - id: {f}", f"    label: {q(_text(rng))}", "    amount:", f"      value: {_amount(rng)}",
            f"      currency: {rng.choice(['USD', 'EUR', 'JPY'])}",
            f"      approximate: {rng.choice(['true', 'false'])}",
            f"    status: {rng.choice(['at-stake', 'frozen', 'promised', 'released', 'requested', 'other'])}",
            f"    description: {q(_text(rng, 2, 8, markup=True))}",
            *([f"    part_of: {figures[i - 1] if rng.random() < 0.7 else rng.choice(figures[:i])}"]
              if i and rng.random() < 0.5 else []),
            f"    events: {flow(events, 0, 1)}", f"    sources: {flow(sources, 1, 2)}"))],
        "quotes.yaml": ["quotes:", *(line for qid in quotes for line in (
            f"  - id: {qid}", f"    text: {q(_text(rng, 2, 10))}", f"    speaker: {rng.choice(people)}",
            f"    kind: {rng.choice(['direct', 'reported'])}", f"    date: {q(_date(rng))}",
            f"    about: {flow(people, 0, 2)}", f"    sources: {flow(sources, 1, 1)}"))],
        "faq.yaml": ["faq:", *(line for i in range(min(20, records // 20 + 1)) for line in (
            f"  - id: question-{i}", f"    question: {q(_text(rng) + '?')}",
            f"    answer: {q(_text(rng, 2, 10, markup=True))}", f"    sources: {flow(sources, 1, 1)}"))],
        "updates.yaml": ["updates:", *(line for _ in range(max(1, records // 25)) for line in (
            f"  - date: {q(_date(rng))}", f"    kind: {rng.choice(['update', 'correction'])}",
            f"    summary: {q(_text(rng, 2, 8, markup=True))}",
            f"    items: {flow(events + figures + quotes + people + topics + sources, 0, 3)}"))],
    }
    for name, lines in files.items():
        (content / name).write_text("\n".join(lines) + "\n", "utf-8")


def _project(root: Path, records: int, seed: int) -> Path:
    root.mkdir(parents=True)
    from site_gen.init import standalone_config

    # No theme.language: the plugin takes it from briefing.yaml, whatever language was drawn.
    config = standalone_config(REPO / "mkdocs.yml").replace("\n  language: en\n", "\n", 1)
    (root / "mkdocs.yml").write_text(config, "utf-8")
    for folder in ("overrides", "docs/assets"):
        shutil.copytree(REPO / folder, root / folder)
    write_briefing(root / "content", records, seed)
    return root


@settings(max_examples=8 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.one_of(st.integers(5, MKDOCS_BUILD_UP_TO), st.integers(41, 3000)), seed=st.integers(0, 2**32))
def test_what_check_accepts_builds(records: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        root = _project(Path(workdir) / "project", records, seed)
        assert cli.main(["--project", str(root), "check"]) == 0, "the generator writes valid briefings only"
        if records <= MKDOCS_BUILD_UP_TO:
            result = build(Project(root), strict=True)  # generation, then a real mkdocs build --strict
            assert (result.site / "index.html").is_file()
            assert (result.site / "feed.xml").is_file()
        else:
            _, report = generate(Project(root))
            assert (root / "docs" / "data" / "briefing.json").is_file(), report.summary()


def _calls_of_check(root: Path, status: int = 0) -> int:
    calls = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    cli.main(["--project", str(root), "check"])  # warm: imports are not part of the cost
    sys.setprofile(count)
    try:
        assert cli.main(["--project", str(root), "check"]) == status
    finally:
        sys.setprofile(None)
    return calls


def test_check_cost_grows_linearly(tmp_path: Path) -> None:
    small = _calls_of_check(_project(tmp_path / "small", 500, 1))
    large = _calls_of_check(_project(tmp_path / "large", 2000, 1))
    # Four times the records: about four times the calls (quadratic would be sixteen).
    assert large / small < 6, (small, large)


def test_check_cost_with_broken_references_grows_linearly(tmp_path: Path) -> None:
    """The same with a misspelt reference in every quote: 'did you mean' is bounded per reference."""
    def broken(root: Path) -> Path:
        path = root / "content" / "quotes.yaml"
        lines = path.read_text("utf-8").splitlines()
        path.write_text("\n".join(line.replace("speaker: person-", "speaker: persn-") for line in lines) + "\n")
        return root

    small = _calls_of_check(broken(_project(tmp_path / "small", 500, 2)), status=1)
    large = _calls_of_check(broken(_project(tmp_path / "large", 2000, 2)), status=1)
    assert large / small < 6, (small, large)
