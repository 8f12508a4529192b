"""The explicit table of access evaluators, one per provider."""

from __future__ import annotations

from bucketscan.policies.access import azure, gcs, s3
from bucketscan.policies.access.evaluator import Evaluator

EVALUATORS: dict[str, Evaluator] = {
    "aws": s3.EVALUATOR,
    "gcs": gcs.EVALUATOR,
    "azure": azure.EVALUATOR,
}
