"""The typed content model: what a briefing is made of.

Every record is a frozen pydantic model validated in strict mode, so a value of the wrong type
is an error, never silently coerced. Text fields are normalised and refuse what would make them
look different from what they are (the rule of ``chars.py``); dates carry their precision; money
is exact.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from . import chars
from .amounts import check_amount, json_amount
from .inline import check_links

# --------------------------------------------------------------------------- text

_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"  # control characters
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb"  # zero-width, bidi
    "\u061c\u180e\U000e0000-\U000e007f]"  # Arabic letter mark, Mongolian separator, tag characters
)
_RAW_HTML = re.compile(r"<\s*[A-Za-z!/?][^\s>]*")
ALLOWED_LINK_SCHEMES = ("http://", "https://", "mailto:")
MAX_TEXT = 20_000


def _describe(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, Decimal, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "…"
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def describe(value: Any) -> str:
    """How an input value is named in error messages."""
    return _describe(value)


def _check_visible(text: str) -> str:
    bad = chars.refused(text)  # the rule of chars.py (CONTENT.md, "Characters")
    if bad is not None:
        index, why = bad
        if why == "noncharacter":
            raise PydanticCustomError(
                "noncharacter", "text contains {char} at position {pos}; it is not a character and cannot "
                "be published (feeds and XML refuse it) — delete it",
                {"char": chars.char_name(text[index]), "pos": index + 1})
        char = text[index]
        name = unicodedata.name(char, "control character")
        raise PydanticCustomError(
            "invisible_character",
            "text contains the invisible character U+{code} ({name}) at position {pos}; "
            "it can reorder or hide what readers see — delete it",
            {"code": f"{ord(char):04X}", "name": name, "pos": index + 1},
        )
    if not "!" <= text[:1] <= "~" and chars.looks_empty(text):  # most texts start with a visible ASCII character
        raise PydanticCustomError("text_empty", "expected text, received only marks or selectors that show nothing")
    if len(text) > MAX_TEXT:
        raise PydanticCustomError("text_too_long", "text is {n} characters long; at most {m} allowed",
                                  {"n": len(text), "m": MAX_TEXT})
    return text


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("text_type", "expected text, received {got}", {"got": _describe(value)})
    text = unicodedata.normalize("NFC", " ".join(value.split()))
    if not text:
        raise PydanticCustomError("text_empty", "expected text, received an empty string")
    return _check_visible(text)


def _inline_markdown(value: Any) -> str:
    text = _text(value)
    if _RAW_HTML.search(text):
        raise PydanticCustomError(
            "raw_html", "raw HTML is not allowed here (found {found}); write plain text or Markdown",
            {"found": repr(_RAW_HTML.search(text).group())},  # type: ignore[union-attr]
        )
    check_links(text, _check_url)
    return text


# A quote, angle bracket, backtick or backslash, any whitespace (``\s`` is ``str.isspace``) or an
# invisible character: none of them belongs in a link.
_URL_REFUSED = re.compile('["<>`\\\\\\s]|' + _INVISIBLE.pattern)


def _check_url(url: str, *, allow_mailto: bool) -> str:
    allowed = ALLOWED_LINK_SCHEMES if allow_mailto else ALLOWED_LINK_SCHEMES[:2]
    lowered = url.strip().lower()
    if not lowered.startswith(allowed):
        raise PydanticCustomError(
            "unsafe_url", "expected a link starting with {allowed}, received {got}",
            {"allowed": " or ".join(allowed), "got": repr(url[:80])},
        )
    found = _URL_REFUSED.search(url)
    if found is not None or not url.isprintable():
        bad = found.group() if found is not None else next(c for c in url if not c.isprintable())
        raise PydanticCustomError(
            "unsafe_url", "a link cannot contain {char}, received {got}",
            {"char": "a space" if bad == " " else repr(bad), "got": repr(url[:80])},
        )
    if len(url) > 2000:
        raise PydanticCustomError("url_too_long", "link is longer than 2000 characters")
    return url


def _url(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("text_type", "expected a link as text, received {got}", {"got": _describe(value)})
    return _check_url(value.strip(), allow_mailto=False)


Text = Annotated[str, PlainValidator(_text), WithJsonSchema({"type": "string", "minLength": 1})]
"""Plain text, shown exactly as written."""

InlineMarkdown = Annotated[
    str,
    PlainValidator(_inline_markdown),
    WithJsonSchema({"type": "string", "minLength": 1, "description": "Text with inline Markdown"
                    " (*emphasis*, **strong**, [links](https://…)); no raw HTML."}),
]
Url = Annotated[str, PlainValidator(_url), WithJsonSchema({"type": "string", "pattern": "^https?://"})]

# --------------------------------------------------------------------------- ids

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_ID = re.compile(ID_PATTERN)
MAX_ID = 64
RESERVED_IDS = frozenset(
    {"con", "prn", "aux", "nul", "index", "search", "assets", "data", "sitemap"}
    | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)


def _id(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("id_type", "expected an id (lower-case slug), received {got}",
                                  {"got": _describe(value)})
    if len(value) > MAX_ID:
        raise PydanticCustomError("id_too_long", "id is {n} characters long; at most {m} allowed",
                                  {"n": len(value), "m": MAX_ID})
    if not _ID.fullmatch(value):
        suggestion = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", value).encode(
            "ascii", "ignore").decode().lower()).strip("-")[:MAX_ID].strip("-") or "my-id"
        if suggestion in RESERVED_IDS:
            suggestion += "-1"
        raise PydanticCustomError(
            "id_pattern",
            "expected an id of lower-case letters, digits and single hyphens, received {got} "
            "(try {suggestion})",
            {"got": repr(value[:80]), "suggestion": repr(suggestion)},
        )
    if value in RESERVED_IDS:
        raise PydanticCustomError("id_reserved", "the id {got} is reserved; choose another",
                                  {"got": repr(value)})
    return value


Id = Annotated[str, PlainValidator(_id), WithJsonSchema({"type": "string", "pattern": ID_PATTERN,
                                                         "maxLength": MAX_ID})]
Refs = Annotated[list[Id], Field(default_factory=list)]
Sources = Annotated[list[Id], Field(min_length=1)]

# --------------------------------------------------------------------------- dates

DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day — never more precise than the source.

    Ordered as (year, month, day), so "2025" sorts before "2025-01" before "2025-01-01". The order
    compares one precomputed number (``ordinal``, also the cheapest sort key): a large briefing sorts its records by date many times, and
    the tuple comparisons ``order=True`` generates were a tenth of its page rendering.
    """

    year: int
    month: int = 0
    day: int = 0
    ordinal: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ordinal", (self.year * 100 + self.month) * 100 + self.day)

    def __lt__(self, other: PartialDate) -> bool:
        return self.ordinal < other.ordinal

    def __le__(self, other: PartialDate) -> bool:
        return self.ordinal <= other.ordinal

    def __gt__(self, other: PartialDate) -> bool:
        return self.ordinal > other.ordinal

    def __ge__(self, other: PartialDate) -> bool:
        return self.ordinal >= other.ordinal

    @property
    def precision(self) -> Literal["year", "month", "day"]:
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def __str__(self) -> str:
        return self.iso()


def parse_date(value: Any) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    if type(value) is int and value >= 0:  # `date: 2024` unquoted: a YAML number, read as the year
        return _parse_date_text(str(value))
    if not isinstance(value, str):
        raise PydanticCustomError(
            "date_type", "expected a date as text (\"2025\", \"2025-11\" or \"2025-11-21\"), received {got}",
            {"got": _describe(value)})
    return _parse_date_text(value)


@lru_cache(maxsize=16_384)
def _parse_date_text(value: str) -> PartialDate:
    """A date written as text (memoised: a large briefing repeats the same few hundred dates;
    a refused date raises, and exceptions are not cached)."""
    match = _DATE.fullmatch(value.strip())
    if not match:
        raise PydanticCustomError(
            "date_format", "expected a date written YYYY, YYYY-MM or YYYY-MM-DD, received {got}",
            {"got": repr(value[:40])})
    year, month, day = (int(g) if g else 0 for g in match.groups())
    if match.group(2) and not 1 <= month <= 12:
        raise PydanticCustomError("date_month", "month {month} does not exist in {got}",
                                  {"month": month, "got": repr(value)})
    if match.group(3):
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise PydanticCustomError(
                "date_day", "{got} is not a real date: {month_name} {year} has {last} days",
                {"got": repr(value), "month_name": calendar.month_name[month], "year": year, "last": last})
    if year < 1000:
        raise PydanticCustomError("date_year", "year {year} is out of range", {"year": year})
    return PartialDate(year, month, day)


Date = Annotated[
    PartialDate,
    PlainValidator(parse_date),
    PlainSerializer(lambda d: d.iso(), return_type=str),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": DATE_PATTERN},
                              {"type": "integer", "minimum": 1000, "maximum": 9999}],
                    "description": "YYYY, YYYY-MM or YYYY-MM-DD: as precise as the source allows "
                                   "(a year alone may be left unquoted: 2024)"}),
]

# --------------------------------------------------------------------------- money

def _amount(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        hint = ""
        if isinstance(value, str) and re.fullmatch(r"[0-9][0-9.,_ ]*", value.strip()):
            hint = " — remove the quotes and any separators: an amount is a plain number"
        elif isinstance(value, str):
            hint = " — write digits only, e.g. 10000000000 for ten billion"
        raise PydanticCustomError("amount_type", "expected a number, received {got}{hint}",
                                  {"got": _describe(value), "hint": hint})
    return check_amount(value)


Amount = Annotated[
    Decimal,
    PlainValidator(_amount),
    PlainSerializer(json_amount, when_used="json"),
    WithJsonSchema({"type": "number", "minimum": 0}),
]


def _currency(value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{3}", value):
        raise PydanticCustomError("currency", "expected a three-letter ISO 4217 currency code such as USD or"
                                  " EUR, received {got}", {"got": _describe(value)})
    return value


Currency = Annotated[str, PlainValidator(_currency), WithJsonSchema({"type": "string", "pattern": "^[A-Z]{3}$"})]

# --------------------------------------------------------------------------- records


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Role(Record):
    title: Text
    date: Date | None = None


class Person(Record):
    id: Id
    name: Text
    kind: Literal["person", "organisation"] = "person"
    roles: list[Role] = Field(default_factory=list)
    description: Text | None = None
    aliases: list[Text] = Field(default_factory=list)
    sources: Refs


class Source(Record):
    id: Id
    title: Text
    outlet: Text | None = None
    kind: Literal["article", "news-report", "interview", "social-post", "speech", "document"] = "article"
    date: Date | None = None
    url: Url | None = None
    via: Refs
    note: Text | None = None


class Topic(Record):
    id: Id
    name: Text
    description: Text | None = None


class Event(Record):
    id: Id
    date: Date
    date_note: Text | None = None
    title: Text
    summary: InlineMarkdown | None = None
    location: Text | None = None
    people: Refs
    topics: Refs
    sources: Sources


class Money(Record):
    value: Amount
    currency: Currency | None = None
    approximate: bool = False


FIGURE_STATUSES = ("at-stake", "frozen", "promised", "released", "requested", "other")


class Figure(Record):
    id: Id
    label: Text
    amount: Money
    status: Literal["at-stake", "frozen", "promised", "released", "requested", "other"]
    status_note: Text | None = None
    description: InlineMarkdown | None = None
    projects: list[Text] = Field(default_factory=list)
    part_of: Id | None = None
    date: Date | None = None
    people: Refs
    topics: Refs
    events: Refs
    sources: Sources


class Quote(Record):
    id: Id
    text: Text
    speaker: Id
    kind: Literal["direct", "reported"] = "direct"
    date: Date
    date_note: Text | None = None
    setting: Text | None = None
    context: Text | None = None
    about: Refs
    event: Id | None = None
    topics: Refs
    sources: Sources


class FaqEntry(Record):
    id: Id
    question: Text
    answer: InlineMarkdown
    topics: Refs
    sources: Sources


class Update(Record):
    date: Date
    kind: Literal["update", "correction"] = "update"
    summary: InlineMarkdown
    items: Refs


def _labels(value: Any) -> dict[str, str | list[str]]:
    """``labels:`` of briefing.yaml: English label → the text shown instead (a list for plural forms)."""
    from .i18n import check_overrides  # the catalog knows which labels exist

    if not isinstance(value, dict):
        raise PydanticCustomError("labels_type", "expected a mapping of English labels to texts, received {got}",
                                  {"got": _describe(value)})
    cleaned: dict[str, str | list[str]] = {}
    for key, text in value.items():
        if not isinstance(key, str):
            raise PydanticCustomError("labels_key", "expected an English label as key, received {got}",
                                      {"got": _describe(key)})
        cleaned[key] = [_text(t) for t in text] if isinstance(text, list) else _text(text)
    problems = check_overrides(cleaned)
    if problems:
        shown = "; ".join(what for _, what in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise PydanticCustomError("labels", "{problems}{more}", {"problems": shown, "more": more})
    return cleaned


Labels = Annotated[dict[str, str | list[str]], PlainValidator(_labels), WithJsonSchema({
    "type": "object",
    "description": "Replace any label site-gen writes: the English label as key, your text as value "
                   "(for a label with a {count}, a list with one text per plural form of the language).",
    "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
})]


class BriefingMeta(Record):
    title: Text
    tagline: Text | None = None
    summary: list[InlineMarkdown] = Field(min_length=1, max_length=5)
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en"
    currency: Currency = "USD"
    key_figures: Refs
    labels: Labels = Field(default_factory=dict)


# One model per content file; the file's single top-level key names its section.


class SourcesFile(Record):
    sources: list[Source]


class PeopleFile(Record):
    people: list[Person]


class TopicsFile(Record):
    topics: list[Topic] = Field(default_factory=list)


class EventsFile(Record):
    events: list[Event]


class FundingFile(Record):
    figures: list[Figure] = Field(default_factory=list)


class QuotesFile(Record):
    quotes: list[Quote] = Field(default_factory=list)


class FaqFile(Record):
    faq: list[FaqEntry] = Field(default_factory=list)


class UpdatesFile(Record):
    updates: list[Update] = Field(default_factory=list)


CONTENT_FILES: dict[str, type[Record]] = {
    "briefing.yaml": BriefingMeta,
    "sources.yaml": SourcesFile,
    "people.yaml": PeopleFile,
    "topics.yaml": TopicsFile,
    "events.yaml": EventsFile,
    "funding.yaml": FundingFile,
    "quotes.yaml": QuotesFile,
    "faq.yaml": FaqFile,
    "updates.yaml": UpdatesFile,
}
REQUIRED_FILES = ("briefing.yaml", "sources.yaml", "people.yaml", "events.yaml")


@dataclass(frozen=True)
class Briefing:
    """The whole validated briefing, with lookups by id. Built only by ``validate``."""

    meta: BriefingMeta
    sources: tuple[Source, ...]
    people: tuple[Person, ...]
    topics: tuple[Topic, ...]
    events: tuple[Event, ...]
    figures: tuple[Figure, ...]
    quotes: tuple[Quote, ...]
    faq: tuple[FaqEntry, ...]
    updates: tuple[Update, ...]

    def __post_init__(self) -> None:
        # Lookups are derived once here so no page renderer rebuilds them.
        object.__setattr__(self, "source_by_id", {s.id: s for s in self.sources})
        object.__setattr__(self, "person_by_id", {p.id: p for p in self.people})
        object.__setattr__(self, "topic_by_id", {t.id: t for t in self.topics})
        object.__setattr__(self, "event_by_id", {e.id: e for e in self.events})
        object.__setattr__(self, "figure_by_id", {f.id: f for f in self.figures})
        object.__setattr__(self, "quote_by_id", {q.id: q for q in self.quotes})
        object.__setattr__(self, "faq_by_id", {f.id: f for f in self.faq})

    source_by_id: dict[str, Source] = field(init=False, repr=False, compare=False)
    person_by_id: dict[str, Person] = field(init=False, repr=False, compare=False)
    topic_by_id: dict[str, Topic] = field(init=False, repr=False, compare=False)
    event_by_id: dict[str, Event] = field(init=False, repr=False, compare=False)
    figure_by_id: dict[str, Figure] = field(init=False, repr=False, compare=False)
    quote_by_id: dict[str, Quote] = field(init=False, repr=False, compare=False)
    faq_by_id: dict[str, FaqEntry] = field(init=False, repr=False, compare=False)
