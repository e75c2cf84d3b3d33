"""Find the real header among the first rows: skip titles, join two-row headers.

Bought lists and Excel exports put a title ("База компаний, выгрузка 2026-10") above
the header and merge cells into group headings ("Контакты" over "Телефон", "E-mail").
In a streamed XLSX a merged cell is its text in the first column and blanks after it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from leadbase.imports.fields import fields_for_header

LOOKAHEAD_ROWS = 30


@dataclass(frozen=True)
class Header:
    """Column names (unique, never empty) and the row where data starts."""

    names: tuple[str, ...]
    rows: tuple[int, ...]  # the header's own row numbers
    data_start: int  # first row number after the header


def _score(cells: list[str]) -> int:
    return sum(1 for c in cells if c.strip() and fields_for_header(c))


def _filled(cells: list[str]) -> int:
    return sum(1 for c in cells if c.strip())


def _looks_like_header(cells: list[str]) -> bool:
    # Without known names: several short texts and no numbers is a header.
    texts = [c.strip() for c in cells if c.strip()]
    return len(texts) >= 2 and all(
        len(t) <= 60 and not t.replace(" ", "").isdigit() for t in texts
    )


def find_header(
    rows: list[tuple[int, list[str]]], forced: set[str] | None = None
) -> Header | None:
    """The header of these first rows, or None when no row looks like one.

    Args:
        rows: (row number, cells) of the first rows, empty rows included.
        forced: column names given with --map; the row holding them is the header.
    """
    candidates = [(n, cells) for n, cells in rows[:LOOKAHEAD_ROWS] if _filled(cells)]
    if not candidates:
        return None
    index = _pick(candidates, forced or set())
    if index is None:
        return None
    number, cells = candidates[index]
    header_rows = [number]
    merged = list(cells)
    above = candidates[index - 1] if index > 0 else None
    if above and above[0] == number - 1 and _is_group_row(above[1], cells):
        merged = _join(above[1], cells)
        header_rows.insert(0, above[0])
    below = candidates[index + 1] if index + 1 < len(candidates) else None
    if below and below[0] == number + 1 and _is_sub_row(cells, below[1]):
        merged = _join(merged, below[1])
        header_rows.append(below[0])
    width = max(_trimmed_width(merged), _usual_width(candidates[index + 1 :]))
    names = unique_names((merged + [""] * width)[:width])
    return Header(tuple(names), tuple(header_rows), header_rows[-1] + 1)


def _trimmed_width(cells: list[str]) -> int:
    width = len(cells)
    while width and not cells[width - 1].strip():
        width -= 1
    return width


def _usual_width(rows: list[tuple[int, list[str]]]) -> int:
    # Data wider than the header (an unnamed last column) widens it, but only when
    # most rows are that wide; one stray delimiter must not.
    widths = Counter(_trimmed_width(cells) for _, cells in rows)
    return widths.most_common(1)[0][0] if widths else 0


def _pick(candidates: list[tuple[int, list[str]]], forced: set[str]) -> int | None:
    if forced:
        for i, (_, cells) in enumerate(candidates):
            if forced & {c.strip() for c in cells}:
                return i
    scores = [_score(cells) for _, cells in candidates]
    best = max(scores)
    if best > 0:
        return scores.index(best)
    for i, (_, cells) in enumerate(candidates):
        if _looks_like_header(cells):
            return i
    return None


def _is_group_row(above: list[str], header: list[str]) -> bool:
    # Group headings sit over blanks of the header row (vertically merged cells), or
    # span several header columns; a one-cell title in column A is not one.
    filled = [i for i, c in enumerate(above) if c.strip()]
    if len(filled) < 2:
        return False
    return any(i >= len(header) or not header[i].strip() for i in filled) or (
        _score(above) > 0
    )


def _is_sub_row(header: list[str], below: list[str]) -> bool:
    filled = [i for i, c in enumerate(below) if c.strip()]
    if not filled or _score(below) == 0:
        return False
    # Sub-headings fill only columns where the header is blank or a group heading.
    return all(
        i >= len(header) or not header[i].strip() or not fields_for_header(header[i])
        for i in filled
    )


def _join(upper: list[str], lower: list[str]) -> list[str]:
    """Column names from two header rows, group headings carried across blanks."""
    width = max(len(upper), len(lower))
    upper = upper + [""] * (width - len(upper))
    lower = lower + [""] * (width - len(lower))
    joined, group = [], ""
    for top, bottom in zip(upper, lower, strict=True):
        top, bottom = top.strip(), bottom.strip()
        if top:
            group = top
        if bottom and group and not fields_for_header(group):
            joined.append(f"{group} / {bottom}")
        else:
            joined.append(bottom or top or "")
            if not bottom and not top:
                group = ""
    return joined


def unique_names(cells: list[str]) -> list[str]:
    """Header names made unique and non-empty: "Телефон", "Телефон (2)", "column 7"."""
    names: list[str] = []
    seen: set[str] = set()
    for position, cell in enumerate(cells, 1):
        base = " ".join(cell.split()) or f"column {position}"
        name, copy = base, 1
        while name in seen:
            copy += 1
            name = f"{base} ({copy})"
        seen.add(name)
        names.append(name)
    return names
