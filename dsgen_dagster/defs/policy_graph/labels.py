"""Clause labels: how a heading or a line says which clause it starts.

Recognised at the start of a heading or of a line (the number is kept as written):

    ### 2.1 Window / #### 2.1.3 Title / ## 2 Returns    numbered headings (integer -> section)
    ### [POL-RET-001] Title / [POL-RET-001] Text         bracketed ids
    2.1 Text / 2.1. Text / 2.3.4 Text                    numbered paragraphs
    **2.1 Refund window.** Text / **3(b) Refunds.** ...  bold clause starts (number and title)
    § 4.2 Text / Section 3(b). Text / Clause 7. Text     labels with a word or §

Lettered and list items (`(a)`, `a)`, `1.`, `1)`, `(ii)`) are no labels: they fold into the clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dsgen_dagster.defs.policy_graph.relations import BRACKET_ID, NUMBER, UNIT

SEPARATOR = r"(?:\s*[.:]|\s+[–—-])"
HEADING_LABEL = re.compile(
    rf"^(?:(?P<word>Section|Clause|Article|Part|Chapter)\s+|(?P<para>§+)\s*)?"
    rf"(?:\[(?P<bracket>{BRACKET_ID})\]|(?P<number>{NUMBER}))\.?"
    rf"(?:(?:\s*[:–—-]\s*|\s+)(?P<title>\S.*))?$",
    re.IGNORECASE,
)
BOLD_LABEL = re.compile(r"^\*\*(?P<inner>[^*]+?)\*\*")
BOLD_INNER = re.compile(
    rf"^(?:(?:Section|Clause|Article)\s+|§+\s*)?(?:\[(?P<bracket>{BRACKET_ID})\]|"
    rf"(?P<number>{NUMBER}))\.?(?:\s+(?P<title>.*?))?[.:]?$",
    re.IGNORECASE,
)
LINE_LABELS = [
    re.compile(rf"^\[(?P<bracket>{BRACKET_ID})\](?!\()(?=\s|$)"),
    re.compile(rf"^(?:Section|Clause|Article)\s+(?P<number>{NUMBER}){SEPARATOR}(?=\s|$)"),
    re.compile(rf"^§+\s*(?P<number>{NUMBER})\.?(?=\s)"),
    re.compile(rf"^(?P<number>\d+(?:\.\d+)+)\.?(?=\s+\S)(?!\s+{UNIT})", re.IGNORECASE),
]
DEFINITION = re.compile(
    r"^(?:[-*+]\s+|\d{1,3}[.)]\s+)?(?:\*\*[\"“]?(?P<bold>[^*\"”]+)[\"”]?\*\*|[\"“](?P<quoted>[^\"”]+)[\"”])"
    r"\s*(?::|means\b|shall\s+mean\b|refers\s+to\b|[–—-])",
    re.IGNORECASE,
)
DEFINITIONS_TITLE = re.compile(
    r"\b(?:definitions?|interpretation|glossary|defined\s+terms)\b", re.I
)
# Word exports often fake headings: a whole bold line, or `1. General` as a list item.
BOLD_LINE = re.compile(r"^\*\*(?P<text>[^*]+)\*\*$")
NUMBERED_TITLE_LINE = re.compile(r"^(?P<text>\d{1,3}[.)]\s+[^.;:!?*]{1,80})$")
SENTENCE_END = (".", ":", ";", "!", "?", ")", '"', "”", "*")


@dataclass(frozen=True)
class Label:
    number: str
    title: str
    length: int  # characters of the line the label takes
    word: str = ""  # Section/Clause/§..., lower case

    @property
    def is_section(self) -> bool:
        """An integer with no word, or with Section/Part/Chapter/§: a section, not a clause."""
        return self.number.isdigit() and self.word in ("", "section", "part", "chapter", "§")


def heading_label(text: str) -> Label | None:
    match = HEADING_LABEL.match(text)
    if match is None:
        return None
    number = match["bracket"] or match["number"]
    word = (match["word"] or ("§" if match["para"] else "")).lower()
    return Label(number, (match["title"] or "").strip(), len(text), word)


def line_label(text: str) -> Label | None:
    if bold := BOLD_LABEL.match(text):
        inner = BOLD_INNER.match(bold["inner"].strip())
        if inner is None:
            return None
        number = inner["bracket"] or inner["number"]
        title = (inner["title"] or "").strip().rstrip(".:").strip()
        return Label(number, title, bold.end())
    for pattern in LINE_LABELS:
        if match := pattern.match(text):
            return Label(match["bracket"] if "bracket" in pattern.groupindex else match["number"],
                         "", match.end())  # fmt: skip
    return None


def pseudo_heading(text: str) -> tuple[Label, bool] | None:
    """A line standing for a heading: its label, and whether it is bold (else `1. General`)."""
    bold = BOLD_LINE.match(text)
    match = bold or NUMBERED_TITLE_LINE.match(text)
    if match is None:
        return None
    label = heading_label(match["text"].strip().rstrip(".:").strip())
    return (label, bool(bold)) if label is not None else None


def definition_term(text: str) -> str | None:
    match = DEFINITION.match(text)
    return None if match is None else (match["bold"] or match["quoted"]).strip()


def ends_sentence(line: str) -> bool:
    return line.rstrip().endswith(SENTENCE_END)
