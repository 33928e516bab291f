"""Each stage's content rules on clean, wrong, empty and malformed responses, validated the way
instructor validates them: the response model with the request's context."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from dsgen_dagster.defs.answers.models import AgentAnswer
from dsgen_dagster.defs.emails.models import EmailDraft
from dsgen_dagster.defs.rephrasings.models import RephrasedEmail
from dsgen_dagster.defs.tags.models import TicketTags
from dsgen_dagster.defs.translations.models import TranslatedTicket
from dsgen_dagster.quality.language import identify
from dsgen_dagster.quality.rules import SCHEMA_RULE, squash, violations_of
from dsgen_dagster_tests.test_offline_composers import build_ticket

GERMAN = (
    "Guten Tag, leider ist meine Bestellung immer noch nicht angekommen, obwohl sie schon vor "
    "zwei Wochen verschickt wurde. Ich möchte bitte wissen, wann ich sie endlich bekomme."
)


def ticket(predicate: Any) -> dict[str, Any]:
    """The first offline ticket (English, unless asked otherwise) matching `predicate`."""
    return next(t for t in map(build_ticket, range(400)) if predicate(t["facts"]))


def rules(model: type[BaseModel], data: Any, context: dict[str, Any]) -> list[str]:
    """The rules `data` breaks, [] when it validates; JSON text is parsed like a tool call."""
    try:
        if isinstance(data, str):
            model.model_validate_json(data, context=context)
        else:
            model.model_validate(data, context=context)
    except ValidationError as exc:
        return [violation.rule for violation in violations_of(exc)]
    return []


def replaced(draft: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """The email with `old` replaced in its subject and body."""
    return {**draft, "subject": draft["subject"].replace(old, new),
            "body": draft["body"].replace(old, new)}  # fmt: skip


def english(facts: dict[str, Any]) -> bool:
    return facts["language"] == "en"


@pytest.fixture(scope="module")
def complete() -> dict[str, Any]:
    return ticket(lambda f: english(f) and f["info_completeness"] == "complete")


@pytest.fixture(scope="module")
def missing() -> dict[str, Any]:
    return ticket(lambda f: english(f) and f["info_completeness"] == "missing")


@pytest.fixture(scope="module")
def misspelled() -> dict[str, Any]:
    return ticket(lambda f: english(f) and f["info_completeness"] == "misspelled")


@pytest.mark.parametrize("model", [EmailDraft, AgentAnswer, TicketTags, RephrasedEmail,
                                   TranslatedTicket])  # fmt: skip
def test_empty_and_malformed_responses_break_the_schema_rule(model, complete):
    context = complete["contexts"]["emails"]
    assert set(rules(model, {}, context)) == {SCHEMA_RULE}
    assert rules(model, '{"subject": "Hello", "body": ', context) == [SCHEMA_RULE]
    assert rules(model, "", context) == [SCHEMA_RULE]


def test_emails(complete, missing, misspelled):
    for case in (complete, missing, misspelled):
        context, draft = case["contexts"]["emails"], case["email"].model_dump()
        assert rules(EmailDraft, draft, context) == []  # clean
        assert rules(EmailDraft, draft, {}) == []  # no context: shapes only
    context, draft = complete["contexts"]["emails"], complete["email"].model_dump()
    reference = context["order_reference"]
    dropped = replaced(draft, reference, "my order")
    assert rules(EmailDraft, dropped, context) == ["reference_missing"]
    wrong = replaced(draft, reference, reference[:-1] + "9")
    assert rules(EmailDraft, wrong, context) == ["reference_missing", "reference_unexpected"]
    fixed = misspelled["contexts"]["emails"]["order_reference"]
    corrected = replaced(misspelled["email"].model_dump(), fixed, "ord_20261122_00001")
    assert "reference_not_misspelled" in rules(
        EmailDraft, corrected, misspelled["contexts"]["emails"]
    )
    added = missing["email"].model_dump()
    added["body"] = added["body"].replace("\n\n", " Order ord_20261122_00042.\n\n", 1)
    assert rules(EmailDraft, added, missing["contexts"]["emails"]) == ["reference_unexpected"]
    unsigned = {**draft, "body": draft["body"].rsplit("\n", 1)[0].replace(
        context["customer"]["first_name"], "")}  # fmt: skip
    assert rules(EmailDraft, unsigned, context) == ["not_signed"]
    german = {"subject": "Meine Bestellung", "body": f"{GERMAN} {reference}\n\n"
              f"{context['customer']['first_name']}"}  # fmt: skip
    assert rules(EmailDraft, german, context) == ["wrong_language"]


def test_the_violation_message_says_what_to_fix(complete):
    context, draft = complete["contexts"]["answers"], complete["answer"]
    clause_id = draft.citations[0].clause_id
    broken = draft.model_dump()
    broken["citations"][0]["quote"] = "Refunds are always paid in cash within one hour."
    with pytest.raises(ValidationError) as caught:
        AgentAnswer.model_validate(broken, context=context)
    assert (
        f"the quote 'Refunds are always paid in cash within one hour.' is not in clause "
        f"{clause_id}; copy one sentence of that clause exactly" in str(caught.value)
    )


def test_answers(complete):
    context, answer = complete["contexts"]["answers"], complete["answer"].model_dump()
    assert rules(AgentAnswer, answer, context) == []
    quote = answer["citations"][0]["quote"]
    typographic = json.loads(json.dumps(answer))
    typographic["citations"][0]["quote"] = "  " + quote.replace(" ", "\n  ", 2) + " "
    assert rules(AgentAnswer, typographic, context) == []  # whitespace is not a difference
    changed = json.loads(json.dumps(answer))
    changed["citations"][0]["quote"] = quote.replace(" ", " not ", 1)
    assert rules(AgentAnswer, changed, context) == ["quote_not_in_clause"]
    outside = json.loads(json.dumps(answer))
    outside["citations"][0]["clause_id"] = "pol_20261122_9.9"
    assert rules(AgentAnswer, outside, context) == ["clause_not_given"]
    german = {**answer, "body": f'{GERMAN} "{quote}"'}
    assert rules(AgentAnswer, german, context) == ["wrong_language"]


def test_tags(complete):
    context, tags = complete["contexts"]["tags"], complete["tags"].model_dump()
    assert rules(TicketTags, tags, context) == []
    assert rules(TicketTags, {**tags, "tags": ["Lang-EN "]}, context) == []  # stored lower-cased
    assert rules(TicketTags, {**tags, "tags": ["made-up-tag"]}, context) == ["tag_not_in_taxonomy"]
    narrow = {**context, "allowed": {**context["allowed"], "queues": ["billing"]}}
    assert rules(TicketTags, {**tags, "queue": "returns"}, narrow) == ["label_not_allowed"]
    # Queues are open labels (a policy's own scenario table names them): the rule, not the
    # schema, holds a tag to the batch's labels.
    assert rules(TicketTags, {**tags, "queue": "nowhere"}, context) == ["label_not_allowed"]


def test_rephrasings(complete, missing):
    context = complete["contexts"]["rephrasings"][0]
    rephrased = complete["rephrasings"][0].model_dump()
    assert rules(RephrasedEmail, rephrased, context) == []
    copied = {"subject": "Again", "body": complete["email"].body}
    assert rules(RephrasedEmail, copied, context) == ["too_similar"]
    reference = context["order_reference"]
    dropped = replaced(rephrased, reference, "it")
    assert rules(RephrasedEmail, dropped, context) == ["reference_missing"]
    added = missing["rephrasings"][0].model_dump()
    added["body"] += " ord_20261122_00042"
    assert rules(RephrasedEmail, added, missing["contexts"]["rephrasings"][0]) == [
        "reference_unexpected"
    ]


def test_translations(complete):
    context, translated = complete["contexts"]["translations"], complete["translation"].model_dump()
    assert rules(TranslatedTicket, translated, context) == []
    quote = context["answer"]["citations"][0]["quote"]
    lost = {**translated, "answer": translated["answer"].replace(quote, "")}
    assert rules(TranslatedTicket, lost, context) == ["quote_not_kept"]
    reference = context["order_reference"]
    dropped = replaced(translated, reference, "")
    assert rules(TranslatedTicket, dropped, context) == ["reference_missing"]
    untranslated = {**translated, "subject": complete["email"].subject,
                    "body": complete["email"].body}  # fmt: skip
    assert "wrong_language" in rules(TranslatedTicket, untranslated, context)


def test_language_identification_leaves_too_little_text_unchecked():
    assert identify("Hallo Anna").language is None
    assert identify("ord_20261122_00042, 1099.00 EUR, AeroBook 14").language is None
    assert identify(GERMAN).language == "de" and identify(GERMAN).confidence >= 0.8
    # Quoted (English) policy text is not what the reply is judged on.
    quoted = 'Bonjour, voici la règle que nous appliquons à votre demande: "Customers may return '
    quoted += 'any product within 30 days of delivery for any reason, and we refund them."'
    assert identify(quoted).language == "fr"


def test_squash_folds_whitespace_and_typographic_quotes_and_nothing_else() -> None:
    assert squash("Refunds  within\n14\u00a0days") == "Refunds within 14 days"
    assert squash("Die „Rücksendung“ ist ‚frei‘") == "Die \"Rücksendung\" ist 'frei'"
    assert squash("«Retour» ‹ok›") == "\"Retour\" 'ok'"
    assert squash("Grüße — schön, café") == "Grüße — schön, café"  # other characters stay
    assert squash(None) == ""
