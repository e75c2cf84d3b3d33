"""dedupe/normalise package."""
