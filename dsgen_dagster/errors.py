"""The exceptions dsgen raises. Each says what was wrong and how to fix it."""

from __future__ import annotations


class DsgenError(Exception):
    """Root of every error dsgen raises on purpose."""


class ConfigError(DsgenError):
    """A setting (environment variable or run config) has an invalid value."""


class PolicyParseError(DsgenError):
    """The policy markdown document cannot be turned into a clause graph."""

    def __init__(self, message: str, *, path: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


class StorageError(DsgenError):
    """Reading from or writing to the DuckDB database failed."""


class EmptyPartitionError(StorageError):
    """An asset produced no rows; writing them would silently erase the partition."""


class MissingUpstreamError(StorageError):
    """An upstream partition has not been materialised yet."""


class LLMError(DsgenError):
    """The LLM layer could not produce what a stage asked for."""


class LLMStageError(LLMError):
    """Too many requests of one stage failed, even after retries."""


class LLMRejectsError(LLMStageError):
    """Too many of a stage's rows still broke a content rule after their re-asks."""
