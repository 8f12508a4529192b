"""Content detectors: one small module per document family, listed in `registry.DETECTORS`."""
