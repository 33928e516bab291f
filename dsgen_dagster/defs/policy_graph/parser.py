"""Parse a policy markdown document into clauses with line-level evidence.

markdown-it-py (CommonMark) tells which source lines are headings, list items, code or breaks;
clause numbers are read from the source lines themselves, since CommonMark renumbers ordered lists
and folds `1.1 Text` lines into one paragraph. The labels a clause can start with are in
`labels.py`; relations found in the prose are in `relations.py`. A clause is:

- a heading with a clause label (`### 2.1 Title`, `### [POL-RET-001] Title`, `## Clause 7 Title`),
  its text being the lines below it; a heading with an integer (`## 2. Returns`) is a section,
  one without a number (ATX or setext) an unnumbered section (number "", title kept);
- a line with a clause label (`2.1 Text`, `**2.1 Title.** Text`, `§ 4.2 Text`, `[POL-X-1] Text`),
  at the start of a block or after a line that ends a sentence (a wrapped line that happens to
  start with `2.5 %` or `§ 1.1` continues its clause); its text runs to the next clause start;
- in a section titled Definitions/Interpretation/Glossary, each `**Term** means ...` or
  `- "Term": ...` item: kind "definition", number and title the term as written;
- the text of a numbered section that has no clauses: a clause numbered like the section.

List items, lettered items and wrapped lines fold into the clause above them. Blank lines are not
part of a clause's quote (the evidence check compares its lines with the blank ones dropped).
Relation lines (`Overrides: 1.2`) come last in a clause, name existing clauses, and win over a
prose mention of the same target. Every error names the line and says what to change.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt

from dsgen_dagster.defs.policy_graph.labels import (
    DEFINITIONS_TITLE,
    Label,
    definition_term,
    ends_sentence,
    heading_label,
    line_label,
    pseudo_heading,
)
from dsgen_dagster.defs.policy_graph.relations import (
    BRACKET_ID,
    NUMBER,
    Numbering,
    Relation,
    UnresolvedReference,
    prose_relations,
)
from dsgen_dagster.errors import PolicyParseError

RELATION_RE = re.compile(
    r"^(?P<kind>Overrides|Modifies|Requires|Exception of)\s*:\s*(?P<targets>.*)$",
    re.IGNORECASE,
)
TARGET_RE = re.compile(rf"^(?:\[(?P<bracket>{BRACKET_ID})\]|(?P<bare>{BRACKET_ID}|{NUMBER}))$")
DOTTED_NUMERIC = re.compile(r"^\d+(?:\.\d+)+")
ATX_MARKS = re.compile(r"^\s{0,3}#{1,6}\s*|\s+#+\s*$")
SAFE_ID = re.compile(r"[^A-Za-z0-9.()-]+")
MARKDOWN = MarkdownIt("commonmark")


@dataclass
class ParsedClause:
    number: str
    title: str
    section_number: str
    section: str
    heading_line: int
    kind: str = "clause"
    label_length: int = 0  # characters of the first text line taken by the clause's label
    text_lines: list[tuple[int, str]] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    closed_by_relations: bool = False

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
    unresolved: list[UnresolvedReference] = field(default_factory=list)


@dataclass
class Blocks:
    """What markdown-it says about the source lines (0-based indexes)."""

    headings: dict[int, tuple[int, int]] = field(default_factory=dict)  # start -> (end, level)
    block_starts: set[int] = field(default_factory=set)
    list_lines: set[int] = field(default_factory=set)
    verbatim: set[int] = field(default_factory=set)  # code, html, tables: no labels in them
    breaks: set[int] = field(default_factory=set)


@dataclass
class Section:
    number: str = ""
    title: str = ""
    level: int = 0
    definitions: bool = False
    own_lines: list[tuple[int, str]] = field(default_factory=list)
    own_closed: bool = False  # a sub-heading or break ended the section's own text
    clause_count: int = 0
    heading_line: int = 0


def relation_field(kind: str) -> str:
    return kind.lower().replace(" ", "_")


def safe_number(number: str) -> str:
    """A clause number as an id part: `[A-Za-z0-9.()-]` kept, any other run becomes one `-`."""
    return SAFE_ID.sub("-", number).strip("-")


def parse_policy_file(path: Path) -> ParsedPolicy:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PolicyParseError(f"cannot read the policy document: {exc}", path=str(path)) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PolicyParseError(
            f"not UTF-8 text (byte {exc.start}); save the policy as UTF-8 markdown",
            path=str(path),
            line=line,
        ) from exc
    return parse_policy_text(text, path=str(path), sha256=hashlib.sha256(raw).hexdigest())


def parse_policy_text(text: str, *, path: str = "<policy>", sha256: str = "") -> ParsedPolicy:
    lines = [line.rstrip() for line in text.splitlines()]
    clauses = Reader(lines, read_blocks(text), path).read()
    groups = drop_group_headings(clauses, path)
    check_numbers(clauses, path)
    unresolved = add_relations(clauses, groups, path)
    sha = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    return ParsedPolicy(path=path, sha256=sha, lines=lines, clauses=clauses, unresolved=unresolved)


def read_blocks(text: str) -> Blocks:
    blocks = Blocks()
    for token in MARKDOWN.parse(text):
        if token.map is None:
            continue
        start, end = token.map
        if token.type == "heading_open":
            blocks.headings[start] = (end, int(token.tag[1]))
        elif token.type in ("paragraph_open", "list_item_open", "blockquote_open"):
            blocks.block_starts.add(start)
            if token.type == "list_item_open":
                blocks.list_lines.update(range(start, end))
        elif token.type in ("fence", "code_block", "html_block", "table_open"):
            blocks.verbatim.update(range(start, end))
        elif token.type == "hr":
            blocks.breaks.add(start)
    return blocks


class Reader:
    """One pass over the source lines, opening sections and clauses as their labels appear."""

    def __init__(self, lines: list[str], blocks: Blocks, path: str) -> None:
        self.lines, self.blocks, self.path = lines, blocks, path
        self.clauses: list[ParsedClause] = []
        self.section = Section()
        self.current: ParsedClause | None = None
        self.heading_index = -1  # the last line that was a heading: a label may follow it

    def read(self) -> list[ParsedClause]:
        index = 0
        while index < len(self.lines):
            if index in self.blocks.headings:
                end, level = self.blocks.headings[index]
                self.heading(index, end, level)
                index = end
                continue
            self.line(index)
            index += 1
        self.close_section()
        return self.clauses

    def heading(self, start: int, end: int, level: int) -> None:
        source = self.lines[start:end]
        setext = end - start > 1 or not source[0].lstrip().startswith("#")
        parts = source[:-1] if setext else [ATX_MARKS.sub("", source[0])]
        text = " ".join(part.strip() for part in parts).strip()
        self.current = None
        label = heading_label(text)
        if label is not None and not label.is_section:
            self.start_clause(label, start + 1, from_heading=True)
        elif label is None and self.section.number and level > self.section.level:
            self.section.own_closed = True  # an unnumbered sub-heading: the section goes on
        else:
            self.close_section()
            number, title = (label.number, label.title) if label else ("", text)
            self.section = Section(number, title, level, bool(DEFINITIONS_TITLE.search(title)),
                                   heading_line=start + 1)  # fmt: skip

    def line(self, index: int) -> None:
        raw = self.lines[index]
        content = raw.strip()
        if not content:
            return
        if index in self.blocks.breaks:
            self.current, self.section.own_closed = None, True
            return
        if self.current is not None and (relation := RELATION_RE.match(content)):
            self.add_explicit(relation, index + 1)
            return
        if self.pseudo_heading(index, content):
            return
        label = self.label_at(index, content)
        if label is not None:
            self.start_clause(label, index + 1, from_heading=False)
        elif self.section.definitions and (term := definition_term(content)):
            label = Label(term, term, 0)
            self.start_clause(label, index + 1, from_heading=False, kind="definition")
        if self.current is None:
            if not self.section.own_closed:
                self.section.own_lines.append((index + 1, raw))
            return
        if self.current.closed_by_relations:
            raise PolicyParseError(
                f"clause {self.current.number} has text after its relation lines; put "
                "Overrides/Modifies/Requires/Exception of lines last in the clause",
                path=self.path,
                line=index + 1,
            )
        self.current.text_lines.append((index + 1, raw))

    def label_at(self, index: int, content: str) -> Label | None:
        if index in self.blocks.verbatim:
            return None
        starts_block = index in self.blocks.block_starts and index not in self.blocks.list_lines
        previous = self.lines[index - 1] if index else ""
        after_break = (
            not previous.strip() or ends_sentence(previous) or index - 1 == self.heading_index
        )
        if not (starts_block or after_break):
            return None
        label = line_label(content)
        if label is None or not self.fits_section(label.number):
            return None
        if self.section.definitions and (term := definition_term(content[label.length :])):
            return Label(label.number, term, label.length, "definition")
        return label

    def pseudo_heading(self, index: int, content: str) -> bool:
        """A bold-only line, or `1. General` followed by clause 1.1, acts as a heading."""
        found = None if index in self.blocks.verbatim else pseudo_heading(content)
        if found is None:
            return False
        label, bold = found
        if not bold and not self.next_label_is_child(index, label.number):
            return False
        self.heading_index, self.current = index, None
        if label.is_section:
            self.close_section()
            self.section = Section(label.number, label.title, 7, heading_line=index + 1)
            self.section.definitions = bool(DEFINITIONS_TITLE.search(label.title))
        else:
            self.start_clause(label, index + 1, from_heading=True)
        return True

    def next_label_is_child(self, index: int, number: str) -> bool:
        following = next((line.strip() for line in self.lines[index + 1 :] if line.strip()), "")
        label = line_label(following)
        return label is not None and is_child(label.number, number)

    def fits_section(self, number: str) -> bool:
        if not (self.section.number.isdigit() and DOTTED_NUMERIC.match(number)):
            return True
        return number.split(".")[0] == self.section.number

    def start_clause(self, label: Label, line: int, *, from_heading: bool, kind: str = "") -> None:
        number = label.number
        if from_heading and not self.fits_section(number):
            raise PolicyParseError(
                f"clause {number} is inside section {self.section.number}; renumber it "
                f"{self.section.number}.x or move it to section {number.split('.')[0]}",
                path=self.path,
                line=line,
            )
        section_number = self.section.number
        if not section_number and not self.section.title and DOTTED_NUMERIC.match(number):
            section_number = number.split(".")[0]
        self.current = ParsedClause(
            number=number,
            title=label.title,
            section_number=section_number,
            section=self.section.title,
            heading_line=line,
            kind=kind or ("definition" if label.word == "definition" else "clause"),
            label_length=0 if from_heading else label.length,
        )
        self.clauses.append(self.current)
        self.section.clause_count += 1

    def add_explicit(self, match: re.Match[str], line: int) -> None:
        assert self.current is not None
        clause, kind = self.current, relation_field(match["kind"])
        targets = [t.strip().rstrip(".") for t in match["targets"].split(",") if t.strip()]
        if not targets:
            raise PolicyParseError(
                f"relation line of clause {clause.number} names no clause; write e.g. "
                "'Requires: 1.1'",
                path=self.path,
                line=line,
            )
        for target in targets:
            found = TARGET_RE.match(target)
            if found is None:
                raise PolicyParseError(
                    f"{target!r} in clause {clause.number}'s relation is not a clause number "
                    "like 1.1 or POL-RET-001",
                    path=self.path,
                    line=line,
                )
            trigger = match["kind"]
            clause.relations.append(
                Relation(kind, found["bracket"] or found["bare"], trigger, line)
            )
        clause.closed_by_relations = True

    def close_section(self) -> None:
        """A numbered section with text but no clauses is one clause itself."""
        section, self.current = self.section, None
        if section.number and not section.clause_count and section.own_lines:
            self.clauses.append(
                ParsedClause(
                    number=section.number,
                    title=section.title,
                    section_number=section.number,
                    section=section.title,
                    heading_line=section.heading_line,
                    text_lines=section.own_lines,
                )
            )


def drop_group_headings(clauses: list[ParsedClause], path: str) -> dict[str, str]:
    """Clause headings without text of their own that only group sub-clauses are not clauses;
    references to them (and to sections) resolve to their first clause."""
    groups: dict[str, str] = {}
    for clause in [c for c in clauses if not c.text_lines]:
        children = [c for c in clauses if c.text_lines and is_child(c.number, clause.number)]
        if not children:
            raise PolicyParseError(
                f"clause {clause.number} has no text; "
                "write its rule on the lines below its heading",
                path=path,
                line=clause.heading_line,
            )
        groups[clause.number] = children[0].number
        clauses.remove(clause)
    for clause in clauses:
        if clause.section_number:
            groups.setdefault(clause.section_number, clause.number)
        for prefix in prefixes(clause.number):
            groups.setdefault(prefix, clause.number)
    return groups


def is_child(number: str, parent: str) -> bool:
    return number.startswith((f"{parent}.", f"{parent}("))


def prefixes(number: str) -> list[str]:
    parts = re.split(r"(?=[.(])", number)
    return ["".join(parts[:n]) for n in range(1, len(parts))]


def check_numbers(clauses: list[ParsedClause], path: str) -> None:
    if not clauses:
        raise PolicyParseError(
            "no clauses found; number the clauses ('### 1.1 Title', '1.1 Text', "
            "'**1.1 Title.** Text', '§ 1.1 Text', '[POL-RET-001] Text') under section headings "
            "('## 1. Returns') and put their text below or after the number",
            path=path,
        )
    first_seen: dict[str, int] = {}
    for clause in clauses:
        key = safe_number(clause.number)
        if key in first_seen:
            raise PolicyParseError(
                f"duplicate clause number {clause.number} (first at line "
                f"{first_seen[key]}); give each clause its own number",
                path=path,
                line=clause.heading_line,
            )
        first_seen[key] = clause.heading_line


def add_relations(
    clauses: list[ParsedClause], groups: dict[str, str], path: str
) -> list[UnresolvedReference]:
    numbering = Numbering(frozenset(c.number for c in clauses), groups)
    unresolved: list[UnresolvedReference] = []
    for clause in clauses:
        explicit = clause.relations
        for relation in explicit:
            if relation.target == clause.number:
                raise PolicyParseError(
                    f"clause {clause.number} relates to itself ({relation.kind})",
                    path=path,
                    line=relation.line,
                )
            if relation.target not in numbering.clauses:
                raise PolicyParseError(
                    f"clause {clause.number} {relation.kind.replace('_', ' ')} clause "
                    f"{relation.target}, which does not exist; fix the number or add the clause",
                    path=path,
                    line=relation.line,
                )
        found, missing = prose_relations(
            clause.number, clause.text_lines, clause.label_length, numbering
        )
        stated = {relation.target for relation in explicit}
        clause.relations = explicit + [r for r in found if r.target not in stated]
        unresolved.extend(missing)
    return unresolved
