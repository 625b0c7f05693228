"""The site search's lunr index, prepared at build time so that the browser does not build it.

Material for MkDocs' search worker builds a lunr index from ``search/search_index.json`` in the
reader's browser, which takes 1–3 s for a briefing of 10,000 records (12,000 sections): the first
search waits for it. This module reads the search index MkDocs wrote and writes
``search/prebuilt_index.json``: lunr's term lists (which words each section has, how often, in
which field), made with exactly the rules Material's worker applies —

* the text of each field is split into the text between HTML tags the way Material's
  ``extract`` does it (``tokenize``), then at the ``separator`` of mkdocs.yml, a JavaScript regular
  expression translated here to an equivalent Python one (:func:`python_separator`);
* every word is lowercased and English stop words are dropped (lunr's ``stopWordFilter``); the
  ``trimmer`` and ``stemmer`` are not applied because the configuration leaves them out;
* every word then counts as its variants (``site_gen/i18n/search.py``: without diacritics, and
  Chinese/Japanese character pairs), which site-gen's worker adds last in lunr's pipeline —

and site-gen's worker (``site_gen/assets/search-worker.js``) turns them into the lunr index.
Scores are computed in the browser with lunr's own arithmetic, and the positions of matches
(for highlighting) by Material's own tokenizer for the sections a query can match, so results are
identical to an index built in the browser; the worker falls back to building it there whenever
the prebuilt file does not belong to the search index it received, or a section's words turn out
to differ from the prebuilt ones.

The file is about a third of search_index.json gzipped (335 kB against 955 kB at 10,000 records)
and takes about 0.7 s CPU to write at that size.

A configuration this module cannot reproduce exactly (another language, the stemmer, a
separator using constructs whose meaning differs between JavaScript and Python) and a small
search index (the browser builds one of a few hundred sections in well under 0.1 s) get no
prebuilt file: the site then searches exactly as Material made it.
"""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .i18n.search import variants

FORMAT_VERSION = 2  # 2: each word with its variants (site_gen/i18n/search.py)
FILENAME = "prebuilt_index.json"
TOKEN = "site_gen_prebuilt"
# How Material's search plugin starts search_index.json (json.dumps of {"config": {...}, "docs": [...]}).
_INDEX_START = '{"config":{'

# lunr 2.3.9's English stop words (lunr.stopWordFilter), which Material's worker bundles.
STOP_WORDS = frozenset((
    "a", "able", "about", "across", "after", "all", "almost", "also", "am", "among", "an", "and",
    "any", "are", "as", "at", "be", "because", "been", "but", "by", "can", "cannot", "could",
    "dear", "did", "do", "does", "either", "else", "ever", "every", "for", "from", "get", "got",
    "had", "has", "have", "he", "her", "hers", "him", "his", "how", "however", "i", "if", "in",
    "into", "is", "it", "its", "just", "least", "let", "like", "likely", "may", "me", "might",
    "most", "must", "my", "neither", "no", "nor", "not", "of", "off", "often", "on", "only", "or",
    "other", "our", "own", "rather", "said", "say", "says", "she", "should", "since", "so", "some",
    "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "tis", "to",
    "too", "twas", "us", "wants", "was", "we", "were", "what", "when", "where", "which", "while",
    "who", "whom", "why", "will", "with", "would", "yet", "you", "your",
))

# ECMAScript \s: WhiteSpace (tab, vertical tab, form feed, ZWNBSP and every "Zs" space) and
# LineTerminator. Python's \s differs (it includes U+001C–U+001F and not U+FEFF).
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_JS_DIGIT = "0-9"
_JS_WORD = "A-Za-z0-9_"

# Escapes that mean the same in both languages (outside and inside a character class).
_SAME_ESCAPES = set("tnrfv0") | set("\\^$.|?*+()[]{}/-") | set(" !\"#%&',:;<=>@`~")


class Unsupported(Exception):
    """The search configuration or index cannot be reproduced exactly: no prebuilt index."""


def python_separator(source: str) -> re.Pattern[str]:
    """A Python pattern that splits text exactly as ``new RegExp(source)`` does in JavaScript.

    Only a conservative subset is translated (literal characters, classes, groups, lookarounds,
    quantifiers, alternation, \\s \\d \\w); anything else raises :class:`Unsupported`.
    """
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(source):
        char = source[i]
        if ord(char) > 0xFFFF:
            raise Unsupported("the separator has a character outside the Basic Multilingual Plane")
        if char == "\\":
            if i + 1 >= len(source):
                raise Unsupported("the separator ends with a backslash")
            escaped = source[i + 1]
            i += 2
            if escaped in "sdw":
                chars = {"s": _JS_SPACE, "d": _JS_DIGIT, "w": _JS_WORD}[escaped]
                out.append(chars if in_class else f"[{chars}]")
            elif escaped in "SDW" and not in_class:
                chars = {"S": _JS_SPACE, "D": _JS_DIGIT, "W": _JS_WORD}[escaped]
                out.append(f"[^{chars}]")
            elif escaped == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", source[i:i + 4]):
                out.append("\\u" + source[i:i + 4])
                i += 4
            elif escaped == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", source[i:i + 2]):
                out.append("\\x" + source[i:i + 2])
                i += 2
            elif escaped in _SAME_ESCAPES and not (escaped == "0" and source[i:i + 1].isdigit()):
                out.append("\\" + escaped)
            else:
                raise Unsupported(f"the separator uses \\{escaped}")
            continue
        if in_class:
            if char == "]":
                in_class = False
                out.append(char)
            elif char in "[&~|":
                out.append("\\" + char)  # literal in JavaScript; Python warns about set operations
            else:
                out.append(char)
        elif char == "[":
            if source[i + 1:i + 2] in ("^", "]"):
                raise Unsupported("the separator has a negated or empty character class")
            in_class = True
            out.append(char)
        elif char == "(" and source[i + 1:i + 2] == "?":
            if not re.match(r"\(\?(?::|=|!|<=|<!)", source[i:]):
                raise Unsupported("the separator has a named group or unknown group syntax")
            out.append(char)
        elif char == ".":
            raise Unsupported("the separator uses '.'")
        elif char == "$":
            out.append(r"\Z")  # JavaScript's $ (no m flag) is the end of the input only
        else:
            out.append(char)
        i += 1
    if in_class:
        raise Unsupported("the separator has an unclosed character class")
    translated = "".join(out)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            pattern = re.compile(translated)
    except (re.error, Warning) as error:
        raise Unsupported(f"the separator does not translate: {error}") from None
    if pattern.search("") is not None:
        raise Unsupported("the separator can match the empty string")
    return pattern


_ANGLE = re.compile("[<>]")


def text_sections(value: str) -> Iterator[str]:
    """The text Material's ``extract`` hands to the tokenizer: everything outside HTML tags.

    Material scans for ``<`` and ``>``: a ``<`` after some text ends that text, and a ``>`` ends a
    tag, which is skipped. (Its tag nesting only numbers blocks for highlighting.)
    """
    start = 0
    for match in _ANGLE.finditer(value):
        end = match.start()
        if value[end] == "<":
            if end > start:
                yield value[start:end]
                start = end
        else:
            start = end + 1
    if len(value) > start:
        yield value[start:]


def tokenize(value: str | list[str], separator: re.Pattern[str]) -> Iterator[str]:
    """The words of one field, lowercased, as Material's tokenizer emits them."""
    for item in [value] if isinstance(value, str) else value:
        for section in text_sections(item):
            index = 0
            for match in separator.finditer(section):
                if match.end() == match.start():
                    raise Unsupported("the separator matched the empty string")
                if index < match.start():
                    yield section[index:match.start()].lower()
                index = match.end()
            if index < len(section):
                yield section[index:].lower()


def _check_config(config: dict[str, Any]) -> list[str]:
    if config.get("lang") != ["en"]:
        raise Unsupported(f"search language {config.get('lang')!r} (only ['en'] is prebuilt)")
    pipeline = config.get("pipeline")
    if not isinstance(pipeline, list) or set(pipeline) - {"stopWordFilter"}:
        raise Unsupported(f"search pipeline {pipeline!r} (only stopWordFilter is prebuilt)")
    fields = config.get("fields")
    if not isinstance(fields, dict) or list(fields) != ["title", "text", "tags"]:
        raise Unsupported(f"search fields {list(fields or ())!r}")
    if not isinstance(config.get("separator"), str):
        raise Unsupported("no separator")
    return list(fields)


def _field_values(doc: dict[str, Any], name: str) -> str | list[str] | None:
    value = doc.get(name)
    if value is None and name not in doc:
        return None
    if isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return value
    raise Unsupported(f"a document's {name} is neither text nor a list of text")


def prebuild(index: dict[str, Any]) -> dict[str, Any]:
    """The prebuilt index for ``index`` (the parsed search_index.json)."""
    config = index.get("config")
    docs = index.get("docs")
    if not isinstance(config, dict) or not isinstance(docs, list):
        raise Unsupported("search_index.json has no config or docs")
    fields = _check_config(config)
    pipeline_stops = "stopWordFilter" in config["pipeline"]
    separator = python_separator(config["separator"])
    locations: set[str] = set()
    terms: dict[str, int] = {}
    # postings[field][term] = [(document, term frequency), ...] in document order
    postings: list[list[list[tuple[int, int]]]] = [[] for _ in fields]
    for number, doc in enumerate(docs):
        location = doc.get("location") if isinstance(doc, dict) else None
        if not isinstance(location, str) or location in locations:
            raise Unsupported("a document without a location, or two with the same")
        locations.add(location)
        for f, name in enumerate(fields):
            value = _field_values(doc, name)
            if value is None:
                continue
            counts: dict[str, int] = {}
            for token in tokenize(value, separator):
                if pipeline_stops and token in STOP_WORDS:
                    continue
                for word in variants(token):  # site-gen's worker adds them last in lunr's pipeline
                    if word not in terms:
                        terms[word] = len(terms)
                        for per_field in postings:
                            per_field.append([])
                    counts[word] = counts.get(word, 0) + 1
            for word, count in counts.items():
                postings[f][terms[word]].append((number, count))
    return {
        "version": FORMAT_VERSION,
        "config": config,
        "docs": len(docs),
        "fields": fields,
        "terms": list(terms),
        "postings": [[_encode(entries) for entries in per_field] for per_field in postings],
    }


def _encode(entries: Iterable[tuple[int, int]]) -> list[int]:
    """Document numbers as gaps; a term found more than once: -(gap + 1), then the count."""
    encoded: list[int] = []
    previous = 0
    for number, count in entries:
        gap = number - previous
        previous = number
        if count == 1:
            encoded.append(gap)
        else:
            encoded.extend((-gap - 1, count))
    return encoded


def write_prebuilt(site_dir: Path, min_sections: int = 0) -> bool:
    """Write search/prebuilt_index.json next to search_index.json; whether it was written.

    Both files get the same token (``config.site_gen_prebuilt``, a hash of the search index), by
    which the worker knows that they belong together: a browser may hold an older copy of one.
    Nothing is written (and search_index.json is left as it is) when there is no search index or
    it has fewer than ``min_sections`` sections; :class:`Unsupported` when it cannot be
    reproduced exactly.
    """
    search = Path(site_dir) / "search"
    source = search / "search_index.json"
    if not source.is_file():
        return False
    original = source.read_text("utf-8")
    if not original.startswith(_INDEX_START):
        raise Unsupported("search_index.json does not start with its configuration")
    token = hashlib.sha256(original.encode("utf-8")).hexdigest()[:16]
    tokened = original.replace(_INDEX_START, f'{_INDEX_START}"{TOKEN}":"{token}",', 1)
    index = json.loads(tokened)
    if len(index.get("docs") or ()) < min_sections:
        return False
    data = prebuild(index)
    (search / FILENAME).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
    source.write_text(tokened, "utf-8")
    return True
