"""Exports: a range of batches as Parquet + JSONL in a folder that loads as a Hugging Face dataset.

A command (`python -m dsgen_dagster.exports`) rather than an asset: every asset is one daily batch,
while an export is a consumer's choice of a range and a folder, made after the batches (and their
checks) are done. It only reads the database, so it can run beside a backfill.
"""

from dsgen_dagster.exports.writer import ExportError, ExportResult, configs, export_dataset

__all__ = ["configs", "ExportError", "ExportResult", "export_dataset"]
