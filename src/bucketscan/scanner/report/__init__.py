"""Report writers: one small writer per format over the neutral scan records."""
