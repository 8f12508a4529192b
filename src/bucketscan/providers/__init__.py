"""Adapters that talk to cloud SDKs and produce access-fact records."""
