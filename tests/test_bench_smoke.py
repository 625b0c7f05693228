"""The benchmark runs (N = 100, as in CI), and a briefing large enough to be spread over many
pages builds with ``mkdocs build --strict`` into a complete site. No timing is asserted here."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench.project import make_project
from bench.synthetic import counts, write_briefing
from site_gen.render import render_pages
from site_gen.render.scaled import LARGE_BRIEFING, is_large
from site_gen.validate import load_briefing
from site_gen.write import read_manifest

from .conftest import REPO, run_site_gen

LARGE = LARGE_BRIEFING + 100
_LINK = re.compile(r"\]\(<?([^)\s>]+)>?\)")
_ANCHOR = re.compile(r"\{ #([a-z0-9-]+)")


def _built_pages(site: Path) -> set[str]:
    return {str(p.relative_to(site).parent) for p in site.rglob("index.html")}


def _expected_pages(docs: Path) -> set[str]:
    pages = {path.removesuffix(".md") for path in read_manifest(docs) if path.endswith(".md")}
    return {"." if page == "index" else page for page in pages}


def test_bench_prints_the_table_and_builds_a_complete_site(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "bench", "--sizes", "100", "--repeat", "1", "--engines", "mkdocs",
                             "--no-browser", "--workdir", str(tmp_path)], cwd=REPO, text=True, capture_output=True,
                            timeout=900, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    table = [line for line in result.stdout.splitlines() if line.startswith("| 100 |")]
    assert len(table) == 2, result.stdout  # CPU-time table and wall-clock table
    cells = [cell.strip() for cell in table[0].strip("|").split("|")]
    assert len(cells) == 16 and "failed" not in table[0]
    assert cells[6] == "0.00 (0)" or cells[6].endswith("(0)"), "a no-op run rewrote files"
    project = tmp_path / "n100"
    site = project / "site"
    assert _built_pages(site) == _expected_pages(project / "docs")
    assert (site / "search" / "search_index.json").is_file() and (site / "sitemap.xml").is_file()
    assert (project / "site-bare" / "index.html").is_file()


def test_synthetic_briefing_is_deterministic_and_valid(tmp_path: Path) -> None:
    write_briefing(tmp_path / "a", 120)
    write_briefing(tmp_path / "b", 120)
    for name in sorted(p.name for p in (tmp_path / "a").iterdir()):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    briefing = load_briefing(tmp_path / "a")
    expected = counts(120)
    assert (len(briefing.events), len(briefing.quotes), len(briefing.figures)) == (
        expected["events"], expected["quotes"], expected["figures"])


def test_a_large_briefing_is_spread_over_a_bounded_number_of_linked_pages(tmp_path: Path) -> None:
    write_briefing(tmp_path / "content", LARGE)
    briefing = load_briefing(tmp_path / "content")
    assert is_large(briefing)
    pages = render_pages(briefing)
    # Ten top-level pages, then at most one page per month, initial letter or funding status.
    assert {p for p in pages if "/" not in p} == {"index.md", "timeline.md", "funding.md", "quotes.md", "people.md",
                                                 "topics.md", "faq.md", "sources.md", "updates.md",
                                                 "full-briefing.md"}
    months = {e.date.iso()[:7] for e in briefing.events}
    assert len(pages) <= 10 + len(months) + 4 * 28 + 6
    # Every record has exactly one home, and every link to a page of the site finds its anchor there.
    anchors = {path: _ANCHOR.findall(text) for path, text in pages.items()}
    records = ({f"event-{r.id}" for r in briefing.events} | {f"quote-{r.id}" for r in briefing.quotes}
               | {f"figure-{r.id}" for r in briefing.figures} | {f"person-{r.id}" for r in briefing.people}
               | {f"topic-{r.id}" for r in briefing.topics} | {f"source-{r.id}" for r in briefing.sources})
    homes = Counter(a for found in anchors.values() for a in found if a in records)
    assert set(homes) == records and set(homes.values()) == {1}
    for path, text in pages.items():
        folder = Path(path).parent
        for target in _LINK.findall(text):
            if target.startswith(("http://", "https://", "mailto:", "#")) or not target.split("#")[0].endswith(".md"):
                continue
            page, _, anchor = target.partition("#")
            resolved = (folder / page).as_posix()
            resolved = str(Path(resolved)).replace("\\", "/")
            parts: list[str] = []
            for part in resolved.split("/"):
                if part == "..":
                    parts.pop()
                elif part != ".":
                    parts.append(part)
            resolved = "/".join(parts)
            assert resolved in pages, f"{path} links to missing page {target}"
            if anchor and not anchor.startswith(("letter-", "month-", "speaker-")):
                assert anchor in anchors[resolved], f"{path} links to missing anchor {target}"
    # The printable summary stays small however large the briefing is.
    assert len(pages["full-briefing.md"]) < 40_000


def test_a_large_briefing_builds_strictly(tmp_path: Path) -> None:
    project = make_project(tmp_path / "large", LARGE)
    result = run_site_gen("build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    assert _built_pages(site) == _expected_pages(project / "docs")
    docs = json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    records = [d for d in docs if re.search(r"#(event|quote|figure)-", d["location"])]
    # Every event, quote and figure is found by its heading; the text under it is not indexed.
    assert len(records) == LARGE
    assert not [d["location"] for d in records if "Sources:" in d["text"]]
