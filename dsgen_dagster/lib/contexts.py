"""The structured context of every LLM request, built from upstream rows.

One shape for all stages: the ticket's facts, plus what each stage adds (the email, the answer,
the clauses). Prompt templates render it for a model; the offline provider composes from it.
The true order id is deliberately absent: an email carries only `order_reference`, which is the
id, a misspelling of it, or nothing, as the scenario's information completeness says; with
"wrong_product" the email names `named_product` instead of the product ordered.
Every context names the company (`company`, `currency`) and the situation in words (`situation`,
the ticket type's label in the batch's scenario table): prompts and the offline provider write
for the batch's company, never for the shipped retailer unless its policy is in use.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import polars as pl

from dsgen_dagster.lib.domain import Domain
from dsgen_dagster.lib.offering import RETAIL
from dsgen_dagster.lib.vocabulary import PRIORITIES, QUEUES, TICKET_TYPES

Row = Mapping[str, Any]


def iso(value: Any) -> str | None:
    return None if value is None else str(value)


LONG_TEXT_BYTES = 200


def python_column(series: pl.Series) -> Sequence[Any]:
    """A column to index row by row: a Python list, except long texts (email and answer
    bodies), which stay in the Series, read ~3 us a row: a request reads each once or twice,
    and a Python copy of the column would double their memory."""
    mean_bytes = series.str.len_bytes().mean() if series.dtype == pl.Utf8 else None
    if isinstance(mean_bytes, float) and mean_bytes > LONG_TEXT_BYTES:
        return series  # type: ignore[return-value]  # indexed by position, as a list is
    return series.to_list()


class RowView(Mapping[str, Any]):
    """One row of a `ColumnRows`, read from its columns on access."""

    __slots__ = ("_rows", "_index")

    def __init__(self, rows: ColumnRows, index: int) -> None:
        self._rows = rows
        self._index = index

    def __getitem__(self, name: str) -> Any:
        # The column's list when it was read before (every row after the first): one dict
        # lookup instead of a method call; the evidence checks read ~40 fields per request.
        values = self._rows._lists.get(name)
        if values is None:
            values = self._rows.column(name)
        return values[self._index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows.names)

    def __len__(self) -> int:
        return len(self._rows.names)

    def __repr__(self) -> str:
        return repr(dict(self))


class ColumnRows(Mapping[str, RowView]):
    """A frame's rows by key, as Python lists of the columns that are read, made on first read.

    A dict per row (the plain way) holds every column of every row as Python objects, plus a
    ~1 KB dict, for each row of a 100,000-ticket batch in every stage that reads the world; a
    stage reading two of the emails' seven columns now makes Python objects of those two only
    (issue #13). Like a dict built row by row, a repeated key finds its last row."""

    def __init__(self, frame: pl.DataFrame, key: str) -> None:
        self._frame = frame
        self.names = tuple(frame.columns)
        self._lists: dict[str, Sequence[Any]] = {}
        self._positions = {value: index for index, value in enumerate(self.column(key))}

    def column(self, name: str) -> Sequence[Any]:
        values = self._lists.get(name)
        if values is None:
            if name not in self.names:
                raise KeyError(name)
            values = self._lists[name] = python_column(self._frame.get_column(name))
        return values

    def __getitem__(self, key: str) -> RowView:
        return RowView(self, self._positions[key])

    def __contains__(self, key: object) -> bool:
        return key in self._positions

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


def index_by(frame: pl.DataFrame, key: str) -> ColumnRows:
    return ColumnRows(frame, key)


def company_facts(domain: Domain | None, ticket_type: str = "") -> dict[str, Any]:
    if domain is None:
        return {"company": "the company", "currency": "EUR", "situation": ticket_type}
    spec = domain.scenarios.types.get(ticket_type)
    # A retailer's contexts carry no `offering`: the offline draws are seeded by the context, so
    # the shipped policy's texts stay exactly as they were.
    offering = domain.company.offering
    return {
        "company": domain.company.name,
        "currency": domain.company.currency,
        **({"offering": offering} if offering != RETAIL else {}),
        "situation": spec.label if spec else ticket_type.replace("_", " "),
    }


def ticket_facts(
    topic: Row,
    customer: Row,
    product: Row,
    order: Row,
    *,
    batch_date: str,
    domain: Domain | None = None,
) -> dict[str, Any]:
    return {
        **company_facts(domain, str(topic["ticket_type"])),
        "ticket_id": topic["ticket_id"],
        "ticket_type": topic["ticket_type"],
        "queue": topic["queue"],
        "priority": topic["priority"],
        "complexity": topic["complexity"],
        "info_completeness": topic["info_completeness"],
        "language": topic["language"],
        "order_reference": topic["order_reference"],
        "named_product": topic.get("named_product"),
        "relation": topic.get("relation") or "none",
        "batch_date": batch_date,
        "customer": {
            "first_name": customer["first_name"],
            "last_name": customer["last_name"],
            "full_name": customer["full_name"],
            "tier": customer["tier"],
            "language": customer["language"],
        },
        "product": {
            "name": product["name"],
            "category": product["category"],
            "price_eur": product["price_eur"],
            "warranty_months": product["warranty_months"],
            "return_window_days": product["return_window_days"],
            "contract_months": product.get("contract_months") or 0,
        },
        "order": {
            "order_date": iso(order["order_date"]),
            "delivery_date": iso(order["delivery_date"]),
            "status": order["status"],
            "shipping_method": order["shipping_method"],
            "payment_method": order["payment_method"],
            "total_eur": order["total_eur"],
            "item_count": int(sum(order["quantities"])),
        },
    }


def clause_context(clauses: list[Row]) -> list[dict[str, Any]]:
    return [
        {
            "clause_id": clause["clause_id"],
            "number": clause["clause_number"],
            "title": clause["title"],
            "section": clause["section"],
            "text": clause["text"],
        }
        for clause in clauses
    ]


def scenario(topic: Row) -> dict[str, Any]:
    return {"summary": topic["summary"], "desired_outcome": topic["desired_outcome"]}


def email_context(email: Row) -> dict[str, Any]:
    return {"subject": email["subject"], "body": email["body"]}


def answer_context(answer: Row) -> dict[str, Any]:
    return {
        "body": answer["body"],
        "citations": [
            {"clause_id": clause_id, "quote": quote}
            for clause_id, quote in zip(
                answer["cited_clause_ids"], answer["cited_quotes"], strict=True
            )
        ],
    }


def allowed_labels(domain: Domain | None = None) -> dict[str, list[str]]:
    """The labels a classifier may give: the batch's scenario table's, else the shipped ones."""
    if domain is not None:
        return domain.scenarios.allowed_labels()
    return {
        "ticket_types": list(TICKET_TYPES),
        "queues": list(QUEUES),
        "priorities": list(PRIORITIES),
    }


class TicketWorld:
    """Upstream rows of one partition, indexed for building contexts ticket by ticket."""

    def __init__(
        self,
        *,
        batch_date: str,
        topics: pl.DataFrame,
        customers: pl.DataFrame,
        products: pl.DataFrame,
        orders: pl.DataFrame,
        policy_graph: pl.DataFrame | None = None,
        clause_texts: pl.DataFrame | None = None,
        domain: Domain | None = None,
    ) -> None:
        self.batch_date = batch_date
        self.domain = domain
        self.topics = index_by(topics, "ticket_id")
        self.customers = index_by(customers, "customer_id")
        self.products = index_by(products, "product_id")
        self.orders = index_by(orders, "order_id")
        self.clauses: Mapping[str, Row] = (
            index_by(policy_graph, "clause_id") if policy_graph is not None else {}
        )
        # clause id -> language -> (title, text): the policy in each language it exists in.
        self.texts: dict[str, dict[str, tuple[str, str]]] = {}
        for row in clause_texts.iter_rows(named=True) if clause_texts is not None else ():
            self.texts.setdefault(row["clause_id"], {})[row["language"]] = (
                row["title"],
                row["text"],
            )
        self.policy_language = domain.company.policy_language if domain else "en"

    def facts(self, ticket_id: str) -> dict[str, Any]:
        topic = self.topics[ticket_id]
        return {
            **ticket_facts(
                topic,
                self.customers[topic["customer_id"]],
                self.products[topic["product_id"]],
                self.orders[topic["order_id"]],
                batch_date=self.batch_date,
                domain=self.domain,
            ),
            **scenario(topic),
            **self.clause_title(topic),
        }

    def clause_title(self, topic: Row) -> dict[str, Any]:
        """The title of the clause the case hinges on, when the stage reads the policy graph."""
        clause = self.clauses.get(topic["clause_ids"][0]) if topic["clause_ids"] else None
        return {"clause_title": clause["title"] or None} if clause else {}

    def scenario_clauses(self, ticket_id: str) -> list[dict[str, Any]]:
        return clause_context([self.clauses[cid] for cid in self.topics[ticket_id]["clause_ids"]])

    def quoted_clauses(
        self, ticket_id: str, language: str, fallback: str | None = None
    ) -> tuple[list[dict[str, Any]], str]:
        """The scenario's clauses with their text in `language` when every one of them has it,
        else in `fallback` (when they all have that), else in the document's language; and the
        language chosen, which is the language of the quotes made from them. One language for
        all of a ticket's quotes, so `quote_language` is one value that is true.

        Each clause also carries `texts` (language -> text), for the evidence check that
        verifies a stored quote against the text in the language the row records."""
        clauses = self.scenario_clauses(ticket_id)
        for candidate in (language, fallback):
            if candidate and all(candidate in self.texts.get(c["clause_id"], {}) for c in clauses):
                chosen = candidate
                break
        else:
            chosen = self.policy_language
        for clause in clauses:
            texts = self.texts.get(clause["clause_id"], {})
            clause["texts"] = {lang: text for lang, (_, text) in texts.items()}
            clause["texts"].setdefault(self.policy_language, clause["text"])
            if chosen in texts:
                title, clause["text"] = texts[chosen]
                clause["title"] = title or clause["title"]
        return clauses, chosen
