"""How the reference tables are written: whitespace-separated words in a string."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """Read a table written as words separated by spaces and new lines.

    Examples:
        >>> sorted(words("mail.ru  bk.ru\n list.ru"))
        ['bk.ru', 'list.ru', 'mail.ru']
    """
    return frozenset(text.split())
