"""The optional LLM re-typing of unsure relations (issue 11), with the openai provider only.

The parser types each mention from its trigger phrase (`relations.py`) and marks the typings it is
unsure of (`Relation.ambiguous`: a plain reference in a sentence holding a cue or a cue-like word,
or a sentence with cues of two kinds). Those, and only those, are sent to the model through the
`llm` resource, so the answers are cached and ledgered like every stage's (stage `policy_graph`).

An answer replaces the parser's typing only when it holds up against the document:

- `kind` is one of RELATION_KINDS (`unknown_kind`),
- `target` is the clause the mention points at (`unknown_target` when no clause has that number,
  `other_target` when it names another clause),
- `trigger` occurs verbatim in the clause's text (`trigger_not_in_text`); the stored trigger and
  its line are then read from the source, so the evidence check verifies them like the parser's.

Otherwise the parser's typing stays and the rejection is counted by reason in the asset metadata.
A request that fails in transport also keeps the parser's typing (`failed`): re-typing is an
improvement, never a reason to stop the batch. Off with the offline provider (it cannot read), and
with `DSGEN_RELATION_RETYPING=off`.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel, Field

from dsgen_dagster.defs.policy_graph.models import RELATION_KINDS
from dsgen_dagster.defs.policy_graph.parser import ParsedClause, ParsedPolicy
from dsgen_dagster.defs.policy_graph.relations import ClauseText, Relation
from dsgen_dagster.llm.prompts import PromptTemplate
from dsgen_dagster.llm.resource import LLMResource
from dsgen_dagster.llm.types import LLMRequest, StageReport

STAGE = "policy_graph"
TEMPLATE = PromptTemplate.from_package("dsgen_dagster.defs.policy_graph", STAGE, "retyping.jinja2")
RETYPING_MODES = ("auto", "off")
MENTION_PREFIX = re.compile(r"^(?:§+\s*|(?:sections?|clauses?|articles?)\s+)", re.IGNORECASE)


class RelationTyping(BaseModel):
    """The model's reading of one mention. Checked against the document here, not by the
    response model: a wrong answer is counted and dropped, not re-asked."""

    kind: str = Field(description=f"One of {', '.join(RELATION_KINDS)}.")
    target: str = Field(description="The number of the mentioned clause, as written.")
    trigger: str = Field(
        description="The words of the clause that state the relation, copied character for "
        "character from its text."
    )


@dataclass
class RetypingOutcome:
    """What the pass did, for the asset's metadata."""

    mode: str
    provider: str
    asked: int = 0
    accepted: int = 0  # valid answers (the kind may be the parser's own)
    changed: int = 0  # valid answers with another kind than the parser's
    failed: int = 0  # no answer (transport): the parser's typing kept
    rejected: Counter[str] = field(default_factory=Counter)  # by reason: the parser's kept
    report: StageReport | None = None

    def metadata(self) -> dict[str, object]:
        return {
            "retyping/mode": self.mode,
            "retyping/asked": self.asked,
            "retyping/accepted": self.accepted,
            "retyping/changed": self.changed,
            "retyping/failed": self.failed,
            "retyping/rejected": sum(self.rejected.values()),
            "retyping/rejected_by_reason": dict(self.rejected.most_common()),
        }


def unsure(policy: ParsedPolicy) -> list[tuple[ParsedClause, Relation]]:
    """The relations the parser marked as unsure; explicit relation lines never are."""
    return [
        (clause, relation)
        for clause in policy.clauses
        for relation in clause.relations
        if relation.ambiguous and relation.scope == "clause"
    ]


def requests(asked: list[tuple[ParsedClause, Relation]]) -> list[LLMRequest[RelationTyping]]:
    return [
        LLMRequest(
            stage=STAGE,
            tier="cheap",
            template=TEMPLATE,
            context={
                "source": clause.number,
                "text": clause.text,
                "target": relation.target,
                "kind": relation.kind,
                "trigger": relation.trigger.replace("\n", " "),
                "why": relation.ambiguous,
                "kinds": list(RELATION_KINDS),
            },
            response_model=RelationTyping,
            key=f"{clause.number}->{relation.target}",
        )
        for clause, relation in asked
    ]


def checked(
    answer: RelationTyping, clause: ParsedClause, relation: Relation, numbers: frozenset[str]
) -> Relation | str:
    """The relation the answer states, read from the source; or why it is rejected."""
    kind = answer.kind.strip()
    if kind not in RELATION_KINDS:
        return "unknown_kind"
    target = MENTION_PREFIX.sub("", answer.target.strip()).strip("[] ").rstrip(".")
    if target != relation.target:
        return "other_target" if target in numbers else "unknown_target"
    phrase = " ".join(answer.trigger.split())
    text = ClauseText(clause.text_lines, clause.label_length)
    starts = [m.start() for m in re.finditer(re.escape(phrase), text.text)] if phrase else []
    starts = [start for start in starts if start >= text.skip]
    if not starts:
        return "trigger_not_in_text"
    # The occurrence nearest the mention, when the phrase is written more than once.
    mention = text.text.find(relation.target, text.skip)
    start = min(starts, key=lambda s: abs(s - mention))
    return replace(
        relation,
        kind=kind,
        trigger=text.verbatim(start, start + len(phrase)),
        line=text.line_of(start),
        ambiguous="",
    )


def retype_relations(
    policy: ParsedPolicy,
    llm: LLMResource,
    *,
    mode: str = "auto",
    partition_key: str = "",
    log: logging.Logger | Any | None = None,
) -> RetypingOutcome:
    """Re-type the unsure relations of `policy` in place (see the module docstring)."""
    outcome = RetypingOutcome(mode=mode, provider=llm.provider)
    if mode == "off" or llm.provider == "offline":
        return outcome
    asked = unsure(policy)
    if not asked:
        return outcome
    results, outcome.report = llm.generate(
        requests(asked), partition_key=partition_key, log=log, enforce=False
    )
    numbers = frozenset(clause.number for clause in policy.clauses)
    outcome.asked = len(asked)
    for (clause, relation), result in zip(asked, results, strict=True):
        if result.response is None:
            outcome.failed += 1
            continue
        verdict = checked(result.response, clause, relation, numbers)
        if isinstance(verdict, str):
            outcome.rejected[verdict] += 1
            continue
        outcome.accepted += 1
        outcome.changed += verdict.kind != relation.kind
        clause.relations = [verdict if r is relation else r for r in clause.relations]
    return outcome
