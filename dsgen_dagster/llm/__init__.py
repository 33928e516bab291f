"""The `llm` resource and what it needs: prompts, providers, cache, prices, progress."""
