"""People's names: ФИО in either order, initials, gender; Latin names too.

Roles are decided on skeletons (`translit.skeleton_word`), so "Иванов Иван Иванович"
and "Ivanov Ivan Ivanovich" are read alike: a patronymic ("-ович", "-евна", "-ична",
"оглы", "кызы") fixes the order (surname before the first name and patronymic, or
after them); without one, a list of common first names, then surname endings decide
which word is the first name; when nothing decides, the order is flagged unsure and
the key sorts the words, so either order gives the same key.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from dedupe.normalise.translit import capitalise, latin_skeleton, skeleton_word

__all__ = [
    "PersonNameParse",
    "normalise_person_name",
    "parse_person_name",
    "person_name_key",
]


@dataclass(frozen=True, slots=True)
class PersonNameParse:
    """A person's name taken apart.

    Attributes:
        raw: the input, untouched.
        last, first, patronymic: the parts, as displayed (title case when the input
            was all capitals or all lower case); None when absent.
        middle: a middle name or initial that is not a patronymic ("John A. Smith").
        initials: initials of the first name and patronymic or middle ("И.И.").
        gender: "m" or "f" from the patronymic; from the first name or the surname
            ending too, then flagged; None when nothing tells.
        display: Russian order "Иванов Иван Иванович" for Cyrillic names and any
            name with a patronymic, else "John A. Smith"; initials after the
            surname in either script: "Иванов И.И.", "Smith J.A.".
        key: skeletons of surname, first name and patronymic in that order.
        short_key: skeletons of the surname and the initials, "ivanov i i", so a full
            name and its initials meet.
        flags: what could not be read for sure (see `parse_person_name`).
    """

    raw: str | None
    last: str | None
    first: str | None
    patronymic: str | None
    middle: str | None
    initials: str | None
    gender: str | None
    display: str | None
    key: str | None
    short_key: str | None
    flags: tuple[str, ...]


def _read_first_names() -> dict[str, str]:
    data = resources.files(__package__) / "data" / "first_names.csv"
    genders: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(data.read_text(encoding="utf-8"))):
        skel = skeleton_word(unicodedata.normalize("NFKC", row["name"]))
        old = genders.get(skel)
        genders[skel] = row["gender"] if old in (None, row["gender"]) else "u"
    return genders


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Skeleton -> "m", "f" or "u" (either: Саша, Женя).
FIRST_NAMES: dict[str, str] = _read_first_names()
_TURKIC = {"ogli": "m", "oglu": "m", "uli": "m", "ulu": "m", "kizi": "f", "gizi": "f"}
_TITLES = _words(
    "mr mrs ms miss mx dr prof sir dame madam г-н г-жа господин госпожа тов"
)
_SUFFIXES = _words("jr sr phd md esq mba")
_NUMERALS = _words("II III IV")  # capitals only: "Ив" (Yves) is a name
_PARTICLES = _words(
    "van von der den de del della di da dos das du la le ter ten bin ibn zu"
)
# Compared as skeletons, so that a key ("mr" from "Mmr") reads back the same.
_TITLE_SKELETONS = frozenset(
    skeleton_word(t) for t in _TITLES | _SUFFIXES if t.isalpha()
)
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*\.?")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_QUOTES = re.compile(r"[\"«»„“”‟‹›〝〞＂]")
_NO_INITIAL = re.compile(r"(?:^| )[^ ](?: |$)")  # a one-letter word in a key
_PATRONYMIC_END = ("ovich", "evich", "ovna", "evna", "ichna")
_SURNAME_F = ("ova", "eva", "ina", "skaia", "aia")
_SURNAME_M = ("ov", "ev", "in", "ski", "oi")
_SURNAME_OTHER = ("enko", "uk", "ian", "dze", "shvili", "ich")


def _is_patronymic(word: str) -> bool:
    skel = skeleton_word(word.split()[-1].split("-")[-1])
    if skel in _TURKIC:
        return True
    return skel.endswith(_PATRONYMIC_END) or (skel.endswith("ich") and len(skel) > 4)


def _is_first(word: str) -> bool:
    return skeleton_word(word.split("-")[0]) in FIRST_NAMES


def _is_surname(word: str) -> bool:
    skel = skeleton_word(word.split("-")[-1])
    return len(skel) > 3 and skel.endswith(_SURNAME_F + _SURNAME_M + _SURNAME_OTHER)


@lru_cache(maxsize=1 << 16)
def _recase(word: str) -> str:
    """Title-case an all-caps or all-lower word part by part; keep "McDonald"."""
    low = word.lower()
    if word not in (low, word.upper()):
        return word
    if low in _PARTICLES or skeleton_word(low) in _TURKIC:
        return low
    return re.sub(r"[^\W\d_]+", lambda m: capitalise(m.group()), word)


def _tokens(text: str) -> tuple[list[str], list[str], list[str], bool]:
    """Split into (words before a comma, words after it, initials, had_title)."""
    head, comma, tail = text.partition(",")
    parts = [head, tail] if comma else [head]
    groups: list[list[str]] = [[], []]
    initials: list[str] = []
    titled = False
    for g, part in enumerate(parts):
        for tok in _TOKEN.findall(part):
            bare = tok.rstrip(".")
            low = bare.lower()
            if (
                low in _TITLES
                or bare in _NUMERALS
                or skeleton_word(bare) in _TITLE_SKELETONS
            ):
                titled = True
            elif len(bare) == 1 or (tok.endswith(".") and len(bare) == 2):
                initials.append(bare)
            else:
                groups[g].append(bare)
    if not groups[0] or not groups[1]:  # a comma with no name on one side is noise
        return groups[0] + groups[1], [], initials, titled
    return groups[0], groups[1], initials, titled


def _merge(words: list[str]) -> list[str]:
    """Join particles to the surname after them and оглы/кызы to the father's name."""
    out: list[str] = []
    for word in words:
        turkic = skeleton_word(word) in _TURKIC
        if out and (turkic or (out[-1].lower() in _PARTICLES and len(out) > 1)):
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    return out


def _pick_patronymic(words: list[str]) -> int | None:
    found = [i for i in range(1, len(words)) if _is_patronymic(words[i])]
    for test in (_is_first, lambda w: not _is_patronymic(w)):
        for i in found:
            if test(words[i - 1]):
                return i
    return found[-1] if found else None


@dataclass(slots=True)
class _Roles:
    last: list[str]
    first: str | None = None
    patronymic: str | None = None
    middle: str | None = None
    unsure: bool = False


def _roles_without_patronymic(words: list[str], cyrillic: bool) -> _Roles:
    if len(words) == 1:
        return _Roles([], first=words[0]) if _is_first(words[0]) else _Roles(words)
    a, b = words[0], words[1]
    first_a, first_b = _is_first(a), _is_first(b)
    if len(words) > 2:
        # A known first name in front: "John Ronald Tolkien"; second: "Иванов Иван
        # Петр". Else Latin names put the surname last, Cyrillic ones first.
        western = first_a if first_a != first_b else not cyrillic
        unsure = first_a == first_b
        if western:
            return _Roles([words[-1]], a, middle=" ".join(words[1:-1]), unsure=unsure)
        return _Roles([a], b, middle=" ".join(words[2:]), unsure=unsure)
    if first_a == first_b:
        if _is_surname(a) == _is_surname(b):
            return (
                _Roles([a], b, unsure=True) if cyrillic else _Roles([b], a, unsure=True)
            )
        first_a = _is_surname(b)
    return _Roles([b], a) if first_a else _Roles([a], b)


def _roles(words: list[str], tail: list[str], cyrillic: bool) -> _Roles:
    if tail:  # "Smith, John A.": the part before the comma is the surname
        p = _pick_patronymic(tail) if len(tail) > 1 else None
        rest = " ".join(tail[2:] if p == 1 else tail[1:]) or None
        return _Roles(words, tail[0], tail[p] if p else None, rest)
    p = _pick_patronymic(words)
    if p is None:
        return _roles_without_patronymic(words, cyrillic) if words else _Roles([])
    before, after = words[: p - 1], words[p + 1 :]
    middle = " ".join(after) if before and after else None
    return _Roles(before or after, words[p - 1], words[p], middle)


def _gender(r: _Roles) -> tuple[str | None, str | None]:
    if r.patronymic:
        turkic = _TURKIC.get(skeleton_word(r.patronymic.split()[-1]))
        return turkic or (
            "f" if skeleton_word(r.patronymic).endswith("na") else "m"
        ), None
    by_name = FIRST_NAMES.get(skeleton_word(r.first or ""), "u")
    if by_name != "u":
        return by_name, "gender_from_first_name"
    if r.last and not r.unsure:
        skel = skeleton_word(r.last[-1].split("-")[-1])
        if len(skel) > 4 and skel.endswith(_SURNAME_F):
            return "f", "gender_from_surname"
        if len(skel) > 3 and skel.endswith(_SURNAME_M):
            return "m", "gender_from_surname"
    return None, None


def _skeletons(*parts: str | None) -> list[str]:
    return [w for p in parts if p for w in latin_skeleton(p).split()]


def _initials(r: _Roles, initials: list[str]) -> list[str]:
    """Initials of the first name and the patronymic; set a lone middle initial."""
    if not r.first:
        return initials
    second = r.patronymic or r.middle
    if not second and initials:
        r.middle = second = f"{initials[0].upper()}."
    return [r.first[0], *([second[0]] if second else [])]


def _recase_all(words: str | None) -> str | None:
    return " ".join(_recase(w) for w in words.split()) or None if words else None


def _display(r: _Roles, initials: list[str], russian: bool) -> str:
    last = _recase_all(" ".join(r.last)) or ""
    dotted = [f"{_recase(i)}." for i in initials]
    first = _recase_all(r.first)
    rest = _recase_all(r.patronymic or r.middle)
    if not first:  # "Иванов И.И.", "Smith J.A.": the list style in either script
        parts: list[str | None] = [last, "".join(dotted)]
    elif russian:
        parts = [last, first, rest]
    else:
        parts = [first, rest, last]
    plain = " ".join(p for p in parts if p)
    if r.patronymic or not (r.last and r.first) or _reads_back(plain, r, russian):
        return plain
    # "Garcia Marquez, Gabriel": without the comma the words would be read otherwise.
    return f"{last}, {' '.join(p for p in (first, rest) if p)}"


def _reads_back(display: str, r: _Roles, russian: bool) -> bool:
    words, tail, _, _ = _tokens(display)
    again = _roles(_merge(words), _merge(tail), russian)
    same_last = _skeletons(*again.last) == _skeletons(*r.last)
    return same_last and _skeletons(again.first) == _skeletons(r.first)


def _key_of(text: str) -> str | None:
    """The key `text` gets when read as a name, unsure keys left unsettled."""
    words, tail, initials, _ = _tokens(text)
    cyrillic = bool(_CYRILLIC.search(" ".join(words + tail) or "".join(initials)))
    r = _roles(_merge(words), _merge(tail), cyrillic)
    return _keys(r, _initials(r, initials))[0]


@lru_cache(maxsize=1 << 16)
def _settled(key: str) -> str:
    """Read a key as a name until it reads back as itself; usually it already does.

    A key is Latin and in surname-first order, and a Latin name is read otherwise
    when its words say so: the sorted key of the unsure "Ва Ва Як" is "iak va va",
    whose known first name in front makes it the sure "Va Iak Va", key "va iak va";
    "Ala Ab Ala" (first name Ala) gives "ala ala ab", which reads as unsure. An
    unsure key depends only on its sorted words, so either order of such a name
    still gives one key. Cached: keys repeat far more than the names they are
    made from.
    """
    for _ in range(3):
        again = _key_of(key)
        if again is None or again == key:
            break
        key = again
    return key


def _keys(r: _Roles, initials: list[str]) -> tuple[str | None, str | None]:
    last = _skeletons(*r.last)
    if r.first:
        first, rest = _skeletons(r.first), _skeletons(r.patronymic or r.middle)
    else:
        # An initial is keyed by one letter, so a key reads back as initials.
        first, rest = _letters(initials[:1]), _letters(initials[1:])
    middle = r.middle or ""
    lone_initial = len(middle.rstrip(".")) == 1
    if lone_initial:
        rest = _letters([middle])
    if r.unsure:  # no telling which word is which: any order gives the same key
        words = sorted(last + first + ([] if lone_initial else rest))
        return " ".join(words + (rest if lone_initial else [])) or None, None
    key = " ".join(last + first + rest) or None
    if not last:
        return key, None
    return key, " ".join([*last, *(w[0] for w in first[:1] + rest[:1])])


def _letters(initials: list[str]) -> list[str]:
    return [s[0] for i in initials if (s := latin_skeleton(i))]


def _flags(r: _Roles, initials: list[str], titled: bool, why: str | None) -> list[str]:
    flags = ["title"] if titled else []
    if not r.first and initials:
        flags.append("initials_only")
    if not r.last:
        flags.append("no_surname")
    if r.unsure:
        flags.append("unsure_order")
    if (r.first and len(initials) > 1) or (r.patronymic and r.middle):
        flags.append("extra_tokens")
    return flags + ([why] if why else [])


def _blank(value: str | None, flag: str) -> PersonNameParse:
    none = None
    return PersonNameParse(
        value, none, none, none, none, none, none, none, none, none, (flag,)
    )


@lru_cache(maxsize=1 << 17)
def parse_person_name(value: str | None) -> PersonNameParse:
    """Take a person's name apart: surname, first name, patronymic, initials, gender.

    Reads "Иванов Иван Иванович", "Иван Иванович Иванов", "Иванов И.И.", "И. И.
    Иванов", "Алиев Рашид Гусейн оглы", "Smith, John A.", "John A. Smith" and
    "Ivanov Ivan Ivanovich". Never raises.

    Flags: "empty", "junk" (no name at all), "title" (Mr, Dr, г-н dropped),
    "initials_only", "no_surname", "unsure_order" (nothing told the surname from the
    first name), "extra_tokens" (words left over), "gender_from_first_name",
    "gender_from_surname" (weaker than a patronymic).

    Examples:
        >>> p = parse_person_name("ИВАНОВА мария петровна")
        >>> p.display, p.gender, p.key
        ('Иванова Мария Петровна', 'f', 'ivanova maria petrovna')
    """
    if value is None or not value.strip():
        return _blank(value, "empty")
    text = _QUOTES.sub(" ", unicodedata.normalize("NFKC", value))
    words, tail, initials, titled = _tokens(text)
    if not words and not tail and not initials:
        return _blank(value, "junk")
    # The script of what is kept decides the order shown, so the display reads back.
    cyrillic = bool(_CYRILLIC.search(" ".join(words + tail) or "".join(initials)))
    r = _roles(_merge(words), _merge(tail), cyrillic)
    inits = _initials(r, initials)
    gender, why = _gender(r)
    key, short_key = _keys(r, inits)
    if key is not None and not tail and " " in key and _NO_INITIAL.search(key) is None:
        # A key of whole words must read back as itself. Not settled: a comma's
        # order ("Garcia Marquez, Gabriel"), which a key cannot write, and keys
        # with one-letter words, which read back as initials by design.
        key = _settled(key)
    return PersonNameParse(
        raw=value,
        last=" ".join(_recase(w) for w in " ".join(r.last).split()) or None,
        first=_recase(r.first) if r.first else None,
        patronymic=" ".join(_recase(w) for w in r.patronymic.split())
        if r.patronymic
        else None,
        middle=r.middle and " ".join(_recase(w) for w in r.middle.split()),
        initials="".join(f"{_recase(i)}." for i in inits) or None,
        gender=gender,
        display=_display(r, inits, cyrillic or r.patronymic is not None),
        key=key,
        short_key=short_key,
        flags=tuple(_flags(r, initials, titled, why)),
    )


def normalise_person_name(value: str | None) -> str | None:
    """Return a person's name as people write it, or None.

    Examples:
        >>> normalise_person_name("иван иванович ИВАНОВ")
        'Иванов Иван Иванович'
    """
    display = parse_person_name(value).display
    # Idempotent by construction: a display is read again until it reads back as
    # itself. A few word sets ("Аа Абыч Абыч": two patronymic-like words) flip
    # between orders; then the least of the orders visited is the answer, which is
    # where reading any of them again ends too.
    seen: list[str] = []
    while display is not None and display not in seen:
        seen.append(display)
        display = parse_person_name(display).display
    if display is None or display == seen[-1]:
        return display
    return min(seen[seen.index(display) :])


def person_name_key(value: str | None) -> str | None:
    """Return the matching key of a person's name: the same for either word order.

    Examples:
        >>> person_name_key("Иван Иванович Иванов"), person_name_key("Ivanov Ivan")
        ('ivanov ivan ivanovich', 'ivanov ivan')
    """
    return parse_person_name(value).key
