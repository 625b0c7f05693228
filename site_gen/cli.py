"""The ``site-gen`` command: a thin shell over the pipeline stages."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .errors import ContentError, SiteGenError

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def _project(args: argparse.Namespace):
    from .generate import Project

    root = Path(args.project).resolve()
    if not (root / "mkdocs.yml").is_file():
        raise SiteGenError(f"{root}: no mkdocs.yml here; run site-gen from a briefing project "
                           "(or pass --project DIR; 'site-gen init DIR' creates one)")
    return Project(root)


def cmd_check(args: argparse.Namespace) -> int:
    from .generate import load

    project = _project(args)
    briefing = load(project)
    print(f"{project.content_dir}: OK — {len(briefing.events)} events, {len(briefing.figures)} figures, "
          f"{len(briefing.quotes)} quotes, {len(briefing.people)} people and organisations, "
          f"{len(briefing.sources)} sources")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .build import mkdocs_build
    from .generate import generate

    project = _project(args)
    started = time.perf_counter()
    _, report = generate(project)
    print(f"docs/: {report.summary()}")
    if args.no_site:
        return 0
    site = mkdocs_build(project, Path(args.site_dir).resolve() if args.site_dir else None, strict=not args.no_strict)
    print(f"site built in {site} ({time.perf_counter() - started:.2f} s)")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .generate import generate

    project = _project(args)
    try:
        generate(project)
    except ContentError as error:
        print(error, file=sys.stderr)
        print("Fix the content above; the preview starts once it is valid.", file=sys.stderr)
        return 1
    from mkdocs.commands.serve import serve

    serve(str(project.config_file), open_in_browser=False, livereload=True,
          dev_addr=args.dev_addr, watch=[str(project.content_dir)])
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="site-gen",
        description="Turn a news briefing kept in YAML (content/) into a MkDocs Material site.",
    )
    parser.add_argument("--project", default=".", help="folder that holds mkdocs.yml and content/ (default: .)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate content/ and report every error",
                                description="Validate content/ and report every error; writes nothing.")
    check.set_defaults(run=cmd_check)

    build = commands.add_parser("build", help="generate docs/ from content/ and build site/",
                                description="Validate content/, regenerate the Markdown in docs/ (only "
                                "changed files) and build site/ with mkdocs build --strict.")
    build.add_argument("--site-dir", help="where to build the site (default: site/)")
    build.add_argument("--no-site", action="store_true", help="only regenerate docs/, do not run MkDocs")
    build.add_argument("--no-strict", action="store_true", help="do not fail on MkDocs warnings")
    build.set_defaults(run=cmd_build)

    serve = commands.add_parser("serve", help="live preview that rebuilds when content/ changes",
                                description="Serve the site with live reload; edits to content/ appear in "
                                "the open browser page.")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: %(default)s)")
    serve.set_defaults(run=cmd_serve)

    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    except SiteGenError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
