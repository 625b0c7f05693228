"""The ``site-gen`` command: a thin shell over the pipeline stages."""

from __future__ import annotations

import argparse
import errno
import os
import sys
import time
from pathlib import Path
from typing import Any

from . import console
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


def _check_language(project, engine: str = "mkdocs") -> None:
    """briefing.yaml and mkdocs.yml agree on the language (site_gen/i18n/project.py); warnings shown."""
    from .i18n.project import project_language

    found = project_language(project.root)
    for warning in found.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if engine != "mkdocs" and found.configured is None and found.theme != "en":
        found.errors.append(f"mkdocs.yml: {engine} does not run site-gen's plugin, which sets theme.language "
                            f"from content/briefing.yaml; set theme.language: {found.theme} in mkdocs.yml")
    if found.errors:
        raise SiteGenError("\n".join(found.errors))


def _say(args: argparse.Namespace, text: str) -> None:
    """A line of normal output (stdout); ``-q`` keeps only errors."""
    if args.verbosity > console.QUIET:
        print(text)


def _progress(args: argparse.Namespace) -> console.Progress | None:
    if args.verbosity <= console.QUIET:
        return None
    try:
        after = float(os.environ.get("SITE_GEN_PROGRESS_AFTER", "2"))
    except ValueError:
        after = 2.0
    return console.Progress(sys.stderr, live=sys.stderr.isatty() and os.environ.get("TERM") != "dumb",
                            after=after)


def cmd_check(args: argparse.Namespace) -> int:
    from .generate import check

    project = _project(args)
    try:
        _engine(args, project)
    except EngineSettingError as setting:
        try:
            check(project)
        except ContentError as error:
            print(setting, file=sys.stderr)  # every error in one run: the setting's and the content's
            raise error from None
        raise
    briefing = check(project)  # validates, and renders everything in memory (writes nothing)
    _check_language(project)
    _say(args, f"{project.content_dir}: OK — {len(briefing.events)} events, {len(briefing.figures)} figures, "
         f"{len(briefing.quotes)} quotes, {len(briefing.people)} people and organisations, "
         f"{len(briefing.sources)} sources")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build
    from .generate import generate

    project = _project(args)
    started = time.perf_counter()
    engine = _engine(args, project)
    _check_language(project, engine)
    with console.reporting(_progress(args)):
        if args.no_site:
            _, report = generate(project)
        else:
            # Built in a staging folder first: a failed or killed run changes neither docs/ nor site/.
            result = build(project, Path(args.site_dir).resolve() if args.site_dir else None,
                           strict=not args.no_strict, engine=engine)
    if args.no_site:
        _say(args, f"docs/: {report.summary()}")
        return 0
    _say(args, f"docs/: {result.docs.summary()}")
    state = "built" if result.site_changed else "unchanged (identical build)"
    _say(args, f"site {state} in {result.site} ({time.perf_counter() - started:.2f} s)")
    return 0


def _port_is_free(host: str, port: int) -> OSError | None:
    """The error binding ``host:port`` gives now (None: it can be bound), as MkDocs will bind it."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # LiveReloadServer (wsgiref) binds with SO_REUSEADDR: a port in TIME_WAIT is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            return error
    return None


def _serve_error(address: str, error: OSError) -> SiteGenError:
    host, _, port = address.rpartition(":")
    if error.errno == errno.EADDRINUSE:
        other = f"{host}:{int(port) + 1}" if port.isdigit() and int(port) < 65535 else f"{host}:8001"
        return SiteGenError(
            f"cannot serve on {address}: the address is already in use (another preview, or another "
            f"program, is listening there). Choose a free port: site-gen serve --dev-addr {other}, "
            f"or make serve PORT={other.rpartition(':')[2]}")
    return SiteGenError(f"cannot serve on {address}: {error.strerror or error} "
                        "(choose another address with --dev-addr HOST:PORT)")


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import Abort, ConfigurationError

    from .plugin import InvalidContent

    project = _project(args)
    engine = _engine(args, project)
    host, _, port = args.dev_addr.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise SiteGenError(f"--dev-addr {args.dev_addr!r}: expected HOST:PORT, such as 127.0.0.1:8000")
    busy = _port_is_free(host.strip("[]"), int(port))
    if busy is not None:
        raise _serve_error(args.dev_addr, busy)
    if engine == "zensical":
        _check_language(project, engine)
        from .generate import generate
        from .serve_zensical import serve_zensical

        try:
            generate(project)
        except ContentError as error:
            print(error, file=sys.stderr)
            print("Fix the content above; the preview starts once it is valid.", file=sys.stderr)
            return 1
        return serve_zensical(project, args.dev_addr)
    # MkDocs' own CLI sets up its log output; called directly, it must be done here, or the editor
    # would not see "Serving on …", the rebuilds, or a broken edit's errors as MkDocs words them.
    try:
        # livereload=True is passed explicitly: the default of `mkdocs serve`'s click flag is
        # what click 8.2.2 .. 8.3.x broke (mkdocs/mkdocs#4055), so this never depends on click.
        serve(str(project.config_file), open_in_browser=False, livereload=True,
              dev_addr=args.dev_addr, watch=[str(project.content_dir)])
    except Abort as abort:
        if isinstance(abort.__context__, InvalidContent):  # MkDocs has logged every error
            print("Fix the content above; the preview starts once it is valid.", file=sys.stderr)
            return 1
        raise SiteGenError(f"MkDocs build failed: {abort}") from None
    except ConfigurationError as error:
        raise SiteGenError(f"{project.config_file}: {error}") from None
    except OSError as error:
        if error.errno in (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES):
            raise _serve_error(args.dev_addr, error) from None
        raise
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
        _say(args, f"{target}: up to date")
        return 0
    if current != text:
        atomic_write(target, text.encode("utf-8"))
        _say(args, f"{target}: written")
    else:
        _say(args, f"{target}: unchanged")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from .init import init_project

    target = Path(args.directory).resolve()
    written = init_project(target, title=args.title, language=args.language, currency=args.currency,
                           site_gen_spec=args.site_gen_spec)
    from .i18n import language_warning

    warning = language_warning(args.language)
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    _say(args, f"Created a new briefing in {target} ({len(written)} files).")
    _say(args, f"Next: cd {args.directory} && make site   (or: make serve, for a live preview)")
    return 0


ENGINE_HELP = ("what builds site/ from docs/ for this run: mkdocs or zensical (which reads the same "
               "mkdocs.yml); default: the 'engine' setting of the briefing plugin in mkdocs.yml, else mkdocs")

def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    def of(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    python = ".".join(map(str, sys.version_info[:3]))
    return (f"site-gen {of('site-gen')} (MkDocs {of('mkdocs')}, Material for MkDocs "
            f"{of('mkdocs-material')}, Python {python}) from {Path(__file__).resolve().parent}")


class _Version(argparse.Action):
    """``--version``, printed as it is (argparse's own action re-wraps it to the terminal)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help=str(kwargs.get("help", "")))

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(_version())
        parser.exit()


def _global_options(suppress: bool) -> argparse.ArgumentParser:
    """The options every command takes, before or after its name (``site-gen check -q``).

    Given after the command, they are parsed by the command's parser, whose defaults are
    SUPPRESS-ed so that they never overwrite a value given before the command.
    """
    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    options = argparse.ArgumentParser(add_help=False)
    group = options.add_argument_group("global options")
    group.add_argument("--project", metavar="DIR", default=default("."),
                       help="folder that holds mkdocs.yml and content/ (default: .)")
    group.add_argument("-q", "--quiet", dest="verbosity", action="store_const", const=console.QUIET,
                       default=default(console.NORMAL), help="print errors only")
    group.add_argument("-v", "--verbose", dest="verbosity", action="store_const", const=console.VERBOSE,
                       default=default(console.NORMAL), help="print everything, MkDocs' debug output included")
    group.add_argument("--no-color", "--no-colour", dest="no_color", action="store_true",
                       default=default(False), help="no colour (also when NO_COLOR is set, or not on a terminal)")
    return options


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="site-gen", parents=[_global_options(suppress=False)],
        description="Turn a news briefing kept in YAML (content/) into a MkDocs Material site.",
    )
    parser.add_argument("--version", action=_Version, help="print the versions of site-gen and MkDocs, then exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = [_global_options(suppress=True)]

    def command(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=common, **kwargs)

    check = command("check", help="validate content/ and report every error",
                        description="Validate content/ and report every error; writes nothing.")
    check.set_defaults(run=cmd_check)

    build = command("build", help="generate docs/ from content/ and build site/",
                        description="Validate content/, regenerate the Markdown in docs/ (only "
                        "changed files) and build site/ with mkdocs build --strict.")
    build.add_argument("--site-dir", help="where to build the site (default: site/)")
    build.add_argument("--no-site", action="store_true", help="only regenerate docs/, do not run MkDocs")
    build.add_argument("--no-strict", action="store_true", help="do not fail on MkDocs warnings")
    build.add_argument("--engine", choices=ENGINES, default=None,
                       help=ENGINE_HELP)
    build.set_defaults(run=cmd_build)

    serve = command("serve", help="live preview that rebuilds when content/ changes",
                        description="Serve the site with live reload; edits to content/ appear in "
                        "the open browser page.")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: %(default)s)")
    serve.add_argument("--engine", choices=ENGINES, default=None, help=ENGINE_HELP)
    serve.set_defaults(run=cmd_serve)

    schema = command("schema", help="write the JSON Schema of the content files",
                        description="Write schema/briefing.schema.json, generated from the "
                        "content model. Content files name it on their first line "
                        "('# yaml-language-server: $schema=../schema/briefing.schema.json') "
                        "so YAML-aware editors complete fields and flag mistakes.")
    schema.add_argument("--output", "-o", help="where to write it (default: schema/briefing.schema.json "
                        "in the project)")
    schema.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the file is missing or out of date")
    schema.set_defaults(run=cmd_schema)

    init = command("init", help="create a new, empty briefing project",
                        description="Create a new briefing project in DIRECTORY (which must "
                        "not exist or be empty): content/ with commented examples, mkdocs.yml and the "
                        "theme, pinned requirements.txt, a Makefile that makes its own .venv, tests, "
                        ".ci/run, a publish workflow, pre-commit, .gitignore and the schema. "
                        "'make site' builds it at once, on any machine with python3 and make.")
    init.add_argument("directory", metavar="DIRECTORY", help="folder to create")
    init.add_argument("--title", help="title of the briefing (default: from the folder name)")
    init.add_argument("--language", default="en", help="BCP 47 language tag (default: %(default)s)")
    init.add_argument("--currency", default="USD",
                      help="default ISO 4217 currency of funding figures (default: %(default)s)")
    init.add_argument("--site-gen-spec", metavar="SPEC",
                      help="where the new project's Makefile installs site-gen from (SITE_GEN_SPEC): a "
                      "wheel (copied into the project), a source folder, a VCS URL or a requirement "
                      "(default: site-gen==<this version>)")
    init.set_defaults(run=cmd_init)
    return parser


def _error_text(error: BaseException, args: argparse.Namespace) -> str:
    colour = console.colour_wanted(sys.stderr, args.no_color)
    if isinstance(error, ContentError):
        *lines, last = str(error).splitlines()
        return "\n".join([*lines, console.paint(last, "31", colour)])
    if isinstance(error, OSError):
        where = f": {error.filename}" if error.filename else ""
        text = f"{error.strerror or error}{where}"
    else:
        text = str(error)
    return f"{console.paint('error:', '31;1', colour)} {text}"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    console.configure_logging(args.verbosity, colour=console.colour_wanted(sys.stderr, args.no_color))
    try:
        return int(args.run(args))
    except (SiteGenError, OSError) as error:  # OSError: a folder not writable, a disk full
        print(_error_text(error, args), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
