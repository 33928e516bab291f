"""Prompt templates: one Jinja2 file per LLM stage, `defs/<stage>/prompt.jinja2`, shipped as package
data and rendered in a sandbox.

A template defines two blocks, `system` and `user`. Its content hash versions the stage: it goes
into the asset's code_version and the manifest, so editing a prompt marks its partitions stale.
Templates are read with `importlib.resources`, so an installed wheel finds them as a checkout does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from jinja2 import StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, ConfigDict

from dsgen_dagster.errors import ConfigError

TEMPLATE_FILE = "prompt.jinja2"
ROLES = ("system", "user")


class ChatMessage(BaseModel):
    model_config = ConfigDict(frozen=True)

    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class PromptTemplate:
    """A stage's template: where it comes from and its source text."""

    name: str  # the stage it prompts, as the manifest and the logs name it
    source: str = field(repr=False)

    @classmethod
    def from_package(cls, package: str, name: str, filename: str = TEMPLATE_FILE) -> PromptTemplate:
        """The template `filename` shipped inside `package` (a stage's own folder)."""
        try:
            source = read_source(package, filename)
        except FileNotFoundError:
            raise ConfigError(
                f"prompt template {filename} is missing from package {package}; every LLM stage "
                "ships one beside its spec (reinstall the package, or add the file)"
            ) from None
        return cls(name=name, source=source)

    @property
    def hash(self) -> str:
        """First 12 hex digits of the template's SHA-256."""
        return hashlib.sha256(self.source.encode("utf-8")).hexdigest()[:12]

    def render(self, context: dict[str, Any]) -> tuple[ChatMessage, ...]:
        template = compiled_template(self.source)
        messages = []
        for role in ROLES:
            block = template.blocks.get(role)
            if block is None:
                raise ConfigError(f"prompt template {self.name!r} has no {{% block {role} %}}")
            text = "".join(block(template.new_context(dict(context)))).strip()
            messages.append(ChatMessage(role=role, content=text))  # type: ignore[arg-type]
        return tuple(messages)


def read_source(package: str, filename: str) -> str:
    """A template file's text, from the installed package (a checkout or a wheel alike)."""
    return resources.files(package).joinpath(filename).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False
    )


@lru_cache(maxsize=64)
def compiled_template(source: str) -> Template:
    """Compiling costs ~2.5 ms; keyed by the source text, so an edited template recompiles."""
    return environment().from_string(source)
