"""Every CLI command is documented in the README (as sqlite-utils checks its docs)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from leadbase.cli import cli

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def command_paths(group: click.Group, prefix: str = "") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        paths.append(f"{prefix}{name}")
        if isinstance(command, click.Group):
            paths.extend(command_paths(command, f"{prefix}{name} "))
    return paths


@pytest.mark.parametrize("path", command_paths(cli))
def test_command_is_in_the_readme(path: str) -> None:
    words = path.split()
    assert f"leadbase {path}" in README or (
        len(words) > 1 and f"`{words[-1]} " in README
    ), f"`leadbase {path}` is not documented in README.md"
