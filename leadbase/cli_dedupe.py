"""`leadbase dedupe`, `leadbase unmerge` and `leadbase export clusters`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from leadbase.audit import Actor
from leadbase.cli_context import AppContext, pass_app, print_json
from leadbase.db import session_scope
from leadbase.errors import LeadbaseError


@contextmanager
def stage_progress(enabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """One rich progress line per dedupe stage, on terminals only; gone when done."""
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TaskID,
        TaskProgressColumn,
        TimeElapsedColumn,
    )

    with Progress(
        SpinnerColumn(),
        "[progress.description]{task.description}",
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        transient=True,
        disable=not (enabled and sys.stderr.isatty()),
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                for task in tasks.values():  # earlier stages are over: full, stopped
                    if not bar.tasks[task].finished:
                        bar.update(task, total=1, completed=1)
                        bar.stop_task(task)
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        yield report


@click.command("dedupe")
@click.option(
    "--full", is_flag=True, help="Re-learn the model and re-resolve every record."
)
@click.option(
    "--train",
    is_flag=True,
    help="Re-learn the model with reviewers' match/distinct decisions, then "
    "re-resolve every record.",
)
@click.option(
    "--settings",
    "settings_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Dedupe settings JSON (thresholds, blocking limits); saved with the run.",
)
@click.option(
    "--explain",
    nargs=2,
    type=int,
    metavar="RECORD_ID OTHER_ID",
    help="Print why two records score what they do, field by field; changes nothing.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_app
def dedupe_command(
    app: AppContext,
    full: bool,
    train: bool,
    settings_path: Path | None,
    explain: tuple[int, int] | None,
    as_json: bool,
) -> None:
    """Merge duplicates: new records against the base (or everything with --full).

    Examples: leadbase dedupe; leadbase dedupe --train;
    leadbase dedupe --explain 120 4711
    """
    from dedupe.explain import explain_pair, format_waterfall
    from dedupe.pipeline import run_dedupe
    from dedupe.settings import DedupeSettings

    settings = None
    if settings_path is not None:
        try:
            settings = DedupeSettings.from_json(json.loads(settings_path.read_text()))
        except (json.JSONDecodeError, TypeError) as error:
            raise LeadbaseError(
                f"{settings_path}: not a settings JSON object ({error})"
            ) from error
    with session_scope(app.engine()) as session:
        if explain:
            click.echo(format_waterfall(explain_pair(session, *explain)))
            return
        say = (lambda _: None) if as_json else click.echo
        with stage_progress(not as_json) as progress:
            summary = run_dedupe(
                session,
                full=full,
                train=train,
                settings=settings,
                actor=Actor.cli(),
                say=say,
                progress=progress,
            )
    if as_json:
        print_json(summary.to_json())
        return
    if summary.run_id is None:
        return
    click.echo(
        f"Dedupe run {summary.run_id} ({summary.kind}): {summary.records:,} records "
        f"({summary.new_records:,} resolved, {summary.normalised:,} normalised)"
    )
    if summary.loaded < summary.records:
        click.echo(
            f"  read {summary.loaded:,} of them: the new records, their neighbours "
            "and those neighbours' companies"
        )
    click.echo(
        f"  candidate pairs {summary.candidate_pairs:,} · "
        f"auto-merged {summary.auto_merged:,} · "
        f"for review {summary.review:,} · kept apart {summary.kept_apart:,} · "
        f"stored {summary.stored_pairs:,}"
    )
    click.echo(
        f"  clusters {summary.clusters:,} · "
        f"companies written {summary.companies_written:,} · "
        f"removed {summary.companies_removed:,}"
    )
    if summary.oversized_blocks:
        blocks = ", ".join(f"{k} {v}" for k, v in summary.oversized_blocks.items())
        click.echo(f"  oversized blocks (paired by name order only): {blocks}")
    if summary.labels:
        agreement = summary.label_agreement
        line = f"  reviewers' labels {summary.labels:,}"
        if "before" in agreement:
            line += f" · previous model agreed with {agreement['before']:.0%}"
        if "after" in agreement:
            line += f" · this run's model agrees with {agreement['after']:.0%}"
        click.echo(line)
    stages = " · ".join(f"{k} {v:.1f}s" for k, v in summary.seconds.items())
    click.echo(f"  time: {stages}")


@click.command("unmerge")
@click.argument("company_id", type=int)
@click.option("--record", "record_id", type=int, help="Take only this record out.")
@pass_app
def unmerge_command(app: AppContext, company_id: int, record_id: int | None) -> None:
    """Undo a company's latest merge exactly, or take one record out of it.

    Example: leadbase unmerge 42 --record 1234
    """
    from dedupe.merges import split_record, undo_merge

    with session_scope(app.engine()) as session:
        if record_id is not None:
            new_id = split_record(session, company_id, record_id, Actor.cli())
            click.echo(
                f"Record {record_id} left company {company_id}; "
                f"it is now company {new_id}."
            )
            return
        result = undo_merge(session, company_id, Actor.cli())
    click.echo(
        f"Undid merge event {result.event_id}: companies "
        f"{', '.join(map(str, result.companies))} "
        "restored as they were."
    )
    if result.kept_edits:
        click.echo(
            "Kept edits made by people after the merge: "
            + ", ".join(sorted(result.kept_edits))
        )
    if result.lost_edits:
        click.echo(
            f"Company {company_id} was made by that merge and is gone, and with it "
            "what people typed on it since (also in the audit log); enter it again "
            "where it belongs:"
        )
        for name, value in sorted(result.lost_edits.items()):
            click.echo(f"  {name}: {value}")


def export_clusters(app: AppContext, out: Path) -> None:
    from dedupe.clusters_export import write_clusters

    with session_scope(app.engine()) as session:
        rows = write_clusters(session, out, actor=Actor.cli())
    click.echo(f"Wrote {rows:,} records with their company to {out}")
