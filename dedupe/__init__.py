"""dedupe package."""
