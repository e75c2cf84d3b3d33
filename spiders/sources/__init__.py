"""spiders/sources package."""
