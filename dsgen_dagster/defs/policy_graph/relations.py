"""Relations between clauses, read from the prose of each clause.

A reference is a mention of another clause: `§ 4.2`, `Section 3(b)`, `Clause 7`, `[POL-RET-001]`,
or a dotted number such as `2.1` right after a cue word (`under 2.1`, `in 2.2`, `subject to 5.1
or 5.3`, `where 3.2 applies`, `covered by 3.2`, `exempt from 4.1`; `by` and `from` only after
such a verb, since `multiplied by 1.5` and `from 1.50 to 2.75` are amounts). Bare numbers without
such a cue, and numbers followed by a unit (`30 days`, `2.5 %`, `EUR 4.99`), are amounts, never
references.

Each mention takes its kind from its own trigger phrase, not from the sentence: the trigger
closest before it in the same clause of the sentence (sentences split at `;` and sentence ends;
a `,`, `:`, a bracket, `unless`/`but`/`which`, a pointer such as `see` or `as set out in`, or
another mention not coordinated with it ends what a trigger governs). A coordinated list
(`subject to 5.1 or 5.3`, `excluded from Section 4(a) and Section 4(c)`) shares the trigger
governing its first mention. With no such trigger, a trigger whose subject comes before it
(`the limit in 3.2 does not apply`, `the period in Clause 8 extends`) right after the mention
types it, as does the one modifying or overriding cue of a sentence with one mention
(`Compensation under Clause 7 is paid ..., instead of with the next bill`); a condition after a
mention (`as in 3.1 only if the damage is reported`) is about the reporting, not about 3.1.
Anything else is `references`.

The trigger is stored verbatim with the line it starts on; a phrase wrapped over two lines keeps
its line break, so `trigger` equals the stripped source lines from `line` on. A relation whose
typing is unsure (a plain reference in a sentence that holds a cue or a cue-like word, or a
sentence with cues of two kinds) says why in `ambiguous`; the optional LLM re-typing pass
(`retyping.py`) reads only those.

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
    r"|requires?|following|(?:covered|governed|required|excluded|exempted|described|defined"
    r"|permitted|allowed|affected)\s+by|(?:exempt(?:ed)?|excluded|apart|deviating|derogating)"
    rf"\s+from)\s+(?P<list>{DOTTED}{NOT_AMOUNT}"
    rf"(?:{LIST_SEPARATOR}{DOTTED}{NOT_AMOUNT})*)",
    re.IGNORECASE,
)
BRACKETED_REFERENCE = re.compile(rf"\[(?P<list>{BRACKET_ID})\](?!\()")
ONE_NUMBER = re.compile(rf"{BRACKET_ID}|{NUMBER}")
TRIGGERS: list[tuple[str, str]] = [
    (
        "exception_of",
        r"exempt(?:ed)?\s+from|excluded\s+from|not\s+covered\s+by|except(?:\s+for)?"
        r"|exception\s+to",
    ),
    (
        "overrides",
        r"overrid(?:ing|es)|notwithstanding|supersed(?:es|ing)|prevails?\s+over|prevails?"
        r"|takes\s+precedence\s+over|(?:does|shall|will)\s+not\s+apply(?:\s+where)?",
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
# Triggers whose subject is the mention before them: `the limit in 3.2 does not apply`.
SUBJECT_FIRST = re.compile(
    r"^(?:(?:does|shall|will)\s+not\s+apply|extends?|prevails?|supersed(?:es|ing)|overrides"
    r"|amends?)",
    re.IGNORECASE,
)
# What ends the reach of a trigger before a mention: a comma, colon or bracket, a new clause of
# the sentence, or a pointer that makes the mention a plain reference (`(see 3.4)`).
BOUNDARY = re.compile(
    r"[,:()\[\]]|\b(?:unless|but|which|whereas|while|see|cf|as\s+(?:described|set\s+out|"
    r"defined|shown|stated)\s+in)\b",
    re.IGNORECASE,
)
COORDINATION = re.compile(r"^(?:\s*,\s*|\s+)(?:(?:and/or|and|or)\s+)?(?:to\s+|in\s+)?$")
# Words that often state a relation the cue list misses (`covered by`, `raises the limit in`).
CUE_LIKE = re.compile(
    r"\b(?:covered|unless|appl(?:y|ies)|raises?|lowers?|reduces?|increases?|replaces?|waives?"
    r"|limits?|conditions?|precedence|priority|only|excluding|including|beyond|despite)\b",
    re.IGNORECASE,
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
    ambiguous: str = ""  # why the typing is unsure ("" when it is not): read by retyping.py


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


def governing_trigger(
    text: str,
    triggers: list[re.Match[str]],
    mentions: list[Mention],
    part: tuple[int, int],
    mention: Mention,
) -> re.Match[str] | None:
    """The trigger that types `mention`: see the module docstring."""
    inside = [t for t in triggers if part[0] <= t.start() and t.end() <= part[1]]
    before = [t for t in inside if t.end() <= mention.phrase_start]
    if before:
        trigger = before[-1]
        # Walk back over the coordinated list the mention ends: `5.1, 5.2 or 5.3`.
        first = mention
        for other in reversed([m for m in mentions if trigger.end() <= m.start < first.start]):
            if other.end <= first.phrase_start and COORDINATION.match(
                text[other.end : first.phrase_start]
            ):
                first = other
            else:
                break
        between = text[trigger.end() : first.phrase_start]
        others = [m for m in mentions if trigger.end() <= m.phrase_start < first.phrase_start]
        if not BOUNDARY.search(between) and not others:
            return trigger
    after = [t for t in inside if t.start() >= mention.end]
    alone = len(inside) == 1 and all(
        m is mention or not part[0] <= m.start <= part[1] for m in mentions
    )
    if after and alone and after[0].lastgroup in ("modifies", "overrides"):
        return after[0]  # the sentence's one cue, about its one mention
    if after and SUBJECT_FIRST.match(after[0][0]):
        between = text[mention.end : after[0].start()]
        others = [m for m in mentions if mention.end <= m.phrase_start < after[0].start()]
        if not BOUNDARY.search(between) and not others:
            return after[0]
    return None


def ambiguity(text: str, triggers: list[re.Match[str]], part: tuple[int, int], kind: str) -> str:
    """Why a mention's typing is unsure, or "" when it is not."""
    kinds = {t.lastgroup for t in triggers if part[0] <= t.start() and t.end() <= part[1]}
    if len(kinds) > 1:
        return "cues of two kinds in one sentence"
    if kind == "references":
        if kinds:
            return "a cue in the sentence governs another mention"
        if cue := CUE_LIKE.search(text, part[0], part[1]):
            return f"cue-like word {cue[0]!r} in the sentence"
    return ""


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
    mentions = find_mentions(text, skip)
    for mention in mentions:
        part = next((p for p in parts if p[0] <= mention.start <= p[1]), (0, len(text)))
        trigger = governing_trigger(text, triggers, mentions, part, mention)
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
            why = ambiguity(text, triggers, part, kind)
            relations.append(Relation(kind, resolved[0], phrase, line, resolved[1], why))
    return one_per_target(relations), unresolved


def one_per_target(relations: list[Relation]) -> list[Relation]:
    """A clause relates to a target once: a typed mention wins over a plain reference."""
    chosen: dict[str, Relation] = {}
    for relation in relations:
        held = chosen.get(relation.target)
        if held is None or (held.kind == "references" and relation.kind != "references"):
            chosen[relation.target] = relation
    return list(chosen.values())
