"""Prompt templates: one Jinja2 file per LLM stage in `prompts/`, rendered in a sandbox.

A template defines two blocks, `system` and `user`. Its content hash versions the stage: it goes
into the asset's code_version and the manifest, so editing a prompt marks its partitions stale.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment

from dsgen_dagster.errors import ConfigError
from dsgen_dagster.llm.types import ChatMessage

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"


def template_path(name: str) -> Path:
    return PROMPTS_DIR / f"{name}.jinja2"


@lru_cache(maxsize=64)
def template_source(name: str) -> str:
    path = template_path(name)
    if not path.is_file():
        raise ConfigError(f"prompt template {str(path)!r} is missing; every LLM stage needs one")
    return path.read_text(encoding="utf-8")


def template_hash(name: str) -> str:
    """First 12 hex digits of the template file's SHA-256."""
    return hashlib.sha256(template_source(name).encode("utf-8")).hexdigest()[:12]


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False
    )
    return env


@lru_cache(maxsize=64)
def compiled_template(source: str) -> Template:
    """Compiling costs ~2.5 ms; keyed by the source text, so an edited template recompiles."""
    return environment().from_string(source)


def render_messages(name: str, context: dict[str, Any]) -> tuple[ChatMessage, ...]:
    template = compiled_template(template_source(name))
    messages = []
    for role in ("system", "user"):
        block = template.blocks.get(role)
        if block is None:
            raise ConfigError(f"prompt template {name!r} has no {{% block {role} %}}")
        text = "".join(block(template.new_context(dict(context)))).strip()
        messages.append(ChatMessage(role=role, content=text))  # type: ignore[arg-type]
    return tuple(messages)
