"""Time one cold generation, stage by stage, then one no-op regeneration.

Run as ``python -m bench.generation PROJECT`` (a fresh interpreter, so nothing is warm but the
imports, which are timed separately); prints one JSON object. The stages are timed by wrapping
the functions ``site_gen.generate.generate`` calls, so what is measured is the real pipeline:

* load: reading and parsing every YAML file (``load.load_file``);
* validate: the typed model and the cross-reference checks (the rest of ``load_briefing``);
* render: every page (``render_pages``) and the data files (``render_data``), also given apart;
* write: comparing with docs/ and writing what changed (``write_pages``).
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

started = time.perf_counter()
import site_gen.generate as generate_module
import site_gen.validate as validate_module
from site_gen.generate import Project, generate

imported = time.perf_counter()

timings: dict[str, float] = defaultdict(float)   # wall clock
cpu: dict[str, float] = defaultdict(float)       # this process's CPU time (user + system)


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        begin, begin_cpu = time.perf_counter(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            timings[name] += time.perf_counter() - begin
            cpu[name] += time.process_time() - begin_cpu

    return wrapper


def main(root: Path) -> dict[str, Any]:
    validate_module.load_file = timed("load", validate_module.load_file)  # type: ignore[assignment]
    generate_module.load = timed("load_validate", generate_module.load)  # type: ignore[assignment]
    generate_module.render_pages = timed("render_pages", generate_module.render_pages)  # type: ignore[assignment]
    generate_module.render_data = timed("render_data", generate_module.render_data)  # type: ignore[assignment]
    generate_module.write_pages = timed("write", generate_module.write_pages)  # type: ignore[assignment]

    project = Project(root)
    begin, begin_cpu = time.perf_counter(), time.process_time()
    _, report = generate(project)
    total, total_cpu = time.perf_counter() - begin, time.process_time() - begin_cpu
    begin, begin_cpu = time.perf_counter(), time.process_time()
    _, again = generate(project)
    noop, noop_cpu = time.perf_counter() - begin, time.process_time() - begin_cpu
    result: dict[str, Any] = {"import": imported - started, "files": len(report.written) + len(report.unchanged),
                              "noop_written": len(again.written) + len(again.removed)}
    for prefix, clock, whole, nothing in (("", timings, total, noop), ("cpu_", cpu, total_cpu, noop_cpu)):
        result.update({
            f"{prefix}load": clock.get("load", 0.0),
            f"{prefix}validate": clock.get("load_validate", 0.0) - clock.get("load", 0.0),
            f"{prefix}render": clock.get("render_pages", 0.0) + clock.get("render_data", 0.0),
            f"{prefix}render_pages": clock.get("render_pages", 0.0),
            f"{prefix}render_data": clock.get("render_data", 0.0),
            f"{prefix}write": clock.get("write", 0.0),
            f"{prefix}generation": whole,
            f"{prefix}noop": nothing,
        })
    return result


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]).resolve())))
