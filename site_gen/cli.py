"""The ``site-gen`` command: a thin shell over the pipeline stages."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .engine import ENGINES, EngineSettingError
from .errors import ContentError, SiteGenError

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def _project(args: argparse.Namespace):
    from .generate import Project

    root = Path(args.project).resolve()
    if not (root / "mkdocs.yml").is_file():
        raise SiteGenError(f"{root}: no mkdocs.yml here; run site-gen from a briefing project "
                           "(or pass --project DIR; 'site-gen init DIR' creates one)")
    return Project(root)


def _engine(args: argparse.Namespace, project) -> str:
    """``--engine`` if given, else the project's setting (mkdocs.yml, site_gen/engine.py)."""
    from .engine import configured_engine

    setting = configured_engine(project.config_file)  # checked even when --engine overrides it
    return getattr(args, "engine", None) or setting


def cmd_check(args: argparse.Namespace) -> int:
    from .generate import load

    project = _project(args)
    try:
        _engine(args, project)
    except EngineSettingError as setting:
        try:
            load(project)
        except ContentError as error:
            print(setting, file=sys.stderr)  # every error in one run: the setting's and the content's
            raise error from None
        raise
    briefing = load(project)
    print(f"{project.content_dir}: OK — {len(briefing.events)} events, {len(briefing.figures)} figures, "
          f"{len(briefing.quotes)} quotes, {len(briefing.people)} people and organisations, "
          f"{len(briefing.sources)} sources")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build
    from .generate import generate

    project = _project(args)
    started = time.perf_counter()
    if args.no_site:
        _, report = generate(project)
        print(f"docs/: {report.summary()}")
        return 0
    # Built in a staging folder first: a failed or killed run changes neither docs/ nor site/.
    result = build(project, Path(args.site_dir).resolve() if args.site_dir else None, strict=not args.no_strict,
                   engine=_engine(args, project))
    print(f"docs/: {result.docs.summary()}")
    state = "built" if result.site_changed else "unchanged (identical build)"
    print(f"site {state} in {result.site} ({time.perf_counter() - started:.2f} s)")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .generate import generate

    project = _project(args)
    engine = _engine(args, project)
    try:
        generate(project)
    except ContentError as error:
        print(error, file=sys.stderr)
        print("Fix the content above; the preview starts once it is valid.", file=sys.stderr)
        return 1
    if engine == "zensical":
        from .serve_zensical import serve_zensical

        return serve_zensical(project, args.dev_addr)
    from mkdocs.commands.serve import serve

    from .build import _configure_logging

    # MkDocs' own CLI sets up its log output; called directly, it must be done here, or the editor
    # would not see "Serving on …", the rebuilds, or a broken edit's errors as MkDocs words them.
    _configure_logging()
    # livereload=True is passed explicitly: the default of `mkdocs serve`'s click flag is what
    # click 8.2.2 .. 8.3.x broke (mkdocs/mkdocs#4055), so this path never depends on click.
    serve(str(project.config_file), open_in_browser=False, livereload=True,
          dev_addr=args.dev_addr, watch=[str(project.content_dir)])
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import SCHEMA_PATH, content_schema, dumps
    from .write import atomic_write

    target = Path(args.output) if args.output else Path(args.project).resolve() / SCHEMA_PATH
    text = dumps(content_schema())
    current = target.read_text("utf-8") if target.is_file() else None
    if args.check:
        if current != text:
            print(f"{target} is out of date with the content model; run 'site-gen schema'",
                  file=sys.stderr)
            return 1
        print(f"{target}: up to date")
        return 0
    if current != text:
        atomic_write(target, text.encode("utf-8"))
        print(f"{target}: written")
    else:
        print(f"{target}: unchanged")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from .init import init_project

    target = Path(args.directory).resolve()
    written = init_project(target, title=args.title, language=args.language, currency=args.currency)
    print(f"Created a new briefing in {target} ({len(written)} files).")
    print(f"Next: cd {args.directory} && make site   (or: make serve, for a live preview)")
    return 0


ENGINE_HELP = ("what builds site/ from docs/ for this run: mkdocs or zensical (which reads the same "
               "mkdocs.yml); default: the 'engine' setting of the briefing plugin in mkdocs.yml, else mkdocs")


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
    build.add_argument("--engine", choices=ENGINES, default=None,
                       help=ENGINE_HELP)
    build.set_defaults(run=cmd_build)

    serve = commands.add_parser("serve", help="live preview that rebuilds when content/ changes",
                                description="Serve the site with live reload; edits to content/ appear in "
                                "the open browser page.")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: %(default)s)")
    serve.add_argument("--engine", choices=ENGINES, default=None, help=ENGINE_HELP)
    serve.set_defaults(run=cmd_serve)

    schema = commands.add_parser("schema", help="write the JSON Schema of the content files",
                                 description="Write schema/briefing.schema.json, generated from the "
                                 "content model. Content files name it on their first line "
                                 "('# yaml-language-server: $schema=../schema/briefing.schema.json') "
                                 "so YAML-aware editors complete fields and flag mistakes.")
    schema.add_argument("--output", "-o", help="where to write it (default: schema/briefing.schema.json "
                        "in the project)")
    schema.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the file is missing or out of date")
    schema.set_defaults(run=cmd_schema)

    init = commands.add_parser("init", help="create a new, empty briefing project",
                               description="Create a new briefing project in DIRECTORY (which must "
                               "not exist or be empty): content/ with commented examples, mkdocs.yml, "
                               "Makefile, .gitignore and the schema. 'make site' builds it at once.")
    init.add_argument("directory", metavar="DIRECTORY", help="folder to create")
    init.add_argument("--title", help="title of the briefing (default: from the folder name)")
    init.add_argument("--language", default="en", help="BCP 47 language tag (default: %(default)s)")
    init.add_argument("--currency", default="USD",
                      help="default ISO 4217 currency of funding figures (default: %(default)s)")
    init.set_defaults(run=cmd_init)

    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    except SiteGenError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # a folder not writable, a disk full: say so, never a traceback
        where = f": {error.filename}" if error.filename else ""
        print(f"error: {error.strerror or error}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
