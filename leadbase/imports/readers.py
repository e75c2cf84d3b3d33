"""Row readers: every format becomes (row number, cells as text), streamed.

Row numbers are what a person sees in a spreadsheet: CSV records counted from 1 (a
quoted new line stays inside its row), XLSX sheet rows.
"""

from __future__ import annotations

import codecs
import csv
import json
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from leadbase.imports.errors import ImportFileError

Rows = Iterator[tuple[int, list[str]]]
Progress = Callable[[int], None]

csv.field_size_limit(64 << 20)  # long notes cells are real; the default is 128 KiB


def read_csv(
    path: Path, encoding: str, delimiter: str, progress: Progress | None = None
) -> Rows:
    """CSV/TSV/TXT records; a decoding or syntax error names the row."""
    with path.open("rb") as raw:
        lines = _decoded_lines(path, raw, encoding)
        reader = csv.reader(lines, delimiter=delimiter)
        number = 0
        try:
            for number, cells in enumerate(reader, 1):
                if progress and number % 2000 == 0:
                    progress(raw.tell())
                yield number, cells
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                path,
                f"bytes that are not valid {encoding} ({exc.reason})",
                row=number + 1,
                hint="pass --encoding (e.g. cp1251, utf-8, koi8-r)",
            ) from exc
        except csv.Error as exc:
            raise ImportFileError(path, f"broken CSV ({exc})", row=number + 1) from exc
        if progress:
            progress(raw.tell())


def _decoded_lines(path: Path, raw: IO[bytes], encoding: str) -> Iterator[str]:
    """Text lines, decoded one at a time so a bad byte is caught at its own row.

    UTF-16/32 cannot be split on the byte b"\n", so they go through TextIOWrapper.
    """
    name = codecs.lookup(encoding).name
    if name.startswith(("utf-16", "utf-32")):
        with path.open(encoding=encoding, newline="") as text:
            yield from text
        return
    decoder = codecs.getincrementaldecoder(encoding)()
    for line in raw:
        yield decoder.decode(line)
    yield decoder.decode(b"", final=True)


def cell_text(value: Any) -> str:
    """An Excel cell as the text a person sees (7707083893, not 7707083893.0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip() if isinstance(value, str) else str(value)


def xlsx_sheet_names(path: Path) -> list[str]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError) as exc:
        raise _damaged(path, exc) from exc
    names = list(workbook.sheetnames)
    workbook.close()
    return names


def _damaged(path: Path, exc: Exception, row: int | None = None) -> ImportFileError:
    return ImportFileError(
        path,
        f"damaged or truncated Excel file ({type(exc).__name__}: {exc})",
        row=row,
        hint="open it in Excel and save it again",
    )


def read_xlsx(path: Path, sheet: str | None, progress: Progress | None = None) -> Rows:
    """Rows of one sheet in openpyxl's read-only (streaming) mode."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError) as exc:
        raise _damaged(path, exc) from exc
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise ImportFileError(
                path,
                f"no sheet {sheet!r}",
                hint=f"sheets: {', '.join(workbook.sheetnames)}",
            )
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        number = 0
        try:
            for number, values in enumerate(worksheet.iter_rows(values_only=True), 1):
                if progress and number % 2000 == 0:
                    progress(number)
                yield number, [cell_text(v) for v in values]
        except (zipfile.BadZipFile, KeyError, OSError, EOFError, ParseError) as exc:
            raise _damaged(path, exc, row=number + 1) from exc
    finally:
        workbook.close()


def read_xls(path: Path, sheet: str | None) -> tuple[list[str], Rows]:
    """Old Excel 97-2003 workbooks through xlrd: (sheet names, rows of one sheet).

    An .xls sheet holds at most 65,536 rows, so reading it whole is bounded.
    """
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except (xlrd.XLRDError, OSError, EOFError, AssertionError, IndexError) as exc:
        raise _damaged(path, exc) from exc
    names = book.sheet_names()
    if sheet is not None and sheet not in names:
        raise ImportFileError(
            path, f"no sheet {sheet!r}", hint=f"sheets: {', '.join(names)}"
        )
    data = book.sheet_by_name(sheet or names[0])

    def rows() -> Rows:
        for index in range(data.nrows):
            yield (
                index + 1,
                [_xls_cell(cell, book.datemode) for cell in data.row(index)],
            )
        book.release_resources()

    return names, rows()


def _xls_cell(cell: Any, datemode: int) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        return cell_text(xlrd.xldate.xldate_as_datetime(cell.value, datemode))
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    return cell_text(cell.value if cell.ctype != xlrd.XL_CELL_EMPTY else None)


def read_jsonl(
    path: Path, encoding: str
) -> Iterator[tuple[int, dict[str, Any] | tuple[str, str]]]:
    """JSON Lines: each line an object, or (why it is not one, the line)."""
    with path.open("r", encoding=encoding, newline="") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, (f"not valid JSON ({exc.msg}, column {exc.colno})", line)
                continue
            if isinstance(value, dict):
                yield number, value
            else:
                yield number, (f"a JSON {type(value).__name__}, not an object", line)
