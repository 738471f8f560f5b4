"""The cleaning vocabulary: options, steps as shown, and the result every stage reads.

:class:`CleanOptions` (which steps run and how), :class:`CleanStep` (one step
as the owner sees it, with its count), :class:`CleanResult` (every row as
read with the status of each) and the keys they use. The steps themselves are
in :mod:`~persona_desktop.core.table.clean_steps`; :func:`~persona_desktop.core.table.cleaning.clean`
runs them. Kept apart so that the steps, the customer table and the window
can speak of cleaning without importing the runner.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Mapping

import numpy as np
import pandas as pd

from persona_desktop.core.i18n import Message, register
from persona_desktop.core.schema import Role

__all__ = ["CleanOptions", "CleanStep", "CleanResult", "MISSING_STRATEGIES", "OUTLIER_METHODS", "OUTLIER_COLUMN",
           "STATUS_KEYS", "KEPT", "SWITCHABLE"]

MISSING_STRATEGIES = ("median", "mode", "constant", "flag", "drop", "keep")
OUTLIER_METHODS = ("iqr", "isolation_forest", "none")
OUTLIER_COLUMN = "outlier"
SWITCHABLE = ("duplicates", "fill_down", "trim", "missing_customer", "duplicate_ids", "refunds", "partial_refunds",
              "unpaid", "non_product", "sentinels", "impossible", "missing", "outliers")

register({
    "clean.duplicates": ("Exact duplicate rows removed", "删除完全重复的行"),
    "clean.sentinels": ("Codes standing for “none” (such as 999 or -1) left empty", "代表“无”的代码（如 999 或 -1）已留空"),
    "clean.warn.sentinel": ("In “{column}”, {code} stands for “none” ({n} rows, {share}): left empty, so no average "
                            "or segment counts it as a figure",
                            "“{column}”列中的 {code} 表示“无”（{n} 行，占 {share}）：已留空，不计入平均值或分组"),
    "clean.duplicates_units": ("Repeated lines kept as units (no quantity column: one line per item sold)",
                               "重复的行按件数保留（没有数量列：每售出一件记一行）"),
    "clean.warn.duplicates_units": ("{n} line(s) repeat another line exactly; the file has no quantity column, so "
                                    "each is one more unit of the item, not a line exported twice",
                                    "有 {n} 行与其他行完全相同；文件没有数量列，每一行算作该商品多卖出一件，而不是重复导出"),
    "clean.duplicates_no_ids": ("Exact duplicate rows kept (no order number to tell two purchases apart)",
                                "完全重复的行已保留（没有订单编号，无法区分两次相同的购买）"),
    "clean.warn.duplicates_kept": ("{n} line(s) repeat another line exactly; the file has no order number, so they "
                                   "are kept as separate purchases (the same customer buying the same again)",
                                   "有 {n} 行与其他行完全相同；文件没有订单编号，这些行按单独的购买保留（同一客户再次购买相同商品）"),
    "clean.fill_down": ("Order fields filled down to every line of the order", "订单级字段向下填充到订单的每一行"),
    "clean.trim": ("Spaces around names and products removed", "去除名称和商品前后的空格"),
    "clean.missing_customer": ("Rows without a customer id set aside", "缺少客户编号的行已单独存放"),
    "clean.duplicate_ids": ("Repeated rows for the same customer set aside", "同一客户的重复行已单独存放"),
    "clean.refunds": ("Refunds, returns and cancellations set aside", "退款、退货和取消的订单行已单独存放"),
    "clean.partial_refunds": ("Partial refunds taken off what was paid", "部分退款已从实付金额中扣除"),
    "clean.unpaid": ("Orders never paid or closed without a sale set aside", "未付款或已关闭的订单已单独存放"),
    "clean.status.unpaid": ("never paid / closed", "未付款/已关闭"),
    "clean.non_product": ("Postage, fees, adjustments and zero-price lines set aside",
                          "邮费、手续费、调整项和零价格行已单独存放"),
    "clean.impossible": ("Impossible values (age ≤ 0 or > 110, negative prices or income)",
                         "不可能的值（年龄 ≤ 0 或 > 110、负价格或负收入）"),
    "clean.missing.median": ("Missing values filled (numbers: median, categories: most frequent)",
                             "缺失值已填补（数值用中位数，类别用众数）"),
    "clean.missing.mode": ("Missing values filled with the most frequent value", "缺失值已用众数填补"),
    "clean.missing.constant": ("Missing values filled with a constant", "缺失值已用常数填补"),
    "clean.missing.flag": ("Missing values filled and flagged in a column of their own", "缺失值已填补并另列标记"),
    "clean.missing.drop": ("Rows with missing values set aside", "含缺失值的行已单独存放"),
    "clean.missing.keep": ("Missing values left as they are", "缺失值保持原样"),
    "clean.outliers.iqr": ("Outliers flagged (far outside the interquartile range), not removed",
                           "已标记离群值（远超四分位距），未删除"),
    "clean.outliers.isolation_forest": ("Outliers flagged (isolation forest), not removed", "已标记离群值（孤立森林），未删除"),
    "clean.outliers.none": ("Outliers not looked for", "未检测离群值"),
    "clean.action.removed": ("removed", "已删除"),
    "clean.action.set_aside": ("set aside", "已单独存放"),
    "clean.action.changed": ("changed", "已修改"),
    "clean.action.flagged": ("flagged", "已标记"),
    "clean.action.noted": ("noted, not changed", "仅记录，未修改"),
    "clean.missing_label": ("(missing)", "（缺失）"),
    "clean.status_column": ("Status", "状态"),
    "clean.status.kept": ("kept", "保留"),
    "clean.status.duplicates": ("duplicate", "重复行"),
    "clean.status.missing_customer": ("no customer id", "缺少客户编号"),
    "clean.status.duplicate_ids": ("repeated customer", "重复客户"),
    "clean.status.refunds": ("refund / cancellation", "退款/取消"),
    "clean.status.non_product": ("not a product", "非商品行"),
    "clean.status.impossible": ("impossible value", "不可能的值"),
    "clean.status.missing": ("missing values", "含缺失值"),
    "clean.warn.no_customer": ("No column identifies the customer: customers cannot be built from these orders; "
                               "mark a column as customer id, email, phone or name",
                               "没有可识别客户的列：无法从这些订单汇总客户；请将某列设为客户编号、邮箱、电话或姓名"),
})


@dataclass
class CleanOptions:
    """Which steps run and how. Every step is on by default except none.

    Parameters
    ----------
    disabled : set of str
        Keys of steps switched off (see the module docstring).
    missing : str
        One of :data:`MISSING_STRATEGIES`.
    missing_constant : float
        The number used by the ``constant`` strategy (categories get "(missing)").
    outliers : str
        One of :data:`OUTLIER_METHODS`.
    iqr_factor : float
        A value is an outlier beyond ``factor × IQR`` outside the quartiles
        (3.0: Tukey's "far out", so skewed shop data is not flagged wholesale).
    """

    disabled: set[str] = field(default_factory=set)
    missing: str = "median"
    missing_constant: float = 0.0
    outliers: str = "iqr"
    iqr_factor: float = 3.0
    random_state: int = 0

    def __post_init__(self) -> None:
        if self.missing not in MISSING_STRATEGIES:
            raise ValueError(f"missing must be one of {MISSING_STRATEGIES}, not {self.missing!r}")
        if self.outliers not in OUTLIER_METHODS:
            raise ValueError(f"outliers must be one of {OUTLIER_METHODS}, not {self.outliers!r}")
        unknown = set(self.disabled) - set(SWITCHABLE)
        if unknown:
            raise ValueError(f"unknown cleaning steps: {sorted(unknown)}")
        self.disabled = set(self.disabled)

    def enabled(self, key: str) -> bool:
        return key not in self.disabled

    def to_json(self) -> dict:
        doc = asdict(self)
        doc["disabled"] = sorted(self.disabled)
        return doc

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> "CleanOptions":
        known = {k: v for k, v in doc.items() if k in cls.__dataclass_fields__}
        known["disabled"] = set(known.get("disabled", ()))
        return cls(**known)


@dataclass(frozen=True)
class CleanStep:
    """One cleaning step as shown to the user."""

    key: str
    label: Message
    rows: int  # rows affected (cells for fills are counted by the rows they touch)
    action: str  # "removed", "set_aside", "changed", "flagged", "noted"
    enabled: bool = True
    cells: int | None = None

    def to_json(self, lang: str | None = None) -> dict:
        doc = {"step": self.key, "label": self.label.text(lang), "rows": int(self.rows),
               "action": self.action, "enabled": self.enabled}
        if self.cells is not None:
            doc["cells"] = int(self.cells)
        return doc


# Status of each row after cleaning: kept, or the step that took it out.
KEPT = "kept"
STATUS_KEYS = (KEPT, "duplicates", "missing_customer", "duplicate_ids", "refunds", "non_product", "impossible", "missing",
               "unpaid")


@dataclass
class CleanResult:
    """Every row as read (with cleaned values), the status of each row, and the steps taken.

    Rows are never dropped from ``frame``: ``status`` says for each row
    whether it was kept or which step took it out. ``data`` (the rows kept)
    and ``set_aside`` (the rows each step took out) are views computed on
    first use, so a 541,909-line file is not copied step by step.
    """

    frame: pd.DataFrame
    status: np.ndarray  # int8 codes into STATUS_KEYS, one per row of frame
    steps: list[CleanStep]
    roles: dict[str, Role] = field(default_factory=dict)
    warnings: list[Message] = field(default_factory=list)
    filled: dict[str, np.ndarray] = field(default_factory=dict)  # cells filled by the missing-values step
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def kept(self) -> np.ndarray:
        """Boolean mask of the rows kept for analysis."""
        return self.status == 0

    def mask(self, key: str) -> np.ndarray:
        """Boolean mask of the rows the step *key* took out (all False for other keys)."""
        if key not in STATUS_KEYS:
            return np.zeros(len(self.status), dtype=bool)
        return self.status == STATUS_KEYS.index(key)

    @property
    def data(self) -> pd.DataFrame:
        """The rows kept for analysis, with their original row labels."""
        if "data" not in self._cache:
            kept = self.kept
            self._cache["data"] = self.frame if kept.all() else self.frame.loc[kept]
        return self._cache["data"]

    @property
    def set_aside(self) -> dict[str, pd.DataFrame]:
        """``{step: rows it took out}`` for the steps that took any out."""
        if "set_aside" not in self._cache:
            self._cache["set_aside"] = {
                key: self.frame.loc[self.status == code]
                for code, key in enumerate(STATUS_KEYS) if code and (self.status == code).any()
            }
        return self._cache["set_aside"]

    def status_labels(self, lang: str | None = None) -> pd.Series:
        """Per row, the words for its status ("kept", "set aside: refunds…") in *lang*."""
        names = [Message("clean.status.kept").text(lang)] + [
            Message(f"clean.status.{key}").text(lang) for key in STATUS_KEYS[1:]
        ]
        return pd.Series(pd.Categorical.from_codes(self.status, categories=names), index=self.frame.index)

    def annotated(self, lang: str | None = None, column: str | None = None) -> pd.DataFrame:
        """Every row with its status as the first column (named in *lang* unless *column* is given)."""
        name = column or Message("clean.status_column").text(lang)
        while name in self.frame.columns:
            name += " "
        out = self.frame.copy(deep=False)
        out.insert(0, name, self.status_labels(lang))
        return out

    def step(self, key: str) -> CleanStep | None:
        return next((s for s in self.steps if s.key == key), None)

    def to_json(self, lang: str | None = None) -> list[dict]:
        return [s.to_json(lang) for s in self.steps]
