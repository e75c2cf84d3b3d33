"""Open a file as a table: format, encoding, delimiter, header and column mapping."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from leadbase.imports.errors import ImportFileError
from leadbase.imports.fields import FIELDS, fields_for_header
from leadbase.imports.header import LOOKAHEAD_ROWS, Header, find_header, unique_names
from leadbase.imports.readers import (
    Progress,
    Rows,
    read_csv,
    read_jsonl,
    read_xls,
    read_xlsx,
    xlsx_sheet_names,
)
from leadbase.imports.sniff import (
    detect_encoding,
    detect_format,
    read_sample,
    sniff_delimiter,
)

# A row whose only cell starts with this is a line the reader could not parse.
UNREADABLE = "\x00"


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file; None means detect."""

    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)  # column -> field
    key_column: str | None = None


@dataclass
class Table:
    """An opened file: what was detected, and its data rows as cells."""

    path: Path
    file_format: str
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    other_sheets: list[str]
    header: Header
    mapping: dict[str, list[str]]  # field -> columns, in file order
    rows: Rows  # data rows after the header; JSON Lines rows are pre-joined

    @property
    def columns(self) -> tuple[str, ...]:
        return self.header.names

    @property
    def unmapped(self) -> list[str]:
        mapped = {c for columns in self.mapping.values() for c in columns}
        return [c for c in self.columns if c not in mapped]

    def describe(self) -> dict[str, Any]:
        """What the import stores in `imports.options` to read its rows again."""
        return {
            "format": self.file_format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet": self.sheet,
            "header_rows": list(self.header.rows),
            "columns": list(self.columns),
            "mapping": self.mapping,
        }


def open_table(
    path: Path, options: ReadOptions, progress: Progress | None = None
) -> Table:
    """Detect everything about `path` and position its rows after the header.

    Raises:
        ImportFileError: unreadable file, no header, or a --map/--key-column naming a
            column or field that does not exist.
    """
    if options.encoding:
        _check_encoding(path, options.encoding)
    sample = read_sample(path)
    file_format = detect_format(path, sample)
    if file_format == "jsonl":
        return _jsonl_table(path, options.encoding or detect_encoding(sample), options)
    encoding: str | None = None
    delimiter: str | None = None
    if file_format == "xlsx":
        names = xlsx_sheet_names(path)
        sheet = options.sheet or names[0]
        rows = read_xlsx(path, sheet, progress)
        others = [n for n in names if n != sheet]
    elif file_format == "xls":
        names, rows = read_xls(path, options.sheet)
        sheet = options.sheet or names[0]
        others = [n for n in names if n != sheet]
    else:
        text_encoding = options.encoding or detect_encoding(sample)
        text = sample.decode(text_encoding, errors="replace")
        separator = options.delimiter or sniff_delimiter(text, path.suffix.lower())
        rows = read_csv(path, text_encoding, _unescape(separator), progress)
        encoding, delimiter = text_encoding, separator
        sheet, others = None, []
    first = list(islice(rows, LOOKAHEAD_ROWS))
    header = _header(path, first, options)
    after = ((n, cells) for n, cells in first if n >= header.data_start)
    return Table(
        path,
        file_format,
        encoding,
        delimiter,
        sheet,
        others,
        header,
        build_mapping(path, header.names, options),
        _chain(after, rows),
    )


def _check_encoding(path: Path, encoding: str) -> None:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ImportFileError(
            path,
            f"unknown encoding {encoding!r}",
            hint="use e.g. utf-8, cp1251, koi8-r, utf-16",
        ) from None


def _chain(first: Iterator[tuple[int, list[str]]], rest: Rows) -> Rows:
    yield from first
    yield from rest


def _unescape(delimiter: str) -> str:
    return {"\\t": "\t", "tab": "\t", "TAB": "\t"}.get(delimiter, delimiter)


def _header(
    path: Path, first: list[tuple[int, list[str]]], options: ReadOptions
) -> Header:
    forced = set(options.mapping) | (
        {options.key_column} if options.key_column else set()
    )
    header = find_header(first, forced)
    if header is None:
        raise ImportFileError(
            path,
            f"no header row in the first {LOOKAHEAD_ROWS} rows",
            hint="the file needs a row naming its columns (e.g. Наименование; ИНН; "
            "Телефон), or name them with --map COLUMN=field",
        )
    return header


def build_mapping(
    path: Path, columns: tuple[str, ...], options: ReadOptions
) -> dict[str, list[str]]:
    """field -> columns: automatic from the header names, then --map on top."""
    problems = []
    unknown_columns = [c for c in options.mapping if c not in columns]
    if unknown_columns:
        problems.append(
            f"--map names no such column: {', '.join(unknown_columns)}; "
            f"columns: {', '.join(columns)}"
        )
    unknown_fields = sorted({f for f in options.mapping.values() if f not in FIELDS})
    if unknown_fields:
        problems.append(
            f"--map names no such field: {', '.join(unknown_fields)}; "
            f"fields: {', '.join(FIELDS)}"
        )
    if options.key_column and options.key_column not in columns:
        problems.append(
            f"--key-column {options.key_column!r} is not a column; "
            f"columns: {', '.join(columns)}"
        )
    if problems:
        raise ImportFileError(path, "; ".join(problems))
    mapping: dict[str, list[str]] = {}
    for column in columns:
        wanted = (
            (options.mapping[column],)
            if column in options.mapping
            else fields_for_header(column)
        )
        for name in wanted:
            mapping.setdefault(name, []).append(column)
    return {name: mapping[name] for name in FIELDS if name in mapping}


def _jsonl_table(path: Path, encoding: str, options: ReadOptions) -> Table:
    # JSON Lines carry their own keys: the header is the keys of the first objects.
    first = [v for _, v in islice(read_jsonl(path, encoding), LOOKAHEAD_ROWS)]
    keys: dict[str, None] = {}
    for value in first:
        if isinstance(value, dict):
            keys.update(dict.fromkeys(str(k) for k in value))
    if not keys:
        raise ImportFileError(path, "no JSON objects in the first lines")
    names = tuple(unique_names(list(keys)))
    header = Header(names, (), 1)

    def rows() -> Rows:
        for number, value in read_jsonl(path, encoding):
            if isinstance(value, dict) and (extra := set(value) - set(names)):
                reason = f"keys not in the first lines: {', '.join(sorted(extra))}"
                yield (
                    number,
                    [UNREADABLE + reason, json.dumps(value, ensure_ascii=False)],
                )
            elif isinstance(value, tuple):
                yield number, [UNREADABLE + value[0], value[1]]
            else:
                yield number, [_json_text(value.get(name)) for name in names]

    return Table(
        path,
        "jsonl",
        encoding,
        None,
        None,
        [],
        header,
        build_mapping(path, names, options),
        rows(),
    )


def _json_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_json_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
