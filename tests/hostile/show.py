"""Print what site-gen answers to hostile cases, to write a new case's expected lines.

    .venv/bin/python -m tests.hostile.show                 # every case
    .venv/bin/python -m tests.hostile.show loader-nan ...  # some cases, by file name

Read the output before pasting it into a case: the corpus is only worth something if every
expected line was checked by a person.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from site_gen.errors import ContentError
from site_gen.validate import load_briefing

from .support import all_cases, load_case, project_for


def main(names: list[str]) -> int:
    for path in all_cases():
        if names and path.stem not in names:
            continue
        case = load_case(path)
        with tempfile.TemporaryDirectory() as folder:
            root = project_for(case, Path(folder) / "project")
            started = time.perf_counter()
            try:
                load_briefing(root / "content", display_root=root)
                lines = ["(valid: builds)"]
            except ContentError as error:
                lines = [json.dumps(str(d), ensure_ascii=False) for d in error.diagnostics]
            elapsed = time.perf_counter() - started
        print(f"{path.name}  ({elapsed:.3f} s)")
        for line in lines:
            print(f"    - {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
