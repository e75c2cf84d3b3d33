"""Normalisation, blocking, scoring, clustering and golden records."""
