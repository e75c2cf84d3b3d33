"""STYLE.md §1: imports flow one way; `spiders` depends on `leadbase` only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SPIDERS = Path(__file__).parents[2] / "spiders"
FORBIDDEN = ("dedupe", "enrich", "review_app")


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(
    "path", sorted(SPIDERS.rglob("*.py")), ids=lambda p: str(p.relative_to(SPIDERS))
)
def test_spiders_import_no_other_stage(path: Path) -> None:
    assert not imported_packages(path) & set(FORBIDDEN)
