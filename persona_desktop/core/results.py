"""What one run of the analysis produced, and the owner's edits to it.

:class:`Analysis` holds every result of a run (the opened file, segments and
persona cards, customer value, rules, predictions) and a :class:`StepRecord` per step. The
workbook, the report, the charts and the project file read it; the workflow
(:mod:`persona_desktop.core.workflow`) fills it. :class:`SegmentEdit` and
:func:`apply_edits` are the owner's names and notes on persona cards: a change
to the record, saved in the project file but not owned by it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

import pandas as pd

from persona_desktop.core.i18n import Message

if TYPE_CHECKING:
    from persona_desktop.core.predict.run import Prediction
    from persona_desktop.core.rules.run import RulesAnalysis
    from persona_desktop.core.segments.run import SegmentAnalysis
    from persona_desktop.core.table.understand import Inspection
    from persona_desktop.core.value.run import ValueAnalysis

__all__ = ["Analysis", "StepRecord", "SegmentEdit", "apply_edits"]


@dataclass
class StepRecord:
    """One step of the analysis: its name key, time, figures, and why it was skipped (if it was)."""

    key: str
    seconds: float = 0.0
    figures: dict = field(default_factory=dict)
    skipped: Message | None = None

    def to_json(self, lang: str | None = None) -> dict:
        doc = {"step": self.key.removeprefix("step."), "name": Message(self.key).text(lang),
               "seconds": round(self.seconds, 2), **self.figures}
        if self.skipped is not None:
            doc["skipped"] = self.skipped.text(lang)
        return doc


@dataclass
class Analysis:
    """Everything one run of the default pipeline found about a file."""

    source: Path
    inspection: Inspection
    segments: SegmentAnalysis | None = None
    rules: RulesAnalysis | None = None
    churn: Prediction | None = None
    churn_scores: pd.Series | None = None  # probability of churning, by customer key (today's customers)
    value: ValueAnalysis | None = None  # customer value: P(alive), expected orders, predicted value
    prediction: Prediction | None = None  # another target the owner chose (a column, the segments)
    steps: list[StepRecord] = field(default_factory=list)
    options: dict = field(default_factory=dict)
    created: pd.Timestamp = field(default_factory=lambda: pd.Timestamp.now().floor("s"))

    def fork(self) -> "Analysis":
        """A copy to run a step on: the original is untouched until the step succeeds
        (a cancelled or failed step leaves nothing half-done behind)."""
        twin = copy.copy(self)
        twin.steps = list(self.steps)
        twin.options = dict(self.options)
        return twin

    def snapshot(self) -> "Analysis":
        """A copy for a worker thread to read (an export) while the window goes on editing the original:
        the persona cards, whose names and notes the owner edits, are copies; the rest, never edited
        in place, is shared."""
        twin = self.fork()
        if self.segments is not None:
            twin.segments = copy.copy(self.segments)
            twin.segments.personas = [copy.copy(p) for p in self.segments.personas]
        return twin

    @property
    def model(self) -> "Prediction | None":
        """The trained model: churn, or the target the owner chose (a new one replaces the other)."""
        return self.churn if self.churn is not None else self.prediction

    def step(self, key: str) -> StepRecord | None:
        return next((s for s in self.steps if s.key == key), None)

    def to_json(self, lang: str | None = None) -> dict:
        ins = self.inspection
        return {"file": str(self.source), "kind": ins.kind.value, "rows": len(ins.table.data),
                "customers": None if ins.customers is None else len(ins.customers.data),
                "steps": [s.to_json(lang) for s in self.steps],
                "seconds": round(sum(s.seconds for s in self.steps), 2)}


@dataclass
class SegmentEdit:
    """What the owner changed on one persona card."""

    name: str | None = None  # their own name for the segment (shown in every language)
    note: str = ""


def apply_edits(personas, edits: Mapping[int, SegmentEdit]) -> None:
    """Give persona cards the owner's names and notes (by segment id).

    A blank name brings the computed one back. Names stay unique within the
    analysis: a name that another card already shows gets " (2)".
    """
    for persona in personas:
        edit = edits.get(persona.segment)
        if edit is None:
            continue
        persona.own_name = edit.name.strip() if edit.name and edit.name.strip() else None
        persona.note = edit.note
    taken = {name for p in personas if not p.own_name for name in p.name.values()}
    for persona in personas:
        if not persona.own_name:
            continue
        base, count = persona.own_name, 1
        while persona.own_name in taken:
            count += 1
            persona.own_name = f"{base} ({count})"
        taken.add(persona.own_name)
