"""`leadbase registry ...`: official open registries as releases and new leads."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from leadbase.audit import Actor
from leadbase.cli_context import AppContext, pass_app, print_json
from leadbase.db import session_scope
from leadbase.errors import ValidationError

if TYPE_CHECKING:
    from enrich.registries.store import ImportSummary
    from enrich.registries.types import Filters

SOURCES = ("rmsp", "revexp", "sshr2019", "ch-basic", "sirene-ul")
SHOWN = 20  # rows of `registry new` printed; --out writes them all


def parse_since(text: str, today: date | None = None) -> date:
    """ "45d", "6w" or an ISO date, as the earliest date wanted.

    Examples:
        parse_since("45d", date(2026, 11, 22)) == date(2026, 10, 8)
    """
    today = today or date.today()
    match = re.fullmatch(r"\s*(\d+)\s*([dw])\s*", text)
    if match:
        days = int(match.group(1)) * (7 if match.group(2) == "w" else 1)
        return today - timedelta(days=days)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            f"--since {text!r} is neither a span like 45d or 6w nor a date YYYY-MM-DD"
        ) from None


def _codes(text: str | None, option: str) -> tuple[str, ...]:
    if not text:
        return ()
    codes = tuple(c.strip() for c in text.split(",") if c.strip())
    bad = [c for c in codes if not re.fullmatch(r"[0-9A-Za-z.]+", c)]
    if bad:
        raise ValidationError(
            f"{option} {text!r}: {bad[0]!r} is not a code, e.g. 62,63"
        )
    return codes


def build_filters(
    okved: str | None, region: str | None, category: str | None, exclude_ip: bool
) -> Filters:
    from enrich.registries.types import Filters

    categories = _codes(category, "--category")
    wrong = [c for c in categories if c not in ("1", "2", "3")]
    if wrong:
        raise ValidationError(
            f"--category {wrong[0]!r}: use 1 (micro), 2 (small) or 3 (medium)"
        )
    regions = frozenset(r.zfill(2) for r in _codes(region, "--region"))
    return Filters(
        okved=_codes(okved, "--okved"),
        regions=regions,
        categories=frozenset(categories),
        exclude_sole_traders=exclude_ip,
    )


def filter_options(func: click.decorators.FC) -> click.decorators.FC:
    for decorator in reversed(
        (
            click.option(
                "--okved", metavar="CODES", help="Activity codes, e.g. 62,63."
            ),
            click.option("--region", metavar="CODES", help="Region codes, e.g. 77,50."),
            click.option(
                "--category",
                metavar="1,2,3",
                help="SME category: 1 micro, 2 small, 3 medium.",
            ),
            click.option(
                "--exclude-ip",
                is_flag=True,
                help="Leave out sole traders (personal data).",
            ),
        )
    ):
        func = decorator(func)
    return func


@click.group("registry")
def registry_command() -> None:
    """Official open registries: ФНС SME register and yearly sets, Companies House,
    SIRENE. Example: leadbase registry import rmsp data-10112026-structure-10062025.zip
    """


@registry_command.command("import")
@click.argument("source", type=click.Choice(SOURCES))
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@filter_options
@click.option(
    "--release-date",
    type=click.DateTime(["%Y-%m-%d"]),
    help="The release's date when the file name does not carry it.",
)
@pass_app
def import_command(
    app: AppContext,
    source: str,
    path: Path,
    okved: str | None,
    region: str | None,
    category: str | None,
    exclude_ip: bool,
    release_date: object,
) -> None:
    """Import one release; the same file twice adds nothing.

    Example: leadbase registry import rmsp data-10112026-structure-10062025.zip
    --okved 62,63 --region 77,50
    """
    from enrich.registries.store import import_release

    filters = build_filters(okved, region, category, exclude_ip)
    on = release_date.date() if release_date is not None else None  # type: ignore[attr-defined]
    with session_scope(app.engine()) as session:
        summary = import_release(
            session,
            source,
            path,
            actor=Actor.cli(),
            filters=filters,
            release_date=on,
            suppression_salt=app.settings.suppression_salt,
        )
    _print_import(summary)


def _print_import(summary: ImportSummary) -> None:
    if summary.already is not None:
        release = summary.already
        click.echo(
            f"{summary.path.name} is {release.register} release "
            f"{release.released_on.isoformat()}, already imported "
            f"({release.rows:,} rows); nothing added"
        )
        return
    report, counts = summary.report, summary.counts
    assert summary.released_on is not None
    click.echo(
        f"Imported {summary.register} release {summary.released_on.isoformat()} "
        f"(structure {summary.structure_version or 'unknown'}): "
        f"{report.documents:,} read, {report.filtered:,} filtered out, "
        f"{report.kept:,} kept: {counts.new:,} new, {counts.changed:,} changed, "
        f"{counts.unchanged:,} unchanged; {counts.raw_stored:,} raw records, "
        f"{counts.signals:,} signals"
    )
    extras = {
        "not published (statutDiffusion P), not imported": report.not_published,
        "not organisations, skipped": report.not_organisations,
        "on the suppression list, skipped": counts.suppressed,
        "repeated in this release, first kept": counts.repeated,
    }
    for label, n in extras.items():
        if n:
            click.echo(f"  {n:,} {label}")
    if report.problem_count:
        click.echo(f"  {report.problem_count:,} values could not be read:")
        for problem in report.problems[:SHOWN]:
            click.echo(f"    {problem.describe()}")
        if report.problem_count > SHOWN:
            click.echo(f"    … and {report.problem_count - SHOWN:,} more")


@registry_command.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the stable JSON object.")
@pass_app
def stats_command(app: AppContext, as_json: bool) -> None:
    """Releases and entities per register.

    Example: leadbase registry stats --json
    """
    from enrich.registries.stats import registry_stats

    with session_scope(app.engine()) as session:
        stats = registry_stats(session)
    if as_json:
        print_json(stats)
        return
    click.echo(
        f"{'register':<12}{'releases':>10}{'entities':>12}{'organisations':>15}"
        f"{'sole traders':>14}{'new':>10}"
    )
    for name, s in stats.items():
        click.echo(
            f"{name:<12}{s['releases']:>10,}{s['entities']:>12,}"
            f"{s['organisations']:>15,}{s['sole_traders']:>14,}{s['new']:>10,}"
        )


@registry_command.command("diff")
@click.argument("source", type=click.Choice(SOURCES))
@click.option("--from", "from_on", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--to", "to_on", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the entities to this CSV file.",
)
@click.option(
    "--include-personal",
    is_flag=True,
    help="Also list sole traders (personal data, 152-FZ); left out by default.",
)
@pass_app
def diff_command(
    app: AppContext,
    source: str,
    from_on: object,
    to_on: object,
    out: Path | None,
    include_personal: bool,
) -> None:
    """New, gone and changed entities between two releases.

    Example: leadbase registry diff rmsp --from 2026-10-10 --to 2026-11-10
    --out diff.csv
    """
    from enrich.registries.diff import diff_releases

    with session_scope(app.engine()) as session:
        result = diff_releases(
            session,
            source,
            from_on.date(),  # type: ignore[attr-defined]
            to_on.date(),  # type: ignore[attr-defined]
            actor=Actor.cli(),
            out=out,
            include_personal=include_personal,
        )
    click.echo(
        f"{source} {result.from_on.isoformat()} → {result.to_on.isoformat()}: "
        f"{result.new:,} new, {result.gone:,} gone, {result.changed:,} changed"
    )
    if result.out is not None:
        left = (
            f"; {result.personal_left_out:,} sole traders left out (personal data, "
            "--include-personal to list them)"
            if result.personal_left_out
            else ""
        )
        click.echo(f"Wrote {result.written:,} rows to {result.out}{left}")


@registry_command.command("new")
@click.argument("source", type=click.Choice(SOURCES), default="rmsp")
@click.option("--since", default="45d", show_default=True, help="45d, 6w or a date.")
@filter_options
@click.option(
    "--include-personal", is_flag=True, help="Also show sole traders (personal data)."
)
@pass_app
def new_command(
    app: AppContext,
    source: str,
    since: str,
    okved: str | None,
    region: str | None,
    category: str | None,
    exclude_ip: bool,
    include_personal: bool,
) -> None:
    """Companies new in a register (flagged new, or first seen) since a date; each
    is a raw record of the source registry:SOURCE, ready for dedupe.

    Example: leadbase registry new rmsp --since 45d --okved 62 --region 77
    """
    from enrich.registries.new import iter_new_entities

    filters = build_filters(okved, region, category, exclude_ip)
    start = parse_since(since)
    found = hidden = 0
    with session_scope(app.engine()) as session:
        for entity in iter_new_entities(session, source, start, filters):
            found += 1
            if entity.is_personal_data and not include_personal:
                hidden += 1
                continue
            if found - hidden <= SHOWN:
                p = entity.payload
                flag = "flag" if entity.is_flagged_new else "first seen"
                click.echo(
                    f"{entity.national_id:<13}{(p.get('name') or '')[:50]:<52}"
                    f"{p.get('registry_region_code') or p.get('country') or '':<4}"
                    f"{p.get('okved') or p.get('industry') or '':<10}"
                    f"{entity.first_seen_on.isoformat()} {flag}"
                )
        # The new companies go through the same matcher as every lead: INN and OGRN
        # block first, so a firm already in the base is linked, not duplicated.
        from dedupe.pipeline import run_dedupe

        summary = run_dedupe(session, actor=Actor.cli())
    shown = found - hidden
    more = f" ({shown - SHOWN:,} more not shown)" if shown > SHOWN else ""
    click.echo(
        f"{found:,} new in {source} since {start.isoformat()}{more}; they are raw "
        f"records of registry:{source}"
        + (
            f"; {hidden:,} sole traders not shown (personal data, --include-personal)"
            if hidden
            else ""
        )
    )
    if summary.run_id is not None:
        click.echo(
            f"Dedupe run {summary.run_id}: {summary.new_records:,} records resolved, "
            f"{summary.auto_merged:,} pairs merged, {summary.review:,} for review"
        )


@registry_command.command("fetch")
@click.argument("source", type=click.Choice(SOURCES))
@click.option(
    "--release", default="latest", show_default=True, help="latest or a date."
)
@click.option("--passport", metavar="URL", help="The data set's page [default: known].")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("registry-data"),
    show_default=True,
)
@click.option(
    "--sha256", "expected", metavar="HEX", help="Expected sha256 of the file."
)
def fetch_command(
    source: str, release: str, passport: str | None, out: Path, expected: str | None
) -> None:
    """Download a release from the data set's passport page, resumably.

    Example: leadbase registry fetch rmsp --release latest --out registry-data
    """
    from enrich.registries.fetch import FetchError, download, find_release_url
    from enrich.registries.sources import get_register

    register = get_register(source)
    page = passport or register.passport
    if page is None:
        raise FetchError(
            f"{source} has no known passport page; pass --passport URL or download "
            "the file yourself"
        )
    url, on = find_release_url(register, page, release)
    click.echo(f"{source} release {on.isoformat()}: {url}")
    result = download(url, out, expected_sha256=expected)
    how = (
        "already downloaded"
        if result.already
        else (
            f"resumed at {result.resumed_from:,} bytes"
            if result.resumed_from
            else "downloaded"
        )
    )
    click.echo(f"{how}: {result.path} ({result.size:,} bytes, sha256 {result.sha256})")
    click.echo(f"Next: leadbase registry import {source} {result.path}")
