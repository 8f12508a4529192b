"""Combine signals: alert on one strong or two medium ones; confidence by noisy-OR of weights."""

from __future__ import annotations

import math
from collections.abc import Iterable

from bucketscan.records.content import DOCUMENT_TYPES, DocumentType, Evidence, Signal, Strength

WEIGHTS: dict[Strength, float] = {Strength.STRONG: 0.9, Strength.MEDIUM: 0.6, Strength.WEAK: 0.1}


def alerts(signals: Iterable[Signal]) -> bool:
    """The alert rule: at least one strong signal or at least two medium ones."""
    strengths = [signal.strength for signal in signals]
    return Strength.STRONG in strengths or strengths.count(Strength.MEDIUM) >= 2


def confidence(signals: Iterable[Signal]) -> float:
    """Noisy-OR of the signal weights: 1 - Π(1 - w), rounded for stable output."""
    miss = math.prod(1.0 - WEIGHTS[signal.strength] for signal in signals)
    return round(1.0 - miss, 4)


def conclude(
    detector: str, document_type: DocumentType, signals: Iterable[Signal]
) -> Evidence | None:
    """Evidence for `document_type` when the signals meet the alert rule, else None."""
    kept = tuple(signals)
    if not alerts(kept):
        return None
    return Evidence(
        detector=detector,
        category=DOCUMENT_TYPES[document_type],
        document_type=document_type,
        confidence=confidence(kept),
        signals=kept,
    )


def rank(evidence: Evidence) -> tuple[int, int, int, float]:
    """Sort key for competing evidence: strong count, medium count, labels matched (generic
    labels such as 生年月日 fit several documents; the document's own ones pile up), then
    confidence."""
    strengths = [signal.strength for signal in evidence.signals]
    return (
        strengths.count(Strength.STRONG),
        strengths.count(Strength.MEDIUM),
        sum(signal.matches for signal in evidence.signals),
        evidence.confidence,
    )
