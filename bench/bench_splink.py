"""Peer comparison: Splink 5 (DuckDB) and leadbase's engine on one file, side by side.

One JSON Lines file is built from the sample generator (normalised records from
bench_dedupe.sample_records plus each record's true entity, which neither system
sees). Each system runs in its own process on that file: Splink in a separate venv
made here (never a project dependency), leadbase's engine in this venv. Both cluster
at match probability 0.95 and keep pairs from 0.3 up (our review band's lower edge).
Printed side by side: run time, process CPU, peak RSS, pairwise and B-cubed accuracy.

`--hub N` adds the stress of a shared value: N records of unrelated companies get one
business centre's switchboard phone and one holding's website domain.

Usage:
    .venv/bin/python bench/bench_splink.py          # smoke: 11,522 records, ≈ 1 min
    .venv/bin/python bench/bench_splink.py --companies 694000   # 1,004,149 records
    .venv/bin/python bench/bench_splink.py --companies 694000 --hub 400
The first run of a size normalises the sample into --workdir (1M: ≈ 5 min on two
cores); a 1M run then takes ≈ 25 s for each system (2026-11-23, load 3-5).
Splink's model is meant to be what a careful user would build from Splink's docs
without labels (run_splink says which choices and why; bench/RESULTS.md has the
figures of the earlier, weaker model it replaced).
Each run is killed past --timeout or --max-rss-gb, so a blow-up is reported, not
suffered by everyone on the machine. `--only splink|leadbase` runs one system.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dedupe.evaluate import Accuracy
    from dedupe.frame import RecordRow

# The newest Splink 5 on PyPI; never in pyproject.toml.
SPLINK_REQUIREMENT = "splink>=5,<6"
AUTO_MERGE = 0.95  # both systems cluster at this match probability
REVIEW_LOWER = 0.3  # pairs kept by both: leadbase's default review-band lower edge
# Splink blocks on the name within a street (the address key up to the house
# number), not within a city: name + city gives 112M pairs at 1M records (1,505
# "orentir" in Moscow) and Splink's EM on it passed 18 GB before it was stopped;
# the street gives 0.3M pairs. Cost: 0.8 % of true pairs (measured at 11.5k
# records) that only name + city finds.
STREET = "regexp_replace(address_key, ' [a-z]+[0-9].*$', '')"
# Splink's m for a level EM never observed among matches (its LEVEL_NOT_OBSERVED
# value in ComparisonLevel.m_probability); used for "another city".
SPLINK_UNOBSERVED_M = 1e-6
HUB_PHONE = "+74957700000"
HUB_DOMAIN = "holding-group.ru"

# Columns of the shared file: what both systems read, then the truth, which only
# this parent process reads.
INPUT_COLUMNS = {
    "unique_id": "BIGINT",
    "name_key": "VARCHAR",
    "legal_form": "VARCHAR",
    "inn": "VARCHAR",
    "ogrn": "VARCHAR",
    "kpp": "VARCHAR",
    "phones": "VARCHAR[]",
    "emails": "VARCHAR[]",
    "email_domain": "VARCHAR",
    "domain": "VARCHAR",
    "city": "VARCHAR",
    "region": "VARCHAR",
    "postcode": "VARCHAR",
    "address_key": "VARCHAR",
}
TRUTH_COLUMNS = {"true_id": "VARCHAR", "is_hub": "BOOLEAN"}


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class _Laps:
    """Wall seconds per stage, as the engine's `Resolution.seconds` keeps them."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._clock = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = round(now - self._clock, 2)
        self._clock = now
        _log(f"  {stage} {self.seconds[stage]:.1f} s")


# --- the shared input file -------------------------------------------------------


def build_input(companies: int, hub: int, workdir: Path) -> Path:
    """Write (once) the file both systems read; returns its path."""
    path = workdir / f"splink-{companies}-hub{hub}.jsonl"
    if path.exists():
        return path
    import orjson
    from bench_dedupe import sample_records

    records, truth = sample_records(companies, workdir)
    hub_rows = _hub_rows(truth, hub)
    partial = path.with_suffix(".partial")
    with partial.open("wb") as handle:
        for row, (record, true_id) in enumerate(zip(records, truth, strict=True)):
            is_hub = row in hub_rows
            if is_hub:
                record = _on_hub(record)
            line = {**_input_fields(record), "true_id": true_id, "is_hub": is_hub}
            handle.write(orjson.dumps(line) + b"\n")
    partial.rename(path)  # a killed run leaves no half-written file to reuse
    return path


def _hub_rows(truth: Sequence[str], hub: int) -> set[int]:
    """Rows of `hub` different true entities (one row each), chosen reproducibly."""
    first_row: dict[str, int] = {}
    for row, entity in enumerate(truth):
        first_row.setdefault(entity, row)
    if hub > len(first_row):
        raise SystemExit(f"--hub {hub}: the sample has only {len(first_row)} entities")
    return set(random.Random(5).sample(sorted(first_row.values()), hub))


def _on_hub(record: RecordRow) -> RecordRow:
    # The switchboard comes first so the engine's four-phone limit keeps it.
    phones = (HUB_PHONE, *(p for p in record.phones if p != HUB_PHONE))
    return dataclasses.replace(record, phones=phones, domain=HUB_DOMAIN)


def _input_fields(record: RecordRow) -> dict[str, Any]:
    from dedupe.frame import corporate_domain

    # Splink's null level needs NULL, not an empty list, for "no phones".
    domains = [d for d in map(corporate_domain, record.emails) if d]
    return {
        "unique_id": record.id,
        "name_key": record.name_key,
        "legal_form": record.legal_form,
        "inn": record.inn,
        "ogrn": record.ogrn,
        "kpp": record.kpp,
        "phones": list(record.phones) or None,
        "emails": list(record.emails) or None,
        "email_domain": domains[0] if domains else None,
        "domain": record.domain,
        "city": record.city,
        "region": record.region,
        "postcode": record.postcode,
        "address_key": record.address_key,
    }


# --- Splink, run under the separate venv --------------------------------------------


def ensure_splink_venv(venv: Path) -> Path:
    """Create the separate venv with Splink 5 once; returns its python."""
    python = venv / "bin" / "python"
    probe = [
        str(python),
        "-c",
        "import splink, sys; sys.exit(splink.__version__[0] != '5')",
    ]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    _log(f"creating {venv} with {SPLINK_REQUIREMENT} (once)")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, SPLINK_REQUIREMENT], check=True)
    return python


def run_splink(source: Path, out: Path, u_pairs: float) -> dict[str, Any]:
    """Train, predict and cluster with Splink 5 on DuckDB; write labels to `out`.

    Splink's documented recipe, with the fixes its own diagnostics point to (see
    bench/RESULTS.md, "Splink configuration, round 2"): a prior from deterministic
    rules, u by random sampling, m by EM; term-frequency adjustment on the name,
    the city and the domains (free-mail domains are already dropped). A head
    office and its branches share INN, name and domain and differ in place; four
    choices keep them apart, as Splink's advice on correlated columns and on
    training blocks suggests:
    - INN and name are one comparison ("identity"), as Splink's
      ForenameSurnameComparison joins correlated name parts; so are the website
      and the corporate email domain ("web"): each pair states one fact, which
      two independent comparisons would count twice;
    - EM trains under INN within a city and under an identical phone list, blocks
      that admit no branch, so EM does not learn branches as matches;
    - no duplicate in those blocks lies in another city, so EM cannot train that
      level ("not observed"); its m is set to the value Splink itself gives an
      unobserved level during EM (1e-6) rather than Splink's fallback default.
    """
    import logging

    # Installed only in the separate venv; both ignores keep mypy quiet in either.
    import duckdb  # type: ignore[import-not-found, unused-ignore]
    import splink  # type: ignore[import-not-found, unused-ignore]
    import splink.comparison_level_library as cll  # type: ignore[import-not-found, unused-ignore]
    import splink.comparison_library as cl  # type: ignore[import-not-found, unused-ignore]
    from splink import (  # type: ignore[import-not-found, unused-ignore]
        DuckDBAPI,
        Linker,
        SettingsCreator,
        block_on,
    )

    laps = _Laps()
    db_api = DuckDBAPI()
    con = db_api.duckdb_con
    columns = {**INPUT_COLUMNS, **TRUTH_COLUMNS}
    con.execute(
        f"create table records as select {', '.join(INPUT_COLUMNS)} from read_json("
        f"{_sql_text(str(source))}, format = 'newline_delimited', "
        f"columns = {_sql_struct(columns)})"
    )
    records = db_api.register("records")
    laps.lap("load")
    web = cl.CustomComparison(
        output_column_name="web",
        comparison_levels=[
            cll.And(cll.NullLevel("domain"), cll.NullLevel("email_domain")),
            cll.ExactMatchLevel("domain").configure(tf_adjustment_column="domain"),
            cll.ExactMatchLevel("email_domain").configure(
                tf_adjustment_column="email_domain"
            ),
            cll.ElseLevel(),
        ],
    )
    place = cl.CustomComparison(
        output_column_name="place",
        comparison_levels=[
            cll.NullLevel("city"),
            cll.ExactMatchLevel("city").configure(tf_adjustment_column="city"),
            cll.ElseLevel().configure(
                m_probability=SPLINK_UNOBSERVED_M, fix_m_probability=True
            ),
        ],
    )
    identity = cl.CustomComparison(
        output_column_name="identity",
        comparison_levels=[
            cll.And(cll.NullLevel("inn"), cll.NullLevel("name_key")),
            cll.And(cll.ExactMatchLevel("inn"), cll.JaroWinklerLevel("name_key", 0.92)),
            cll.ExactMatchLevel("inn"),
            cll.ExactMatchLevel("name_key").configure(tf_adjustment_column="name_key"),
            cll.JaroWinklerLevel("name_key", 0.92),
            cll.JaroWinklerLevel("name_key", 0.8),
            cll.ElseLevel(),
        ],
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        # No OGRN comparison: it names the same organisation as the INN, and Splink
        # multiplies the evidence of correlated columns (it blocks on OGRN, though).
        comparisons=[
            identity,
            cl.ExactMatch("legal_form"),
            cl.ExactMatch("kpp"),
            cl.ArrayIntersectAtSizes("phones", [1]),
            cl.ArrayIntersectAtSizes("emails", [1]),
            web,
            place,
            cl.ExactMatch("postcode"),
            cl.JaroWinklerAtThresholds("address_key", [0.95, 0.85]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("inn"),
            block_on("ogrn"),
            block_on("phones", arrays_to_explode=["phones"]),
            block_on("emails", arrays_to_explode=["emails"]),
            block_on("domain"),
            block_on("email_domain"),
            block_on("name_key", STREET),
            block_on("address_key"),
        ],
        retain_matching_columns=False,
    )
    linker = Linker(records, settings, log_level=logging.WARNING)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("inn", "city"), block_on("name_key", "address_key")], recall=0.7
    )
    training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=1)
    # Each session trains every comparison its block does not use: INN within a
    # city trains all but identity and place, the phone list trains those two.
    # (Name within a street, the earlier second block, holds many unrelated
    # namesakes at 1M records; EM learned from it that most matches differ in INN.)
    training.estimate_parameters_using_expectation_maximisation(block_on("inn", "city"))
    training.estimate_parameters_using_expectation_maximisation(block_on("phones"))
    laps.lap("train")
    # The trained model beside the labels, to see what Splink learned.
    linker.misc.save_model_to_json(str(out.with_suffix(".model.json")), overwrite=True)
    pairs = linker.inference.predict(threshold_match_probability=REVIEW_LOWER)
    laps.lap("predict")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        pairs, threshold_match_probability=AUTO_MERGE
    )
    laps.lap("cluster")
    kept = con.execute(f"select count(*) from {pairs.physical_name}").fetchone()
    con.execute(
        f"copy (select unique_id, cluster_id from {clusters.physical_name}) to "
        f"{_sql_text(str(out))} (format csv, header false, delimiter '\t')"
    )
    return {
        "system": f"Splink {splink.__version__} (DuckDB {duckdb.__version__})",
        "stages": laps.seconds,
        "pairs": int(kept[0]) if kept else 0,
    }


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql_struct(columns: dict[str, str]) -> str:
    return (
        "{"
        + ", ".join(f"{_sql_text(k)}: {_sql_text(v)}" for k, v in columns.items())
        + "}"
    )


# --- leadbase, run under this venv -------------------------------------------------


def run_leadbase(source: Path, out: Path, u_pairs: float) -> dict[str, Any]:
    """Build the frame and resolve it as bench_dedupe.py does; write labels to `out`."""
    del u_pairs  # the engine's own setting (random_pairs) is used, as by default
    from dedupe.engine import resolve
    from dedupe.frame import frame_of_columns
    from dedupe.settings import DedupeSettings

    laps = _Laps()
    frame = frame_of_columns(_read_columns(source))
    laps.lap("frame")
    result = resolve(frame, DedupeSettings())
    for stage, seconds in result.seconds.items():
        laps.seconds[stage] = round(seconds, 2)
    with out.open("w") as handle:
        for record_id, label in zip(
            frame.ids.tolist(), result.clustering.labels.tolist(), strict=True
        ):
            handle.write(f"{record_id}\t{label}\n")
    return {
        "system": "leadbase",
        "stages": laps.seconds,
        "pairs": int((result.scores.probability >= REVIEW_LOWER).sum()),
        "candidates": len(result.candidates),
        "oversized": dict(result.candidates.oversized),
    }


def _read_columns(source: Path) -> dict[str, list[Any]]:
    """The file's input fields column by column, as leadbase loads its base
    (`dedupe.records`), not a `RecordRow` per line: the reading is the bench's,
    not either system's real work (Splink reads the file with DuckDB's own
    reader)."""
    import orjson

    from dedupe.normalise.batch import gc_paused
    from dedupe.records import FRAME_COLUMNS

    # The frame's input fields, as the file names them ("unique_id" is Splink's).
    fields = {"id": "unique_id", **{name: name for name in FRAME_COLUMNS[2:]}}
    columns: dict[str, list[Any]] = {name: [] for name in fields}
    appends = [(columns[name].append, key) for name, key in fields.items()]
    # Paused as `leadbase dedupe` pauses it while it gathers the same columns: two
    # million kept phone and email lists made the collector rescan them (7.6 s
    # for this loop instead of 2.3).
    with gc_paused(), source.open("rb") as handle:
        for line in handle:
            row = orjson.loads(line)
            for append, key in appends:
                append(row[key])
    for name in ("phones", "emails"):
        columns[name] = [value or () for value in columns[name]]
    return columns


CHILDREN: dict[str, Callable[[Path, Path, float], dict[str, Any]]] = {
    "splink": run_splink,
    "leadbase": run_leadbase,
}


# --- the parent: run both, measure, compare ----------------------------------------


@dataclasses.dataclass
class Outcome:
    """What one system's process did, measured from outside and scored on truth."""

    system: str
    status: str
    wall: float
    cpu: float
    rss_mb: float
    load: tuple[float, float]  # 1-minute load average before and after
    stages: dict[str, float] = dataclasses.field(default_factory=dict)
    pairs: int = 0
    accuracy: Accuracy | None = None
    hub_pairs: int = 0
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)


def run_child(
    name: str, python: Path, source: Path, workdir: Path, args: argparse.Namespace
) -> Outcome:
    """Run one system in a child process; wall, CPU and peak RSS come from wait4."""
    out = workdir / f"{source.stem}.{name}.labels.tsv"
    summary = out.with_suffix(".json")
    out.unlink(missing_ok=True)
    command = [str(python), str(Path(__file__).resolve()), "--child", name]
    command += ["--input", str(source), "--out", str(out)]
    command += ["--summary", str(summary), "--u-pairs", str(args.u_pairs)]
    load_before = os.getloadavg()[0]
    _log(f"{name}: running (load {load_before:.2f})")
    started = time.perf_counter()
    # DuckDB spills to ./.tmp when memory runs short: keep that out of the worktree.
    child = subprocess.Popen(command, cwd=workdir)
    status = _watch(child.pid, args.timeout, args.max_rss_gb)
    if status != "ok":
        child.kill()
    _, code, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(code)
    wall = time.perf_counter() - started
    if status == "ok" and child.returncode != 0:
        status = f"failed (exit {child.returncode})"
    outcome = Outcome(
        system=name,
        status=status,
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        rss_mb=usage.ru_maxrss / 1024,
        load=(load_before, os.getloadavg()[0]),
    )
    if status == "ok":
        found = json.loads(summary.read_text())
        outcome.system = found["system"]
        outcome.stages = found["stages"]
        outcome.pairs = found["pairs"]
        outcome.extra = {
            k: v for k, v in found.items() if k not in ("system", "stages", "pairs")
        }
        outcome.accuracy, outcome.hub_pairs = score_labels(source, out)
    return outcome


def _watch(pid: int, timeout: float, max_rss_gb: float) -> str:
    """Wait until the child exits ("ok"), or say why it must be killed.

    The machine is shared: a run past the memory cap would push others into swap
    or the OOM killer, so it is stopped and reported instead.
    """
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            return f"killed after {timeout:.0f} s"
        if _rss_gb(pid) > max_rss_gb:
            return f"killed at {max_rss_gb:g} GB RSS"
        time.sleep(0.2)
    return "ok"


def _alive(pid: int) -> bool:
    # waitid with WNOWAIT peeks without reaping, so wait4 can still read the usage.
    found = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    return found is None


def _rss_gb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def score_labels(source: Path, labels_path: Path) -> tuple[Accuracy, int]:
    """Accuracy of a child's clusters, and false pairs among the hub's records."""
    import orjson

    from dedupe.evaluate import accuracy

    labels = _read_labels(labels_path)
    predicted: list[str] = []
    truth: list[str] = []
    hub_labels: Counter[str] = Counter()
    with source.open("rb") as handle:
        for line in handle:
            row = orjson.loads(line)
            # A record a system left out of its output stands alone.
            label = labels.get(row["unique_id"], f"missing-{row['unique_id']}")
            predicted.append(label)
            truth.append(row["true_id"])
            if row["is_hub"]:
                hub_labels[label] += 1
    # The hub's records are all different companies: every pair merged is false.
    hub_pairs = sum(n * (n - 1) // 2 for n in hub_labels.values())
    return accuracy(predicted, truth), hub_pairs


def _read_labels(path: Path) -> dict[int, str]:
    labels: dict[int, str] = {}
    with path.open() as handle:
        for line in handle:
            record_id, label = line.rstrip("\n").split("\t")
            labels[int(record_id)] = label
    return labels


def print_table(outcomes: Sequence[Outcome], records: int, hub: int) -> None:
    """Both systems side by side, one column each."""
    rows: list[tuple[str, list[str]]] = [
        ("system", [o.system for o in outcomes]),
        ("status", [o.status for o in outcomes]),
        ("wall s (process)", [f"{o.wall:.1f}" for o in outcomes]),
        ("run s (stages)", [f"{sum(o.stages.values()):.1f}" for o in outcomes]),
        ("CPU s (user+sys)", [f"{o.cpu:.1f}" for o in outcomes]),
        ("peak RSS MB", [f"{o.rss_mb:,.0f}" for o in outcomes]),
        (
            "load avg 1 min before/after",
            [f"{o.load[0]:.2f}/{o.load[1]:.2f}" for o in outcomes],
        ),
        (f"pairs kept (p >= {REVIEW_LOWER})", [f"{o.pairs:,}" for o in outcomes]),
    ]
    for label, pick in (
        ("pairwise precision", lambda a: a.precision),
        ("pairwise recall", lambda a: a.recall),
        ("pairwise F1", lambda a: a.f1),
        ("B-cubed F1", lambda a: a.bcubed_f1),
    ):
        rows.append((label, [_metric(o.accuracy, pick) for o in outcomes]))
    if hub:
        total = hub * (hub - 1) // 2
        rows.append(
            (f"hub pairs merged (of {total:,})", [f"{o.hub_pairs:,}" for o in outcomes])
        )
    width = max(len(label) for label, _ in rows)
    columns = [
        max(len(v) for v in values)
        for values in zip(*(v for _, v in rows), strict=True)
    ]
    print(f"records {records:,}  hub {hub}  auto-merge at p >= {AUTO_MERGE}")
    for label, values in rows:
        cells = "  ".join(v.rjust(w) for v, w in zip(values, columns, strict=True))
        print(f"{label.ljust(width)}  {cells}")
    for o in outcomes:
        print(f"{o.system} stages: {o.stages} {o.extra or ''}".rstrip())


def _metric(found: Accuracy | None, pick: Callable[[Accuracy], float]) -> str:
    return "-" if found is None else f"{pick(found):.4f}"


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--companies", type=int, default=8000, help="sample entities")
    parser.add_argument("--hub", type=int, default=0, help="records sharing one value")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/leadbase-bench"))
    parser.add_argument("--venv", type=Path, default=Path("/tmp/leadbase-splink-venv"))
    parser.add_argument(
        "--u-pairs", type=float, default=1e7, help="Splink's max_pairs for u"
    )
    parser.add_argument(
        "--timeout", type=float, default=3600, help="seconds before a run is killed"
    )
    parser.add_argument(
        "--max-rss-gb", type=float, default=16, help="RSS at which a run is killed"
    )
    parser.add_argument("--only", choices=sorted(CHILDREN), help="run one system")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--summary", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        found = CHILDREN[args.child](args.input, args.out, args.u_pairs)
        args.summary.write_text(json.dumps(found))
        return

    args.workdir.mkdir(parents=True, exist_ok=True)
    splink_python = ensure_splink_venv(args.venv)
    source = build_input(args.companies, args.hub, args.workdir)
    records = _count_lines(source)
    _log(f"input {source}: {records:,} records")
    pythons = {"splink": splink_python, "leadbase": Path(sys.executable)}
    names = [args.only] if args.only else list(CHILDREN)
    outcomes = [
        run_child(name, pythons[name], source, args.workdir, args) for name in names
    ]
    print_table(outcomes, records, args.hub)


if __name__ == "__main__":
    main()
