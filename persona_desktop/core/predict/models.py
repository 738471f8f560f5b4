"""The models, as scikit-learn pipelines whose preprocessing is fitted inside each fold.

Every model is ``Pipeline([("prepare", ColumnTransformer(…)), ("model", …)])``:
numbers get their missing values filled with the training fold's median
(and are scaled for the models that need it), categories get a "missing"
value and are one-hot encoded, unseen categories ignored. Fitting the whole
pipeline on a training fold only is what keeps a cross-validated score
honest: no median, scale or category is learnt from the fold it is scored on.

Imbalanced targets get class weights where the model takes them; the SVM
runs linear on large data (an RBF kernel is quadratic in the customers).
"""

from __future__ import annotations

from typing import Sequence

from persona_desktop.core.i18n import Message, register

__all__ = ["MODELS", "make_model", "model_label"]

MODELS = ("tree", "forest", "logistic", "svm", "boosting", "mlp")
SVM_RBF_LIMIT = 5_000

register({
    "model.tree": ("Decision tree", "决策树"),
    "model.forest": ("Random forest", "随机森林"),
    "model.logistic": ("Logistic regression", "逻辑回归"),
    "model.svm": ("Support vector machine", "支持向量机"),
    "model.boosting": ("Gradient boosting", "梯度提升"),
    "model.mlp": ("Neural network (small)", "神经网络（小型）"),
    "model.baseline": ("Baseline: always the most common answer", "基线：总是猜最常见的结果"),
    "model.note.linear_svm": ("With {n} customers the SVM is linear (an RBF kernel would take too long); "
                              "its probabilities are calibrated on the training folds.",
                              "客户数为 {n}，支持向量机使用线性核（RBF 核耗时过长）；概率在训练折上校准。"),
    "model.note.mlp_weights": ("The neural network takes no class weights; the decision threshold is tuned instead.",
                               "神经网络不支持类别权重，改为调整判定阈值。"),
    "model.error.unknown": ("Unknown model “{model}”; use tree, forest, logistic, svm, boosting, mlp or compare",
                            "未知的模型“{model}”，请使用 tree、forest、logistic、svm、boosting、mlp 或 compare"),
})


def model_label(name: str, lang: str | None = None) -> str:
    return Message(f"model.{name}").text(lang)


# scikit-learn is imported inside the builders: the window loads this module at start for the models'
# names, and importing scikit-learn's estimators takes ~0.8 s (measured).
def _prepare(numeric: Sequence[str], categorical: Sequence[str], scale: bool, dense: bool):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numbers = [("impute", SimpleImputer(strategy="median"))]
    if scale:
        numbers.append(("scale", StandardScaler()))
    categories = Pipeline([
        ("impute", SimpleImputer(strategy="constant", fill_value="(missing)")),
        ("encode", OneHotEncoder(handle_unknown="ignore", sparse_output=not dense)),
    ])
    return ColumnTransformer([("numbers", Pipeline(numbers), list(numeric)),
                              ("categories", categories, list(categorical))],
                             sparse_threshold=0.0 if dense else 0.3, verbose_feature_names_out=False)


def make_model(name: str, numeric: Sequence[str], categorical: Sequence[str], *, n_rows: int,
               balanced: bool = False, random_state: int = 0):
    """A fresh, unfitted pipeline for *name*; returns (pipeline, notes)."""
    from sklearn.pipeline import Pipeline

    from persona_desktop.core.errors import DataError

    weight = "balanced" if balanced else None
    notes: list[Message] = []
    if name == "tree":
        from sklearn.tree import DecisionTreeClassifier

        model, scale = DecisionTreeClassifier(max_depth=6, min_samples_leaf=20, class_weight=weight,
                                              random_state=random_state), False
    elif name == "forest":
        from sklearn.ensemble import RandomForestClassifier

        model, scale = RandomForestClassifier(n_estimators=100, min_samples_leaf=3, max_features="sqrt",
                                              class_weight="balanced_subsample" if balanced else None,
                                              n_jobs=2, random_state=random_state), False
    elif name == "logistic":
        from sklearn.linear_model import LogisticRegression

        model, scale = LogisticRegression(max_iter=2000, class_weight=weight), True
    elif name == "svm":
        from sklearn.calibration import CalibratedClassifierCV

        if n_rows > SVM_RBF_LIMIT:
            from sklearn.svm import LinearSVC

            base = LinearSVC(class_weight=weight, random_state=random_state)
            notes.append(Message("model.note.linear_svm", {"n": f"{n_rows:,}"}))
        else:
            from sklearn.svm import SVC

            base = SVC(kernel="rbf", class_weight=weight, random_state=random_state)
        model, scale = CalibratedClassifierCV(base, method="sigmoid", cv=3), True
    elif name == "boosting":
        from sklearn.ensemble import HistGradientBoostingClassifier

        # early stopping on a tenth of the training fold: as good, and a fraction of the time
        model, scale = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.1, class_weight=weight,
                                                      early_stopping=True, validation_fraction=0.1,
                                                      n_iter_no_change=10, random_state=random_state), False
    elif name == "mlp":
        from sklearn.neural_network import MLPClassifier

        # early stopping holds back a tenth of the rows: on a few hundred customers
        # that stops it after a dozen epochs, so it is used on larger data only
        model, scale = MLPClassifier(hidden_layer_sizes=(32,), max_iter=1000 if n_rows < 2000 else 400,
                                     early_stopping=n_rows >= 2000, random_state=random_state), True
        if balanced:
            notes.append(Message("model.note.mlp_weights"))
    else:
        raise DataError("model.error.unknown", model=name)
    dense = name in ("boosting", "mlp")
    return Pipeline([("prepare", _prepare(numeric, categorical, scale, dense)), ("model", model)]), notes
