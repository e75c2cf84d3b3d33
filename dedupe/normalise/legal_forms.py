"""Legal forms: the table in data/legal_forms.csv and finding a form in a name.

A form is found by its words, compared in skeleton space (`translit.latin_skeleton` of
each word), so "ООО", "Ооо", "О.О.О." and "OOO" are one variant, and so are
"Общество с ограниченной ответственностью" and its Latin transliterations. Two
limits keep that from finding forms where there are none: a Cyrillic variant matches
Latin words only for the forms flagged `latin` (OOO, ZAO, PAO, IP... are written so;
"ТОО" must not match English "too"), and each form is looked for only where it is
written: Russian forms before or after the name, "Inc"/"GmbH"/"Company" only after it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal, NamedTuple

from dedupe.normalise.translit import skeleton_word

__all__ = [
    "LEGAL_FORMS",
    "FormMatch",
    "LegalForm",
    "Token",
    "find_legal_forms",
    "strip_key_forms",
    "tokenize",
]

Position = Literal["start", "end", "both"]


@dataclass(frozen=True, slots=True)
class LegalForm:
    """One row of data/legal_forms.csv.

    Attributes:
        code: the canonical short code ("ООО", "LLC", "GMBH").
        country: ISO 3166 code of the country the form belongs to (EU for SE).
        display: how the form is written for people ("ООО", "GmbH", "Inc.").
        latin: the Latin spelling used when the name was written in Latin ("OOO").
        position: where the form is looked for: "start", "end" or "both".
        full: the long form ("Общество с ограниченной ответственностью").
        variants: every spelling looked for, long forms included.
        latin_ok: Latin transliterations of the Cyrillic variants count too.
        person: a sole trader's form; the rest of the name is a person's name.
    """

    code: str
    country: str
    display: str
    latin: str | None
    position: Position
    full: str
    variants: tuple[str, ...]
    latin_ok: bool
    person: bool


class Token(NamedTuple):
    """A word of a name: its skeleton, its script, and its span in the text.

    `script` is "c" (Cyrillic letters only), "l" (letters of other scripts only,
    Latin in practice), "m" (both) or "o" (no letter at all). A named tuple, not a
    dataclass: names are split into millions of these.
    """

    skeleton: str
    script: str
    start: int
    end: int


class FormMatch(NamedTuple):
    """A legal form found in tokens[first:stop]; `latin`: written in Latin letters;
    `long`: written out ("Общество с ограниченной ответственностью", "Limited")."""

    form: LegalForm
    first: int
    stop: int
    latin: bool
    long: bool


def _read_table() -> dict[str, LegalForm]:
    text = (resources.files(__package__) / "data" / "legal_forms.csv").read_text(
        encoding="utf-8"
    )
    forms = {}
    for row in csv.DictReader(io.StringIO(text)):
        flags = row["flags"].split()
        forms[row["code"]] = LegalForm(
            code=row["code"],
            country=row["country"],
            display=row["display"],
            latin=row["latin"] or None,
            position=row["position"],  # type: ignore[arg-type]
            full=row["full"],
            variants=tuple(row["variants"].split("|")),
            latin_ok="latin" in flags,
            person="person" in flags,
        )
    return forms


LEGAL_FORMS: dict[str, LegalForm] = _read_table()

# Apostrophes inside a word belong to it: "L'Oreal", "otvetstvennost'yu".
_WORD = re.compile(r"[^\W_]+(?:['’ʼ`´][^\W_]+)*")
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_NOT_CYRILLIC_LETTER = re.compile(r"[^\W\d_\u0400-\u04ff]")


@lru_cache(maxsize=1 << 17)
def _word(word: str) -> tuple[str, str]:
    """Return a word's skeleton and script, once per distinct word."""
    cyr = bool(_CYRILLIC.search(word))
    other = bool(_NOT_CYRILLIC_LETTER.search(word))
    script = ("m" if other else "c") if cyr else ("l" if other else "o")
    return skeleton_word(_APOSTROPHES.sub("", word)), script


def tokenize(text: str) -> tuple[Token, ...]:
    """Return the words of `text` (already NFKC-normalised) as `Token`s.

    Examples:
        >>> [t.skeleton for t in tokenize("О.О.О. «Ромашка»")]
        ['o', 'o', 'o', 'romashka']
    """
    return tuple(
        Token(*_word(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)
    )


@dataclass(frozen=True, slots=True)
class _Variant:
    form: LegalForm
    cyrillic: bool
    long: bool
    lengths: tuple[int, ...]  # of the words as written; short ones must agree


def _lengths_ok(lengths: tuple[int, ...], v: _Variant) -> bool:
    # Skeletons fold "ООО" to "o"; a lone "O" or "ОО" is not the form.
    return all(n == m or m > 5 for n, m in zip(lengths, v.lengths, strict=True))


def _index() -> tuple[
    dict[tuple[str, ...], list[_Variant]], dict[str, tuple[int, ...]]
]:
    index: dict[tuple[str, ...], list[_Variant]] = {}
    for form in LEGAL_FORMS.values():
        for variant in form.variants:
            tokens = tokenize(variant)
            words = tuple(t.skeleton for t in tokens)
            cyrillic = bool(_CYRILLIC.search(variant))
            long = any(len(w) > 4 for w in _WORD.findall(variant))
            lengths = tuple(t.end - t.start for t in tokens)
            index.setdefault(words, []).append(_Variant(form, cyrillic, long, lengths))
    sizes: dict[str, set[int]] = {}
    for words in index:
        sizes.setdefault("<" + words[0], set()).add(len(words))
        sizes.setdefault(">" + words[-1], set()).add(len(words))
    # "<first word" / ">last word" of a variant -> its word counts, longest first.
    return index, {k: tuple(sorted(v, reverse=True)) for k, v in sizes.items()}


_INDEX, _SIZES = _index()


def _accepts(v: _Variant, scripts: set[str], where: str) -> bool:
    if v.form.position not in (where, "both"):
        return False
    if v.cyrillic:
        return scripts <= {"c", "m"} or (v.form.latin_ok and scripts <= {"l", "m"})
    return scripts <= {"l", "m"}


@lru_cache(maxsize=1 << 12)
def _lookup(
    words: tuple[tuple[str, str, int], ...], where: str
) -> tuple[LegalForm, bool, bool] | None:
    """(skeleton, script, length) of each word -> (form, latin, long); cached, as the
    same few spellings of the same few forms come back on most rows."""
    scripts = {script for _, script, _ in words}
    lengths = tuple(n for _, _, n in words)
    for v in _INDEX.get(tuple(w for w, _, _ in words), ()):
        if _accepts(v, scripts, where) and _lengths_ok(lengths, v):
            return v.form, scripts <= {"l"}, v.long
    return None


def _match(
    tokens: tuple[Token, ...], first: int, stop: int, where: str
) -> FormMatch | None:
    found = _lookup(
        tuple((t.skeleton, t.script, t.end - t.start) for t in tokens[first:stop]),
        where,
    )
    return FormMatch(found[0], first, stop, found[1], found[2]) if found else None


def find_legal_forms(
    tokens: tuple[Token, ...],
) -> tuple[FormMatch | None, FormMatch | None]:
    """Return the longest legal form at the start and at the end of `tokens`.

    The two never overlap, and a form is never the whole name at both ends at once:
    "ООО" alone is found at the start only.

    Examples:
        >>> start, end = find_legal_forms(tokenize("Ромашка, ООО"))
        >>> start is None, end.form.code
        (True, 'ООО')
    """
    start = end = None
    count = len(tokens)
    if not count:
        return None, None
    for size in _SIZES.get("<" + tokens[0].skeleton, ()):
        if size <= count and (start := _match(tokens, 0, size, "start")):
            break
    low = start.stop if start else 0
    for size in _SIZES.get(">" + tokens[-1].skeleton, ()):
        if size <= count - low and (end := _match(tokens, count - size, count, "end")):
            break
    return start, end


@lru_cache(maxsize=1 << 12)
def _key_variant(words: tuple[str, ...], where: str) -> bool:
    lengths = tuple(len(w) for w in words)
    for v in _INDEX.get(words, ()):
        if not v.form.person and _accepts(v, {"l"}, where) and _lengths_ok(lengths, v):
            return True
    return False


def strip_key_forms(words: tuple[str, ...]) -> tuple[str, ...]:
    """Remove every legal form left at either edge of a key's words.

    A key is Latin, so this removes exactly what `find_legal_forms` could find in it
    again; that is what keeps `company_name_key` idempotent when a name holds two
    forms ("ООО «Sigma Ltd»").

    Examples:
        >>> strip_key_forms(("sigma", "ltd"))
        ('sigma',)
    """
    changed = True
    while changed and words:
        changed = False
        for size in _SIZES.get("<" + words[0], ()):
            if size <= len(words) and _key_variant(words[:size], "start"):
                words, changed = words[size:], True
                break
        if not words:
            break
        for size in _SIZES.get(">" + words[-1], ()):
            if size <= len(words) and _key_variant(words[-size:], "end"):
                words, changed = words[:-size], True
                break
    return words
