"""Policies in the customers' languages: `policy_clause_texts`, and answers quoting them.

The fixture policy (`fixtures/policies/translated/energy.md`) has the user's German translation
beside it (`energy.de.md`): German answers quote the German clause text, French and Spanish ones
(no text in their language offline) the English document, and each row records which.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import polars as pl
import pytest

from dsgen_dagster.defs import all_assets, all_checks
from dsgen_dagster.defs.answers.assets import STAGE as ANSWERS
from dsgen_dagster.defs.answers.checks import answer_row_rules
from dsgen_dagster.defs.answers.rules import QUOTE_LANGUAGE, QUOTE_NOT_IN_CLAUSE, STORED_RULES
from dsgen_dagster.defs.policy_graph.parser import parse_policy_file
from dsgen_dagster.defs.policy_graph.texts import (
    NUMBERS_CHANGED,
    served_languages,
    texts_findings,
    translation_violations,
    user_translations,
)
from dsgen_dagster.defs.translations.rules import requote_violations
from dsgen_dagster.errors import PolicyParseError
from dsgen_dagster.lib.evidence import evidence_findings
from dsgen_dagster.lib.stage import StageInputs
from dsgen_dagster.quality.checks import read_rows
from dsgen_dagster.resources import resources_from_env
from dsgen_dagster.settings import batch_settings_from_env
from dsgen_dagster.storage.warehouse import Warehouse
from dsgen_dagster_tests.conftest import offline_resources, step_failure_text
from dsgen_dagster_tests.fake_model import answer, reasks_so_far, request_identity
from dsgen_dagster_tests.fake_openai_server import FakeOpenAIServer

FIXTURES = Path(__file__).parent / "fixtures" / "policies" / "translated"
POLICY = FIXTURES / "energy.md"
PARTITION = "2026-05-01"
ENV = {"DSGEN_POLICY_PATH": str(POLICY), "DSGEN_TICKETS_PER_BATCH": "30"}
API_KEY = "sk-test-TEXTS-7f3a"


def rows(database: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One offline batch of the energy policy, with its German translation file."""
    database = tmp_path_factory.mktemp("texts") / "dsgen.duckdb"
    result = dg.materialize(
        [*all_assets(), *all_checks()],
        resources=offline_resources(database, **ENV),
        partition_key=PARTITION,
        raise_on_error=False,
    )
    assert result.success, step_failure_text(result)
    evaluations = result.get_asset_check_evaluations()
    failed = [e.check_name for e in evaluations if e.blocking and not e.passed]
    assert not failed
    assert {"answers_evidence", "policy_clause_texts_evidence"} <= {
        e.check_name for e in evaluations
    }
    return database


def test_the_policy_graph_holds_the_users_german_text_and_no_made_up_one(batch: Path) -> None:
    texts = rows(
        batch,
        "SELECT language, source, count(*) FROM policy_clause_texts GROUP BY ALL ORDER BY ALL",
    )
    # Offline there is no translator: French and Spanish have no text at all.
    assert texts == [("de", "user_translation", 6), ("en", "document", 6)]
    ((german, title, path),) = rows(
        batch,
        "SELECT text, title, source_path FROM policy_clause_texts "
        "WHERE clause_number = '3.2' AND language = 'de'",
    )
    assert german.startswith("Eine ungeplante Störung von mehr als 12 Stunden")
    assert title == "Entschädigung" and path.endswith("energy.de.md")


def test_german_answers_quote_the_german_text_and_others_the_document(batch: Path) -> None:
    texts = {
        (clause_id, language): text
        for clause_id, language, text in rows(
            batch, "SELECT clause_id, language, text FROM policy_clause_texts"
        )
    }
    answers = rows(
        batch,
        "SELECT a.language, a.quote_language, a.cited_clause_ids, a.cited_quotes, a.body "
        "FROM answers a",
    )
    by_language = {language for language, *_ in answers}
    assert {"de", "en"} <= by_language and by_language & {"fr", "es"}
    for language, quote_language, clause_ids, quotes, body in answers:
        assert quote_language == ("de" if language == "de" else "en")
        for clause_id, quote in zip(clause_ids, quotes, strict=True):
            assert quote in texts[clause_id, quote_language]
            assert quote in body
    german_quotes = [q for lang, _, _, quotes, _ in answers if lang == "de" for q in quotes]
    assert any("Tage" in quote or "Vertrag" in quote for quote in german_quotes)


def test_translations_into_german_quote_the_german_text(batch: Path) -> None:
    german = {
        clause_id: text
        for clause_id, text in rows(
            batch, "SELECT clause_id, text FROM policy_clause_texts WHERE language = 'de'"
        )
    }
    translated = rows(
        batch,
        "SELECT t.language, t.quote_language, t.answer, a.quote_language, a.cited_clause_ids, "
        "a.cited_quotes FROM translations t JOIN answers a USING (ticket_id)",
    )
    assert {language for language, *_ in translated} == {"de", "fr"}
    for language, quote_language, text, answer_quotes_in, clause_ids, quotes in translated:
        if language == "de":  # the user's German text, quoted afresh
            assert quote_language == "de"
            requoted = [{"clause_id": c, "text": german[c]} for c in clause_ids]
            context = {"requoted": requoted, "target_language": "de"}
            assert requote_violations(text, context) == []
        else:  # no French text: the source answer's quotes, verbatim
            assert quote_language == answer_quotes_in
            assert all(quote in text for quote in quotes)


def test_the_readme_query_joins_each_answer_to_the_text_it_quotes(batch: Path) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Policies in the customers' languages", 1)[1]
    sql = section.split("```sql\n", 1)[1].split("```", 1)[0]
    joined = rows(batch, sql)
    assert len(joined) == rows(batch, "SELECT count(*) FROM answers")[0][0]
    assert {(lang, quoted, source) for _, lang, quoted, _, source in joined} >= {
        ("de", "de", "user_translation"),
        ("en", "en", "document"),
    }
    assert all(quote for *_, quote, _ in joined)


def evidence_of(database: Path, answers: pl.DataFrame) -> dict[str, int]:
    """The answers evidence check's findings, for `answers` in place of the stored rows."""
    warehouse = Warehouse(database=str(database))
    frames = {name: read_rows(warehouse, name, PARTITION) for name in ANSWERS.inputs}
    inputs = StageInputs(PARTITION, batch_settings_from_env(ENV).validated(), frames)
    rules = ["no_citation", "citation_count_mismatch", *STORED_RULES]
    return evidence_findings(ANSWERS, answer_row_rules, rules, inputs, answers).counts()


def test_an_english_quote_claimed_as_german_fails_the_evidence_check(batch: Path) -> None:
    warehouse = Warehouse(database=str(batch))
    answers = read_rows(warehouse, "answers", PARTITION)
    assert evidence_of(batch, answers)[QUOTE_NOT_IN_CLAUSE] == 0
    german = answers.filter(pl.col("language") == "de").head(1)
    clause_id = german["cited_clause_ids"][0][0]
    ((english,),) = rows(
        batch,
        f"SELECT text FROM policy_clause_texts WHERE clause_id = '{clause_id}' AND language = 'en'",
    )
    planted = german.with_columns(
        cited_clause_ids=pl.lit([clause_id]),
        cited_quotes=pl.lit([english[:40]]),
        body=pl.col("body") + f' "{english[:40]}"',
    )
    counts = evidence_of(batch, planted)
    assert counts[QUOTE_NOT_IN_CLAUSE] == 1  # not in the German text the row claims
    # Recording the truth ('en') is no way out: the request gave the clauses in German.
    honest = evidence_of(batch, planted.with_columns(quote_language=pl.lit("en")))
    assert honest[QUOTE_LANGUAGE] == 1 and honest[QUOTE_NOT_IN_CLAUSE] == 0


def write_translation(tmp_path: Path, drop: str = "", add: str = "") -> Path:
    policy = tmp_path / "energy.md"
    shutil.copy(POLICY, policy)
    german = (FIXTURES / "energy.de.md").read_text(encoding="utf-8")
    if drop:
        head, _, rest = german.partition(f"### {drop} ")
        german = head + rest.split("\n\n", 1)[1]
    if add:
        section = add.split(".")[0]
        german += (
            f"\n## {section} Zusatz\n\n### {add} Zusatz\nEin Absatz, den das Original nicht hat.\n"
        )
    (tmp_path / "energy.de.md").write_text(german, encoding="utf-8")
    return policy


def test_a_translation_with_other_clause_numbers_is_an_error_naming_the_file(
    tmp_path: Path,
) -> None:
    policy = write_translation(tmp_path, drop="2.2", add="4.1")
    with pytest.raises(PolicyParseError) as raised:
        user_translations(parse_policy_file(policy), "en")
    message = str(raised.value)
    assert "energy.de.md" in message
    assert "missing 2.2" in message and "extra 4.1" in message
    assert "same clauses" in message  # the fix


def test_the_error_stops_the_stage_and_keeps_the_published_texts(tmp_path: Path) -> None:
    database = tmp_path / "dsgen.duckdb"
    policy = write_translation(tmp_path)
    env = {**ENV, "DSGEN_POLICY_PATH": str(policy)}
    selection = ["policy_graph", "policy_clause_texts"]
    good = dg.materialize(
        all_assets(), selection=selection, resources=offline_resources(database, **env),
        partition_key=PARTITION,
    )  # fmt: skip
    assert good.success
    before = rows(database, "SELECT count(*) FROM staging.policy_clause_texts")
    write_translation(tmp_path, drop="1.2")
    bad = dg.materialize(
        all_assets(), selection=selection, resources=offline_resources(database, **env),
        partition_key=PARTITION, raise_on_error=False,
    )  # fmt: skip
    assert not bad.success
    failure = step_failure_text(bad)
    assert "energy.de.md" in failure and "missing 1.2" in failure
    assert "not retried" in failure
    assert rows(database, "SELECT count(*) FROM staging.policy_clause_texts") == before


def test_an_edited_translation_file_fails_the_texts_evidence(tmp_path: Path) -> None:
    policy = write_translation(tmp_path)
    clauses = [
        {"clause_id": f"pol_20260501_{c.number}", "clause_number": c.number, "text": c.text,
         "source_path": str(policy)}
        for c in parse_policy_file(policy).clauses
    ]  # fmt: skip
    german = user_translations(parse_policy_file(policy), "en")["de"]
    texts = [
        {"text_id": f"pol_20260501_{t.number}@de", "clause_id": f"pol_20260501_{t.number}",
         "clause_number": t.number, "language": "de", "text": t.text,
         "source": "user_translation", "source_path": "energy.de.md"}
        for t in german
    ]  # fmt: skip
    assert texts_findings(texts, clauses).counts()["translation_changed"] == 0
    edited = (tmp_path / "energy.de.md").read_text(encoding="utf-8").replace("60 Tagen", "90 Tagen")
    (tmp_path / "energy.de.md").write_text(edited, encoding="utf-8")
    findings = texts_findings(texts, clauses)
    assert findings.counts()["translation_changed"] == 1
    assert findings.counts()["document_text_missing"] == 6  # only German rows were given


def test_a_file_named_german_but_written_in_english_is_refused(tmp_path: Path) -> None:
    policy = tmp_path / "energy.md"
    shutil.copy(POLICY, policy)
    shutil.copy(POLICY, tmp_path / "energy.de.md")
    with pytest.raises(PolicyParseError, match="reads as English"):
        user_translations(parse_policy_file(policy), "en")


def test_a_machine_translation_keeps_its_language_and_numbers() -> None:
    context = {"text": "A credit of EUR 4.99 is paid within 14 days.", "target_language": "de"}
    good = "Eine Gutschrift von 4,99 EUR wird innerhalb von 14 Tagen gezahlt."
    assert translation_violations(good, context) == []
    lost = translation_violations("Eine Gutschrift wird innerhalb von 41 Tagen gezahlt.", context)
    assert [v.rule for v in lost] == [NUMBERS_CHANGED]
    assert "4.99" in lost[0].message and "14" in lost[0].message
    english = translation_violations("A credit of EUR 4.99 is paid within 14 days.", context)
    assert [v.rule for v in english] == ["wrong_language"]
    assert [v.rule for v in translation_violations("  ", context)] == ["empty_translation"]


def test_served_languages_are_the_ticket_and_translation_languages() -> None:
    weights = {"en": 0.7, "de": 0.3, "fr": 0.0, "es": 0.0}
    assert served_languages(weights, ["es"], "en") == ["de", "es"]
    assert served_languages(weights, [], "de") == ["en"]


# ---- the openai provider: translated once per batch, validated, cached, ledgered


class EnglishOnce:
    """A model that answers the French request of clause 3.2 in English: once, or (stubborn)
    on every re-ask too."""

    def __init__(self, stubborn: bool = False) -> None:
        self.slipped: list[str] = []
        self.stubborn = stubborn

    def __call__(self, body: dict[str, Any]) -> dict[str, Any]:
        prompt = body["messages"][1]["content"]
        if (
            body["tools"][0]["function"]["name"] == "TranslatedClause"
            and "into French" in prompt
            and "Clause 3.2" in prompt
            and (self.stubborn or not reasks_so_far(body))
        ):
            self.slipped.append(request_identity(body))
            return answer(body, "language")
        return answer(body)


@pytest.fixture
def server() -> Iterator[tuple[FakeOpenAIServer, EnglishOnce]]:
    model = EnglishOnce()
    fake = FakeOpenAIServer(api_key=API_KEY, handler=model).start()
    yield fake, model
    fake.stop()


def openai_resources(fake: FakeOpenAIServer, database: Path, **env: str) -> dict[str, Any]:
    return resources_from_env(
        {
            **ENV,
            "DSGEN_DB": str(database),
            "DSGEN_LLM_PROVIDER": "openai",
            "OPENAI_BASE_URL": fake.url,
            "OPENAI_API_KEY": API_KEY,
            "DSGEN_MODEL_CHEAP": "gpt-4o-mini",
            "DSGEN_MODEL_STRONG": "gpt-4o",
            **env,
        }
    )


def test_with_a_model_missing_languages_are_translated_once_and_cached(
    server: tuple[FakeOpenAIServer, EnglishOnce], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, model = server
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    database = tmp_path / "dsgen.duckdb"
    resources = openai_resources(fake, database)
    texts = ["policy_graph", "policy_clause_texts"]
    checks = [c for c in all_checks() if {k.asset_key.path[-1] for k in c.check_keys} <= set(texts)]

    def run() -> dg.ExecuteInProcessResult:
        return dg.materialize(
            [*all_assets(), *checks], selection=texts, resources=resources,
            partition_key=PARTITION, raise_on_error=False,
        )  # fmt: skip

    first = run()
    assert first.success, step_failure_text(first)
    assert all(e.passed for e in first.get_asset_check_evaluations())
    requested = fake.count()
    # de comes from the user's file; fr and es (the batch's other languages) from the model:
    # 12 requests and one re-ask of the English answer.
    assert requested == 13 and len(model.slipped) == 1
    assert rows(
        database,
        "SELECT language, source, count(*), count(DISTINCT model) FROM "
        "staging.policy_clause_texts GROUP BY ALL ORDER BY ALL",
    ) == [
        ("de", "user_translation", 6, 1),
        ("en", "document", 6, 1),
        ("es", "machine_translation", 6, 1),
        ("fr", "machine_translation", 6, 1),
    ]
    ((french,),) = rows(
        database,
        "SELECT text FROM staging.policy_clause_texts WHERE clause_number = '3.2' "
        "AND language = 'fr'",
    )
    assert "12" in french and "30" in french  # the numbers survived translation
    assert translation_violations(french, {"text": "x", "target_language": "fr"}) == []
    ledger = rows(
        database,
        "SELECT count(*), sum(prompt_tokens) FROM llm_calls WHERE stage = 'policy_clause_texts'",
    )
    assert ledger[0][0] == 12 and ledger[0][1] > 0
    ((report,),) = rows(
        database, "SELECT report FROM stage_reports WHERE stage = 'policy_clause_texts'"
    )
    stage_report = json.loads(report)
    assert stage_report["reasks"] == 1 and stage_report["reasks_by_rule"] == {"wrong_language": 1}
    assert stage_report["kept"] == 12 and stage_report["rejected"] == 0

    second = run()
    assert second.success
    assert fake.count() == requested  # once per batch: the re-run is all cache hits
    assert rows(
        database,
        "SELECT count(*) FILTER (WHERE cached) FROM llm_calls WHERE stage = 'policy_clause_texts'",
    ) == [(12,)]


def test_a_clause_the_model_cannot_translate_is_set_aside_and_quoted_in_the_document(
    server: tuple[FakeOpenAIServer, EnglishOnce], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, model = server
    model.stubborn = True
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    database = tmp_path / "dsgen.duckdb"
    # Up to answers: the fake model's tags know only the shipped labels.
    through_answers = [
        "policy_graph", "policy_clause_texts", "customers", "products", "orders", "topics",
        "emails", "answers",
    ]  # fmt: skip
    result = dg.materialize(
        [*all_assets(), *all_checks()], selection=through_answers,
        resources=openai_resources(fake, database, DSGEN_MAX_REJECT_SHARE="0.1"),
        partition_key=PARTITION, raise_on_error=False,
    )  # fmt: skip
    assert result.success, step_failure_text(result)
    assert all(e.passed for e in result.get_asset_check_evaluations() if e.blocking)
    rejected = rows(
        database, "SELECT row_key, rule, attempts FROM rejects WHERE stage = 'policy_clause_texts'"
    )
    assert rejected == [(f"pol_{PARTITION.replace('-', '')}_3.2@fr", "wrong_language", 3)]
    assert rows(
        database, "SELECT count(*) FROM staging.policy_clause_texts WHERE language = 'fr'"
    ) == [(5,)]
    french = rows(
        database,
        "SELECT list_contains(t.clause_ids, p.clause_id), a.quote_language FROM staging.answers a "
        "JOIN staging.topics t USING (ticket_id) JOIN staging.policy_graph p "
        "ON p.clause_number = '3.2' WHERE a.language = 'fr'",
    )
    assert {cites for cites, _ in french} == {True, False}  # both kinds of French ticket
    # Without a French 3.2, a ticket citing it quotes the English document, and says so.
    assert all(quoted == ("en" if cites else "fr") for cites, quoted in french)
