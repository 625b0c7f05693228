"""Stage 2 — validate: located plain data -> the typed ``Briefing``, or every error at once."""

from __future__ import annotations

import difflib
import typing
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .checks import ambiguous_update_items, part_of_cycles, total_limits
from .errors import ContentError, Diagnostic
from .load import LoadedFile, Path_, display_key, format_path, load_file, safe_text
from .model import CONTENT_FILES, REQUIRED_FILES, Briefing, BriefingMeta, Record, describe
from .suggest import Suggester


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f"did you mean '{close[0]}'?" if close else ""


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Names of the fields the model expects at ``loc`` (for 'unknown field' suggestions)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else Any
        elif isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = members[0]
        else:
            return annotation


def _diagnostics_from(error: ValidationError, loaded: LoadedFile, model: type[BaseModel]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for item in error.errors(include_url=False):
        loc: Path_ = tuple(p for p in item["loc"] if isinstance(p, (int, str)))
        kind = item["type"]
        received = item.get("input")
        if kind == "missing":
            field = loc[-1]
            line, column = loaded.position(loc[:-1])
            out.append(Diagnostic(loaded.path, line, column, _fmt(loc), f"missing required field '{field}'",
                                  f"add '{field}: …' to this record"))
        elif kind == "extra_forbidden":
            expected = _fields_at(model, loc[:-1])
            hint = did_you_mean(str(loc[-1])[:100], expected) or (
                f"expected one of: {', '.join(expected)}" if expected else "remove it")
            out.append(loaded.diagnostic(loc, f"unknown field '{display_key(str(loc[-1]))}'", hint, key=True))
        elif kind == "literal_error":
            expected = item["ctx"]["expected"]
            options = [o.strip().strip("'") for o in expected.replace(" or ", ", ").split(",")]
            hint = did_you_mean(str(received)[:100], options)
            out.append(loaded.diagnostic(loc, f"expected one of {expected}, received {describe(received)}", hint))
        elif kind in ("list_type",):
            out.append(loaded.diagnostic(loc, f"expected a list, received {describe(received)}",
                                         "write one '- item' per line, or [a, b]"))
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            out.append(loaded.diagnostic(loc, f"expected a mapping of fields, received {describe(received)}",
                                         "write 'field: value' lines"))
        elif kind == "too_short":
            minimum = item.get("ctx", {}).get("min_length", 1)
            out.append(loaded.diagnostic(loc, f"expected at least {minimum} item(s), received "
                                         f"{len(received) if isinstance(received, list) else describe(received)}",
                                         "every event, figure, quote and FAQ entry cites at least one source"
                                         if loc and loc[-1] == "sources" else ""))
        elif kind == "too_long":
            maximum = item.get("ctx", {}).get("max_length")
            out.append(loaded.diagnostic(loc, f"expected at most {maximum} items, received {len(received)}"))
        elif kind == "bool_type":
            out.append(loaded.diagnostic(loc, f"expected true or false, received {describe(received)}"))
        elif kind == "string_pattern_mismatch":
            out.append(loaded.diagnostic(loc, f"expected text matching {item['ctx']['pattern']}, "
                                         f"received {describe(received)}"))
        elif kind == "string_type":
            out.append(loaded.diagnostic(loc, f"expected text, received {describe(received)}",
                                         "put the value in quotes"))
        else:
            out.append(loaded.diagnostic(loc, item["msg"].removeprefix("Value error, ")))
    return out


MAX_ERRORS_PER_FILE = 50


def _at_most(limit: int, found: list[Diagnostic]) -> list[Diagnostic]:
    """The first ``limit`` problems of one file, plus a note where the unlisted ones start."""
    ordered = sorted(set(found))
    if len(ordered) <= limit:
        return ordered
    rest = ordered[limit]
    note = Diagnostic(rest.file, rest.line, rest.column, "",
                      f"{len(ordered) - limit} more problems from here on are not listed",
                      "fix the ones above and run again")
    return [*ordered[:limit], note]


def _capped_per_file(found: list[Diagnostic]) -> list[Diagnostic]:
    by_file: dict[str, list[Diagnostic]] = {}
    for diagnostic in found:
        by_file.setdefault(diagnostic.file, []).append(diagnostic)
    return [d for problems in by_file.values() for d in _at_most(MAX_ERRORS_PER_FILE, problems)]


def _fmt(loc: Path_) -> str:
    return format_path(loc)


# A person's and a topic's sub-sections get the anchor '<record anchor>-<suffix>' (render/pages.py),
# so an id such as 'ada-quotes' next to 'ada' would put the same id on two elements of a page.
PERSON_SECTION_ANCHORS = ("quotes", "about", "events", "figures")
TOPIC_SECTION_ANCHORS = ("events", "figures", "quotes", "faq")


# Which file defines each kind of record a reference can point to ("record": any of them).
_DEFINED_IN = {"source": "sources.yaml", "person": "people.yaml", "topic": "topics.yaml",
               "event": "events.yaml", "figure": "funding.yaml"}


class _Refs:
    """Cross-reference checks between files, reported at the referring value.

    References into a file that itself failed to load are not checked (its ids are unknown),
    so one broken file never causes a flood of false "unknown" errors elsewhere.
    """

    def __init__(self, failed: frozenset[str] = frozenset()) -> None:
        self.diagnostics: list[Diagnostic] = []
        self.failed = failed
        self._unknown: dict[tuple[str, str, str], tuple[LoadedFile, dict[str, Any], list[Path_]]] = {}

    def check(self, loaded: LoadedFile, path: Path_, value: str | None, known: dict[str, Any], what: str) -> None:
        if value is None or value in known or not loaded.path:
            return
        if (_DEFINED_IN.get(what) in self.failed) or (what not in _DEFINED_IN and self.failed):
            return
        # Grouped by file and value: one line per unknown value, however often it is used.
        key = (loaded.path, what, value)
        group = self._unknown.get(key)
        if group is None:
            self._unknown[key] = (loaded, known, [path])
        else:
            group[2].append(path)

    def unknown_references(self) -> list[Diagnostic]:
        """One diagnostic per unknown value and file, at its first use, with the count of the others."""
        out = []
        suggesters: dict[int, tuple[dict[str, Any], Suggester]] = {}
        for (_file, what, value), (loaded, known, paths) in self._unknown.items():
            if id(known) not in suggesters:
                suggesters[id(known)] = (known, Suggester(known))
            hint = suggesters[id(known)][1].hint(value) or f"add it to the {what} list first"
            message = f"unknown {what} '{value}'"
            if len(paths) > 1:
                later = [loaded.position(p) for p in paths[1:4]]
                more = len(paths) - 1 - len(later)
                message += (f" — referenced {len(paths):,} times in this file: first here, then at "
                            + ", ".join(f"{line}:{column}" for line, column in later)
                            + (f" and {more:,} more" if more else ""))
            out.append(loaded.diagnostic(paths[0], message, hint))
        return out

    def check_all(self, loaded: LoadedFile, path: Path_, values: Iterable[str], known: dict[str, Any], what: str) -> None:
        for index, value in enumerate(values):
            self.check(loaded, path + (index,), value, known, what)

    def unique(self, loaded: LoadedFile, section: str, records: Iterable[Any], what: str,
               seen: dict[str, tuple[str, Path_]] | None = None) -> None:
        seen = {} if seen is None else seen
        folded: dict[str, str] = {_fold(k): k for k in seen}
        for index, record in enumerate(records):
            key = _fold(record.id)
            if record.id in seen or key in folded:
                other_file, other_path = seen.get(record.id) or seen[folded[key]]
                self.diagnostics.append(loaded.diagnostic(
                    (section, index, "id"), f"duplicate {what} id '{record.id}'",
                    f"already used at {other_file} {_fmt(other_path)}; ids must be unique"))
            else:
                seen[record.id] = (loaded.path, (section, index, "id"))
                folded[key] = record.id


def _fold(record_id: str) -> str:
    """The form two ids that readers (and file systems) cannot tell apart share: NFKC, casefolded.
    For ASCII that is just lower case (the common case, and much cheaper)."""
    return record_id.lower() if record_id.isascii() else unicodedata.normalize("NFKC", record_id).casefold()


def load_briefing(content_dir: Path, display_root: Path | None = None) -> Briefing:
    """Load and validate every content file; raises ContentError listing all problems."""
    diagnostics: list[Diagnostic] = []
    checked: list[Diagnostic] = []  # the model's and the references' problems, capped per file
    loaded: dict[str, LoadedFile] = {}
    parsed: dict[str, Record] = {}
    root = display_root if display_root is not None else content_dir.parent

    if not content_dir.is_dir():
        raise ContentError([Diagnostic(str(content_dir), 1, 1, "", "content folder not found",
                                       "run 'site-gen init' to create one")])
    known_names = set(CONTENT_FILES)
    for path in sorted(content_dir.glob("*.y*ml")):
        if path.name not in known_names:
            shown = _display(path, root)
            diagnostics.append(Diagnostic(shown, 1, 1, "", f"unexpected content file '{safe_text(path.name)}'",
                                          did_you_mean(path.name, known_names, 0.8)
                                          or f"expected one of: {', '.join(sorted(known_names))}"))
    for name, model in CONTENT_FILES.items():
        path = content_dir / name
        shown = _display(path, root)
        if not path.exists() and not path.is_symlink():  # a broken link is reported when read
            if name in REQUIRED_FILES:
                diagnostics.append(Diagnostic(shown, 1, 1, "", "required file is missing",
                                              "see CONTENT.md for its format"))
            continue
        try:
            file = load_file(path, shown, within=(root, content_dir))
        except ContentError as error:
            diagnostics.extend(error.diagnostics)
            continue
        loaded[name] = file
        if not isinstance(file.data, dict):
            diagnostics.append(file.diagnostic((), f"expected a mapping at the top of the file, received "
                                               f"{describe(file.data)}"))
            continue
        try:
            parsed[name] = model.model_validate(file.data, strict=True)
        except ValidationError as error:
            checked.extend(_diagnostics_from(error, file, model))

    def section(name: str, attribute: str) -> tuple[Any, ...]:
        record = parsed.get(name)
        return tuple(getattr(record, attribute)) if record is not None else ()

    failed = frozenset(name for name in CONTENT_FILES if name not in parsed and (
        name in REQUIRED_FILES or (content_dir / name).exists() or (content_dir / name).is_symlink()))
    meta = parsed.get("briefing.yaml") or BriefingMeta.model_construct(key_figures=[])
    briefing = Briefing(
        meta=meta,  # type: ignore[arg-type]
        sources=section("sources.yaml", "sources"),
        people=section("people.yaml", "people"),
        topics=section("topics.yaml", "topics"),
        events=section("events.yaml", "events"),
        figures=section("funding.yaml", "figures"),
        quotes=section("quotes.yaml", "quotes"),
        faq=section("faq.yaml", "faq"),
        updates=section("updates.yaml", "updates"),
    )
    # References are checked even when some files failed, so one run reports every error.
    checked.extend(_check_references(briefing, loaded, failed))
    diagnostics.extend(_capped_per_file(checked))
    if diagnostics:
        raise ContentError(diagnostics)
    return briefing


def _display(path: Path, root: Path) -> str:
    try:  # the folder is resolved, never the file: it may be a link to anywhere, or to itself
        shown = str((path.parent.resolve() / path.name).relative_to(root.resolve()))
    except (ValueError, OSError, RuntimeError):
        shown = str(path)
    return safe_text(shown)  # a file name can hold a line break or a bidi control


def _check_references(b: Briefing, loaded: dict[str, LoadedFile],
                      failed: frozenset[str] = frozenset()) -> list[Diagnostic]:
    r = _Refs(failed)
    empty = LoadedFile("", {})

    def file(name: str) -> LoadedFile:
        return loaded.get(name, empty)

    sources, people, topics = file("sources.yaml"), file("people.yaml"), file("topics.yaml")
    events, funding, quotes = file("events.yaml"), file("funding.yaml"), file("quotes.yaml")
    faq, updates, meta = file("faq.yaml"), file("updates.yaml"), file("briefing.yaml")

    r.unique(sources, "sources", b.sources, "source")
    r.unique(people, "people", b.people, "person")
    r.unique(topics, "topics", b.topics, "topic")
    record_ids: dict[str, tuple[str, Path_]] = {}
    r.unique(events, "events", b.events, "event", record_ids)
    r.unique(funding, "figures", b.figures, "figure", record_ids)
    r.unique(quotes, "quotes", b.quotes, "quote", record_ids)
    r.unique(faq, "faq", b.faq, "FAQ entry", record_ids)

    anchored: tuple[tuple[LoadedFile, str, str, tuple[Any, ...], Any], ...] = (
        (people, "people", "person", b.people, PERSON_SECTION_ANCHORS),
        (topics, "topics", "topic", b.topics, TOPIC_SECTION_ANCHORS))
    for file_, section, what, records, suffixes in anchored:
        ids = {record.id for record in records}
        for i, record in enumerate(records):
            for suffix in suffixes:
                base = record.id.removesuffix(f"-{suffix}")
                if base != record.id and base in ids:
                    r.diagnostics.append(file_.diagnostic(
                        (section, i, "id"), f"{what} id '{record.id}' clashes with the link to the "
                        f"'{suffix}' section of {what} '{base}'", "choose another id"))
    for i, s in enumerate(b.sources):
        r.check_all(sources, ("sources", i, "via"), s.via, b.source_by_id, "source")
        if s.id in s.via:
            r.diagnostics.append(sources.diagnostic(("sources", i, "via"), f"source '{s.id}' lists itself in via",
                                                    "via names another source"))
    for i, p in enumerate(b.people):
        r.check_all(people, ("people", i, "sources"), p.sources, b.source_by_id, "source")
    for i, e in enumerate(b.events):
        r.check_all(events, ("events", i, "people"), e.people, b.person_by_id, "person")
        r.check_all(events, ("events", i, "topics"), e.topics, b.topic_by_id, "topic")
        r.check_all(events, ("events", i, "sources"), e.sources, b.source_by_id, "source")
    for i, f in enumerate(b.figures):
        r.check_all(funding, ("figures", i, "people"), f.people, b.person_by_id, "person")
        r.check_all(funding, ("figures", i, "topics"), f.topics, b.topic_by_id, "topic")
        r.check_all(funding, ("figures", i, "events"), f.events, b.event_by_id, "event")
        r.check_all(funding, ("figures", i, "sources"), f.sources, b.source_by_id, "source")
        r.check(funding, ("figures", i, "part_of"), f.part_of, b.figure_by_id, "figure")
    r.diagnostics.extend(part_of_cycles(b, funding))
    r.diagnostics.extend(total_limits(b, funding))
    for i, q in enumerate(b.quotes):
        r.check(quotes, ("quotes", i, "speaker"), q.speaker, b.person_by_id, "person")
        r.check_all(quotes, ("quotes", i, "about"), q.about, b.person_by_id, "person")
        r.check(quotes, ("quotes", i, "event"), q.event, b.event_by_id, "event")
        r.check_all(quotes, ("quotes", i, "topics"), q.topics, b.topic_by_id, "topic")
        r.check_all(quotes, ("quotes", i, "sources"), q.sources, b.source_by_id, "source")
    for i, entry in enumerate(b.faq):
        r.check_all(faq, ("faq", i, "topics"), entry.topics, b.topic_by_id, "topic")
        r.check_all(faq, ("faq", i, "sources"), entry.sources, b.source_by_id, "source")
    any_record = {**b.event_by_id, **b.figure_by_id, **b.quote_by_id, **b.faq_by_id, **b.person_by_id,
                  **b.source_by_id, **b.topic_by_id}
    for i, u in enumerate(b.updates):
        r.check_all(updates, ("updates", i, "items"), u.items, any_record, "record")
    r.diagnostics.extend(ambiguous_update_items(b, updates, loaded))
    r.check_all(meta, ("key_figures",), b.meta.key_figures, b.figure_by_id, "figure")
    return r.diagnostics + r.unknown_references()
