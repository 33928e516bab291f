"""The offline provider: deterministic template text composed from the request's context."""
