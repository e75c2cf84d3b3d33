"""`leadbase users ...`: manage who may sign in to the review app, and as what."""

from __future__ import annotations

from typing import Any

import click
from sqlalchemy import select

from leadbase.audit import Actor
from leadbase.auth import add_user, parse_role, set_active, set_password, set_role
from leadbase.cli_context import AppContext, pass_app, print_json, prompt_password
from leadbase.db import session_scope
from leadbase.models import User


@click.group("users")
def users_command() -> None:
    """Add, list, change and disable users (roles: admin, reviewer, viewer)."""


@users_command.command("add")
@click.argument("username")
@click.option("--role", required=True, help="admin, reviewer or viewer.")
@click.option(
    "--password",
    envvar="LEADBASE_USER_PASSWORD",
    help="Password [env LEADBASE_USER_PASSWORD]; prompted if absent.",
)
@pass_app
def users_add(app: AppContext, username: str, role: str, password: str | None) -> None:
    """Add a user. Example: leadbase users add anna --role reviewer"""
    parsed = parse_role(role)
    engine = app.engine()
    password = password or prompt_password(f"Password for {username}")
    with session_scope(engine) as session:
        add_user(session, username, password, parsed, actor=Actor.cli())
    click.echo(f"User {username!r} added as {parsed.value}")


@users_command.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def users_list(app: AppContext, as_json: bool) -> None:
    """List users. Example: leadbase users list"""
    with session_scope(app.engine()) as session:
        users = session.scalars(select(User).order_by(User.username)).all()
    rows: list[dict[str, Any]] = [
        {
            "username": u.username,
            "role": u.role.value,
            "active": u.is_active,
            "last_login_at": u.last_login_at.isoformat() if u.last_login_at else None,
            "created_at": u.created_at.isoformat(),
        }
        for u in users
    ]
    if as_json:
        print_json(rows)
        return
    click.echo(f"{'user':<24}{'role':<10}{'active':<8}last login")
    for row in rows:
        last = (row["last_login_at"] or "never")[:16].replace("T", " ")
        active = "yes" if row["active"] else "no"
        click.echo(f"{row['username']:<24}{row['role']:<10}{active:<8}{last}")


@users_command.command("set-role")
@click.argument("username")
@click.argument("role")
@pass_app
def users_set_role(app: AppContext, username: str, role: str) -> None:
    """Change a user's role. Example: leadbase users set-role anna admin"""
    parsed = parse_role(role)
    with session_scope(app.engine()) as session:
        set_role(session, username, parsed, actor=Actor.cli())
    click.echo(f"User {username!r} is now {parsed.value}")


@users_command.command("disable")
@click.argument("username")
@pass_app
def users_disable(app: AppContext, username: str) -> None:
    """Stop a user from signing in (kept for the audit trail).

    Example: leadbase users disable anna
    """
    with session_scope(app.engine()) as session:
        set_active(session, username, False, actor=Actor.cli())
    click.echo(f"User {username!r} disabled")


@users_command.command("enable")
@click.argument("username")
@pass_app
def users_enable(app: AppContext, username: str) -> None:
    """Let a disabled user sign in again. Example: leadbase users enable anna"""
    with session_scope(app.engine()) as session:
        set_active(session, username, True, actor=Actor.cli())
    click.echo(f"User {username!r} enabled")


@users_command.command("set-password")
@click.argument("username")
@click.option("--password", envvar="LEADBASE_USER_PASSWORD", help="New password.")
@pass_app
def users_set_password(app: AppContext, username: str, password: str | None) -> None:
    """Set a new password. Example: leadbase users set-password anna"""
    engine = app.engine()
    password = password or prompt_password(f"New password for {username}")
    with session_scope(engine) as session:
        set_password(session, username, password, actor=Actor.cli())
    click.echo(f"Password of {username!r} changed")
