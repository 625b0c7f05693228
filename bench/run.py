"""Run the benchmark for each size and engine, and print the results as Markdown tables."""

from __future__ import annotations

import json
import math
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from . import browser, sizes
from .project import clean_outputs, config_patched_by_bench, make_project, write_bare_config
from .synthetic import counts

REAL = 0  # the size that stands for the repository's own briefing
# Every site-gen process is started through bench/launch.py, which applies --max-nodes.
LAUNCH = [sys.executable, "-m", "bench.launch"]
LOAD = os.getloadavg()


@dataclass
class Row:
    label: str
    records: int
    engine: str
    generation: dict[str, float] = field(default_factory=dict)
    build: float = 0.0            # the engine alone, as reported by the engine (wall clock)
    total: float = 0.0            # `site-gen build` from a clean project, wall clock
    bare: float = 0.0             # the engine on the generated docs/, without site-gen, wall clock
    total_cpu: float = 0.0        # the same two runs in CPU time (user + system, all processes)
    bare_cpu: float = 0.0
    size: sizes.SiteSize | None = None
    search: browser.SearchTiming | None = None
    error: str = ""
    notes: list[str] = field(default_factory=list)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(command: list[str], cwd: Path, cpu: list[float] | None = None) -> tuple[float, str]:
    """Run ``command``; returns its wall time and output, and appends its CPU time to ``cpu``."""
    begin, begin_cpu = time.perf_counter(), _children_cpu()
    repo = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [repo, os.environ.get("PYTHONPATH")]))}
    env.pop("SITE_GEN_NO_CACHE", None)
    result = subprocess.run(command, cwd=cwd, env=env, text=True, capture_output=True, check=False)
    elapsed = time.perf_counter() - begin
    if cpu is not None:
        cpu.append(_children_cpu() - begin_cpu)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} … failed ({result.returncode}):\n{output[-3000:]}")
    return elapsed, output


def _engine_seconds(output: str) -> float:
    found = re.search(r"Documentation built in ([0-9.]+) seconds", output) or re.search(
        r"Build finished in ([0-9.]+)(m?s)", output)
    if not found:
        return float("nan")
    value = float(found.group(1))
    return value / 1000 if found.lastindex == 2 and found.group(2) == "ms" else value


def measure_generation(project: Path) -> dict[str, float]:
    clean_outputs(project)
    _, output = _run([*LAUNCH, "bench.generation", str(project)], Path(__file__).parent.parent)
    return json.loads(output.strip().splitlines()[-1])


def measure_mkdocs(project: Path, row: Row) -> None:
    clean_outputs(project)
    cpu: list[float] = []
    row.total, output = _run([*LAUNCH, "site_gen", "--project", str(project), "build"], project, cpu)
    row.build = _engine_seconds(output)
    bare = write_bare_config(project)
    row.bare, _ = _run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--config-file",
                        str(bare), "--site-dir", str(project / "site-bare")], project, cpu)
    row.total_cpu, row.bare_cpu = cpu
    row.size = sizes.measure(project / "site")


def measure_zensical(project: Path, row: Row) -> None:
    clean_outputs(project)
    cpu: list[float] = []
    row.total, _ = _run([*LAUNCH, "site_gen", "--project", str(project), "build", "--engine",
                         "zensical"], project, cpu)
    # Zensical alone on the generated docs/, with an empty cache: the same work as in the total.
    config = project / "zensical-bare.yml"
    config.write_text("INHERIT: mkdocs.yml\nsite_dir: site-zensical\n", "utf-8")
    row.bare, output = _run([sys.executable, "-m", "zensical", "build", "--clean", "--config-file",
                             str(config)], project, cpu)
    row.total_cpu, row.bare_cpu = cpu
    row.build = _engine_seconds(output)
    row.size = sizes.measure(project / "site")


def queries(project: Path) -> tuple[str, str]:
    """Two words that are certainly in the briefing: the surnames of its first two people."""
    names = re.findall(r"^\s*name:\s*\"?([^\"\n]+)", (project / "content" / "people.yaml").read_text("utf-8"),
                       re.MULTILINE)
    first, second = (names + ["briefing", "briefing"])[:2]
    return first.split()[-1], second.split()[-1]


def bench_size(records: int, engines: list[str], workdir: Path, with_browser: bool, repeat: int) -> list[Row]:
    label = "this briefing" if records == REAL else f"{records:,}"
    project = make_project(workdir / f"n{records}", None if records == REAL else records)
    real_count = records
    if records == REAL:
        text = (project / "content").glob("*.yaml")
        real_count = sum(len(re.findall(r"^  - id:", p.read_text("utf-8"), re.MULTILINE)) for p in text
                         if p.name in ("events.yaml", "quotes.yaml", "funding.yaml"))
    rows = []
    # Generation is cheap next to the engines: always the median of at least 3 cold runs.
    generation = [measure_generation(project) for _ in range(max(repeat, 3))]
    median = {key: statistics.median(g[key] for g in generation) for key in generation[0]}
    for engine in engines:
        row = Row(label, real_count, engine, generation=median)
        try:
            runs = []
            for _ in range(repeat):
                attempt = Row(label, real_count, engine)
                (measure_mkdocs if engine == "mkdocs" else measure_zensical)(project, attempt)
                runs.append(attempt)
            row.total = statistics.median(r.total for r in runs)
            row.bare = statistics.median(r.bare for r in runs)
            row.build = statistics.median(r.build for r in runs)
            row.total_cpu = statistics.median(r.total_cpu for r in runs)
            row.bare_cpu = statistics.median(r.bare_cpu for r in runs)
            row.size = runs[-1].size
            if with_browser:
                try:
                    row.search = browser.search_timing(project / "site", queries(project), engine)
                except Exception as error:  # noqa: BLE001 - reported in the table, not fatal
                    row.notes.append(f"search timing failed: {str(error).splitlines()[0][:160]}")
        except RuntimeError as error:
            row.error = str(error).strip().splitlines()[-1][:200]
            row.notes.append(str(error)[-1500:])
        rows.append(row)
    return rows


def _s(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.2f}" if value < 10 else f"{value:.1f}"


def _kb(value: int) -> str:
    if value < 1000 * 1024:
        return f"{value / 1024:,.1f} kB"
    return f"{value / 1024:,.0f} kB" if value < 10 * 1024 * 1024 else f"{value / 1024 / 1024:,.1f} MB"


def table(rows: list[Row], engine: str) -> str:
    """The main table, in CPU seconds (user + system of every process involved)."""
    name = "MkDocs" if engine == "mkdocs" else "Zensical"
    head = ("| Records | Load s | Validate s | Render s | Write s | Generation s | No-op s (files rewritten) "
            f"| {name} alone s | Total s | Generation ÷ {name} | Pages | Site | Search index raw / gzip "
            "| First page gzip | First search result cold / warm ms | Total ÷ bare |")
    lines = [head, "|" + "|".join(" --- " for _ in range(head.count("|") - 1)) + "|"]
    for row in (r for r in rows if r.engine == engine):
        g = row.generation
        if row.error:
            lines.append(f"| {row.label} | " + " | ".join(["—"] * 14) + f" | failed: {row.error} |")
            continue
        size = row.size
        assert size is not None
        search = f"{row.search.cold_ms:,.0f} / {row.search.warm_ms:,.0f}" if row.search else "—"
        lines.append(
            f"| {row.label} | {_s(g['cpu_load'])} | {_s(g['cpu_validate'])} | {_s(g['cpu_render'])} "
            f"| {_s(g['cpu_write'])} | {_s(g['cpu_generation'])} | {_s(g['cpu_noop'])} ({int(g['noop_written'])}) "
            f"| {_s(row.bare_cpu)} | {_s(row.total_cpu)} | {g['cpu_generation'] / row.bare_cpu:.1%} "
            f"| {size.pages:,} | {_kb(size.site_bytes)} | {_kb(size.search_raw)} / {_kb(size.search_gzip)} "
            f"| {_kb(size.first_page_gzip)} | {search} | {row.total_cpu / row.bare_cpu:.2f} |")
    return "\n".join(lines)


def wall_table(rows: list[Row], engine: str) -> str:
    """The same runs in wall-clock seconds, which other jobs on a shared machine inflate."""
    name = "MkDocs" if engine == "mkdocs" else "Zensical"
    head = (f"| Records | Generation s | No-op s | {name} build s (its own log) | {name} alone s | Total s "
            "| Total ÷ bare |")
    lines = [head, "|" + "|".join(" --- " for _ in range(head.count("|") - 1)) + "|"]
    for row in (r for r in rows if r.engine == engine and not r.error):
        g = row.generation
        lines.append(f"| {row.label} | {_s(g['generation'])} | {_s(g['noop'])} | {_s(row.build)} "
                     f"| {_s(row.bare)} | {_s(row.total)} | {row.total / row.bare:.2f} |")
    return "\n".join(lines)


def machine() -> str:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    packages = []
    for name in ("mkdocs", "mkdocs-material", "zensical", "pymdown-extensions", "markdown", "pydantic", "pyyaml",
                 "playwright"):
        try:
            packages.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            packages.append(f"{name} (not installed)")
    chromium = "—"
    try:
        chromium = subprocess.run([str(browser.CHROMIUM), "--version"], capture_output=True, text=True,
                                  timeout=30, check=False).stdout.strip() or "—"
    except (OSError, subprocess.TimeoutExpired):
        pass
    import yaml

    return "\n".join([
        f"- CPU: {cpu}, {os.cpu_count()} cores (`nproc`); {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; libyaml: {'yes' if yaml.__with_libyaml__ else 'no'}",
        f"- {', '.join(packages)}",
        f"- Browser: {chromium}",
    ])


def report(rows: list[Row], engines: list[str], sizes_: list[int], preview: float | None) -> str:
    parts = ["## Machine", "", machine(), ""]
    synthetic = [n for n in sizes_ if n != REAL]
    if synthetic:
        parts += ["Synthetic briefings: " + "; ".join(
            f"{n:,} records = " + ", ".join(f"{v:,} {k}" for k, v in counts(n).items()) for n in synthetic), ""]
    if os.environ.get("BENCH_MAX_NODES"):
        from site_gen.load import MAX_NODES

        parts += [(f"Note: run with `--max-nodes {os.environ['BENCH_MAX_NODES']}`: site-gen's limit of "
                   f"{MAX_NODES:,} values per content file (site_gen/load.py) was raised in the benchmark's "
                   "processes, because the 10,000-record briefing's events.yaml and quotes.yaml exceed it."), ""]
    if config_patched_by_bench():
        parts += [("Note: the repository's mkdocs.yml has no `not_in_nav`; the benchmark projects add it "
                   "(see bench/project.py)."), ""]
    parts += [(f"Load average (1 min) while it ran: {LOAD[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the "
               f"end, on {os.cpu_count()} cores. Times are CPU seconds (user + system) unless marked wall clock."), ""]
    for engine in engines:
        title = "MkDocs + Material" if engine == "mkdocs" else "Zensical"
        parts += [f"## {title}", "", table(rows, engine), "", f"Wall clock, {title}:", "",
                  wall_table(rows, engine), ""]
    if preview is not None:
        parts += [(f"Live preview (this briefing, `site-gen serve`, wall clock): an edit to content/events.yaml "
                   f"appeared in the open page after {preview:.2f} s (median of 3 edits)."), ""]
    notes = [f"- {row.label} / {row.engine}: {note}" for row in rows for note in row.notes]
    if notes:
        parts += ["## Notes", "", *notes, ""]
    return "\n".join(parts)
