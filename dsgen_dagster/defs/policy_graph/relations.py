"""Relations between clauses, read from the prose of each clause.

A reference is a mention of another clause: `§ 4.2`, `Section 3(b)`, `Clause 7`, `[POL-RET-001]`,
or a dotted number such as `2.1` right after a cue word (`under 2.1`, `in 2.2`, `subject to 5.1
or 5.3`, `where 3.2 applies`). Bare numbers without such a cue, and numbers followed by a unit
(`30 days`, `2.5 %`, `EUR 4.99`), are amounts, never references.

Each reference takes its kind from the trigger phrase nearest to it in the same sentence part
(split at `;` and sentence ends): the nearest one before it, else the nearest one after it, else
`references`. The trigger is stored verbatim with the line it starts on; a phrase wrapped over
two lines keeps its line break, so `trigger` equals the stripped source lines from `line` on.

A reference to a section (`see section 4`) or to a heading that only groups sub-clauses resolves
to the first clause in it, with scope "section". A reference to nothing is returned as an
`UnresolvedReference`, not an error: prose mentions are the author's, not the parser's, to fix.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

NUMBER = r"\d+(?:\.\d+)*(?:\([a-z0-9]{1,4}\))*"
DOTTED = r"\d+(?:\.\d+)+(?:\([a-z0-9]{1,4}\))*"
BRACKET_ID = r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+"
UNIT = (
    r"(?:%|‰|€|\$|£|(?:per\s*cent|percent|days?|hours?|minutes?|weeks?|months?|years?|kg|g|km"
    r"|cm|mm|m|kwh|mb|gb|times|x|eur|usd|gbp|chf)\b)"
)
LIST_SEPARATOR = r"(?:\s*,\s*|\s+(?:and/or|and|or)\s+)"
NOT_AMOUNT = rf"(?![\d.,]*\d)(?!\s*{UNIT})"
STRONG_REFERENCE = re.compile(
    rf"(?:§+\s*|\b(?:sections?|clauses?|articles?)\s+)"
    rf"(?P<list>{NUMBER}{NOT_AMOUNT}(?:{LIST_SEPARATOR}(?:§\s*)?{NUMBER}{NOT_AMOUNT})*)",
    re.IGNORECASE,
)
CUED_REFERENCE = re.compile(
    r"\b(?:under|in|see|per|to|where|notwithstanding|overriding|supersedes|over|except|extends"
    rf"|requires?|following)\s+(?P<list>{DOTTED}{NOT_AMOUNT}"
    rf"(?:{LIST_SEPARATOR}{DOTTED}{NOT_AMOUNT})*)",
    re.IGNORECASE,
)
BRACKETED_REFERENCE = re.compile(rf"\[(?P<list>{BRACKET_ID})\](?!\()")
ONE_NUMBER = re.compile(rf"{BRACKET_ID}|{NUMBER}")
TRIGGERS: list[tuple[str, str]] = [
    ("exception_of", r"exempt\s+from|excluded\s+from|not\s+covered\s+by|except|exception\s+to"),
    (
        "overrides",
        r"overrid(?:ing|es)|notwithstanding|supersed(?:es|ing)|prevails?\s+over|prevails?"
        r"|takes\s+precedence\s+over|(?:does|shall)\s+not\s+apply\s+where",
    ),
    (
        "requires",
        r"subject\s+to|requires?|only\s+if|provided\s+that|on\s+condition\s+that|conditional\s+on",
    ),
    ("modifies", r"in\s+addition\s+to|instead\s+of|after\s+the\s+period\s+in|extends?|amends?"),
]
TRIGGER = re.compile(
    "|".join(rf"(?P<{kind}>\b(?:{pattern})\b)" for kind, pattern in TRIGGERS), re.IGNORECASE
)
SENTENCE_BREAK = re.compile(r";\s*|(?<=[.!?])\s+(?=[A-Z\"“(\[§])")
# Leading zeros and long parts are dates and versions (15.01.2026, 2026.4), not clause numbers.
IMPLAUSIBLE_PART = re.compile(r"(?:^|\.)(?:0\d|\d{4,})")


@dataclass(frozen=True)
class Relation:
    kind: str
    target: str
    trigger: str
    line: int
    scope: str = "clause"


@dataclass(frozen=True)
class UnresolvedReference:
    source: str
    target: str
    kind: str
    line: int
    text: str


@dataclass(frozen=True)
class Numbering:
    """What a reference can resolve to: clause numbers, and groups (sections) -> first clause."""

    clauses: frozenset[str]
    groups: dict[str, str]

    def resolve(self, number: str) -> tuple[str, str] | None:
        if number in self.clauses:
            return number, "clause"
        if number in self.groups:
            return self.groups[number], "section"
        return None


@dataclass(frozen=True)
class Mention:
    target: str
    start: int
    end: int
    phrase_start: int  # where the mention as written starts: `§ 4.2`, `Section 3`, `[POL-X-1]`


class ClauseText:
    """A clause's lines joined by single spaces, with the source line of every offset."""

    def __init__(self, lines: list[tuple[int, str]], skip: int) -> None:
        parts = [line.strip() for _, line in lines]
        self.line_numbers = [number for number, _ in lines]
        self.starts = []
        offset = 0
        for part in parts:
            self.starts.append(offset)
            offset += len(part) + 1
        self.text = " ".join(parts)
        self.skip = skip

    def line_of(self, offset: int) -> int:
        return self.line_numbers[bisect_right(self.starts, offset) - 1]

    def verbatim(self, start: int, end: int) -> str:
        """The text start..end with the line breaks of the source where the lines were joined."""
        first = bisect_right(self.starts, start) - 1
        pieces = list(self.text[start:end])
        for line_start in self.starts[first + 1 :]:
            if line_start - 1 >= end:
                break
            pieces[line_start - 1 - start] = "\n"
        return "".join(pieces)


def find_mentions(text: str, skip: int) -> list[Mention]:
    mentions = []
    for pattern in (STRONG_REFERENCE, CUED_REFERENCE, BRACKETED_REFERENCE):
        with_lead = pattern is not CUED_REFERENCE
        for match in pattern.finditer(text):
            if match.start() < skip:
                continue
            for position, number in enumerate(ONE_NUMBER.finditer(match["list"])):
                if not IMPLAUSIBLE_PART.search(number[0]):
                    start = match.start("list") + number.start()
                    lead = match.start() if with_lead and position == 0 else start
                    end = match.end() if pattern is BRACKETED_REFERENCE else start + len(number[0])
                    mentions.append(Mention(number[0], start, end, lead))
    unique = {(m.start, m.target): m for m in mentions}
    return sorted(unique.values(), key=lambda m: m.start)


def sentence_parts(text: str) -> list[tuple[int, int]]:
    parts, start = [], 0
    for match in SENTENCE_BREAK.finditer(text):
        parts.append((start, match.start()))
        start = match.end()
    parts.append((start, len(text)))
    return parts


def nearest_trigger(
    triggers: list[re.Match[str]], part: tuple[int, int], mention: Mention
) -> re.Match[str] | None:
    inside = [t for t in triggers if part[0] <= t.start() and t.end() <= part[1]]
    before = [t for t in inside if t.end() <= mention.start]
    after = [t for t in inside if t.start() >= mention.end]
    if before:
        return before[-1]
    return after[0] if after else None


def prose_relations(
    source: str, lines: list[tuple[int, str]], skip: int, numbering: Numbering
) -> tuple[list[Relation], list[UnresolvedReference]]:
    """The typed references of one clause's text; `skip` chars of its label are not read."""
    if not lines:
        return [], []
    clause_text = ClauseText(lines, skip)
    text = clause_text.text
    triggers = [t for t in TRIGGER.finditer(text) if t.start() >= skip]
    parts = sentence_parts(text)
    relations: list[Relation] = []
    unresolved: list[UnresolvedReference] = []
    for mention in find_mentions(text, skip):
        part = next((p for p in parts if p[0] <= mention.start <= p[1]), (0, len(text)))
        trigger = nearest_trigger(triggers, part, mention)
        if trigger is not None:
            kind = trigger.lastgroup or "references"
            phrase_start, phrase_end = trigger.start(), trigger.end()
        else:
            kind, phrase_start, phrase_end = "references", mention.phrase_start, mention.end
        line = clause_text.line_of(phrase_start)
        phrase = clause_text.verbatim(phrase_start, phrase_end)
        resolved = numbering.resolve(mention.target)
        if resolved is None:
            unresolved.append(
                UnresolvedReference(
                    source,
                    mention.target,
                    kind,
                    clause_text.line_of(mention.start),
                    text[part[0] : part[1]],
                )
            )
        elif resolved[0] != source:
            relations.append(Relation(kind, resolved[0], phrase, line, resolved[1]))
    return one_per_target(relations), unresolved


def one_per_target(relations: list[Relation]) -> list[Relation]:
    """A clause relates to a target once: a typed mention wins over a plain reference."""
    chosen: dict[str, Relation] = {}
    for relation in relations:
        held = chosen.get(relation.target)
        if held is None or (held.kind == "references" and relation.kind != "references"):
            chosen[relation.target] = relation
    return list(chosen.values())
