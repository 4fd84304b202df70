"""The demo data generator (data/demo/): shape, determinism, calendar, realism, bad rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import chinese_calendar
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from data.demo import (
    BAD_ROW_EVERY, BAD_ROW_KINDS, CASE_COLUMNS, CATALOGUE_COLUMNS, DEMO_END, DEMO_EXPORTED_AT,
    DEMO_START, DEPARTMENTS, TINY_DEPARTMENTS, bad_row_positions, generate_catalogue,
    iter_case_batches, write_demo_files,
)

N = 20_000


@pytest.fixture(scope="module")
def cases() -> pa.Table:
    return pa.concat_tables(list(iter_case_batches(N)))


@pytest.fixture(scope="module")
def df(cases) -> pd.DataFrame:
    return cases.to_pandas()


@pytest.fixture(scope="module")
def catalogue() -> pd.DataFrame:
    return generate_catalogue().to_pandas()


@pytest.fixture(scope="module")
def bad() -> dict[str, np.ndarray]:
    return bad_row_positions(N)


@pytest.fixture(scope="module")
def good(df, bad) -> pd.DataFrame:
    """The rows that are neither deliberately bad nor the second row of a pair."""
    drop = set()
    for kind, pos in bad.items():
        drop.update(pos.tolist())
        if kind in ("identical_repeat", "conflicting_case_id"):
            drop.update((pos + 1).tolist())
    return df.drop(index=sorted(drop))


def ts(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s, format="%Y-%m-%d %H:%M:%S", errors="coerce")


# --- shape ------------------------------------------------------------------------------

def test_row_count_and_all_columns_are_text_with_chinese_headers(cases):
    assert cases.num_rows == N
    assert tuple(cases.column_names) == CASE_COLUMNS
    assert all(f.type == pa.string() for f in cases.schema)
    assert "申请人姓名" in CASE_COLUMNS and "联系电话" in CASE_COLUMNS


def test_batches_are_bounded_and_do_not_change_the_rows(cases):
    batches = list(iter_case_batches(N, batch_rows=7_000))
    assert [b.num_rows for b in batches] == [7_000, 7_000, 6_000]
    assert pa.concat_tables(batches).equals(cases)
    assert sum(b.num_rows for b in iter_case_batches(N + 1)) == N + 1
    assert list(iter_case_batches(0)) == []


def test_headers_match_the_importer_aliases():
    from metrics.fields import CASE_FIELDS, CATALOGUE_FIELDS, is_personal, normalise_header

    case_aliases = {normalise_header(a) for f in CASE_FIELDS for a in f.aliases}
    for col in CASE_COLUMNS:
        assert is_personal(col) or normalise_header(col) in case_aliases, col
    assert is_personal("申请人姓名") and is_personal("联系电话")
    cat_aliases = {normalise_header(a) for f in CATALOGUE_FIELDS for a in f.aliases}
    assert all(normalise_header(c) in cat_aliases for c in CATALOGUE_COLUMNS)


# --- determinism ------------------------------------------------------------------------

def test_same_seed_same_rows_other_seed_other_rows(cases):
    assert pa.concat_tables(list(iter_case_batches(N, seed=7))).equals(cases)
    other = pa.concat_tables(list(iter_case_batches(N, seed=8)))
    assert not other.equals(cases)
    assert generate_catalogue(7).equals(generate_catalogue(7))


def test_same_seed_same_bytes(tmp_path):
    a = write_demo_files(tmp_path / "a", n_cases=5_000)
    b = write_demo_files(tmp_path / "b", n_cases=5_000)
    for x, y in zip(a, b):
        assert x.read_bytes() == y.read_bytes()


# --- identifiers --------------------------------------------------------------------------

def test_case_ids_unique_apart_from_the_deliberate_repeats(df, bad):
    ids = df["办件编号"]
    assert ids.notna().all() and ids.str.fullmatch(r"20(24|25|26)\d{10}").all()
    repeated = ids[ids.duplicated(keep=False)]
    pairs = np.concatenate([bad["identical_repeat"], bad["conflicting_case_id"]])
    assert len(pairs) > 0
    assert sorted(repeated.index) == sorted(np.concatenate([pairs, pairs + 1]).tolist())
    # the id's year is the acceptance year; the id embeds the department code
    good_rows = df[ts(df["受理时间"]).notna() & df["办理部门"].notna()]
    assert (good_rows["办件编号"].str[:4] == good_rows["受理时间"].str[:4]).all()
    code = {d.name: d.code for d in DEPARTMENTS}
    assert (good_rows["办件编号"].str[4:7] == good_rows["办理部门"].map(code)).all()


# --- calendar -----------------------------------------------------------------------------

def test_acceptances_on_working_days_within_business_hours(good):
    acc = ts(good["受理时间"])
    assert acc.notna().all()
    days = acc.dt.date
    assert days.min() >= DEMO_START and days.max() <= DEMO_END
    per_day = Counter(days)
    # National Day 2025 (Oct 1-8) is a gap; the make-up days around it are busy.
    assert all(per_day[dt.date(2025, 10, d)] == 0 for d in range(1, 9))
    assert per_day[dt.date(2025, 9, 28)] > 0 and per_day[dt.date(2025, 10, 11)] > 0
    # Spring Festival 2025 (Jan 28 - Feb 4) and 2026 (Feb 15-23) are gaps too.
    assert sum(per_day[dt.date(2025, 1, 28) + dt.timedelta(i)] for i in range(8)) == 0
    assert sum(per_day[dt.date(2026, 2, 15) + dt.timedelta(i)] for i in range(9)) == 0
    # hardly any on rest days, none on public holidays
    rest = [d for d in per_day if not chinese_calendar.is_workday(d)]
    assert sum(per_day[d] for d in rest) < 0.01 * len(good)
    assert all(chinese_calendar.get_holiday_detail(d)[1] is None for d in rest)
    secs = acc.dt.hour * 3600 + acc.dt.minute * 60 + acc.dt.second
    assert secs.min() >= 8 * 3600 + 30 * 60 and secs.max() <= 17 * 3600 + 30 * 60


def test_completion_on_working_days_and_open_cases_at_the_end(good):
    acc, comp = ts(good["受理时间"]), ts(good["办结时间"])
    done = good["办件状态"] == "办结"
    assert comp[done].notna().all()
    assert (comp[comp.notna()] >= acc[comp.notna()]).all()
    comp_days = comp[done].dt.date
    same_day = comp_days == acc[done].dt.date
    assert all(chinese_calendar.is_workday(d) for d in set(comp_days[~same_day]))
    assert comp.max() <= pd.Timestamp(DEMO_EXPORTED_AT) and comp.max() > pd.Timestamp(DEMO_END)
    open_ = good["办件状态"] == "在办"
    assert open_.any() and good.loc[open_, "办结时间"].isna().all()
    assert acc[open_].max() > pd.Timestamp(2026, 9, 1)
    assert good.loc[open_, "评价等级"].isna().all()
    closed_otherwise = good["办件状态"].isin(["撤件", "不予受理"]).mean()
    assert 0.005 < closed_otherwise < 0.02


# --- departments and realism --------------------------------------------------------------

def test_about_forty_departments_of_very_different_sizes(df):
    sizes = df["办理部门"].value_counts()
    assert 38 <= len(sizes) <= 42 and len(DEPARTMENTS) == len(sizes)
    assert set(TINY_DEPARTMENTS) == {"市档案馆", "市地震局", "市气象局"}
    assert set(TINY_DEPARTMENTS) <= set(sizes.index)
    for name in ("市公安局", "市人力资源和社会保障局", "市市场监督管理局", "市不动产登记中心",
                 "市公积金管理中心", "市税务局", "市医疗保障局"):
        assert name in sizes.index
    assert sizes.iloc[0] > 20 * sizes.drop(list(TINY_DEPARTMENTS)).iloc[-1]


def test_tiny_departments_stay_under_30_cases_a_quarter_at_default_size():
    counts: Counter = Counter()
    for batch in iter_case_batches(200_000):
        dept = batch.column("办理部门").to_pandas()
        month = batch.column("受理时间").to_pandas().str[:7]
        tiny = dept.isin(TINY_DEPARTMENTS)
        counts.update(zip(dept[tiny], month[tiny]))
    per_quarter = Counter()
    for (dept, month), c in counts.items():
        y, m = int(month[:4]), int(month[5:7])
        per_quarter[(dept, y, (m - 1) // 3)] += c
    assert {d for d, _, _ in per_quarter} == set(TINY_DEPARTMENTS)
    assert max(per_quarter.values()) < 30


def test_good_and_bad_departments_differ_and_trends_show(good):
    acc = ts(good["受理时间"])
    g = good.assign(
        online=good["申报方式"].isin(["网上申报", "掌上办"]),
        year=acc.dt.year.where(acc < pd.Timestamp(2025, 10, 1), 2026),
        rated=good["评价等级"].notna(),
        happy=good["评价等级"].isin(["非常满意", "满意", "基本满意"]),
    )
    online = g.groupby("办理部门")["online"].mean()
    assert online["市公积金管理中心"] > 0.85 > 0.5 > online["市不动产登记中心"]
    by_year = g.groupby(["办理部门", "year"])["online"].mean()
    assert by_year["市自然资源和规划局", 2026] > by_year["市自然资源和规划局", 2025] + 0.2
    done = g[g["办件状态"] == "办结"]
    coverage = done["rated"].mean()
    assert 0.4 <= coverage <= 0.6
    rated = done[done["rated"]]
    sat = rated.groupby("办理部门")["happy"].mean()
    assert rated["happy"].mean() > 0.98
    assert sat["市不动产登记中心"] < 0.98 < sat["市公安局"]
    signed = done["窗口签批"].map({"是": True, "否": False})
    sign_rate = signed.groupby(done["办理部门"]).mean()
    assert sign_rate["市公积金管理中心"] > sign_rate["市不动产登记中心"] + 0.2
    assert done.loc[done["办理部门"] == "市税务局", "窗口签批"].isna().all()   # not recorded there


def test_overdue_and_early_completion_vary_by_department(good):
    acc, comp = ts(good["受理时间"]), ts(good["办结时间"])
    wd = np.array(chinese_calendar.get_workdays(dt.date(2024, 1, 1), dt.date(2026, 12, 31)),
                  dtype="datetime64[D]")
    done = (good["办件状态"] == "办结").to_numpy()
    a = acc.to_numpy().astype("datetime64[D]")[done]
    c = comp.to_numpy().astype("datetime64[D]")[done]
    elapsed = np.searchsorted(wd, c, "right") - np.searchsorted(wd, a, "right")
    promised = pd.to_numeric(good["承诺时限"], errors="coerce").to_numpy()[done]
    dept = good["办理部门"].to_numpy()[done]
    committed = promised >= 1
    frame = pd.DataFrame({"dept": dept, "early": elapsed < promised, "over": elapsed > promised})
    early = frame[committed].groupby("dept")["early"].mean()
    over = frame[~np.isnan(promised)].groupby("dept")["over"].mean()
    assert early["市公安局"] > 0.8 and early["市不动产登记中心"] < 0.5
    assert over["市不动产登记中心"] > 0.03 > 0.01 > over["市人力资源和社会保障局"]
    assert frame["over"].sum() > 0 and elapsed.max() > 15      # some stuck cases


def test_cases_agree_with_the_catalogue(good, catalogue):
    cat = catalogue.set_index("事项编码")
    assert good["事项编码"].isin(cat.index).all()
    assert (good["事项名称"] == good["事项编码"].map(cat["事项名称"])).all()
    assert (good["办理部门"] == good["事项编码"].map(cat["实施部门"])).all()
    same_type = (good["办件类型"] == good["事项编码"].map(cat["事项类型"])).mean()
    assert 0.99 < same_type < 1.0
    shown = good["承诺时限"].notna()
    assert (good.loc[shown, "承诺时限"] == good.loc[shown, "事项编码"].map(cat["承诺时限"])).all()
    assert 0 < (~shown).sum() < 0.01 * len(good)        # a few left for the catalogue to fill
    instant = good["办件类型"] == "即办件"
    assert 0.3 < instant.mean() < 0.8
    retired = good["事项编码"].map(cat["取消日期"])
    accepted_day = good["受理时间"].str[:10]
    assert not (retired.notna() & (accepted_day >= retired)).any()


def test_ratings_follow_completion(good):
    rated = good["评价等级"].notna()
    assert good.loc[rated, "评价等级"].isin(["非常满意", "满意", "基本满意", "不满意", "非常不满意"]).all()
    assert (good.loc[rated, "办件状态"] == "办结").all()
    assert good.loc[rated, "评价时间"].notna().all() and good.loc[~rated, "评价时间"].isna().all()
    lag = ts(good.loc[rated, "评价时间"]) - ts(good.loc[rated, "办结时间"])
    assert lag.min() >= pd.Timedelta(0) and lag.max() <= pd.Timedelta(days=5)


def test_channels_and_personal_data(good):
    channels = set(good["申报方式"])
    assert {"网上申报", "掌上办", "窗口受理", "自助终端"} <= channels
    assert good["申请人姓名"].notna().all() and good["申请人姓名"].str.len().min() >= 2
    assert good["联系电话"].str.fullmatch(r"1[3-9]\d{9}").all()


# --- catalogue ----------------------------------------------------------------------------

def test_catalogue(catalogue):
    c = catalogue
    assert tuple(c.columns) == CATALOGUE_COLUMNS
    assert 1_300 <= len(c) <= 1_700 and c["事项编码"].is_unique
    assert set(c["实施部门"]) == {d.name for d in DEPARTMENTS}
    assert set(c["事项类型"]) == {"即办件", "承诺件"}
    assert set(c["应进驻"]) == {"是", "否"} and (c["应进驻"] == "是").mean() > 0.9
    exempt = c["豁免进驻"] == "是"
    assert 0 < exempt.sum() < 0.05 * len(c)
    assert (c.loc[c["事项类型"] == "即办件", "承诺时限"] == "0").all()
    committed = c[c["事项类型"] == "承诺件"]
    assert (committed["承诺时限"].astype(int) >= 1).all()
    assert (committed["承诺时限"].astype(int) <= committed["法定时限"].astype(int)).all()
    for col in ("进驻日期", "纳入网上审批日期", "取消日期"):
        v = c[col].dropna()
        assert v.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    start, end = DEMO_START.isoformat(), DEMO_END.isoformat()
    assert c["取消日期"].between(start, end).sum() > 0

    def entry_rate(day: str) -> float:
        active = c["取消日期"].isna() | (c["取消日期"] > day)
        den = active & (c["应进驻"] == "是") & ~exempt
        return (den & (c["进驻日期"] <= day)).sum() / den.sum()

    assert entry_rate("2024-12-31") < entry_rate("2025-12-31") < entry_rate(end)
    assert 0.75 < entry_rate("2024-12-31") and entry_rate(end) < 1.0   # some never entered
    entered = c["进驻日期"].notna()
    assert (c.loc[entered, "进驻日期"] < start).mean() > 0.8
    assert c["纳入网上审批日期"].between(start, end).sum() > 0


# --- bad rows -----------------------------------------------------------------------------

def test_bad_rows_are_where_the_ledger_expects_them(df, bad):
    assert set(bad) == set(BAD_ROW_KINDS)
    total = sum(len(v) for v in bad.values())
    assert total == pytest.approx(N / BAD_ROW_EVERY, abs=1)
    for kind, pos in bad.items():
        assert len(pos) >= 1, kind
        rows = df.iloc[pos]
        if kind == "missing_dept":
            assert rows["办理部门"].isna().all()
        elif kind == "bad_accepted_at":
            assert ts(rows["受理时间"]).isna().all()
            assert pd.to_datetime(rows["受理时间"], errors="coerce", format="mixed").isna().all()
        elif kind == "completed_before_accepted":
            assert (ts(rows["办结时间"]) < ts(rows["受理时间"])).all()
            assert (rows["办件状态"] == "办结").all()
        elif kind == "rating_out_of_range":
            assert (rows["评价等级"] == "7").all()
        elif kind == "negative_limit":
            assert (rows["承诺时限"].astype(int) < 0).all()
        elif kind == "completed_without_time":
            assert (rows["办件状态"] == "办结").all() and rows["办结时间"].isna().all()
        elif kind == "identical_repeat":
            nxt = df.iloc[pos + 1]
            assert (rows.fillna("").to_numpy() == nxt.fillna("").to_numpy()).all()
        elif kind == "conflicting_case_id":
            nxt = df.iloc[pos + 1]
            assert (rows["办件编号"].to_numpy() == nxt["办件编号"].to_numpy()).all()
            assert (rows["受理时间"].to_numpy() != nxt["受理时间"].to_numpy()).all()
    # nothing else is bad: the good rows are clean
    fixed = df.drop(index=[p for v in bad.values() for p in v] +
                    [p + 1 for k in ("identical_repeat", "conflicting_case_id") for p in bad[k]])
    assert fixed["办理部门"].notna().all() and ts(fixed["受理时间"]).notna().all()
    assert not fixed.duplicated().any() and fixed["办件编号"].is_unique
    assert (pd.to_numeric(fixed["承诺时限"]).dropna() >= 0).all()
    assert fixed["评价等级"].dropna().isin(["非常满意", "满意", "基本满意", "不满意", "非常不满意"]).all()


def test_bad_row_counts_per_200k():
    counts = {k: len(v) for k, v in bad_row_positions(200_000).items()}
    assert sum(counts.values()) == 100
    assert set(counts.values()) <= {12, 13}


# --- files --------------------------------------------------------------------------------

def test_gb18030_file_has_the_same_rows_as_utf8(tmp_path):
    n = 5_000
    utf8_cases, utf8_cat = write_demo_files(tmp_path, n_cases=n)
    gb_cases, gb_cat = write_demo_files(tmp_path, n_cases=n, encoding="gb18030")
    assert len({utf8_cases, gb_cases, utf8_cat, gb_cat}) == 4
    for u, g in ((utf8_cases, gb_cases), (utf8_cat, gb_cat)):
        raw = g.read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        assert raw.decode("gb18030") == u.read_text(encoding="utf-8")
    lines = utf8_cases.read_text(encoding="utf-8").splitlines()
    assert lines[0].split(",") == list(CASE_COLUMNS)
    assert len(lines) == n + 1
    read = pd.read_csv(gb_cases, encoding="gb18030", dtype=str, keep_default_na=False)
    expected = pa.concat_tables(list(iter_case_batches(n))).to_pandas().fillna("")
    pd.testing.assert_frame_equal(read, expected)
    cat = pd.read_csv(gb_cat, encoding="gb18030", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(cat, generate_catalogue().to_pandas().fillna(""))


def test_unknown_encoding_is_refused(tmp_path):
    with pytest.raises(ValueError):
        write_demo_files(tmp_path, n_cases=10, encoding="latin-1")


def test_catalogue_dates_are_consistent(catalogue):
    c = catalogue
    retired = c["取消日期"].notna()
    for col in ("进驻日期", "纳入网上审批日期"):
        both = retired & c[col].notna()
        assert (c.loc[both, col] <= c.loc[both, "取消日期"]).all(), col
    assert c.loc[c["豁免进驻"] == "是", "进驻日期"].isna().all()
    assert c["进驻日期"].dropna().str[:4].nunique() >= 8        # spread over the years


# --- the scenario file and the calendar ------------------------------------------------

def test_bytes_match_the_generator_before_its_tables_became_data(tmp_path):
    # Digests of the 5,000-case files written by the generator when its departments,
    # profiles and holidays were Python literals (commit 0d0f11e). A change here means the
    # demo store, and every figure shown from it, changed: regenerate only on purpose.
    import hashlib

    cases, catalogue = write_demo_files(tmp_path, n_cases=5_000)
    assert hashlib.sha256(cases.read_bytes()).hexdigest() == \
        "53a33f8566baeff5888b8a82a3ce58585d63c990b368e164e69d6fd22ee204ec"
    assert hashlib.sha256(catalogue.read_bytes()).hexdigest() == \
        "b9e815810ce26fc7a47d0863396ddafa55693d1913a9eda59ace131f4f362070"


def test_departments_come_from_the_scenario_file():
    from data.demo.scenario import load_scenario

    scenario = load_scenario()
    assert DEPARTMENTS == scenario.departments and len(DEPARTMENTS) == 40
    tax = next(d for d in DEPARTMENTS if d.name == "市税务局")
    assert not tax.sign_recorded and scenario.rates(tax)["sign"] is None
    police = next(d for d in DEPARTMENTS if d.name == "市公安局")
    assert police.profile == "good" and scenario.rates(police)["online"] == (0.55, 0.68)  # its override
    assert scenario.rates(police)["early"] == scenario.profiles["good"]["early"]
    assert BAD_ROW_KINDS == scenario.bad_row_kinds and BAD_ROW_EVERY == 2_000


@pytest.mark.parametrize("edit, message", [
    (('profile = "improving"', 'profile = "excellent"'),
     "scenario.toml: departments[0] (市发展和改革委员会): profile 'excellent' is not one of "
     "good, average, poor, improving, worsening"),
    (('"negative_limit",', '"negative_limits",'),
     "scenario.toml: [bad_rows]: kinds must be distinct names from missing_dept, "
     "bad_accepted_at, completed_before_accepted, rating_out_of_range, negative_limit, "
     "completed_without_time, identical_repeat, conflicting_case_id; got negative_limits"),
    (("instant_limits_shares = [0.15, 0.15, 0.15, 0.20, 0.15, 0.20]",
      "instant_limits_shares = [0.15, 0.15, 0.15, 0.20, 0.15, 0.25]"),
     "scenario.toml: [items]: 'instant_limits_shares' must add up to 1, they add up to 1.05"),
    (('code = "102"', 'code = "101"'), "scenario.toml: departments: two departments share a code"),
    (("history_until = 2024-09-27", "history_until = 2024-10-02"),
     "scenario.toml: [items]: the history's dates must end at history_until, before [period] start"),
    (("early = [0.86, 0.92]", "early = [0.86, 1.92]"),
     "scenario.toml: [profiles.good] early: 1.92 is not a share between 0 and 1"),
    (("overrides = { online = [0.55, 0.68] }", "overrides = { online_rate = [0.55, 0.68] }"),
     "scenario.toml: departments[4] (市公安局): overrides may only set online, early, over, "
     "inst_late, bad, sign, rated"),
    (('channels = ["网上申报", "掌上办", "窗口受理", "自助终端", "邮寄申请"]',
      'channels = ["网上申报", "掌上办", "窗口受理", "自助终端"]'),
     "scenario.toml: [codes]: 'channels' must list 5 texts, it lists 4"),
])
def test_a_broken_scenario_file_names_the_entry(tmp_path, edit, message):
    from data.demo.scenario import SCENARIO_FILE, ScenarioError, load_scenario

    old, new = edit
    text = SCENARIO_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "scenario.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")      # its first occurrence
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert str(err.value) == message


def test_working_days_are_the_engines_calendar(good):
    """The demo's working days are the calendar table the metric SQL counts with, built by
    metrics/calendar.py: acceptances fall on its working days, or on Saturday mornings of
    an ordinary weekend (never inside a run of three or more rest days, i.e. a holiday)."""
    import duckdb

    from metrics.calendar import build_calendar

    con = duckdb.connect()
    build_calendar(con, DEMO_START - dt.timedelta(days=7), DEMO_END + dt.timedelta(days=7))
    cal = con.execute("SELECT day, is_workday FROM calendar ORDER BY day").fetchall()
    work = {d: w for d, w in cal}
    days = sorted(cal)
    run = {}
    i = 0
    while i < len(days):                       # length of each run of rest days
        j = i
        while j < len(days) and not days[j][1]:
            j += 1
        for k in range(i, j):
            run[days[k][0]] = j - i
        i = max(j, i + 1)
    accepted = Counter(ts(good["受理时间"]).dt.date)
    off_days = [d for d in accepted if not work[d]]
    assert off_days, "some Saturday service is expected"
    assert all(d.weekday() == 5 and run[d] <= 2 for d in off_days)
    # 2025-10-11 (Saturday) is a make-up working day after National Day: a full day's work
    assert work[dt.date(2025, 10, 11)] and accepted[dt.date(2025, 10, 11)] > 10
    # 2025-10-04 (Saturday) is inside the National Day holiday: nobody works
    assert run[dt.date(2025, 10, 4)] == 8 and accepted[dt.date(2025, 10, 4)] == 0
