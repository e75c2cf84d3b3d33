"""Write rows to CSV (UTF-8 with BOM, `;`, as Russian Excel expects) or XLSX."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from leadbase.errors import ValidationError
from leadbase.exports.cells import safe_cell

FORMATS = {".csv": "csv", ".xlsx": "xlsx"}


def format_for(path: Path) -> str:
    """csv or xlsx from the file name, or a ValidationError naming the choices."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise ValidationError(
            f"cannot write {path.name}: use a .csv or .xlsx file name"
        ) from None


def write_rows(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> int:
    """Write header and rows, streaming; every cell made formula-safe. Returns rows."""
    count = 0
    if format_for(path) == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow([safe_cell(h) for h in header])
            for row in rows:
                writer.writerow([safe_cell(v) for v in row])
                count += 1
        return count
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("leadbase")
    sheet.append([safe_cell(h) for h in header])
    for row in rows:
        # Cells are written as strings: XLSX keeps them text, phones keep their "+".
        sheet.append([safe_cell(v) for v in row])
        count += 1
    workbook.save(path)
    return count
