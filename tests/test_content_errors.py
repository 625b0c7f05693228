"""Each kind of content error, with its exact message (file:line:col: field: what, received, hint)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_gen.errors import ContentError
from site_gen.validate import load_briefing

from .conftest import FIXTURES, run_site_gen

MINI = FIXTURES / "mini" / "content"

# (file, text to replace, replacement, exact expected error lines)
CASES = {
    "unknown speaker": ("quotes.yaml", "speaker: ada-lind", "speaker: ada-lnd", [
        "content/quotes.yaml:4:14: quotes[0].speaker: unknown person 'ada-lnd' (did you mean 'ada-lind'?)"]),
    "unknown field": ("events.yaml", "    location: City Hall", "    locaton: City Hall", [
        "content/events.yaml:6:5: events[0].locaton: unknown field 'locaton' (did you mean 'location'?)"]),
    "missing field": ("events.yaml", "    title: Public hearing on the bridge\n", "", [
        "content/events.yaml:2:5: events[0].title: missing required field 'title' (add 'title: …' to this record)"]),
    "impossible date": ("events.yaml", '"2024-03-11"', '"2024-02-30"', [
        "content/events.yaml:3:11: events[0].date: '2024-02-30' is not a real date: February 2024 has 29 days"]),
    "month 13": ("events.yaml", '"2024-02"', '"2024-13"', [
        "content/events.yaml:11:11: events[1].date: month 13 does not exist in '2024-13'"]),
    "date as words": ("events.yaml", '"2024-02"', "late 2024", [
        "content/events.yaml:11:11: events[1].date: expected a date written YYYY, YYYY-MM or YYYY-MM-DD, "
        "received 'late 2024'"]),
    "YAML 1.1 boolean": ("quotes.yaml", "setting: Public hearing", "setting: NO", [
        "content/quotes.yaml:7:14: quotes[0].setting: 'NO' is ambiguous: YAML 1.1 reads it as a boolean; "
        "write true/false, or quote it (\"NO\") if you mean text"]),
    "YAML 1.1 base 60": ("quotes.yaml", "setting: Public hearing", "setting: 12:30", [
        "content/quotes.yaml:7:14: quotes[0].setting: '12:30' is ambiguous: YAML 1.1 reads it as a base-60 "
        "number; quote it (\"12:30\")"]),
    "duplicate key": ("topics.yaml", "    description: Who pays for fixing the bridge.\n",
                      "    description: Who pays for fixing the bridge.\n    name: Again\n", [
        "content/topics.yaml:5:5: topics[0].name: duplicate key 'name' (first defined at line 3, column 5) "
        "(keep one of them)"]),
    "amount in words": ("funding.yaml", "value: 120000000", "value: ten billion", [
        "content/funding.yaml:4:21: figures[0].amount.value: expected a number, received the text "
        "'ten billion' — write digits only, e.g. 10000000000 for ten billion"]),
    "negative amount": ("funding.yaml", "value: 120000000", "value: -5", [
        "content/funding.yaml:4:21: figures[0].amount.value: expected a non-negative amount below 10^18, "
        "received -5"]),
    "not a number": ("funding.yaml", "value: 120000000", "value: .nan", [
        "content/funding.yaml:4:21: figures[0].amount.value: '.nan' is not a finite number; write a number, "
        "or quote it if you mean text"]),
    "enum typo": ("quotes.yaml", "kind: reported", "kind: reportd", [
        "content/quotes.yaml:16:11: quotes[1].kind: expected one of 'direct' or 'reported', received the text "
        "'reportd' (did you mean 'reported'?)"]),
    "no sources": ("events.yaml", "    sources: [gazette-2024-03-12]\n  - id: survey",
                   "    sources: []\n  - id: survey", [
        "content/events.yaml:9:14: events[0].sources: expected at least 1 item(s), received 0 (every event, "
        "figure, quote and FAQ entry cites at least one source)"]),
    "bad id": ("topics.yaml", "id: repairs", "id: Repairs Now", [
        "content/topics.yaml:2:9: topics[0].id: expected an id of lower-case letters, digits and single "
        "hyphens, received 'Repairs Now' (try 'repairs-now')"]),
    "duplicate id": ("events.yaml", "id: survey", "id: hearing", [
        "content/events.yaml:10:9: events[1].id: duplicate event id 'hearing' (already used at "
        "content/events.yaml events[0].id; ids must be unique)"]),
    "number for text": ("topics.yaml", "name: Repairs", "name: 2024", [
        "content/topics.yaml:3:11: topics[0].name: expected text, received the number 2024"]),
    "tab indentation": ("topics.yaml", "    name: Repairs", "\tname: Repairs", [
        "content/topics.yaml:3:1: topics[0]: tab character where YAML expects spaces (indent with spaces, "
        "never tabs)"]),
    "anchor and alias": ("topics.yaml", "id: repairs", "id: &r repairs\n    name2: *r", [
        "content/topics.yaml:2:9: topics[0].id: YAML anchors (&r) are not supported (remove the anchor)",
        "content/topics.yaml:3:12: topics[0].name2: YAML aliases (*r) are not supported (repeat the value "
        "instead of referring to an anchor)"]),
    "python tag": ("topics.yaml", "name: Repairs", 'name: !!python/object/apply:os.system ["ls"]', [
        "content/topics.yaml:3:11: topics[0].name: YAML tags ('!!python/object/apply:os.system') are not allowed "
        "(remove the tag)"]),
    "javascript url": ("sources.yaml", "url: https://example.org/gazette/bridge", "url: javascript:alert(1)", [
        "content/sources.yaml:7:10: sources[0].url: expected a link starting with http:// or https://, "
        "received 'javascript:alert(1)'"]),
    "raw html in markdown": ("faq.yaml", "That is", "That <script>x</script> is", [
        "content/faq.yaml:4:13: faq[0].answer: raw HTML is not allowed here (found '<script'); write plain "
        "text or Markdown"]),
    "bidi override": ("topics.yaml", "name: Repairs", 'name: "Rep\\u202eairs"', [
        "content/topics.yaml:3:11: topics[0].name: text contains the invisible character U+202E "
        "(RIGHT-TO-LEFT OVERRIDE) at position 4; it can reorder or hide what readers see — delete it"]),
    "wrong top-level key": ("topics.yaml", "topics:", "topicz:", [
        "content/topics.yaml:1:1: topicz: unknown field 'topicz' (did you mean 'topics'?)"]),
    "part_of cycle": ("funding.yaml", "    projects: [Harbour Bridge]",
                      "    projects: [Harbour Bridge]\n    part_of: city-share", [
        "content/funding.yaml:7:14: figures[0].part_of: part_of makes a cycle through 'repair-cost' "
        "(a figure cannot contain itself)",
        "content/funding.yaml:15:14: figures[1].part_of: part_of makes a cycle through 'city-share' "
        "(a figure cannot contain itself)"]),
    "unknown update item": ("updates.yaml", "items: [hearing]\n  - date", "items: [hearin]\n  - date", [
        "content/updates.yaml:5:13: updates[0].items[0]: unknown record 'hearin' (did you mean 'hearing'?)"]),
}


def _broken_content(tmp_path: Path, file: str, old: str, new: str) -> Path:
    root = tmp_path / "project"
    shutil.copytree(MINI, root / "content")
    target = root / "content" / file
    original = target.read_text("utf-8")
    assert old in original, f"test case does not apply: {old!r} not in {file}"
    target.write_text(original.replace(old, new, 1), "utf-8")
    return root


@pytest.mark.parametrize("name", sorted(CASES))
def test_error_message_is_exact(tmp_path: Path, name: str) -> None:
    file, old, new, expected = CASES[name]
    root = _broken_content(tmp_path, file, old, new)
    with pytest.raises(ContentError) as caught:
        load_briefing(root / "content", display_root=root)
    assert [str(d) for d in caught.value.diagnostics] == expected


def test_all_errors_are_reported_in_one_run(tmp_path: Path) -> None:
    root = _broken_content(tmp_path, "quotes.yaml", "speaker: ada-lind", "speaker: ada-lnd")
    for file, old, new in (("events.yaml", '"2024-03-11"', '"2024-02-30"'),
                           ("funding.yaml", "value: 120000000", "value: ten billion"),
                           ("topics.yaml", "name: Repairs", "name: NO")):
        path = root / "content" / file
        path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")
    with pytest.raises(ContentError) as caught:
        load_briefing(root / "content", display_root=root)
    assert [d.file for d in caught.value.diagnostics] == [
        "content/events.yaml", "content/funding.yaml", "content/quotes.yaml", "content/topics.yaml"]
    # The speaker typo is found although other files failed; references into a failed file
    # (quotes[0].event -> events.yaml, topics -> topics.yaml) are not reported as unknown.
    assert "unknown person 'ada-lnd'" in str(caught.value)
    assert "unknown event" not in str(caught.value) and "unknown topic" not in str(caught.value)


def test_every_reference_error_is_reported(tmp_path: Path) -> None:
    root = _broken_content(tmp_path, "quotes.yaml", "speaker: ada-lind", "speaker: ada-lnd")
    path = root / "content" / "events.yaml"
    path.write_text(path.read_text("utf-8").replace("people: [ada-lind, port-authority]",
                                                    "people: [ada-lynd, port-authorty]"), "utf-8")
    with pytest.raises(ContentError) as caught:
        load_briefing(root / "content", display_root=root)
    assert len(caught.value.diagnostics) == 3


def test_cli_check_reports_errors_without_traceback(mini_project: Path) -> None:
    quotes = mini_project / "content" / "quotes.yaml"
    quotes.write_text(quotes.read_text("utf-8").replace("speaker: ada-lind", "speaker: ada-lnd"), "utf-8")
    result = run_site_gen("check", cwd=mini_project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.splitlines() == [
        "content/quotes.yaml:4:14: quotes[0].speaker: unknown person 'ada-lnd' (did you mean 'ada-lind'?)",
        "1 error found; nothing was written.",
    ]


def test_missing_required_file(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(MINI, root / "content")
    (root / "content" / "events.yaml").unlink()
    (root / "content" / "extra.yaml").write_text("x: 1\n")
    with pytest.raises(ContentError) as caught:
        load_briefing(root / "content", display_root=root)
    assert [str(d) for d in caught.value.diagnostics] == [
        "content/events.yaml:1:1: required file is missing (see CONTENT.md for its format)",
        "content/extra.yaml:1:1: unexpected content file 'extra.yaml' (expected one of: briefing.yaml, "
        "events.yaml, faq.yaml, funding.yaml, people.yaml, quotes.yaml, sources.yaml, topics.yaml, updates.yaml)",
    ]
