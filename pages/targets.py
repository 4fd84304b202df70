"""Targets as the pages show them: `≥ 90.0%`, a green "met" or red "missed" badge under a
tile, the score target of the ranking chart, the ranking weights in words. A deployment's
`dashboard.toml` may override the registry's targets (`target_of`)."""

from __future__ import annotations

from metrics import ranking
from metrics.registry import BY_NAME, FOUR_RATES
from pages.formats import fmt_metric, undefined
from pages.labels import current_lang, metric_help, metric_label, t
from pages.queries import settings


def target_of(name: str) -> float | None:
    return settings().targets.get(name, BY_NAME[name].target)


def target_text(name: str, lang: str | None = None) -> str:
    """`≥ 90.0%`, `≤ 1.50 working days`; the target of the deployment (settings override)."""
    target = target_of(name)
    if target is None:
        return t("fr_no_target", lang)
    sign = "≥" if BY_NAME[name].better == "higher" else "≤"
    return f"{sign} {fmt_metric(name, target, lang)}"


def target_badge(name: str, value, lang: str | None = None) -> str | None:
    """Markdown badge (static words and formatted numbers only) saying whether `value` meets
    the metric's target; None when the metric has no target."""
    target = target_of(name)
    if target is None:
        return None
    goal = f"{t('target', lang)} {target_text(name, lang)}"
    met = BY_NAME[name].meets(None if undefined(value) else float(value), target)
    if met is None:
        return f":gray-badge[{goal}]"
    return (f":green-badge[✓ {t('target_met', lang)} · {goal}]" if met
            else f":red-badge[✗ {t('target_missed', lang)} · {goal}]")


def target_note(name: str, value, centre_value=None, lang: str | None = None, show_centre: bool = True) -> str:
    """Markdown under a tile (static words and formatted numbers only): the centre's value,
    and a badge saying whether the target is met."""
    bits = []
    if show_centre:
        bits.append(f":gray-badge[{t('centre', lang)} {fmt_metric(name, centre_value, lang)}]")
    badge = target_badge(name, value, lang)
    if badge is not None:
        bits.append(badge)
    return " ".join(bits)


def metric_help_full(name: str, lang: str | None = None) -> str:
    """`metric_help` plus the target and the date that puts a case into the period."""
    lang = lang or current_lang()
    m = BY_NAME[name]
    parts = [metric_help(name, lang)]
    if target_of(name) is not None:
        parts.append(f"{t('target', lang)}: {target_text(name, lang)}")
    parts.append(t("ov_period_date", lang, what=t(f"pd_{m.period_date}", lang)))
    return "\n\n".join(parts)


def score_target() -> float | None:
    """The reference line of the scores (`metrics.ranking.score_target`) for this deployment's
    weights and targets."""
    return ranking.score_target(settings().weights, {m.name: target_of(m.name) for m in FOUR_RATES})


def weights_text(lang: str | None = None) -> str:
    """`事项进驻率 25，网上审批率 25，…`: the ranking weights of the deployment."""
    lang = lang or current_lang()
    w = settings().weights
    sep = "，" if lang == "zh" else ", "
    return sep.join(f"{metric_label(m.name, lang)} {getattr(w, m.name):g}" for m in FOUR_RATES)
