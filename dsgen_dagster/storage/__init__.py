"""DuckDB storage: one database file, one table per asset, partitions replaced atomically."""

from dsgen_dagster.storage.io_manager import PARTITION_COLUMN, DuckDBPartitionIOManager
from dsgen_dagster.storage.warehouse import Warehouse

__all__ = ["PARTITION_COLUMN", "DuckDBPartitionIOManager", "Warehouse"]
