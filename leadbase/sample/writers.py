"""Writers of the sample files: each row goes to disk as soon as it is made."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from openpyxl import Workbook

from leadbase.sample.sources import BOUGHT, BOUGHT_HEADERS, CRM, CRM_HEADERS, DIRECTORY
from leadbase.sample.stream import SOURCES, SampleRow, iter_sample_rows

TRUTH_FILE = "truth.csv"
TRUTH_HEADER = ("source", "row_number", "entity_id", "organisation_id")
README_FILE = "README.txt"
BOUGHT_SHEET, BOUGHT_INFO_SHEET = "База", "Инфо"
BOUGHT_TITLE = "База компаний России (B2B), выгрузка 2026-10"
_INFO_LINES = (
    "Поставщик: ООО «Инфобаза», база продана по договору № 17/26 от 01.10.2026",
    "Дата выгрузки: 01.10.2026",
    "Актуальность телефонов и адресов не гарантируется, часть компаний ликвидирована.",
    "Перед обзвоном проверьте ИНН по ЕГРЮЛ.",
)


def _cell(text: str) -> str | int | None:
    # Excel turns digit-only INNs, OGRNs and phones into numbers; a bought list
    # shows that, so do we (leading zeros would be lost, so those stay text).
    if not text:
        return None
    if text.isdigit() and text[0] != "0" and len(text) <= 15:
        return int(text)
    return text


class SampleWriter:
    """Writes rows of all sources and the truth file, streaming.

    Use as a context manager; files are complete once it exits.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.rows_by_source = dict.fromkeys(SOURCES, 0)
        self._jsonl: IO[str] = open(  # noqa: SIM115
            out_dir / SOURCES[DIRECTORY], "w", encoding="utf-8", newline="\n"
        )
        # An old Windows CRM: cp1251, ";" and CRLF; strict encoding keeps the
        # generator honest about what such a file can hold.
        self._crm_file: IO[str] = open(  # noqa: SIM115
            out_dir / SOURCES[CRM], "w", encoding="cp1251", newline=""
        )
        self._crm = csv.writer(self._crm_file, delimiter=";", lineterminator="\r\n")
        self._crm.writerow(CRM_HEADERS)
        self._truth_file: IO[str] = open(  # noqa: SIM115
            out_dir / TRUTH_FILE, "w", encoding="utf-8", newline=""
        )
        self._truth = csv.writer(self._truth_file, lineterminator="\n")
        self._truth.writerow(TRUTH_HEADER)
        self._workbook = Workbook(write_only=True)
        self._sheet = self._workbook.create_sheet(BOUGHT_SHEET)
        self._sheet.append([BOUGHT_TITLE])
        self._sheet.append(list(BOUGHT_HEADERS))

    def write(self, row: SampleRow) -> None:
        """Append row to its source file and to the truth file."""
        if row.source == DIRECTORY:
            self._jsonl.write(json.dumps(row.payload, ensure_ascii=False) + "\n")
        elif row.source == BOUGHT:
            self._sheet.append([_cell(v) for v in row.payload.values()])
        else:
            self._crm.writerow(row.payload.values())
        self.rows_by_source[row.source] += 1
        self._truth.writerow(
            (row.source, row.row_number, row.entity_id, row.organisation_id)
        )

    def close(self) -> None:
        """Finish the workbook (its info sheet needs the row count) and all files."""
        info = self._workbook.create_sheet(BOUGHT_INFO_SHEET)
        for line in _INFO_LINES:
            info.append([line])
        info.append([f"Записей: {self.rows_by_source[BOUGHT]}"])
        self._workbook.save(self.out_dir / SOURCES[BOUGHT])
        for file in (self._jsonl, self._crm_file, self._truth_file):
            file.close()

    def __enter__(self) -> SampleWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:  # a half-made sample is no use: release the files, keep the error
            for file in (self._jsonl, self._crm_file, self._truth_file):
                file.close()


def write_readme(out_dir: Path, companies: int, rows_by_source: dict[str, int]) -> Path:
    """Write README.txt: what each file of the sample is."""
    path = out_dir / README_FILE
    counts = {source: rows_by_source[source] for source in SOURCES}
    path.write_text(
        f"""leadbase sample data: {companies} true companies (entities), made up.

{SOURCES[DIRECTORY]}  a crawled business directory: one JSON card per line, UTF-8;
    current and fairly clean. {counts[DIRECTORY]} rows.
{SOURCES[BOUGHT]}  a bought list: sheet "{BOUGHT_SHEET}" (title row, then header),
    sheet "{BOUGHT_INFO_SHEET}" with the seller's notes; stale phones and addresses,
    some firms long dead. {counts[BOUGHT]} rows.
{SOURCES[CRM]}  an old CRM export: cp1251, ";" delimiter, INN/KPP in one column,
    comments with line breaks, hand-typed values. {counts[CRM]} rows.
{TRUTH_FILE}  the truth: source,row_number,entity_id,organisation_id for every row
    of every file. Rows with the same entity_id are one company (a branch is its
    own entity); rows with the same organisation_id share an INN.
""",
        encoding="utf-8",
    )
    return path


@dataclass(frozen=True)
class SampleSummary:
    """What write_sample wrote.

    Attributes:
        out_dir: the directory holding the files.
        companies: number of true entities asked for.
        rows_by_source: rows written per source ("directory", "bought", "crm").
        files: path per source, plus "truth" and "readme".
    """

    out_dir: Path
    companies: int
    rows_by_source: dict[str, int]
    files: dict[str, Path]


def write_sample(out_dir: Path, companies: int, seed: int = 42) -> SampleSummary:
    """Write the three source files, truth.csv and README.txt into out_dir.

    The rows written are exactly those of iter_sample_rows(companies, seed).

    Args:
        out_dir: target directory, created if missing; files in it are replaced.
        companies: number of true entities (head offices and branches).
        seed: seed of the random generator.

    Returns:
        The counts and paths of what was written.

    Examples:
        >>> import tempfile
        >>> summary = write_sample(Path(tempfile.mkdtemp()), 20)
        >>> sorted(summary.files)
        ['bought', 'crm', 'directory', 'readme', 'truth']
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    with SampleWriter(out_dir) as writer:
        for row in iter_sample_rows(companies, seed):
            writer.write(row)
    files = {source: out_dir / name for source, name in SOURCES.items()}
    files["truth"] = out_dir / TRUTH_FILE
    files["readme"] = write_readme(out_dir, companies, writer.rows_by_source)
    return SampleSummary(out_dir, companies, dict(writer.rows_by_source), files)
