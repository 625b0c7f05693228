""""Did you mean …?" for unknown ids, in time linear in the number of ids and of queries.

Comparing every unknown reference with every id (``difflib.get_close_matches``) was quadratic:
1,000 misspelt references among 1,000 people took 58 s. :class:`Suggester` indexes the ids once
by their single-character deletions (SymSpell's symmetric deletes): an id within one edit (a
letter missing, added, changed, or two swapped) of the query shares a deletion with it, so each
query looks up at most ``len(query) + 1`` keys and ranks a bounded set of candidates with
difflib. Ids that differ only in case or separators are found through their folded form. Each
distinct unknown value is worked out once.

``comparisons`` counts the difflib comparisons made, so tests can assert the cost is bounded.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

MAX_QUERY = 100  # a longer unknown value gets no suggestion (ids are at most 64 characters)
MAX_CANDIDATES = 24  # ids ranked with difflib per query
MAX_BUCKET = 64  # ids kept under one deletion key (a pathological id set cannot blow up a query)
SMALL = 16  # an id set this small is compared in full, as difflib alone would
CUTOFF = 0.6

comparisons = 0

_SEPARATORS = re.compile(r"[\s_.\-]+")


def _folded(word: str) -> str:
    return _SEPARATORS.sub("-", word.casefold()).strip("-")


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))} | {word}


class Suggester:
    """Suggestions among one fixed set of ids (the index is built on the first query)."""

    def __init__(self, ids: Iterable[str]):
        self._ids = ids
        self._all: list[str] | None = None
        self._by_delete: dict[str, list[str]] = {}
        self._by_fold: dict[str, str] = {}
        self._memo: dict[str, str | None] = {}

    def _index(self) -> list[str]:
        if self._all is None:
            self._all = list(dict.fromkeys(self._ids))
            for record_id in self._all:
                self._by_fold.setdefault(_folded(record_id), record_id)
                for key in _deletes(record_id):
                    bucket = self._by_delete.setdefault(key, [])
                    if len(bucket) < MAX_BUCKET:
                        bucket.append(record_id)
        return self._all

    def best(self, word: str) -> str | None:
        """The id closest to ``word``, or None when none is close."""
        if word in self._memo:
            return self._memo[word]
        found = self._memo[word] = self._best(word)
        return found

    def _best(self, word: str) -> str | None:
        global comparisons
        ids = self._index()
        if not ids or len(word) > MAX_QUERY:
            return None
        folded = self._by_fold.get(_folded(word))
        if folded is not None and folded != word:
            return folded
        candidates: dict[str, None] = {}
        if len(ids) <= SMALL:
            candidates = dict.fromkeys(ids)
        else:
            for key in sorted(_deletes(word)):
                for record_id in self._by_delete.get(key, ()):
                    candidates[record_id] = None
                if len(candidates) >= MAX_CANDIDATES:
                    break
        best, best_ratio = None, CUTOFF
        matcher = difflib.SequenceMatcher(b=word)
        for record_id in list(candidates)[:MAX_CANDIDATES]:
            comparisons += 1
            matcher.set_seq1(record_id)
            if matcher.real_quick_ratio() >= best_ratio and matcher.quick_ratio() >= best_ratio:
                ratio = matcher.ratio()
                if ratio > best_ratio or (ratio == best_ratio and best is None):
                    best, best_ratio = record_id, ratio
        return best

    def hint(self, word: str) -> str:
        found = self.best(word)
        return f"did you mean '{found}'?" if found else ""
