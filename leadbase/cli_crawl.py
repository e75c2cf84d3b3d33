"""`leadbase crawl`: run a spider into the base, resume it, spread it, list jobs.

The crawl runs `scrapy crawl` in a child process (Twisted's reactor runs once per
process) with a job directory for `--resume` and scrapy-redis settings for
`--redis`. The base's URL, which may hold a password, goes in the child's
environment: a `-s` setting would show in `ps` and in Scrapy's settings log line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from leadbase.cli_context import AppContext, pass_app
from leadbase.crawl_targets import MISSING, WebsiteFilters
from leadbase.db import session_scope
from leadbase.enums import Category, CompanyStatus
from leadbase.errors import LeadbaseError

JOBS_DIR = Path("crawl-jobs")
BUILT_IN = ("website", "directory")


def _redis_settings(url: str, name: str) -> list[str]:
    return [
        "SCHEDULER=scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS=scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST=True",
        f"REDIS_URL={url}",
        f"SCHEDULER_QUEUE_KEY=leadbase:{name}:requests",
        f"SCHEDULER_DUPEFILTER_KEY=leadbase:{name}:dupefilter",
        # A worker holding many requests locally starves the others: take few.
        "CONCURRENT_REQUESTS=4",
    ]


def user_agent(contact_url: str) -> str:
    """The crawlers' User-Agent: the product and where a site owner can reach us."""
    from leadbase import __version__

    return f"leadbase/{__version__} (+{contact_url}; lead research; obeys robots.txt)"


def _redis_keys(name: str) -> str:
    return f"leadbase:{name}:*"


def _clear_redis(url: str, name: str) -> None:
    """A fresh shared crawl: forget the queue and seen-set of an earlier one."""
    import redis

    try:
        server = redis.Redis.from_url(url)
        for key in server.scan_iter(_redis_keys(name)):
            server.delete(key)
    except redis.RedisError as exc:
        raise LeadbaseError(f"cannot use Redis at {url}: {exc}") from exc


def _websites_file(app: AppContext, filters: WebsiteFilters) -> Path:
    from dedupe.normalise.addresses import normalise_city
    from leadbase.crawl_targets import select_websites

    region = app.settings.default_region
    with session_scope(app.engine()) as session:
        rows = select_websites(
            session, filters, city_key=lambda city: normalise_city(city, region)
        )
    if not rows:
        raise LeadbaseError(
            "no company in the base has a website and matches the filters; "
            "nothing to crawl"
        )
    with tempfile.NamedTemporaryFile(
        "w", suffix=".txt", prefix="leadbase-sites-", delete=False, encoding="utf-8"
    ) as handle:
        for website, country in rows:
            handle.write(f"{website}\t{country or ''}\n")
    return Path(handle.name)


def _list_jobs(app: AppContext) -> None:
    from leadbase.crawl_jobs import list_jobs, shown_status

    with session_scope(app.engine()) as session:
        jobs = list_jobs(session)
        if not jobs:
            click.echo("No crawl jobs yet.")
        for job in jobs:
            started = job.started_at.strftime("%Y-%m-%d %H:%M")
            ended = job.finished_at.strftime("%H:%M") if job.finished_at else "-"
            click.echo(
                f"#{job.id:<4} {job.spider:<20} {shown_status(job):<11} {started} "
                f"-> {ended}  pages {job.pages}  items {job.items}  "
                f"new leads {job.new_leads}  errors {job.errors}"
            )


def _summary(app: AppContext, name: str, pid: int) -> str:
    """The end line: the job this crawl process wrote and its new leads."""
    from sqlalchemy import select

    from leadbase.crawl_jobs import this_runner
    from leadbase.models import CrawlJob

    host, _ = this_runner()
    with session_scope(app.engine()) as session:
        job = session.scalars(
            select(CrawlJob)
            .where(CrawlJob.pid == pid, CrawlJob.host == host)
            .order_by(CrawlJob.id.desc())
        ).first()
        if job is None:
            return f"Crawl {name} finished"
        return (
            f"Crawl {name} finished: job #{job.id}, {job.pages} pages, {job.items} "
            f"items, {job.new_leads} new leads, {job.errors} errors "
            "(`leadbase crawl --list` shows every job)"
        )


@click.command("crawl")
@click.argument("name", required=False)
@click.option("--list", "list_", is_flag=True, help="Show past crawl jobs and exit.")
@click.option(
    "--resume",
    is_flag=True,
    help="Continue the stopped or killed crawl; with --redis: join the shared crawl.",
)
@click.option("--redis", "redis_url", metavar="URL", help="Share the crawl via Redis.")
@click.option(
    "--urls",
    type=click.Path(exists=True, dir_okay=False),
    help="Sites file (website spider).",
)
@click.option("--city", "cities", multiple=True, help="websites: companies in CITY.")
@click.option(
    "--category",
    "categories",
    multiple=True,
    type=click.Choice([c.value for c in Category]),
    help="websites: companies of category A-E.",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice([s.value for s in CompanyStatus]),
    help="websites: companies with this status.",
)
@click.option(
    "--missing",
    multiple=True,
    type=click.Choice(MISSING),
    help="websites: companies without an email / a phone.",
)
@click.option("--source", help="websites: companies with a record from SOURCE.")
@click.option("--limit", type=click.IntRange(1), help="websites: at most N companies.")
@click.option("--where", hidden=True)  # removed: raw SQL; explained when given
@click.option(
    "--polite/--fast",
    default=True,
    show_default=True,
    help="--fast: no delays (own test sites only).",
)
@click.option(
    "-s", "settings", multiple=True, metavar="NAME=VALUE", help="Extra Scrapy setting."
)
@pass_app
def crawl_command(
    app: AppContext, name: str | None, list_: bool, resume: bool, redis_url: str | None,
    urls: str | None, cities: tuple[str, ...], categories: tuple[str, ...],
    statuses: tuple[str, ...], missing: tuple[str, ...], source: str | None,
    limit: int | None, where: str | None, polite: bool, settings: tuple[str, ...],
) -> None:  # fmt: skip
    """Crawl a directory profile (NAME) or company websites into the base.

    NAME is a profile in spiders/profiles/ (or a .yaml path), `websites` (companies
    in the base with a website, narrowed by --city, --category, --status,
    --missing, --source, --limit) or `website --urls FILE`. With --redis URL the
    first worker starts a shared crawl; more workers join it with --redis URL
    --resume.

    Example: leadbase crawl websites --city Москва --missing email --limit 100
    """
    if list_:
        _list_jobs(app)
        return
    if where is not None:
        raise LeadbaseError(
            "--where (raw SQL) is gone; filter with --city, --category, --status, "
            "--missing email|phone, --source NAME and --limit N"
        )
    filters = WebsiteFilters(
        cities=cities, categories=tuple(Category(c) for c in categories),
        statuses=tuple(CompanyStatus(s) for s in statuses), missing=missing,
        source=source, limit=limit,
    )  # fmt: skip
    if not name:
        from spiders.profiles import list_profiles

        raise LeadbaseError(
            "name a crawl: leadbase crawl NAME (profiles: "
            f"{', '.join(list_profiles()) or 'none'}; or websites), or --list"
        )
    app.engine()  # refuse early on a missing or old schema
    args, spider = _spider_args(app, name, urls, filters)
    extra = [
        f"LEADBASE_DEFAULT_REGION={app.settings.default_region}",
        f"USER_AGENT={user_agent(app.settings.contact_url)}",
        "LEADBASE_CRAWL_ARGS="
        + json.dumps(
            {"name": name, **args, "resume": resume, "redis": redis_url},
        ),
    ]
    if redis_url:  # Redis holds the queue and the seen-set: no job directory
        extra += _redis_settings(redis_url, name)
        if not resume:
            _clear_redis(redis_url, name)
    else:
        jobdir = JOBS_DIR / name.replace("/", "_")
        _refuse_if_running(app, str(jobdir))
        if not resume and jobdir.exists():
            shutil.rmtree(jobdir)
        extra.append(f"JOBDIR={jobdir}")
    if not polite:
        extra += ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False",
                  "CONCURRENT_REQUESTS_PER_DOMAIN=8"]  # fmt: skip
    command = [sys.executable, "-m", "scrapy", "crawl", spider]
    for key, value in args.items():
        command += ["-a", f"{key}={value}"]
    for setting in [*extra, *settings]:
        command += ["-s", setting]
    env = {
        **os.environ,
        "SCRAPY_SETTINGS_MODULE": "spiders.settings",
        "LEADBASE_DATABASE_URL": app.settings.database_url,
    }
    child = subprocess.Popen(command, env=env)
    code = child.wait()
    if code:
        raise LeadbaseError(
            f"the crawl stopped with exit code {code}; see the log above"
        )
    click.echo(_summary(app, name, child.pid))


def _refuse_if_running(app: AppContext, jobdir: str) -> None:
    from leadbase.crawl_jobs import refuse_if_running

    with session_scope(app.engine()) as session:
        refuse_if_running(session, jobdir)


def _spider_args(
    app: AppContext, name: str, urls: str | None, filters: WebsiteFilters
) -> tuple[dict[str, str], str]:
    if name == "websites":
        return {"urls": str(_websites_file(app, filters))}, "website"
    if name == "website":
        if not urls:
            raise LeadbaseError("website needs --urls FILE (one site a line)")
        return {"urls": urls}, "website"
    from spiders.profiles import load_profile

    profile = load_profile(name)  # every problem of the file, named
    return {"profile": str(profile.path)}, "directory"
