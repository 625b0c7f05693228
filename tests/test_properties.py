"""Property-based tests (hypothesis).

1. Any valid briefing the strategy generates — text drawn from all of Unicode's visible
   characters mixed with HTML, Markdown and template syntax — builds with MkDocs in strict mode,
   and every text shows up in the HTML exactly as written (after the model's documented
   normalisation: NFC, runs of whitespace become one space).
2. Random mutations of the real briefing (hostile tokens, deleted and repeated lines, broken
   indentation, truncation, bytes that are not UTF-8) never produce a traceback: the result is
   a valid briefing that renders, or a ContentError whose every line is ``file:line:col: …``.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from site_gen import chars
from site_gen.build import build
from site_gen.errors import ContentError
from site_gen.generate import Project
from site_gen.model import _INVISIBLE, RESERVED_IDS, _inline_markdown
from site_gen.render import render_data, render_pages
from site_gen.render.markup import plain
from site_gen.validate import load_briefing

from .conftest import FIXTURES, REPO, make_project
from .hostile.support import reader_text

# Modest by default so `make test` stays fast; raise them for a deeper search, e.g.
# SITE_GEN_PROPERTY_SCALE=10 make test
SCALE = int(os.environ.get("SITE_GEN_PROPERTY_SCALE", "1"))

FRAGMENTS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "<!--", "-->", "{: onclick=\"x\" }",
    "--8<-- \"/etc/passwd\"", "!!! note", "# ", "## ", "- ", "* ", "1. ", "> ", "| a | b |", "|---|",
    "[x](javascript:alert(3))", "{{ x }}", "{% y %}", "&amp;", "&#60;", "&lt;", "\\", "`", "```", "~~~",
    "*", "**", "_", "__", "[", "]", "(", ")", "{", "}", "<", ">", "\"", "'", "=", "===", "???", ":",
    "https://example.org", "[^1]", "*[HTML]:", "$$", "\\(", "<https://a.example>", "   ", "\n", "\t",
]
TEXT_CHARACTERS = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp", "Cf"))


def _visible(text: str) -> bool:
    """Text the model accepts as text: not blank, nothing invisible, not only marks or selectors
    (site_gen/chars.py's rule, so the generator makes valid briefings only)."""
    return (bool(text.strip()) and not _INVISIBLE.search(text) and chars.refused(text) is None
            and not chars.looks_empty(text.strip()))


plain_text = st.lists(st.one_of(st.text(TEXT_CHARACTERS, min_size=1, max_size=12), st.sampled_from(FRAGMENTS)),
                      min_size=1, max_size=6).map("".join).filter(_visible)

safe_url = st.builds(
    lambda scheme, host, path: f"{scheme}{host}.example/{path}",
    st.sampled_from(["https://", "http://"]), st.from_regex(r"[a-z]{1,8}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9_.~*'&=?-]{0,12}(\([A-Za-z0-9_]{0,6}\))?", fullmatch=True))
link = st.builds(lambda label, url: f"[{label}]({url})",
                 st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp", "Cf"),
                                       exclude_characters="[]<\n"), min_size=1, max_size=10).filter(_visible),
                 st.one_of(safe_url, st.just("mailto:desk@example.org")))
emphasis = st.builds(lambda mark, word: f"{mark}{word}{mark}", st.sampled_from(["*", "**", "_", "__"]),
                     st.from_regex(r"[A-Za-z0-9]{1,8}", fullmatch=True))


def _valid_inline(text: str) -> bool:
    try:
        _inline_markdown(text)
    except PydanticCustomError:
        return False
    return True


inline_markdown = st.lists(st.one_of(plain_text, link, emphasis), min_size=1, max_size=4).map(" ".join).filter(
    _valid_inline)

ids = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,6}){0,2}", fullmatch=True).filter(
    lambda i: i not in RESERVED_IDS and not re.search(r"-(quotes|about|events|figures|faq)$", i))
dates = st.one_of(
    st.integers(1900, 2100).map(str),
    st.tuples(st.integers(1900, 2100), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
    st.dates().filter(lambda d: 1900 <= d.year <= 2100).map(lambda d: d.isoformat()),
)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


@st.composite
def briefings(draw: st.DrawFn) -> tuple[dict[str, str], list[str]]:
    """YAML files of a valid briefing, and every text a reader must see on the full briefing."""
    expected: list[str] = []

    def text() -> str:
        value = draw(plain_text)
        expected.append(_normal(value))
        return value

    def inline() -> str:
        value = draw(inline_markdown)
        expected.append(plain(_normal(value)))
        return value

    q = functools.partial(json.dumps, ensure_ascii=False)  # YAML has no surrogate-pair escapes
    record_ids = draw(st.lists(ids, min_size=4, max_size=8, unique=True))
    source, person, topic, event, *rest = (q(i) for i in record_ids)  # quoted: "2024" is an id, 2024 a number
    quote = rest[0] if rest else None
    files = {
        "briefing.yaml": f"title: {q(text())}\ntagline: {q(text())}\nsummary:\n  - {q(inline())}\n"
                         f"key_figures: []\n",
        "sources.yaml": f"sources:\n  - id: {source}\n    title: {q(text())}\n    outlet: {q(text())}\n"
                        f"    url: {q(draw(safe_url))}\n    note: {q(text())}\n",
        "people.yaml": f"people:\n  - id: {person}\n    name: {q(text())}\n    roles:\n      - title: {q(text())}\n"
                       f"    description: {q(text())}\n    aliases: [{q(text())}]\n    sources: [{source}]\n",
        "topics.yaml": f"topics:\n  - id: {topic}\n    name: {q(text())}\n    description: {q(text())}\n",
        "events.yaml": f"events:\n  - id: {event}\n    date: {q(draw(dates))}\n    date_note: {q(text())}\n"
                       f"    title: {q(text())}\n    summary: {q(inline())}\n    location: {q(text())}\n"
                       f"    people: [{person}]\n    topics: [{topic}]\n    sources: [{source}]\n",
        "funding.yaml": f"figures:\n  - id: {q('figure-' + json.loads(event))}\n    label: {q(text())}\n"
                        f"    amount: {{value: {draw(st.integers(0, 10**15))}, approximate: {q(draw(st.booleans()))}}}\n"
                        f"    status: {draw(st.sampled_from(['at-stake', 'frozen', 'promised']))}\n"
                        f"    status_note: {q(text())}\n    description: {q(inline())}\n    projects: [{q(text())}]\n"
                        f"    topics: [{topic}]\n    sources: [{source}]\n",
        "faq.yaml": f"faq:\n  - id: {q('faq-' + json.loads(event))}\n    question: {q(text())}\n    answer: {q(inline())}\n"
                    f"    sources: [{source}]\n",
        "updates.yaml": f"updates:\n  - date: {q(draw(dates))}\n    kind: correction\n    summary: {q(inline())}\n"
                        f"    items: [{event}]\n",
    }
    if quote:
        files["quotes.yaml"] = (
            f"quotes:\n  - id: {quote}\n    text: {q(text())}\n    speaker: {person}\n"
            f"    kind: {draw(st.sampled_from(['direct', 'reported']))}\n    date: {q(draw(dates))}\n"
            f"    setting: {q(text())}\n    context: {q(text())}\n    event: {event}\n    sources: [{source}]\n")
    return files, expected


@settings(max_examples=25 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(briefings())
def test_any_valid_briefing_builds_strictly_and_shows_every_text_literally(
        generated: tuple[dict[str, str], list[str]]) -> None:
    files, expected = generated
    with tempfile.TemporaryDirectory() as folder:
        root = make_project(Path(folder) / "project", FIXTURES / "mini" / "content")
        for old in (root / "content").iterdir():
            old.unlink()
        for name, text in files.items():
            (root / "content" / name).write_text(text, "utf-8")
        build(Project(root), strict=True)  # MkDocs in strict mode: any warning fails the build
        shown = reader_text((root / "site" / "full-briefing" / "index.html").read_text("utf-8"))
        missing = [text for text in expected if text not in shown]
        assert missing == []


# --------------------------------------------------------------------------- mutations of the real briefing

CONTENT = REPO / "content"
TOKENS = [
    "&a ", "*a", "!!python/object/apply:os.system [ls]", "!!binary", "\t", "\x00", ": ", "- ", "[", "]", "{", "}",
    "\"", "'", "#", "|", ">", "---", "...", "%YAML 1.1", "@", "`", "? ", "<<: *a", "\ufeff", "\u202e", "\u200b",
    "1e400", "-5", ".nan", ".inf", "NO", "on", "12:30", "0777", "0x1F", "2026-02-30", "\"2026-02-30\"", "~", "null",
    "9" * 400, "<script>alert(1)</script>", "[x](javascript:alert(1))", "{{ x }}", "\\u0000", "\"\\ud800\"",
    "\\", "\r", "\n", "\n  ", "\n    - ", "é", "😀", "id: ../../x", "id: CON", "sources: []", "speaker: nobody",
    "kind: reportd", "value: ten billion", "url: javascript:alert(1)", "part_of: ", "via: [", "\u2028",
]


@st.composite
def mutated_content(draw: st.DrawFn) -> dict[str, bytes]:
    files = {p.name: p.read_bytes() for p in sorted(CONTENT.glob("*.yaml"))}
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(sorted(files)))
        data = files[name]
        position = draw(st.integers(0, len(data)))
        operation = draw(st.sampled_from(["insert", "replace", "delete-line", "repeat-line", "indent", "truncate",
                                          "bytes"]))
        if operation in ("insert", "replace"):
            token = draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8))).encode("utf-8", "surrogatepass")
            end = position + (draw(st.integers(0, 20)) if operation == "replace" else 0)
            data = data[:position] + token + data[end:]
        elif operation in ("delete-line", "repeat-line", "indent"):
            lines = data.split(b"\n")
            index = min(position, len(lines) - 1)
            if operation == "delete-line":
                del lines[index]
            elif operation == "repeat-line":
                lines.insert(index, lines[index])
            else:
                lines[index] = b" " * draw(st.integers(1, 3)) + lines[index]
            data = b"\n".join(lines)
        elif operation == "truncate":
            data = data[:position]
        else:
            data = data[:position] + draw(st.binary(min_size=1, max_size=4)) + data[position:]
        files[name] = data
    if draw(st.booleans()) and draw(st.integers(0, 9)) == 0:
        files.pop(draw(st.sampled_from(sorted(files))))
    return files


LINE = re.compile(r"content/[a-z_.]+\.ya?ml:[0-9]+:[0-9]+: \S")


@settings(max_examples=300 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_content())
def test_mutations_of_the_real_briefing_never_produce_a_traceback(files: dict[str, bytes]) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        content = folder / "content"
        content.mkdir()
        for name, data in files.items():
            (content / name).write_bytes(data)
        try:
            briefing = load_briefing(content, display_root=folder)
        except ContentError as error:
            assert error.diagnostics
            for diagnostic in error.diagnostics:
                assert LINE.match(str(diagnostic)), str(diagnostic)
                assert "\n" not in str(diagnostic) and "Traceback" not in str(diagnostic)
            return
        pages: dict[str, Any] = {**render_pages(briefing), **render_data(briefing, None)}
        assume(pages)
        for text in pages.values():
            (text.encode("utf-8") if isinstance(text, str) else text).decode("utf-8")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
