"""The bulletin's chart: the four rates by department, as a PNG for the DOCX.

matplotlib draws it in-process and offline; plotly's static export would need kaleido
and a Chrome it drives, one more moving part in CI for a picture that never changes
after it is made. One figure, four panels sharing the departments in ranking order, so
a reader follows one department across the four rates on one line.
"""

from __future__ import annotations

import subprocess
from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: the chart only goes into a file

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from metrics.registry import FOUR_RATES  # noqa: E402
from metrics.results import Results  # noqa: E402

CJK_FAMILY = "Noto Sans CJK SC"  # Debian's fonts-noto-cjk, installed by ./run.sh test


@cache
def _font_family() -> str:
    """The CJK font's family, registered with matplotlib; DejaVu Sans (boxes for Chinese)
    only if fontconfig knows no CJK font at all."""
    try:
        path = subprocess.run(["fc-match", "-f", "%{file}", CJK_FAMILY], capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        path = ""
    if path and Path(path).exists():
        font_manager.fontManager.addfont(path)
        return font_manager.FontProperties(fname=path).get_name()
    return "DejaVu Sans"


def four_rates_chart(r: Results, path: Path) -> Path:
    """Horizontal bars of the four rates for every department with a score, best first,
    with each rate's target as a dashed line."""
    t = r.ranking[r.ranking["score"].notna()]
    depts = list(t["dept"])
    n = max(len(depts), 1)
    family = _font_family()
    with plt.rc_context({"font.family": [family, "DejaVu Sans"], "font.size": 7, "axes.unicode_minus": False}):
        fig, axes = plt.subplots(1, len(FOUR_RATES), sharey=True, figsize=(6.3, 0.9 + 0.17 * n), dpi=200)
        y = list(range(n))
        for ax, m in zip(axes, FOUR_RATES):
            values = [v * 100 if v == v else 0.0 for v in t[m.name].astype(float)]
            defined = [v == v for v in t[m.name].astype(float)]
            ax.barh(y, values, color=["#2f5597" if d else "#ffffff" for d in defined], height=0.7)
            target = r.target(m)
            if target is not None:
                ax.axvline(target * 100, color="#c00000", linestyle="--", linewidth=0.8)
            ax.set_xlim(0, 100)
            ax.set_xticks([0, 50, 100], ["0", "50%", "100%"])
            title = m.label_zh + (f"\n（目标 {target * 100:g}%）" if target is not None else "\n")
            ax.set_title(title, fontsize=8)
            ax.grid(axis="x", linewidth=0.3, color="#bbbbbb")
            ax.set_axisbelow(True)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
            for yi, d in zip(y, defined):
                if not d:
                    ax.text(2, yi, "无数据", va="center", fontsize=6, color="#666666")
        axes[0].set_yticks(y, depts)
        axes[0].invert_yaxis()
        fig.tight_layout(w_pad=0.6)
        fig.savefig(path, format="png")
        plt.close(fig)
    return path
