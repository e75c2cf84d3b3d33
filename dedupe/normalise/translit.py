"""Cyrillic <-> Latin transliteration, and the Latin skeleton that matching keys use.

Three directions live here:

* `to_latin` writes Cyrillic in Latin by a named scheme: GOST 7.79-2000 system B
  ("gost"), the passport scheme of 2013 that follows ICAO Doc 9303 ("icao"), or the
  informal one most firms and people use ("simple": й -> y, х -> kh, я -> ya).
* `to_cyrillic` reads Latin back into Cyrillic, best effort: "Romashka" -> "Ромашка".
* `latin_skeleton` folds both scripts and every common spelling onto one lower-case
  Latin string, so "Ромашка", "Romashka" and "ROMASHKA" agree, and so do "Юрий",
  "Yuriy", "Iurii" and "Jurij". Informal spellings map many-to-one ("kh"/"h", "ts"/"tz"/
  "c", "y"/"i"/"j", "ya"/"ia", doubled letters), so it folds them instead of guessing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

__all__ = [
    "Scheme",
    "capitalise",
    "fix_homoglyphs",
    "latin_skeleton",
    "skeleton_word",
    "to_cyrillic",
    "to_latin",
]

Scheme = Literal["gost", "icao", "simple"]

_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "ч": "ch", "ш": "sh",
}  # fmt: skip
_SCHEMES: dict[str, dict[str, str]] = {
    # GOST 7.79-2000 B; ц is "c" before е, и, ы, й (and letters read with y) else "cz".
    "gost": _COMMON | {
        "ё": "yo", "й": "j", "х": "x", "ц": "cz", "щ": "shh", "ъ": "``", "ы": "y`",
        "ь": "`", "э": "e`", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye",
        "ґ": "g`", "ў": "u`",
    },
    "icao": _COMMON | {
        "ё": "e", "й": "i", "х": "kh", "ц": "ts", "щ": "shch", "ъ": "ie", "ы": "y",
        "ь": "", "э": "e", "ю": "iu", "я": "ia", "і": "i", "ї": "i", "є": "ie",
        "ґ": "g", "ў": "u",
    },
    "simple": _COMMON | {
        "ё": "e", "й": "y", "х": "kh", "ц": "ts", "щ": "shch", "ъ": "", "ы": "y",
        "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye",
        "ґ": "g", "ў": "u",
    },
}  # fmt: skip
_GOST_SOFT_C = frozenset("еёийыэюяіїє")
_CYRILLIC_WORD = re.compile(r"[^\W\d_]*[\u0400-\u04ff][^\W\d_]*")


def _case_like(out: str, char: str, word_upper: bool) -> str:
    if not char.isupper():
        return out
    return out.upper() if word_upper else out[:1].upper() + out[1:]


def to_latin(text: str, scheme: Scheme = "gost") -> str:
    """Return `text` with its Cyrillic letters written in Latin; the rest untouched.

    Args:
        text: any text; Latin letters, digits and punctuation pass through.
        scheme: "gost" (GOST 7.79-2000 system B), "icao" (passports since 2013) or
            "simple" (the common informal spelling).

    Returns:
        The transliterated text; a capital stays capital, an all-caps word all caps.

    Raises:
        ValueError: `scheme` is not one of the three names.

    Examples:
        >>> to_latin("Щукин Юрий", "gost"), to_latin("Щукин Юрий", "icao")
        ('Shhukin Yurij', 'Shchukin Iurii')
    """
    table = _SCHEMES.get(scheme)
    if table is None:
        raise ValueError(f"unknown scheme {scheme!r}: use 'gost', 'icao' or 'simple'")

    def word(m: re.Match[str]) -> str:
        w = m.group()
        upper = len(w) > 1 and w.isupper()
        out = []
        for i, char in enumerate(w):
            low = char.lower()
            latin = table.get(low)
            if latin is None:  # a letter of another alphabet (Kazakh ә, Tatar ң)
                out.append(char)
                continue
            if (
                scheme == "gost"
                and low == "ц"
                and w[i + 1 : i + 2].lower() in _GOST_SOFT_C
            ):
                latin = "c"
            out.append(_case_like(latin, char, upper))
        return "".join(out)

    return _CYRILLIC_WORD.sub(word, text)


_TO_CYR = {
    "shch": "щ", "shh": "щ", "sch": "щ", "``": "ъ", "y`": "ы", "e`": "э", "`": "ь",
    "zh": "ж", "kh": "х", "ts": "ц", "cz": "ц", "ch": "ч", "sh": "ш", "ph": "ф",
    "ck": "к", "yo": "ё", "jo": "ё", "yu": "ю", "ju": "ю", "ya": "я", "ja": "я",
    "ye": "е", "je": "е", "iy": "ий", "ij": "ий", "yy": "ый", "yj": "ый", "x": "кс",
    "a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х",
    "i": "и", "j": "й", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п",
    "q": "к", "r": "р", "s": "с", "t": "т", "u": "у", "v": "в", "w": "в", "z": "з",
}  # fmt: skip
_LATIN_UNIT = re.compile(
    r"shch|shh|sch|``|y`|e`|`|zh|kh|ts|cz|ch|sh|ph|ck|yo|jo|yu|ju|ya|ja|ye|je"
    r"|[iy][yj](?![a-z])|c(?=[eiy])|[a-z]"
)
_LATIN_WORD = re.compile(r"[A-Za-z`]+")
_VOWELS = frozenset("aeiouy")


def _cyr_unit(unit: str, after: str, before: str) -> str:
    if unit == "y":
        # й after a vowel or at a word's start (Sergey, Maykop); -sky is -ский.
        if before in _VOWELS or not before or after in _VOWELS:
            return "й"
        return "ий" if not after and before in "kgh" else "ы"
    if unit == "c":
        return "ц" if after in "eiy" else "к"
    return _TO_CYR[unit]


def to_cyrillic(text: str) -> str:
    """Return `text` with Latin letters read as transliterated Russian, best effort.

    Reads the GOST, passport and informal spellings alike ("shch", "shh" and "sch" are
    all щ); English words come out phonetically wrong, as any reverse reading would.

    Examples:
        >>> to_cyrillic("OOO Romashka"), to_cyrillic("Sergey Kuznetsov")
        ('ООО Ромашка', 'Сергей Кузнецов')
    """

    def word(m: re.Match[str]) -> str:
        w = m.group()
        upper, low = len(w) > 1 and w.isupper(), w.lower()
        out = []
        for unit_m in _LATIN_UNIT.finditer(low):
            start, end = unit_m.span()
            cyr = _cyr_unit(unit_m.group(), low[end : end + 1], low[start - 1 : start])
            out.append(_case_like(cyr, w[start], upper))
        return "".join(out)

    return _LATIN_WORD.sub(word, _strip_latin_marks(text))


# Latin letters that NFKD does not decompose into a base letter plus a mark.
_NON_NFKD = str.maketrans(
    {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "đ": "d", "ł": "l", "ı": "i", "þ": "th"}
)
# Latin letters with marks, and loose combining marks ("ǰ" casefolds to "j" + caron).
_LATIN_MARKED = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]")


def _strip_latin_marks(text: str) -> str:
    """Fold é, ü, ł... to plain letters; Cyrillic й and ё are left whole."""
    if text.isascii():
        return text

    def fold(m: re.Match[str]) -> str:
        decomposed = unicodedata.normalize("NFKD", m.group())
        bare = "".join(c for c in decomposed if not unicodedata.combining(c))
        return bare.translate(_NON_NFKD)  # after: "ǣ" decomposes to "æ" first

    return _LATIN_MARKED.sub(fold, text)


# Latin and Cyrillic letters that look alike (in capitals at least), paired.
_LOOKALIKE_LAT, _LOOKALIKE_CYR = "abcehkmoptxy", "авсенкмортху"
_TO_CYR_GLYPH = str.maketrans(
    _LOOKALIKE_LAT + _LOOKALIKE_LAT.upper(), _LOOKALIKE_CYR + _LOOKALIKE_CYR.upper()
)
_TO_LAT_GLYPH = str.maketrans(
    _LOOKALIKE_CYR + _LOOKALIKE_CYR.upper(), _LOOKALIKE_LAT + _LOOKALIKE_LAT.upper()
)
_MIXED_WORD = re.compile(r"[^\W\d_]+")
_ANY_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ANY_ASCII_LETTER = re.compile(r"[A-Za-z]")


def _fix_word(m: re.Match[str]) -> str:
    w = m.group()
    low = w.lower()
    cyr = [c for c in low if "\u0400" <= c <= "\u04ff"]
    lat = [c for c in low if c.isascii()]
    if not cyr or not lat:
        return w
    odd_cyr = any(c not in _LOOKALIKE_CYR for c in cyr)
    odd_lat = any(c not in _LOOKALIKE_LAT for c in lat)
    if odd_cyr and odd_lat:
        return w  # genuinely two scripts: nothing to guess
    if odd_cyr or (not odd_lat and len(cyr) >= len(lat)):
        return w.translate(_TO_CYR_GLYPH)
    return w.translate(_TO_LAT_GLYPH)


def fix_homoglyphs(text: str) -> str:
    """Return `text` with look-alike letters of the other script replaced in a word.

    A word typed in Cyrillic with a Latin "o" or "P" (a copy-paste and spam artefact)
    becomes all Cyrillic; a Latin word with a stray Cyrillic "а" all Latin. Case and
    length are kept, so offsets into the text stay valid.

    Examples:
        >>> fix_homoglyphs("OOO Pомашка")  # Latin P in a Cyrillic word
        'OOO Ромашка'
    """
    if not (_ANY_CYRILLIC.search(text) and _ANY_ASCII_LETTER.search(text)):
        return text  # one script only: the common case, answered without a scan
    return _MIXED_WORD.sub(_fix_word, text)


_SKELETON_CYR = str.maketrans(
    _COMMON
    | {
        "ё": "e", "й": "i", "х": "h", "ц": "ts", "щ": "shch", "ъ": "", "ы": "i",
        "ь": "", "э": "e", "ю": "iu", "я": "ia", "і": "i", "ї": "i", "є": "e",
        "ґ": "g", "ў": "u",
    }
)  # fmt: skip
_APOSTROPHES = re.compile(r"['`´ʼ’‘]")
_SOFT_C = re.compile(r"c(?=[eiy])")
_YO_AFTER_CONSONANT = re.compile(r"(?<=[bcdfghklmnpqrstvwxz])yo")
_SOUNDS = re.compile(
    r"shch|sch|shh|zh|kh|tch|ch|sh|ts|tc|tz|cz|ph|ck|x|w|q|c|ye|je|y|j"
)
_SOUND_CODE = {
    "shch": "S", "sch": "S", "shh": "S", "zh": "Z", "kh": "h", "tch": "C", "ch": "C",
    "sh": "S", "ts": "T", "tc": "T", "tz": "T", "cz": "T", "ph": "f", "ck": "k",
    "x": "ks", "w": "v", "q": "k", "c": "k", "ye": "e", "je": "e", "y": "i", "j": "i",
}  # fmt: skip
_CODE_SOUND = str.maketrans({"S": "sh", "Z": "zh", "C": "ch", "T": "ts"})
_I_AFTER_CONSONANT = re.compile(r"(?<=[bdfghklmnprstvz])i(?=[eu])")
_DOUBLED = re.compile(r"([a-z])\1+")


def _fold_spelling(word: str) -> str:
    word = _SOFT_C.sub("ts", word)
    word = _YO_AFTER_CONSONANT.sub("e", word)
    word = _SOUNDS.sub(lambda m: _SOUND_CODE[m.group()], word).translate(_CODE_SOUND)
    # ю, ье after a consonant: "Lyubov"/"Liubov"/"Lubov", "Plyus"/"Plus",
    # "Vasilyev"/"Vasiliev"/"Vasilev" (the soft sign is dropped, not spelled).
    word = _I_AFTER_CONSONANT.sub("", word)
    return _DOUBLED.sub(r"\1", word)


@lru_cache(maxsize=1 << 17)
def skeleton_word(word: str) -> str:
    """Return the skeleton of one word (letters and digits only, NFKC already).

    Examples:
        >>> skeleton_word("Щукин"), skeleton_word("Shchukin")
        ('shukin', 'shukin')
    """
    word = _strip_latin_marks(fix_homoglyphs(word.casefold()).translate(_SKELETON_CYR))
    for _ in range(4):  # folding again can expose a new pair ("ckh" -> "kh" -> "h")
        folded = _fold_spelling(word)
        if folded == word:
            break
        word = folded
    return word


_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1 << 16)  # people's names repeat their words ("Иванович")
def latin_skeleton(text: str) -> str:
    """Return the matching skeleton of `text`: lower-case folded Latin words.

    Cyrillic is transliterated with a reduced scheme, then Latin spellings are folded:
    kh -> h, ts/tc/tz/cz -> ts, x -> ks, w -> v, y/j -> i, ye -> e, shch/sch -> sh,
    doubled letters once. Words are joined by single spaces; punctuation goes.

    Examples:
        >>> latin_skeleton("Юрий Щукин"), latin_skeleton("Yuriy Shchukin")
        ('iuri shukin', 'iuri shukin')
    """
    text = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", text))
    return " ".join(s for w in _WORD.findall(text) if (s := skeleton_word(w)))


def capitalise(word: str) -> str:
    """Return `word` with its first letter upper case and the rest lower case.

    Unlike `str.capitalize`, never changes the length ("ß", "İ", Greek "ᾲ" would):
    letters whose case change would are left as they are, so displays read back.

    Examples:
        >>> capitalise("РОМАШКА"), capitalise("ßeta")
        ('Ромашка', 'ßeta')
    """
    out = [c.lower() if len(c.lower()) == 1 else c for c in word]
    if out and len(out[0].upper()) == 1:
        out[0] = out[0].upper()
    return "".join(out)
