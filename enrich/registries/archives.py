"""Members of a published file, streamed: a ZIP is read member by member, never
extracted to disk; a plain file is one member."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from enrich.registries.types import RegistryFileError


def open_members(path: Path, suffix: str) -> Iterator[tuple[str, IO[bytes]]]:
    """(member name, binary stream) for each data file in `path`, in name order.

    Raises:
        RegistryFileError: the file is missing, a damaged ZIP, or holds no `suffix`
            member.
    """
    if not path.is_file():
        raise RegistryFileError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        if not path.name.lower().endswith(suffix):
            raise RegistryFileError(
                f"{path}: neither a ZIP nor a {suffix} file; pass the file as "
                "published (the ZIP, or one data file taken out of it)"
            )
        with path.open("rb") as handle:
            yield path.name, handle
        return
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise RegistryFileError(
            f"{path}: damaged ZIP ({exc}); download it again"
        ) from exc
    with archive:
        names = sorted(
            info.filename
            for info in archive.infolist()
            if not info.is_dir() and info.filename.lower().endswith(suffix)
        )
        if not names:
            raise RegistryFileError(
                f"{path}: the ZIP holds no {suffix} file; is this the right data set?"
            )
        for name in names:
            try:
                with archive.open(name) as member:
                    yield name, member
            except zipfile.BadZipFile as exc:
                raise RegistryFileError(
                    f"{path}, member {name}: damaged ({exc}); download it again"
                ) from exc
