"""What every run of the review app passes through: the shared engine, sign-in, the
signed-in user and the per-page permission check (enforced here, on the server)."""

from __future__ import annotations

from typing import NoReturn

import streamlit as st
from sqlalchemy import Engine

from leadbase.audit import Actor
from leadbase.auth import require
from leadbase.config import Settings, load_settings
from leadbase.db import make_engine, require_current_schema, session_scope
from leadbase.errors import AuthError, LeadbaseError
from leadbase.models import User
from review_app import actions, queries
from review_app.i18n import t

# The only thing kept about the user between runs; everything else is re-read.
USER_ID_KEY = "auth_user_id"


def _dispose(engine: Engine) -> None:
    engine.dispose()


@st.cache_resource(show_spinner=False, on_release=_dispose)
def _shared_engine(url: str) -> Engine:
    # One engine (and connection pool) per database for all sessions of the server.
    engine = make_engine(url)
    try:
        require_current_schema(engine)
    except LeadbaseError:
        engine.dispose()  # not cached: the next run tries again, e.g. after init
        raise
    return engine


def _stop_with(message: str) -> NoReturn:
    st.error(message)
    st.stop()


def settings() -> Settings:
    """Settings from leadbase.toml and LEADBASE_* variables, or an error and stop."""
    try:
        return load_settings()
    except LeadbaseError as exc:
        _stop_with(t("config.error", reason=str(exc)))


def engine() -> Engine:
    """The shared engine of an initialised base, or an error and stop."""
    try:
        return _shared_engine(settings().database_url)
    except LeadbaseError as exc:
        _stop_with(t("db.unavailable", reason=str(exc)))


def current_user(db: Engine) -> User | None:
    """The signed-in user, re-read now; a disabled or deleted one is signed out."""
    user_id = st.session_state.get(USER_ID_KEY)
    if user_id is None:
        return None
    with session_scope(db) as session:
        user = queries.active_user(session, int(user_id))
    if user is None:
        del st.session_state[USER_ID_KEY]
    return user


def sign_in_form(db: Engine) -> None:
    """The sign-in form; on success remember the user id and rerun."""
    st.title("leadbase")
    st.subheader(t("signin.title"))
    st.caption(t("signin.intro"))
    with st.form("signin", border=True, width=420):
        username = st.text_input(t("signin.username"), key="signin_username")
        password = st.text_input(
            t("signin.password"), type="password", key="signin_password"
        )
        submitted = st.form_submit_button(
            t("signin.submit"), key="signin_submit", type="primary"
        )
    if not submitted:
        return
    with session_scope(db) as session:  # commits the audit entry of a failure too
        outcome = actions.sign_in(session, username.strip(), password)
    if outcome.user_id is None:
        st.error(t(f"signin.{outcome.refused}"), width=420)
        return
    st.session_state[USER_ID_KEY] = outcome.user_id
    st.rerun()


def account_sidebar(db: Engine, user: User) -> None:
    """Who is signed in, as what, and the sign-out button."""
    with st.sidebar:
        st.divider()
        st.markdown(t("account.signed_in", name=user.username))
        st.caption(t("account.role", role=t(f"role.{user.role.value}")))
        if st.button(
            t("account.signout"), key="account_signout", icon=":material/logout:"
        ):
            with session_scope(db) as session:
                actions.sign_out(session, user)
            st.session_state.pop(USER_ID_KEY, None)
            st.rerun()


def page_user(permission: str) -> tuple[Engine, User]:
    """For a page: the engine and the user, if their role grants `permission`.

    Otherwise the page shows "access denied" and stops before reading any data.
    """
    db = engine()
    user = current_user(db)
    if user is None:  # app.py shows the sign-in form first; never render data
        st.stop()
    try:
        require(Actor.of(user), permission)
    except AuthError:
        _stop_with(t("access.denied", role=t(f"role.{user.role.value}")))
    return db, user
