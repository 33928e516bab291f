"""Text normalisation and word shingles: the one definition of "the same text" used by every check.

Two texts are exact duplicates when their normalised forms are equal: Unicode NFKC, lower case,
punctuation (and invisible format characters) deleted, every run of whitespace collapsed to one
space. Deleting punctuation rather than turning it into a space makes "e-mail" equal "email" and
"Order #123." equal "order 123".
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

DEFAULT_SHINGLE_SIZE = 5


class _TranslationTable(dict[int, int | None]):
    """Punctuation (P*) and format (Cf) characters -> deleted, any whitespace -> a plain space.

    Filled lazily, one code point at a time as texts use it: building it for all of Unicode up
    front costs a second, and str.translate only ever asks for the characters it meets.
    """

    def __missing__(self, code: int) -> int | None:
        char = chr(code)
        category = unicodedata.category(char)
        value: int | None = code
        if category.startswith("P") or category == "Cf":
            value = None
        elif char.isspace():
            value = _SPACE
        self[code] = value
        return value


_SPACE = ord(" ")
_TABLE = _TranslationTable()


def normalize_loose(text: str) -> str:
    """Normalised text whose words are separated by runs of single ASCII spaces.

    Cheaper than `normalize_text` (no split/join); the bulk engine splits on spaces itself.
    """
    return unicodedata.normalize("NFKC", text).lower().translate(_TABLE)


def normalize_text(text: str) -> str:
    """The canonical form: two texts are exact duplicates when these strings are equal."""
    return " ".join(normalize_loose(text).split())


def words(text: str) -> list[str]:
    return normalize_loose(text).split()


def _refuse_size(n: int) -> None:
    if n < 1:
        raise ValueError(f"shingle size must be at least 1, got {n}")


def word_shingles(text: str, n: int = DEFAULT_SHINGLE_SIZE) -> set[str]:
    """The set of word n-grams of the normalised text.

    A text shorter than n words is one shingle (the whole text), so short texts still compare;
    a text without words has no shingles.
    """
    _refuse_size(n)
    tokens = words(text)
    if not tokens:
        return set()
    if len(tokens) < n:
        return {" ".join(tokens)}
    return {" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def jaccard(a: str, b: str, n: int = DEFAULT_SHINGLE_SIZE) -> float:
    """Jaccard similarity of the word n-gram shingle sets of two texts, in [0, 1].

    Two texts without any words are identical (1.0); one empty and one not share nothing (0.0).
    """
    _refuse_size(n)
    shingles_a = _shingle_tuples(a, n)
    shingles_b = _shingle_tuples(b, n)
    if not shingles_a and not shingles_b:
        return 1.0
    common = len(shingles_a & shingles_b)  # the union's size follows: no second set is built
    return common / (len(shingles_a) + len(shingles_b) - common)


@lru_cache(maxsize=256)
def _shingle_tuples(text: str, n: int) -> frozenset[tuple[str, ...]]:
    """`word_shingles` as word tuples: the same sets (words hold no space, so joining them
    tells no two shingles apart that tuples do not), made by zip instead of a join per
    shingle. Remembered: the rephrasings rule and check compare each rewrite with its source,
    and an email's rewrites are checked one after the other."""
    tokens = words(text)
    if len(tokens) < n:
        return frozenset([tuple(tokens)]) if tokens else frozenset()
    return frozenset(zip(*(tokens[i:] for i in range(n)), strict=False))
