"""``python -m bench``: build synthetic briefings of several sizes and print the results table.

    python -m bench                      # 100, 1,000 and 10,000 records, MkDocs and Zensical
    python -m bench --sizes 100          # the CI smoke size
    python -m bench --sizes 0,100        # 0 stands for the repository's own briefing
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from . import browser
from .project import make_project
from .run import REAL, bench_size, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="0,100,1000,10000",
                        help="comma-separated record counts; 0 = this repository's briefing (default: %(default)s)")
    parser.add_argument("--engines", default="mkdocs,zensical", help="default: %(default)s")
    parser.add_argument("--repeat", type=int, default=0,
                        help="runs per measurement, the median is shown (default: 3 below 10,000 records, else 1)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium search and preview timings")
    parser.add_argument("--workdir", type=Path, help="where to build the projects (default: a temporary folder, "
                        "removed afterwards)")
    parser.add_argument("--output", type=Path, help="also write the report (Markdown) to this file")
    parser.add_argument("--max-nodes", type=int, help="raise site-gen's limit of values per content file in the "
                        "benchmark's processes (see bench/launch.py); the report says so")
    args = parser.parse_args(argv)
    if args.max_nodes:
        os.environ["BENCH_MAX_NODES"] = str(args.max_nodes)

    sizes = [int(s.replace("_", "").replace(",", "")) for s in args.sizes.split(",") if s.strip()]
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = set(engines) - {"mkdocs", "zensical"}
    if unknown:
        parser.error(f"unknown engine(s): {', '.join(sorted(unknown))}")
    why_not = None if args.no_browser else browser.available()
    if why_not:
        print(f"note: browser timings skipped: {why_not}", file=sys.stderr)
    with_browser = not args.no_browser and why_not is None

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="site-gen-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    preview = None
    try:
        for records in sizes:
            repeat = args.repeat or (3 if records < 10_000 else 1)
            print(f"benchmarking {'this briefing' if records == REAL else f'{records:,} records'} …",
                  file=sys.stderr, flush=True)
            rows += bench_size(records, engines, workdir, with_browser, repeat)
        if with_browser and REAL in sizes:
            try:
                project = make_project(workdir / "preview", None)
                preview = browser.preview_latency(project, "events.yaml", "timeline/")
            except Exception as error:  # noqa: BLE001 - a failed timing is reported, not fatal
                print(f"note: live preview timing failed: {error}", file=sys.stderr)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    text = report(rows, engines, sizes, preview)
    print(text)
    if args.output:
        args.output.write_text(text, "utf-8")
    return 1 if any(row.error for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
