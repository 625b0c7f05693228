"""Run a module as ``python -m``, after applying the benchmark's ``BENCH_MAX_NODES`` override.

site-gen refuses a content file with more than ``site_gen.load.MAX_NODES`` values (a guard
against hostile input). A briefing of 10,000 records has files above the current limit, so
``python -m bench --max-nodes N`` raises it in the processes it starts, and says so in its report.
"""

from __future__ import annotations

import os
import runpy
import sys

if os.environ.get("BENCH_MAX_NODES"):
    import site_gen.load

    site_gen.load.MAX_NODES = int(os.environ["BENCH_MAX_NODES"])

if __name__ == "__main__":
    module = sys.argv[1]
    sys.argv = [module, *sys.argv[2:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
