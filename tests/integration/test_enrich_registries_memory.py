"""Generated 100,000- and 200,000-document SME-register ZIPs import in the same
memory."""

from __future__ import annotations

from pathlib import Path

from cli_memory import cli_peak_rss_mb, init_database
from sqlalchemy import func, select

from enrich.registries.synthetic import write_rmsp_zip
from leadbase.db import make_engine, session_scope
from leadbase.models import RegistryEntity


def test_a_100k_document_release_imports_in_flat_memory(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/registry.db"
    init_database(url)
    # Both runs touch more pages than SQLite's page cache holds (capped at 64 MiB
    # per connection), so what differs between them is only the document count.
    small = write_rmsp_zip(tmp_path / "data-10102026-structure-10062025.zip", 100_000)
    big = write_rmsp_zip(
        tmp_path / "data-10112026-structure-10062025.zip", 200_000, seed=9
    )
    small_rss = cli_peak_rss_mb("--db", url, "registry", "import", "rmsp", str(small))
    big_rss = cli_peak_rss_mb("--db", url, "registry", "import", "rmsp", str(big))
    # Twice the documents, the same memory.
    assert big_rss < small_rss * 1.1, (small_rss, big_rss)
    assert big_rss < 300
    engine = make_engine(url)
    with session_scope(engine) as session:
        entities = session.scalar(select(func.count()).select_from(RegistryEntity))
    engine.dispose()
    assert entities == 200_000  # the 100k are the first half of the 200k
