"""Overview: how big the base is, where its records came from, how far it is cleaned."""

from __future__ import annotations

import streamlit as st

from leadbase.db import session_scope
from review_app import queries
from review_app.auth_gate import page_user
from review_app.i18n import number, t

METRICS = ("sources", "raw_records", "companies", "contacts", "pending_pairs")


def _shares(label: str, names: list[str], counts: list[int], total: int) -> None:
    """A small table of counts, each with a bar showing its share of `total`."""
    st.dataframe(
        {label: names, t("col.count"): counts},
        hide_index=True,
        column_config={
            t("col.count"): st.column_config.ProgressColumn(
                min_value=0, max_value=max(total, 1), format="%d"
            )
        },
    )


engine, _user = page_user("view")
with session_scope(engine) as session:
    stats = queries.overview_stats(session)
    sources = queries.source_rows(session)

st.title(t("overview.title"))
for column, key in zip(st.columns(len(METRICS)), METRICS, strict=True):
    column.metric(t(f"metric.{key}"), number(stats[key]))

if not sources:
    st.info(t("overview.empty"), icon=":material/inbox:")
    st.stop()

st.subheader(t("overview.sources"))
st.dataframe(
    {
        t("col.source"): [s.name for s in sources],
        t("col.kind"): [t(f"kind.{s.kind.value}") for s in sources],
        t("col.trust"): [s.trust for s in sources],
        t("col.raw_records"): [s.raw_records for s in sources],
    },
    hide_index=True,
    column_config={
        t("col.trust"): st.column_config.ProgressColumn(
            min_value=0, max_value=100, format="%d"
        ),
    },
)


if not stats["companies"]:
    st.info(t("overview.no_companies"), icon=":material/merge:")
    st.stop()

total = stats["companies"]
by_category = stats["companies_by_category"]
left, right = st.columns(2)
with left:
    st.subheader(t("overview.by_status"))
    _shares(
        t("col.status"),
        [t(f"status.{k}") for k in stats["companies_by_status"]],
        list(stats["companies_by_status"].values()),
        total,
    )
with right:
    st.subheader(t("overview.by_category"))
    _shares(
        t("col.category"),
        [t("category.none") if k == "none" else k for k in by_category],
        list(by_category.values()),
        total,
    )
