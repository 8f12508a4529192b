"""Records shared by providers, policies and the scanner."""
