"""Spider classes, one module per source (SPIDER_MODULES)."""
