"""Which charts each result has, and how to draw them: the one list the GUI and the export share.

``segment_figures(segments)``, ``rules_figures(rules)`` and
``prediction_figures(prediction)`` return :class:`Figure` entries: a stable
key (the file name of an exported chart), a title, a size, and a function
that draws onto an empty matplotlib figure in a language. The GUI puts each
one on a canvas in a tab; :func:`persona_desktop.core.export.files.save_figures` writes them all as files.
Only the charts a result can show are listed (the RFM grid for RFM groups,
ROC curves for a yes/no target…).

What a chart needs computed (the customer map's projection, the ROC curves)
is computed when the list is built, and the list is kept on the result: the
GUI builds it in the worker thread once a step is done, so that drawing on
screen does no analysis.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from persona_desktop.core.charts import predict as p
from persona_desktop.core.charts import quality as q
from persona_desktop.core.charts import rules as r
from persona_desktop.core.charts import segments as s
from persona_desktop.core.charts import value as v
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.predict.models import model_label
from persona_desktop.core.value.summary import UNITS
from persona_desktop.core.segments.rfm import RFM_GRID

if TYPE_CHECKING:
    from persona_desktop.core.predict.run import Prediction
    from persona_desktop.core.results import Analysis
    from persona_desktop.core.rules.run import RulesAnalysis
    from persona_desktop.core.segments.run import SegmentAnalysis
    from persona_desktop.core.value.run import ValueAnalysis

__all__ = ["Figure", "segment_figures", "rules_figures", "prediction_figures", "analysis_figures"]

register({
    "fig.map": ("Customer map", "客户分布"),
    "fig.sizes": ("Sizes and revenue", "规模与收入"),
    "fig.profile": ("Profiles", "特征对比"),
    "fig.silhouette": ("Silhouette", "轮廓系数"),
    "fig.k": ("Number of segments", "分组数"),
    "fig.rfm": ("RFM grid", "RFM 网格"),
    "fig.kdist": ("Radius", "半径"),
    "fig.tree": ("Merge tree", "合并树"),
    "fig.rules_top": ("Top rules", "最强规则"),
    "fig.rules_scatter": ("Support and confidence", "支持度与置信度"),
    "fig.rules_network": ("Product network", "商品关系网"),
    "fig.roc": ("ROC curves", "ROC 曲线"),
    "fig.importance": ("Important columns", "重要列"),
    "fig.confusion": ("Confusion matrix", "混淆矩阵"),
    "fig.probabilities": ("Probabilities", "概率分布"),
    "fig.value_check": ("Check", "检验"),
    "fig.value_alive": ("Still a customer?", "仍是客户？"),
    "fig.value_spread": ("Value spread", "价值分布"),
})


@dataclass(frozen=True)
class Figure:
    """One chart of a result: ``draw(fig, lang)`` fills an empty matplotlib figure."""

    key: str
    draw: Callable[[object, str | None], None]
    size: tuple[float, float] = (8.0, 5.0)

    def title(self, lang: str | None = None) -> str:
        return Message(f"fig.{self.key}").text(lang)


def _names(segments: "SegmentAnalysis", lang) -> dict[int, str]:
    return segments.names_by_segment(lang)


def _kept(result, build: Callable[[], list[Figure]]) -> list[Figure]:
    """The list *build* makes, made once per result object and kept on it."""
    kept = result.__dict__.get("_figures")
    if kept is None:
        kept = build()
        result.__dict__["_figures"] = kept  # results are never changed after they are made
    return list(kept)


def segment_figures(segments: "SegmentAnalysis") -> list[Figure]:
    """Customer map, sizes and revenue, profile heat map, silhouette, and the method's own chart."""
    return _kept(segments, lambda: _segment_figures(segments))


def _segment_figures(segments: "SegmentAnalysis") -> list[Figure]:
    seg = segments.segmentation
    fitted = seg.segmenter
    points = s.map_points(seg.features.X, seg.labels)
    figures = [
        Figure("map", lambda fig, lang: s.draw_customer_map(fig, seg.features.X, seg.labels, _names(segments, lang),
                                                             lang, points=points)),
        Figure("sizes", lambda fig, lang: s.draw_segment_sizes(fig, segments.personas, lang)),
        Figure("profile", lambda fig, lang: s.draw_profile_heatmap(fig, segments.personas, lang=lang), (9.0, 5.0)),
    ]
    quality = seg.quality
    if quality.sample_labels is not None and len(quality.sample_labels) and quality.silhouette is not None:
        figures.append(Figure("silhouette", lambda fig, lang: q.draw_silhouette(
            fig, quality.sample_labels, quality.sample_silhouettes, _names(segments, lang), lang)))
    if getattr(fitted, "k_scores_", None):
        figures.append(Figure("k", lambda fig, lang: q.draw_k_selection(fig, fitted.k_scores_, seg.n_segments, lang)))
    if seg.method == "rfm":
        figures.append(Figure("rfm", lambda fig, lang: q.draw_rfm_grid(fig, fitted.r_score_, fitted.fm_score_,
                                                                        RFM_GRID, lang), (7.0, 5.5)))
    if seg.method == "dbscan" and getattr(fitted, "k_distances_", None) is not None:
        figures.append(Figure("kdist", lambda fig, lang: q.draw_k_distances(
            fig, fitted.k_distances_, fitted.eps_, fitted.min_samples_ - 1, lang)))
    if seg.method == "hierarchical" and getattr(fitted, "linkage_matrix_", None) is not None:
        figures.append(Figure("tree", lambda fig, lang: q.draw_dendrogram(fig, fitted.linkage_matrix_,
                                                                           seg.n_segments, lang)))
    return figures


def rules_figures(rules: "RulesAnalysis") -> list[Figure]:
    """The strongest rules, every rule by support and confidence, and the product network."""
    return _kept(rules, lambda: _rules_figures(rules))


def _rules_figures(rules: "RulesAnalysis") -> list[Figure]:
    table = rules.rules
    return [
        Figure("rules_top", lambda fig, lang: r.draw_top_rules(fig, table, lang), (9.0, 5.5)),
        Figure("rules_scatter", lambda fig, lang: r.draw_rule_scatter(fig, table, lang)),
        Figure("rules_network", lambda fig, lang: r.draw_rule_network(fig, table, lang), (8.0, 6.0)),
    ]


def prediction_figures(prediction: "Prediction") -> list[Figure]:
    """ROC curves (yes/no targets), column importance, confusion matrix, probabilities."""
    return _kept(prediction, lambda: _prediction_figures(prediction))


def _prediction_figures(prediction: "Prediction") -> list[Figure]:
    target = prediction.target
    figures = []
    if target.positive is not None:
        curves = prediction.roc_points()
        figures.append(Figure("roc", lambda fig, lang: p.draw_roc_curves(
            fig, {model_label(name, lang): c for name, c in curves.items()}, target.positive, lang), (6.5, 5.5)))
    if len(prediction.importance):
        imp = prediction.importance
        figures.append(Figure("importance", lambda fig, lang: p.draw_importance(
            fig, list(imp["feature"]), list(imp["importance"]), list(imp["std"]), lang)))
    if prediction.chosen.confusion is not None:
        figures.append(Figure("confusion", lambda fig, lang: p.draw_confusion(
            fig, prediction.chosen.confusion, target.classes, lang), (6.0, 5.0)))
    if target.positive is not None:
        pos = target.classes.index(target.positive)
        actual = target.y.to_numpy() == target.positive
        figures.append(Figure("probabilities", lambda fig, lang: p.draw_probabilities(
            fig, prediction.scored_proba[:, pos], actual, target.positive, prediction.chosen.threshold, lang)))
    return figures


def value_figures(value: "ValueAnalysis") -> list[Figure]:
    """The check on the last third (when there is one), P(alive) by days since the last purchase, the value spread."""
    return _kept(value, lambda: _value_figures(value))


def _value_figures(value: "ValueAnalysis") -> list[Figure]:
    figures = []
    check = value.backtest
    if check is not None:
        buckets = check.by_frequency()
        figures.append(Figure("value_check", lambda fig, lang: v.draw_check(fig, buckets, str(check.cutoff.date()), lang)))
    t = value.table
    days_since = ((t["T"] - t["t_x"]) * UNITS[value.summary.unit]).to_numpy()
    known = t["p_alive"].notna().to_numpy()
    if value.shows_alive and known.any():
        figures.append(Figure("value_alive", lambda fig, lang: v.draw_alive(
            fig, days_since[known], t["p_alive"].to_numpy()[known], t["x"].to_numpy()[known], lang)))
    if value.spend is not None:
        figures.append(Figure("value_spread", lambda fig, lang: v.draw_value_spread(fig, t["clv"].to_numpy(),
                                                                                     value.months, lang)))
    return figures


def analysis_figures(analysis: "Analysis") -> list[tuple[str, Figure]]:
    """Every chart of an analysis as (file stem, figure): segments, customer value, rules, then the model."""
    out: list[tuple[str, Figure]] = []
    if analysis.segments is not None:
        out += [(f"segments_{f.key}", f) for f in segment_figures(analysis.segments)]
    if analysis.value is not None:
        out += [(f.key, f) for f in value_figures(analysis.value)]
    if analysis.rules is not None and len(analysis.rules.rules):
        out += [(f"rules_{f.key.removeprefix('rules_')}", f) for f in rules_figures(analysis.rules)]
    if analysis.model is not None:
        out += [(f"model_{f.key}", f) for f in prediction_figures(analysis.model)]
    return out
