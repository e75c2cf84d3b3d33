"""What a file is: its format, text encoding and delimiter, guessed from its bytes."""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from pathlib import Path

from leadbase.imports.errors import ImportFileError

SAMPLE_BYTES = 1 << 20
TEXT_FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".tab": "csv"}
FORMATS = ("csv", "xlsx", "xls", "jsonl")
DELIMITERS = (";", ",", "\t", "|")
# Frequent lower-case Russian letters: right decoding of cp1251/koi8-r text shows many.
_FREQUENT = set("оеаинтсрвлкмдпу")


def read_sample(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(SAMPLE_BYTES)
    except OSError as exc:
        raise ImportFileError(path, f"cannot read the file ({exc.strerror})") from exc


def detect_format(path: Path, sample: bytes) -> str:
    """csv, xlsx, xls or jsonl from the content first and the extension second.

    Raises:
        ImportFileError: empty, or binary data that is not a spreadsheet we read.
    """
    suffix = path.suffix.lower()
    if not sample:
        raise ImportFileError(path, "the file is empty", hint="check the export")
    if sample.startswith(b"PK\x03\x04"):
        if suffix not in {".xlsx", ".xlsm"}:
            return _refuse_zip(path, suffix)
        return "xlsx"
    if sample.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if suffix in {".xlsx", ".xlsm", ".xls"}:  # neither ZIP nor OLE2: not Excel
        raise ImportFileError(
            path,
            "not a readable Excel file (damaged, truncated or renamed)",
            hint="open it in Excel and save it again as .xlsx",
        )
    if _looks_binary(sample):
        raise ImportFileError(
            path,
            "this is not a text table (binary content)",
            hint="export the data as CSV or XLSX",
        )
    if suffix in {".jsonl", ".ndjson"}:
        return "jsonl"
    return "csv"


def _refuse_zip(path: Path, suffix: str) -> str:
    raise ImportFileError(
        path,
        f"this is a ZIP/XLSX file with the extension {suffix or '(none)'}",
        hint="rename it to .xlsx if it is an Excel workbook",
    )


def _looks_binary(sample: bytes) -> bool:
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    head = sample[:8192]
    return b"\x00" in head or sum(b < 9 for b in head) > len(head) // 100


def detect_encoding(sample: bytes) -> str:
    """utf-8-sig, utf-16, utf-8, cp1251 or koi8-r.

    A BOM decides; else strict UTF-8; else the Cyrillic single-byte code page whose
    decoding looks most like Russian text.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 3:  # the sample cut a character in half
            return "utf-8"
    scores = {}
    for name in ("cp1251", "koi8-r"):
        text = sample.decode(name, errors="replace")
        scores[name] = sum(text.count(letter) for letter in _FREQUENT)
    return max(scores, key=lambda name: scores[name])


def sniff_delimiter(text: str, suffix: str) -> str:
    """The delimiter that splits the first rows into the most rows of one width.

    Parsing with each candidate (quotes respected) copes with title rows and commas
    inside quoted addresses, where counting characters per line does not.
    """
    lines = text.splitlines()[:60]
    sample = "\n".join(lines[:-1] if len(lines) > 1 else lines)
    best, best_score = ("\t" if suffix == ".tsv" else ","), (0, 0)
    for delimiter in DELIMITERS:
        rows = csv.reader(io.StringIO(sample), delimiter=delimiter)
        widths = Counter(len(row) for row in rows if any(c.strip() for c in row))
        if not widths:
            continue
        width, count = widths.most_common(1)[0]
        score = (count, width) if width >= 2 else (0, 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best
