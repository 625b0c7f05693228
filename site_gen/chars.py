"""Which characters a briefing may hold: one rule, shared by the loader and the content model.

Refused is whatever makes text look different from what it is (see CONTENT.md, "Characters"):

* control characters (Unicode category Cc) other than white space;
* format characters (Cf: bidi controls, zero-width space, word joiner, soft hyphen, byte order
  mark, tag characters, …), except where a script or an emoji needs them: a zero-width
  non-joiner or joiner right after a virama (Indic scripts) or between two letters of a script
  whose letters join (Arabic — Persian, Urdu, … —, Syriac, N'Ko, Mongolian, …; the joining types
  of Unicode's ArabicShaping data, as the ``idna`` package ships them), a joiner between two
  emoji (an emoji ZWJ sequence), and the tag characters of an emoji tag sequence (the flags of
  England, Scotland, Wales);
* surrogates (Cs) and noncharacters (U+FDD0–U+FDEF and the last two code points of every plane,
  U+FFFE, U+FFFF, U+1FFFE, …): they are not characters, and feeds and XML refuse them;
* the few letters and symbols that show as nothing or as blank space: the Hangul fillers
  (U+115F, U+1160, U+3164, U+FFA0), the other default-ignorable code points that are not format
  characters (U+034F, U+17B4, U+17B5) and the blank braille pattern U+2800.

Everything else is allowed, including private-use characters and code points newer than the
Unicode tables of the running Python (a new emoji must not be refused).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from idna.idnadata import joining_types
from idna.intranges import intranges_contain

ZWNJ, ZWJ = "\u200c", "\u200d"
CANCEL_TAG = "\U000e007f"
# Letters and symbols by category that show as nothing or as blank space (a hand list only because
# Unicode's own Other_Default_Ignorable_Code_Point is one; Python's unicodedata does not carry it).
BLANK_LOOKING = "\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0"
_BLANK = re.compile(f"[{BLANK_LOOKING}]")
# Where the loader looks for hidden characters outside values: the format characters (Cf) and
# noncharacters of the Basic Multilingual Plane, and every character beyond it (a character class
# with many ranges beyond it is an order of magnitude slower for the regex engine, and such
# characters are rare). The list is a superset of what unicodedata says, checked by
# tests/test_loader.py; each character found is then judged by ``check_at``, from its category.
FORMAT_CHARACTERS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\ufeff\ufff9-\ufffb"
)
SUSPECT = re.compile(f"[{FORMAT_CHARACTERS}\ufdd0-\ufdef\ufffe\uffff\U00010000-\U0010ffff]")
# Beyond the BMP, only inside a run of such characters (emoji, rare scripts), the exact ranges.
_ASTRAL_RUN = re.compile("[\U00010000-\U0010ffff]+")
_ASTRAL_SUSPECT = re.compile(
    "[\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001-\U000e007f" + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(1, 17))
    + "]")


def suspects(text: str) -> Iterator[int]:
    """The offsets, in order, of every character of ``text`` that ``check_at`` may refuse (and a few more)."""
    if text.isascii():
        return
    position = 0
    while True:
        found = SUSPECT.search(text, position)
        if found is None:
            return
        index = found.start()
        if text[index] <= "\uffff":
            yield index
            position = index + 1
            continue
        position = _ASTRAL_RUN.match(text, index).end()  # type: ignore[union-attr]
        for match in _ASTRAL_SUSPECT.finditer(text, index, position):
            yield match.start()


_JOINING = tuple(joining_types[t] for t in ("D", "L", "R", "C") if t in joining_types)
_TRANSPARENT = joining_types.get("T", ())
_VIRAMA = 9  # canonical combining class of a virama
_EMOJI_MODIFIERS = range(0x1F3FB, 0x1F400)  # skin tones (category Sk)


def is_noncharacter(char: str) -> bool:
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def char_name(char: str) -> str:
    """``U+FFFE (noncharacter)``, ``U+200B (ZERO WIDTH SPACE)``: how a character is named in a message."""
    name = unicodedata.name(char, "")
    if not name:
        category = unicodedata.category(char)
        name = ("noncharacter" if is_noncharacter(char) else "surrogate" if category == "Cs"
                else "control character" if category == "Cc" else "unassigned character")
    return f"U+{ord(char):04X} ({name})"


def _joins(code: int) -> bool:
    return any(intranges_contain(code, ranges) for ranges in _JOINING)


def _neighbour(text: str, index: int, step: int) -> str:
    """The character next to ``index`` in direction ``step``, skipping marks that are transparent to joining."""
    index += step
    while 0 <= index < len(text) and intranges_contain(ord(text[index]), _TRANSPARENT):
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _pictographic(char: str) -> bool:
    """An emoji-like symbol (So), or a code point of the emoji planes newer than this Python's tables."""
    if not char:
        return False
    category = unicodedata.category(char)
    return category == "So" or (category == "Cn" and ord(char) >= 0x1F000 and not is_noncharacter(char))


def _joiner_allowed(text: str, index: int) -> bool:
    if index == 0 or text[index - 1] < "\u0300" or text[index - 1] in (ZWNJ, ZWJ):
        return False  # after nothing, after Latin-1 or after another joiner: never needed
    if unicodedata.combining(text[index - 1]) == _VIRAMA:
        return True
    before, after = _neighbour(text, index, -1), _neighbour(text, index, 1)
    if before and after and _joins(ord(before)) and _joins(ord(after)):
        return True
    if text[index] == ZWJ and index > 0 and index + 1 < len(text):
        prev = text[index - 1]
        if prev == "\ufe0f" or ord(prev) in _EMOJI_MODIFIERS:
            prev = text[index - 2] if index > 1 else ""
        return _pictographic(prev) and _pictographic(text[index + 1])
    return False


def _tag_run_end(text: str, index: int) -> int:
    """If a run of tag characters starting at ``index`` is an emoji tag sequence, the index after it, else -1."""
    if index == 0 or unicodedata.category(text[index - 1]) != "So":
        return -1
    end = index
    while end < len(text) and "\U000e0020" <= text[end] <= "\U000e007e":
        end += 1
    return end + 1 if end < len(text) and text[end] == CANCEL_TAG and end > index else -1


def check_at(text: str, index: int) -> tuple[str | None, int]:
    """Whether the rule refuses ``text[index]``: ``(None | "invisible" | "noncharacter", next index to check)``
    (a whole emoji tag sequence is checked at once)."""
    char = text[index]
    if char.isprintable() and char not in BLANK_LOOKING:
        return None, index + 1
    category = unicodedata.category(char)
    if category == "Cf":
        if char in (ZWNJ, ZWJ) and _joiner_allowed(text, index):
            return None, index + 1
        if "\U000e0020" <= char <= "\U000e007e":
            end = _tag_run_end(text, index)
            if end > 0:
                return None, end
        return "invisible", index + 1
    if category == "Cs" or (category == "Cn" and is_noncharacter(char)):
        return "noncharacter", index + 1
    if (category == "Cc" and not char.isspace()) or char in BLANK_LOOKING:
        return "invisible", index + 1
    return None, index + 1  # white space, private use, or a character newer than this Python's tables


def refused(text: str) -> tuple[int, str] | None:
    """The first character of ``text`` that the rule refuses, with why: ``(index, "invisible" |
    "noncharacter")``; None when the text is fine."""
    if text.isprintable() and (text.isascii() or not _BLANK.search(text)):
        return None  # the common case, checked in C
    index = 0
    while index < len(text):
        why, following = check_at(text, index)
        if why is not None:
            return index, why
        index = following
    return None


def looks_empty(text: str) -> bool:
    """True when no character of ``text`` is a letter, digit, punctuation or symbol (only marks, selectors…)."""
    if "!" <= text[:1] <= "~":
        return False  # the common case: it starts with a visible ASCII character
    return not any(unicodedata.category(c)[0] in "LNPS" and c not in BLANK_LOOKING for c in text)
