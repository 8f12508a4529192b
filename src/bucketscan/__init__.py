"""bucketscan: find world-readable cloud storage and the ID scans and résumés inside it."""

__version__ = "0.1.0"
