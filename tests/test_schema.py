"""The JSON Schema editors use (``site-gen schema``) agrees with the loader (``site-gen check``).

Every content file is validated with the real ``jsonschema`` library against the committed
schema, and a set of mistakes is shown to every side: the schema and the loader must both
reject each of them. Where only the loader can decide (references between files, calendar
dates, reserved ids, …), a test pins that down too, so the limits of editor checking are known.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from site_gen.errors import ContentError
from site_gen.model import CONTENT_FILES
from site_gen.schema import MODELINE_PREFIX, SCHEMA_PATH, content_schema, dumps
from site_gen.validate import load_briefing

from .conftest import FIXTURES, REPO, run_site_gen

OTHER = FIXTURES / "other-story" / "content"
CONTENT_DIRS = [REPO / "content", FIXTURES / "mini" / "content", OTHER]


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads((REPO / SCHEMA_PATH).read_text("utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    assert cls is jsonschema.Draft7Validator  # what yaml-language-server fully supports
    return cls(schema)


def schema_errors(validator: jsonschema.protocols.Validator, data: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def test_committed_schema_is_up_to_date() -> None:
    committed = (REPO / SCHEMA_PATH).read_text("utf-8")
    assert committed == dumps(content_schema()), "run 'site-gen schema' and commit the result"


def test_schema_command_writes_and_checks(tmp_path: Path) -> None:
    target = tmp_path / "out" / "schema.json"
    result = run_site_gen("schema", "--output", str(target), cwd=REPO, check=True)
    assert "written" in result.stdout
    assert target.read_text("utf-8") == dumps(content_schema())
    assert run_site_gen("schema", "--output", str(target), "--check", cwd=REPO).returncode == 0
    target.write_text("{}\n", "utf-8")
    stale = run_site_gen("schema", "--output", str(target), "--check", cwd=REPO)
    assert stale.returncode == 1 and "out of date" in stale.stderr
    assert target.read_text("utf-8") == "{}\n", "--check writes nothing"


@pytest.mark.parametrize("content", CONTENT_DIRS, ids=lambda p: p.parent.name)
def test_every_content_file_validates_against_the_schema(validator, content: Path) -> None:
    load_briefing(content)  # and the loader accepts the same files
    for path in sorted(content.glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        assert schema_errors(validator, data) == [], path


@pytest.mark.parametrize("content", [REPO / "content", OTHER], ids=["briefing", "other-story"])
def test_every_content_file_names_the_schema_on_its_first_line(content: Path) -> None:
    for path in sorted(content.glob("*.yaml")):
        first = path.read_text("utf-8").splitlines()[0]
        assert first.startswith(MODELINE_PREFIX), path
        target = (path.parent / first.removeprefix(MODELINE_PREFIX)).resolve()
        assert target == (REPO / SCHEMA_PATH).resolve(), path


def test_top_level_key_selects_the_file_model(validator) -> None:
    errors = schema_errors(validator, {"quotes": [{"id": "x", "text": "t", "speakr": "y"}]})
    assert any("speakr" in e for e in errors), errors
    assert any("'speaker' is a required property" in e for e in errors), errors
    assert any("'title' is a required property" in e for e in schema_errors(validator, {"tagline": "t"}))


# --------------------------------------------------------------------------- bad inputs

Mutation = Callable[[dict[str, Any]], None]


def _set(section: str, index: int, key: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data[section][index][key] = value
    return mutate


def _drop(section: str, index: int, key: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        del data[section][index][key]
    return mutate


def _top(key: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        if value is _DELETE:
            del data[key]
        else:
            data[key] = value
    return mutate


_DELETE = object()

BAD_INPUTS: dict[str, tuple[str, Mutation]] = {
    "unknown field": ("quotes.yaml", _set("quotes", 0, "speakr", "simic")),
    "missing required field": ("quotes.yaml", _drop("quotes", 0, "speaker")),
    "quote kind not allowed": ("quotes.yaml", _set("quotes", 0, "kind", "quote")),
    "quote text is a number": ("quotes.yaml", _set("quotes", 0, "text", 12)),
    "empty text": ("quotes.yaml", _set("quotes", 0, "context", "")),
    "date in words": ("events.yaml", _set("events", 0, "date", "March 2031")),
    "date as a number that is not a year": ("events.yaml", _set("events", 0, "date", 20310301)),
    "no sources": ("events.yaml", _set("events", 0, "sources", [])),
    "sources not a list": ("events.yaml", _set("events", 0, "sources", "herald-2031-03")),
    "id with spaces and capitals": ("people.yaml", _set("people", 0, "id", "Zoe Simic")),
    "id too long": ("events.yaml", _set("events", 0, "id", "a" * 65)),
    "person kind not allowed": ("people.yaml", _set("people", 0, "kind", "company")),
    "amount written in words": ("funding.yaml", _set("figures", 0, "amount", {"value": "420 million"})),
    "negative amount": ("funding.yaml", _set("figures", 0, "amount", {"value": -5})),
    "lower-case currency": ("funding.yaml", _set("figures", 0, "amount", {"value": 1, "currency": "eur"})),
    "approximate as text": ("funding.yaml", _set("figures", 0, "amount", {"value": 1, "approximate": "yes"})),
    "figure status not allowed": ("funding.yaml", _set("figures", 0, "status", "pending")),
    "ftp link": ("sources.yaml", _set("sources", 0, "url", "ftp://example.org/file")),
    "source kind not allowed": ("sources.yaml", _set("sources", 0, "kind", "blog")),
    "source without title": ("sources.yaml", _drop("sources", 0, "title")),
    "update kind not allowed": ("updates.yaml", _set("updates", 0, "kind", "fix")),
    "briefing without title": ("briefing.yaml", _top("title", _DELETE)),
    "six summary sentences": ("briefing.yaml", _top("summary", ["One."] * 6)),
    "bad language tag": ("briefing.yaml", _top("language", "English")),
    "unknown briefing field": ("briefing.yaml", _top("subtitle", "x")),
    "two sections in one file": ("faq.yaml", _top("quotes", [])),
    "section is not a list": ("topics.yaml", _top("topics", {"id": "trams"})),
}


def _loader_rejects(tmp_path: Path, filename: str, data: Any) -> list[str]:
    content = tmp_path / "content"
    shutil.copytree(OTHER, content)
    (content / filename).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    try:
        load_briefing(content)
    except ContentError as error:
        return [str(d) for d in error.diagnostics if d.file.endswith(filename)]
    return []


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_schema_and_loader_both_reject(validator, tmp_path: Path, name: str) -> None:
    filename, mutate = BAD_INPUTS[name]
    data = yaml.safe_load((OTHER / filename).read_text("utf-8"))
    mutate(data)
    assert schema_errors(validator, data), f"the schema accepts: {name}"
    assert _loader_rejects(tmp_path, filename, data), f"the loader accepts: {name}"


def test_a_file_that_is_a_list_is_rejected_by_both(validator, tmp_path: Path) -> None:
    data = [{"id": "trams", "name": "Trams"}]
    assert schema_errors(validator, data)
    assert _loader_rejects(tmp_path, "topics.yaml", data)


# What only the loader can check: the schema sees one file's shape, not the whole briefing.
LOADER_ONLY: dict[str, tuple[str, Mutation]] = {
    "unknown speaker (a reference to another file)": ("quotes.yaml", _set("quotes", 0, "speaker", "simicc")),
    "a day that does not exist": ("events.yaml", _set("events", 0, "date", "2031-02-30")),
    "month 13": ("events.yaml", _set("events", 0, "date", "2031-13")),
    "reserved id": ("topics.yaml", lambda d: d["topics"][0].update(id="index")),
    "text of spaces only": ("quotes.yaml", _set("quotes", 0, "context", "   ")),
}


@pytest.mark.parametrize("name", list(LOADER_ONLY))
def test_what_only_the_loader_catches(validator, tmp_path: Path, name: str) -> None:
    filename, mutate = LOADER_ONLY[name]
    data = copy.deepcopy(yaml.safe_load((OTHER / filename).read_text("utf-8")))
    mutate(data)
    assert schema_errors(validator, data) == [], "the schema learned this; move it to BAD_INPUTS"
    assert _loader_rejects(tmp_path, filename, data), name


def test_schema_covers_every_content_file() -> None:
    schema = content_schema()
    for model in CONTENT_FILES.values():
        assert model.__name__ in schema["definitions"]
    assert set(schema["properties"]) >= {"title", "summary", "sources", "people", "topics", "events",
                                         "figures", "quotes", "faq", "updates"}
