"""Comparison vectors: for every candidate pair, one agreement level per field.

Computed in bulk: equality of integer codes with numpy, fuzzy name and address
similarity with rapidfuzz's `cpdist` on all cores, once per distinct pair of texts.
Level 0 always means "one side has no value" and weighs nothing. Where a level is an
exact agreement on a value, the value's frequency is kept so the model can weigh a rare
value more than a common one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from rapidfuzz import fuzz, process

from dedupe.frame import IntArray, ObjArray, RecordFrame

FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]  # per-pair arrays: millions of rows
LevelArray = npt.NDArray[np.int8]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A compared field: its level labels (level 0 is always "missing")."""

    name: str
    levels: tuple[str, ...]
    tf_levels: tuple[int, ...] = ()  # levels whose weight is adjusted by frequency


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", ("missing", "exact", "≥95", "≥85", "≥70", "different"), (1,)),
    FieldSpec("inn", ("missing", "equal", "different")),
    FieldSpec("ogrn", ("missing", "equal", "different")),
    FieldSpec("kpp", ("missing", "equal", "different")),
    FieldSpec("legal_form", ("missing", "equal", "different")),
    FieldSpec(
        "phone",
        ("missing", "shared", "same line, other extension", "none shared"),
        (1, 2),
    ),
    FieldSpec(
        "email", ("missing", "shared address", "shared domain", "different"), (1, 2)
    ),
    FieldSpec("domain", ("missing", "equal", "different"), (1,)),
    FieldSpec("place", ("missing", "same city", "same region", "different")),
    FieldSpec("address", ("missing", "exact", "≥90", "≥75", "different")),
)
FIELD_INDEX = {spec.name: number for number, spec in enumerate(FIELDS)}
# Fields whose agreement is weighed by the agreed value's frequency, and their column
# in Comparisons.value_share.
TF_FIELDS = tuple(number for number, spec in enumerate(FIELDS) if spec.tf_levels)
TF_COLUMN = {number: column for column, number in enumerate(TF_FIELDS)}
NAME_CUTS = (95, 85, 70)  # similarity (0-100) of the levels after "exact"
ADDRESS_CUTS = (90, 75)


@dataclass
class Comparisons:
    """Levels (pairs × fields) and, for frequency-weighted levels, the value's share."""

    levels: npt.NDArray[np.int8]
    value_share: Float32Array  # pairs × TF_FIELDS; NaN where no frequency applies

    def __len__(self) -> int:
        return len(self.levels)

    def share(self, field_number: int) -> Float32Array:
        """The agreed value's share for one field (NaN where none applies)."""
        column = TF_COLUMN.get(field_number)
        if column is None:
            return np.full(len(self), np.nan, dtype=np.float32)
        shares: Float32Array = self.value_share[:, column]
        return shares

    def take(self, pairs: IntArray) -> Comparisons:
        """The comparisons of the given pairs only."""
        return Comparisons(self.levels[pairs], self.value_share[pairs])


def compare_pairs(
    frame: RecordFrame,
    left: IntArray,
    right: IntArray,
    progress: Callable[[int, int], None] | None = None,
) -> Comparisons:
    """Comparison vectors for the pairs (row indices into `frame`).

    Field by field over all pairs at once. `progress(done, total)` is called as the
    fields are done (done counts pairs, in proportion to the fields compared).
    """
    count = len(left)
    levels = np.zeros((count, len(FIELDS)), dtype=np.int8)
    share = np.full((count, len(TF_FIELDS)), np.nan, dtype=np.float32)
    steps = iter(range(1, 7))

    def advance() -> None:
        if progress is not None:
            progress(count * next(steps) // 6, count)

    _compare_others(frame, left, right, levels, share, advance)
    address, _ = _fuzzy(
        frame, "address_key", left, right, fuzz.token_set_ratio, ADDRESS_CUTS
    )
    levels[:, FIELD_INDEX["address"]] = address
    advance()
    return Comparisons(levels, share)


def _compare_others(
    frame: RecordFrame,
    left: IntArray,
    right: IntArray,
    levels: npt.NDArray[np.int8],
    share: Float32Array,
    advance: Callable[[], None],
) -> None:
    """Every field but the address, into `levels` and `share`."""
    codes = frame.codes
    name, name_exact = _fuzzy(
        frame, "name_key", left, right, fuzz.ratio, NAME_CUTS, sort_words=True
    )
    levels[:, FIELD_INDEX["name"]] = name
    share[:, TF_COLUMN[FIELD_INDEX["name"]]] = _share(
        frame, "name_key", left, name_exact
    )
    advance()

    for field in ("inn", "ogrn", "kpp", "legal_form"):
        levels[:, FIELD_INDEX[field]] = _equal(codes[field], left, right)
    # OGRN and INN name one registration: where INNs compare, OGRN adds nothing new.
    inn_compared = levels[:, FIELD_INDEX["inn"]] > 0
    levels[inn_compared, FIELD_INDEX["ogrn"]] = 0
    domain = _equal(codes["domain"], left, right)
    levels[:, FIELD_INDEX["domain"]] = domain
    share[:, TF_COLUMN[FIELD_INDEX["domain"]]] = _share(
        frame, "domain", left, domain == 1
    )
    advance()

    # A switchboard with different extensions is one building, not one company.
    number_level, number_share = _shared(frame, "phones", left, right)
    line_level, line_share = _shared(frame, "phone_lines", left, right)
    phone = np.select(
        [number_level == 1, line_level == 1, number_level == 2], [1, 2, 3], 0
    )
    levels[:, FIELD_INDEX["phone"]] = phone
    share[:, TF_COLUMN[FIELD_INDEX["phone"]]] = np.where(
        phone == 1, number_share, line_share
    )
    advance()

    email_level, email_share = _shared(frame, "emails", left, right)
    domain_level, domain_share = _shared(frame, "email_domains", left, right)
    email = np.select(
        [email_level == 1, domain_level == 1, email_level == 2], [1, 2, 3], 0
    )
    levels[:, FIELD_INDEX["email"]] = email
    share[:, TF_COLUMN[FIELD_INDEX["email"]]] = np.where(
        email == 1, email_share, domain_share
    )
    advance()

    city = _equal(codes["city"], left, right)
    region = _equal(codes["region"], left, right)
    place = np.where(
        city == 1,
        1,
        np.where(region == 1, 2, np.where((city == 2) | (region == 2), 3, 0)),
    )
    levels[:, FIELD_INDEX["place"]] = place
    advance()


def compare_texts(frame: RecordFrame, left: IntArray, right: IntArray) -> Comparisons:
    """Only the fuzzy levels (name, address); every other field "missing".

    What random pairs are needed for: the chance agreement of exact levels comes from
    value frequencies, so u needs sampling only where similarity is graded.
    """
    levels = np.zeros((len(left), len(FIELDS)), dtype=np.int8)
    levels[:, FIELD_INDEX["name"]] = _fuzzy(
        frame, "name_key", left, right, fuzz.ratio, NAME_CUTS, sort_words=True
    )[0]
    levels[:, FIELD_INDEX["address"]] = _fuzzy(
        frame, "address_key", left, right, fuzz.token_set_ratio, ADDRESS_CUTS
    )[0]
    share = np.full((len(left), len(TF_FIELDS)), np.nan, dtype=np.float32)
    return Comparisons(levels, share)


def _equal(codes: IntArray, left: IntArray, right: IntArray) -> LevelArray:
    """0 missing, 1 equal, 2 different."""
    a, b = codes[left], codes[right]
    level = np.where(a == b, 1, 2).astype(np.int8)
    level[(a < 0) | (b < 0)] = 0
    return level


def _share(
    frame: RecordFrame, field: str, left: IntArray, agree: npt.NDArray[np.bool_]
) -> FloatArray:
    shares = frame.frequency(field)
    codes = frame.codes[field][left]
    return np.where(agree, shares[np.maximum(codes, 0)], np.nan)


def _fuzzy(
    frame: RecordFrame,
    field: str,
    left: IntArray,
    right: IntArray,
    scorer: Callable[..., Any],
    cuts: tuple[int, ...],
    *,
    sort_words: bool = False,
) -> tuple[LevelArray, npt.NDArray[np.bool_]]:
    """Graded levels of a text field, and which pairs hold the same text.

    0 missing, 1 exact, then one level per similarity cut (0-100), last "different".
    Only distinct pairs of distinct texts are scored: equal texts are level 1 without
    scoring, and a pair of texts met again (one name in many blocks) is scored once.
    """
    codes = frame.codes[field]
    a, b = codes[left], codes[right]
    exact = (a == b) & (a >= 0)
    level = exact.astype(np.int8)
    todo = np.flatnonzero((a != b) & (a >= 0) & (b >= 0))
    if not len(todo):
        return level, exact
    texts = frame.texts(field, sort_words=sort_words)
    a, b = a[todo], b[todo]  # the full-length gathers are freed here
    inverse, pair_codes = pd.factorize(np.minimum(a, b) * len(texts) + np.maximum(a, b))
    del a, b
    level[todo] = _graded(texts, pair_codes, scorer, cuts)[inverse]
    return level, exact


def _graded(
    texts: ObjArray,
    pair_codes: IntArray,
    scorer: Callable[..., Any],
    cuts: tuple[int, ...],
) -> LevelArray:
    """Level (2 for the first cut, ..., last "different") of each pair of texts,
    given as low * len(texts) + high."""
    similarity = process.cpdist(
        texts[pair_codes // len(texts)],
        texts[pair_codes % len(texts)],
        scorer=scorer,
        score_cutoff=min(cuts),
        workers=-1,
    )
    graded = np.full(len(pair_codes), len(cuts) + 2, dtype=np.int8)
    for number, cut in reversed(list(enumerate(cuts, start=2))):
        graded[similarity >= cut] = number
    return graded


def _shared(
    frame: RecordFrame, field: str, left: IntArray, right: IntArray
) -> tuple[LevelArray, FloatArray]:
    """Multi-valued field: 1 if any value is shared, 2 if none, 0 if a side has none.

    The share returned is that of the rarest shared value: one unusual phone in common
    says more than a switchboard many firms list.
    """
    matrix, shares = frame.multi[field], frame.frequency(field)
    first = matrix[:, 0].copy()  # contiguous: gathers from it are twice as fast
    a0, b0 = first[left], first[right]
    present = (a0 >= 0) & (b0 >= 0)
    any_shared = present & (a0 == b0)
    rarest = np.where(any_shared, shares[np.maximum(a0, 0)], np.inf)
    # Most records hold one value: only pairs where a side holds more need the
    # all-against-all comparison of their slots.
    wide = np.flatnonzero(
        present & (frame.wide(field)[left] | frame.wide(field)[right])
    )
    if len(wide):
        a, b = matrix[left[wide]], matrix[right[wide]]
        same = (a[:, :, None] == b[:, None, :]) & (a[:, :, None] >= 0)
        shared_slot = same.any(axis=2)
        slot_share = np.where(shared_slot, shares[np.maximum(a, 0)], np.inf)
        rarest[wide] = slot_share.min(axis=1)
        any_shared[wide] = shared_slot.any(axis=1)
    level = np.where(~present, 0, np.where(any_shared, 1, 2))
    return level.astype(np.int8), np.where(any_shared, rarest, np.nan)


def pattern_codes(levels: npt.NDArray[np.int8]) -> npt.NDArray[np.int64]:
    """One integer per comparison vector (pairs × fields of small levels).

    Mixed radix, one digit per field as wide as that field's highest level, so the
    codes stay small (below the product of the fields' level counts) and can be
    counted with a bincount. Codes compare only within one call.
    """
    codes = np.zeros(len(levels), dtype=np.int64)
    if levels.size == 0:
        return codes
    place = 1
    for column, top in enumerate(levels.max(axis=0).tolist()):
        if place > 1:
            codes += levels[:, column].astype(np.int64) * place
        else:
            codes += levels[:, column]
        place *= int(top) + 1
    return codes
