"""Structured outputs through instructor's TOOLS mode, with the per-request work kept small.

instructor's patched `create` rebuilds the response model's tool schema and walks the model for
async validators on every call — milliseconds per request, which on two cores caps a stage well
below what the endpoint could serve. Its mode handlers are the same logic in pieces: we prepare
the tool definition once per response model and call instructor's own parser and re-ask builder
per response, so the structured-output behaviour is instructor's and the overhead is not.
"""

from __future__ import annotations

import json
from typing import Any

import instructor
from instructor.v2.core.errors import ResponseParsingError
from instructor.v2.core.providers import Provider
from instructor.v2.core.registry import mode_registry
from openai._models import construct_type
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError

from dsgen_dagster.llm.types import LLMRequest, PreparedRequest

# What a re-ask can fix: the model answered, but not in the shape the response model wants.
PARSE_ERRORS = (ValidationError, json.JSONDecodeError, ResponseParsingError)


class ReasksExhausted(Exception):
    """Still invalid after every allowed re-ask; the last validation error is the cause."""


class Structured:
    """instructor's TOOLS-mode handlers, with each response model's tool prepared once."""

    def __init__(self) -> None:
        self.handlers = mode_registry.get_handlers(Provider.OPENAI, instructor.Mode.TOOLS)
        self._prepared: dict[type[BaseModel], tuple[Any, dict[str, Any]]] = {}

    def _tool(self, response_model: type[BaseModel]) -> tuple[Any, dict[str, Any]]:
        prepared = self._prepared.get(response_model)
        if prepared is None:
            model, kwargs = self.handlers.request_handler(response_model=response_model, kwargs={})
            kwargs.pop("messages", None)
            prepared = self._prepared[response_model] = (model, kwargs)
        return prepared

    def request_kwargs(self, item: PreparedRequest, params: dict[str, Any]) -> dict[str, Any]:
        """The chat-completions body: model, messages, the forced tool call, parameters."""
        _, tool_kwargs = self._tool(item.request.response_model)
        messages = [{"role": m.role, "content": m.content} for m in item.messages]
        return {"model": item.model, "messages": messages, **tool_kwargs, **params}

    def parse(self, completion: Any, request: LLMRequest) -> BaseModel:
        """The typed response, validated against the request's own context: the response model's
        content rules (`quality.rules.ContentChecked`) read it as `ValidationInfo.context`."""
        model, _ = self._tool(request.response_model)
        parsed = self.handlers.response_parser(
            response=completion,
            response_model=model,
            # instructor v2's handler parameter; it reaches pydantic as `context=`.
            validation_context=request.context,
            strict=None,
            stream=False,
            is_async=True,
        )
        # instructor answers with its own subclass of the model and pins the whole completion on
        # it; the stage gets the exact class it asked for (already validated: no second pass).
        return request.response_model.model_construct(
            _fields_set=parsed.model_fields_set, **parsed.__dict__
        )

    def reask(self, kwargs: dict[str, Any], completion: Any, error: Exception) -> dict[str, Any]:
        return self.handlers.reask_handler(kwargs=kwargs, response=completion, exception=error)


def completion_from(body: bytes | str) -> ChatCompletion:
    """A ChatCompletion from a response body: validated (fast, in pydantic-core) when the server
    sends every field, else built leniently like the openai client does (e.g. no `created`)."""
    try:
        return ChatCompletion.model_validate_json(body)
    except ValidationError:
        return construct_type(type_=ChatCompletion, value=json.loads(body))  # type: ignore[return-value]
