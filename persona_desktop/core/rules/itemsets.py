"""Frequent itemsets, with mlxtend's semantics and a fast, portable backend.

``frequent_itemsets(baskets, min_support)`` returns a DataFrame with the
columns ``support`` and ``itemsets`` (frozensets of item names), like
``mlxtend.frequent_patterns.fpgrowth(..., use_colnames=True)``. Three
backends give identical itemsets (``tests/test_itemsets.py`` proves it):

``eclat``    ours: depth-first Eclat on bit-packed basket sets. Pairs are
             counted at once with a sparse matrix product; deeper itemsets
             intersect 64 baskets per machine word and count bits with
             NumPy. Pure NumPy/SciPy, so it installs everywhere.
``pyfim``    Christian Borgelt's C library (``pip install pyfim``, a source
             build that needs a C compiler), used when it is installed.
``mlxtend``  the reference (slowest).

``algorithm`` follows the user's words: "apriori" and "fpgrowth" run that
algorithm (pyfim's when installed, else mlxtend's); "auto" runs our Eclat,
which can be cancelled. Before mining, the number of frequent pairs is
counted, and Eclat stops as soon as the result passes a limit: when it would
explode (a support so low that hundreds of thousands of itemsets qualify, or
baskets all alike), mining stops with a message suggesting a support that
has been checked to work (or a shorter itemset length), instead of freezing
or exhausting memory. The other backends run only after Eclat has shown the
result fits, since they cannot be stopped half-way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import fim
import numpy as np
import pandas as pd
from mlxtend.frequent_patterns import apriori, fpgrowth

from persona_desktop.core.errors import DataError
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.progress import NULL_PROGRESS, Progress

if TYPE_CHECKING:
    from persona_desktop.core.rules.baskets import Baskets

__all__ = ["frequent_itemsets", "MiningResult", "ALGORITHMS", "BACKENDS", "MAX_ITEMSETS", "available_backends",
           "min_count_for"]

ALGORITHMS = ("auto", "apriori", "fpgrowth", "eclat")
BACKENDS = ("auto", "eclat", "pyfim", "mlxtend")
MAX_ITEMSETS = 200_000  # beyond this a result is neither readable nor safe for a laptop's memory

register({
    "itemsets.error.support": ("The minimum support must be a fraction between 0 and 1 or a count of baskets "
                               "(got {value})", "最小支持度必须是 0 到 1 之间的比例或购物篮数量（当前为 {value}）"),
    "itemsets.error.explode": (
        "At a minimum support of {support} the result would hold more than {limit} itemsets "
        "({reason}); try a minimum support of {suggest} or more, or a smaller maximum itemset length.",
        "最小支持度为 {support} 时结果将超过 {limit} 个项集（{reason}）；请将最小支持度提高到 {suggest} 以上，"
        "或减小最大项集长度。"),
    "itemsets.error.explode_len": (
        "At a minimum support of {support} the result would hold more than {limit} itemsets ({reason}), "
        "and a higher support would not help. Set a maximum itemset length of 2 or 3.",
        "最小支持度为 {support} 时结果将超过 {limit} 个项集（{reason}），提高支持度也无济于事。"
        "请把最大项集长度设为 2 或 3。"),
    "itemsets.error.memory": ("There is not enough memory to mine at a minimum support of {support}; raise it",
                              "内存不足，无法在最小支持度 {support} 下挖掘；请提高最小支持度"),
    "itemsets.reason.pairs": ("{pairs} pairs of items alone are frequent", "仅频繁的商品对就有 {pairs} 个"),
    "itemsets.reason.deep": ("the baskets are too much alike", "各购物篮过于相似"),
    "itemsets.error.one_basket": ("Finding what is bought together needs at least 2 baskets; there is {n}",
                                  "分析商品关联至少需要 2 个购物篮，当前只有 {n} 个"),
    "itemsets.error.backend": ("The {backend} backend is not installed", "未安装 {backend} 后端"),
    "progress.itemsets": ("Finding items bought together…", "正在查找一起购买的商品…"),
})


@dataclass
class MiningResult:
    """Frequent itemsets and how they were found."""

    itemsets: pd.DataFrame  # columns: support, itemsets (frozenset of names), count
    algorithm: str
    backend: str
    min_support: float
    min_count: int
    n_baskets: int


class _TooMany(Exception):
    pass


def available_backends() -> list[str]:
    out = ["eclat", "mlxtend"]
    try:
        import fim  # noqa: F401

        out.insert(0, "pyfim")
    except ImportError:
        pass
    return out


def min_count_for(min_support: float, n_baskets: int) -> int:
    """Baskets an itemset must appear in: a fraction of the baskets (≤ 1) or a count (> 1)."""
    if not np.isfinite(min_support) or min_support <= 0:
        raise DataError("itemsets.error.support", value=min_support)
    if min_support > 1:
        if float(min_support) != int(min_support):
            raise DataError("itemsets.error.support", value=min_support)
        return int(min_support)
    return max(1, int(np.ceil(min_support * n_baskets - 1e-9)))


def _packed(matrix, columns: np.ndarray) -> np.ndarray:
    """The baskets of each item in *columns* as bits: shape (items, words) of uint64."""
    csc = matrix.tocsc()
    n = matrix.shape[0]
    words = (n + 63) // 64
    out = np.zeros((len(columns), words * 64 // 8), dtype=np.uint8)
    for row, j in enumerate(columns):
        rows = csc.indices[csc.indptr[j]:csc.indptr[j + 1]]
        bits = np.zeros(words * 64, dtype=bool)
        bits[rows] = True
        out[row] = np.packbits(bits, bitorder="little")
    return out.view(np.uint64)


def _eclat(matrix, min_count: int, max_len: int | None, limit: int, progress: Progress) -> list[tuple[tuple, int]]:
    """Depth-first Eclat; returns [(item column indices, count)]."""
    counts = np.asarray(matrix.sum(axis=0)).ravel()
    frequent = np.flatnonzero(counts >= min_count)
    frequent = frequent[np.argsort(counts[frequent], kind="stable")]  # rarest first: smaller subtrees
    out: list[tuple[tuple, int]] = [((int(j),), int(counts[j])) for j in frequent]
    if max_len == 1 or len(frequent) < 2:
        return out
    sub = matrix[:, frequent].astype(np.int32)
    pairs = (sub.T @ sub).toarray()  # co-occurrence of every pair, in one sparse product
    np.fill_diagonal(pairs, 0)
    bits = _packed(matrix, frequent)
    budget = [limit - len(out)]

    def grow(prefix: tuple, cand: np.ndarray, cand_bits: np.ndarray, cand_counts: np.ndarray) -> None:
        # cand_bits already hold prefix ∩ candidate; grow each candidate with the later ones
        for a in range(len(cand)):
            itemset = prefix + (int(frequent[cand[a]]),)
            out.append((itemset, int(cand_counts[a])))
            budget[0] -= 1
            if budget[0] < 0:
                raise _TooMany()
            if max_len is not None and len(itemset) >= max_len or a + 1 >= len(cand):
                continue
            ext = cand_bits[a + 1:] & cand_bits[a]
            ext_counts = np.bitwise_count(ext).sum(axis=1, dtype=np.int64)
            keep = ext_counts >= min_count
            if keep.any():
                grow(itemset, cand[a + 1:][keep], ext[keep], ext_counts[keep])

    for i in range(len(frequent)):
        if i % 32 == 0:
            progress.report(i / len(frequent), Message("progress.itemsets").text())
        partners = np.flatnonzero(pairs[i, i + 1:] >= min_count) + i + 1
        if not len(partners):
            continue
        grow((int(frequent[i]),), partners, bits[partners] & bits[i], pairs[i, partners])
    return out


def _estimate(matrix, min_count: int, limit: int) -> tuple[int, int | None]:
    """(frequent pairs, a count at which pairs fit in a tenth of the limit) — before mining."""
    counts = np.asarray(matrix.sum(axis=0)).ravel()
    frequent = np.flatnonzero(counts >= min_count)
    if len(frequent) < 2:
        return 0, None
    sub = matrix[:, frequent].astype(np.int32)
    co = (sub.T @ sub).tocoo()
    upper = co.data[co.row < co.col]
    n_pairs = int((upper >= min_count).sum())
    suggest = None
    if n_pairs > limit // 10:
        ordered = np.sort(upper)[::-1]
        suggest = int(ordered[min(limit // 10, len(ordered) - 1)]) + 1
    return n_pairs, suggest


def _pyfim(baskets: "Baskets", algorithm: str, min_count: int, max_len: int | None) -> list[tuple[tuple, int]]:
    lists = [list(map(int, baskets.matrix.indices[baskets.matrix.indptr[i]:baskets.matrix.indptr[i + 1]]))
             for i in range(baskets.n_baskets)]
    func = {"apriori": fim.apriori, "fpgrowth": fim.fpgrowth, "eclat": fim.eclat, "auto": fim.eclat}[algorithm]
    # fim never reports an itemset that is in every transaction; one empty
    # transaction more changes no count (supports are absolute) and fixes that
    found = func(lists + [[]], supp=-min_count, zmin=1, zmax=max_len if max_len else -1, report="a")
    return [(tuple(sorted(items)), int(count)) for items, count in found]


def _mlxtend(baskets: "Baskets", algorithm: str, min_count: int, max_len: int | None) -> list[tuple[tuple, int]]:
    counts = np.asarray(baskets.matrix.sum(axis=0)).ravel()
    frequent = np.flatnonzero(counts >= min_count)  # only these can be in an itemset
    # mlxtend compares support ≥ min_support: give it the count's exact fraction
    support = min_count / baskets.n_baskets
    names = [str(j) for j in frequent]  # mlxtend wants string names on sparse frames
    if algorithm == "apriori":
        # apriori builds dense candidate tables: a dense frame of the frequent items
        # with low_memory keeps it in hundreds of MB (sparse input asked for 22 GiB)
        frame = pd.DataFrame(baskets.matrix[:, frequent].toarray(), columns=names)
        result = apriori(frame, min_support=support, use_colnames=True, max_len=max_len, low_memory=True)
    else:
        frame = pd.DataFrame.sparse.from_spmatrix(baskets.matrix[:, frequent], columns=names)
        result = fpgrowth(frame, min_support=support, use_colnames=True, max_len=max_len)
    return [(tuple(sorted(int(i) for i in s)), int(round(sup * baskets.n_baskets)))
            for s, sup in zip(result["itemsets"], result["support"])]


def _explode(baskets: "Baskets", min_count: int, max_len: int | None, limit: int, shown: str, reason: Message,
             progress: Progress, start: int | None = None) -> DataError:
    """The refusal, with a support that works: counts are doubled until Eclat fits in the limit.

    Each try stops as soon as it passes the limit, so a hopeless one costs
    little; when even a support near 100 % would not fit (the baskets are all
    alike), the advice is a shorter itemset length instead.
    """
    n = baskets.n_baskets
    counts = np.asarray(baskets.matrix.sum(axis=0)).ravel()
    candidates = np.flatnonzero(counts >= min_count)
    sub = baskets.matrix[:, candidates].astype(np.int32)
    together = (sub.T @ sub).toarray() if len(candidates) <= 5000 else None
    # start where the frequent pairs alone fit comfortably (when they were the problem)
    count = max(min_count, (start or min_count) // 2)
    for _ in range(12):
        count = max(count * 2, count + 1)
        if count > n:
            break
        progress.check()
        if together is not None:
            keep = counts[candidates] >= count
            k = int(keep.sum())
            # k items that all go together give 2^k itemsets: no need to try
            if k >= 18 and (max_len is None or max_len >= 18) and bool((together[np.ix_(keep, keep)] >= count).all()):
                continue
        try:
            _eclat(baskets.matrix, count, max_len, limit, NULL_PROGRESS)
        except _TooMany:
            continue
        suggestion = f"{count / n:.3g}" if count / n < 1 else str(count)
        return DataError("itemsets.error.explode", support=shown, limit=f"{limit:,}", reason=reason, suggest=suggestion)
    return DataError("itemsets.error.explode_len", support=shown, limit=f"{limit:,}", reason=reason)


def frequent_itemsets(
    baskets: "Baskets",
    min_support: float = 0.01,
    *,
    max_len: int | None = None,
    algorithm: str = "auto",
    backend: str = "auto",
    max_itemsets: int = MAX_ITEMSETS,
    progress: Progress = NULL_PROGRESS,
) -> MiningResult:
    """The itemsets in at least ``min_support`` of the baskets.

    Parameters
    ----------
    baskets : Baskets
    min_support : float
        A fraction of the baskets (0 < s ≤ 1) or a count of baskets (> 1).
    max_len : int, optional
        Longest itemset.
    algorithm : {"auto", "apriori", "fpgrowth", "eclat"}
    backend : {"auto", "eclat", "pyfim", "mlxtend"}
    max_itemsets : int
        Mining stops with a DataError suggesting a higher support beyond this.
    progress : Progress

    Returns
    -------
    MiningResult
        ``itemsets``: columns ``support``, ``itemsets`` (frozenset of names),
        ``count``, sorted by support (highest first), then by length.
    """
    n = baskets.n_baskets
    if n < 2:
        raise DataError("itemsets.error.one_basket", n=n)
    min_count = min_count_for(min_support, n)
    if algorithm not in ALGORITHMS:
        algorithm = "auto"
    available = available_backends()
    if backend == "auto":
        # Our Eclat by default: within a second on Online Retail, and the only
        # backend that can be cancelled and stopped before a result explodes.
        # Naming an algorithm runs that algorithm's own implementation.
        if algorithm in ("apriori", "fpgrowth"):
            backend = "pyfim" if "pyfim" in available else "mlxtend"
        else:
            backend = "eclat"
    if backend not in available:
        raise DataError("itemsets.error.backend", backend=backend)
    shown_support = f"{min_support:g}" if min_support <= 1 else f"{int(min_support)}"
    n_pairs, pair_count = _estimate(baskets.matrix, min_count, max_itemsets)
    if n_pairs > max_itemsets and (max_len is None or max_len >= 2):
        raise _explode(baskets, min_count, max_len, max_itemsets, shown_support,
                       Message("itemsets.reason.pairs", {"pairs": f"{n_pairs:,}"}), progress, start=pair_count)
    progress.report(0.05, Message("progress.itemsets").text())
    try:
        found = _eclat(baskets.matrix, min_count, max_len, max_itemsets, progress.sub(0.05, 0.95))
        if backend != "eclat":
            # Eclat has just shown the result fits; the other backends cannot be
            # stopped half-way, so they only run once that is known.
            progress.check()
            found = (_pyfim(baskets, algorithm, min_count, max_len) if backend == "pyfim"
                     else _mlxtend(baskets, algorithm, min_count, max_len))
    except _TooMany as exc:
        raise _explode(baskets, min_count, max_len, max_itemsets, shown_support, Message("itemsets.reason.deep"),
                       progress) from exc
    except MemoryError as exc:
        raise DataError("itemsets.error.memory", support=shown_support) from exc
    progress.report(0.95)
    names = np.asarray(baskets.items, dtype=object)
    frame = pd.DataFrame({
        "support": np.array([c for _, c in found], dtype=float) / n,
        "itemsets": [frozenset(names[list(items)]) for items, _ in found],
        "count": np.array([c for _, c in found], dtype=np.int64),
        "length": np.array([len(items) for items, _ in found], dtype=np.int64),
    })
    frame = frame.sort_values(["support", "length"], ascending=[False, True], kind="stable").reset_index(drop=True)
    progress.report(1.0)
    return MiningResult(frame.drop(columns="length"), algorithm, backend, min_count / n if min_support > 1 else
                        float(min_support), min_count, n)
