"""Handlers for the fake OpenAI server that answer like a model: they follow the prompt (language,
order number, signature, clauses, offered labels) with text of their own, and — `slipping` — now
and then ignore one instruction, as real models do.

The text is random words of the requested language, seeded by the prompt: real enough for a
language identifier, different for every prompt (no near-duplicates), and nothing like the
offline composer's phrases. A slip is generic: leave out the order number or add one, quote a
sentence that is not in the clause, cite a clause that was not given, answer in another language,
use a tag outside the list, forget the signature, copy the source instead of rewriting it.

A slipping request is stubborn with probability `STUBBORN` (it repeats the slip on every re-ask,
so it ends up rejected); otherwise the first re-ask fixes it. Decisions hash the request's
identity (its first two messages), so a run is reproducible. For a server in its own process
(the benchmark), `DSGEN_FAKE_SLIP_SHARE` sets the share and `DSGEN_FAKE_SLIP_RULES` (comma list)
the slips to pick from.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
from typing import Any

from dsgen_dagster_tests.fake_openai_server import fake_value

VOCABULARY = {
    "en": "the and you with this that have from they will would there their what about which "
    "when make like time just know take people into year good some could them other than then "
    "look only come over think also back after work first well even want because these give "
    "most please order help still since week never again really every",
    "de": "und der die das nicht mit sich auch auf für ist ich sie eine einen dem den wird "
    "werden noch nach bei aus wie über schon oder aber wenn sehr kann können immer wieder "
    "bitte leider heute möchte meine meinen keine gestern zurück danke warum endlich",
    "fr": "le la les des est pas pour une dans que qui sur avec vous nous mais plus tout "
    "cette être fait bien comme très aussi leur encore toujours depuis merci votre notre "
    "commande aujourd hui semaine jamais pourquoi rien déjà avoir beaucoup",
    "es": "el la los las que por para con una del pero más como muy también todo esta "
    "ser hace bien siempre desde gracias usted nuestro pedido hoy semana nunca porque nada "
    "ya tengo mucho todavía ayer quiero favor ahora mismo otra",
}
WORDS = {language: words.split(" ") for language, words in VOCABULARY.items()}
LANGUAGES = tuple(WORDS)
STUBBORN = 0.2
CLAUSE = re.compile(r"^\[(pol_[^\]]+)\][^\n]*\n(.+)$", re.MULTILINE)
ORDER_TOKEN = re.compile(r"\bord[_\s-]?\d[\d_-]*\d\b", re.IGNORECASE)
SLIPS = {
    "EmailDraft": ("reference", "language", "signature"),
    "AgentAnswer": ("quote", "clause", "language"),
    "TicketTags": ("tag",),
    "RephrasedEmail": ("reference", "copy"),
    "TranslatedTicket": ("language", "quote", "reference"),
    "TranslatedClause": ("language", "numbers"),
    "CatalogueDraft": ("duplicate", "category", "price", "currency"),
}
LANGUAGE_CODES = {"English": "en", "German": "de", "French": "fr", "Spanish": "es"}
REQUOTED = re.compile(r"^\[(pol_[^\]]+)\] (.+)$", re.MULTILINE)
NUMBER = re.compile(r"\d(?:[\d.,]*\d)?")


def seeded(*parts: object) -> random.Random:
    return random.Random(hashlib.sha256("|".join(map(str, parts)).encode()).digest())


def text_in(language: str, seed: str, count: int) -> str:
    rng = seeded(seed, language)
    words = [rng.choice(WORDS[language]) for _ in range(count)]
    sentences = [" ".join(words[i : i + 8]).capitalize() + "." for i in range(0, count, 8)]
    return " ".join(sentences)


def other_language(language: str) -> str:
    return (
        LANGUAGES[(LANGUAGES.index(language) + 1) % len(LANGUAGES)] if language in WORDS else "de"
    )


def found(pattern: str, text: str, default: str = "") -> str:
    match = re.search(pattern, text)
    return match.group(1) if match else default


def section(prompt: str, start: str, end: str) -> str:
    after = prompt.split(start, 1)[-1]
    return after.split(end, 1)[0] if end in after else after


def answer(body: dict[str, Any], slip: str | None = None) -> dict[str, Any]:
    """The answer a model that follows the prompt gives, or one with `slip`."""
    function = body["tools"][0]["function"]
    name = function["name"]
    prompt = body["messages"][1]["content"]
    arguments = fake_value(function["parameters"], function["parameters"].get("$defs", {}))
    if name == "TopicScenario":
        text = text_in("en", prompt, 24)
        return {"summary": text, "desired_outcome": text_in("en", prompt + "want", 6)}
    if name == "EmailDraft":
        language = found(r"Language: (\w+)", prompt, "en")
        reference = found(r"character for character: (\S+)", prompt)
        first_name = found(r"Customer: (\S+)", prompt, "Alex")
        return email(prompt, language, reference, first_name, slip)
    if name == "RephrasedEmail":
        language = found(r"in language (\w+)", prompt, "en")
        reference = found(r"Keep the order number exactly as written: (\S+)", prompt)
        if slip == "copy":  # the source email, unchanged
            source = section(prompt, "Subject: ", "\n\nReturn")
            subject, _, rest = source.partition("\n")
            return {"subject": subject.strip() or "Re", "body": rest.strip()}
        return email(prompt + "rephrased", language, reference, "", slip)
    if name == "AgentAnswer":
        return agent_answer(prompt, slip)
    if name == "TicketTags":
        offered = found(r"only from this list: ([^;]+);", prompt)
        tags = [tag.strip() for tag in offered.split(",") if tag.strip()][:3] or ["general"]
        if slip == "tag":
            tags = [*tags[:2], "something-else"]
        return {**arguments, "tags": tags}
    if name == "TranslatedTicket":
        return translation(prompt, slip)
    if name == "TranslatedClause":
        return clause_translation(prompt, slip)
    if name == "CatalogueDraft":
        return catalogue(prompt, slip)
    return arguments


def clause_translation(prompt: str, slip: str | None) -> dict[str, Any]:
    """A policy clause "translated": words of the target language and the original's numbers
    (a slip: English words, or the numbers left out)."""
    target = LANGUAGE_CODES.get(found(r"into (\w+)\.", prompt), "de")
    clause = section(prompt, "\n\nClause ", "\n\nReturn")
    numbers = NUMBER.findall(clause)
    written = "en" if slip == "language" else target
    text = text_in(written, prompt, 24)
    if slip != "numbers" and numbers:
        text += " " + " ".join(numbers) + "."
    return {"text": text}


def catalogue(prompt: str, slip: str | None) -> dict[str, Any]:
    """Four offerings per category the prompt allows, in its currency; or one `slip`."""
    listed = found(r"written exactly so\): ([^\n]+)", prompt)
    categories = [c.strip() for c in listed.split(",") if c.strip()] or ["general"]
    currency = found(r"Currency: (\w+)\.", prompt, "EUR")
    offerings = [
        {
            "name": f"{category.title()} {tier}",
            "category": category,
            "price": 10.0 * (index + 1),
            "warranty_months": 0,
            "return_window_days": 14,
            "contract_months": 12,
        }
        for index, (category, tier) in enumerate(
            (category, tier) for category in categories for tier in ("Lite", "Plus", "Pro", "Max")
        )
    ][:16]
    if slip == "duplicate":
        offerings[1]["name"] = offerings[0]["name"]
    elif slip == "category":
        offerings[0]["category"] = "gadgets"
    elif slip == "price":
        offerings[0]["price"] = 0.0
    elif slip == "currency":
        currency = "USD" if currency != "USD" else "EUR"
    return {"currency": currency, "offerings": offerings}


def email(
    prompt: str, language: str, reference: str, first_name: str, slip: str | None
) -> dict[str, Any]:
    written = other_language(language) if slip == "language" else language
    body = text_in(written, prompt, 40)
    if reference and slip != "reference":
        body += f" {reference}."
    elif not reference and slip == "reference":
        body += " ord_20990101_12345."
    if first_name and slip != "signature":
        body += f"\n\n{first_name}"
    return {"subject": text_in(written, prompt + "subject", 4), "body": body}


def agent_answer(prompt: str, slip: str | None) -> dict[str, Any]:
    language = found(r"Customer email \((\w+)\)", prompt, "en")
    clauses = CLAUSE.findall(prompt) or [("pol_unknown", "No clause text was given here.")]
    clause_id, clause_text = clauses[0]
    quote = clause_text.strip()[:60]
    if slip == "quote":
        quote = "Every refund is paid in cash within the hour."
    elif slip == "clause":
        clause_id = "pol_19990101_9.9"
    written = other_language(language) if slip == "language" else language
    body = f'{text_in(written, prompt, 40)} "{quote}"'
    return {"body": body, "citations": [{"clause_id": clause_id, "quote": quote}]}


def translation(prompt: str, slip: str | None) -> dict[str, Any]:
    source = found(r"from (\w+) into", prompt, "en")
    target = found(r"into (\w+)\.", prompt, "en")
    written = source if slip == "language" and source != target else target
    if slip == "language" and written == target:
        written = other_language(target)
    source_email = section(prompt, "Customer email:", "Agent's answer:")
    source_answer = section(prompt, "Agent's answer:", "\n\nReturn")
    references = ORDER_TOKEN.findall(source_email)
    quotes = re.findall(r'"([^"]+)"', source_answer)
    body = text_in(written, prompt, 40)
    if references and slip != "reference":
        body += f" {references[0]}."
    if "The policy exists in" in prompt:  # quote the clauses' target-language text instead
        quotes = [text.strip()[:60].strip() for _, text in REQUOTED.findall(prompt)]
    kept = "" if slip == "quote" else " ".join(f'"{quote}"' for quote in quotes)
    return {
        "subject": text_in(written, prompt + "s", 4),
        "body": body,
        "answer": f"{text_in(written, prompt + 'a', 30)} {kept}".strip(),
    }


def answer_like_a_model(body: dict[str, Any]) -> dict[str, Any]:
    """A model that always follows the prompt."""
    return answer(body)


def request_identity(body: dict[str, Any]) -> str:
    return str(body["messages"][:2])


def reasks_so_far(body: dict[str, Any]) -> int:
    """Each re-ask appends the rejected answer and the validation error."""
    return max(len(body["messages"]) - 2, 0) // 2


class SlippingModel:
    """Follows the prompt, but a seeded `share` of requests per stage slip once (or, stubborn,
    on every attempt), on one of `rules` (default: every slip the response model can have)."""

    def __init__(
        self, share: float, rules: tuple[str, ...] = (), stubborn: float = STUBBORN, seed: int = 0
    ) -> None:
        self.share, self.rules, self.stubborn, self.seed = share, rules, stubborn, seed

    def slip_for(self, body: dict[str, Any]) -> str | None:
        name = body["tools"][0]["function"]["name"]
        candidates = [s for s in SLIPS.get(name, ()) if not self.rules or s in self.rules]
        if not candidates:
            return None
        rng = seeded(self.seed, request_identity(body))
        if rng.random() >= self.share:
            return None
        slip = rng.choice(candidates)
        if reasks_so_far(body) and rng.random() >= self.stubborn:
            return None  # the re-ask's message was enough
        return slip

    def __call__(self, body: dict[str, Any]) -> dict[str, Any]:
        return answer(body, self.slip_for(body))


def slipping_model(body: dict[str, Any]) -> dict[str, Any]:
    """For `fake_openai_server --handler`: the share and slips from the environment."""
    rules = tuple(r for r in os.environ.get("DSGEN_FAKE_SLIP_RULES", "").split(",") if r)
    share = float(os.environ.get("DSGEN_FAKE_SLIP_SHARE", "0.05"))
    return SlippingModel(share, rules)(body)
