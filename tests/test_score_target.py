"""The score target of the ranking chart (metrics/ranking.score_target), by hand."""

from __future__ import annotations

import pytest


def test_score_target_weighs_the_targets_as_the_score_weighs_the_rates():
    from metrics.ranking import score_target
    from metrics.settings import Weights
    targets = {"entry_rate": 0.85, "online_rate": 0.90, "early_completion_rate": None, "satisfaction_rate": 0.98}
    # Equal weights; the early-completion rate has no target and is left out: (85 + 90 + 98) / 3.
    assert score_target(Weights(), targets) == pytest.approx(91.0)
    # Weights 50/25/25/0: (50·85 + 25·90) / 75 = 86.67; a rate weighted 0 is left out too.
    w = Weights(entry_rate=50, online_rate=25, early_completion_rate=25, satisfaction_rate=0)
    assert score_target(w, targets) == pytest.approx((50 * 85 + 25 * 90) / 75)
    assert score_target(Weights(), {}) is None
