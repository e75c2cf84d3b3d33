"""Latin transliteration of Russian names, as firms and people write them."""

from __future__ import annotations

import re

_LOWER = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "",
    "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_TABLE = str.maketrans(
    {**_LOWER, **{k.upper(): v.capitalize() for k, v in _LOWER.items()}}
)
_NOT_LABEL = re.compile(r"[^a-z0-9]+")


def transliterate(text: str) -> str:
    """Return text with Cyrillic letters in Latin: "Ромашка" -> "Romashka"."""
    return text.translate(_TABLE)


def domain_label(text: str) -> str:
    """Return a DNS label for a name: "ТД Альфа-М" -> "td-alfa-m"."""
    return _NOT_LABEL.sub("-", transliterate(text).lower()).strip("-")
