"""The lean paths a 100,000-ticket batch takes (issue #13) give what the plain ones gave.

- language guesses are remembered by their whole input, so a check re-reading a text gets the
  generator's guess without walking the text again, and never another text's guess;
- the numpy walk of a text's bytes gives py3langid's own languages and confidences, to the bit;
- an evidence check reads the requests' contexts along with the stored rows, in any row order;
- upstream rows kept as column lists read like the dicts they replace.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import polars as pl
import pytest

from dsgen_dagster.lib.contexts import index_by
from dsgen_dagster.lib.evidence import TICKET_MISSING, evidence_findings
from dsgen_dagster.lib.stage import Ask
from dsgen_dagster.quality import language
from dsgen_dagster.quality.rules import Violation
from dsgen_dagster_tests.test_offline_composers import build_ticket

POLICIES = Path(__file__).parent / "fixtures" / "policies"

GERMAN = (
    "Guten Tag, ich habe letzte Woche einen Laptop bestellt und er ist leider immer noch nicht "
    "angekommen. Können Sie mir bitte sagen, wann ich mit der Lieferung rechnen kann?"
)
FRENCH = (
    "Bonjour, j'ai commandé un ordinateur portable la semaine dernière et il n'est toujours pas "
    "arrivé. Pouvez-vous me dire quand je peux espérer la livraison ?"
)


@pytest.fixture
def classify_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the language model is really run on."""
    language.forget_guesses()
    model = language.identifier()
    calls: list[str] = []
    real = type(model).classify

    def counting(self: Any, text: str) -> Any:
        calls.append(text)
        return real(self, text)

    monkeypatch.setattr(type(model), "classify", counting)
    yield calls
    language.forget_guesses()


def test_a_text_judged_again_gets_the_same_guess_without_running_the_model(classify_calls):
    first = language.identify(GERMAN, ["Anna"])
    again = language.identify(GERMAN, ["Anna"])
    assert first == again and first.language == "de" and first.confidence >= 0.8
    assert len(classify_calls) == 1


def test_other_text_or_other_facts_are_judged_afresh(classify_calls):
    assert language.identify(GERMAN).language == "de"
    assert language.identify(FRENCH).language == "fr"
    # The same words with other facts removed are another input: another guess, computed.
    language.identify(GERMAN, ["Laptop"])
    assert len(classify_calls) == 3
    # Where one part ends and the next begins is part of the key.
    assert language.memo_key("ab", ("c",)) != language.memo_key("a", ("bc",))
    assert language.memo_key("ab", (None,)) == language.memo_key("ab", ("",))


def test_remembered_guesses_are_bounded_oldest_first(classify_calls, monkeypatch):
    monkeypatch.setattr(language, "MEMO_ENTRIES", 2)
    texts = [GERMAN, FRENCH, f"{GERMAN} Danke."]
    for text in texts:
        language.identify(text)
    assert len(language._memo) == 2
    language.identify(texts[-1])  # still remembered
    language.identify(texts[0])  # dropped first: judged again
    assert classify_calls[-1].startswith("Guten Tag") and len(classify_calls) == 4


def test_the_numpy_byte_walk_classifies_as_py3langid_does_to_the_bit():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier, visit_counts

    plain = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    plain.set_languages(list(language.LANGUAGES))
    walker = language.identifier()
    assert isinstance(walker, language.ByteWalker) and walker.depth == 6  # py3langid 0.4.0
    texts: list[str] = []
    for index in range(40):  # every stage's offline texts, in all four languages
        made = build_ticket(index)
        texts += [made["email"].body, made["answer"].body, made["translation"].answer]
        texts += [rephrased.body for rephrased in made["rephrasings"]]
    for path in sorted(POLICIES.rglob("*.md")):  # other domains' policies, line by line
        texts += path.read_text(encoding="utf-8").splitlines()[:80]
    draw = random.Random(13)
    texts += [  # any characters, short and long (the walk must restart at every position)
        "".join(chr(draw.randrange(32, 0x2FF)) for _ in range(draw.randrange(0, 400)))
        for _ in range(300)
    ]
    # The automaton's deepest states (6 bytes) are pairs of 3-byte characters: kana, CJK and
    # full-width forms, where a walk of too few steps parts from py3langid's own.
    wide = [range(0x3040, 0x3100), range(0x4E00, 0x4F00), range(0xFF00, 0xFFF0)]
    texts += [
        "".join(chr(draw.choice(draw.choice(wide))) for _ in range(draw.randrange(1, 40)))
        for _ in range(300)
    ]
    texts += ["", "a", "ÉTÉ", "VIELEN DANK FÜR IHRE HILFE", "\ud800 lone surrogate", "ｂ）－）"]
    assert len(texts) > 1000
    languages = set()
    for text in texts:
        expected = plain.classify(text)
        assert walker.classify(text) == expected, text[:80]
        languages.add(expected[0])
        encoded = plain._encode(text)  # the feature counts themselves, not just the verdict
        counts = visit_counts(plain.tk_nextmove, plain._rowbase, plain.tk_output, encoded)
        assert Counter(walker.features(encoded).tolist()) == (counts or Counter()), text[:80]
    assert languages == set(language.LANGUAGES)


def test_removing_words_with_digits_matches_the_plain_pattern_on_any_text():
    # NUMBERS carries a lookbehind for speed only: it must remove exactly what the plain
    # pattern removes, on texts made of the characters where the two could part.
    import re

    plain = re.compile(r"[\w.-]*\d[\w.,:/-]*")
    draw = random.Random(7)
    alphabet = "ab1.-,:/ _é9\n"
    texts = [
        "".join(draw.choice(alphabet) for _ in range(draw.randrange(0, 60))) for _ in range(5000)
    ]
    texts += ["ord_20261122_00042, 1099.00 EUR", "v2.1-beta at 12:30/14:00", "-.-5x", "a.b-c"]
    for text in texts:
        assert language.NUMBERS.sub(" ", text) == plain.sub(" ", text), text


def fake_stage(contexts: dict[str, dict[str, Any]]) -> Any:
    return SimpleNamespace(
        build_requests=lambda inputs: (Ask(key=k, context=c) for k, c in contexts.items()),
        table=SimpleNamespace(key="ticket_id"),
    )


def wants_word(row: dict[str, Any], context: dict[str, Any]) -> list[Violation]:
    if context["word"] in row["body"]:
        return []
    return [Violation("word_missing", f"say {context['word']}")]


def test_evidence_finds_each_rows_context_in_any_order_and_repeated_rows_too():
    contexts = {f"tkt_{i}": {"word": f"w{i}"} for i in range(6)}
    rows = pl.DataFrame(
        {
            # reversed, a repeated key (both rows checked), a key no request makes, tkt_2 absent
            "ticket_id": ["tkt_5", "tkt_4", "tkt_3", "tkt_0", "tkt_9", "tkt_1", "tkt_3"],
            "body": ["w5", "w4", "nope", "w0", "w9", "w1", "also nope"],
        }
    )
    findings = evidence_findings(fake_stage(contexts), wants_word, ["word_missing"], None, rows)
    counts = findings.counts()
    assert counts["word_missing"] == 2, counts  # both tkt_3 rows, checked against tkt_3's request
    assert counts[TICKET_MISSING] == 1, counts  # tkt_9 only


def test_column_rows_read_like_the_dicts_they_replace():
    frame = pl.DataFrame(
        {
            "order_id": ["ord_1", "ord_2", "ord_1"],
            "status": ["delivered", "shipped", "returned"],
            "quantities": [[1, 2], [3], []],
            "note": [None, "gift", None],
            # long texts stay in the frame, read row by row: the same values
            "body": ["Hello " * 60, None, "Bonjour " * 50],
        }
    )
    rows = index_by(frame, "order_id")
    plain = {row["order_id"]: row for row in frame.iter_rows(named=True)}
    assert list(rows) == list(plain) and len(rows) == 2 and "ord_2" in rows
    assert {key: dict(row) for key, row in rows.items()} == plain  # a repeated key: its last row
    assert rows["ord_1"]["status"] == "returned" and rows["ord_2"]["quantities"] == [3]
    assert rows["ord_1"].get("note") is None and rows["ord_1"].get("missing", 7) == 7
    assert rows["ord_1"]["body"] == "Bonjour " * 50 and rows["ord_2"]["body"] is None
    with pytest.raises(KeyError):
        rows["ord_3"]
