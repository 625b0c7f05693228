"""Compiled theme templates are kept between builds (site_gen/jinja_cache.py), never served stale.

Each build is a real ``mkdocs build --strict`` of the small fixture briefing; the entries in
``.cache/site-gen/jinja/`` are watched from outside: Jinja writes an entry whenever it compiled a
template, so an entry left untouched by a build is one that build reused.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from jinja2.bccache import bc_magic

from site_gen.jinja_cache import JINJA_CACHE_DIR, TemplateBytecodeCache, environment_fingerprint

from .conftest import REPO

ANNOUNCE = "{% block announce %}Template check {{ 40 + 2 }}: NUMBER{% endblock %}\n"


def _build(project: Path, site: str = "site", **env: str) -> None:
    environment = {**os.environ, "PYTHONPATH": str(REPO), **env}
    if "SITE_GEN_NO_CACHE" not in env:
        environment.pop("SITE_GEN_NO_CACHE", None)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", site],
                            cwd=project, env=environment, text=True, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def _entries(project: Path) -> dict[str, tuple[int, int]]:
    """Every cache entry with its inode and modification time: a rewritten entry changes both."""
    folder = project / JINJA_CACHE_DIR
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.glob("*.jinja.bc")}


def _tree(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_compiled_templates_are_reused_and_an_edited_template_is_compiled_again(mini_project: Path) -> None:
    _build(mini_project)
    first = _entries(mini_project)
    assert len(first) > 20, "Material's templates should have been compiled into the cache"
    home = mini_project / "site" / "index.html"
    before = home.read_bytes()

    _build(mini_project)
    assert _entries(mini_project) == first, "a build with unchanged templates compiled some again"
    assert home.read_bytes() == before

    # An edited override is compiled again (and only it), and the page shows the edit.
    main = mini_project / "overrides" / "main.html"
    original = main.read_text("utf-8")
    main.write_text(original + ANNOUNCE.replace("NUMBER", "one"), "utf-8")
    _build(mini_project)
    edited = _entries(mini_project)
    assert edited.keys() == first.keys()
    assert [name for name in first if edited[name] != first[name]] != []
    assert len([name for name in first if edited[name] != first[name]]) == 1
    assert "Template check 42: one" in home.read_text("utf-8")

    # A second edit and the way back are both seen: no older compiled version is ever used.
    main.write_text(original + ANNOUNCE.replace("NUMBER", "two"), "utf-8")
    _build(mini_project)
    assert "Template check 42: two" in home.read_text("utf-8")
    assert "Template check 42: one" not in home.read_text("utf-8")
    main.write_text(original, "utf-8")
    _build(mini_project)
    assert home.read_bytes() == before


def test_the_site_is_the_same_with_and_without_the_cache(mini_project: Path) -> None:
    _build(mini_project, "site-uncached", SITE_GEN_NO_CACHE="1")
    assert not (mini_project / JINJA_CACHE_DIR).exists(), "SITE_GEN_NO_CACHE=1 must not write the cache"
    _build(mini_project, "site-cold")
    _build(mini_project, "site-warm")
    uncached = _tree(mini_project / "site-uncached")
    assert _tree(mini_project / "site-cold") == uncached
    assert _tree(mini_project / "site-warm") == uncached


def test_a_damaged_or_unwritable_cache_never_fails_a_build(mini_project: Path) -> None:
    _build(mini_project)
    expected = _tree(mini_project / "site")
    folder = mini_project / JINJA_CACHE_DIR
    entries = sorted(folder.glob("*.jinja.bc"))
    for index, entry in enumerate(entries):  # cut short, emptied, or garbage after a valid header
        data = entry.read_bytes()
        entry.write_bytes([data[: len(data) // 2], b"", bc_magic + b"\x80garbage" * 10][index % 3])
    _build(mini_project)
    assert _tree(mini_project / "site") == expected
    # The damaged entries were replaced by good ones, which the next build uses.
    repaired = _entries(mini_project)
    _build(mini_project)
    assert _entries(mini_project) == repaired

    # A cache folder that cannot be created: the build works without the cache.
    for entry in folder.iterdir():
        entry.unlink()
    folder.rmdir()
    folder.write_text("not a folder", "utf-8")
    _build(mini_project)
    assert _tree(mini_project / "site") == expected


def _render(cache: TemplateBytecodeCache, templates: Path, environment: jinja2.Environment) -> str:
    environment.loader = jinja2.FileSystemLoader(str(templates))
    environment.bytecode_cache = cache
    return environment.get_template("page.html").render(name="World")


def test_a_different_environment_never_uses_code_compiled_for_another(tmp_path: Path) -> None:
    """Compiled code depends on the environment, which Jinja's own check (the source) misses."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("Hello {{ name | greet }}!", "utf-8")
    cache = TemplateBytecodeCache(tmp_path / "cache")

    plain = jinja2.Environment()
    plain.filters["greet"] = lambda value: value.upper()
    assert _render(cache, templates, plain) == "Hello WORLD!"

    # The same filter name, now taking the context first: code compiled for the plain filter
    # would pass the name as the context.
    with_context = jinja2.Environment()
    with_context.filters["greet"] = jinja2.pass_context(lambda context, value: f"{value} of {context.name}")
    assert environment_fingerprint(with_context) != environment_fingerprint(plain)
    assert _render(cache, templates, with_context) == "Hello World of page.html!"

    # Other syntax options compile the same source differently.
    (templates / "page.html").write_text("Hello [[ name ]]! {{ name }}", "utf-8")
    bracketed = jinja2.Environment(variable_start_string="[[", variable_end_string="]]")
    braced = jinja2.Environment()
    assert _render(cache, templates, braced) == "Hello [[ name ]]! World"
    assert _render(cache, templates, bracketed) == "Hello World! {{ name }}"
    assert len(list((tmp_path / "cache").glob("*.jinja.bc"))) == 4

    # Each environment finds its own entry again.
    again = jinja2.Environment(variable_start_string="[[", variable_end_string="]]")
    again.loader = jinja2.FileSystemLoader(str(templates))
    compiled: list[str] = []
    original = again.compile
    again.compile = lambda *args, **kwargs: compiled.append("x") or original(*args, **kwargs)  # type: ignore[method-assign]
    again.bytecode_cache = cache
    assert again.get_template("page.html").render(name="World") == "Hello World! {{ name }}"
    assert compiled == [], "the cached entry was not used"


@pytest.mark.parametrize("damage", [b"", b"j2", b"\x00" * 40, bc_magic + b"\x80garbage", bc_magic + b"\x80\x02X"])
def test_damaged_entries_are_compiled_again(tmp_path: Path, damage: bytes) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("Hello {{ name }}!", "utf-8")
    cache = TemplateBytecodeCache(tmp_path / "cache")
    assert _render(cache, templates, jinja2.Environment()) == "Hello World!"
    (entry,) = (tmp_path / "cache").glob("*.jinja.bc")
    entry.write_bytes(damage)
    assert _render(cache, templates, jinja2.Environment()) == "Hello World!"
