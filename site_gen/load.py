"""Stage 1 — load: YAML files -> plain Python data with the position of every value.

The loader is deliberately stricter than YAML 1.1 (PyYAML's default) and safer:

* it walks the parser's event stream itself (libyaml's C parser when available), so no
  Python object is ever constructed from a tag, aliases can never expand, nesting depth is
  bounded and no recursion can overflow;
* what one file may cost is bounded: its size, its number of values, the digits of a number
  and the number of problems listed, so a hostile file is reported quickly in little memory;
* plain scalars are resolved by a small explicit rule set: ``true``/``false``, ``null``,
  decimal integers and decimals; YAML 1.1 surprises (``NO``, ``on``, ``12:30``, ``0777``,
  ``.nan``) are reported instead of silently becoming booleans or numbers; dates stay text;
* duplicate keys, anchors, aliases, explicit tags and multiple documents are errors, and so
  are NUL bytes, a byte order mark anywhere but at the very start, and invisible characters
  (bidi controls, zero-width spaces) hidden in comments.
"""

from __future__ import annotations

import re
import stat
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

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
# Characters that change how a line *looks* without being seen: bidi controls and zero-width
# characters (Trojan Source). Inside a value the model reports them; elsewhere the loader does.
_HIDDEN = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069]")
_CORE_TAGS = "tag:yaml.org,2002:"
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,60}")


def safe_text(text: str) -> str:
    """``text`` with control and invisible characters escaped, so a message stays one honest line."""
    return "".join(c if c.isprintable() and not _HIDDEN.match(c) else c.encode("unicode_escape").decode()
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


class _Positions:
    """The positions inside one mapping or list: of each value, each key, and each child container.

    Kept as a tree beside the data (not as a table keyed by every value's full path), so reading a
    file builds no path tuples; paths are only walked when a message needs a position.
    """

    __slots__ = ("children", "keys", "values")

    def __init__(self, mapping: bool) -> None:
        self.values: dict[str | int, tuple[int, int]] = {}
        self.keys: dict[str | int, tuple[int, int]] | None = {} if mapping else None
        self.children: dict[str | int, _Positions] | None = None

    def add_child(self, slot: str | int, child: _Positions) -> None:
        if self.children is None:
            self.children = {}
        self.children[slot] = child


@dataclass
class LoadedFile:
    """The plain data of one YAML file plus the 1-based (line, column) of each value and key."""

    path: str
    data: Any
    root_position: tuple[int, int] = (1, 1)
    tree: _Positions | None = None

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Position of ``path`` (of its key, with ``key=True``), or of its nearest ancestor that has one."""
        best = self.root_position
        node = self.tree
        for part in path:
            if node is None:
                break
            value = node.values.get(part)
            name = node.keys.get(part) if key and node.keys is not None else None
            if value is None and name is None:
                break
            best = (name or value) if key else (value or best)  # type: ignore[assignment]
            node = node.children.get(part) if node.children is not None else None
        return best

    def diagnostic(self, path: Path_, message: str, suggestion: str = "", *, key: bool = False) -> Diagnostic:
        line, column = self.position(path, key=key)
        return Diagnostic(self.path, line, column, format_path(path), message, suggestion)


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _char_name(char: str) -> str:
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'control character')})"


_NO_SLOT = object()


class _Frame:
    """A mapping or list being read. Its path is worked out only when a message needs it."""

    __slots__ = ("_path", "container", "is_list", "node", "parent", "pending_key", "skip_value", "slot", "start")

    def __init__(self, container: dict[str, Any] | list[Any], parent: _Frame | None, slot: Any,
                 start: tuple[int, int]):
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


class _TooManyProblems(Exception):
    """Raised once a file has more problems than anyone would read."""


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


def parse_yaml(text: str, display_path: str) -> LoadedFile:
    """Parse YAML text into a LoadedFile; raises ContentError with every problem found."""
    problems: list[Diagnostic] = []

    def problem(position: tuple[int, int], field_path: Path_, message: str, suggestion: str = "") -> None:
        if len(problems) >= MAX_PROBLEMS:
            problems.append(Diagnostic(display_path, position[0], position[1], "",
                                       f"more problems from here on are not listed (at most {MAX_PROBLEMS} "
                                       "per file)", "fix the ones above and run again"))
            raise _TooManyProblems
        problems.append(Diagnostic(display_path, position[0], position[1], format_path(field_path),
                                   message, suggestion))

    text = text.removeprefix("\ufeff")  # a byte order mark is allowed at the very start, and only there
    nul = text.find("\x00")
    if nul >= 0:
        problem(_line_col(text, nul), (), "NUL byte (\\x00) in file", "remove it; YAML files are plain text")
        raise ContentError(problems)
    bom = text.find("\ufeff")
    if bom >= 0:
        problem(_line_col(text, bom), (), "byte order mark (U+FEFF) inside the file; it is only allowed as "
                "the very first character", "delete it (files pasted together often carry one)")
        raise ContentError(problems)

    loaded = LoadedFile(display_path, None)
    stack: list[_Frame] = []
    frame: _Frame | None = None  # the innermost open container (stack[-1])
    documents = 0
    nodes = 0
    root_set = False
    hidden = [m.start() for m in _HIDDEN.finditer(text)]
    scalar_spans: list[tuple[int, int]] = []

    def attach(value: Any, position: tuple[int, int], child: _Frame | None) -> None:
        """Put a value read (a scalar, or the container ``child`` just closed) into its parent."""
        nonlocal root_set
        if frame is None:
            loaded.data = value
            loaded.root_position = position
            loaded.tree = child.node if child is not None else None
            root_set = True
            return
        node = frame.node
        if frame.is_list:
            index = len(frame.container)
            frame.container.append(value)  # type: ignore[union-attr]
            node.values[index] = position
            if child is not None:
                node.add_child(index, child.node)
            return
        key = frame.pending_key
        if key is None:
            if child is not None:
                problem(position, frame.path, "a mapping key must be plain text, not a list or mapping")
                frame.pending_key, frame.skip_value = "", True
                return
            key = "" if value is None else str(value)
            if key in frame.container:
                first = node.keys.get(key, position)  # type: ignore[union-attr]
                problem(
                    position,
                    frame.path + (key,),
                    f"duplicate key '{display_key(key)}' (first defined at line {first[0]}, column {first[1]})",
                    "keep one of them",
                )
                frame.pending_key, frame.skip_value = key, True
                return
            frame.pending_key = key
            node.keys[key] = position  # type: ignore[index]
            return
        skip = frame.skip_value
        frame.pending_key, frame.skip_value = None, False
        if skip:
            return
        frame.container[key] = value  # type: ignore[call-overload]
        node.values[key] = position
        if child is not None:
            node.add_child(key, child.node)

    def child_path() -> Path_:
        if frame is None:
            return ()
        slot = frame.child_slot()
        return frame.path if slot is _NO_SLOT else frame.path + (slot,)

    def anchor_or_tag(event: Any, position: tuple[int, int]) -> None:
        anchor, tag = event.anchor, event.tag
        if anchor is not None:
            problem(position, child_path(), f"YAML anchors (&{display_key(anchor)}) are not supported",
                    "remove the anchor")
        if tag is not None and tag != "!":
            written = "!!" + tag.removeprefix(_CORE_TAGS) if tag.startswith(_CORE_TAGS) else tag
            problem(position, child_path(), f"YAML tags ('{display_key(written)}') are not allowed",
                    "remove the tag")

    scalar_event, mapping_start, alias_event = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.AliasEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    not_values = frozenset({yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentStartEvent,
                            yaml.DocumentEndEvent, type(None)})
    try:
        try:
            parser = _Loader(text)
            try:
                # The parser's own get_event, one call per event (yaml.parse() wraps it in a
                # Python generator that asks twice per event).
                get_event = parser.get_event
                while True:
                    event: Any = get_event()
                    kind = type(event)
                    if kind in not_values:  # stream and document boundaries
                        if kind is yaml.StreamEndEvent or event is None:
                            break
                        if kind is yaml.DocumentStartEvent:
                            documents += 1
                            if documents > 1:
                                problem(_pos(event.start_mark), (), "more than one YAML document ('---') in file",
                                        "keep a single document per file")
                                break
                        continue
                    mark = event.start_mark
                    position = (mark.line + 1, mark.column + 1)
                    nodes += 1
                    if nodes > MAX_NODES:
                        problem(position, child_path(), f"more than {MAX_NODES} values in one file",
                                "split the content or remove what is not needed")
                        break
                    if kind is scalar_event:  # most events: the common cases inline
                        tag = event.tag
                        if event.anchor is not None or (tag is not None and tag != "!"):
                            anchor_or_tag(event, position)
                        if hidden:
                            scalar_spans.append((mark.index, event.end_mark.index))
                        value = event.value
                        if not event.style and tag is None and (value in _PLAIN_SPECIAL or value[0] in _NUMBER_START):
                            value, issue = _resolve_plain(value)
                            if issue:
                                problem(position, child_path(), issue)
                        top = frame
                        if top is None:
                            attach(value, position, None)
                        elif top.is_list:
                            top.node.values[len(top.container)] = position
                            top.container.append(value)  # type: ignore[union-attr]
                        elif top.pending_key is None:  # a key
                            if type(value) is str and value not in top.container:
                                top.pending_key = value
                                top.node.keys[value] = position  # type: ignore[index]
                            else:  # a duplicate, or null / a number / a boolean as a key
                                attach(value, position, None)
                        elif not top.skip_value:
                            top.container[top.pending_key] = value  # type: ignore[call-overload]
                            top.node.values[top.pending_key] = position
                            top.pending_key = None
                        else:
                            attach(value, position, None)
                    elif kind in ends:
                        closed = stack.pop()
                        frame = stack[-1] if stack else None
                        attach(closed.container, closed.start, closed)
                    elif kind is alias_event:
                        problem(position, child_path(),
                                f"YAML aliases (*{display_key(event.anchor)}) are not supported",
                                "repeat the value instead of referring to an anchor")
                        attach(None, position, None)
                    else:  # the start of a mapping or a list
                        if event.anchor is not None or event.tag not in (None, "!"):
                            anchor_or_tag(event, position)
                        if len(stack) >= MAX_DEPTH:
                            problem(position, child_path(), f"nesting deeper than {MAX_DEPTH} levels",
                                    "briefing content never needs this much nesting")
                            raise ContentError(problems)
                        container: dict[str, Any] | list[Any] = {} if kind is mapping_start else []
                        frame = _Frame(container, frame, frame.child_slot() if frame is not None else _NO_SLOT,
                                       position)
                        stack.append(frame)
            finally:
                parser.dispose()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            position = _pos(mark) if mark is not None else (1, 1)
            message = (error.problem or str(error)).strip()
            # The record being read when the parser stopped (not the key: libyaml reads ahead).
            where = frame.path if frame is not None else ()
            lines = text.splitlines()
            before = lines[position[0] - 1][: position[1]] if 0 < position[0] <= len(lines) else ""
            if "'\\t'" in message or "\t" in before:
                problem(position, where, "tab character where YAML expects spaces",
                        "indent with spaces, never tabs")
            elif error.context == "while scanning a simple key" and len(before) > 1024:
                problem(position, where, "a key longer than 1024 characters (or a very long line without ':')",
                        "YAML keys are at most 1024 characters; check this line")
            else:
                context = f" {error.context}" if error.context else ""
                problem(position, where, f"YAML syntax error: {message}{context}".rstrip(),
                        "check indentation and quoting on this line and the one before")
        except yaml.YAMLError as error:  # ReaderError: a character YAML does not allow
            index = getattr(error, "position", 0) or 0
            character = getattr(error, "character", "")
            shown = _char_name(character) if isinstance(character, str) and len(character) == 1 else repr(character)
            problem(_line_col(text, index), frame.path if frame is not None else (), f"character {shown} is not allowed in YAML",
                    "remove it or replace it with a visible character")
        except RecursionError:
            problem((1, 1), (), f"nesting deeper than {MAX_DEPTH} levels")
        # Hidden characters inside a value are reported by the model with the field's name; the
        # ones in comments or between values can only be reported here.
        for index in hidden:
            if not any(start <= index < end for start, end in scalar_spans):
                problem(_line_col(text, index), (),
                        f"invisible character {_char_name(text[index])} in a comment or between values",
                        "it can make the file read differently from what it says — delete it")
    except _TooManyProblems:
        pass
    if problems:
        raise ContentError(problems)
    if not root_set:
        problem((1, 1), (), "file is empty", "see CONTENT.md for what this file holds")
        raise ContentError(problems)
    return loaded


def load_file(path: Path, display_path: str | None = None) -> LoadedFile:
    """Read and parse one YAML file; any problem becomes a ContentError."""
    shown = display_path or str(path)

    def fail(message: str, suggestion: str = "", line: int = 1, column: int = 1) -> ContentError:
        return ContentError([Diagnostic(shown, line, column, "", message, suggestion)])

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise fail("not a regular file", "content files are plain YAML text files")
        if info.st_size > MAX_FILE_BYTES:
            raise fail(f"file is {info.st_size} bytes; at most {MAX_FILE_BYTES} allowed",
                       "split the content or remove what is not needed")
        with path.open("rb") as handle:  # never trust st_size alone: the file may still be growing
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise fail(f"cannot read file: {error.strerror or error}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise fail(f"file is more than {MAX_FILE_BYTES} bytes", "split the content or remove what is not needed")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        prefix = raw[: error.start].decode("utf-8", "replace")
        line, column = _line_col(prefix, len(prefix))
        hint = "save the file as UTF-8"
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            hint = "the file is UTF-16; save it as UTF-8"
        raise fail(f"invalid UTF-8 byte 0x{raw[error.start]:02x}", hint, line, column) from None
    return parse_yaml(text, shown)

