"""The one place that reaches into Scrapy's private engine API, and why.

A scrapy-redis worker whose own requests are done sits idle until Scrapy's engine
asks the scheduler again, which it does only after a download finishes or on its
heartbeat (every 5 seconds, `ExecutionEngine._SLOT_HEARTBEAT_INTERVAL`). Meanwhile
other workers fill the shared Redis queue. Scrapy 2.19 has no public call that
makes the engine ask the scheduler now: `engine.crawl(request)` needs a request,
and `needs_backout()` only tells whether there is room. So `wake_engine` calls the
private method the heartbeat itself calls. `tests/integration/
test_spiders_scrapy_compat.py` fails if a Scrapy upgrade renames or changes it.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

# The engine method the heartbeat runs: "send every scheduled request there is room
# for, then check for idleness". Private since Scrapy 2.13 (was `_next_request`).
_PULL = "_start_scheduled_requests"
_warned: list[bool] = []


def wake_engine(engine: Any) -> bool:
    """Make the engine take requests from the scheduler now, as its heartbeat would.

    Args:
        engine: `crawler.engine` of a running crawl (None before it starts).

    Returns:
        True when the engine was asked; False when there is no engine, or Scrapy
        no longer has the method (logged once: the crawl then relies on the
        heartbeat, slower but correct).
    """
    if engine is None:
        return False
    pull = getattr(engine, _PULL, None)
    if pull is None:
        if not _warned:
            _warned.append(True)
            logger.warning(
                "Scrapy's engine has no %s(); idle redis workers will wait for the "
                "5 s heartbeat. Update spiders/scrapy_compat.py for this Scrapy.",
                _PULL,
            )
        return False
    pull()  # returns at once when the engine is not open, closing or paused
    return True
