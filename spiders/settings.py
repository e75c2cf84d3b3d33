"""Scrapy settings for the leadbase spiders: polite by default."""

BOT_NAME = "leadbase"
SPIDER_MODULES = ["spiders.sources"]
NEWSPIDER_MODULE = "spiders.sources"

USER_AGENT = "leadbase/0.1 (+lead research; respects robots.txt)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1
AUTOTHROTTLE_ENABLED = True
FEED_EXPORT_ENCODING = "utf-8"
