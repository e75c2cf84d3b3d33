"""What every `leadbase` command shares: settings, engine, error handling, prompts."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import Any

import click
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from leadbase.config import Settings
from leadbase.db import LOCKED_ADVICE, make_engine, require_current_schema
from leadbase.errors import LeadbaseError


class LeadbaseGroup(click.Group):
    """Turns user-fixable errors into one clear line and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LeadbaseError as exc:
            raise click.ClickException(str(exc)) from exc
        except OperationalError as exc:
            reason = str(exc.orig or exc).strip().splitlines()[0]
            if "locked" in reason:  # SQLite: a long writer held it past the timeout
                reason += f". {LOCKED_ADVICE}"
            raise click.ClickException(f"database error: {reason}") from exc


@dataclass
class AppContext:
    """What every command shares: the settings and, once opened, the engine."""

    settings: Settings
    _engine: Engine | None = field(default=None, repr=False)

    def engine(self, *, create: bool = False) -> Engine:
        """The engine; refuses a database without the current schema unless creating."""
        if self._engine is None:
            self._engine = make_engine(
                self.settings.database_url, create=create, echo=self.settings.echo_sql
            )
            if not create:
                require_current_schema(self._engine)
        return self._engine

    def close(self) -> None:
        """Release pooled connections when the command ends."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


pass_app = click.make_pass_decorator(AppContext)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))


def require_terminal(what: str) -> None:
    if not sys.stdin.isatty():
        raise LeadbaseError(
            f"{what} is needed and there is no terminal to ask on; "
            "pass it as an option or environment variable (see --help)"
        )


def prompt(text: str, default: str | None = None) -> str:
    require_terminal(text)
    return str(click.prompt(text, default=default))


def prompt_password(text: str) -> str:
    require_terminal(text)
    return str(click.prompt(text, hide_input=True, confirmation_prompt=True))
