"""Normalisers: pure `str | None -> str | None` functions, never raising on text."""
