"""`leadbase import`, `leadbase sources ...` and `leadbase export annotated`."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from leadbase.audit import Actor
from leadbase.cli_context import AppContext, pass_app, print_json
from leadbase.db import session_scope
from leadbase.enums import SourceKind
from leadbase.errors import ValidationError
from leadbase.imports.fields import FIELDS
from leadbase.imports.run import ImportOptions, ImportSummary, import_file
from leadbase.imports.table import ReadOptions

KINDS = ("bought", "crm-export", "manual", "crawl")


def parse_map(pairs: tuple[str, ...]) -> dict[str, str]:
    """--map COLUMN=field options as a dict, or one clear error."""
    mapping = {}
    for pair in pairs:
        column, sep, name = pair.rpartition("=")
        if not sep or not column.strip() or not name.strip():
            raise ValidationError(
                f"--map {pair!r} is not COLUMN=field, e.g. --map 'Тел. моб.=phone'"
            )
        mapping[column.strip()] = name.strip()
    return mapping


@contextmanager
def progress_bar(path: Path) -> Iterator[Callable[[int], None]]:
    """A rich progress bar over the file's bytes (CSV) or rows (XLSX), on terminals."""
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TimeRemainingColumn,
    )

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        transient=True,
        disable=not sys.stderr.isatty(),
    ) as bar:
        total = path.stat().st_size if path.suffix.lower() != ".xlsx" else None
        task = bar.add_task(f"importing {path.name}", total=total)
        yield lambda done: bar.update(task, completed=done)


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source", required=True, help="Name of the source (created if new).")
@click.option("--kind", type=click.Choice(KINDS), default="bought", show_default=True)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="COLUMN=field",
    help=f"Map a column to a field; repeatable. Fields: {', '.join(FIELDS)}.",
)
@click.option("--sheet", help="XLSX sheet to read [default: the first].")
@click.option("--encoding", help="Text encoding [default: detected].")
@click.option(
    "--delimiter", help="CSV delimiter, e.g. ';' or '\\t' [default: sniffed]."
)
@click.option(
    "--region",
    default="RU",
    show_default=True,
    help="Country of phones and addresses without one (ISO code).",
)
@click.option("--key-column", help="Column whose value identifies a row across files.")
@click.option("--vendor", help="Who sold or gave the list (provenance, 152-FZ).")
@click.option("--terms", help="On what terms it was obtained (licence, consent).")
@click.option(
    "--trust",
    type=click.IntRange(0, 100),
    default=None,
    help="How much to trust this source, 0-100 [default by kind].",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show mapping, first rows and problems; write nothing.",
)
@pass_app
def import_command(
    app: AppContext,
    path: Path,
    source: str,
    kind: str,
    maps: tuple[str, ...],
    sheet: str | None,
    encoding: str | None,
    delimiter: str | None,
    region: str,
    key_column: str | None,
    vendor: str | None,
    terms: str | None,
    trust: int | None,
    dry_run: bool,
) -> None:
    """Import a CSV/TSV/TXT/XLSX/JSONL list as raw records, all or nothing.

    Example: leadbase import base.xlsx --source "bought-2026-10" --vendor "ООО Базы"
    """
    source_kind = SourceKind(kind)
    options = ImportOptions(
        source=source,
        kind=source_kind,
        read=ReadOptions(sheet, encoding, delimiter, parse_map(maps), key_column),
        region=region.upper(),
        vendor=vendor,
        terms=terms,
        trust=trust if trust is not None else DEFAULT_TRUST[source_kind],
    )
    with session_scope(app.engine()) as session, progress_bar(path) as progress:
        summary = import_file(
            session,
            path,
            options,
            actor=Actor.cli(),
            dry_run=dry_run,
            progress=progress,
        )
        if dry_run:
            session.rollback()
    print_summary(summary, source, dry_run)


DEFAULT_TRUST = {
    SourceKind.BOUGHT: 30,
    SourceKind.CRM_EXPORT: 60,
    SourceKind.MANUAL: 70,
    SourceKind.CRAWL: 40,
}


def print_summary(summary: ImportSummary, source: str, dry_run: bool) -> None:
    if summary.already is not None:
        done = summary.already.started_at.strftime("%Y-%m-%d %H:%M")
        outcome = "a real import would add nothing" if dry_run else "nothing added"
        click.echo(
            f"{summary.path.name} was already imported on {done} UTC "
            f"(import #{summary.already.id}); {outcome}"
        )
        if not dry_run:
            return
    table = summary.table
    assert table is not None
    detected = [table.file_format]
    if table.encoding:
        detected.append(f"encoding {table.encoding}")
    if table.delimiter:
        detected.append(f"delimiter {table.delimiter!r}")
    if table.sheet:
        detected.append(f"sheet {table.sheet!r}")
    rows = ", ".join(map(str, table.header.rows)) or "-"
    click.echo(f"{summary.path.name}: {', '.join(detected)}; header row(s) {rows}")
    if table.other_sheets:
        click.echo(
            f"  other sheets not read: {', '.join(table.other_sheets)} (use --sheet)"
        )
    for name, columns in table.mapping.items():
        click.echo(f"  {name:<13} <- {', '.join(columns)}")
    if table.unmapped:
        click.echo(f"  kept, not mapped: {', '.join(table.unmapped)}")
    if dry_run:
        click.echo("First rows as they will be read:")
        for row in summary.preview:
            shown = {k: v for k, v in row.items() if v}
            click.echo(f"  {shown}")
    _print_problems(summary)
    multi = sum(summary.multi_value_cells.values())
    good = summary.rows_read - summary.quarantined
    done = f"would import {good}" if dry_run else f"imported {summary.imported}"
    counts = [
        f"read {summary.rows_read}",
        done,
        f"quarantined {summary.quarantined}",
        f"duplicate rows in the file {summary.duplicates}",
        f"already known {summary.known}",
        f"cells with several values {multi}",
    ]
    if summary.short_rows:
        counts.append(f"short rows padded {summary.short_rows}")
    click.echo(", ".join(counts))
    if dry_run:
        click.echo("Dry run: nothing was written.")
    elif summary.already is None:
        click.echo(
            f"Import #{summary.import_id} into {source!r} done. "
            f"Undo with: leadbase sources remove {shlex.quote(source)}"
        )


def _print_problems(summary: ImportSummary, limit: int = 50) -> None:
    for problem in summary.problems[:limit]:
        column = f", column {problem.column!r}" if problem.column else ""
        click.echo(
            f"  {summary.path.name}, row {problem.row}{column}: {problem.reason}"
        )
    if len(summary.problems) > limit:
        click.echo(f"  … and {len(summary.problems) - limit} more problems")


@click.group("sources")
def sources_command() -> None:
    """List sources, or remove one with everything derived only from it."""


@sources_command.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def sources_list(app: AppContext, as_json: bool) -> None:
    """List sources. Example: leadbase sources list"""
    from leadbase.sources import list_sources

    with session_scope(app.engine()) as session:
        rows = list_sources(session)
    if as_json:
        print_json(rows)
        return
    click.echo(
        f"{'source':<32}{'kind':<12}{'trust':>6}{'raw records':>13}"
        f"{'imports':>9}  vendor"
    )
    for r in rows:
        click.echo(
            f"{r['name']:<32}{r['kind']:<12}{r['trust']:>6}{r['raw_records']:>13,}"
            f"{r['imports']:>9}  {r['vendor'] or ''}"
        )


@sources_command.command("remove")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_app
def sources_remove(app: AppContext, name: str, yes: bool) -> None:
    """Take a source out: its raw records, imports and companies built only from it.

    Example: leadbase sources remove bought-2026-10 --yes
    """
    from leadbase.sources import remove_source

    engine = app.engine()
    if not yes and sys.stdin.isatty():
        click.confirm(
            f"Remove source {name!r} and everything derived only from it?", abort=True
        )
    with session_scope(engine) as session:
        removal = remove_source(session, name, actor=Actor.cli())
    click.echo(
        f"Removed {name!r}: {removal.raw_records} raw records, "
        f"{removal.imports} imports, "
        f"{removal.companies_removed} companies; kept {removal.companies_kept_edited} "
        f"edited by people; {removal.companies_to_rebuild} also fed by other sources "
        "(rebuilt by the next leadbase dedupe)"
    )


@click.group("export")
def export_command() -> None:
    """Export the base or parts of it to files."""


@export_command.command("annotated")
@click.option("--source", required=True, help="The source (import) to give back.")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output .csv or .xlsx.",
)
@click.option(
    "--include-personal",
    is_flag=True,
    help="Crawled sources: keep the persons column (named people, personal data).",
)
@pass_app
def export_annotated_command(
    app: AppContext, source: str, out: Path, include_personal: bool
) -> None:
    """The imported rows with company id, "duplicate of" and status added.

    Example: leadbase export annotated --source bought-2026-10 --out checked.xlsx
    """
    from leadbase.exports.annotated import export_annotated

    with session_scope(app.engine()) as session:
        rows = export_annotated(
            session, source, out, actor=Actor.cli(), include_personal=include_personal
        )
    click.echo(f"Wrote {rows} rows of {source!r} to {out}")


@export_command.command("clusters")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output .csv or .xlsx.",
)
@pass_app
def export_clusters_command(app: AppContext, out: Path) -> None:
    """Every raw record with its source, key and company id.

    Example: leadbase export clusters --out clusters.csv
    """
    from leadbase.cli_dedupe import export_clusters

    export_clusters(app, out)
