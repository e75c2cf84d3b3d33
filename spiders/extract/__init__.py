"""Pure extraction functions: pages in, company facts out (no Scrapy, no database)."""
