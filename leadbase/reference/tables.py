"""How the reference tables are written: whitespace-separated words in a string."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """Read a table written as words separated by spaces and new lines.

    Examples:
        >>> sorted(words("mail.ru  bk.ru   list.ru"))
        ['bk.ru', 'list.ru', 'mail.ru']
    """
    return frozenset(text.split())


# What people type into a contact cell that has nothing to say (compared casefolded).
JUNK_CELLS: frozenset[str] = words("нет нету - — – n/a na none null 0 отсутствует") | {
    "нет данных",
    "не указан",
    "не указано",
    "не указана",
}
