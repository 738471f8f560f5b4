"""The Model sheet: a trained model's scores beside the baseline, and what it rests on.

Written into the owner's workbook (:mod:`.workbook`) and by ``persona-desktop
predict --out``; the prediction itself (:mod:`persona_desktop.core.predict.run`)
knows nothing of sheets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from persona_desktop.core.export.xlsx import Head
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.predict.models import model_label

if TYPE_CHECKING:
    from persona_desktop.core.predict.run import Prediction

__all__ = ["model_rows"]

register({
    "sheet.model.title": ("Predicting “{target}”", "预测“{target}”"),
    "sheet.model.model": ("model", "模型"),
    "sheet.model.customers": ("customers", "客户数"),
    "sheet.model.threshold": ("decision threshold", "判定阈值"),
    "sheet.model.scores": ("Scores, next to the baseline that always answers the most common class",
                           "评分（与总是回答最常见类别的基线对比）"),
    "sheet.model.cv": ("cross-validation ({folds} folds)", "交叉验证（{folds} 折）"),
    "sheet.model.holdout": ("hold-out", "留出集"),
    "sheet.model.baseline": ("baseline", "基线"),
    "sheet.model.baseline_accuracy": ("baseline accuracy (share of the most common class)", "基线准确率（最常见类别占比）"),
    "sheet.model.confusion": ("Confusion matrix (hold-out)", "混淆矩阵（留出集）"),
    "sheet.model.actual_predicted": ("actual \\ predicted", "实际 \\ 预测"),
    "sheet.model.importance": ("Which columns matter (drop in score when shuffled)", "各列的重要性（打乱后评分的下降）"),
    "sheet.model.column": ("column", "列"),
    "sheet.model.drop": ("importance", "重要性"),
    "sheet.model.leaderboard": ("Models compared", "模型比较"),
    "sheet.model.seconds": ("seconds", "秒"),
    "sheet.model.tree": ("A shallow decision tree, as rules", "浅层决策树规则"),
})


def model_rows(prediction: "Prediction", lang: str | None = None) -> list[list]:
    """The Model sheet of *prediction*: scores next to the baseline, confusion matrix, importance,
    leaderboard, tree rules (each table's header row a :class:`~persona_desktop.core.export.xlsx.Head`)."""
    t = lambda key, **kw: Message(key, kw).text(lang)  # noqa: E731
    c, h = prediction.chosen.cv, prediction.chosen.holdout
    rows: list[list] = [[f"# {t('sheet.model.title', target=prediction.target.name)}"],
                        [t("sheet.model.model"), model_label(prediction.chosen.name, lang)],
                        [t("sheet.model.customers"), len(prediction.target.y)],
                        [t("sheet.model.threshold"), round(prediction.chosen.threshold, 3)],
                        *([[prediction.verdict.message().text(lang)]] if prediction.verdict is not None else []), [],
                        [f"# {t('sheet.model.scores')}"],
                        Head(["", t("sheet.model.cv", folds=prediction.folds), t("sheet.model.holdout"),
                              t("sheet.model.baseline")])]
    for metric in ("accuracy", "precision", "recall", "f1", "roc_auc"):
        rows.append([t(f"metric.{metric}"), getattr(c, metric), getattr(h, metric) if h else None,
                     getattr(prediction.baseline, metric)])
    rows.append([t("sheet.model.baseline_accuracy"), None, None, prediction.baseline_accuracy])
    if prediction.chosen.confusion is not None:
        rows += [[], [f"# {t('sheet.model.confusion')}"], Head([t("sheet.model.actual_predicted"), *prediction.target.classes])]
        rows += [[cls, *map(int, row)] for cls, row in zip(prediction.target.classes, prediction.chosen.confusion)]
    rows += [[], [f"# {t('sheet.model.importance')}"], Head([t("sheet.model.column"), t("sheet.model.drop"), "±"])]
    rows += [[str(f), float(v), float(sd)] for f, v, sd in
             zip(prediction.importance["feature"], prediction.importance["importance"], prediction.importance["std"])]
    rows += [[], [f"# {t('sheet.model.leaderboard')}"],
             Head([t("sheet.model.model"), t("metric.accuracy"), t("metric.f1"), t("metric.roc_auc"),
                   t("sheet.model.seconds")])]
    rows += [[model_label(r.name, lang), r.cv.accuracy, r.cv.f1, r.cv.roc_auc, round(r.seconds, 2)]
             for r in prediction.leaderboard]
    if prediction.tree_text:
        rows += [[], [f"# {t('sheet.model.tree')}"]] + [[line] for line in prediction.tree_text.splitlines()]
    return rows
