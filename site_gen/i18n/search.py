"""The extra words the site search indexes for each word, so that readers find names however
they type them: the same function runs in the browser (``site_gen/assets/search-worker.js``,
``variants``) on every indexed word and every query word, and here for the prebuilt index.

* Without diacritics: ``zoë`` is also ``zoe``, ``łukasz`` ``lukasz``, ``żółć`` ``zolc`` (the word
  itself stays, so an exact query matches it as well, and scores higher: it matches both).
* Chinese and Japanese run their words together: a run of Han, Hiragana or Katakana is also
  indexed as its overlapping pairs of characters (``第一批电车`` → ``第一``, ``一批``, ``批电``,
  ``电车``), and a query is split the same way, so ``电车`` or ``王芳`` finds the run that holds it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Lower-case letters that do not decompose into a base letter and a mark (the worker's FOLD).
FOLD = {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŧ": "t", "ß": "ss", "æ": "ae", "œ": "oe",
        "þ": "th", "ð": "d"}
_FOLD = str.maketrans(FOLD)
_MARKS = re.compile("[\u0300-\u036f]")
# Han (with extension A and compatibility ideographs), Hiragana, Katakana (the worker's CJK).
CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def fold(word: str) -> str:
    return unicodedata.normalize("NFC", _MARKS.sub("", unicodedata.normalize("NFKD", word.translate(_FOLD))))


@lru_cache(maxsize=65_536)
def variants(word: str) -> tuple[str, ...]:
    """``word`` (lower-case, as the tokenizer emits it) and its extra index terms, in order."""
    out = [word]
    folded = fold(word)
    if folded != word:
        out.append(folded)
    for run in CJK.findall(folded):
        pieces = [run[i:i + 2] for i in range(len(run) - 1)] if len(run) > 1 else [run]
        out.extend(pieces)
    seen: set[str] = set()
    return tuple(w for w in out if w and not (w in seen or seen.add(w)))  # type: ignore[func-returns-value]
