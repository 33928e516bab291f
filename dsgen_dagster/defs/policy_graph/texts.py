"""Each clause's text per served language: the document's, the user's translations, a model's.

Sources, in order, for every language a batch serves (its tickets' languages and its translation
languages):

1. the document itself, in the policy's own language;
2. the user's translation: a sibling file named after the language, `policy.de.md` beside
   `policy.md`, parsed like the policy. It must have the same clauses: numbered clauses match by
   number as written, definitions (whose terms are translated) by their order. A file whose
   numbers differ is an error naming the file, the numbers and the fix;
3. with a model (the openai provider), a translation made once per batch by the
   `policy_clause_texts` stage, validated by `translation_violations` and stored as
   `machine_translation`;
4. otherwise nothing: the offline provider has no translator, so that language has no text and
   answers quote the document's text, recording its language.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dsgen_dagster.defs.policy_graph.parser import ParsedPolicy, parse_policy_file
from dsgen_dagster.errors import PolicyParseError
from dsgen_dagster.lib.vocabulary import LANGUAGES
from dsgen_dagster.quality.findings import Findings
from dsgen_dagster.quality.language import LANGUAGE_NAMES, identify, language_violations
from dsgen_dagster.quality.rules import Violation, squash

DOCUMENT = "document"
USER_TRANSLATION = "user_translation"
MACHINE_TRANSLATION = "machine_translation"
EMPTY_TRANSLATION = "empty_translation"
NUMBERS_CHANGED = "numbers_changed"
RULES = [EMPTY_TRANSLATION, "wrong_language", NUMBERS_CHANGED]
# A number as written, with its decimal or thousands separators (4.99, 4,99, 1 000 with a
# no-break space): compared by its digits, so 4.99 -> 4,99 is kept, 14 -> 41 is not.
NUMBER = re.compile(r"\d(?:[\d.,\u00a0\u202f]*\d)?")


@dataclass(frozen=True)
class ClauseTextSource:
    """One clause's text in one language, before it becomes a row."""

    number: str
    language: str
    title: str
    text: str
    source: str
    path: str


def translation_path(policy_path: Path, language: str) -> Path:
    """Where the user's translation into `language` lives: `policy.de.md` beside `policy.md`."""
    return policy_path.with_name(f"{policy_path.stem}.{language}{policy_path.suffix or '.md'}")


def served_languages(ticket_languages: dict[str, float], translation_languages: list[str],
                     policy_language: str) -> list[str]:  # fmt: skip
    """The languages other than the policy's own that a batch's answers and translations use."""
    wanted = {lang for lang, weight in ticket_languages.items() if weight > 0}
    wanted |= set(translation_languages)
    return [lang for lang in LANGUAGES if lang in wanted and lang != policy_language]


def user_translations(
    policy: ParsedPolicy, policy_language: str
) -> dict[str, list[ClauseTextSource]]:
    """The user's translation files of `policy`, by language, each matched clause by clause."""
    found: dict[str, list[ClauseTextSource]] = {}
    for language in LANGUAGES:
        path = translation_path(Path(policy.path), language)
        if not path.is_file() or path == Path(policy.path):
            continue
        if language == policy_language:
            raise PolicyParseError(
                f"is named as a translation into {language}, but {Path(policy.path).name} itself "
                f"is in {LANGUAGE_NAMES.get(language, language)}; remove the file or rename it "
                "after the language it is written in",
                path=str(path),
            )
        found[language] = matched_translation(policy, parse_policy_file(path), language)
    return found


def matched_translation(
    policy: ParsedPolicy, translated: ParsedPolicy, language: str
) -> list[ClauseTextSource]:
    """The translated file's clauses in the original's order; a clear error when they differ."""
    numbered = {c.number: c for c in translated.clauses if c.kind != "definition"}
    definitions = [c for c in translated.clauses if c.kind == "definition"]
    original_numbers = [c.number for c in policy.clauses if c.kind != "definition"]
    original_definitions = [c for c in policy.clauses if c.kind == "definition"]
    missing = [n for n in original_numbers if n not in numbered]
    extra = [n for n in numbered if n not in set(original_numbers)]
    if missing or extra:
        parts = [f"missing {', '.join(missing)}" if missing else "",
                 f"extra {', '.join(extra)}" if extra else ""]  # fmt: skip
        raise PolicyParseError(
            f"the clause numbers of this {language} translation do not match "
            f"{Path(policy.path).name} ({'; '.join(p for p in parts if p)}); give it the same "
            "clauses with the numbers as written in the original, translating only the text",
            path=translated.path,
        )
    if len(definitions) != len(original_definitions):
        raise PolicyParseError(
            f"this {language} translation has {len(definitions)} definitions, "
            f"{Path(policy.path).name} has {len(original_definitions)}; definitions are matched "
            "in their order, so translate every definition, in the same order",
            path=translated.path,
        )
    text = " ".join(c.text for c in translated.clauses)
    guess = identify(text)
    if guess.contradicts(language):
        raise PolicyParseError(
            f"is named as the {LANGUAGE_NAMES[language]} translation, but its text reads as "
            f"{LANGUAGE_NAMES.get(guess.language or '', guess.language)}; name the file "
            f"{Path(policy.path).stem}.<language code>{Path(policy.path).suffix} after the "
            "language it is written in",
            path=translated.path,
        )
    by_definition = dict(zip([c.number for c in original_definitions], definitions, strict=True))
    sources = []
    for clause in policy.clauses:
        match = (
            by_definition[clause.number] if clause.kind == "definition" else numbered[clause.number]
        )
        sources.append(
            ClauseTextSource(
                number=clause.number,
                language=language,
                title=match.title if clause.kind != "definition" else match.number,
                text=match.text,
                source=USER_TRANSLATION,
                path=translated.path,
            )
        )
    return sources


def numbers_of(text: str) -> Counter[str]:
    return Counter(re.sub(r"\D", "", number) for number in NUMBER.findall(text))


def translation_violations(text: str, context: dict[str, Any]) -> list[Violation]:
    """A machine translation of a clause: not empty, in the target language, every number,
    amount and clause number of the original kept."""
    target = context.get("target_language")
    if not squash(text):
        return [Violation(EMPTY_TRANSLATION, "the translation is empty; translate the clause.")]
    found = language_violations(text, target, [], "the translated clause")
    original = str(context.get("text") or "")
    lost = numbers_of(original) - numbers_of(text)
    if lost:
        written = {re.sub(r"\D", "", n): n for n in NUMBER.findall(original)}
        shown = ", ".join(written[n] for n in sorted(lost))
        found.append(
            Violation(
                NUMBERS_CHANGED,
                f"the translation lost the number(s) {shown} of the original; "
                "keep every number, amount, period and clause number as written (a decimal "
                "comma for a decimal point is fine).",
            )
        )
    return found


CLAUSE_UNKNOWN = "clause_unknown"
DOCUMENT_TEXT_CHANGED = "document_text_changed"
DOCUMENT_TEXT_MISSING = "document_text_missing"
TRANSLATION_CHANGED = "translation_changed"
EVIDENCE_RULES = [
    CLAUSE_UNKNOWN, DOCUMENT_TEXT_MISSING, DOCUMENT_TEXT_CHANGED, TRANSLATION_CHANGED, *RULES
]  # fmt: skip


def file_texts(clauses: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """The user's translation files as they are now: language -> clause number -> text; a
    language whose file is gone or no longer matches maps to {}."""
    if not clauses:
        return {}
    path = Path(clauses[0]["source_path"])
    try:
        policy = parse_policy_file(path)
    except PolicyParseError:
        return {}
    found: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        translated = translation_path(path, language)
        if translated == path:
            continue
        try:
            texts = matched_translation(policy, parse_policy_file(translated), language)
        except PolicyParseError:
            texts = []  # gone, or no longer matching: every row of it is reported
        found[language] = {text.number: text.text for text in texts}
    return found


def texts_findings(texts: list[dict[str, Any]], clauses: list[dict[str, Any]]) -> Findings:
    """The stored clause texts against the stored clauses: every clause has its document text,
    unchanged; every text is of a clause of the partition; a user's translation is still what
    its file says; a machine translation keeps the translation rules against the document's
    text."""
    findings = Findings(rows=len(texts), rules=list(EVIDENCE_RULES))
    by_id = {clause["clause_id"]: clause for clause in clauses}
    documented = set()
    files = file_texts(clauses) if any(r["source"] == USER_TRANSLATION for r in texts) else {}
    for row in texts:
        clause = by_id.get(row["clause_id"])
        if clause is None:
            findings.add(CLAUSE_UNKNOWN, row["text_id"], "no clause of the partition has this id")
            continue
        if row["source"] == DOCUMENT:
            documented.add(row["clause_id"])
            if row["text"] != clause["text"]:
                findings.add(DOCUMENT_TEXT_CHANGED, row["text_id"], "differs from policy_graph")
        elif row["source"] == USER_TRANSLATION:
            now = files.get(row["language"], {}).get(row["clause_number"])
            if now != row["text"]:
                findings.add(
                    TRANSLATION_CHANGED,
                    row["text_id"],
                    f"{row['source_path']} no longer has this text for clause "
                    f"{row['clause_number']}; re-materialise policy_clause_texts",
                )
        elif row["source"] == MACHINE_TRANSLATION:
            context = {"text": clause["text"], "target_language": row["language"]}
            for violation in translation_violations(row["text"], context):
                findings.add(violation.rule, row["text_id"], violation.message)
    for clause_id in by_id.keys() - documented:
        findings.add(DOCUMENT_TEXT_MISSING, clause_id, "the clause has no document-language text")
    return findings
