"""Pure policy core: access evaluation and content detection."""
