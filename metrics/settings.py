"""Settings of a deployment: where the store lives, targets, ranking weights.

Defaults come from the spec (section 6, 7); a `dashboard.toml` beside `dashboard.py`
overrides them, and `METRICS_DB` points the dashboard and the CLI at another store.
"""

from __future__ import annotations

import os
import tomllib
from datetime import time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, create_model, field_validator, model_validator

from metrics.registry import FOUR_RATES

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_DIR / "data" / "dashboard.duckdb"
CONFIG_FILE = PROJECT_DIR / "dashboard.toml"


# The ranking weights, one per rate of the score, named and defaulted by the registry.
Weights = create_model(
    "Weights",
    **{m.name: (float, Field(m.weight, ge=0)) for m in FOUR_RATES})


class GradeRules(BaseModel):
    """Spec 10: the excellent quota and the score floors of the grades (等次), per category."""
    excellent_share: float = Field(0.20, ge=0, le=1)
    excellent_min_score: float = Field(90, ge=0, le=100)
    good_min_score: float = Field(80, ge=0, le=100)
    pass_min_score: float = Field(60, ge=0, le=100)

    @model_validator(mode="after")
    def _floors_descend(self) -> "GradeRules":
        if not self.excellent_min_score >= self.good_min_score >= self.pass_min_score:
            raise ValueError("[grades] needs excellent_min_score >= good_min_score >= pass_min_score")
        return self


class Alerts(BaseModel):
    """`[alerts]`: the thresholds of the integrity alerts (`metrics/alerts.py`, docs/alerts.md).
    A field named like a rule is that rule's threshold; the others are its parameters."""
    instant_closure: float = Field(0.02, ge=0, le=1)       # share of committed completions
    instant_closure_seconds: int = Field(60, ge=0)
    off_hours_acceptance: float = Field(0.05, ge=0, le=1)  # share of window acceptances
    office_opens: time = time(8, 30)
    office_closes: time = time(18, 0)
    rating_burst: int = Field(20, ge=2)                    # top ratings within the window
    rating_burst_minutes: int = Field(10, ge=1)
    deadline_pileup: float = Field(0.5, ge=0, le=1)        # share of deadline completions
    late_withdrawal: float = Field(0.1, ge=0, le=1)        # share of withdrawn/rejected cases
    rating_before_completion: float = Field(0.01, ge=0, le=1)  # share of dated ratings

    @model_validator(mode="after")
    def _hours_in_order(self) -> "Alerts":
        if not self.office_opens < self.office_closes:
            raise ValueError("[alerts] needs office_opens before office_closes")
        return self


class AuthSettings(BaseModel):
    """`[auth]`: who may use the dashboard (docs/security.md).

    open: one machine, no sign-in; the server listens on 127.0.0.1 only. accounts: users of
    `python -m metrics users add` sign in with a password. oidc: Streamlit's st.login against an
    identity provider (its client in .streamlit/secrets.toml), the role from a claim or from the
    users table by e-mail."""
    mode: Literal["open", "accounts", "oidc"] = "open"
    role_claim: str = Field("role", min_length=1)   # oidc: the claim naming the role
    dept_claim: str = Field("dept", min_length=1)   # oidc: the claim naming a department user's department


class Settings(BaseModel):
    db_path: Path = DEFAULT_DB
    # The centre's name, as the bulletin's title and the public page name it.
    centre_name: str = Field("政务服务中心", min_length=1)
    language: Literal["zh", "en"] = "zh"
    min_cases: int = Field(30, ge=0)
    weights: Weights = Weights()
    # Overrides of the registry's default targets, by metric name.
    targets: dict[str, float] = {}
    upload_limit_mb: int = Field(200, ge=1)
    auth: AuthSettings = AuthSettings()
    calendar: Literal["cn", "weekdays"] = "cn"
    calendar_overrides: Path | None = None
    demo_cases: int = Field(200_000, ge=1000)
    grades: GradeRules = GradeRules()
    alerts: Alerts = Alerts()
    # Which engine computes the per-day aggregates of `python -m metrics aggregate` (docs/spark.md);
    # the imports and the pages always use the DuckDB store.
    engine: Literal["duckdb", "spark"] = "duckdb"
    # local[N] (this machine), spark://host:7077, yarn, k8s://…, or sc://host:15002 (Spark Connect).
    spark_master: str = Field("local[*]", min_length=1)

    @field_validator("db_path", "calendar_overrides", mode="after")
    @classmethod
    def _relative_to_project(cls, p: Path | None) -> Path | None:
        if p is not None and not p.is_absolute():
            return PROJECT_DIR / p
        return p


def load_settings(path: Path | None = None) -> Settings:
    # METRICS_CONFIG names another dashboard.toml: a second deployment from one checkout, or a
    # test's server in accounts mode.
    path = path or Path(os.environ.get("METRICS_CONFIG") or CONFIG_FILE)
    raw: dict = {}
    if path.exists():
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    if os.environ.get("METRICS_DB"):
        raw["db_path"] = os.environ["METRICS_DB"]
    return Settings.model_validate(raw)
