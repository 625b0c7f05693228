"""Which engine builds site/ from docs/: a project setting, ``engine`` of the ``briefing`` plugin.

    plugins:
      - search
      - briefing:
          engine: zensical     # or mkdocs, the default

``site-gen build``, ``serve`` and ``check`` (and so ``make site`` and the publish workflow, which
call them) read it from mkdocs.yml; ``--engine`` on the command line overrides it for one run.
The MkDocs plugin declares the same option (``plugin.py``), so plain ``mkdocs build`` accepts the
file; it builds with MkDocs whatever the setting says, because it *is* MkDocs.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml

from .errors import Diagnostic, SiteGenError

ENGINES = ("mkdocs", "zensical")
DEFAULT_ENGINE = "mkdocs"
PLUGIN = "briefing"


class EngineSettingError(SiteGenError):
    """The ``engine`` setting in mkdocs.yml is not one site-gen knows."""


def _where(config_file: Path, node: yaml.Node) -> tuple[str, int, int]:
    return config_file.name, node.start_mark.line + 1, node.start_mark.column + 1


def _plugin_options(root: yaml.Node) -> yaml.Node | None:
    """The node of the ``briefing`` plugin's options in a composed mkdocs.yml, if any."""
    if not isinstance(root, yaml.MappingNode):
        return None
    plugins = next((value for key, value in root.value if key.value == "plugins"), None)
    if isinstance(plugins, yaml.SequenceNode):
        for item in plugins.value:
            if isinstance(item, yaml.MappingNode):
                for key, value in item.value:
                    if key.value == PLUGIN:
                        return value
    elif isinstance(plugins, yaml.MappingNode):
        return next((value for key, value in plugins.value if key.value == PLUGIN), None)
    return None


def _inherited(root: yaml.Node, config_file: Path) -> Path | None:
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "INHERIT" and isinstance(value, yaml.ScalarNode):
                return (config_file.parent / value.value).resolve()
    return None


def configured_engine(config_file: Path, _seen: frozenset[Path] = frozenset()) -> str:
    """The engine mkdocs.yml names (following ``INHERIT``), or ``mkdocs`` when it names none.

    A value that is not an engine is an error that says where it is and what would be right::

        mkdocs.yml:62:19: plugins.briefing.engine: expected one of 'mkdocs', 'zensical',
        received 'zensicl' (did you mean 'zensical'?)
    """
    try:
        root = yaml.compose(config_file.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return DEFAULT_ENGINE  # MkDocs itself reports an unreadable mkdocs.yml, in its own words
    options = _plugin_options(root) if root is not None else None
    if isinstance(options, yaml.MappingNode):
        value = next((v for k, v in options.value if k.value == "engine"), None)
        if value is not None:
            return _checked(config_file, value)
    parent = _inherited(root, config_file) if root is not None else None
    if parent is not None and parent not in _seen and parent.is_file():
        return configured_engine(parent, _seen | {config_file.resolve()})
    return DEFAULT_ENGINE


def _checked(config_file: Path, node: yaml.Node) -> str:
    received = node.value if isinstance(node, yaml.ScalarNode) else None
    if isinstance(received, str) and received in ENGINES and node.tag == "tag:yaml.org,2002:str":
        return received
    if not isinstance(received, str):
        shown = f"a {type(node).__name__.removesuffix('Node').lower()}"
    else:
        shown = repr(received) if node.tag == "tag:yaml.org,2002:str" else received
    close = difflib.get_close_matches(received, ENGINES, n=1) if isinstance(received, str) else []
    file, line, column = _where(config_file, node)
    raise EngineSettingError(str(Diagnostic(
        file, line, column, f"plugins.{PLUGIN}.engine",
        f"expected one of {', '.join(repr(e) for e in ENGINES)}, received {shown}",
        f"did you mean {close[0]!r}?" if close else "the engine that builds site/ from docs/")))
