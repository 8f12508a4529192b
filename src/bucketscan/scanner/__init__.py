"""The scan engine, the CLI and the report writers."""
