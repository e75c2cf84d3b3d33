"""Users (admins only): who may sign in and as what; every change is audited."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlalchemy.orm import Session

from leadbase.audit import Actor
from leadbase.auth import MIN_PASSWORD_LENGTH, USERNAME_PATTERN
from leadbase.db import session_scope
from leadbase.enums import Role
from leadbase.errors import LeadbaseError
from review_app import actions, queries
from review_app.auth_gate import page_user
from review_app.i18n import t

FLASH_KEY = "users_flash"  # a success message that survives the rerun after a save
CLEAR_KEY = "users_clear"  # text inputs to empty on that rerun, before they render
ROLES = list(Role)

engine, me = page_user("admin")
actor = Actor.of(me)
# Labels fixed at render time: AppTest formats options outside the script run.
role_label = {role: t(f"role.{role.value}") for role in ROLES}.__getitem__


def save(
    change: Callable[[Session], object], success: str, clear: tuple[str, ...] = ()
) -> None:
    """Run one change in a transaction; show why it failed, or rerun with `success`
    and the widgets named in `clear` emptied."""
    try:
        with session_scope(engine) as session:
            change(session)
    except LeadbaseError as exc:
        st.error(t("error.failed", reason=str(exc)))
        return
    st.session_state[FLASH_KEY] = success
    st.session_state[CLEAR_KEY] = clear
    st.rerun()


with session_scope(engine) as session:
    users = queries.user_rows(session)
# Only a value set before a widget is created reaches the browser's copy of it.
for key in st.session_state.pop(CLEAR_KEY, ()):
    st.session_state[key] = ""

st.title(t("users.title"))
if flash := st.session_state.pop(FLASH_KEY, None):
    st.success(flash, icon=":material/check_circle:")
st.dataframe(
    {
        t("col.username"): [u.username for u in users],
        t("col.role"): [role_label(u.role) for u in users],
        t("col.active"): [u.is_active for u in users],
        t("col.last_login"): [
            u.last_login_at.strftime("%Y-%m-%d %H:%M")
            if u.last_login_at
            else t("users.never")
            for u in users
        ],
    },
    hide_index=True,
    column_config={t("col.active"): st.column_config.CheckboxColumn()},
)

add_column, edit_column = st.columns(2, gap="large")
with add_column:
    st.subheader(t("users.add"))
    with st.form("users_add_form"):
        name = st.text_input(t("col.username"), key="users_new_name").strip()
        role = st.selectbox(
            t("col.role"),
            ROLES,
            index=ROLES.index(Role.VIEWER),
            format_func=role_label,
            key="users_new_role",
        )
        password = st.text_input(
            t("signin.password"),
            type="password",
            key="users_new_password",
            help=t("users.password_hint", n=MIN_PASSWORD_LENGTH),
        )
        submitted = st.form_submit_button(
            t("users.add_submit"), key="users_add", type="primary"
        )
    # Checked here too so the message is in the reader's language; the core
    # checks again when it stores the user.
    if submitted and not USERNAME_PATTERN.match(name):
        st.error(t("users.bad_name"))
    elif submitted and len(password) < MIN_PASSWORD_LENGTH:
        st.error(t("users.password_short", n=MIN_PASSWORD_LENGTH))
    elif submitted:
        save(
            lambda s: actions.add_user(s, actor, name, password, role),
            t("users.added", name=name),
            clear=("users_new_name", "users_new_password"),
        )

with edit_column:
    st.subheader(t("users.edit"))
    others = [i for i, u in enumerate(users) if u.id != me.id]
    chosen = st.selectbox(
        t("users.edit_user"),
        [u.username for u in users],
        index=others[0] if others else 0,  # editing oneself is refused anyway
        key="users_edit_name",
    )
    target = next(u for u in users if u.username == chosen)
    is_me = target.id == me.id
    with st.form("users_edit_form"):
        # Keys carry the user id so each user's form starts from their own values.
        new_role = st.selectbox(
            t("col.role"),
            ROLES,
            index=ROLES.index(target.role),
            format_func=role_label,
            key=f"users_edit_role_{target.id}",
            disabled=is_me,
        )
        new_active = st.toggle(
            t("col.active"),
            value=target.is_active,
            key=f"users_edit_active_{target.id}",
            disabled=is_me,
        )
        if is_me:
            st.caption(t("users.self_hint"))
        if st.form_submit_button(
            t("users.edit_save"), key="users_edit_save", disabled=is_me
        ):
            save(
                lambda s: actions.update_user(
                    s, actor, target.username, new_role, new_active
                ),
                t("users.saved", name=target.username),
            )
