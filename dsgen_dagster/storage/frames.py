"""polars frames typed from the pydantic row models, so every table's columns follow its model."""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Iterator, Sequence
from typing import Any, Literal, Union, get_args, get_origin

import polars as pl
from pydantic import BaseModel

from dsgen_dagster.storage.metadata import PREVIEW_ROWS

SCALARS: dict[Any, pl.DataType] = {
    str: pl.Utf8(),
    int: pl.Int64(),
    float: pl.Float64(),
    bool: pl.Boolean(),
    dt.date: pl.Date(),
    dt.datetime: pl.Datetime("us"),
}


def polars_type(annotation: Any) -> pl.DataType:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        (inner,) = [arg for arg in get_args(annotation) if arg is not type(None)]
        return polars_type(inner)
    if origin is Literal:
        return polars_type(type(get_args(annotation)[0]))
    if origin is list:
        return pl.List(polars_type(get_args(annotation)[0]))
    if annotation in SCALARS:
        return SCALARS[annotation]
    raise TypeError(f"no column type for {annotation!r}")


def polars_schema(model: type[BaseModel]) -> dict[str, pl.DataType]:
    return {name: polars_type(field.annotation) for name, field in model.model_fields.items()}


def frame_from_models(model: type[BaseModel], rows: Sequence[BaseModel]) -> pl.DataFrame:
    """Column by column from the models' attributes: no per-row dict of the whole batch.

    Row models hold scalars and lists of scalars (`polars_type` refuses anything else), so an
    attribute is already what `model_dump()` would give for it.
    """
    schema = polars_schema(model)
    return pl.DataFrame(
        [
            pl.Series(name, [getattr(row, name) for row in rows], dtype=dtype)
            for name, dtype in schema.items()
        ]
    )


class RowChunks:
    """A step's rows as the frames it made them in (an LLM stage: one per request chunk), for
    the IO manager, which writes them to DuckDB one at a time and lets each go once written.
    Returned as one frame, the rows stayed whole in memory while DuckDB took its copy of them in
    the write's one transaction: at 100,000 tickets translations' 235 MB frame and the write's
    ~290 MB side by side (bench/bench_batch.py, eighth pass)."""

    def __init__(self, frames: list[pl.DataFrame]) -> None:
        if not frames:
            raise ValueError("RowChunks needs a frame, empty or not: it gives the table's columns")
        self._frames = list(frames)
        self.height = sum(frame.height for frame in frames)
        # The UI's preview: the first rows of the first frame that has any.
        self.head = next((f for f in frames if f.height), frames[0]).head(PREVIEW_ROWS)

    def drain(self) -> Iterator[pl.DataFrame]:
        """Each frame, dropped from here as it is handed over: once written it can be freed."""
        while self._frames:
            yield self._frames.pop(0)

    def frame(self) -> pl.DataFrame:
        """The rows as one frame (a caller that wants them whole, such as a test)."""
        return pl.concat(self._frames, how="vertical", rechunk=False)
