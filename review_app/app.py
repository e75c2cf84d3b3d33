"""The review app's entrypoint: page config, engine, sign-in, st.navigation, page.run().

Started by `leadbase review` (or `streamlit run review_app/app.py`); the database
comes from LEADBASE_DATABASE_URL / leadbase.toml and must be initialised.
"""

from __future__ import annotations

import streamlit as st

from leadbase.auth import can
from review_app import auth_gate
from review_app.i18n import language_switch, t

st.set_page_config(
    page_title="leadbase", page_icon=":material/database:", layout="wide"
)

language_switch(default=auth_gate.settings().language)
engine = auth_gate.engine()
user = auth_gate.current_user(engine)

# Every page is registered for every role, so a page reached by its URL says
# "access denied" itself (and a link survives signing in); the menu shows only
# the pages the role may use, and nothing before sign-in.
is_admin = user is not None and can(user.role, "admin")
pages = [
    st.Page(
        "app_pages/overview.py",
        title=t("nav.overview"),
        icon=":material/monitoring:",
        url_path="overview",
        default=True,
    ),
    st.Page(
        "app_pages/users.py",
        title=t("nav.users"),
        icon=":material/group:",
        url_path="users",
        visibility="visible" if is_admin else "hidden",
    ),
]
page = st.navigation(pages, position="sidebar" if user else "hidden")
if user is None:
    auth_gate.sign_in_form(engine)
    st.stop()
auth_gate.account_sidebar(engine, user)
page.run()
