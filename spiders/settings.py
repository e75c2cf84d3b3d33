"""Scrapy settings for the leadbase spiders: polite by default.

Storing into the base is on when the environment variable `LEADBASE_DATABASE_URL`
is set (`leadbase crawl` sets it; spiders.storage says why not a setting). Tests
and benchmarks switch politeness off through their own overrides.
"""

BOT_NAME = "leadbase"
SPIDER_MODULES = ["spiders.sources"]
NEWSPIDER_MODULE = "spiders.sources"

# Names the product and where to read about it; set LEADBASE_CONTACT_URL to yours.
USER_AGENT = (
    "leadbase/0.1 (+https://github.com/leadbase/leadbase; lead research; "
    "respects robots.txt)"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1
DOWNLOAD_TIMEOUT = 30
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
REDIRECT_MAX_TIMES = 5
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
FEED_EXPORT_ENCODING = "utf-8"
# Development: HTTPCACHE_ENABLED=1 replays pages from .scrapy/httpcache.
HTTPCACHE_ENABLED = False
HTTPCACHE_DIR = "httpcache"

SCHEDULER = "spiders.frontier.JournalScheduler"
DOWNLOADER_MIDDLEWARES = {
    "spiders.middlewares.SchemeFilterMiddleware": 50,
    "spiders.middlewares.CrawlDelayMiddleware": 150,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.middlewares.BackoffRetryMiddleware": 550,
    "spiders.middlewares.BlockPageMiddleware": 560,
}
SPIDER_MIDDLEWARES = {"spiders.frontier.FrontierDoneMiddleware": 10}
ITEM_PIPELINES = {
    "spiders.pipelines.SuppressionPipeline": 250,
    "spiders.pipelines.RawRecordPipeline": 300,
}
EXTENSIONS = {
    "spiders.extensions.CrawlProgress": 500,
    "spiders.extensions.RedisIdleGuard": 510,
}
LEADBASE_PROGRESS_INTERVAL = 60.0
LEADBASE_BLOCK_LIMIT = 3
LEADBASE_BLOCK_SLOWDOWN = 5.0
LEADBASE_STORE_BATCH = 50
LEADBASE_STORE_WAIT = 0.2
WEBSITE_MAX_PAGES = 6
WEBSITE_MAX_DEPTH = 2
