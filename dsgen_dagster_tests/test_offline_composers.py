"""The offline provider's composers, on a batch of varied synthetic contexts built here.

No pipeline: contexts are built by a small helper in the shape of `TicketWorld.facts()` plus what
each stage adds, and every stage's composer runs on them in pipeline order.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

import dsgen_dagster.defs.answers.offline
import dsgen_dagster.defs.emails.offline
import dsgen_dagster.defs.policy_graph.assets
import dsgen_dagster.defs.rephrasings.offline
import dsgen_dagster.defs.tags.offline
import dsgen_dagster.defs.topics.offline
import dsgen_dagster.defs.translations.offline
from dsgen_dagster.defs import llm_stages
from dsgen_dagster.defs.answers.models import AgentAnswer
from dsgen_dagster.defs.emails.models import EmailDraft
from dsgen_dagster.defs.policy_graph.models import TranslatedClause
from dsgen_dagster.defs.policy_graph.parser import parse_policy_file
from dsgen_dagster.defs.rephrasings.models import REPHRASING_STYLES, RephrasedEmail
from dsgen_dagster.defs.tags.models import TicketTags
from dsgen_dagster.defs.tags.taxonomy import allowed
from dsgen_dagster.defs.topics.models import TopicScenario
from dsgen_dagster.defs.translations.models import TranslatedTicket
from dsgen_dagster.lib.contexts import allowed_labels
from dsgen_dagster.lib.scenarios import STATUSES
from dsgen_dagster.lib.vocabulary import (
    CLAUSE_COUNT_BY_COMPLEXITY,
    COMPLEXITIES,
    INFO_COMPLETENESS_WEIGHTS,
    LANGUAGES,
    PRIORITIES,
    QUEUE_BY_TYPE,
    SHIPPED_TYPE_SITUATIONS,
    TICKET_TYPES,
)
from dsgen_dagster.llm.providers.offline.phrasebook import (
    has_order_token,
    jaccard,
    language_pack,
    shingles,
)
from dsgen_dagster.llm.providers.offline.provider import OfflineProvider
from dsgen_dagster.llm.types import LLMRequest, PreparedRequest

BATCH_SIZE = 400
BATCH_DATE = dt.date(2026, 11, 22)
POLICY = Path(dsgen_dagster.defs.answers.offline.__file__).parents[2] / "data" / "policy.md"

FIRST = {
    "en": ["Emily", "Jack", "Olivia", "Harry", "Grace", "Thomas", "Chloe", "Liam", "Ava", "Noah"],
    "de": ["Lukas", "Anna", "Jonas", "Marie", "Felix", "Lea", "Paul", "Sophie", "Tim", "Laura"],
    "fr": ["Camille", "Hugo", "Chloé", "Louis", "Manon", "Jules", "Inès", "Léo", "Zoé", "Nathan"],
    "es": ["Lucía", "Mateo", "Sofía", "Hugo", "Martina", "Pablo", "Valeria", "Diego", "Elena"],
}
LAST = {
    "en": ["Smith", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Wright", "Hughes"],
    "de": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann"],
    "fr": ["Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent"],
    "es": ["García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez"],
}
# Categories of the shipped catalogue: the tag taxonomy (defs/tags/taxonomy.py) is built from it.
PRODUCTS = [
    ("AeroBook 14 Laptop", "laptops", 1099.0, 24, 30),
    ("AeroBook Pro 16", "laptops", 1899.0, 24, 30),
    ("Pulse ANC Headphones", "headphones", 249.0, 24, 30),
    ("Pulse Buds In-Ear", "headphones", 129.0, 24, 30),
    ("ClearView 27 Monitor", "monitors", 329.0, 24, 30),
    ("ClearView 34 Ultrawide", "monitors", 599.0, 24, 30),
    ("Nimbus Mesh Router", "networking", 189.0, 24, 30),
    ("Nimbus Access Point", "networking", 149.0, 24, 30),
    ("Vela 6 Smartphone", "smartphones", 699.0, 24, 14),
    ("Vela Tab 11", "smartphones", 449.0, 24, 30),
    ("Glow Smart Bulb Set", "smart home", 59.0, 12, 30),
    ("Brisk Sonic Toothbrush", "personal care", 89.0, 24, 30),
    ("Lumen X2 Camera", "cameras", 899.0, 24, 30),
    ("Orbit Smartwatch", "smartphones", 279.0, 24, 30),
    ("Volt 20K Power Bank", "smart home", 49.0, 12, 30),
    ("PrintJet 300 Printer", "printers", 159.0, 24, 30),
]
ANY_STATUS = ["processing", "shipped", *["delivered"] * 3, "returned", "cancelled"]
STATUSES_BY_TYPE = {
    "return_request": ["delivered"],
    "refund_status": ["returned", "returned", "cancelled"],
    "shipping_delay": ["shipped", "shipped", "processing"],
    "damaged_item": ["delivered"],
    "warranty_claim": ["delivered"],
}
SHIPPING = ["standard", "express", "standard"]
PAYMENT = ["credit_card", "paypal", "invoice", "debit_card", "klarna", "bank_transfer"]
# 11 long, coprime to the 9 ticket types: every (type, language) pair occurs.
LANGUAGE_CYCLE = ["en", "de", "en", "fr", "en", "es", "de", "en", "fr", "en", "es"]

ORDER_TOKEN = re.compile(r"ord[_\s-]?\d", re.IGNORECASE)
FUNCTION_WORDS = {
    "en": {"the", "i", "and", "to", "my", "is", "it", "you", "for", "of", "we", "your", "with"},
    "de": {"ich", "und", "die", "der", "den", "nicht", "mit", "ist", "sie", "ihr", "ihre", "mein"}
    | {"meine", "das", "zu", "für", "auf", "uns", "wir", "eine", "wurde", "haben", "bitte"},
    "fr": {"je", "et", "le", "la", "les", "de", "pour", "vous", "mon", "ma", "est", "pas", "nous"}
    | {"votre", "une", "des", "du", "que", "avec", "merci"},
    "es": {"el", "la", "de", "que", "y", "mi", "por", "para", "no", "con", "los", "es", "su"}
    | {"una", "del", "le", "lo", "gracias", "se"},
}
# English words that no German, French or Spanish sentence of ours contains.
ENGLISH_ONLY = {"the", "and", "my", "you", "your", "is", "it", "of", "for", "with", "this", "we"}
ORDER_NUMBER_WORDS = {
    "en": "order number",
    "de": "bestellnummer",
    "fr": "numéro de commande",
    "es": "número de pedido",
}


# --- building contexts ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def policy_clauses() -> list[dict[str, Any]]:
    parsed = parse_policy_file(POLICY)
    return [
        {
            "clause_id": f"pol_20261122_{clause.number}",
            "number": clause.number,
            "title": clause.title,
            "section": clause.section,
            "text": clause.text,
        }
        for clause in parsed.clauses
    ]


def scenario_clauses(ticket_type: str, complexity: str, rng: random.Random) -> list[dict]:
    sections = SHIPPED_TYPE_SITUATIONS[ticket_type]["sections"]
    fitting = [c for c in policy_clauses() if c["section"] in sections]
    return rng.sample(fitting, min(len(fitting), CLAUSE_COUNT_BY_COMPLEXITY[complexity]))


def misspell(order_id: str, rng: random.Random) -> str:
    digits = [i for i, char in enumerate(order_id) if char.isdigit()]
    spot = rng.choice(digits[:-1])
    chars = list(order_id)
    how = rng.randrange(3)
    if how == 0:  # a dropped digit
        del chars[spot]
    elif how == 1 and chars[spot] != chars[spot + 1] and spot + 1 in digits:  # swapped digits
        chars[spot], chars[spot + 1] = chars[spot + 1], chars[spot]
    else:  # other separators, upper case
        return order_id.upper().replace("_", "-")
    return "".join(chars)


def make_facts(index: int) -> dict[str, Any]:
    """One ticket's facts, varied over every ticket type, language, priority and status."""
    rng = random.Random(f"facts|{index}")
    ticket_type = TICKET_TYPES[index % len(TICKET_TYPES)]
    language = LANGUAGE_CYCLE[index % len(LANGUAGE_CYCLE)]
    complexity = COMPLEXITIES[(index // 3) % len(COMPLEXITIES)]
    info = rng.choices(list(INFO_COMPLETENESS_WEIGHTS), list(INFO_COMPLETENESS_WEIGHTS.values()))[0]
    order_id = f"ord_20261122_{index + 1:05d}"
    reference = {
        "complete": order_id,
        "wrong_product": order_id,
        "misspelled": misspell(order_id, rng),
        "missing": None,
    }[info]
    first, last = rng.choice(FIRST[language]), rng.choice(LAST[language])
    name, category, price, warranty, window = rng.choice(PRODUCTS)
    status = rng.choice(STATUSES_BY_TYPE.get(ticket_type, ANY_STATUS))
    order_date = BATCH_DATE - dt.timedelta(days=rng.randint(2, 120))
    delivered = status in ("delivered", "returned") or (status == "shipped" and rng.random() < 0.2)
    delivery = order_date + dt.timedelta(days=rng.randint(1, 6)) if delivered else None
    items = rng.choice([1, 1, 1, 2, 3])
    return {
        "ticket_id": f"tkt_20261122_{index + 1:05d}",
        "ticket_type": ticket_type,
        "queue": QUEUE_BY_TYPE[ticket_type],
        "priority": rng.choice(PRIORITIES),
        "complexity": complexity,
        "info_completeness": info,
        "language": language,
        "order_reference": reference,
        "named_product": "Voltora Orbit Lite" if info == "wrong_product" else None,
        "company": "Voltora Electronics",
        "currency": "EUR",
        "situation": ticket_type.replace("_", " "),
        "batch_date": BATCH_DATE.isoformat(),
        "customer": {
            "first_name": first,
            "last_name": last,
            "full_name": f"{first} {last}",
            "tier": rng.choice(["standard", "standard", "standard", "plus", "business"]),
            "language": language,
        },
        "product": {
            "name": name,
            "category": category,
            "price_eur": price,
            "warranty_months": warranty,
            "return_window_days": window,
        },
        "order": {
            "order_date": order_date.isoformat(),
            "delivery_date": delivery.isoformat() if delivery else None,
            "status": status,
            "shipping_method": rng.choice(SHIPPING),
            "payment_method": rng.choice(PAYMENT),
            "total_eur": round(price * items + rng.choice([0, 4.95, 9.9]), 2),
            "item_count": items,
        },
    }


def build_ticket(index: int) -> dict[str, Any]:
    """Every stage's context and output for one ticket, in pipeline order."""
    facts = make_facts(index)
    key = facts["ticket_id"]
    clauses = scenario_clauses(facts["ticket_type"], facts["complexity"], random.Random(key))
    contexts: dict[str, Any] = {"topics": {**facts, "clauses": clauses}}
    topic = compose("topics", contexts["topics"])
    facts = {**facts, "summary": topic.summary, "desired_outcome": topic.desired_outcome}
    contexts["emails"] = facts
    email = compose("emails", facts)
    email_ctx = {"subject": email.subject, "body": email.body}
    contexts["answers"] = {**facts, "email": email_ctx, "clauses": clauses}
    answer = compose("answers", contexts["answers"])
    answer_ctx = {"body": answer.body, "citations": [c.model_dump() for c in answer.citations]}
    contexts["tags"] = {
        **facts,
        "email": email_ctx,
        "answer": answer_ctx,
        "allowed": allowed(),
    }
    styles = random.Random(key).sample(REPHRASING_STYLES, 2)
    contexts["rephrasings"] = [
        {**facts, "email": email_ctx, "style": style, "variant": variant}
        for variant, style in enumerate(styles, start=1)
    ]
    target = LANGUAGES[(LANGUAGES.index(facts["language"]) + 1 + index % 3) % len(LANGUAGES)]
    contexts["translations"] = {
        **facts,
        "email": email_ctx,
        "answer": answer_ctx,
        "clauses": clauses,
        "source_language": facts["language"],
        "target_language": target,
    }
    return {
        "facts": facts,
        "clauses": clauses,
        "contexts": contexts,
        "topic": topic,
        "email": email,
        "answer": answer,
        "tags": compose("tags", contexts["tags"]),
        "rephrasings": [
            compose("rephrasings", context, sample_index=context["variant"])
            for context in contexts["rephrasings"]
        ],
        "target": target,
        "translation": compose("translations", contexts["translations"]),
    }


def compose(stage: str, context: dict[str, Any], *, sample_index: int = 0) -> Any:
    """Through the offline provider itself, which seeds each request's rng as in the pipeline."""
    spec = SPECS[stage]
    request = LLMRequest(
        stage=stage,
        tier="cheap",
        template=spec.template,
        context=context,
        response_model=RESPONSE_MODELS[stage],
        key=context.get("ticket_id", "k"),
        sample_index=sample_index,
        offline=spec.compose_offline,
    )
    prepared = PreparedRequest(request=request, model="offline-composer", messages=())
    [result] = OfflineProvider().run([prepared])
    return result.response


SPECS = {spec.name: spec for spec in llm_stages()}
RESPONSE_MODELS = {
    "topics": TopicScenario,
    "emails": EmailDraft,
    "answers": AgentAnswer,
    "tags": TicketTags,
    "rephrasings": RephrasedEmail,
    "translations": TranslatedTicket,
    "policy_clause_texts": TranslatedClause,
}


COMPOSERS = {
    "topics": dsgen_dagster.defs.topics.offline.compose,
    "emails": dsgen_dagster.defs.emails.offline.compose,
    "answers": dsgen_dagster.defs.answers.offline.compose,
    "tags": dsgen_dagster.defs.tags.offline.compose,
    "rephrasings": dsgen_dagster.defs.rephrasings.offline.compose,
    "translations": dsgen_dagster.defs.translations.offline.compose,
    # Offline nothing is translated: the stage asks the offline provider nothing.
    "policy_clause_texts": dsgen_dagster.defs.policy_graph.assets.no_offline_translator,
}
LONG_DIGITS = re.compile(r"\d{5,}")


def text_of(draft: Any) -> str:
    return f"{draft.subject}\n{draft.body}"


def words_of(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def without_policy_text(answer: AgentAnswer, clauses: list[dict[str, Any]]) -> str:
    """The answer without what stays English in every language: quotes and clause titles."""
    body = answer.body
    for english in [c.quote for c in answer.citations] + [c["title"] for c in clauses]:
        body = body.replace(english, " ")
    return body


def customer_emails(ticket: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every customer email of a ticket with its language: email, rephrasings, translation."""
    language = ticket["facts"]["language"]
    return [
        (language, ticket["email"]),
        *((language, rephrasing) for rephrasing in ticket["rephrasings"]),
        (ticket["target"], ticket["translation"]),
    ]


@pytest.fixture(scope="module")
def batch() -> list[dict[str, Any]]:
    return [build_ticket(index) for index in range(BATCH_SIZE)]


def test_the_batch_covers_every_type_language_and_reference_variant(batch):
    seen = {(t["facts"]["ticket_type"], t["facts"]["language"]) for t in batch}
    assert seen == set(itertools.product(TICKET_TYPES, LANGUAGES))
    assert {t["facts"]["info_completeness"] for t in batch} == set(INFO_COMPLETENESS_WEIGHTS)


def test_every_llm_stage_spec_names_its_offline_composer_and_response_model():
    assert set(SPECS) == set(COMPOSERS)
    for stage, function in COMPOSERS.items():
        assert SPECS[stage].compose_offline is function
        assert SPECS[stage].response_model is RESPONSE_MODELS[stage]


def test_composers_are_deterministic(batch):
    for ticket in batch[:60]:
        for stage, context in ticket["contexts"].items():
            for single in context if isinstance(context, list) else [context]:
                first = COMPOSERS[stage](single, random.Random(f"seed|{stage}"))
                again = COMPOSERS[stage](single, random.Random(f"seed|{stage}"))
                assert first == again, stage
    assert build_ticket(7) == build_ticket(7)


def test_another_seed_gives_another_email(batch):
    context = batch[0]["contexts"]["emails"]
    emails = {text_of(COMPOSERS["emails"](context, random.Random(seed))) for seed in range(20)}
    assert len(emails) == 20


def test_outputs_validate_against_their_response_models(batch):
    for ticket in batch:
        outputs = [
            ("topics", ticket["topic"]),
            ("emails", ticket["email"]),
            ("answers", ticket["answer"]),
            ("tags", ticket["tags"]),
            ("translations", ticket["translation"]),
            *(("rephrasings", rephrasing) for rephrasing in ticket["rephrasings"]),
        ]
        for stage, output in outputs:
            model = RESPONSE_MODELS[stage]
            assert isinstance(output, model)
            assert model.model_validate(output.model_dump()) == output


def test_emails_of_a_batch_are_not_near_duplicates(batch):
    shingle_sets = [shingles(text_of(ticket["email"])) for ticket in batch]
    highest = max(jaccard(a, b) for a, b in itertools.combinations(shingle_sets, 2))
    assert highest < 0.8
    # Measured about 0.23 on this batch; a pool shrinking by accident shows up here first.
    assert highest < 0.5, highest


def test_rephrasings_differ_from_their_source_and_from_each_other(batch):
    for ticket in batch:
        source = shingles(text_of(ticket["email"]))
        first, second = (shingles(text_of(r)) for r in ticket["rephrasings"])
        assert jaccard(source, first) < 0.5
        assert jaccard(source, second) < 0.5
        assert text_of(ticket["rephrasings"][0]) != text_of(ticket["rephrasings"][1])
        assert jaccard(first, second) < 0.8


def test_emails_carry_the_order_reference_or_nothing_like_one(batch):
    for ticket in batch:
        reference = ticket["facts"]["order_reference"]
        for _, email in customer_emails(ticket):
            if reference:
                assert reference in email.body
            else:
                assert not ORDER_TOKEN.search(text_of(email)), text_of(email)
                assert not LONG_DIGITS.search(text_of(email)), text_of(email)


def test_emails_are_signed_with_the_first_name(batch):
    for ticket in batch:
        first_name = ticket["facts"]["customer"]["first_name"]
        for _, email in customer_emails(ticket):
            assert email.body.rstrip().splitlines()[-1] == first_name


def test_answers_cite_each_clause_with_a_verbatim_quote(batch):
    for ticket in batch:
        answer, clauses = ticket["answer"], ticket["clauses"]
        texts = {clause["clause_id"]: clause["text"] for clause in clauses}
        assert [c.clause_id for c in answer.citations] == [c["clause_id"] for c in clauses[:3]]
        for citation in answer.citations:
            assert len(citation.quote) >= 10
            assert citation.quote in texts[citation.clause_id]
            assert citation.quote in answer.body
            assert citation.quote in ticket["translation"].answer  # kept verbatim, in English


def test_answers_address_the_customer_and_handle_the_order_reference(batch):
    for ticket in batch:
        facts = ticket["facts"]
        reference = facts["order_reference"]
        answers = [(facts["language"], ticket["answer"].body)]
        answers.append((ticket["target"], ticket["translation"].answer))
        for language, body in answers:
            assert facts["customer"]["first_name"] in body.splitlines()[0]
            if reference:
                assert reference in body
            else:
                assert ORDER_NUMBER_WORDS[language] in body.lower()
                assert not ORDER_TOKEN.search(body) and not LONG_DIGITS.search(body)


def test_texts_are_written_in_their_language(batch):
    for ticket in batch:
        written = [(lang, text_of(email)) for lang, email in customer_emails(ticket)]
        answer = without_policy_text(ticket["answer"], ticket["clauses"])
        written.append((ticket["facts"]["language"], answer))
        for language, text in written:
            words = words_of(text)
            assert len(words & FUNCTION_WORDS[language]) >= 3, (language, text)
            if language != "en":
                assert len(words & ENGLISH_ONLY) <= 1, (language, text)


def test_topics_are_english_and_reflect_the_scenario(batch):
    for ticket in batch:
        topic, facts = ticket["topic"], ticket["facts"]
        assert facts["product"]["name"] in topic.summary
        assert ticket["clauses"][0]["title"] in topic.summary
        assert len(words_of(topic.summary) & {"the", "is", "has", "was", "of", "by", "that"}) >= 2
        assert topic.desired_outcome.endswith(".")


def test_tags_are_derived_from_the_facts(batch):
    labels = allowed_labels()
    for ticket in batch:
        tags, facts = ticket["tags"], ticket["facts"]
        assert 1 <= len(tags.tags) <= 8
        assert len(set(tags.tags)) == len(tags.tags)
        assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", tag) for tag in tags.tags)
        assert tags.ticket_type == facts["ticket_type"] in labels["ticket_types"]
        assert tags.queue == facts["queue"] in labels["queues"]
        assert tags.priority == facts["priority"] in labels["priorities"]
        assert f"lang-{facts['language']}" in tags.tags
        assert ("missing-order-number" in tags.tags) == (facts["order_reference"] is None)


def test_language_packs_have_the_same_slots_and_valid_templates():
    from dsgen_dagster.llm.providers.offline.phrasebook import OUTCOME_KINDS, template_fields

    emails, answers = "dsgen_dagster.defs.emails", "dsgen_dagster.defs.answers"
    english_email, english_answer = language_pack(emails, "en"), language_pack(answers, "en")
    names = {"first", "last", "full", "product", "price", "total", "order_date", "delivery_date"}
    names |= {"shipping", "payment", "ref", "since_order", "since_delivery", "items", "warranty"}
    names |= {"window", "want", "agent", "title", "number", "q"}
    names |= {"company", "situation", "clause_title"}  # the batch's domain
    names |= {"ref_noun", "item", "started", "state", "agent_state", "state_word"}  # its offering
    for language in LANGUAGES:
        email, answer = language_pack(emails, language), language_pack(answers, language)
        assert email.code == answer.code == language
        assert set(email.phrases) == set(english_email.phrases), language
        assert set(answer.phrases) == set(english_answer.phrases), language
        assert set(english_email.words) <= set(email.words), language
        assert {f"want.{kind}" for kind in OUTCOME_KINDS} <= set(email.phrases)
        for pool in (email.phrases, answer.phrases):
            for key, templates in pool.items():
                assert len(set(templates)) == len(templates), (language, key)
                for template in templates:
                    assert set(template_fields(template)) <= names, (language, template)
                    assert not has_order_token(template), (language, template)
    assert language_pack(emails, "it").code == "en"  # a language without phrases: English
    # every offering has its words in every language, a state for every order status
    english_offerings = language_pack(emails, "en").words["offerings"]
    for language in LANGUAGES:
        offerings = language_pack(emails, language).words["offerings"]
        assert set(offerings) == set(english_offerings), language
        for kind, lexicon in offerings.items():
            assert set(lexicon) >= {"ref_noun", "item", "started", "state", "agent_state"}
            assert set(lexicon["state"]) == set(lexicon["agent_state"]) == set(STATUSES), kind
            assert "{order_date}" in lexicon["started"], (language, kind)


def test_composers_are_fast(batch):
    contexts = [ticket["contexts"]["emails"] for ticket in batch]
    started = time.perf_counter()
    for round_ in range(5):
        for context in contexts:
            COMPOSERS["emails"](context, random.Random(round_))
    per_second = 5 * len(contexts) / (time.perf_counter() - started)
    assert per_second > 1000, per_second


def test_the_offline_provider_passes_every_content_rule_on_2000_tickets():
    """Every composed response validates against its request's context, as a model's answer is
    validated: a composer that broke a rule would have its rows rejected."""
    from dsgen_dagster.quality.rules import validate_in_context

    seen = set()
    for index in range(2000):
        ticket = build_ticket(index)
        contexts = ticket["contexts"]
        outputs = [
            ("emails", ticket["email"], contexts["emails"]),
            ("answers", ticket["answer"], contexts["answers"]),
            ("tags", ticket["tags"], contexts["tags"]),
            ("translations", ticket["translation"], contexts["translations"]),
            *(
                ("rephrasings", rephrasing, context)
                for rephrasing, context in zip(
                    ticket["rephrasings"], contexts["rephrasings"], strict=True
                )
            ),
        ]
        for stage, output, context in outputs:
            validate_in_context(RESPONSE_MODELS[stage], output, context)  # raises on a violation
        seen.add((ticket["facts"]["ticket_type"], ticket["facts"]["language"]))
    assert seen == set(itertools.product(TICKET_TYPES, LANGUAGES))
