"""Issue 12: suggestions and cycle checks that stay linear, capped and grouped error output,
exact amounts everywhere, unambiguous update items, unique feed ids, a CommonMark inline parser,
output formats that cannot be broken by any valid string, and ``check`` rendering everything."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import lxml.etree
import pytest
import yaml
from pydantic import ValidationError

from site_gen import cli, suggest
from site_gen.checks import part_of_cycles
from site_gen.errors import ContentError
from site_gen.load import LoadedFile
from site_gen.model import Briefing, BriefingMeta, Event, Figure, Money, Update
from site_gen.render import markup as m
from site_gen.render import render_data, render_pages
from site_gen.render.data import Site, plain, update_entry_ids
from site_gen.validate import load_briefing

from .conftest import FIXTURES, make_project

MINI = FIXTURES / "mini" / "content"


def _mini(tmp_path: Path) -> Path:
    return make_project(tmp_path / "mini", MINI)


def _errors(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_briefing(root / "content", display_root=root)
    return [str(d) for d in caught.value.diagnostics]


# --------------------------------------------------------------------------- did you mean


def _people_and_events(root: Path, people: int, misspelt: int, *, same: bool = False) -> list[str]:
    """``people`` people and one event per misspelt reference (distinct misspellings unless ``same``)."""
    ids = [f"{first}-{last}-{i}" for i, (first, last) in enumerate(
        (f, la) for la in ("lind", "okafor", "nakamura", "garcia", "weber") for f in
        ("ada", "bo", "cai", "dev", "eli", "fay", "gus", "hal", "ida", "jo") * (people // 50 + 1))][:people]
    lines = ["people:"]
    for pid in ids:
        lines += [f"  - id: {pid}", f"    name: {pid.title()}", "    sources: [gazette-2024-03-12]"]
    (root / "content" / "people.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    lines = ["events:"]
    for i in range(misspelt):
        target = ids[0] if same else ids[i % len(ids)]
        wrong = "ada-lindd-0" if same else target[:2] + target[3:]  # one letter missing
        lines += [f"  - id: event-{i}", '    date: "2024-03-11"', f"    title: Event {i}",
                  f"    people: [{wrong}]", "    sources: [gazette-2024-03-12]"]
    (root / "content" / "events.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    for name in ("quotes.yaml", "funding.yaml", "updates.yaml"):
        (root / "content" / name).unlink()
    return ids


def test_2000_misspelt_references_among_2000_people_are_bounded_work_and_capped_output(tmp_path: Path) -> None:
    root = _mini(tmp_path)
    ids = _people_and_events(root, 2000, 2000)
    before = suggest.comparisons
    errors = [e for e in _errors(root) if e.startswith("content/events.yaml")]
    # At most MAX_CANDIDATES difflib comparisons per distinct unknown value (was: every id, 4,000,000).
    assert suggest.comparisons - before <= suggest.MAX_CANDIDATES * 2000
    # 50 lines for the file, then one line with the count of the rest (was: 2,007 lines).
    assert len(errors) == 51, len(errors)
    assert errors[-1].endswith("1950 more problems from here on are not listed (fix the ones above and run again)")
    # A letter missing is still found among 2,000 ids.
    assert errors[0] == (f"content/events.yaml:5:14: events[0].people[0]: unknown person '{ids[0][:2] + ids[0][3:]}' "
                         f"(did you mean '{ids[0]}'?)")


def test_one_renamed_id_used_5000_times_is_one_line(tmp_path: Path) -> None:
    root = _mini(tmp_path)
    _people_and_events(root, 20, 5000, same=True)
    errors = [e for e in _errors(root) if e.startswith("content/events.yaml")]
    assert errors == [
        "content/events.yaml:5:14: events[0].people[0]: unknown person 'ada-lindd-0' — referenced 5,000 times in "
        "this file: first here, then at 10:14, 15:14, 20:14 and 4,996 more (did you mean 'ada-lind-0'?)"]


def test_suggester_finds_typos_and_case_and_gives_up_on_strangers() -> None:
    ids = [f"person-{i:05d}" for i in range(5000)] + ["zohran-mamdani", "donald-trump"]
    s = suggest.Suggester(ids)
    assert s.best("donald-trunp") == "donald-trump"     # a letter changed
    assert s.best("zohran-mamdan") == "zohran-mamdani"  # a letter missing
    assert s.best("zohran-mamdanii") == "zohran-mamdani"  # a letter added
    assert s.best("dnoald-trump") == "donald-trump"     # two letters swapped
    assert s.best("Donald_Trump") == "donald-trump"     # case and separators
    assert s.best("completely-unrelated") is None
    before = suggest.comparisons
    for i in range(1000):
        s.best(f"persn-{i:05d}")
    assert suggest.comparisons - before <= 1000 * suggest.MAX_CANDIDATES


# --------------------------------------------------------------------------- part_of chains


class _CountingDict(dict):  # type: ignore[type-arg]
    lookups = 0

    def __contains__(self, key: object) -> bool:
        _CountingDict.lookups += 1
        return super().__contains__(key)

    def __getitem__(self, key: object) -> object:
        _CountingDict.lookups += 1
        return super().__getitem__(key)

    def get(self, key: object, default: object = None) -> object:
        _CountingDict.lookups += 1
        return super().get(key, default)


def _figures(parents: dict[str, str | None]) -> Briefing:
    money = Money.model_construct(value=Decimal(1), currency=None, approximate=False)
    figures = tuple(Figure.model_construct(id=fid, label=fid, amount=money, status="other", part_of=parent,
                                           people=[], topics=[], events=[], sources=["s"], projects=[])
                    for fid, parent in parents.items())
    return Briefing(meta=BriefingMeta.model_construct(key_figures=[]), sources=(), people=(), topics=(),
                    events=(), figures=figures, quotes=(), faq=(), updates=())


def test_a_chain_of_20000_part_of_figures_is_checked_in_linear_work() -> None:
    n = 20_000
    b = _figures({f"f{i}": (f"f{i - 1}" if i else None) for i in range(n)})
    object.__setattr__(b, "figure_by_id", _CountingDict(b.figure_by_id))
    _CountingDict.lookups = 0
    assert part_of_cycles(b, LoadedFile("", {})) == []
    assert _CountingDict.lookups <= 8 * n, _CountingDict.lookups  # the old walk: n²/2 = 200,000,000


def test_part_of_cycles_are_reported_at_each_figure_that_reaches_one() -> None:
    b = _figures({"a": "b", "b": "c", "c": "a", "d": "a", "e": "d", "f": None, "g": "g", "h": "e", "i": "f"})
    found = {d.field: d.message for d in part_of_cycles(b, LoadedFile("", {}))}
    assert found == {f"figures[{i}].part_of": f"part_of makes a cycle through '{through}'"
                     for i, through in ((0, "a"), (1, "b"), (2, "c"), (3, "a"), (4, "a"), (6, "g"), (7, "a"))}


# --------------------------------------------------------------------------- amounts


def test_amounts_minus_zero_tiny_and_the_limit() -> None:
    zero = Money.model_validate({"value": Decimal("-0.0"), "approximate": True}, strict=True)
    assert not zero.value.is_signed()
    assert m.money(zero, "USD") == "about $0"
    tiny = Money.model_validate({"value": Decimal("1e-28")}, strict=True)
    assert m.money(tiny, "USD") == "$0.0000000000000000000000000001"
    assert m.money(Money.model_validate({"value": Decimal("12.345")}, strict=True), "USD") == "$12.345"
    with pytest.raises(ValidationError, match="below 10\\^18"):
        Money.model_validate({"value": 10**18}, strict=True)
    assert Money.model_validate({"value": 10**18 - 1}, strict=True).value == 10**18 - 1


def test_an_amount_is_exact_in_briefing_json_and_funding_csv(tmp_path: Path) -> None:
    root = _mini(tmp_path)
    path = root / "content" / "funding.yaml"
    path.write_text(path.read_text("utf-8").replace("value: 40000000}", "value: 12345678901234567.25}"), "utf-8")
    b = load_briefing(root / "content", display_root=root)
    data = render_data(b)
    raw = data["data/briefing.json"].decode("utf-8")
    assert '"value": 12345678901234567.25' in raw  # was 1.2345678901234568e+16
    assert json.loads(raw, parse_float=Decimal)["figures"][1]["amount"]["value"] == Decimal("12345678901234567.25")
    rows = list(csv.DictReader(io.StringIO(data["data/funding.csv"].decode("utf-8"))))
    assert rows[1]["amount"] == "12345678901234567.25"


def test_totals_over_the_limit_are_a_content_error_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _mini(tmp_path)
    path = root / "content" / "funding.yaml"
    text = path.read_text("utf-8").replace("value: 120000000,", "value: 600000000000000000,")
    text = text.replace("value: 40000000}", "value: 600000000000000000}").replace("    part_of: repair-cost\n", "")
    path.write_text(text, "utf-8")
    assert cli.main(["--project", str(root), "check"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "figures[1].amount.value: with this figure the USD figures that are not part of another add up to " \
           "1200000000000000000; a total must stay below 10^18" in err


# --------------------------------------------------------------------------- feed ids


def test_feed_ids_are_unique_and_stable(tmp_path: Path) -> None:
    b = load_briefing(_mini(tmp_path) / "content")
    same = {"date": b.updates[1].date, "kind": "correction", "summary": "A name was misspelt."}
    updates = (Update.model_construct(**same, items=["hearing"]), Update.model_construct(**same, items=["survey"]),
               Update.model_construct(**same, items=["survey"]), Update.model_construct(**same, items=[]))
    site = Site(b, "https://example.org/")
    ids = update_entry_ids(site, updates)
    assert len(set(ids)) == 4
    assert update_entry_ids(site, updates) == ids  # the same every build
    # adding, removing or reordering other updates changes no other id
    assert update_entry_ids(site, updates[:1] + updates[3:]) == [ids[0], ids[3]]
    feed = render_data(dataclasses.replace(b, updates=b.updates + updates))["feed.xml"]
    entries = lxml.etree.fromstring(feed).findall("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}id")
    assert len(entries) == 6 and len({e.text for e in entries}) == 6


# --------------------------------------------------------------------------- inline Markdown


@pytest.mark.parametrize("source", ["@nyc_mayor_office", "snake_case_name", "2*3*4", "a*b*c", "x__init__y"])
def test_underscores_and_asterisks_inside_words_are_text(source: str) -> None:
    assert "<em>" not in m.inline(source) and "<strong>" not in m.inline(source)
    assert m.plain(source) == source
    assert plain(source) == source


def test_escapes_emphasis_and_links_follow_commonmark() -> None:
    assert m.inline(r"\*literal\*") == "&#42;literal&#42;"  # no backslash shown
    assert m.plain(r"\*literal\*") == "*literal*"
    assert m.inline("*a* **b** _c_") == "<em>a</em> <strong>b</strong> <em>c</em>"
    assert m.inline("[the *PDF*](https://x.org/my_file_name.pdf)") == \
        "[the <em>PDF</em>](<https://x.org/my_file_name.pdf>)"
    assert plain("see [the PDF](https://x.org/my_file_name.pdf).") == "see the PDF (https://x.org/my_file_name.pdf)."


@pytest.mark.parametrize(("summary", "message"), [
    ('[x](https://a.example "a title")', "a link title is not supported"),
    ("[](https://a.example)", "a link needs words to click"),
    ("[x](javascript:alert(1))", "expected a link starting with"),
    ("[x](relative/page)", "expected a link starting with"),
])
def test_links_the_site_cannot_show_are_refused(summary: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Event.model_validate({"id": "e", "date": "2024", "title": "t", "summary": summary, "sources": ["s"]},
                             strict=True)


def test_csv_and_calendar_keep_underscores_of_links(tmp_path: Path) -> None:
    root = _mini(tmp_path)
    for name, old in (("events.yaml", "summary: Residents spoke for three hours."),
                      ("funding.yaml", "    status: requested\n")):
        path = root / "content" / name
        new = ("summary: See [the report](https://x.org/my_file_name.pdf) of snake_case_name."
               if name == "events.yaml" else
               "    status: requested\n    description: See [the report](https://x.org/my_file_name.pdf).\n")
        assert old in path.read_text("utf-8")
        path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")
    data = render_data(load_briefing(root / "content"))
    assert "the report (https://x.org/my_file_name.pdf)" in data["data/funding.csv"].decode()
    ics = data["data/events.ics"].decode().replace("\r\n ", "")
    assert "the report (https://x.org/my_file_name.pdf) of snake_case_name." in ics


# --------------------------------------------------------------------------- outputs any string survives


def test_feed_and_front_matter_survive_noncharacters(tmp_path: Path) -> None:
    b = load_briefing(_mini(tmp_path) / "content")
    odd = "A\ufffeB\uffffC"
    meta = b.meta.model_copy(update={"title": f"Title {odd}", "tagline": f"Tag {odd}",
                                     "summary": [f"One {odd}.", *b.meta.summary[1:]]})
    update = Update.model_construct(date=b.updates[0].date, kind="update", summary=f"Sum {odd}", items=["hearing"])
    odd_b = dataclasses.replace(b, meta=meta, updates=(update, *b.updates))
    feed = lxml.etree.fromstring(render_data(odd_b)["feed.xml"])  # well-formed XML
    assert "Title A\ufffdB\ufffdC" in lxml.etree.tostring(feed, encoding="unicode")
    home = render_pages(odd_b)["index.md"]
    front = yaml.safe_load(home.split("---\n")[1])
    assert front["title"] == f"Title {odd}" and f"One {odd}." in front["description"]


# --------------------------------------------------------------------------- check renders


def test_check_renders_every_page_and_data_file_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    import site_gen.generate as generate_module

    root = _mini(tmp_path)
    shutil.rmtree(root / "docs", ignore_errors=True)
    rendered: list[str] = []
    real_pages, real_data = generate_module.render_pages, generate_module.render_data

    def pages(b: Briefing) -> dict[str, str]:
        out = real_pages(b)
        rendered.extend(out)
        return out

    def data(b: Briefing, site_url: str | None = None) -> dict[str, bytes]:
        out = real_data(b, site_url)
        rendered.extend(out)
        return out

    monkeypatch.setattr(generate_module, "render_pages", pages)
    monkeypatch.setattr(generate_module, "render_data", data)
    assert cli.main(["--project", str(root), "check"]) == 0
    assert {"index.md", "timeline.md", "feed.xml", "data/events.ics", "data/briefing.json"} <= set(rendered)
    assert not (root / "docs").exists() and not (root / "site").exists()
    assert "OK" in capsys.readouterr().out


def test_check_reports_a_rendering_failure_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    import site_gen.generate as generate_module

    def broken(b: Briefing) -> dict[str, str]:
        raise KeyError("long")

    monkeypatch.setattr(generate_module, "render_pages", broken)
    assert cli.main(["--project", str(_mini(tmp_path)), "check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: the content is valid but rendering it failed (KeyError: 'long')")
    assert "Traceback" not in err and len(err.splitlines()) == 1
