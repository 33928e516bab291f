"""Wall time of a batch as its own run recorded it: STEP_START / STEP_SUCCESS events.

The stage reports time only LLM generation; a reader of the manifest asks how long the batch took.
Both come from the instance's event log of this run, the same events the UI's timeline draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import dagster as dg

STEP_EVENTS = {dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS}


@dataclass
class RunTimings:
    started: dict[str, float] = field(default_factory=dict)  # step key -> first STEP_START
    succeeded: dict[str, float] = field(default_factory=dict)  # step key -> last STEP_SUCCESS

    def step_seconds(self) -> dict[str, float]:
        """Each step that ran and succeeded in this run, start to success (retries included)."""
        return {
            step: round(self.succeeded[step] - start, 3)
            for step, start in sorted(self.started.items())
            if step in self.succeeded
        }

    def batch_seconds(self, until: float) -> float:
        """From the run's first step to `until` (the publish step's time of writing)."""
        return round(until - min(self.started.values()), 3) if self.started else 0.0


def run_timings(instance: dg.DagsterInstance, run_id: str) -> RunTimings:
    timings = RunTimings()
    for entry in instance.all_logs(run_id, of_type=STEP_EVENTS):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type == dg.DagsterEventType.STEP_START:
            timings.started.setdefault(event.step_key, entry.timestamp)
        else:
            timings.succeeded[event.step_key] = entry.timestamp
    return timings
