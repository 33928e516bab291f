"""Which language a generated text is written in: one identifier for the generators and checks.

py3langid's model ships inside its wheel (no downloads). Restricted to the four languages dsgen
writes, it was measured 98.9% right on 3-8-word texts and 100% on emails, at 6,000-15,000 texts a
second on one core. It is loaded once per process (~0.5 s), on first use, and restricted once:
`set_languages` per text would rebuild the model's matrices every time.

A text is judged on what the model wrote itself: the facts the generator was handed (product
name, order reference, names, amounts) and quoted policy text, which stays English in every
language, are removed first. Too little left, or a guess below `MIN_CONFIDENCE`, is "unchecked",
never a violation: a language check must not reject what it cannot tell.

Guesses are remembered by a digest of (text, facts removed), the whole input of `identify`:
a stage's evidence check re-judges the texts its generator judged moments before in the same
process (the in-process executor), and walking each text again through the model was half of
the identification time of an offline batch, the largest cost of all (issue #13). A digest, not
the text, is the key (16 bytes an entry), and the oldest guesses go first past `MEMO_ENTRIES`.

The model's scores are py3langid's own, but its walk of a text's bytes through the n-gram
automaton is done by `ByteWalker` in numpy instead of a Python loop a byte: 165 -> 81 us a
text of ~520 characters on the 2-core machine of December 2026 (the figures move with the
machine), the same languages and confidences (issue #13; tests compare them).
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from dsgen_dagster.lib.vocabulary import LANGUAGES

MIN_LETTERS = 20
MIN_CONFIDENCE = 0.8

# Quoted spans in the marks our four languages use: „…“ «…» “…” "…" (and the single ‚…‘ ‹…›).
QUOTED = re.compile(r"„[^“”]*[“”]|«[^»]*»|“[^”]*”|\"[^\"]*\"|‚[^‘’]*[‘’]|‹[^›]*›")
# Words with a digit. The lookbehind changes no match (a leftmost match never starts just after
# a word character, a dot or a hyphen: it would have started there; nor where the previous match
# ended, whose greedy tail stopped before any such character) but stops the search from retrying
# inside every word: 48 -> 23 us a text, the same result on 97,187 texts.
NUMBERS = re.compile(r"(?<![\w.-])[\w.-]*\d[\w.,:/-]*")
LETTER = re.compile(r"[^\W\d_]")

# Enough for the largest stage of a 100,000-ticket batch (two texts a translation) between its
# generation and its check; ~150 bytes an entry.
MEMO_ENTRIES = 400_000

_lock = threading.Lock()
_identifier: Any = None
_memo: dict[bytes, Guess] = {}


@dataclass(frozen=True, slots=True)  # up to MEMO_ENTRIES of them live: no __dict__ each
class Guess:
    language: str | None  # None: too little text to tell
    confidence: float

    def contradicts(self, expected: str) -> bool:
        """A confident guess of another language than `expected`."""
        return (
            self.language is not None
            and self.language != expected
            and self.confidence >= MIN_CONFIDENCE
        )


def identifier() -> Any:
    """py3langid's model, restricted to dsgen's languages, with probabilities normalised."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                loaded = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                loaded.set_languages(list(LANGUAGES))
                _identifier = ByteWalker(loaded)
    return _identifier


class ByteWalker:
    """`classify` of a py3langid model (norm_probs on), its scores computed as py3langid
    computes them, but the byte walk in numpy.

    The model counts its byte n-gram features by walking a text through an Aho-Corasick
    automaton, whose state after a byte is the longest suffix of the text read so far that is a
    prefix of some feature. That suffix is never longer than the automaton's depth (the longest
    prefix, 6 bytes in 0.4.0), so the state at every position is the walk from the start state
    over just the `depth` bytes ending there: `depth` vectorised steps over all positions at
    once instead of one Python step a byte. Features are summed in the order the loop first
    meets them, so the float sums, and the confidences, are the loop's to the bit."""

    def __init__(self, model: Any) -> None:
        self.model = model
        if model.min_confidence is not None:  # py3langid would answer "und" below it
            raise ValueError("ByteWalker scores as norm_probs without min_confidence does")
        moves = model.tk_nextmove  # an array.array (its typecode is numpy's name for it)
        typecode = getattr(moves, "typecode", None)
        self.nextmove = (
            np.frombuffer(moves, dtype=np.dtype(typecode)) if typecode else np.asarray(moves)
        )
        self.rowbase = np.asarray(model._rowbase, dtype=np.int64)
        self.output = np.asarray(model.tk_output, dtype=np.int64)
        self.depth = automaton_depth(self.nextmove, self.rowbase)

    def features(self, encoded: bytes) -> np.ndarray:
        """The feature index of every position whose state has one, in text order."""
        text = np.frombuffer(encoded, dtype=np.uint8)
        states = np.zeros(len(text), dtype=np.int64)
        for back in range(self.depth - 1, -1, -1):  # position i reads byte i - back, ..., i
            if back < len(text):
                ahead = states[back:]
                states[back:] = self.nextmove[self.rowbase[ahead] + text[: len(text) - back]]
        found = self.output[states]
        return found[found >= 0]

    def classify(self, text: str) -> tuple[str, float]:
        model = self.model
        encoded = model._encode(text)
        found = self.features(encoded)
        if len(found):
            indexes, first, counts = np.unique(found, return_index=True, return_counts=True)
            order = np.argsort(first, kind="stable")  # the loop's Counter order
            weights = np.log1p(counts[order].astype(np.float32))
            scores = weights @ model.nb_ptc[indexes[order]] + model.nb_pc
        else:  # no features: uniform scores, as py3langid gives under norm_probs
            scores = np.zeros(len(model.nb_classes), dtype=np.float32)
        scores *= 1.0 / math.sqrt(len(encoded) or 1)
        np.exp(scores - scores.max(), out=scores)
        scores /= scores.sum()
        for first_column, dupe in model._alias_pairs:  # labels listed twice (srl -> sr)
            scores[first_column] += scores[dupe]
            scores[dupe] = 0.0
        best = int(scores.argmax())
        return model.nb_classes[best], float(scores[best])


def automaton_depth(nextmove: np.ndarray, rowbase: np.ndarray) -> int:
    """The longest string any state stands for: the breadth-first distance of the farthest
    state from the start (in an Aho-Corasick automaton a state is first reached by its own
    string)."""
    letters = np.arange(256, dtype=np.int64)
    seen = np.zeros(len(rowbase), dtype=bool)
    seen[0] = True
    frontier, depth = np.array([0], dtype=np.int64), 0
    while True:
        reached = np.zeros(len(rowbase), dtype=bool)
        for start in range(0, len(frontier), 1024):  # 1,024 rows of 256 moves: ~2 MB at once
            rows = rowbase[frontier[start : start + 1024]]
            reached[nextmove[(rows[:, None] + letters).ravel()]] = True
        frontier = np.flatnonzero(reached & ~seen)
        if not len(frontier):
            return max(depth, 1)
        seen[frontier] = True
        depth += 1


def strip_inserted(text: str, inserted: Iterable[str | None] = ()) -> str:
    """The text without quoted spans, the given inserted facts, and anything with a digit."""
    for fact in sorted((f for f in inserted if f), key=len, reverse=True):
        text = text.replace(fact, " ")
    text = QUOTED.sub(" ", text)
    return NUMBERS.sub(" ", text)


def memo_key(text: str, facts: tuple[str | None, ...]) -> bytes:
    """A digest of everything `identify` reads; each part length-prefixed, so no two inputs
    share a key by where their parts meet. Empty and missing facts are the same (both ignored)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (text, *facts):
        encoded = (part or "").encode("utf-8", "surrogatepass")
        digest.update(len(encoded).to_bytes(8, "little"))
        digest.update(encoded)
    return digest.digest()


def identify(text: str, inserted: Iterable[str | None] = ()) -> Guess:
    facts = tuple(inserted)
    key = memo_key(text, facts)
    guess = _memo.get(key)
    if guess is None:
        guess = _identify(text, facts)
        _remember(key, guess)
    return guess


def _identify(text: str, facts: tuple[str | None, ...]) -> Guess:
    own = strip_inserted(text, facts)
    if sum(1 for _ in itertools.islice(LETTER.finditer(own), MIN_LETTERS)) < MIN_LETTERS:
        return Guess(None, 0.0)
    language, confidence = identifier().classify(own)
    return Guess(str(language), float(confidence))


def _remember(key: bytes, guess: Guess) -> None:
    _memo[key] = guess
    if len(_memo) > MEMO_ENTRIES:
        with _lock:
            while len(_memo) > MEMO_ENTRIES:
                try:  # dicts keep insertion order: the first key is the oldest guess
                    del _memo[next(iter(_memo))]
                except (KeyError, RuntimeError, StopIteration):  # another thread was quicker
                    break


def forget_guesses() -> None:
    """Drop every remembered guess (tests; a process that wants the memory back)."""
    _memo.clear()


def inserted_facts(context: dict[str, Any]) -> list[str | None]:
    """What a prompt hands the model to copy: product, names, order reference."""
    product = context.get("product") or {}
    customer = context.get("customer") or {}
    return [
        product.get("name"),
        product.get("category"),
        customer.get("full_name"),
        customer.get("first_name"),
        customer.get("last_name"),
        context.get("order_reference"),
    ]


LANGUAGE_NAMES = {"en": "English", "de": "German", "fr": "French", "es": "Spanish"}
WRONG_LANGUAGE = "wrong_language"


def language_violations(
    text: str, expected: str | None, inserted: Iterable[str | None] = (), what: str = "the text"
) -> list[Any]:
    """A `wrong_language` violation when `text` is confidently in another language."""
    from dsgen_dagster.quality.rules import Violation

    if not expected or expected not in LANGUAGES:
        return []
    guess = identify(text, inserted)
    if not guess.contradicts(expected):
        return []
    found = LANGUAGE_NAMES.get(guess.language or "", guess.language)
    wanted = LANGUAGE_NAMES[expected]
    return [
        Violation(
            WRONG_LANGUAGE,
            f"{what} is written in {found}, not {wanted} ({expected}); write all of it in "
            f"{wanted}, keeping names, numbers and quoted policy text as they are.",
        )
    ]
