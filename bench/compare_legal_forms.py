"""Benchmark: legal-form detection and core extraction, cleanco vs our table.

Reads the labelled names of tests/data/legal_forms_cases.csv (name, expected_form,
expected_core) and scores both on them, side by side, with the time per name.
cleanco is not a project dependency: run this in a throwaway venv, e.g.

    python3 -m venv /tmp/cleanco-venv
    /tmp/cleanco-venv/bin/pip install cleanco==2.3 rapidfuzz
    PYTHONPATH=. /tmp/cleanco-venv/bin/python bench/compare_legal_forms.py

How each is read: ours is `parse_company_name(name)` (`legal_form`, `core`). cleanco
is `custom_basename(name, terms, prefix=True, suffix=True)`; the words it removed are
its form, named by the code whose variant they spell (our table's vocabulary, the only
one that names forms by code). A core counts as right when its words, case-folded,
are the expected core's words: quotes and punctuation are not held against either.
Usage: python bench/compare_legal_forms.py [--show-misses]
"""

from __future__ import annotations

import argparse
import csv
import re
import time
from collections.abc import Callable
from pathlib import Path

from cleanco import prepare_default_terms  # type: ignore[import-not-found]
from cleanco.clean import custom_basename, strip_tail  # type: ignore[import-not-found]

from dedupe.normalise.legal_forms import LEGAL_FORMS
from dedupe.normalise.names import parse_company_name

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "data" / "legal_forms_cases.csv"
Reader = Callable[[str], tuple[str, str]]


def _words(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def _code_of_words() -> dict[str, str]:
    codes: dict[str, str] = {}
    for form in LEGAL_FORMS.values():
        for spelling in (*form.variants, form.code, form.latin or ""):
            if spelling:
                codes.setdefault(_words(spelling), form.code)
    return codes


def _cleanco_reader() -> Reader:
    terms, codes = prepare_default_terms(), _code_of_words()

    def read(name: str) -> tuple[str, str]:
        base = custom_basename(name, terms, prefix=True, suffix=True)
        parts, kept = strip_tail(name).split(), base.split()
        at = next((i for i in range(len(parts)) if parts[i : i + len(kept)] == kept), 0)
        removed = " ".join(parts[:at] + parts[at + len(kept) :])
        return codes.get(_words(removed), "?" if removed else ""), base

    return read


def _ours(name: str) -> tuple[str, str]:
    parsed = parse_company_name.__wrapped__(name)  # uncached: time the real work
    return parsed.legal_form or "", parsed.core or ""


def _group(row: dict[str, str]) -> str:
    if not row["expected_form"]:
        return "no form"
    return "Russian/CIS" if not row["expected_form"].isascii() else "international"


def _score(read: Reader, rows: list[dict[str, str]], show: bool) -> dict[str, float]:
    hits: dict[str, list[int]] = {}
    started = time.perf_counter()
    results = [read(r["name"]) for r in rows]
    seconds = time.perf_counter() - started
    for row, (form, core) in zip(rows, results, strict=True):
        form_ok = form == row["expected_form"]
        core_ok = _words(core) == _words(row["expected_core"])
        for group in ("all", _group(row)):
            tally = hits.setdefault(group, [0, 0, 0])
            tally[0] += form_ok
            tally[1] += core_ok
            tally[2] += 1
        if show and not (form_ok and core_ok):
            print(f"    {row['name']!r}: form {form!r}, core {core!r}")
    scores = {f"{g} form": h[0] / h[2] for g, h in hits.items()}
    scores |= {f"{g} core": h[1] / h[2] for g, h in hits.items()}
    scores["us per name"] = seconds / len(rows) * 1e6
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true", help="List each miss.")
    args = parser.parse_args()
    with CASES.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    print(f"{len(rows)} labelled names from {CASES.name}")
    readers = {"cleanco 2.3": _cleanco_reader(), "ours": _ours}
    scores = {}
    for label, read in readers.items():
        if args.show_misses:
            print(f"  misses of {label}:")
        read(rows[0]["name"])  # warm up: import-time tables, regex compilation
        scores[label] = _score(read, rows, args.show_misses)
    print(f"{'':28}" + "".join(f"{label:>14}" for label in readers))
    for metric in scores["ours"]:
        line = "".join(f"{scores[label].get(metric, 0):>14.3f}" for label in readers)
        print(f"{metric:28}{line}")


if __name__ == "__main__":
    main()
