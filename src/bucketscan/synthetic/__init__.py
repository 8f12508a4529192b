"""Deterministic synthetic corpus: ID-document scans, résumés and hard negatives (fake people)."""
