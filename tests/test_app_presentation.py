"""Presentation mode's slides: a page longer than a wall is a sequence of slides, shown one
at a time with "2/3" and arrows, and the slideshow steps through every slide of every page."""

from __future__ import annotations

import math

from conftest_app import goto, no_exception, open_app


def _position(at) -> str:
    return " ".join(m.value for m in at.main.markdown if "/" in m.value and len(m.value) <= 7)


def test_overview_is_two_slides_the_arrows_step_through(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, query={"present": "true"})
    no_exception(at)
    assert _position(at) == "1/2"
    assert len(at.main.metric) == 8 and not at.main.get("plotly_chart")  # four rates, four totals
    at.button(key="slide_next").click().run()
    no_exception(at)
    assert _position(at) == "2/2"
    assert not at.main.metric and len(at.main.get("plotly_chart")) == 1  # the trend alone
    at.button(key="slide_next").click().run()
    assert _position(at) == "1/2" and len(at.main.metric) == 8  # round again
    at.button(key="slide_prev").click().run()
    assert _position(at) == "2/2"


def test_a_long_list_is_as_many_slides_as_it_needs(app_db, monkeypatch):
    from metrics.rates import dept_metrics
    from pages import queries
    at = open_app(app_db, monkeypatch, query={"present": "true"}, page="timeliness")
    no_exception(at)
    df = dept_metrics(queries.con(), at.session_state["view"].period)  # the app's own connection
    listed = int(((df["completed_cases"] > 0) | (df["open_overdue_cases"] > 0)).sum())
    slides = 1 + math.ceil(listed / 12) + 1  # tiles, a dozen departments a slide, the board
    assert listed > 12 and _position(at) == f"1/{slides}"
    at.button(key="slide_next").click().run()
    chart = at.main.get("plotly_chart")[0]
    import json
    names = json.loads(chart.proto.spec)["data"][0]["y"]
    assert len(names) == 12  # the first dozen, lowest compression first


def test_the_slideshow_shows_every_slide_of_a_page_before_the_next_page(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch, query={"present": "true", "advance": "30"})
    assert at.title[0].value == "总览" and _position(at) == "1/2"
    at.session_state["_slide_t0"] = 0.0  # the slide's time is up
    at.run()
    no_exception(at)
    assert at.title[0].value == "总览" and _position(at) == "2/2"
    at.session_state["_slide_t0"] = 0.0
    at.run()
    assert at.title[0].value == "部门排名"
    at.run()  # no time has passed: it stays
    assert at.title[0].value == "部门排名"


def test_off_the_wall_a_page_shows_everything(app_db, monkeypatch):
    at = open_app(app_db, monkeypatch)
    assert not _position(at)
    assert len(at.main.metric) == 14 and len(at.main.get("plotly_chart")) == 1
    goto(at, "timeliness")
    assert len(at.main.get("plotly_chart")) == 2 and not _position(at)
