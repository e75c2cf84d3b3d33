"""The `leadbase` command line: a click group with a global --db option.

Library code raises `LeadbaseError`; only this module turns it into one `Error: ...`
line and exit code 1. Stage packages are imported inside commands so `leadbase
--help` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from leadbase import __version__
from leadbase.audit import Actor
from leadbase.cli_context import (
    AppContext,
    LeadbaseGroup,
    pass_app,
    print_json,
    prompt,
    prompt_password,
)
from leadbase.cli_crawl import crawl_command
from leadbase.cli_dedupe import dedupe_command, unmerge_command
from leadbase.cli_import import export_command, import_command, sources_command
from leadbase.cli_registry import registry_command
from leadbase.cli_review import review_command
from leadbase.cli_users import users_command
from leadbase.config import load_settings
from leadbase.db import safe_url, session_scope, upgrade_schema
from leadbase.errors import LeadbaseError


@click.group(cls=LeadbaseGroup)
@click.option(
    "--db",
    "database_url",
    metavar="URL",
    help="Database URL [default: sqlite:///leadbase.db; env LEADBASE_DATABASE_URL].",
)
@click.version_option(__version__, prog_name="leadbase")
@click.pass_context
def cli(ctx: click.Context, database_url: str | None) -> None:
    """leadbase: crawl, import, normalise, deduplicate, review and export B2B leads.

    Example: leadbase --db postgresql+psycopg://127.0.0.1:5432/test stats --json
    """
    try:
        settings = load_settings(database_url=database_url)
    except LeadbaseError as exc:
        raise click.ClickException(str(exc)) from exc
    ctx.obj = AppContext(settings)
    ctx.call_on_close(ctx.obj.close)


@cli.command("init")
@click.option("--admin-user", metavar="NAME", help="First admin's user name.")
@click.option(
    "--admin-password",
    metavar="PW",
    envvar="LEADBASE_ADMIN_PASSWORD",
    help="First admin's password [env LEADBASE_ADMIN_PASSWORD]; prompted if absent.",
)
@pass_app
def init_command(
    app: AppContext, admin_user: str | None, admin_password: str | None
) -> None:
    """Create or upgrade the schema and create the first admin. Safe to run again.

    Example: leadbase init --admin-user admin --admin-password 's3cret-pass'
    """
    from leadbase.auth import add_user, find_user
    from leadbase.enums import Role
    from leadbase.models import User

    engine = app.engine(create=True)
    before, after = upgrade_schema(engine)
    where = safe_url(engine.url)
    if before == after:
        click.echo(f"Schema is up to date ({after}) in {where}")
    else:
        done = f"upgraded from {before} to" if before else "created at"
        click.echo(f"Schema {done} {after} in {where}")
    with session_scope(engine) as session:
        admins = session.query(User).filter(User.role == Role.ADMIN).count()
        if admin_user and find_user(session, admin_user) is not None:
            click.echo(f"User {admin_user!r} exists; left unchanged")
            return
        if admins and not admin_user:
            click.echo(f"{admins} admin user(s) exist; none created")
            return
        name = admin_user or prompt("Admin user name", default="admin")
        password = admin_password or prompt_password(f"Password for {name}")
        add_user(session, name, password, Role.ADMIN, actor=Actor.cli())
        click.echo(f"Admin user {name!r} created")


@cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the stable JSON object.")
@pass_app
def stats_command(app: AppContext, as_json: bool) -> None:
    """Counts of sources, raw records, companies, contacts and pending pairs.

    Example: leadbase stats --json
    """
    from leadbase.stats import collect_stats

    with session_scope(app.engine()) as session:
        stats = collect_stats(session)
    if as_json:
        print_json(stats)
        return
    for key in ("sources", "raw_records", "records", "companies", "contacts"):
        click.echo(f"{key.replace('_', ' '):<16}{stats[key]:>10,}")
    click.echo(f"{'pending pairs':<16}{stats['pending_pairs']:>10,}")
    for name, n in stats["raw_records_by_source"].items():
        click.echo(f"  source {name:<30}{n:>10,}")
    status = ", ".join(f"{k} {v}" for k, v in stats["companies_by_status"].items())
    click.echo(f"companies by status: {status}")
    category = ", ".join(f"{k} {v}" for k, v in stats["companies_by_category"].items())
    click.echo(f"companies by category: {category}")


@cli.command("sample")
@click.option("--companies", type=click.IntRange(1), default=300, show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option("--load", is_flag=True, help="Also store the rows as raw records.")
@pass_app
def sample_command(
    app: AppContext, companies: int, out: Path, seed: int, load: bool
) -> None:
    """Write realistic Russian B2B sample data with a truth file.

    Three sources (a crawled directory as JSON Lines, a bought list as XLSX, a CRM
    export as cp1251 CSV) describe overlapping companies with noise; truth.csv maps
    every row to its real company.

    Example: leadbase sample --companies 1000 --out demo-data --load
    """
    from leadbase.sample import write_sample
    from leadbase.sample_loader import load_sample

    summary = write_sample(out, companies, seed)
    rows = ", ".join(f"{k} {v}" for k, v in summary.rows_by_source.items())
    click.echo(f"Wrote {companies} companies to {out}/ ({rows} rows) and truth.csv")
    if load:
        with session_scope(app.engine()) as session:
            results = load_sample(session, companies, seed, actor=Actor.cli())
        for name, result in results.items():
            click.echo(
                f"Loaded {name}: {result.stored} new raw records, "
                f"{result.already_known} already known"
            )


cli.add_command(users_command)
cli.add_command(review_command)
cli.add_command(import_command)
cli.add_command(sources_command)
cli.add_command(export_command)
cli.add_command(dedupe_command)
cli.add_command(unmerge_command)
cli.add_command(registry_command)
cli.add_command(crawl_command)
