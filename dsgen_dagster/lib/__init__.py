"""Shared helpers of the stages that are no stage themselves: contexts, vocabulary, the stage
factory."""
