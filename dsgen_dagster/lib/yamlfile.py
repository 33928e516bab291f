"""Read a small YAML file into plain values, keeping the source line of every value.

Configuration files a user writes (catalogues, scenario tables) must fail with the line to fix,
so they are read through `yaml.compose` (nodes carry marks) rather than `yaml.safe_load`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dsgen_dagster.errors import ConfigError


@dataclass(frozen=True)
class Located:
    """A value and the 1-based line it starts on."""

    value: Any
    line: int


def read_yaml(path: Path) -> Located:
    """The document as nested `Located` values: dict[str, Located], list[Located] or scalars."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror}); check the path") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path}{line}: not valid YAML ({problem}); fix the syntax") from None
    if node is None:
        raise ConfigError(f"{path}: the file is empty; give at least one entry")
    return _plain(node)


def _plain(node: yaml.Node) -> Located:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        return Located({str(key.value): _plain(value) for key, value in node.value}, line)
    if isinstance(node, yaml.SequenceNode):
        return Located([_plain(item) for item in node.value], line)
    scalar = yaml.safe_load(yaml.serialize(node)) if node.value != "" else ""
    return Located(scalar, line)
