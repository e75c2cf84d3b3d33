"""CSV registers (Companies House, SIRENE), streamed row by row from the file or
from each CSV member of its ZIP. Header names are stripped: Companies House writes
some with a leading space (" CompanyNumber")."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from enrich.registries.archives import open_members
from enrich.registries.types import RegistryFileError

# Long free-text cells must not stop a whole-register import.
csv.field_size_limit(16 * 1024 * 1024)


def iter_csv_rows(
    path: Path, required: tuple[str, ...]
) -> Iterator[tuple[str, int, dict[str, str]]]:
    """(member name, row number counting the header as 1, row by stripped header).

    Raises:
        RegistryFileError: a required column is missing, or the text is not UTF-8.
    """
    for member, stream in open_members(path, ".csv"):
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        try:
            header = [name.strip() for name in next(reader, [])]
            missing = [name for name in required if name not in header]
            if missing:
                raise RegistryFileError(
                    f"{path}, member {member}: no column {', '.join(missing)} in the "
                    f"header (found {len(header)} columns); is this the right register?"
                )
            width = len(header)
            for number, cells in enumerate(reader, start=2):
                if len(cells) < width:
                    cells += [""] * (width - len(cells))
                yield member, number, dict(zip(header, cells, strict=False))
        except UnicodeDecodeError as exc:
            raise RegistryFileError(
                f"{path}, member {member}: not UTF-8 text near byte {exc.start} "
                "(row unknown); the registers publish UTF-8: download the file again"
            ) from exc
        except csv.Error as exc:
            raise RegistryFileError(
                f"{path}, member {member}, row {reader.line_num}: "
                f"unreadable CSV ({exc})"
            ) from exc
