"""`spiders.scrapy_compat.wake_engine` still works on the pinned Scrapy.

It calls a private engine method; if a Scrapy upgrade renames or changes it, these
tests fail instead of redis workers quietly idling for 5 s at a time.
"""

from __future__ import annotations

import inspect
import os
import subprocess
import sys

from scrapy.core.engine import ExecutionEngine

from spiders.scrapy_compat import _PULL, wake_engine

# A crawl whose only request reaches the scheduler behind the engine's back (as a
# scrapy-redis queue fills from other workers), with the heartbeat switched off:
# only wake_engine can get it fetched. Without it the child hangs and times out.
CHILD = """
import sys
from scrapy import Request, Spider, signals
from scrapy.core.engine import ExecutionEngine
from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import CloseSpider, DontCloseSpider
from spiders.sample_site import Page, SiteServer
from spiders.scrapy_compat import wake_engine

ExecutionEngine._SLOT_HEARTBEAT_INTERVAL = 3600.0
server = SiteServer({"/late": Page(b"<html>late</html>")}).start()
woken = []

class Late(Spider):
    name = "late"

    async def start(self):
        return
        yield

    def parse(self, response):
        print("FETCHED", response.url, "wakes", len(woken), flush=True)
        raise CloseSpider("done")

def idle(spider):
    raise DontCloseSpider

def opened(spider):
    from twisted.internet import reactor, task  # Scrapy has installed its reactor

    engine = spider.crawler.engine
    def inject():  # straight into the scheduler: the engine is not told
        late = Request(server.url + "/late", dont_filter=True)
        engine.scheduler.enqueue_request(late)
    reactor.callLater(0.3, inject)
    task.LoopingCall(lambda: woken.append(wake_engine(engine))).start(0.2)

process = CrawlerProcess({"LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": False})
crawler = process.create_crawler(Late)
crawler.signals.connect(idle, signals.spider_idle)
crawler.signals.connect(opened, signals.spider_opened)
process.crawl(crawler)
process.start()
server.stop()
"""


def test_the_private_engine_method_is_still_there() -> None:
    method = getattr(ExecutionEngine, _PULL, None)
    assert method is not None, f"Scrapy renamed ExecutionEngine.{_PULL}"
    assert list(inspect.signature(method).parameters) == ["self"]


def test_wake_engine_without_an_engine_does_nothing() -> None:
    assert wake_engine(None) is False


def test_wake_engine_sends_requests_the_engine_was_not_told_about() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "SCRAPY_SETTINGS_MODULE": ""},
    )
    assert result.returncode == 0, result.stderr
    assert "FETCHED http://127.0.0.1:" in result.stdout, result.stderr
