"""The quarter-end projection (metrics/projection.py) as the Overview and Department pages
show it: only for a period the data reaches into but not to its end. Each of the four rates
and the score: so far, expected at the end, its 80% interval, the target and whether it will
be met."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from metrics import projection
from metrics.periods import parse_period
from metrics.registry import BY_NAME
from metrics.settings import Weights
from pages import queries
from pages import formats as fmt
from pages.labels import metric_label, t
from pages.view import View

VERDICT_BADGE = {"met": ":green-badge[{}]", "missed": ":red-badge[{}]", "open": ":orange-badge[{}]"}


@st.cache_data(max_entries=64, show_spinner=False)
def _project(version: int, period_text: str, as_of: date, depts: tuple[str, ...], weights: tuple,
             targets: tuple) -> pd.DataFrame:
    return projection.project(queries.con(), parse_period(period_text), as_of, Weights(**dict(weights)),
                              dict(targets), list(depts) or None)


def projected(view: View, dept: str | None = None) -> pd.DataFrame | None:
    """The projection rows of the centre (of the view's departments) or of one department;
    None when the period is complete or not yet begun."""
    through = queries.freshness()["data_through"]
    if not projection.is_partial(view.period, through):
        return None
    s = queries.settings()
    depts = (dept,) if dept else tuple(view.depts)
    out = _project(queries.data_version(), view.period.label, through, depts,
                   tuple(s.weights.model_dump().items()), tuple(sorted(s.targets.items())))
    return out[out["dept"] == (dept or projection.CENTRE)].reset_index(drop=True)


def _value(metric: str, v) -> str:
    return fmt.fmt_score(v) if metric == "score" else fmt.fmt_pct(v)


def show(view: View, dept: str | None = None) -> None:
    rows = projected(view, dept)
    if rows is None:
        return
    lang = view.lang
    through = queries.freshness()["data_through"]
    p = view.period
    st.subheader(t("pj_title"), help=t("pj_help"))
    st.caption(t("pj_caption", through=through.isoformat(), day=(through - p.start).days + 1, days=p.days))
    words = {"met": t("pj_met", lang), "missed": t("pj_missed", lang), "open": t("pj_open", lang)}
    cols = st.columns(len(rows))
    for col, (_, r) in zip(cols, rows.iterrows()):
        name = r["metric"]
        label = t("pj_score", lang) if name == "score" else metric_label(name, lang)
        interval = (f"{_value(name, r['low'])} – {_value(name, r['high'])}"
                    if r["low"] is not None and not pd.isna(r["low"]) else fmt.DASH)
        col.metric(label, _value(name, r["projected"]), border=True,
                   help=t("pj_tile_help", so_far=_value(name, r["so_far"]), interval=interval))
        lines = [t("pj_interval", interval=interval), t("pj_so_far", value=_value(name, r["so_far"]))]
        if r["verdict"] in words:
            goal = _value(name, r["target"])
            sign = "≤" if name != "score" and BY_NAME[name].better == "lower" else "≥"
            lines.append(VERDICT_BADGE[r["verdict"]].format(f"{words[r['verdict']]} · {t('target', lang)} {sign} {goal}"))
        col.markdown("  \n".join(lines))
