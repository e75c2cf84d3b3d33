"""Realistic Russian B2B sample data with known truth, for tests, demo and benchmarks.

Three overlapping sources of made-up companies (a crawled directory, a bought list,
an old CRM export) and truth.csv naming the true entity behind every row.

Examples:
    >>> from pathlib import Path
    >>> from leadbase.sample import write_sample
    >>> summary = write_sample(Path("sample"), companies=1000)  # doctest: +SKIP
"""

from leadbase.sample.stream import SOURCES, SampleRow, iter_sample_rows
from leadbase.sample.writers import SampleSummary, write_sample

__all__ = ["SOURCES", "SampleRow", "SampleSummary", "iter_sample_rows", "write_sample"]
