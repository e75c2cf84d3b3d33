"""Normalised records held column by column, the shape every dedupe stage works on.

Single-valued fields become integer codes (-1 where empty) so equality over millions of
candidate pairs is one numpy comparison; multi-valued fields (phones, emails) become a
padded code matrix. Free text that is compared fuzzily (name key, address key) stays as
an object array for rapidfuzz.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

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
    "postcode",
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
    """Codes of one field's values, with how many records hold each value."""

    codes: dict[str, int] = field(default_factory=dict)
    counts: list[int] = field(default_factory=list)

    def code(self, value: str) -> int:
        found = self.codes.get(value)
        if found is None:
            found = self.codes[value] = len(self.counts)
            self.counts.append(0)
        return found

    def values(self) -> list[str]:
        ordered = [""] * len(self.counts)
        for value, code in self.codes.items():
            ordered[code] = value
        return ordered


@dataclass
class RecordFrame:
    """Columns of many records; row i is record `ids[i]`."""

    ids: IntArray
    codes: dict[str, IntArray]
    multi: dict[str, IntArray]  # field -> (rows, MAX_VALUES) codes, -1 padded
    vocab: dict[str, Vocabulary]
    name_key: ObjArray
    address_key: ObjArray
    _frequencies: dict[str, npt.NDArray[np.float64]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def frequency(self, field_name: str) -> npt.NDArray[np.float64]:
        """Share of the records that have the field which hold each value (term
        frequency); comparable with u, which is measured on non-missing values."""
        cached = self._frequencies.get(field_name)
        if cached is None:
            # Never empty: lookups index it with code 0 where a side has no value.
            counts = np.asarray(self.vocab[field_name].counts or [0], dtype=np.float64)
            if field_name in self.multi:
                holders = int((self.multi[field_name][:, 0] >= 0).sum())
            else:
                holders = int((self.codes[field_name] >= 0).sum())
            cached = self._frequencies[field_name] = counts / max(holders, 1)
        return cached

    def value(self, field_name: str, row: int) -> str | None:
        code = int(self.codes[field_name][row])
        return None if code < 0 else self.vocab[field_name].values()[code]

    def position(self) -> dict[int, int]:
        return {int(record_id): row for row, record_id in enumerate(self.ids)}


def build_frame(rows: Iterable[RecordRow]) -> RecordFrame:
    """Encode records column by column (one pass, no per-pair work)."""
    vocab = {name: Vocabulary() for name in (*EXACT_FIELDS, *MULTI_FIELDS)}
    ids: list[int] = []
    exact: dict[str, list[int]] = {name: [] for name in EXACT_FIELDS}
    multi: dict[str, list[list[int]]] = {name: [] for name in MULTI_FIELDS}
    names: list[str | None] = []
    addresses: list[str | None] = []
    for row in rows:
        ids.append(row.id)
        for name in EXACT_FIELDS:
            value = getattr(row, name)
            if value:
                words = vocab[name]
                code = words.code(value)
                words.counts[code] += 1
                exact[name].append(code)
            else:
                exact[name].append(-1)
        lines = dict.fromkeys(phone_base(p) for p in row.phones)
        domains = dict.fromkeys(
            d for d in (corporate_domain(e) for e in row.emails) if d
        )
        for name, values in (
            ("phones", dict.fromkeys(row.phones)),
            ("phone_lines", lines),
            ("emails", dict.fromkeys(row.emails)),
            ("email_domains", domains),
        ):
            codes = []
            for value in list(values)[:MAX_VALUES]:
                code = vocab[name].code(value)
                vocab[name].counts[code] += 1
                codes.append(code)
            multi[name].append(codes)
        names.append(row.name_key)
        addresses.append(row.address_key)
    return RecordFrame(
        ids=np.asarray(ids, dtype=np.int64),
        codes={k: np.asarray(v, dtype=np.int64) for k, v in exact.items()},
        multi={k: _padded(v) for k, v in multi.items()},
        vocab=vocab,
        name_key=np.asarray(names, dtype=object),
        address_key=np.asarray(addresses, dtype=object),
    )


def _padded(lists: list[list[int]]) -> IntArray:
    matrix = np.full((len(lists), MAX_VALUES), -1, dtype=np.int64)
    for row, codes in enumerate(lists):
        matrix[row, : len(codes)] = codes
    return matrix
