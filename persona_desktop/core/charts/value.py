"""Charts of customer value: the holdout check by calibration frequency (the classic plot of the
customer-base models), who is still a customer against when they last bought, and how the predicted
value is spread over the customers."""

from __future__ import annotations

import numpy as np

from persona_desktop.core.i18n import register, tr

# matplotlib is imported inside the functions, never at module level: configure_fonts() (charts/__init__.py)
# must point MPLCONFIGDIR at our font cache before matplotlib is first imported.
__all__ = ["draw_check", "draw_alive", "draw_value_spread"]

register({
    "chart.vcheck.title": ("Check on the last third: purchases after {cutoff}, predicted and made",
                           "用最后三分之一检验：{cutoff} 之后的购买，预测与实际"),
    "chart.vcheck.x": ("repeat purchases before the cut-off", "截止日前的重复购买次数"),
    "chart.vcheck.y": ("purchase days per customer after it (mean)", "之后每位客户的购买天次（平均）"),
    "chart.vcheck.predicted": ("predicted", "预测"),
    "chart.vcheck.actual": ("made", "实际"),
    "chart.alive.title": ("Chance of still being a customer, by days since the last purchase",
                          "仍是客户的概率与距上次购买天数"),
    "chart.alive.x": ("days since the last purchase", "距上次购买天数"),
    "chart.alive.y": ("P(still a customer)", "仍是客户的概率"),
    "chart.alive.repeat": ("bought on {n} days or more", "购买 {n} 天次及以上"),
    "chart.alive.few": ("bought on fewer days", "购买天次较少"),
    "chart.spread.title": ("Predicted {months}-month value: the top customers' share", "未来 {months} 个月预测价值：头部客户的占比"),
    "chart.spread.x": ("customers, most valuable first (share)", "客户（按价值从高到低，占比）"),
    "chart.spread.y": ("share of the predicted value", "占预测价值的比例"),
    "chart.spread.note": ("the top {pct} bring {share}", "前 {pct} 的客户贡献 {share}"),
})


def draw_check(fig, by_frequency, cutoff: str, lang: str | None = None) -> None:
    """Bars of predicted and made purchases after the cut-off, by repeat purchases before it (7 = 7+)."""
    ax = fig.add_subplot(111)
    x = np.arange(len(by_frequency))
    ax.bar(x - 0.2, by_frequency["predicted"], 0.4, color="#0072B2", label=tr("chart.vcheck.predicted", lang))
    ax.bar(x + 0.2, by_frequency["actual"], 0.4, color="#E69F00", label=tr("chart.vcheck.actual", lang))
    labels = [f"{int(r)}+" if r >= 7 else str(int(r)) for r in by_frequency["repeat"]]
    ax.set_xticks(x, labels)
    ax.set_xlabel(tr("chart.vcheck.x", lang))
    ax.set_ylabel(tr("chart.vcheck.y", lang))
    ax.set_title(tr("chart.vcheck.title", lang, cutoff=cutoff))
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)


def draw_alive(fig, days_since: np.ndarray, p_alive: np.ndarray, repeat: np.ndarray, lang: str | None = None,
               max_points: int = 5000) -> None:
    """Each customer's P(alive) against the days since their last purchase; frequent buyers apart."""
    ax = fig.add_subplot(111)
    n = len(p_alive)
    idx = np.random.default_rng(0).choice(n, max_points, replace=False) if n > max_points else np.arange(n)
    cut = max(2, int(np.percentile(repeat, 75)))
    many = repeat[idx] >= cut
    ax.scatter(days_since[idx][~many], p_alive[idx][~many], s=8, alpha=0.5, color="#999999",
               label=tr("chart.alive.few", lang), linewidths=0)
    ax.scatter(days_since[idx][many], p_alive[idx][many], s=10, alpha=0.6, color="#D55E00",
               label=tr("chart.alive.repeat", lang, n=cut + 1), linewidths=0)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(tr("chart.alive.x", lang))
    ax.set_ylabel(tr("chart.alive.y", lang))
    ax.set_title(tr("chart.alive.title", lang))
    ax.legend(frameon=False, loc="lower left")
    ax.spines[["top", "right"]].set_visible(False)


def draw_value_spread(fig, values: np.ndarray, months: int, lang: str | None = None) -> None:
    """The cumulative share of predicted value against the share of customers (a Lorenz-style curve)."""
    ax = fig.add_subplot(111)
    v = np.sort(np.clip(np.asarray(values, dtype=float), 0, None))[::-1]
    total = v.sum()
    if not len(v) or total <= 0:
        ax.set_axis_off()
        return
    share_customers = np.arange(1, len(v) + 1) / len(v)
    share_value = np.cumsum(v) / total
    ax.plot(np.r_[0, share_customers], np.r_[0, share_value], color="#009E73")
    ax.plot([0, 1], [0, 1], color="#BBBBBB", linestyle="--", linewidth=1)
    top = max(1, int(round(0.2 * len(v))))
    ax.axvline(top / len(v), color="#333333", linestyle=":", linewidth=1)
    ax.text(top / len(v), 0.05, " " + tr("chart.spread.note", lang, pct="20%", share=f"{share_value[top - 1]:.0%}"),
            fontsize="small")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:.0%}")
    ax.yaxis.set_major_formatter(lambda y, _: f"{y:.0%}")
    ax.set_xlabel(tr("chart.spread.x", lang))
    ax.set_ylabel(tr("chart.spread.y", lang))
    ax.set_title(tr("chart.spread.title", lang, months=months))
    ax.spines[["top", "right"]].set_visible(False)
