"""Validation, A-E categories, segments and registry signals for golden records."""
