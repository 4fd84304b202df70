"""The view: what the sidebar filters say (period, departments, language, presentation), and
the sidebar that sets it. Every filter is kept in the URL, so a copied address reproduces
the view: `?lang=English&kind=month&month=2026-09&depts=…&present=true`. `?period=2025Q3`
(any period the CLI takes) is understood too and turned into the filters that show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st

from metrics.periods import (Period, PeriodError, default_period, latest_complete_quarter, month_of, parse_period,
                             quarter_of, year_period)
from pages import queries
from pages.labels import TEXT, t
from pages.navigation import DEFAULT_SLIDES, PAGE_SPECS, SPEC_BY_PATH, canonical

VIEW_KEY = "view"


@dataclass(frozen=True)
class View:
    """What the sidebar filters say; a copied URL reproduces it."""
    period: Period
    depts: tuple[str, ...]      # empty: all departments
    lang: str                   # "zh" | "en"
    presentation: bool
    db_path: Path
    advance: int = 0            # presentation: seconds per slide, 0 = stay
    slides: tuple[str, ...] = ()  # presentation: url paths to cycle through

    @property
    def dept_list(self) -> list[str] | None:
        return list(self.depts) or None


def current_view() -> View:
    return st.session_state[VIEW_KEY]


def set_view(view: View) -> None:
    st.session_state[VIEW_KEY] = view


# ---- periods the sidebar offers --------------------------------------------------------------

PERIOD_KINDS = ("quarter", "month", "year", "range")
# A widget bound to the URL (`bind="query-params"`) writes its option's *label* there and
# accepts nothing else: `kind=Month` but not `kind=month`, and no page name of an earlier
# version in `slides`. The period kind and the slides are therefore kept in the address by
# hand: written in their code form (`kind=month`, `slides=rankings`), read in any form people
# write (a code or a label of either language, in any case; an old page name). The language
# picker shows labels that never change, so it stays bound.
ADDRESS_PARAMS = ("period", "kind", "slides")  # read by hand (README, "Pages and addresses")
LANG_NAMES = {"zh": "中文", "en": "English"}
LANG_CODES = {v: k for k, v in LANG_NAMES.items()}


def kind_code(text) -> str | None:
    """The period kind an address names: its code or its label in either language, in any
    case (`month`, `Month`, `月份`); None for anything else."""
    if not isinstance(text, str):
        return None
    wanted = text.strip().casefold()
    for code in PERIOD_KINDS:
        if wanted == code or wanted in (label.casefold() for label in TEXT[f"period_{code}"]):
            return code
    return None


def slide_codes(names: list[str]) -> list[str] | None:
    """The pages a `slides` parameter names, by their current url paths, in order, once each;
    names of earlier versions (`home`) mean their pages. None when it names none."""
    pages = [canonical(n.strip().lower()) for n in names]
    pages = list(dict.fromkeys(p for p in pages if p in SPEC_BY_PATH))
    return pages or None


def _chosen(key: str, default):
    """The value of unbound widget `key` as last chosen (in the widget, or by the address).

    Kept under a key of its own and handed to the widget before every run: a value given to
    a widget only once, through `st.session_state`, did not outlive a sign-in's rerun."""
    st.session_state[key] = st.session_state.get(f"_chosen_{key}", default)


def _choose(key: str) -> None:  # on_change: the widget's new value is the chosen one
    st.session_state[f"_chosen_{key}"] = st.session_state[key]


def _from_address(key: str, read) -> None:
    """Take the address's value for widget `key` when the address has changed since this
    session last wrote it (a link opened, back or forward); a value that `read` cannot place
    is dropped from the address, and the widget keeps its value."""
    raw = st.query_params.get_all(key)
    if not raw or raw == st.session_state.get(f"_address_{key}"):
        return
    value = read(raw)
    if value is None:
        del st.query_params[key]
    else:
        st.session_state[f"_chosen_{key}"] = value


def _to_address(key: str, written: list[str]) -> None:
    """Keep widget `key`'s value in the address in its code form; the default is left out."""
    if st.query_params.get_all(key) != written:
        if written:
            st.query_params[key] = written
        elif key in st.query_params:
            del st.query_params[key]
    st.session_state[f"_address_{key}"] = written


def period_choices(kind: str, first: date, last: date) -> list[Period]:
    """The periods of one kind that the data touches, newest first."""
    make = {"quarter": quarter_of, "month": month_of, "year": lambda d: year_period(d.year)}[kind]
    out = [make(last)]
    while out[-1].start > first:
        out.append(out[-1].previous())
    return out


def _apply_period_param() -> str | None:
    """`?period=2025Q3` (or 2025-07, 2025, 2025-07-01..2025-09-30) sets the period kind and
    its picker, then leaves the address: from there on the pickers' own parameters carry it.
    Returns the parameter when it could not be read, for a message."""
    text = st.query_params.get("period")
    if text is None:
        return None
    del st.query_params["period"]
    try:
        period = parse_period(text)
    except PeriodError:
        return text
    st.session_state["_chosen_kind"] = period.kind
    if "kind" in st.query_params:  # the period's kind, not the one the address also names
        del st.query_params["kind"]
    if period.kind == "range":
        st.session_state["range"] = (period.start, period.end)
    else:
        st.session_state[period.kind] = period.label
    # The address keeps the view as the pickers would have written it (the kind is written
    # after its picker): a copied link opens the same period.
    if period.kind == "range":
        st.query_params["range"] = [period.start.isoformat(), period.end.isoformat()]
    else:
        st.query_params[period.kind] = period.label
    return None


def _period_widget(kind: str, fresh: dict, lang: str) -> Period:
    first, last = fresh["first_day"], fresh["data_through"]
    help_ = t("fr_period_help", lang)
    if kind == "range":
        q = default_period("quarter", last)
        lo, hi = min(first, q.start), max(last, q.end)
        picked = st.date_input(t("period_range", lang), value=(q.start, q.end), min_value=lo, max_value=hi,
                               key="range", bind="query-params", help=help_, format="YYYY-MM-DD")
        picked = tuple(picked) if isinstance(picked, (tuple, list)) else (picked,)
        if len(picked) == 0:
            return q
        if len(picked) == 1:
            st.caption(t("fr_range_pick_end", lang))
            return Period("range", picked[0], picked[0])
        return parse_period(f"{picked[0].isoformat()}..{picked[1].isoformat()}")
    choices = period_choices(kind, first, last)
    labels = [p.label for p in choices]
    default = default_period(kind, last).label
    index = labels.index(default) if default in labels else 0
    if st.session_state.get(kind) is not None and st.session_state[kind] not in labels:
        del st.session_state[kind]  # a period the data does not reach (from ?period=): the default
    picked = st.selectbox(t(f"period_{kind}", lang), labels, index=index, key=kind, bind="query-params",
                          help=help_)
    return parse_period(picked or labels[index])


def sidebar_view() -> View:
    """Render the filters in the sidebar and return the view they describe.

    Every filter has a key and is kept in the URL (`?lang=English&kind=month&month=2026-09`
    …), so a copied link reproduces the view and the values survive a page switch.
    """
    s = queries.settings()
    fresh = queries.freshness() if queries.store_ready() else None
    bad_period = _apply_period_param()
    _from_address("kind", lambda raw: kind_code(raw[-1]))
    _from_address("slides", slide_codes)
    with st.sidebar:
        names = list(LANG_NAMES.values())
        picked = st.selectbox("语言 / Language", names, index=names.index(LANG_NAMES[s.language]), key="lang",
                              bind="query-params")
        lang = LANG_CODES.get(picked, s.language)
        if fresh and fresh["data_through"]:
            _chosen("kind", PERIOD_KINDS[0])
            kind = st.selectbox(t("filter_period_kind", lang), PERIOD_KINDS,
                                format_func=lambda k: t(f"period_{k}", lang), key="kind", on_change=_choose,
                                args=("kind",))
            kind = kind if kind in PERIOD_KINDS else PERIOD_KINDS[0]
            _to_address("kind", [] if kind == PERIOD_KINDS[0] else [kind])
            period = _period_widget(kind, fresh, lang)
            depts = st.multiselect(t("filter_departments", lang), queries.departments(), key="depts",
                                   bind="query-params", placeholder=t("all_departments", lang),
                                   help=t("fr_depts_help", lang))
        else:
            period, depts = latest_complete_quarter(date.today()), []
        if bad_period is not None:
            st.warning(t("fr_bad_period", lang, text=bad_period), icon=":material/event_busy:")
        present = st.toggle(t("presentation_mode", lang), key="present", bind="query-params",
                            help=t("fr_present_help", lang))
        with st.expander(t("fr_present_settings", lang)):
            advance = st.number_input(t("fr_advance", lang), min_value=0, max_value=3600, value=0, step=5,
                                      key="advance", bind="query-params")
            # Options are the pages' url paths, so that `&slides=overview&slides=rankings` reads the
            # same in either language; the addresses of earlier versions still name their pages.
            _chosen("slides", list(DEFAULT_SLIDES))
            slides = st.multiselect(t("fr_slides", lang), [p.url_path for p in PAGE_SPECS], key="slides",
                                    on_change=_choose, args=("slides",),
                                    help="  \n".join(f"{p.url_path} = {t(p.title_key, lang)}" for p in PAGE_SPECS))
            slides = [v for v in map(canonical, slides) if v in SPEC_BY_PATH]
            _to_address("slides", [] if tuple(slides) == DEFAULT_SLIDES else slides)
        st.caption(t("fr_share_link", lang))
    return View(period=period, depts=tuple(depts), lang=lang, presentation=bool(present),
                db_path=Path(s.db_path), advance=int(advance or 0), slides=tuple(slides))
