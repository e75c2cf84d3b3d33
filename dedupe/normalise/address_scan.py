"""Reading one segment of a Russian-style address into events, token by token.

An address is split at commas into segments. Markers name what follows them
("ул. Ленина", "д. 5") or, for names, also what precedes them ("Ленина ул.",
"Москва г"). Single letters are markers only in context: "д. 5" is a house,
"д. Ивановка" a village, "Д. Бедного" a name. Reading a segment does not depend
on the rest of the address, so it is cached: real lists repeat "г. Москва" and
"ул. Ленина" endlessly. address_parts.py applies the events to one address.
"""

from __future__ import annotations

import re
from functools import lru_cache

from dedupe.normalise.places import find_city, find_region, fold, recase

Role = tuple[str, str]  # (part, canonical label)
# What a segment says, with final spellings: ("city", label, name),
# ("street", label or "", name), ("region", name or "", text as written),
# ("district", text), ("number", part, label, value), ("bare", number).
Event = tuple[str, ...]


def _roles(part: str, label: str, spellings: str) -> dict[str, Role]:
    return dict.fromkeys(spellings.split(), (part, label))


# Markers that name what follows (or precedes) them. Keys: lower case, no final
# dot, "ё" as "е".
NAME_MARKERS: dict[str, Role] = {
    **_roles("city", "г.", "г гор город city"),
    **_roles("city", "пос.", "п пос поселок"),
    **_roles("city", "пгт", "пгт"),
    **_roles("city", "рп", "рп"),
    **_roles("city", "с.", "с село"),
    **_roles("city", "дер.", "д дер деревня"),
    **_roles("city", "ст-ца", "ст-ца станица"),
    **_roles("city", "х.", "х хутор"),
    **_roles("street", "ул.", "ул улица st str street ul ulitsa ulica"),
    **_roles("street", "пр-т", "пр-т пр-кт просп проспект пр prospekt prospect pr"),
    **_roles("street", "пр-т", "ave avenue av"),
    **_roles("street", "пер.", "пер переулок per pereulok lane ln"),
    **_roles("street", "ш.", "ш шоссе sh shosse highway hwy"),
    **_roles("street", "наб.", "наб набережная nab naberezhnaya emb embankment"),
    **_roles("street", "б-р", "б-р бул бульв бульвар blvd boulevard bulvar"),
    **_roles("street", "пл.", "пл площадь pl ploshchad sq square"),
    **_roles("street", "мкр", "мкр мкрн мкр-н м-н микрорайон mkr microdistrict"),
    **_roles("street", "пр-д", "пр-д проезд proezd"),
    **_roles("street", "туп.", "туп тупик tupik"),
    **_roles("street", "ал.", "ал аллея alleya alley"),
    **_roles("street", "линия", "линия лин liniya line"),
    **_roles("street", "тракт", "тракт trakt"),
    **_roles("street", "кв-л", "кв-л квартал kvartal"),
    **_roles("street", "дор.", "дор дорога doroga road rd"),
    **_roles("street", "тер.", "тер территория"),
    **_roles("region", "", "обл область край респ республика ао oblast krai"),
    **_roles("district", "р-н", "р-н район district"),
}
# Markers that number what follows them.
NUMBER_MARKERS: dict[str, Role] = {
    **_roles("house", "д.", "д дом вл влад владение house"),
    **_roles("building", "корп.", "к корп корпус korp korpus"),
    **_roles("building", "стр.", "с стр строение bldg building"),
    **_roles("building", "лит.", "лит литер литера lit"),
    **_roles("building", "соор.", "соор сооружение"),
    **_roles("office", "оф.", "оф офис of кв квартира кв/оф пом помещ помещение"),
    **_roles("office", "оф.", "ком комн комната каб кабинет room office apt suite"),
    **_roles("office", "оф.", "ste unit"),
    **_roles("floor", "", "эт этаж floor fl"),
}
_TOKEN_RE = re.compile(r"[^\W_]+(?:[-/][^\W_]+)*\.?")
_ORDINAL_RE = re.compile(
    r"([0-9]+)-?(я|ая|й|ый|ой|ий|е|ое|ье|го|ого|th|st|nd|rd)", re.IGNORECASE
)
_ORDINAL_CANON = {"ая": "я", "ый": "й", "ой": "й", "ий": "й", "ое": "е", "ье": "е"}
_NUMBER_WORD_RE = re.compile(r"[0-9]+-[^\W\d_]{3,}")  # "60-летия", "8-го"
_GLUED_MARKER_RE = re.compile(r"(д|дом|к|корп|стр|с|оф|офис|кв|пом|лит)\.?([0-9].*)")
_GLUED_HOUSE_RE = re.compile(r"([0-9]+[а-яa-z]?)(к|корп|с|стр)\.?([0-9]+[а-яa-z]?)")
_DISTRICT_RE = re.compile(
    r"(?<!\w)(?:вн\.?\s?тер\.?\s?г|муниципальный (?:округ|район)|городской округ|"
    r"сельское поселение|городское поселение|[мг]\.\s?о\.|м\.\s?р-н|[сг]\.\s?п\.)",
    re.IGNORECASE,
)
_DISTRICT_ENDS = frozenset({"р-н", "район"})
_NUMBERED_STREETS = frozenset({"мкр", "кв-л", "линия"})
_TITLE_WORD_RE = re.compile(r"[А-ЯЁA-Z][а-яёa-z]{3,}")
_COUNTRY_WORDS = frozenset(
    fold(name).replace(" ", "")
    for name in ("Россия", "РФ", "Российская Федерация", "Russia", "Russian Federation")
)


def marker_key(token: str) -> str:
    return token.lower().rstrip(".").replace("ё", "е")


def is_number(token: str) -> bool:
    """A house, office or postcode number: "5", "5А", "5/2", "28-30"."""
    return (
        token[:1].isdigit()
        and not _ORDINAL_RE.fullmatch(token.rstrip("."))
        and not _NUMBER_WORD_RE.match(token)
    )


def tokenise(segment: str) -> list[str]:
    """Split a segment into words and numbers, unglueing "д.5", "5к2", "оф12"."""
    tokens: list[str] = []
    for token in _TOKEN_RE.findall(segment):
        lower = token.lower()
        glued = _GLUED_HOUSE_RE.fullmatch(lower.rstrip("."))
        if glued:
            tokens.extend((token[: glued.end(1)], glued.group(2), glued.group(3)))
            continue
        glued = _GLUED_MARKER_RE.fullmatch(lower)
        if glued and not token[:1].isdigit():
            tokens.extend((glued.group(1), token[glued.start(2) :]))
            continue
        tokens.append(token)
    return tokens


def _value_fits(role: Role, token: str | None) -> bool:
    if token is None:
        return False
    if is_number(token):
        return True
    # "лит. А", "пом. IV": a letter or a short Roman numeral is a value too.
    short = token.rstrip(".")
    return role[1] in ("лит.", "оф.") and short.isalpha() and len(short) <= 4


def _number_role(token: str, following: str | None) -> Role | None:
    role = NUMBER_MARKERS.get(marker_key(token))
    return role if role is not None and _value_fits(role, following) else None


def _name_role(token: str, following: str | None, after_word: bool) -> Role | None:
    key = marker_key(token)
    role = NAME_MARKERS.get(key)
    if role is None or (len(key) == 1 and following is None and not after_word):
        return None  # a lone letter at the end: a house letter, not "г" or "д"
    return role


def _is_marker(tokens: list[str], i: int) -> bool:
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    return bool(
        _number_role(tokens[i], following) or _name_role(tokens[i], following, False)
    )


def canonical_name(words: list[str]) -> str:
    """Join a name's words: ordinals to the front and written "1-я", "2-й"."""
    ordinals, others = [], []
    for word in words:
        match = _ORDINAL_RE.fullmatch(word.rstrip("."))
        if match:
            suffix = match.group(2).lower()
            ordinals.append(f"{match.group(1)}-{_ORDINAL_CANON.get(suffix, suffix)}")
        else:
            others.append(word)
    return recase(" ".join(ordinals + others))


def _collect(tokens: list[str], start: int, kind: str) -> tuple[list[str], int]:
    """Take the name after a marker: words up to the next marker or number."""
    if kind in _NUMBERED_STREETS and start < len(tokens) and is_number(tokens[start]):
        return [tokens[start]], start + 1  # "мкр 15", "квартал 3"
    words: list[str] = []
    j = start
    while j < len(tokens):
        token = tokens[j]
        # A capitalised full word inside a name is the name's: "Новый Город".
        if words and _is_marker(tokens, j) and not _TITLE_WORD_RE.fullmatch(token):
            break
        # A number opens a name ("8 Марта", "1905 года") only before a word.
        if is_number(token) and (
            words
            or j + 1 >= len(tokens)
            or is_number(tokens[j + 1])
            or _is_marker(tokens, j + 1)
        ):
            break
        words.append(token)
        j += 1
    return words, j


def _city_event(label: str, words: list[str], country: str) -> Event:
    city = find_city(" ".join(words), country)
    return ("city", "г.", city.name) if city else ("city", label, canonical_name(words))


def _named(
    role: Role, words: list[str], marker: str, suffix: bool, country: str
) -> Event:
    part, label = role
    if part == "city":
        return _city_event(label, words, country)
    if part == "street":
        return ("street", label, canonical_name(words))
    if part == "region":
        text = " ".join([*words, marker] if suffix else [marker, *words])
        return ("region", find_region(text)[0] or "", text)
    return ("district", f"{canonical_name(words)} {label}")


def _unmarked(words: list[str], country: str) -> list[Event]:
    """Place words no marker names: a country, a city, a region or a street."""
    if not words or fold(" ".join(words)).replace(" ", "") in _COUNTRY_WORDS:
        return []
    if all(marker_key(w) in NAME_MARKERS for w in words):
        return [("rest", " ".join(words))]  # "пер." alone names nothing
    for size in range(len(words), 0, -1):
        if find_city(" ".join(words[:size]), country):
            return [
                _city_event("г.", words[:size], country),
                *_unmarked(words[size:], country),
            ]
    region, known = find_region(" ".join(words))
    if known and region:
        return [("region", region, " ".join(words))]
    return [("street", "", canonical_name(words))]


def _number(tokens: list[str], i: int, role: Role) -> tuple[Event, int]:
    """Read the value after a number marker; return it and the index after it."""
    value, i = tokens[i + 1], i + 2
    letter = tokens[i] if i < len(tokens) else ""
    # "д. 5 А": a lone letter after the house number is part of it.
    if role[0] == "house" and len(letter) == 1 and letter.isalpha():
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if after is None or not is_number(after):
            value, i = value + letter, i + 1
    return ("number", role[0], role[1], value.rstrip(".").upper()), i


def _split_city(words: list[str], country: str) -> tuple[list[str], list[str]]:
    # "г.Москва Ленина ул.": the city is the longest known prefix.
    for size in range(len(words) - 1, 0, -1):
        if find_city(" ".join(words[:size]), country):
            return words[:size], words[size:]
    return words, []


def _read_tokens(tokens: list[str], country: str) -> list[Event]:
    events: list[Event] = []
    pending: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        role = _number_role(token, following)
        if role:
            events += _unmarked(pending, country)
            event, i = _number(tokens, i, role)
            events.append(event)
            pending = []
            continue
        role = _name_role(token, following, bool(pending))
        if (
            role
            and pending
            and (following is None or is_number(following) or _is_marker(tokens, i + 1))
        ):
            events.append(_named(role, pending, token, True, country))  # "Ленина ул."
            pending, i = [], i + 1
            continue
        words, end = _collect(tokens, i + 1, role[1]) if role else ([], i)
        if role and words:
            events += _unmarked(pending, country)
            if role[0] == "city":
                words, pending = _split_city(words, country)
            else:
                pending = []
            events.append(_named(role, words, token, False, country))
            i = end
        elif is_number(token):
            events += _unmarked(pending, country)
            events.append(("bare", token.upper()))
            pending, i = [], i + 1
        else:
            pending.append(token)
            i += 1
    return events + _unmarked(pending, country)


@lru_cache(maxsize=65536)
def read_segment(segment: str, country: str) -> tuple[Event, ...]:
    """Return what one comma-separated segment says, as events.

    Examples:
        >>> read_segment("Ленина ул.", "RU")
        (('street', 'ул.', 'Ленина'),)
    """
    bare = segment.strip()
    if bare.isdigit() and bare.isascii():
        return (("bare", bare),)  # a postcode or a house number: most segments
    tokens = tokenise(segment)
    if not tokens or fold(segment).replace(" ", "") in _COUNTRY_WORDS:
        return ()
    city = find_city(segment, country)
    if city:
        return (("city", "г.", city.name),)
    if _DISTRICT_RE.search(segment) or marker_key(tokens[-1]) in _DISTRICT_ENDS:
        return (("district", " ".join(tokens)),)
    region, known = find_region(segment)
    if known and region:
        return (("region", region, segment),)
    return tuple(_read_tokens(tokens, country))
