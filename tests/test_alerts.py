"""Integrity alerts (issue 14): each pattern planted in a known department of generated data
(tests/alerts_data.py) is found there and nowhere else; the counts are the recipe's."""

from __future__ import annotations

import csv
import io
import json
import shutil
from math import comb

import duckdb
import pandas as pd
import pytest

from metrics import alerts
from metrics.cli import main as cli_main
from metrics.periods import parse_period
from metrics.ranking import ranking
from metrics.settings import Alerts, load_settings
from tests import alerts_data

Q3 = parse_period("2025Q3")


@pytest.fixture(scope="module")
def planted_db(tmp_path_factory):
    return alerts_data.build_store(tmp_path_factory.mktemp("planted"))


@pytest.fixture
def con(planted_db):
    c = duckdb.connect(str(planted_db), read_only=True)
    yield c
    c.close()


# (dept, rule): (flagged cases, base), worked out from the recipe in tests/alerts_data.py.
EXPECTED = {
    # 200 committed cases, 5 withdrawn (100..104): 195 completions; 20 closed in 30 s.
    ("甲局", "instant_closure"): (20, 195),
    # window cases: the even i, 100; 0, 2, …, 58 accepted at 20:30: 30.
    ("乙局", "off_hours_acceptance"): (30, 100),
    # top ratings: i % 3 == 1 among completions (67 − 100, 103 withdrawn = 65) + the 17
    # burst cases 0..24 not already i % 3 == 1: 82; the 25 burst cases are the flagged ones.
    ("丙局", "rating_burst"): (25, 82),
    # i % 5 != 0 completed on the due date: 160, minus withdrawn 101..104: 156 of 195.
    ("丁局", "deadline_pileup"): (156, 195),
    # withdrawn: 0..19 after the deadline, 100..104 before it.
    ("戊局", "late_withdrawal"): (20, 25),
    # ratings (i % 3 != 2 among completions: 131) plus 0..14 rated at acceptance: 5 of them
    # (2, 5, 8, 11, 14) had no rating in the recipe: 136.
    ("己局", "rating_before_completion"): (15, 136),
}


def test_each_planted_pattern_is_found_in_its_department_only(con):
    got = alerts.flags(con, Q3)
    assert {(r.dept, r.rule): (r.cases, r.base) for r in got.itertuples()} == EXPECTED
    # Every declared rule is planted once: a rule that finds nothing would show here.
    assert set(got["rule"]) == {r.name for r in alerts.RULES}


def test_examples_are_the_first_five_flagged_cases_in_time(con):
    got = alerts.flags(con, Q3).set_index("rule")
    assert got.loc["instant_closure", "example_case_ids"] == [f"甲局-{i:03d}" for i in range(5)]
    assert got.loc["rating_burst", "example_case_ids"] == [f"丙局-{i:03d}" for i in range(5)]
    # Off-hours cases are ordered by acceptance time: case 0 on day 0, case 40 on day 0 too
    # (40 acceptance days, cycling), then 2 and 42 on day 2.
    assert got.loc["off_hours_acceptance", "example_case_ids"] == ["乙局-000", "乙局-040", "乙局-002", "乙局-042",
                                                                   "乙局-004"]


def test_centre_share_and_the_test(con):
    ev = alerts.evaluate(con, Q3).set_index(["rule", "dept"])
    # Instant closures: 20 of the centre's 7 × 195 + 175 (戊局) + 3 (庚局) = 1,543 committed completions.
    assert ev.loc[("instant_closure", "甲局"), "centre_share"] == pytest.approx(20 / 1543)
    assert ev.loc[("instant_closure", "甲局"), "share"] == pytest.approx(20 / 195)
    # The p-value is the exact binomial tail P(X >= 20 | n = 195, p = 20/1738).
    p = 20 / 1543
    tail = 1 - sum(comb(195, i) * p ** i * (1 - p) ** (195 - i) for i in range(20))
    assert ev.loc[("instant_closure", "甲局"), "p_value"] == pytest.approx(tail, rel=1e-6)


def test_small_department_over_threshold_but_not_significant_is_not_flagged(con):
    ev = alerts.evaluate(con, Q3).set_index(["rule", "dept"])
    row = ev.loc[("deadline_pileup", "庚局")]
    assert (row["cases"], row["base"]) == (2, 3)
    assert row["share"] > row["threshold"]            # 67% > 50%
    centre = row["centre_share"]
    assert row["p_value"] == pytest.approx(3 * centre ** 2 * (1 - centre) + centre ** 3)
    assert row["p_value"] > 0.05 and not row["significant"] and not row["flagged"]


def test_significant_but_under_threshold_is_not_flagged(con):
    # 甲局's 10% instant closures are significant; with the threshold at 20% they are not flagged.
    got = alerts.flags(con, Q3, Alerts(instant_closure=0.2))
    assert "instant_closure" not in set(got["rule"])


@pytest.mark.parametrize("k,n,p", [(1, 1, 0.26), (3, 10, 0.1), (0, 5, 0.3), (5, 5, 0.5), (7, 40, 0.05),
                                   (40, 60, 0.5)])
def test_binomial_tail_is_exact(k, n, p):
    brute = sum(comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k, n + 1))
    assert alerts.binomial_sf(k, n, p) == pytest.approx(brute, rel=1e-9, abs=1e-15)


def test_one_case_in_one_is_not_significant_where_wilson_would_say_so():
    # The one-sided 95% Wilson lower bound of 1/1 is 1/(1 + 1.645²) ≈ 0.27: above a centre
    # share of 0.26. The exact probability of 1 in 1 at 0.26 is 0.26: no evidence.
    assert 1 / (1 + alerts.Z_ONE_SIDED_95 ** 2) > 0.26
    assert alerts.binomial_sf(1, 1, 0.26) == pytest.approx(0.26)


def test_cases_behind_a_flag(con):
    rows, total = alerts.alert_cases(con, Q3, "instant_closure", "甲局")
    assert total == 20 and list(rows["seconds_to_complete"]) == [30] * 20
    assert list(rows.columns[:3]) == ["case_id", "dept", "seconds_to_complete"]
    rows, total = alerts.alert_cases(con, Q3, "rating_burst", "丙局")
    assert total == 25 and rows["burst_count"].max() == 25
    rows, total = alerts.alert_cases(con, Q3, "deadline_pileup", "丁局", limit=10)
    assert total == 156 and len(rows) == 10
    assert (rows["completed_at"].dt.date == rows["last_workday_by_due"].dt.date).all()


def test_off_hours_follows_the_calendar_and_the_configured_hours(con):
    # Office hours 08:00–21:00: the 20:30 acceptances are inside them.
    late = Alerts(office_opens="08:00", office_closes="21:00")
    assert "off_hours_acceptance" not in set(alerts.flags(con, Q3, late)["rule"])


def test_burst_needs_the_configured_size(con):
    assert "rating_burst" not in set(alerts.flags(con, Q3, Alerts(rating_burst=26))["rule"])
    # 25 ratings 12 s apart span 4 min 48 s: a 4-minute window holds 21 of them.
    assert "rating_burst" in set(alerts.flags(con, Q3, Alerts(rating_burst=21, rating_burst_minutes=4))["rule"])
    assert "rating_burst" not in set(alerts.flags(con, Q3, Alerts(rating_burst=22, rating_burst_minutes=4))["rule"])


def test_flags_never_change_scores_or_ranks(con, planted_db):
    before = ranking(con, Q3)
    assert len(alerts.flags(con, Q3)) == 6
    after = ranking(con, Q3)
    pd.testing.assert_frame_equal(before, after)
    # The ranking has no column about alerts, and the flagged departments are ranked on their
    # rates like the others: 甲局 (instant closures) and 辛局 (none) have the same online rate
    # and satisfaction rate; its early completions are what its cases say.
    assert not [c for c in before.columns if any(r.name in c for r in alerts.RULES)]
    row = before.set_index("dept").loc["甲局"]
    assert row["ranked"] and row["online_rate"] == pytest.approx(100 / 200)
    # Nothing was written: the store's tables are what the import left.
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert not [t for t in tables if "alert" in t]


def test_settings_from_dashboard_toml(tmp_path):
    cfg = tmp_path / "dashboard.toml"
    cfg.write_text('[alerts]\ninstant_closure = 0.2\noffice_opens = "09:00"\nrating_burst = 30\n', encoding="utf-8")
    s = load_settings(cfg).alerts
    assert (s.instant_closure, s.office_opens.hour, s.rating_burst, s.deadline_pileup) == (0.2, 9, 30, 0.5)
    cfg.write_text('[alerts]\noffice_opens = "19:00"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="office_opens before office_closes"):
        load_settings(cfg)


def test_descriptions_name_their_parameters():
    s = Alerts()
    text = alerts.describe(alerts.BY_NAME["off_hours_acceptance"], s, "en")
    assert "08:30–18:00" in text
    assert "20 top ratings" in alerts.describe(alerts.BY_NAME["rating_burst"], s, "en")
    assert "60 秒" in alerts.describe(alerts.BY_NAME["instant_closure"], s, "zh")


def test_cli_csv_and_json(planted_db, tmp_path, capsysbinary):
    out = tmp_path / "flags.csv"
    assert cli_main(["alerts", "--db", str(planted_db), "--period", "2025Q3", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")   # Excel reads the Chinese names right
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert list(rows[0]) == alerts.FLAG_COLUMNS
    assert {(r["dept"], r["rule"]): (int(r["cases"]), int(r["base"])) for r in rows} == EXPECTED
    first = next(r for r in rows if r["rule"] == "instant_closure")
    assert first["period"] == "2025Q3" and first["threshold"] == "0.02"
    assert first["example_case_ids"] == ";".join(f"甲局-{i:03d}" for i in range(5))
    assert cli_main(["alerts", "--db", str(planted_db), "--period", "2025Q3", "--format", "json"]) == 0
    records = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    burst = next(r for r in records if r["rule"] == "rating_burst")
    assert burst["dept"] == "丙局" and burst["cases"] == 25 and burst["threshold"] == 20
    assert burst["example_case_ids"] == [f"丙局-{i:03d}" for i in range(5)]
    assert burst["p_value"] is None


def test_cli_reads_the_months_kept_and_keeps_those_it_counts(planted_db, tmp_path, monkeypatch):
    from metrics import alert_months, alert_results
    db = tmp_path / "copy.duckdb"
    shutil.copy(planted_db, db)
    first, again = tmp_path / "first.csv", tmp_path / "again.csv"
    assert cli_main(["alerts", "--db", str(db), "--period", "2025Q3", "--out", str(first)]) == 0
    kept = sorted(p.name.split("-", 1)[1].rsplit("-", 1)[0] for p in alert_results.folder_of(db).glob("*.parquet"))
    assert kept == ["m2025-07", "m2025-08", "m2025-09"]
    # The second time the months are read, as the Supervision page reads them.
    monkeypatch.setattr(alerts, "evaluate", lambda *a, **k: pytest.fail("evaluated again"))
    monkeypatch.setattr(alert_months, "month_tallies", lambda *a, **k: pytest.fail("counted again"))
    assert cli_main(["alerts", "--db", str(db), "--period", "2025Q3", "--out", str(again)]) == 0
    assert again.read_bytes() == first.read_bytes()
    rows = list(csv.DictReader(io.StringIO(again.read_text(encoding="utf-8-sig"))))
    assert {(r["dept"], r["rule"]): (int(r["cases"]), int(r["base"])) for r in rows} == EXPECTED


def test_cli_bad_arguments(planted_db, tmp_path, capsys):
    assert cli_main(["alerts", "--db", str(tmp_path / "none.duckdb"), "--period", "2025Q3"]) == 2
    assert "no such database" in capsys.readouterr().err
    assert cli_main(["alerts", "--db", str(planted_db), "--period", "2025Q5"]) == 2
    assert "is not one of" in capsys.readouterr().err
    # A quarter the data never reached: not "no flags", but why there is nothing to test.
    assert cli_main(["alerts", "--db", str(planted_db), "--period", "2024Q1"]) == 2
    assert "no case was accepted, completed or rated in 2024Q1" in capsys.readouterr().err
    # A period with cases and no flag: the header only.
    empty = tmp_path / "e.csv"
    assert cli_main(["alerts", "--db", str(planted_db), "--period", "2025-09", "--out",
                     str(empty)]) == 0
    assert empty.read_text(encoding="utf-8-sig").strip() == ",".join(alerts.FLAG_COLUMNS)


def test_every_rule_and_setting_is_documented():
    from tests.conftest import ROOT
    doc = (ROOT / "docs" / "alerts.md").read_text(encoding="utf-8")
    for rule in alerts.RULES:
        assert f"| `{rule.name}` " in doc, f"rule {rule.name} missing from the table in docs/alerts.md"
    for name in Alerts.model_fields:
        assert f"`{name}`" in doc, f"[alerts] {name} missing from docs/alerts.md"


def test_bursts_with_equal_rating_times_worked_by_hand():
    # At least 3 top ratings within 10 minutes. Equal times (a1 a2; b3 b4) are where a
    # rule that counts forward from each rating could miscount; expected values by hand:
    # A: [10:00, 10:10] holds a1 a2 a3 -> a burst from 10:00; a4 at 10:30 is 30 min later.
    # B: [10:00, 10:10] holds b1 b2 only; [10:08, 10:18] holds b2 b3 b4 -> a burst from 10:08.
    # C: three ratings at one moment are a burst.
    rule = alerts.BY_NAME["rating_burst"]
    con = duckdb.connect()
    con.execute("CREATE TABLE b (case_id VARCHAR, dept VARCHAR, rating_time TIMESTAMP)")
    con.execute("""INSERT INTO b VALUES
        ('a1', 'A', '2025-08-01 10:00:00'), ('a2', 'A', '2025-08-01 10:00:00'),
        ('a3', 'A', '2025-08-01 10:05:00'), ('a4', 'A', '2025-08-01 10:30:00'),
        ('b1', 'B', '2025-08-01 10:00:00'), ('b2', 'B', '2025-08-01 10:08:00'),
        ('b3', 'B', '2025-08-01 10:12:00'), ('b4', 'B', '2025-08-01 10:12:00'),
        ('c1', 'C', '2025-08-01 09:00:00'), ('c2', 'C', '2025-08-01 09:00:00'),
        ('c3', 'C', '2025-08-01 09:00:00')""")
    query = (f"WITH base AS (SELECT * FROM b), prepared AS ({rule.prepare}) "
             f"SELECT case_id, burst_count, coalesce({rule.flagged}, false) FROM prepared ORDER BY case_id")
    got = {c: (n, f) for c, n, f in con.execute(query, {"rating_burst": 3, "rating_burst_minutes": 10}).fetchall()}
    assert got == {
        "a1": (3, True), "a2": (3, True), "a3": (1, True), "a4": (1, False),
        "b1": (2, False), "b2": (3, True), "b3": (2, True), "b4": (2, True),
        "c1": (3, True), "c2": (3, True), "c3": (3, True),
    }


@pytest.mark.parametrize("limit", [1, 10, 25])
def test_first_cases_of_a_large_burst_flag_are_those_of_the_whole_period(app_db, tmp_path, monkeypatch, limit):
    # Bursts everywhere (2 top ratings within an hour): a large flag's first cases are found
    # from the start of the period only (alerts._first_burst_cases); they, with their
    # burst_count, must be the whole period's first.
    import shutil
    shutil.copy(app_db, tmp_path / "demo.duckdb")
    con = duckdb.connect(str(tmp_path / "demo.duckdb"), read_only=True)
    s = Alerts(rating_burst=2, rating_burst_minutes=60)
    q = parse_period("2025Q2")
    ev = alerts.evaluate(con, q, s)
    row = ev[ev["rule"] == "rating_burst"].sort_values("cases").iloc[-1]
    assert row["cases"] > 3 * limit
    every, total = alerts.alert_cases(con, q, "rating_burst", row["dept"], s, limit=None)
    real, answered = alerts._first_burst_cases, []
    monkeypatch.setattr(alerts, "_first_burst_cases", lambda *a: answered.append(real(*a)) or answered[-1])
    first, n = alerts.alert_cases(con, q, "rating_burst", row["dept"], s, limit=limit, total=int(row["cases"]))
    if limit < 25:  # found before the period's end: the cut really was used
        assert answered and answered[0] is not None
    assert n == total == len(every) == row["cases"]
    pd.testing.assert_frame_equal(first, every.head(limit), check_dtype=False)
    con.close()
