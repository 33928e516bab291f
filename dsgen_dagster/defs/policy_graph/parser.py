"""Parse a policy markdown document into clauses with line-level evidence.

The format, as in the shipped `data/policy.md`:

    ## 3. Shipping and delivery          <- a section: number and title
    ### 3.2 Late delivery compensation   <- a clause: number (section.n) and title
    If an express delivery arrives ...   <- clause text: one or more lines
    Requires: 3.1                        <- relations: Overrides/Modifies/Requires/Exception of

Every error names the line and says what to change.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from dsgen_dagster.errors import PolicyParseError

SECTION_RE = re.compile(r"^##\s+(?P<number>\d+)\.?\s+(?P<title>\S.*)$")
CLAUSE_RE = re.compile(r"^###\s+(?P<number>\d+(?:\.\d+)+)\.?\s+(?P<title>\S.*)$")
RELATION_RE = re.compile(
    r"^(?P<kind>Overrides|Modifies|Requires|Exception of)\s*:\s*(?P<targets>.*)$", re.IGNORECASE
)
CLAUSE_NUMBER_RE = re.compile(r"^\d+(?:\.\d+)+$")


@dataclass
class ParsedClause:
    number: str
    title: str
    section_number: str
    section: str
    heading_line: int
    text_lines: list[tuple[int, str]] = field(default_factory=list)
    relations: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return " ".join(line.strip() for _, line in self.text_lines)

    @property
    def quote(self) -> str:
        return "\n".join(line for _, line in self.text_lines)


@dataclass
class ParsedPolicy:
    path: str
    sha256: str
    lines: list[str]
    clauses: list[ParsedClause]


def relation_field(kind: str) -> str:
    return kind.lower().replace(" ", "_")


def parse_policy_file(path: Path) -> ParsedPolicy:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PolicyParseError(f"cannot read the policy document: {exc}", path=str(path)) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PolicyParseError(
            f"not UTF-8 text (byte {exc.start}); save the policy as UTF-8 markdown", path=str(path)
        ) from exc
    return parse_policy_text(text, path=str(path), sha256=hashlib.sha256(raw).hexdigest())


def parse_policy_text(text: str, *, path: str = "<policy>", sha256: str = "") -> ParsedPolicy:
    lines = [line.rstrip() for line in text.splitlines()]
    clauses = _read_clauses(lines, path)
    _check_clauses(clauses, path)
    sha = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    return ParsedPolicy(path=path, sha256=sha, lines=lines, clauses=clauses)


def _read_clauses(lines: list[str], path: str) -> list[ParsedClause]:
    clauses: list[ParsedClause] = []
    section_number, section_title = "", ""
    current: ParsedClause | None = None
    for line_number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if match := SECTION_RE.match(stripped):
            section_number, section_title = match["number"], match["title"].strip()
            current = None
        elif stripped.startswith("###"):
            current = _start_clause(stripped, line_number, section_number, section_title, path)
            clauses.append(current)
        elif current is None or not stripped:
            continue
        elif match := RELATION_RE.match(stripped):
            _add_relation(current, match, line_number, path)
        elif current.relations:
            raise PolicyParseError(
                f"clause {current.number} has text after its relation lines; put "
                "Overrides/Modifies/Requires/Exception of lines last in the clause",
                path=path,
                line=line_number,
            )
        else:
            current.text_lines.append((line_number, line))
    return clauses


def _start_clause(
    heading: str, line_number: int, section_number: str, section_title: str, path: str
) -> ParsedClause:
    match = CLAUSE_RE.match(heading)
    if match is None:
        raise PolicyParseError(
            f"clause heading {heading!r} has no number; write it as '### 3.2 Title'",
            path=path,
            line=line_number,
        )
    number = match["number"]
    if not section_number:
        raise PolicyParseError(
            f"clause {number} comes before any section; add a '## {number.split('.')[0]}. "
            "Section title' line above it",
            path=path,
            line=line_number,
        )
    if number.split(".")[0] != section_number:
        raise PolicyParseError(
            f"clause {number} is inside section {section_number}; renumber it "
            f"{section_number}.x or move it to section {number.split('.')[0]}",
            path=path,
            line=line_number,
        )
    return ParsedClause(
        number=number,
        title=match["title"].strip(),
        section_number=section_number,
        section=section_title,
        heading_line=line_number,
    )


def _add_relation(clause: ParsedClause, match: re.Match[str], line_number: int, path: str) -> None:
    kind = relation_field(match["kind"])
    targets = [
        target.strip().rstrip(".") for target in match["targets"].split(",") if target.strip()
    ]
    if not targets:
        raise PolicyParseError(
            f"relation line of clause {clause.number} names no clause; write e.g. 'Requires: 1.1'",
            path=path,
            line=line_number,
        )
    for target in targets:
        if not CLAUSE_NUMBER_RE.match(target):
            raise PolicyParseError(
                f"{target!r} in clause {clause.number}'s relation is not a clause number like 1.1",
                path=path,
                line=line_number,
            )
        clause.relations.setdefault(kind, []).append((target, line_number))


def _check_clauses(clauses: list[ParsedClause], path: str) -> None:
    if not clauses:
        raise PolicyParseError(
            "no clauses found; a policy needs sections ('## 1. Returns') with numbered clauses "
            "('### 1.1 Standard return window') followed by their text",
            path=path,
        )
    first_seen: dict[str, int] = {}
    for clause in clauses:
        if clause.number in first_seen:
            raise PolicyParseError(
                f"duplicate clause number {clause.number} (first at line "
                f"{first_seen[clause.number]}); give each clause its own number",
                path=path,
                line=clause.heading_line,
            )
        first_seen[clause.number] = clause.heading_line
        if not clause.text_lines:
            raise PolicyParseError(
                f"clause {clause.number} has no text; "
                "write its rule on the lines below its heading",
                path=path,
                line=clause.heading_line,
            )
    for clause in clauses:
        for kind, targets in clause.relations.items():
            for target, line_number in targets:
                if target == clause.number:
                    raise PolicyParseError(
                        f"clause {clause.number} relates to itself ({kind})",
                        path=path,
                        line=line_number,
                    )
                if target not in first_seen:
                    raise PolicyParseError(
                        f"clause {clause.number} {kind.replace('_', ' ')} clause {target}, "
                        "which does not exist; fix the number or add the clause",
                        path=path,
                        line=line_number,
                    )
