"""Keep the catalogs in step with the code: ``python -m site_gen.i18n.extract`` (``make catalogs``).

It does what ``pybabel extract -F babel.cfg`` followed by ``pybabel update`` does: every message
the code writes (found by ``babel.cfg``'s rules) goes into every shipped catalog, messages the
code no longer writes leave it, and translations already made are kept. A new message arrives
untranslated, which ``tests/test_i18n.py`` reports until someone translates it.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from . import DOMAIN, SHIPPED, SOURCE_LANGUAGE

ROOT = Path(__file__).resolve().parents[2]
LOCALE = Path(__file__).resolve().parent / "locale"


def extract_python(fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str],
                   options: dict[str, Any]) -> Iterator[tuple[int, str, tuple[str | None, ...] | str, list[str]]]:
    """Babel's extraction method for Python source (``babel.cfg``), through ``ast``.

    Babel's own tokenizer-based method does not look inside f-strings before Python 3.12, and the
    renderer calls ``c._("…")`` inside f-strings everywhere; ``ast`` sees every call.
    """
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name is None or name not in keywords:
            continue
        args = tuple(a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                     for a in node.args)
        if args and args[0] is not None:
            yield node.lineno, name, args if len(args) > 1 else args[0], []


def extract(root: Path = ROOT) -> Catalog:
    """The messages of the code under ``root``, as ``babel.cfg`` finds them."""
    with (root / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    template = Catalog(domain=DOMAIN, project="site-gen", fuzzy=False)
    for _filename, _lineno, message, comments, context in extract_from_dir(
            root, method_map, options_map, comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        template.add(message, None, auto_comments=comments, context=context)
    return template


def update(root: Path = ROOT) -> list[Path]:
    written = []
    for code in SHIPPED:
        template = extract(root)  # Catalog.update shares the template's messages: one per catalog
        path = LOCALE / code / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=code, domain=DOMAIN)
        else:
            catalog = Catalog(locale=code, domain=DOMAIN, project="site-gen", fuzzy=False)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        if code == SOURCE_LANGUAGE:  # the source language: each message is its own translation
            for message in catalog:
                if message.id and not any(message.string if isinstance(message.string, tuple)
                                          else [message.string]):
                    message.string = message.id
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, no_location=True, sort_output=True, omit_header=False)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in update():
        print(path.relative_to(ROOT))
    sys.exit(0)
