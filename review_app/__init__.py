"""review_app package."""
