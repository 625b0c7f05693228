"""Budget: ``site-gen check`` of a 10,000-record briefing with 1,000 broken references, under 2 s.

    python -m bench.check_budget                  # 10,000 records, 1,000 broken, budget 2 s
    python -m bench.check_budget --records 1000 --broken 100

The synthetic briefing of ``bench/synthetic.py`` is written, then the speaker of 1,000 quotes is
misspelt (one letter inserted, a different letter and place each time, so nearly every broken
value is distinct and each gets its own "did you mean" search). ``site-gen check`` runs in a fresh
interpreter (a cold run, as an editor's or CI's); the median CPU time (user + system) of three
runs is compared with the budget. CPU time, not wall time: on a machine shared with other work
the wall time measures the other work too (both are printed). Exit status 1 when over budget or when check does not report the
broken references.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .project import make_project

BUDGET_SECONDS = 2.0
_SPEAKER = re.compile(r'^    speaker: "([a-z0-9-]+)"$', re.MULTILINE)


def break_references(content: Path, broken: int) -> int:
    """Misspell the speaker of the first ``broken`` quotes; returns how many were changed."""
    path = content / "quotes.yaml"
    text = path.read_text("utf-8")
    count = 0

    def misspell(match: re.Match[str]) -> str:
        nonlocal count
        if count >= broken:
            return match.group(0)
        value = match.group(1)
        at = 1 + count % (len(value) - 1)
        count += 1
        return f'    speaker: {json.dumps(value[:at] + chr(97 + count % 26) + value[at:])}'

    path.write_text(_SPEAKER.sub(misspell, text), "utf-8")
    return count


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(project: Path, repeat: int = 3) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Median wall time and median CPU time (user + system) of ``site-gen check``, cold."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    walls, cpus = [], []
    result = None
    for _ in range(repeat):
        started, cpu = time.perf_counter(), _children_cpu()
        result = subprocess.run([sys.executable, "-m", "bench.launch", "site_gen", "--project", str(project), "check"],
                                capture_output=True, text=True, env=env, check=False)
        walls.append(time.perf_counter() - started)
        cpus.append(_children_cpu() - cpu)
    assert result is not None
    return statistics.median(walls), statistics.median(cpus), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.check_budget", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--broken", type=int, default=1_000)
    parser.add_argument("--budget", type=float, default=BUDGET_SECONDS, help="seconds (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="site-gen-check-budget-") as workdir:
        project = make_project(Path(workdir) / "project", args.records)
        changed = break_references(project / "content", args.broken)
        wall, seconds, result = measure(project, args.repeat)
    lines = result.stderr.splitlines()
    reported = result.returncode == 1 and bool(lines) and lines[-1].endswith("found; nothing was written.")
    within = seconds < args.budget
    print(f"check of {args.records:,} records with {changed:,} broken references: {seconds:.2f} s CPU, "
          f"{wall:.2f} s wall (budget {args.budget:g} s CPU: {'met' if within else 'NOT MET'}); "
          f"{len(lines) - 1} error lines printed{'' if reported else ' — the broken references were NOT reported'}")
    if not reported:
        print(result.stdout + result.stderr[-2000:], file=sys.stderr)
    return 0 if within and reported else 1


if __name__ == "__main__":
    sys.exit(main())
