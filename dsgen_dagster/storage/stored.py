"""Upstream tables a step reads as it goes, instead of as whole-batch frames.

A stage or check that reads its inputs a chunk of tickets at a time (StageInputs.ticket_chunks)
gains nothing if the whole-batch frames were loaded first: at 100,000 tickets the translations
stage's topics, emails and answers are ~200 MB of Arrow, held for the whole step on top of
what it generates (bench/bench_batch.py, eighth pass). A `StoredTable` is the handle the IO
manager gives instead (for inputs whose AssetIn carries LAZY_INPUT_METADATA): the table's
existence and rows are checked when the step starts, as for a frame, and the rows are read when
asked for, whole or by key.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

import polars as pl

from dsgen_dagster.storage.staging import (
    existing_batch_schema,
    partition_rowids,
    read_batch_partition,
)
from dsgen_dagster.storage.warehouse import Warehouse

# AssetIn metadata by which an input asks the IO manager for a StoredTable, not a frame.
LAZY_INPUT_METADATA = "dsgen/lazy"


@dataclass(frozen=True)
class StoredTable:
    """One table's rows of one partition, as the batch being built sees them (staged, else
    published), read on demand; each read is one unit of work on the warehouse."""

    warehouse: Warehouse
    table: str
    partition_key: str
    _columns: list[str] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def opened(
        cls, warehouse: Warehouse, table: str, partition_key: str, *, allow_empty: bool = False
    ) -> StoredTable:
        """The handle, once the table is known to exist and, unless `allow_empty`, to hold rows
        of the partition: the same errors, at the same moment, as loading it as a frame."""
        with warehouse.connect() as connection:
            schema = existing_batch_schema(connection, table, partition_key)
            names = [
                row[0]
                for row in connection.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = ? "
                    "AND table_name = ? AND column_name <> 'partition_date' "
                    "ORDER BY ordinal_position",
                    [schema, table],
                ).fetchall()
            ]
            if not allow_empty:  # one row says there are rows
                read_batch_partition(connection, table, partition_key, columns=names[:1], limit=1)
        return cls(warehouse, table, partition_key, names)

    @property
    def columns(self) -> list[str]:
        return self._columns

    def read(
        self,
        values: pl.Series | None = None,
        *,
        key: str = "ticket_id",
        outside: bool = False,
        columns: list[str] | None = None,
    ) -> pl.DataFrame:
        """Every row, or the rows whose `key` holds one of `values` (`outside`: every other
        row), in stored order."""
        with self.warehouse.connect() as connection:
            return read_batch_partition(
                connection,
                self.table,
                self.partition_key,
                allow_empty=True,
                tickets=values,
                outside=outside,
                key=key,
                columns=columns,
            )

    def slices(self, rows: int) -> tuple[int, Iterator[pl.DataFrame]]:
        """The partition's row count, and its rows `rows` at a time in stored order (by rowid
        range, each slice one unit of work; an empty partition is one empty slice)."""
        with self.warehouse.connect() as connection:
            rowids = partition_rowids(connection, self.table, self.partition_key)

        def read() -> Iterator[pl.DataFrame]:
            for start in range(0, max(rowids.len(), 1), rows):
                bounds = None
                if rowids.len():
                    last = min(start + rows, rowids.len()) - 1
                    bounds = (int(rowids[start]), int(rowids[last]))
                with self.warehouse.connect() as connection:
                    yield read_batch_partition(
                        connection, self.table, self.partition_key, allow_empty=True, rowids=bounds
                    )

        return rowids.len(), read()


class StoredFrames(Mapping[str, pl.DataFrame]):
    """Upstream frames by name, each table read whole the first time it is asked for (the
    policy's few rows); `tables` reads them a chunk at a time instead."""

    def __init__(self, tables: Mapping[str, StoredTable]) -> None:
        self.tables = dict(tables)
        self._whole: dict[str, pl.DataFrame] = {}

    @classmethod
    def of(
        cls, warehouse: Warehouse, names: list[str] | tuple[str, ...], partition_key: str
    ) -> StoredFrames:
        """Handles of `names` that may be empty (a check reads what the step stored)."""
        with warehouse.held():
            return cls(
                {
                    name: StoredTable.opened(warehouse, name, partition_key, allow_empty=True)
                    for name in names
                }
            )

    def __getitem__(self, name: str) -> pl.DataFrame:
        if name not in self._whole:
            if name not in self.tables:
                raise KeyError(name)
            self._whole[name] = self.tables[name].read()
        return self._whole[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)


def held(tables: Mapping[str, StoredTable]) -> AbstractContextManager[None]:
    """The tables' warehouse held open across several reads (Warehouse.held), one chunk's
    tables read against one open database; nothing to hold without tables."""
    first = next(iter(tables.values()), None)
    return first.warehouse.held() if first is not None else nullcontext()


def upstream_frames(upstream: Mapping[str, object]) -> Mapping[str, pl.DataFrame]:
    """A step's upstream as frames: StoredFrames when the IO manager handed it StoredTables."""
    if upstream and all(isinstance(value, StoredTable) for value in upstream.values()):
        return StoredFrames({name: value for name, value in upstream.items()})  # type: ignore[misc]
    if any(isinstance(value, StoredTable) for value in upstream.values()):
        raise TypeError("a step's inputs are all StoredTables or all frames, not a mix")
    return upstream  # type: ignore[return-value]
