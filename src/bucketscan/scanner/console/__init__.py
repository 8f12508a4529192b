"""What the terminal shows: the scan summary, live progress bars and --verbose lines."""
