"""The error an import raises for a file it cannot read."""

from __future__ import annotations

from pathlib import Path

from leadbase.errors import LeadbaseError


class ImportFileError(LeadbaseError):
    """Raised by `leadbase.imports` for a file that cannot be imported as a whole.

    The message names the file and, where known, the row and column, and says what to
    do. Nothing of the file is stored when it is raised.
    """

    def __init__(
        self,
        path: Path,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        where = str(path)
        if row is not None:
            where += f", row {row}"
        if column:
            where += f", column {column!r}"
        message = f"{where}: {problem}"
        if hint:
            message += f". {hint[:1].upper()}{hint[1:]}"
        super().__init__(message + ". Nothing was imported.")
        self.path = path
        self.row = row
        self.column = column
