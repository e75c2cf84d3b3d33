"""Company names: the legal form, the name people see, and the matching key.

"ООО «Ромашка»", "Ромашка, ООО", "OOO Romashka" and "Общество с ограниченной
ответственностью РОМАШКА" all have legal form "ООО", core "Ромашка"/"Romashka"/
"РОМАШКА" and key "romashka". The key is the Latin skeleton of the core
(`translit.latin_skeleton`), so either script and any common transliteration meet.
It keeps descriptor words such as "ТД" or "Группа компаний" (they tell firms apart),
writes the usual long descriptors short ("Торговый дом" -> "td"), drops "им."/
"имени", "и"/"and"/"&", and number signs ("№ 5", "N5" -> "5"). `key_tokens` lists the
words so blocking can weigh them; `GENERIC_KEY_TOKENS` names the ones worth little.

A sole trader's name ("ИП Иванов Иван Иванович") is a person's name: it is parsed by
`persons.parse_person_name`, flagged "person_name" (personal data), and its key is
"ip" followed by the person's key, so the key reads back the same way.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from dedupe.normalise.legal_forms import (
    FormMatch,
    Token,
    find_legal_forms,
    strip_key_forms,
    tokenize,
)
from dedupe.normalise.persons import PersonNameParse, parse_person_name
from dedupe.normalise.translit import capitalise, fix_homoglyphs, latin_skeleton

__all__ = [
    "GENERIC_KEY_TOKENS",
    "CompanyNameParse",
    "company_name_key",
    "normalise_company_name",
    "parse_company_name",
]


@dataclass(frozen=True, slots=True)
class CompanyNameParse:
    """A company name taken apart.

    Attributes:
        raw: the input, untouched.
        display: what a person should see: "ООО «Ромашка»", "Nord Systems LLC",
            "ИП Иванов Иван Иванович"; None when there is no name.
        legal_form: the form's short code ("ООО", "LLC", "GMBH"), None if none.
        legal_form_full: the form written out ("Общество с ограниченной
            ответственностью").
        core: the name without the form and quotes, in its own capitalisation.
        key: the matching key, "romashka"; None when there is no name.
        key_tokens: the key's words.
        person: the parsed person's name of a sole trader, else None.
        flags: what was noticed or could not be read (see `parse_company_name`).
    """

    raw: str | None
    display: str | None
    legal_form: str | None
    legal_form_full: str | None
    core: str | None
    key: str | None
    key_tokens: tuple[str, ...]
    person: PersonNameParse | None
    flags: tuple[str, ...]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _skeleton_set(words: str) -> frozenset[str]:
    return frozenset(latin_skeleton(words).split())


# Descriptors that many unrelated firms share: worth little in blocking.
GENERIC_KEY_TOKENS = _skeleton_set(
    "ТД ГК ПК СК ТК НПП НПО НПФ ПКФ ТПК ИК УК СМУ ПСК ЧОП ЧОО компания фирма группа "
    "холдинг предприятие завод центр company group holding trading firm"
)
_PHRASES = (
    ("Торговый дом", "ТД"), ("Trading House", "ТД"), ("Группа компаний", "ГК"),
    ("Group of Companies", "ГК"), ("Научно-производственное предприятие", "НПП"),
    ("Научно-производственное объединение", "НПО"),
    ("Научно-производственная фирма", "НПФ"),
    ("Производственная компания", "ПК"), ("Строительная компания", "СК"),
    ("Транспортная компания", "ТК"), ("Торговая компания", "ТК"),
    ("Производственно-коммерческая фирма", "ПКФ"), ("Инвестиционная компания", "ИК"),
    ("Торгово-производственная компания", "ТПК"), ("Управляющая компания", "УК"),
    ("Частное охранное предприятие", "ЧОП"), ("Частная охранная организация", "ЧОО"),
)  # fmt: skip
_PHRASE_KEYS = {
    tuple(latin_skeleton(long).split()): latin_skeleton(short)
    for long, short in _PHRASES
}
_PHRASE_FIRST = frozenset(words[0] for words in _PHRASE_KEYS)
_STOP_SKELETONS = frozenset({"imeni", "and", "und", "et"})
_STOP_CYRILLIC = frozenset({"и", "им"})
_STOP_CYRILLIC_SKELETONS = frozenset({"i", "im"})

_NUMBER_SIGNS = frozenset({"n", "no", "nr", "nomer"})
_NUMBERED = re.compile(r"(?:n|no|nr|nomer)(?=\d+$)")
_BRANCH = frozenset({"filial", "predstavitelstvo", "branch"})
# Forms written before the name in guillemets: «» in Russian, "" when in Latin.
_CYRILLIC_FORM_COUNTRIES = frozenset({"RU", "BY", "KZ", "UA", "KG"})

_QUOTE = re.compile(
    r"[\"«»„“”‟‹›‚‛〝〞「」『』]|(?<![^\W\d_])['’‘`´]|['’‘`´](?![^\W\d_])"
)
_ALNUM = re.compile(r"[^\W_]")
_DIGIT = re.compile(r"\d")
# "000 «Ромашка»": zeros typed for the letters of ООО, at the start only.
_ZEROS = re.compile(r"^000(?=\s*[«\"„“']| [^\W\d_])")
_SPACE_BEFORE = re.compile(r"\s+(?=[,.;:!?)\]])|(?<=[(\[])\s+")
_EDGE_LEADING = " ,.;:!?-–—/\\|*_•·'’‘`´"
_EDGE_TRAILING = _EDGE_LEADING.replace(".", "")  # "Inc." keeps its dot
_TRAILING_DOT = re.compile(r"(?<=[^\W\d_]{3})\.$")
_VOWELS = frozenset("аеёиоуыэюяaeiouy")
_ACRONYMS = _words(
    "ТД ГК ПК СК ТК НПП НПО НПФ ПКФ ТПК ИК УК СМУ ПСК ЧОП ЧОО НИИ КБ ОКБ ЖКХ ЖБИ РФ "
    "IT ИТ HR PR TV ТВ USA UK EU"
)
_SMALL_WORDS = _words(
    "и в на по для с из от до к о об при им имени of and the for in on at by de la "
    "du des von van der und et"
)


def _balance(text: str) -> str:
    """Drop brackets that do not pair up: "Ромашка (" -> "Ромашка"."""
    if "(" not in text and ")" not in text:
        return text
    out, open_at = list(text), []
    for i, char in enumerate(text):
        if char == "(":
            open_at.append(i)
        elif char == ")":
            if open_at:
                open_at.pop()
            else:
                out[i] = " "
    for i in open_at:
        out[i] = " "
    return "".join(out)


def _tidy(text: str) -> str:
    """Whitespace, bracket and edge-punctuation clean-up, in an order that makes one
    pass enough (the property tests check that it is idempotent)."""
    text = _SPACE_BEFORE.sub("", " ".join(_balance(text).split()))
    text = text.lstrip(_EDGE_LEADING).rstrip(_EDGE_TRAILING)
    return _TRAILING_DOT.sub("", text) if text.endswith(".") else text


@lru_cache(maxsize=1 << 16)
def _recase_run(run: str, caps: bool, first: bool) -> str:
    low = run.lower()
    if low in _SMALL_WORDS and not first:
        return low
    if run.upper() in _ACRONYMS or any(c.isdigit() for c in run):
        return run.upper() if caps or run.upper() in _ACRONYMS else run
    if caps and (len(run) <= 3 or not _VOWELS.intersection(low)):
        return run  # short or vowel-less capitals are acronyms: IBM, МТС, ВТБ
    return capitalise(run)


def _recase(core: str) -> str:
    """Title-case an all-caps or all-lower name; a mixed-case one is kept as written.

    Examples:
        >>> _recase("ТД РОМАШКА"), _recase("iPhone Store")
        ('ТД Ромашка', 'iPhone Store')
    """
    has_upper = any(c.isupper() for c in core)
    if has_upper and any(c.islower() for c in core):
        return core
    runs = iter(range(len(core)))
    return re.sub(
        r"[^\W_]+", lambda m: _recase_run(m.group(), has_upper, next(runs) == 0), core
    )


def _finish_once(words: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    i, count = 0, len(words)
    while i < count:
        word = words[i]
        if word in _PHRASE_FIRST:
            size = next((n for n in (3, 2) if words[i : i + n] in _PHRASE_KEYS), 0)
            if size:
                out.append(_PHRASE_KEYS[words[i : i + size]])
                i += size
                continue
        if word[:1] == "n":  # "№ 5", "N5", "No. 5" -> "5"
            word = _NUMBERED.sub("", word)
            if (
                word in _NUMBER_SIGNS
                and words[i + 1 : i + 2]
                and words[i + 1].isdigit()
            ):
                i += 1
                continue
        # "и"/"i" between two words is "and" in either script ("Рога и копыта").
        between = word == "i" and 0 < i < count - 1
        if word not in _STOP_SKELETONS and not between:
            out.append(word)
        i += 1
    return strip_key_forms(tuple(out))


def _finish(words: tuple[str, ...]) -> tuple[str, ...]:
    """Shorten descriptors, drop small words and number signs, strip leftover forms."""
    for _ in range(4):  # each round can expose a form at an edge; stop when settled
        done = _finish_once(words)
        if done == words:
            break
        words = done
    return words


def _nfkc(text: str) -> str:
    """NFKC-normalise `text` but keep "№", which NFKC would spell "No"."""
    if "№" not in text:
        return unicodedata.normalize("NFKC", text)
    return "№".join(unicodedata.normalize("NFKC", part) for part in text.split("№"))


def _core_words(core: str, tokens: tuple[Token, ...], text: str) -> tuple[str, ...]:
    """Return the key's words of the core, whose tokens (in `text`) are given."""
    if "+" in core:  # "Альфа+" is "Альфа Плюс"
        text = core.replace("+", " plus ")
        tokens = tokenize(text)
    return _finish(
        tuple(
            t.skeleton
            for t in tokens
            if t.skeleton
            and not (t.skeleton in _STOP_CYRILLIC_SKELETONS and _is_stop(t, text))
        )
    )


def _is_stop(token: Token, text: str) -> bool:
    return text[token.start : token.end].casefold() in _STOP_CYRILLIC


def _person_like(person: PersonNameParse) -> bool:
    """A Latin "IP" is a sole trader's form only before a name like "Ivanov I.I."."""
    return person.patronymic is not None or (
        person.first is None and bool(person.initials)
    )


def _rest(text: str, tokens: tuple[Token, ...], match: FormMatch) -> str:
    """The text without the form's words: what follows or precedes them."""
    if match.first == 0:
        return text[tokens[match.stop - 1].end :]
    return text[: tokens[match.first].start]


def _valid(text: str, tokens: tuple[Token, ...], match: FormMatch | None) -> bool:
    if match is None:
        return False
    if match.form.person and match.latin:
        rest = _rest(text, tokens, match)
        return not _DIGIT.search(rest) and _person_like(parse_person_name(rest))
    return True


def _choose(
    quoted: str, text: str, tokens: tuple[Token, ...]
) -> tuple[FormMatch | None, bool]:
    """Return the legal form that is the name's own, and whether there was another."""
    start, end = find_legal_forms(tokens)
    start = start if _valid(text, tokens, start) else None
    end = end if _valid(text, tokens, end) else None
    if start and end:
        # "«LLC Sigma» ООО": a form outside the quotes beats one inside them.
        quotes = [m.start() for m in _QUOTE.finditer(quoted)]
        start_inside = bool(quotes) and tokens[start.stop - 1].end > quotes[0]
        end_outside = bool(quotes) and tokens[end.first].start >= quotes[-1]
        return (end if start_inside and end_outside else start), True
    return start or end, False


def _form_text(match: FormMatch) -> str:
    form = match.form
    return (form.latin or form.display) if match.latin else form.display


def _display(match: FormMatch | None, core: str) -> str:
    if match is None:
        return core
    form = _form_text(match)
    if match.form.person:
        return f"{form} {core}"
    if match.form.country in _CYRILLIC_FORM_COUNTRIES and not match.form.code.isascii():
        return f'{form} "{core}"' if match.latin else f"{form} «{core}»"
    return f'{form} "{core}"' if match.first == 0 else f"{core} {form}"


def _flags(match: FormMatch | None, mixed: bool, extra: bool) -> list[str]:
    flags = ["no_legal_form"] if match is None else []
    if match and match.long:
        flags.append("long_legal_form")
    if extra:
        flags.append("extra_legal_form")
    if mixed:
        flags.append("mixed_script")
    return flags


def _blank(value: str | None, flag: str) -> CompanyNameParse:
    return CompanyNameParse(value, None, None, None, None, None, (), None, (flag,))


def _sole_trader(core: str) -> tuple[PersonNameParse, str, tuple[str, ...]]:
    person = parse_person_name(core)
    words = tuple(person.key.split()) if person.key else ()
    # A key like "ip ivanov i i" reads back as a sole trader; "ip ivanov" does not,
    # so it must already be what the company path would make of it.
    return (
        person,
        person.display or core,
        ("ip", *(words if _person_like(person) else _finish(words))),
    )


@lru_cache(maxsize=1 << 17)
def parse_company_name(value: str | None) -> CompanyNameParse:
    """Take a company name apart: legal form, display form, core and matching key.

    The form is found at the start, at the end or after a comma, short or long, in
    Cyrillic or Latin, through noise ("ООО"ТД "Ромашка"", "Ооо", "О.О.О."). Never
    raises.

    Flags: "empty", "junk" (no letter or digit), "no_legal_form", "long_legal_form",
    "extra_legal_form" (a second form was left in the core: "ООО «Sigma Ltd»"),
    "no_name" (a form and nothing else), "person_name" (a sole trader: personal
    data), "mixed_script" (look-alike letters of the other script), "recased" (an
    all-caps or all-lower name was title-cased), "branch" (филиал, branch).

    Examples:
        >>> p = parse_company_name('ООО"ТД "РОМАШКА"')
        >>> p.display, p.legal_form, p.core, p.key
        ('ООО «ТД Ромашка»', 'ООО', 'ТД РОМАШКА', 'td romashka')
    """
    parsed = _parse(value)
    if not parsed.key or "ip" not in (parsed.key_tokens[0], parsed.key_tokens[-1]):
        return parsed
    if parsed.person and _reads_back(parsed.key_tokens):
        return parsed
    # A sole trader's key must read back as itself; the person's name is read twice
    # (once as a name, once as a key), so settle it: at most a few rounds, usually 0.
    key = parsed.key
    for _ in range(3):
        again = _parse(key).key
        if again is None or again == key:
            break
        key = again
    if key == parsed.key:
        return parsed
    return dataclasses.replace(parsed, key=key, key_tokens=tuple(key.split()))


def _parse(value: str | None) -> CompanyNameParse:
    if value is None or not value.strip():
        return _blank(value, "empty")
    normal = " ".join(_nfkc(value).split())
    fixed = fix_homoglyphs(normal)
    quoted = _ZEROS.sub("ООО", fixed) if fixed.startswith("000") else fixed
    text = _QUOTE.sub(" ", quoted)
    tokens = tokenize(text)
    if not tokens:
        return _blank(value, "junk")
    match, extra = _choose(quoted, text, tokens)
    flags = _flags(match, fixed != normal, extra)
    core = _tidy(_rest(text, tokens, match) if match else text)
    form = match.form if match else None
    code, full = (form.code, form.full) if form else (None, None)
    if not _ALNUM.search(core):
        flags.append("no_name")
        return CompanyNameParse(
            value, None, code, full, None, None, (), None, tuple(flags)
        )
    person = None
    if form and form.person:
        person, shown, words = _sole_trader(core)
        flags.append("person_name")
    else:
        shown = _recase(core)
        words = _core_words(core, _core_tokens(tokens, match), text)
        flags += ["recased"] * (shown != core) + ["branch"] * bool(
            _BRANCH.intersection(words)
        )
    return CompanyNameParse(
        value, _display(match, shown), code, full, core, " ".join(words) or None,
        words, person, tuple(flags),
    )  # fmt: skip


def _reads_back(words: tuple[str, ...]) -> bool:
    """A sole trader's key "ip <surname...> <name or initials>" in the shape a key
    takes: words of two letters and more, then one-letter initials, one "ip"."""
    lengths = [len(w) > 1 for w in words[1:]]
    return (
        words.count("ip") == 1
        and lengths[:1] == [True]
        and lengths == sorted(lengths, reverse=True)
    )


def _core_tokens(
    tokens: tuple[Token, ...], match: FormMatch | None
) -> tuple[Token, ...]:
    if match is None:
        return tokens
    return tokens[match.stop :] if match.first == 0 else tokens[: match.first]


def normalise_company_name(value: str | None) -> str | None:
    """Return the name as a person should see it: "ООО «Ромашка»", or None.

    Examples:
        >>> normalise_company_name("ромашка, ооо")
        'ООО «Ромашка»'
    """
    return parse_company_name(value).display


def company_name_key(value: str | None) -> str | None:
    """Return the matching key: one for "ООО «Ромашка»", "OOO Romashka", "Ромашка, ООО".

    Examples:
        >>> company_name_key("OOO Romashka") == company_name_key("ООО «Ромашка»")
        True
    """
    return parse_company_name(value).key
