"""The YAML loading stage on its own: positions, the character rule, links, sizes and dates.

The hostile corpus (tests/hostile/cases) holds the exact messages; these tests cover what a case
file cannot say: a link, a 3 GB file, the rule against Unicode's own tables, and how cost grows.
"""

from __future__ import annotations

import os
import time
import tracemalloc
import unicodedata
from pathlib import Path

import pytest

from site_gen import chars, load
from site_gen.errors import ContentError
from site_gen.load import LoadedFile, load_file, parse_yaml
from site_gen.model import PartialDate
from site_gen.validate import load_briefing

from .conftest import FIXTURES, make_project

BASE = Path(__file__).resolve().parent / "hostile" / "base" / "content"


def _errors(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_briefing(root / "content", display_root=root)
    return [str(d) for d in caught.value.diagnostics]


# --------------------------------------------------------------------------- positions


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_a_line_separator_in_a_value_does_not_shift_later_lines(separator: str) -> None:
    loaded = parse_yaml(f'a: "x{separator}y"\nb:\n  c: 1\n', "f.yaml")
    assert loaded.data == {"a": f"x{separator}y" if separator != "\x85" else "x y", "b": {"c": 1}}
    assert loaded.position(("b", "c")) == (3, 6)
    assert loaded.position(("b", "c"), key=True) == (3, 3)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_lines_end_at_lf_crlf_and_cr_alike(newline: str) -> None:
    text = newline.join(["a: 1", "b: [x, w]", "c: 'z'", ""])
    loaded = parse_yaml(text, "f.yaml")
    assert [loaded.position(p) for p in (("a",), ("b", 1), ("c",))] == [(1, 4), (2, 8), (3, 4)]


def test_positions_far_into_a_large_file() -> None:
    """Offsets become lines through checkpoints: right at, before and after each of them."""
    lines = [f"k{i}: {'v' * (i % 97 + 1)}" for i in range(20_000)]
    loaded = parse_yaml("\n".join(lines) + "\n", "f.yaml")
    for i in (0, 1, 57, 4095, 4096, 12_345, 19_999):
        assert loaded.position((f"k{i}",), key=True) == (i + 1, 1)
        assert loaded.position((f"k{i}",)) == (i + 1, len(f"k{i}: ") + 1)


def test_an_empty_loaded_file_has_a_position() -> None:
    assert LoadedFile("", {}).position(("x",)) == (1, 1)


# --------------------------------------------------------------------------- cost


def _sweep_seconds(count: int) -> float:
    text = "topics:\n" + "".join('  - "a\u200bb" # \u200c\n' for _ in range(count))
    started = time.process_time()
    with pytest.raises(ContentError) as caught:
        parse_yaml(text, "f.yaml")
    elapsed = time.process_time() - started
    assert str(caught.value.diagnostics[-1]).endswith(
        f"{count - load.MAX_PROBLEMS} more problems from here on are not listed (at most {load.MAX_PROBLEMS} "
        "per file) (fix the ones above and run again)")
    return elapsed


def test_the_hidden_character_sweep_is_linear() -> None:
    """Hidden characters inside values (skipped) and in comments (reported, capped, counted):
    four times the input may cost about four times as much, not sixteen."""
    small, large = min(_sweep_seconds(5_000) for _ in range(3)), min(_sweep_seconds(20_000) for _ in range(3))
    assert large < 8 * small + 0.05, (small, large)


# --------------------------------------------------------------------------- characters


def test_the_loader_looks_at_every_format_character_and_noncharacter_of_unicodedata() -> None:
    """chars.SUSPECT is a written-out list for speed; it must cover what Unicode's tables say."""
    missed = [f"U+{code:04X}" for code in range(0x110000)
              if (unicodedata.category(chr(code)) == "Cf" or chars.is_noncharacter(chr(code)))
              and not chars.SUSPECT.match(chr(code))]
    assert missed == []


ACCEPTED = {
    "Persian, non-joiner after a dual-joining letter": "می\u200cخواهم",
    "Persian, non-joiner after a right-joining letter": "کار\u200cها",
    "Devanagari, joiner after the virama": "क्\u200dष",
    "Sinhala, joiner after al-lakuna": "ශ්\u200dරී",
    "emoji ZWJ sequence with a skin tone": "\U0001F469\U0001F3FD\u200d\U0001F4BB",
    "emoji ZWJ sequence with a presentation selector": "\U0001F3F3\ufe0f\u200d\U0001F308",
    "emoji newer than this Python's tables": "\U0001FAE8\u200d\U0001FAE8",
    "flag tag sequence": "\U0001F3F4\U000E0067\U000E0062\U000E0077\U000E006C\U000E0073\U000E007F",
    "private use": "\ue000",
    "typography": "“Quoted” — 1 000 …",
}
REFUSED = {
    "non-joiner between Latin letters": ("pay\u200cpal", 3, "invisible"),
    "joiner between Latin letters": ("a\u200db", 1, "invisible"),
    "joiner after an emoji, before a letter": ("\U0001F469\u200db", 1, "invisible"),
    "zero-width space": ("a\u200bb", 1, "invisible"),
    "soft hyphen": ("co\u00adop", 2, "invisible"),
    "Hangul filler": ("\u3164", 0, "invisible"),
    "halfwidth Hangul filler": ("x\uffa0", 1, "invisible"),
    "blank braille pattern": ("\u2800", 0, "invisible"),
    "tag characters without an emoji": ("a\U000E0067\U000E007F", 1, "invisible"),
    "cancel tag alone": ("\U0001F3F4\U000E007F", 1, "invisible"),
    "right-to-left override": ("a\u202eb", 1, "invisible"),
    "U+FFFE": ("a\ufffe", 1, "noncharacter"),
    "U+FFFF": ("\uffff", 0, "noncharacter"),
    "U+FDD0": ("\ufdd0", 0, "noncharacter"),
    "U+10FFFF": ("\U0010ffff", 0, "noncharacter"),
}


@pytest.mark.parametrize("text", list(ACCEPTED.values()), ids=list(ACCEPTED))
def test_text_a_script_or_emoji_needs_is_accepted(text: str) -> None:
    assert chars.refused(text) is None


@pytest.mark.parametrize(("text", "index", "why"), list(REFUSED.values()), ids=list(REFUSED))
def test_text_that_looks_different_from_what_it_is_is_refused(text: str, index: int, why: str) -> None:
    assert chars.refused(text) == (index, why)


def test_text_made_only_of_marks_is_refused_as_empty(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", BASE)
    topics = root / "content" / "topics.yaml"
    topics.write_text(topics.read_text("utf-8").replace("name: Repairs", 'name: "\ufe0f\u0301"'), "utf-8")
    assert _errors(root) == [
        "content/topics.yaml:3:11: topics[0].name: expected text, received only marks or selectors that show nothing"]


def test_characters_are_named_by_code_point() -> None:
    assert chars.char_name("\ufffe") == "U+FFFE (noncharacter)"
    assert chars.char_name("\x07") == "U+0007 (control character)"
    assert chars.char_name("\u200b") == "U+200B (ZERO WIDTH SPACE)"


# --------------------------------------------------------------------------- links and sizes


def test_a_link_out_of_the_project_is_not_read_and_nothing_of_it_is_quoted(tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("api_token: s3cr3t-value\nother: [unclosed\n", "utf-8")
    root = make_project(tmp_path / "project", BASE)
    topics = root / "content" / "topics.yaml"
    topics.unlink()
    topics.symlink_to(secret)
    errors = _errors(root)
    assert errors == ["content/topics.yaml:1:1: a link to a file outside the project; it was not read "
                      "(put the file itself in content/)"]
    assert "s3cr3t" not in "".join(errors) and "api_token" not in "".join(errors)


def test_a_link_to_etc_passwd_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", BASE)
    topics = root / "content" / "topics.yaml"
    topics.unlink()
    topics.symlink_to("/etc/passwd")
    assert _errors(root) == ["content/topics.yaml:1:1: a link to a file outside the project; it was not read "
                             "(put the file itself in content/)"]


def test_a_link_inside_the_project_is_read(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", BASE)
    topics = root / "content" / "topics.yaml"
    (root / "shared").mkdir()
    topics.rename(root / "shared" / "topics.yaml")
    topics.symlink_to(Path("..") / "shared" / "topics.yaml")
    assert [t.id for t in load_briefing(root / "content", display_root=root).topics] == ["repairs"]


def test_a_3_gb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "topics.yaml"
    with huge.open("wb") as handle:  # sparse: costs no disk space
        handle.truncate(3 * 1024 ** 3)
    tracemalloc.start()
    try:
        started = time.perf_counter()
        with pytest.raises(ContentError) as caught:
            load_file(huge, "content/topics.yaml")
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [str(d) for d in caught.value.diagnostics] == [
        f"content/topics.yaml:1:1: file is {3 * 1024 ** 3} bytes; at most {load.MAX_FILE_BYTES} allowed "
        "(split the content or remove what is not needed)"]
    assert elapsed < 1.0 and peak < 1024 * 1024


def test_a_file_growing_past_the_limit_is_read_only_up_to_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The size stat() gave is not trusted: at most MAX_FILE_BYTES + 1 bytes are ever read."""
    grown = tmp_path / "topics.yaml"
    grown.write_bytes(b"topics: []\n" + b"#" * 5000)
    monkeypatch.setattr(load, "MAX_FILE_BYTES", 1000)
    real_stat = Path.stat
    monkeypatch.setattr(Path, "stat", lambda self, **kw: os.stat_result(
        (*real_stat(self, **kw)[:6], 10, *real_stat(self, **kw)[7:])))
    with pytest.raises(ContentError) as caught:
        load_file(grown, "content/topics.yaml")
    assert [str(d) for d in caught.value.diagnostics] == [
        "content/topics.yaml:1:1: file is more than 1000 bytes (split the content or remove what is not needed)"]


# --------------------------------------------------------------------------- dates


def test_an_unquoted_year_is_that_year(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", FIXTURES / "mini" / "content")
    events = root / "content" / "events.yaml"
    text = events.read_text("utf-8")
    assert text.count('date: "2024-02"') == 1
    events.write_text(text.replace('date: "2024-02"', "date: 2024"), "utf-8")
    briefing = load_briefing(root / "content", display_root=root)
    assert [e.date for e in briefing.events if e.date == PartialDate(2024, 0, 0)]
    assert PartialDate(2024, 0, 0).iso() == "2024"


@pytest.mark.parametrize(("written", "message"), [
    ("20240211", "expected a date written YYYY, YYYY-MM or YYYY-MM-DD, received '20240211'"),
    ("999", "expected a date written YYYY, YYYY-MM or YYYY-MM-DD, received '999'"),
    ("-2024", "expected a date as text (\"2025\", \"2025-11\" or \"2025-11-21\"), received the number -2024"),
    ("2024.5", "expected a date as text (\"2025\", \"2025-11\" or \"2025-11-21\"), received the number 2024.5"),
])
def test_other_numbers_are_not_dates(tmp_path: Path, written: str, message: str) -> None:
    root = make_project(tmp_path / "p", FIXTURES / "mini" / "content")
    events = root / "content" / "events.yaml"
    events.write_text(events.read_text("utf-8").replace('date: "2024-02"', f"date: {written}"), "utf-8")
    assert _errors(root) == [f"content/events.yaml:11:11: events[1].date: {message}"]


def test_a_link_with_a_noncharacter_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", BASE)
    sources = root / "content" / "sources.yaml"
    text = sources.read_text("utf-8")
    url = next(line for line in text.splitlines() if "url: " in line).split("url: ", 1)[1]
    sources.write_text(text.replace(f"url: {url}", f'url: "{url}\\uFFFE"', 1), "utf-8")
    errors = _errors(root)
    assert len(errors) == 1 and "a link cannot contain '\\ufffe'" in errors[0], errors
