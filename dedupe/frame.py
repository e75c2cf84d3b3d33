"""Normalised records held column by column, the shape every dedupe stage works on.

Single-valued fields become integer codes (-1 where empty) so equality over millions of
candidate pairs is one numpy comparison; multi-valued fields (phones, emails) become a
padded code matrix. Free text that is compared fuzzily (name key, address key) stays as
an object array for rapidfuzz.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from leadbase.reference.mail import is_freemail_domain

IntArray = npt.NDArray[np.int64]
ObjArray = npt.NDArray[np.object_]

# Single-valued fields compared for equality; their codes share nothing across fields.
EXACT_FIELDS = (
    "inn",
    "ogrn",
    "kpp",
    "legal_form",
    "domain",
    "city",
    "region",
    "name_key",
    "address_key",
)
MULTI_FIELDS = ("phones", "phone_lines", "emails", "email_domains")
MAX_VALUES = 4  # phones or emails per record compared; a fifth says nothing new


@dataclass(frozen=True, slots=True)
class RecordRow:
    """One normalised record as the engine needs it (a `records` row)."""

    id: int
    name_key: str | None = None
    legal_form: str | None = None
    inn: str | None = None
    ogrn: str | None = None
    kpp: str | None = None
    domain: str | None = None
    phones: Sequence[str] = ()
    emails: Sequence[str] = ()
    postcode: str | None = None
    region: str | None = None
    city: str | None = None
    address_key: str | None = None

    @classmethod
    def of(cls, record_id: int, values: Any) -> RecordRow:
        """Build from anything with the `records` columns as attributes."""
        return cls(
            id=record_id,
            name_key=values.name_key,
            legal_form=values.legal_form,
            inn=values.inn,
            ogrn=values.ogrn,
            kpp=values.kpp,
            domain=values.domain,
            phones=tuple(values.phones or ()),
            emails=tuple(values.emails or ()),
            postcode=values.postcode,
            region=values.region,
            city=values.city,
            address_key=values.address_key,
        )


def phone_base(e164: str) -> str:
    """The number without its extension: a switchboard and its extensions, one line."""
    return e164.split(";", 1)[0]


def corporate_domain(email: str) -> str | None:
    """The email's domain unless anyone can open a mailbox there."""
    domain = email.rpartition("@")[2]
    return None if not domain or is_freemail_domain(domain) else domain


@dataclass
class Vocabulary:
    """One field's distinct values (the code is the index) and how many records
    hold each."""

    values: ObjArray
    counts: IntArray


@dataclass
class RecordFrame:
    """Columns of many records; row i is record `ids[i]`."""

    ids: IntArray
    codes: dict[str, IntArray]
    multi: dict[str, IntArray]  # field -> (rows, MAX_VALUES) codes, -1 padded
    vocab: dict[str, Vocabulary]
    name_key: ObjArray
    address_key: ObjArray
    # Global counts for a frame holding only part of the base (an incremental run's
    # batch and its neighbours): how many records of the whole base hold each name
    # word. None: the frame is the whole base and counts its own.
    word_counts: dict[str, int] | None = None
    _frequencies: dict[str, npt.NDArray[np.float64]] = field(default_factory=dict)
    _texts: dict[str, ObjArray] = field(default_factory=dict)
    _wide: dict[str, npt.NDArray[np.bool_]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def frequency(self, field_name: str) -> npt.NDArray[np.float64]:
        """Share of the records that have the field which hold each value (term
        frequency); comparable with u, which is measured on non-missing values."""
        cached = self._frequencies.get(field_name)
        if cached is None:
            # Never empty: lookups index it with code 0 where a side has no value.
            counts = self.vocab[field_name].counts.astype(np.float64)
            if not len(counts):
                counts = np.zeros(1)
            if field_name in self.multi:
                holders = int((self.multi[field_name][:, 0] >= 0).sum())
            else:
                holders = int((self.codes[field_name] >= 0).sum())
            cached = self._frequencies[field_name] = counts / max(holders, 1)
        return cached

    def use_global_frequency(
        self, field_name: str, counts: npt.NDArray[Any], holders: int
    ) -> None:
        """Term frequencies of the whole base for a frame holding part of it:
        `counts` per value of this frame's vocabulary (NaN: not needed, not
        counted), `holders` records in all."""
        shares = counts.astype(np.float64) / max(holders, 1)
        self._frequencies[field_name] = shares if len(shares) else np.zeros(1)

    def texts(self, field_name: str, *, sort_words: bool = False) -> ObjArray:
        """A fuzzy-compared field's distinct values, indexed by code.

        `sort_words` puts each text's words in order once per distinct value, so a
        plain ratio on them equals rapidfuzz's token_sort_ratio without sorting per
        pair.
        """
        key = f"{field_name}:sorted" if sort_words else field_name
        cached = self._texts.get(key)
        if cached is None:
            values = self.vocab[field_name].values
            if sort_words:
                values = np.fromiter(
                    (" ".join(sorted(str(v).split())) for v in values),
                    dtype=object,
                    count=len(values),
                )
            cached = self._texts[key] = values
        return cached

    def wide(self, field_name: str) -> npt.NDArray[np.bool_]:
        """Rows holding more than one value of a multi-valued field."""
        cached = self._wide.get(field_name)
        if cached is None:
            cached = self._wide[field_name] = self.multi[field_name][:, 1] >= 0
        return cached

    def value(self, field_name: str, row: int) -> str | None:
        code = int(self.codes[field_name][row])
        return None if code < 0 else str(self.vocab[field_name].values[code])

    def position(self) -> dict[int, int]:
        return {int(record_id): row for row, record_id in enumerate(self.ids)}


def build_frame(rows: Iterable[RecordRow]) -> RecordFrame:
    """Encode records column by column (hash-factorised, no per-pair work).

    Each field is read into an array once; everything after that works on whole
    columns, and derived values (a phone's line, an email's company domain) are
    computed once per distinct value, not once per record.
    """
    records = rows if isinstance(rows, list) else list(rows)
    count = len(records)

    def column(name: str) -> ObjArray:
        return np.fromiter(map(attrgetter(name), records), dtype=object, count=count)

    ids = np.fromiter(map(attrgetter("id"), records), dtype=np.int64, count=count)
    return _encode(column, ids)


def frame_of_columns(columns: Mapping[str, Sequence[Any]]) -> RecordFrame:
    """`build_frame` of records given column by column: "id" and the other
    `RecordRow` fields, phones and emails as sequences per record (a loaded base
    is columns already; a million `RecordRow`s cost seconds)."""
    ids = np.asarray(columns["id"], dtype=np.int64)

    def column(name: str) -> ObjArray:
        # fromiter, not an assignment: numpy would read a column of lists as 2-D.
        values = columns[name]
        return np.fromiter(values, dtype=object, count=len(values))

    return _encode(column, ids)


def _encode(column: Callable[[str], ObjArray], ids: IntArray) -> RecordFrame:
    count = len(ids)
    codes: dict[str, IntArray] = {}
    vocab: dict[str, Vocabulary] = {}
    texts = {name: column(name) for name in ("name_key", "address_key")}
    for name in EXACT_FIELDS:
        values = texts[name] if name in texts else column(name)
        codes[name], vocab[name] = _factorise(values, empty_is_missing=True)
    multi: dict[str, IntArray] = {}
    for name, derived, derive in (
        ("phones", "phone_lines", _phone_lines),
        ("emails", "email_domains", _company_domains),
    ):
        owner, found, vocab[name] = _flatten_lists(column(name))
        multi[name] = _matrix(owner, found, count)
        # Derived once per distinct value, then looked up for every record.
        mapped, vocab[derived] = _factorise(derive(vocab[name].values))
        found_derived = mapped[found]
        present = found_derived >= 0
        owner_derived, found_derived = _first_per_owner(
            owner[present], found_derived[present]
        )
        multi[derived] = _matrix(owner_derived, found_derived, count)
        vocab[derived].counts = np.bincount(
            found_derived, minlength=len(vocab[derived].values)
        )
    return RecordFrame(
        ids=ids,
        codes=codes,
        multi=multi,
        vocab=vocab,
        name_key=texts["name_key"],
        address_key=texts["address_key"],
    )


def _objects(values: Sequence[Any]) -> ObjArray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _phone_lines(phones: ObjArray) -> ObjArray:
    """`phone_base` of each distinct phone."""
    return _objects([phone_base(p) if ";" in p else p for p in phones])


def _company_domains(emails: ObjArray) -> ObjArray:
    """`corporate_domain` of each distinct email, asking about each domain once."""
    domains = _objects([e.rpartition("@")[2] or None for e in emails])
    codes, uniques = pd.factorize(domains, use_na_sentinel=True)
    company = np.fromiter(
        (not is_freemail_domain(d) for d in uniques), dtype=bool, count=len(uniques)
    )
    domains[~((codes >= 0) & company[np.maximum(codes, 0)])] = None
    return domains


def _factorise(
    column: ObjArray, *, empty_is_missing: bool = False
) -> tuple[IntArray, Vocabulary]:
    """Codes (-1 for None, and "" if asked) and the vocabulary of an object column."""
    found, uniques = pd.factorize(column, use_na_sentinel=True)
    found = found.astype(np.int64)
    values = np.asarray(uniques, dtype=object)
    if empty_is_missing:
        empty = np.flatnonzero(values == "")
        if len(empty):
            at = int(empty[0])
            found[found == at] = -1
            found[found > at] -= 1
            values = np.delete(values, at)
    counts = np.bincount(found[found >= 0], minlength=len(values))
    return found, Vocabulary(values, counts)


def _flatten_lists(lists: ObjArray) -> tuple[IntArray, IntArray, Vocabulary]:
    """(owner row, value code) of the first MAX_VALUES distinct values of each row."""
    sizes = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = np.fromiter(chain.from_iterable(lists), dtype=object, count=int(sizes.sum()))
    found, vocabulary = _factorise(flat)
    owner = np.repeat(np.arange(len(lists), dtype=np.int64), sizes)
    owner, found = _first_per_owner(owner, found)
    kept = _slots(owner) < MAX_VALUES  # a fifth phone says nothing new
    owner, found = owner[kept], found[kept]
    # Counted per record holding the value, not per mention.
    vocabulary.counts = np.bincount(found, minlength=len(vocabulary.values))
    return owner, found, vocabulary


def _first_per_owner(owner: IntArray, found: IntArray) -> tuple[IntArray, IntArray]:
    """Drop repeats of a value within a row, keeping first mentions in order."""
    if not len(owner):
        return owner, found
    span = int(found.max()) + 1
    _, first = np.unique(owner * span + found, return_index=True)
    first.sort()
    return owner[first], found[first]


def _slots(owner: IntArray) -> IntArray:
    """Position of each value within its row (owner is sorted)."""
    if not len(owner):
        return owner
    starts = np.r_[True, owner[1:] != owner[:-1]]
    index = np.arange(len(owner), dtype=np.int64)
    return index - np.maximum.accumulate(np.where(starts, index, 0))


def _matrix(owner: IntArray, found: IntArray, rows: int) -> IntArray:
    """A (rows, MAX_VALUES) code matrix, -1 padded (at most MAX_VALUES per row)."""
    matrix = np.full((rows, MAX_VALUES), -1, dtype=np.int64)
    matrix[owner, _slots(owner)] = found
    return matrix
