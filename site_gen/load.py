"""Stage 1 — load: YAML files -> plain Python data with the position of every value.

The loader is deliberately stricter than YAML 1.1 (PyYAML's default) and safer:

* it walks the parser's event stream itself (libyaml's C parser when available), so no
  Python object is ever constructed from a tag, aliases can never expand, nesting depth is
  bounded and no recursion can overflow;
* what one file may cost is bounded: its size, its number of values, the digits of a number
  and the number of problems listed, so a hostile file is reported quickly in little memory;
* plain scalars are resolved by a small explicit rule set: ``true``/``false``, ``null``,
  decimal integers and decimals; YAML 1.1 surprises (``NO``, ``on``, ``12:30``, ``0777``,
  ``.nan``) are reported instead of silently becoming booleans or numbers; dates stay text
  (a year alone, ``2024``, is the number 2024, which the model reads as that year);
* duplicate keys, anchors, aliases, explicit tags and multiple documents are errors, and so
  are NUL bytes, a byte order mark anywhere but at the very start, a file in UTF-16 or UTF-32,
  a link to a file outside the project, and invisible characters (bidi controls, zero-width
  spaces, noncharacters: the rule of ``chars.py``) hidden in comments;
* lines are counted as editors count them (a line ends at ``\\n``, ``\\r\\n`` or ``\\r``), for
  every message alike: libyaml also ends a line at U+0085, U+2028 and U+2029, so positions are
  worked out from the character offsets it reports, never from its line numbers.

``_Reader`` reads one text: it walks the events, puts each value into its parent through one
``attach`` path, and sweeps the hidden characters between values in the same pass.
"""

from __future__ import annotations

import re
import stat
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .chars import BLANK_LOOKING, char_name, check_at, suspects
from .errors import ContentError, Diagnostic

try:  # libyaml is an order of magnitude faster; the pure-Python parser is the fallback.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]

MAX_DEPTH = 32
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_NODES = 200_000
MAX_NUMBER_DIGITS = 30
MAX_PROBLEMS = 20

_INT = re.compile(r"[-+]?[0-9]+")
_DECIMAL = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?")
_YAML11_BOOL = frozenset(["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "True", "TRUE", "False", "FALSE"])
_NUMBER_START = frozenset("0123456789+-.")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)")
_OTHER_NUMBER = re.compile(r"[-+]?(?:0[xXoObB][0-9a-fA-F_]+|0[0-9_]+|[0-9][0-9_]*_[0-9_]*)")
_NULL = {"", "~", "null", "Null", "NULL"}
# Plain scalars that are not simply text (besides those starting like a number): see _resolve_plain.
_PLAIN_SPECIAL = frozenset(_NULL | {"true", "false"} | _YAML11_BOOL)
_CORE_TAGS = "tag:yaml.org,2002:"
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,60}")


def safe_text(text: str) -> str:
    """``text`` with control and invisible characters escaped, so a message stays one honest line."""
    return "".join(c if c.isprintable() and c not in BLANK_LOOKING else c.encode("unicode_escape").decode()
                   for c in text)


def display_key(key: str) -> str:
    """A key as it can be shown safely in a message: escaped and shortened."""
    return safe_text(key if len(key) <= 60 else key[:57] + "…")


def format_path(path: Path_) -> str:
    """``('quotes', 3, 'speaker')`` -> ``quotes[3].speaker``; odd keys are shown quoted."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not _PLAIN_KEY.fullmatch(part):
            out += f'["{display_key(part)}"]'
        else:
            out += f".{part}" if out else part
    return out


class _Lines:
    """Line and column of a character offset, as editors count them: a line ends at ``\\n``,
    ``\\r\\n`` or ``\\r`` (not at U+0085, U+2028 or U+2029, which libyaml also counts).

    Built only when a message needs a position; a checkpoint every ``STEP`` characters keeps each
    look-up short and the table small, whatever the number of lines of a hostile file.
    """

    STEP = 4096
    __slots__ = ("_breaks", "_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._breaks: list[int] | None = None  # line breaks before each checkpoint
        self._starts: list[int] = []  # where the line holding each checkpoint starts

    def _build(self) -> list[int]:
        text = self._text
        if "\r" in text:  # same length, one break character per line break
            text = self._text = text.replace("\r\n", " \n").replace("\r", "\n")
        breaks, starts, count, start = [0], [0], 0, 0
        for end in range(self.STEP, len(text) + 1, self.STEP):
            count += text.count("\n", end - self.STEP, end)
            last = text.rfind("\n", end - self.STEP, end)
            start = last + 1 if last >= 0 else start
            breaks.append(count)
            starts.append(start)
        self._breaks, self._starts = breaks, starts
        return breaks

    def line_col(self, index: int) -> tuple[int, int]:
        """1-based (line, column) of the character at ``index``."""
        breaks = self._breaks if self._breaks is not None else self._build()
        text, checkpoint = self._text, min(index // self.STEP, len(breaks) - 1)
        base = checkpoint * self.STEP
        last = text.rfind("\n", base, index)
        start = last + 1 if last >= 0 else self._starts[checkpoint]
        return breaks[checkpoint] + text.count("\n", base, index) + 1, index - start + 1


class _Positions:
    """The offsets inside one mapping or list: of each value, each key, and each child container.

    Kept as a tree beside the data (not as a table keyed by every value's full path), so reading a
    file builds no path tuples; paths are only walked, and offsets turned into lines, when a
    message needs a position.
    """

    __slots__ = ("children", "keys", "values")

    def __init__(self, mapping: bool) -> None:
        self.values: dict[str | int, int] = {}
        self.keys: dict[str | int, int] | None = {} if mapping else None
        self.children: dict[str | int, _Positions] | None = None

    def add_child(self, slot: str | int, child: _Positions) -> None:
        if self.children is None:
            self.children = {}
        self.children[slot] = child


@dataclass
class LoadedFile:
    """The plain data of one YAML file plus the position of each value and key."""

    path: str
    data: Any
    root_index: int = 0
    tree: _Positions | None = None
    lines: _Lines | None = None

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of ``path`` (of its key, with ``key=True``), or of its nearest
        ancestor that has one."""
        best = self.root_index
        node = self.tree
        for part in path:
            if node is None:
                break
            value = node.values.get(part)
            name = node.keys.get(part) if key and node.keys is not None else None
            if value is None and name is None:
                break
            if key and name is not None:
                best = name
            elif value is not None:
                best = value
            node = node.children.get(part) if node.children is not None else None
        return self.lines.line_col(best) if self.lines is not None else (1, 1)

    def diagnostic(self, path: Path_, message: str, suggestion: str = "", *, key: bool = False) -> Diagnostic:
        line, column = self.position(path, key=key)
        return Diagnostic(self.path, line, column, format_path(path), message, suggestion)


_NO_SLOT = object()


class _Frame:
    """A mapping or list being read. Its path is worked out only when a message needs it."""

    __slots__ = ("_path", "container", "is_list", "node", "parent", "pending_key", "skip_value", "slot", "start")

    def __init__(self, container: dict[str, Any] | list[Any], parent: _Frame | None, slot: Any, start: int):
        self.container = container
        self.is_list = isinstance(container, list)
        self.node = _Positions(not self.is_list)
        self.parent = parent
        self.slot = slot  # the key or index this container gets in its parent, or _NO_SLOT
        self._path: Path_ | None = None
        self.pending_key: str | None = None
        self.skip_value = False  # the pending key was invalid or a duplicate: drop its value
        self.start = start

    @property
    def path(self) -> Path_:
        if self._path is None:
            base = self.parent.path if self.parent is not None else ()
            self._path = base if self.slot is _NO_SLOT else base + (self.slot,)
        return self._path

    def child_slot(self) -> Any:
        """The key or index the next value read here will get (``_NO_SLOT``: none, e.g. a key)."""
        if self.is_list:
            return len(self.container)
        if self.pending_key is None or self.skip_value:
            return _NO_SLOT
        return self.pending_key


def _resolve_plain(value: str) -> tuple[Any, str | None]:
    """Resolve a plain (unquoted) scalar. Returns (value, problem)."""
    if value in _NULL:
        return None, None
    if value == "true":
        return True, None
    if value == "false":
        return False, None
    if value in _YAML11_BOOL:
        return value, (
            f"'{value}' is ambiguous: YAML 1.1 reads it as a boolean; "
            f"write true/false, or quote it (\"{value}\") if you mean text"
        )
    if value[0] not in _NUMBER_START:  # the common case: words, names, links
        return value, None
    if _SEXAGESIMAL.fullmatch(value):
        return value, (
            f"'{value}' is ambiguous: YAML 1.1 reads it as a base-60 number; quote it (\"{value}\")"
        )
    if _SPECIAL_FLOAT.fullmatch(value):
        return value, f"'{value}' is not a finite number; write a number, or quote it if you mean text"
    if _OTHER_NUMBER.fullmatch(value):
        shown = value if len(value) <= 40 else value[:37] + "…"
        return value, (
            f"'{shown}' is ambiguous (octal, hexadecimal or digit-grouped number); "
            f"write a plain decimal number, or quote it if you mean text"
        )
    if _INT.fullmatch(value):
        if len(value.lstrip("+-")) > MAX_NUMBER_DIGITS:
            return value, f"number with {len(value.lstrip('+-'))} digits is too long (at most {MAX_NUMBER_DIGITS})"
        return int(value), None
    if _DECIMAL.fullmatch(value):
        digits = re.sub(r"[eE].*", "", value)
        exponent = re.search(r"[eE]([-+]?[0-9]+)", value)
        if (len(digits) > MAX_NUMBER_DIGITS + 2
                or (exponent and (len(exponent.group(1)) > 4 or abs(int(exponent.group(1))) > 30))):
            shown = value if len(value) <= 40 else value[:37] + "…"
            return value, f"number '{shown}' is out of range"
        return Decimal(value), None
    return value, None




_SCALAR, _MAPPING_START, _ALIAS = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.AliasEvent
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_BOUNDARIES = frozenset({yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentStartEvent,
                         yaml.DocumentEndEvent, type(None)})
_NOWHERE = sys.maxsize  # the offset of "no more hidden characters"


class _Reader:
    """Reads one YAML text into a LoadedFile, collecting every problem (at most ``MAX_PROBLEMS``
    listed, the rest counted)."""

    def __init__(self, text: str, display_path: str) -> None:
        self.text = text
        self.display_path = display_path
        self.lines = _Lines(text)
        self.loaded = LoadedFile(display_path, None, lines=self.lines)
        self.problems: list[Diagnostic] = []
        self.unlisted = 0  # problems found beyond MAX_PROBLEMS
        self.first_unlisted = 0
        self.stack: list[_Frame] = []
        self.frame: _Frame | None = None  # the innermost open container (stack[-1])
        self.root_set = False
        # Offsets of characters the rule of chars.py may refuse. Inside a value the model reports
        # them with the field's name; the ones in comments or between values are reported here,
        # by one pass in step with the events (``_sweep``).
        self._suspects = suspects(text)  # found lazily, in step with the events: bounded memory
        self.next_hidden = self._next_suspect()  # offset of the next one not yet judged
        self.checked_up_to = 0  # characters before this offset were judged already
        self.refused_at = -1  # the character the YAML reader refused, if any

    # ------------------------------------------------------------------ problems

    def problem(self, index: int, field_path: Path_, message: str, suggestion: str = "") -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            if not self.unlisted:
                self.first_unlisted = index
            self.unlisted += 1
            return
        line, column = self.lines.line_col(index)
        self.problems.append(Diagnostic(self.display_path, line, column, format_path(field_path),
                                        message, suggestion))

    def child_path(self) -> Path_:
        frame = self.frame
        if frame is None:
            return ()
        slot = frame.child_slot()
        return frame.path if slot is _NO_SLOT else frame.path + (slot,)

    def result(self) -> LoadedFile:
        if self.unlisted:
            line, column = self.lines.line_col(self.first_unlisted)
            problems = "problem" if self.unlisted == 1 else "problems"
            self.problems.append(Diagnostic(
                self.display_path, line, column, "",
                f"{self.unlisted} more {problems} from here on are not listed (at most {MAX_PROBLEMS} per file)",
                "fix the ones above and run again"))
        if self.problems:
            raise ContentError(self.problems)
        if not self.root_set:
            self.problem(0, (), "file is empty", "see CONTENT.md for what this file holds")
            raise ContentError(self.problems)
        return self.loaded

    # ------------------------------------------------------------------ reading

    def read(self) -> LoadedFile:
        text = self.text
        for bad, message, suggestion in (
            ("\x00", "NUL byte (\\x00) in file", "remove it; YAML files are plain text"),
            ("\ufeff", "byte order mark (U+FEFF) inside the file; it is only allowed as the very first "
             "character", "delete it (files pasted together often carry one)"),
        ):
            found = text.find(bad)
            if found >= 0:
                self.problem(found, (), message, suggestion)
                raise ContentError(self.problems)
        try:
            self._read_events()
        except yaml.MarkedYAMLError as error:
            self._syntax_error(error)
        except yaml.YAMLError as error:  # ReaderError: a character YAML does not allow
            index = getattr(error, "position", 0) or 0
            character = getattr(error, "character", "")
            if isinstance(character, int):  # libyaml gives the code point
                character = chr(character)
            shown = char_name(character) if isinstance(character, str) and len(character) == 1 else repr(character)
            self.refused_at = index  # reported here; not again by the sweep
            self.problem(index, self.frame.path if self.frame is not None else (),
                         f"character {shown} is not allowed in YAML",
                         "remove it or replace it with a visible character")
        except RecursionError:
            self.problem(0, (), f"nesting deeper than {MAX_DEPTH} levels")
        self._sweep(_NOWHERE, _NOWHERE)
        return self.result()

    def _read_events(self) -> None:
        parser = _Loader(self.text)
        try:
            # The parser's own get_event, one call per event (yaml.parse() wraps it in a Python
            # generator that asks twice per event).
            get_event, attach, next_hidden = parser.get_event, self.attach, self.next_hidden
            nodes = documents = 0
            while True:
                event: Any = get_event()
                kind = type(event)
                if kind in _BOUNDARIES:  # stream and document boundaries
                    if kind is yaml.StreamEndEvent or event is None:
                        return
                    if kind is yaml.DocumentStartEvent:
                        documents += 1
                        if documents > 1:
                            self.problem(event.start_mark.index, (), "more than one YAML document ('---') in file",
                                         "keep a single document per file")
                            return
                    continue
                index = event.start_mark.index
                nodes += 1
                if nodes > MAX_NODES:
                    self.problem(index, self.child_path(), f"more than {MAX_NODES} values in one file",
                                 "split the content or remove what is not needed")
                    return
                if kind is _SCALAR:  # most events
                    tag = event.tag
                    if event.anchor is not None or (tag is not None and tag != "!"):
                        self._anchor_or_tag(event, index)
                    if next_hidden < _NOWHERE and next_hidden < event.end_mark.index:
                        next_hidden = self._sweep(index, event.end_mark.index)
                    value = event.value
                    if not event.style and tag is None and (value in _PLAIN_SPECIAL or value[0] in _NUMBER_START):
                        value, issue = _resolve_plain(value)
                        if issue:
                            self.problem(index, self.child_path(), issue)
                    attach(value, index)
                elif kind in _ENDS:
                    closed = self.stack.pop()
                    self.frame = self.stack[-1] if self.stack else None
                    attach(closed.container, closed.start, closed)
                elif kind is _ALIAS:
                    self.problem(index, self.child_path(),
                                 f"YAML aliases (*{display_key(event.anchor)}) are not supported",
                                 "repeat the value instead of referring to an anchor")
                    attach(None, index)
                else:
                    self._open(event, kind, index)
        finally:
            parser.dispose()

    def _open(self, event: Any, kind: type, index: int) -> None:
        """The start of a mapping or a list."""
        if event.anchor is not None or event.tag not in (None, "!"):
            self._anchor_or_tag(event, index)
        if len(self.stack) >= MAX_DEPTH:
            self.problem(index, self.child_path(), f"nesting deeper than {MAX_DEPTH} levels",
                         "briefing content never needs this much nesting")
            raise ContentError(self.problems)
        container: dict[str, Any] | list[Any] = {} if kind is _MAPPING_START else []
        parent = self.frame
        self.frame = _Frame(container, parent, parent.child_slot() if parent is not None else _NO_SLOT, index)
        self.stack.append(self.frame)

    def attach(self, value: Any, index: int, child: _Frame | None = None) -> None:
        """Put a value read (a scalar, or the container ``child`` just closed) into its parent."""
        frame = self.frame
        if frame is None:
            self.loaded.data, self.loaded.root_index, self.root_set = value, index, True
            self.loaded.tree = child.node if child is not None else None
            return
        if frame.is_list:
            slot: str | int = len(frame.container)
            frame.container.append(value)  # type: ignore[union-attr]
        else:
            key = frame.pending_key
            if key is None:
                self._key(frame, value, index, child)
                return
            frame.pending_key = None
            if frame.skip_value:
                frame.skip_value = False
                return
            frame.container[key] = value  # type: ignore[call-overload]
            slot = key
        frame.node.values[slot] = index
        if child is not None:
            frame.node.add_child(slot, child.node)

    def _key(self, frame: _Frame, value: Any, index: int, child: _Frame | None) -> None:
        """A value read where a mapping expects its next key."""
        if child is not None:
            self.problem(index, frame.path, "a mapping key must be plain text, not a list or mapping")
            frame.pending_key, frame.skip_value = "", True
            return
        key = "" if value is None else str(value)
        if key in frame.container:
            first = self.lines.line_col(frame.node.keys.get(key, index))  # type: ignore[union-attr]
            self.problem(index, frame.path + (key,),
                         f"duplicate key '{display_key(key)}' (first defined at line {first[0]}, column {first[1]})",
                         "keep one of them")
            frame.pending_key, frame.skip_value = key, True
            return
        frame.pending_key = key
        frame.node.keys[key] = index  # type: ignore[index]

    def _anchor_or_tag(self, event: Any, index: int) -> None:
        anchor, tag = event.anchor, event.tag
        if anchor is not None:
            self.problem(index, self.child_path(), f"YAML anchors (&{display_key(anchor)}) are not supported",
                         "remove the anchor")
        if tag is not None and tag != "!":
            written = "!!" + tag.removeprefix(_CORE_TAGS) if tag.startswith(_CORE_TAGS) else tag
            self.problem(index, self.child_path(), f"YAML tags ('{display_key(written)}') are not allowed",
                         "remove the tag")

    def _next_suspect(self) -> int:
        return next(self._suspects, _NOWHERE)

    def _sweep(self, start: int, end: int) -> int:
        """Judge the hidden characters before the scalar at ``start``..``end`` (outside any value:
        reported) and skip those inside it (the model reports them). Returns the offset of the next
        one, or ``_NOWHERE``. Each character is looked at once: linear in the file."""
        text, index = self.text, self.next_hidden
        while index < end:
            if start > index >= self.checked_up_to and index != self.refused_at:
                why, self.checked_up_to = check_at(text, index)
                if why is not None and len(self.problems) >= MAX_PROBLEMS:
                    self.problem(index, (), "")  # only counted: no message is built
                elif why is not None:
                    self.problem(index, (), f"invisible character {char_name(text[index])} in a comment or "
                                 "between values", "it can make the file read differently from what it says — "
                                 "delete it")
            index = self._next_suspect()
        self.next_hidden = index
        return index

    def _syntax_error(self, error: yaml.MarkedYAMLError) -> None:
        mark = error.problem_mark or error.context_mark
        index = mark.index if mark is not None else 0
        message = (error.problem or str(error)).strip()
        # The record being read when the parser stopped (not the key: libyaml reads ahead).
        where = self.frame.path if self.frame is not None else ()
        column = self.lines.line_col(index)[1]
        before = self.text[index - column + 1: index + 1]
        if "maximum nesting depth" in message:  # libyaml (PyYAML >= 6.0.4) stops deep flow nesting itself
            self.problem(index, where, f"nesting deeper than {MAX_DEPTH} levels",
                         "briefing content never needs this much nesting")
        elif "'\\t'" in message or "\t" in before:
            self.problem(index, where, "tab character where YAML expects spaces", "indent with spaces, never tabs")
        elif error.context == "while scanning a simple key" and len(before) > 1024:
            self.problem(index, where, "a key longer than 1024 characters (or a very long line without ':')",
                         "YAML keys are at most 1024 characters; check this line")
        else:
            context = f" {error.context}" if error.context else ""
            self.problem(index, where, f"YAML syntax error: {message}{context}".rstrip(),
                         "check indentation and quoting on this line and the one before")


def parse_yaml(text: str, display_path: str) -> LoadedFile:
    """Parse YAML text into a LoadedFile; raises ContentError with every problem found."""
    # A byte order mark is allowed at the very start, and only there.
    return _Reader(text.removeprefix("\ufeff"), display_path).read()


def _wide_encoding(raw: bytes) -> str | None:
    """"UTF-32" or "UTF-16" when the bytes look like one of them (a byte order mark, or the NUL bytes
    that ASCII text has in them), else None. UTF-32 is tested first: its marks begin like UTF-16's."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    head = raw[:4]
    if len(head) == 4 and (head[1:] == b"\x00\x00\x00" or head[:3] == b"\x00\x00\x00"):
        return "UTF-32"
    if len(head) == 4 and (head[1] == head[3] == 0 or head[0] == head[2] == 0):
        return "UTF-16"
    return None


def _leaves(path: Path, within: tuple[Path, ...]) -> bool:
    """True when ``path`` is a link whose target is outside every folder of ``within``."""
    if not within or not path.is_symlink():
        return False
    target = path.resolve()
    return not any(target.is_relative_to(folder.resolve()) for folder in within)


def load_file(path: Path, display_path: str | None = None, within: tuple[Path, ...] = ()) -> LoadedFile:
    """Read and parse one YAML file; any problem becomes a ContentError.

    ``within``: the folders a content file that is a symbolic link may point into (the project and
    its content folder). A link out of them is refused without reading it, so that nothing of what
    it points at (``/etc/passwd``, a key file) can ever be quoted in a message or a CI log.
    """
    shown = display_path or str(path)

    def fail(message: str, suggestion: str = "", line: int = 1, column: int = 1) -> ContentError:
        return ContentError([Diagnostic(shown, line, column, "", message, suggestion)])

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise fail("not a regular file", "content files are plain YAML text files")
        if _leaves(path, within):
            raise fail("a link to a file outside the project; it was not read",
                       "put the file itself in content/")
        if info.st_size > MAX_FILE_BYTES:
            raise fail(f"file is {info.st_size} bytes; at most {MAX_FILE_BYTES} allowed",
                       "split the content or remove what is not needed")
        with path.open("rb") as handle:  # never trust st_size alone: the file may still be growing
            raw = handle.read(MAX_FILE_BYTES + 1)
    except (OSError, RuntimeError) as error:
        raise fail(f"cannot read file: {getattr(error, 'strerror', None) or error}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise fail(f"file is more than {MAX_FILE_BYTES} bytes", "split the content or remove what is not needed")
    wide = _wide_encoding(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        prefix = raw[: error.start].decode("utf-8", "replace")
        line, column = _Lines(prefix).line_col(len(prefix))
        hint = f"the file is {wide}; save it as UTF-8" if wide else "save the file as UTF-8"
        raise fail(f"invalid UTF-8 byte 0x{raw[error.start]:02x}", hint, line, column) from None
    if wide and "\x00" in text:
        raise fail(f"the file is {wide} (without a byte order mark), not UTF-8", "save it as UTF-8")
    return parse_yaml(text, shown)
