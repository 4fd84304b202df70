"""The demo centre's story, read from ``data/demo/scenario.toml``: its departments and
their performance, its items, the fake applicants and the bad rows planted in its exports.

The generator (the other modules of ``data/demo/``) only turns this into rows, so changing who the centre has
or how well a department does is an edit of the TOML file, checked here on load with a
message naming the entry at fault.
"""

from __future__ import annotations

import datetime as _dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

SCENARIO_FILE = Path(__file__).with_name("scenario.toml")

# The defects the generator knows how to plant (data/demo/cases.py, _block); the file chooses
# their order and may leave some out.
KNOWN_BAD_ROWS = (
    "missing_dept", "bad_accepted_at", "completed_before_accepted", "rating_out_of_range",
    "negative_limit", "completed_without_time", "identical_repeat", "conflicting_case_id",
)
# Rates given per department as [at the start, at the end] of the demo period.
RATE_PAIRS = ("online", "early", "over", "inst_late", "bad", "sign", "rated")
_PROFILE_KEYS = set(RATE_PAIRS) | {"basic", "catalogue"}
# The generator picks these codes by position (e.g. status 0 = completed), so their
# number is fixed; the texts are the file's.
_CODE_COUNTS = {"item_types": 2, "yes_no": 2, "channels": 5, "statuses": 4, "ratings": 5}


class ScenarioError(ValueError):
    """The scenario file is not what the generator needs; the message names the entry."""


@dataclass(frozen=True)
class Dept:
    code: str                       # 3-digit code used in case numbers and item codes
    name: str
    weight: tuple[float, float]     # relative case volume at the start and at the end
    n_items: int
    instant_share: float            # share of the department's catalogue items that are 即办件
    profile: str
    stems: tuple[str, ...]
    overrides: tuple = ()           # ((rate, (start, end)), ...) over the profile
    weekend: bool = False           # opens on Saturday mornings (周六不打烊)
    company_share: float = 0.2      # share of applicants that are companies
    tiny_per_quarter: float = 0.0   # > 0: a tiny department with this many cases a quarter
    sign_recorded: bool = True      # False: its system does not record window sign-off


@dataclass(frozen=True)
class Scenario:
    start: _dt.date
    end: _dt.date
    exported_at: _dt.datetime
    bad_row_every: int
    bad_row_kinds: tuple[str, ...]
    bad_accepted_at: tuple[str, ...]
    bad_rating: str
    codes: dict[str, tuple[str, ...]]
    area_code: str
    item_categories: tuple[str, ...]
    item_actions: tuple[str, ...]
    committed_limits: tuple[tuple[int, ...], tuple[float, ...]]   # (limits, shares)
    instant_limits: tuple[tuple[int, ...], tuple[float, ...]]
    promised_share: tuple[float, float]
    history: dict[str, _dt.date]             # entered_since, online_since, abolished_since, history_until
    weekday_volume: tuple[float, ...]        # Monday first
    month_volume: tuple[float, ...]          # January first
    intraday: tuple[tuple[int, float], ...]  # (minutes after opening, relative intensity)
    open_minutes: int
    surnames: tuple[str, ...]
    given: tuple[str, ...]
    firms: tuple[str, ...]
    trades: tuple[str, ...]
    mobile_prefixes: tuple[str, ...]
    profiles: dict[str, dict]
    departments: tuple[Dept, ...]

    def rates(self, dept: Dept) -> dict:
        """The department's profile with its own overrides; "sign" is None where it is not
        recorded."""
        p = dict(self.profiles[dept.profile])
        p.update(dict(dept.overrides))
        if not dept.sign_recorded:
            p["sign"] = None
        return p


class _Reader:
    """Typed access to the parsed TOML with errors that say where."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, what: str) -> None:
        raise ScenarioError(f"{self.path.name}: {where}: {what}")

    def get(self, table: dict, key: str, where: str, kind: type | tuple, default=None):
        if key not in table:
            if default is not None:
                return default
            self.fail(where, f"'{key}' is missing")
        value = table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # TOML integers are fine where a number is expected; booleans are not numbers here.
        if isinstance(value, bool) and bool not in kinds:
            self.fail(where, f"'{key}' = {value!r} is not a {kinds[0].__name__}")
        if float in kinds and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kinds):
            self.fail(where, f"'{key}' = {value!r} is not a {kinds[0].__name__}")
        return value

    def share(self, value, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            self.fail(where, f"{value!r} is not a share between 0 and 1")
        return float(value)

    def pair(self, value, where: str) -> tuple[float, float]:
        if not isinstance(value, list) or len(value) != 2:
            self.fail(where, f"{value!r} is not a pair [at the start, at the end]")
        return (self.share(value[0], where), self.share(value[1], where))

    def strings(self, table: dict, key: str, where: str, count: int | None = None) -> tuple[str, ...]:
        value = self.get(table, key, where, (list, str))
        items = value.split() if isinstance(value, str) else value
        if not items or not all(isinstance(x, str) for x in items):
            self.fail(where, f"'{key}' must list texts")
        if count is not None and len(items) != count:
            self.fail(where, f"'{key}' must list {count} texts, it lists {len(items)}")
        return tuple(items)

    def distribution(self, table: dict, key: str, where: str) -> tuple[tuple[int, ...], tuple[float, ...]]:
        values = self.get(table, key, where, list)
        shares = self.get(table, key + "_shares", where, list)
        if not values or len(values) != len(shares) or not all(isinstance(v, int) for v in values):
            self.fail(where, f"'{key}' must list whole numbers, as many as '{key}_shares'")
        shares = tuple(self.share(s, f"{where} {key}_shares") for s in shares)
        if abs(sum(shares) - 1.0) > 1e-9:
            self.fail(where, f"'{key}_shares' must add up to 1, they add up to {sum(shares):g}")
        return tuple(values), shares


def load_scenario(path: Path = SCENARIO_FILE) -> Scenario:
    path = Path(path)
    r = _Reader(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path.name}: not valid TOML: {exc}") from exc

    period = r.get(doc, "period", "top level", dict)
    start = r.get(period, "start", "[period]", _dt.date)
    end = r.get(period, "end", "[period]", _dt.date)
    exported_at = r.get(period, "exported_at", "[period]", _dt.datetime)
    if not start <= end < exported_at.date():
        r.fail("[period]", "needs start <= end < exported_at")

    bad = r.get(doc, "bad_rows", "top level", dict)
    every = r.get(bad, "every", "[bad_rows]", int)
    kinds = r.strings(bad, "kinds", "[bad_rows]")
    unknown = [k for k in kinds if k not in KNOWN_BAD_ROWS]
    if unknown or len(set(kinds)) != len(kinds):
        r.fail("[bad_rows]", f"kinds must be distinct names from {', '.join(KNOWN_BAD_ROWS)}; "
                             f"got {', '.join(unknown) or 'a repeated name'}")

    codes_t = r.get(doc, "codes", "top level", dict)
    codes = {k: r.strings(codes_t, k, "[codes]", n) for k, n in _CODE_COUNTS.items()}

    items = r.get(doc, "items", "top level", dict)
    area = r.get(items, "area_code", "[items]", str)
    promised = r.pair(r.get(items, "promised_share", "[items]", list), "[items] promised_share")
    history = {k: r.get(items, k, "[items]", _dt.date)
               for k in ("entered_since", "online_since", "abolished_since", "history_until")}
    if not max(history.values()) == history["history_until"] < start:
        r.fail("[items]", "the history's dates must end at history_until, before [period] start")

    volume = r.get(doc, "volume", "top level", dict)
    weekday = tuple(float(x) for x in r.get(volume, "weekday", "[volume]", list))
    month = tuple(float(x) for x in r.get(volume, "month", "[volume]", list))
    if len(weekday) != 7 or len(month) != 12:
        r.fail("[volume]", "weekday needs 7 factors (Monday first) and month 12 (January first)")
    segments = r.get(volume, "intraday", "[volume]", list)
    open_minutes = r.get(volume, "open_minutes", "[volume]", int)
    starts = [s[0] for s in segments if isinstance(s, list) and len(s) == 2]
    if len(starts) != len(segments) or starts[0] != 0 or starts != sorted(set(starts)) \
            or starts[-1] >= open_minutes:
        r.fail("[volume]", "intraday must list [minute, intensity] pairs from minute 0, "
                           "increasing, before open_minutes")
    intraday = tuple((int(a), float(v)) for a, v in segments)

    people = r.get(doc, "applicants", "top level", dict)
    prefixes = r.strings(people, "mobile_prefixes", "[applicants]")
    if not all(re.fullmatch(r"1[3-9]\d", p) for p in prefixes):
        r.fail("[applicants]", "mobile_prefixes must be three digits from 130 to 199")

    profiles: dict[str, dict] = {}
    for name, t in r.get(doc, "profiles", "top level", dict).items():
        where = f"[profiles.{name}]"
        if set(t) != _PROFILE_KEYS:
            r.fail(where, f"needs exactly {', '.join(sorted(_PROFILE_KEYS))}")
        p = {k: r.pair(t[k], f"{where} {k}") for k in RATE_PAIRS}
        p["basic"] = r.share(t["basic"], f"{where} basic")
        cat = t["catalogue"]
        if not isinstance(cat, list) or len(cat) != 4:
            r.fail(where, "catalogue needs four shares")
        p["cat"] = tuple(r.share(x, f"{where} catalogue") for x in cat)
        profiles[name] = p

    departments = []
    for i, t in enumerate(r.get(doc, "departments", "top level", list)):
        where = f"departments[{i}] ({t.get('name', '?')})"
        code = r.get(t, "code", where, str)
        if not re.fullmatch(r"\d{3}", code):
            r.fail(where, f"code {code!r} is not three digits")
        profile = r.get(t, "profile", where, str)
        if profile not in profiles:
            r.fail(where, f"profile {profile!r} is not one of {', '.join(profiles)}")
        weight = r.get(t, "weight", where, (float, list))
        weight = (weight, weight) if isinstance(weight, float) else tuple(float(x) for x in weight)
        if len(weight) != 2 or min(weight) < 0:
            r.fail(where, "weight must be a number >= 0 or a pair of them")
        overrides = r.get(t, "overrides", where, dict, default={})
        if not set(overrides) <= set(RATE_PAIRS):
            r.fail(where, f"overrides may only set {', '.join(RATE_PAIRS)}")
        n_items = r.get(t, "items", where, int)
        if n_items < 1:
            r.fail(where, "items must be at least 1")
        departments.append(Dept(
            code=code, name=r.get(t, "name", where, str), weight=weight, n_items=n_items,
            instant_share=r.share(r.get(t, "instant_share", where, float), f"{where} instant_share"),
            profile=profile, stems=r.strings(t, "stems", where),
            overrides=tuple((k, r.pair(v, f"{where} overrides.{k}")) for k, v in overrides.items()),
            weekend=r.get(t, "weekend", where, bool, default=False),
            company_share=r.share(r.get(t, "company_share", where, float), f"{where} company_share"),
            tiny_per_quarter=r.get(t, "tiny_per_quarter", where, float, default=0.0),
            sign_recorded=r.get(t, "sign_recorded", where, bool, default=True),
        ))
    for field_ in ("code", "name"):
        seen = [getattr(d, field_) for d in departments]
        if len(set(seen)) != len(seen):
            r.fail("departments", f"two departments share a {field_}")

    return Scenario(
        start=start, end=end, exported_at=exported_at, bad_row_every=every, bad_row_kinds=kinds,
        bad_accepted_at=r.strings(bad, "bad_accepted_at", "[bad_rows]"),
        bad_rating=r.get(bad, "bad_rating", "[bad_rows]", str), codes=codes, area_code=area,
        item_categories=r.strings(items, "categories", "[items]"),
        item_actions=r.strings(items, "actions", "[items]"),
        committed_limits=r.distribution(items, "committed_limits", "[items]"),
        instant_limits=r.distribution(items, "instant_limits", "[items]"),
        promised_share=promised, history=history, weekday_volume=weekday, month_volume=month, intraday=intraday,
        open_minutes=open_minutes,
        surnames=r.strings(people, "surnames", "[applicants]"),
        given=r.strings(people, "given", "[applicants]"),
        firms=r.strings(people, "firms", "[applicants]"),
        trades=r.strings(people, "trades", "[applicants]"),
        mobile_prefixes=prefixes, profiles=profiles, departments=tuple(departments),
    )
