"""Keeping a trained model, and using it on a new file — never with pickle.

A model file is a skops archive (a zip of JSON and NumPy arrays): opening it
builds only the types skops trusts plus an exact allow-list of the few more
our models need, so a tampered file that names anything else — ``os.system``,
a builtin, a NumPy helper that runs strings — is refused before anything is
built, and no code in the file is ever run. Next to the pipeline it keeps what applying
needs: the columns and their roles, the classes, the positive class, the
decision threshold and the scores the model earned.

Applying matches the new file's columns to the model's by name (also when a
name differs only in case or spacing, or by role), reports the columns that
are missing (given the training data's typical value) or extra (ignored), and
gives every customer a probability, a label and the columns behind it.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import skops.io as sio

import persona_desktop.core.segments.run  # noqa: F401  (registers the "no customers" reasons)
from persona_desktop import __version__
from persona_desktop.core.errors import DataError, ReadError
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.io.safe_write import atomic_target
from persona_desktop.core.predict.run import explain_rows
from persona_desktop.core.predict.targets import MISSING_WORDS
from persona_desktop.core.progress import NULL_PROGRESS, Progress
from persona_desktop.core.table.understand import inspect_file

if TYPE_CHECKING:
    from persona_desktop.core.predict.run import Prediction
    from persona_desktop.core.table.customers import CustomerTable


__all__ = ["TrainedModel", "save_model", "load_model", "apply_model", "apply_model_to_file", "ApplyResult", "SUFFIX"]

SUFFIX = ".pdmodel"
FORMAT = "persona-desktop-model"
FORMAT_VERSION = 1

# The types a saved model may need beyond those skops trusts on its own — exact
# names, never prefixes: a prefix such as "numpy." would also admit functions
# like numpy.testing's runstring, which runs a string as code. The list comes
# from dumping every model kind (tests/test_model_io.py checks it still covers them).
TRUSTED_TYPES = frozenset({
    "numpy.dtype",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.neural_network._stochastic_optimizers.AdamOptimizer",
    "sklearn.tree._tree.Tree",
})

register({
    "model.warn.no_better": ("This model predicted “{target}” no better than guessing when it was trained: no "
                             "probabilities are given", "该模型训练时对“{target}”的预测并不比瞎猜更好：因此不提供概率"),
    "model.error.not_a_model": ("{file} is not a Persona Desktop model file", "{file} 不是 Persona Desktop 模型文件"),
    "model.error.untrusted": ("{file} was refused: it asks to build {types}, which a model file never needs "
                              "(it may have been tampered with); nothing in it was run",
                              "已拒绝 {file}：它要求构建 {types}，正常的模型文件从不需要这些（文件可能被篡改）；其中的内容均未执行"),
    "model.error.newer": ("{file} was saved by a newer Persona Desktop; update the app to use it",
                          "{file} 由更新版本的 Persona Desktop 保存，请升级后使用"),
    "model.warn.missing": ("Missing in the new file (given the typical value, so they do not sway a prediction): {columns}",
                           "新文件中缺少（按典型值处理，不影响预测）：{columns}"),
    "model.warn.extra": ("Not used by the model (ignored): {columns}", "模型未使用（已忽略）：{columns}"),
    "model.warn.renamed": ("Matched by meaning: {pairs}", "按含义匹配：{pairs}"),
    "model.error.nothing_matches": ("None of the model's columns is in {file}; it was trained on: {columns}",
                                    "{file} 中没有模型使用的任何列；模型训练时使用的列为：{columns}"),
})


@dataclass
class TrainedModel:
    """A fitted pipeline and what applying it needs."""

    pipeline: object
    target: str
    classes: list[str]
    positive: str | None
    threshold: float
    numeric: list[str]
    categorical: list[str]
    roles: dict[str, str]
    reference: dict[str, object]  # typical value of each column (for explanations and missing columns)
    model: str
    metrics: dict = field(default_factory=dict)
    saved_by: str = __version__

    @classmethod
    def from_prediction(cls, prediction: "Prediction", roles: dict | None = None) -> "TrainedModel":
        t = prediction.target
        reference = {c: float(t.X[c].median()) for c in t.numeric}
        reference.update({c: (t.X[c].mode().iloc[0] if t.X[c].notna().any() else None) for c in t.categorical})
        return cls(prediction.final, t.name, list(t.classes), t.positive, float(prediction.chosen.threshold),
                   list(t.numeric), list(t.categorical),
                   {c: getattr(r, "value", str(r)) for c, r in (roles or {}).items() if c in t.X.columns},
                   reference, prediction.chosen.name,
                   {**prediction.chosen.cv.to_json(), "beats_baseline": float(prediction.beats_baseline)})

    @property
    def columns(self) -> list[str]:
        return self.numeric + self.categorical


def save_model(path: str | os.PathLike, model: TrainedModel) -> Path:
    """Write *model* as a skops archive, atomically."""
    path = Path(path)
    doc = {"format": FORMAT, "format_version": FORMAT_VERSION, "pipeline": model.pipeline,
           "meta": {"target": model.target, "classes": list(model.classes), "positive": model.positive,
                    "threshold": model.threshold, "numeric": list(model.numeric),
                    "categorical": list(model.categorical), "roles": dict(model.roles),
                    "reference": {k: (None if v is None else (float(v) if isinstance(v, (int, float, np.number))
                                                              else str(v))) for k, v in model.reference.items()},
                    "model": model.model, "metrics": {k: (None if v is None else float(v))
                                                      for k, v in model.metrics.items()},
                    "saved_by": model.saved_by}}
    with atomic_target(path) as tmp:
        sio.dump(doc, tmp)
    return path


def load_model(path: str | os.PathLike) -> TrainedModel:
    """Read a model file; anything outside the allow-list is refused with :class:`ReadError`."""

    path = Path(path)
    if not path.exists():
        raise ReadError("read.not_found", file=str(path))
    if not zipfile.is_zipfile(path):
        raise ReadError("model.error.not_a_model", file=path.name)
    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:  # a zip that is not a skops archive (skops raises several kinds)
        raise ReadError("model.error.not_a_model", file=path.name) from exc
    refused = [t for t in untrusted if t not in TRUSTED_TYPES]
    if refused:
        raise ReadError("model.error.untrusted", file=path.name, types=", ".join(sorted(refused)[:5]))
    try:
        doc = sio.load(path, trusted=untrusted)
    except Exception as exc:
        raise ReadError("model.error.not_a_model", file=path.name) from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or "pipeline" not in doc:
        raise ReadError("model.error.not_a_model", file=path.name)
    if int(doc.get("format_version", 0)) > FORMAT_VERSION:
        raise ReadError("model.error.newer", file=path.name)
    try:
        meta = doc["meta"]
        model = TrainedModel(doc["pipeline"], str(meta["target"]), [str(c) for c in meta["classes"]],
                             meta.get("positive"), float(meta["threshold"]), list(meta["numeric"]),
                             list(meta["categorical"]), dict(meta.get("roles", {})), dict(meta.get("reference", {})),
                             str(meta.get("model", "")), dict(meta.get("metrics", {})), str(meta.get("saved_by", "")))
    except (KeyError, TypeError, ValueError) as exc:  # the right tag, but not what we wrote
        raise ReadError("model.error.not_a_model", file=path.name) from exc
    if not hasattr(model.pipeline, "predict_proba"):
        raise ReadError("model.error.not_a_model", file=path.name)
    return model


@dataclass
class ApplyResult:
    """Every new customer scored, and how the new file's columns were matched."""

    scored: pd.DataFrame
    missing: list[str]
    extra: list[str]
    renamed: dict[str, str]
    warnings: list[Message]


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-.]+", "", str(name)).casefold()


def apply_model(model: TrainedModel, customers: "CustomerTable", *, lang: str | None = None, file: str = "",
                explain: bool = True) -> ApplyResult:
    """Score the customers of a new file with *model*."""
    data = customers.data
    mapping: dict[str, str] = {}
    renamed: dict[str, str] = {}
    by_norm = {_norm(c): c for c in data.columns}
    by_role = {getattr(r, "value", r): c for c, r in customers.roles.items()}
    for column in model.columns:
        if column in data.columns:
            mapping[column] = column
        elif _norm(column) in by_norm:
            mapping[column] = renamed[column] = by_norm[_norm(column)]
        elif model.roles.get(column) in by_role and model.roles.get(column) not in ("numeric", "categorical"):
            mapping[column] = renamed[column] = by_role[model.roles[column]]
    missing = [c for c in model.columns if c not in mapping]
    if len(missing) == len(model.columns):
        raise DataError("model.error.nothing_matches", file=file, columns=", ".join(model.columns))
    used = set(mapping.values()) | {customers.key}
    extra = [str(c) for c in data.columns
             if c not in used and getattr(customers.roles.get(c), "value", None) != "flag"]
    X = pd.DataFrame(index=data.index)
    # a column missing from the new file takes the training data's typical value:
    # it then moves no prediction and is never given as a reason
    for column in model.numeric:
        X[column] = (pd.to_numeric(data[mapping[column]], errors="coerce") if column in mapping
                     else model.reference.get(column, np.nan))
    for column in model.categorical:
        if column in mapping:
            text = data[mapping[column]].astype("str").str.strip().mask(data[mapping[column]].isna())
            X[column] = text.where(text.notna() & ~text.str.lower().isin(MISSING_WORDS)).astype(object)
        else:
            X[column] = model.reference.get(column)
    X = X.reset_index(drop=True)
    pipeline = model.pipeline
    order = list(pipeline.classes_)
    proba = pipeline.predict_proba(X)[:, [order.index(c) for c in model.classes]]
    if model.positive is not None:
        pos = model.classes.index(model.positive)
        label = np.where(proba[:, pos] >= model.threshold, model.positive, model.classes[1 - pos])
        shown = {Message("apply.probability", {"cls": model.positive}).text(lang): proba[:, pos]}
    else:
        label = np.asarray(model.classes)[np.argmax(proba, axis=1)]
        shown = {Message("apply.probability", {"cls": c}).text(lang): proba[:, i] for i, c in enumerate(model.classes)}
    warnings = []
    if model.metrics.get("beats_baseline") == 0.0:  # no better than guessing when it was trained: no scores
        scored = pd.DataFrame({customers.key: data[customers.key].to_numpy()})
        warnings.append(Message("model.warn.no_better", {"target": model.target}))
        explain = False
    else:
        scored = pd.DataFrame({customers.key: data[customers.key].to_numpy(), **shown,
                               Message("apply.label").text(lang): label})
    if explain:
        reference = pd.Series({c: model.reference.get(c) for c in X.columns})
        scored[Message("apply.why").text(lang)] = explain_rows(pipeline, X, model.classes, reference, lang=lang,
                                                               labels=label)
    if missing:
        warnings.append(Message("model.warn.missing", {"columns": ", ".join(missing)}))
    if extra:
        warnings.append(Message("model.warn.extra", {"columns": ", ".join(extra)}))
    if renamed:
        warnings.append(Message("model.warn.renamed", {"pairs": ", ".join(f"{a} ← {b}" for a, b in renamed.items())}))
    return ApplyResult(scored, missing, extra, renamed, warnings)


def apply_model_to_file(model: TrainedModel, path: str | os.PathLike, *, lang: str | None = None,
                        progress: Progress = NULL_PROGRESS, **open_options) -> ApplyResult:
    """Open the file at *path* and score its customers with *model*: what the window's "Apply to another
    file" and ``persona-desktop predict --apply`` both run. *open_options* go to
    :func:`~persona_desktop.core.table.understand.inspect_file` (sheet, encoding, roles…).

    Raises
    ------
    DataError
        The file has no customers (no column identifies them).
    """
    inspection = inspect_file(path, progress=progress.sub(0.0, 0.6), **open_options)
    if inspection.customers is None:
        raise DataError("analysis.no_customers", file=Path(path).name, reason=Message("analysis.reason.no_key"))
    result = apply_model(model, inspection.customers, lang=lang, file=Path(path).name)
    progress.report(1.0)
    return result
