"""ФНС open-data XML, streamed: one `Документ` element at a time, cleared after use,
so memory stays flat however many documents a file holds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from enrich.registries.archives import open_members
from enrich.registries.types import ParseReport, RegistryFileError

DOCUMENT = "Документ"


def iter_documents(path: Path, report: ParseReport) -> Iterator[tuple[str, int, Any]]:
    """(member name, document number in the member, element) for every document.

    The element is only valid until the next one is requested: it is cleared, and
    its already-read siblings are dropped from the root, as soon as the caller
    moves on.

    Raises:
        RegistryFileError: broken XML, naming the member and line.
    """
    for member, stream in open_members(path, ".xml"):
        number = 0
        # Only end events of documents reach Python; everything else stays in C.
        context = etree.iterparse(stream, events=("end",), tag=DOCUMENT, huge_tree=True)
        try:
            for _event, element in context:
                number += 1
                if number == 1:
                    _read_root(element.getparent(), report)
                yield member, number, element
                element.clear(keep_tail=False)
                parent = element.getparent()
                while element.getprevious() is not None:
                    del parent[0]
        except etree.XMLSyntaxError as exc:
            raise RegistryFileError(
                f"{path}, member {member}, line {exc.lineno}: broken XML ({exc.msg}) "
                f"after {number} documents; download the release again"
            ) from exc
        finally:
            del context


def _read_root(root: Any, report: ParseReport) -> None:
    if root is not None and report.structure_version is None:
        version = root.get("ВерсФорм")
        if version:
            report.structure_version = f"ВерсФорм {version}"
