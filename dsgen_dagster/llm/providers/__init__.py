"""LLM providers, one folder each: `offline` (the default) and `openai`."""
