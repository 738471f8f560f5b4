"""Frequent itemsets: every backend finds the same itemsets with the same counts, and the guardrails hold.

The reference is mlxtend (apriori and fpgrowth) called here directly on a
dense boolean table built from the raw files (groceries.csv parsed line by
line; Online Retail's baskets restricted to its frequent items), never the
project's own output. Ours (Eclat), pyfim's three algorithms (when installed)
and the project's mlxtend backend must all equal it. A hypothesis test checks
Eclat against a brute-force count of every subset of small random basket
matrices. The guardrail tests that could run away (a result of 2^40 itemsets)
run in a child process with a memory limit and a timeout, so a regression
fails the test instead of freezing or exhausting the machine.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import textwrap
import threading
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from mlxtend.frequent_patterns import apriori as mx_apriori
from mlxtend.frequent_patterns import fpgrowth as mx_fpgrowth
from scipy import sparse

from persona_desktop.core.rules.baskets import (
    Baskets,
    baskets_from_cleaning,
    baskets_from_lines,
)
from persona_desktop.core.errors import DataError
from persona_desktop.core.rules.itemsets import frequent_itemsets
from persona_desktop.core.table.understand import inspect_file
from persona_desktop.core.progress import Cancelled, Progress

ROOT = Path(__file__).resolve().parents[1]
SUGGESTION = re.compile(r"try a minimum support of ([0-9.e+-]+) or more")
# (backend, algorithm): every way the project can mine
OURS = [("eclat", "eclat"), ("mlxtend", "apriori"), ("mlxtend", "fpgrowth"),
        ("pyfim", "apriori"), ("pyfim", "fpgrowth"), ("pyfim", "eclat")]


def need(backend: str) -> None:
    if backend == "pyfim":
        pytest.importorskip("fim")


def as_dict(mining) -> dict[frozenset, int]:
    """{itemset: count} of a MiningResult (each itemset once)."""
    frame = mining.itemsets
    found = dict(zip(frame["itemsets"], frame["count"].astype(int)))
    assert len(found) == len(frame), "an itemset is listed twice"
    return found


def reference(dense: pd.DataFrame, min_support: float, algorithm: str, **kw) -> dict[frozenset, int]:
    """mlxtend on a dense boolean table: {itemset: count}."""
    func = mx_apriori if algorithm == "apriori" else mx_fpgrowth
    found = func(dense, min_support=min_support, use_colnames=True, **kw)
    n = len(dense)
    return {frozenset(s): round(float(v) * n) for s, v in zip(found["itemsets"], found["support"])}


def up_to(found: dict[frozenset, int], max_len: int | None) -> dict[frozenset, int]:
    return dict(found) if max_len is None else {s: c for s, c in found.items() if len(s) <= max_len}


# ----------------------------------------------------------- groceries
@pytest.fixture(scope="module")
def groceries_lines(datasets) -> list[set[str]]:
    """The raw basket file, read here: one set of trimmed items per line."""
    text = (datasets / "04_groceries" / "groceries.csv").read_text(encoding="utf-8")
    return [{item.strip() for item in line.split(",") if item.strip()} for line in text.splitlines()]


@pytest.fixture(scope="module")
def groceries_dense(groceries_lines) -> pd.DataFrame:
    items = sorted(set().union(*groceries_lines))
    return pd.DataFrame([[i in basket for i in items] for basket in groceries_lines], columns=items)


@pytest.fixture(scope="module")
def groceries(datasets) -> Baskets:
    ins = inspect_file(datasets / "04_groceries" / "groceries.csv")
    return baskets_from_cleaning(ins.cleaning, ins.kind, ins.roles)


@pytest.fixture(scope="module")
def groceries_reference(groceries_dense) -> dict[float, dict[frozenset, int]]:
    """mlxtend's itemsets at 1 % and 0.5 %; its apriori and fpgrowth agree with each other."""
    out = {}
    for support in (0.01, 0.005):
        by_apriori = reference(groceries_dense, support, "apriori")
        assert reference(groceries_dense, support, "fpgrowth") == by_apriori
        out[support] = by_apriori
    return out


def test_groceries_reference_sizes(groceries_reference, groceries_dense):
    # sanity of the reference itself: the arules figures for Groceries
    assert len(groceries_dense) == 9835 and groceries_dense.shape[1] == 169
    assert len(groceries_reference[0.01]) == 333
    assert len(groceries_reference[0.005]) > len(groceries_reference[0.01])


@pytest.mark.parametrize("max_len", [None, 2, 3])
@pytest.mark.parametrize("support", [0.01, 0.005])
@pytest.mark.parametrize(("backend", "algorithm"), OURS)
def test_groceries_every_backend_equals_mlxtend(groceries, groceries_reference, backend, algorithm, support,
                                                 max_len):
    need(backend)
    mining = frequent_itemsets(groceries, support, max_len=max_len, algorithm=algorithm, backend=backend)
    assert mining.backend == backend and mining.n_baskets == 9835
    assert as_dict(mining) == up_to(groceries_reference[support], max_len)


def test_groceries_default_backend_equals_mlxtend(groceries, groceries_reference):
    assert as_dict(frequent_itemsets(groceries, 0.01)) == groceries_reference[0.01]


@pytest.mark.parametrize(("fraction", "count"), [(0.01, 99), (0.005, 50)])
def test_support_as_fraction_or_count(groceries, fraction, count):
    # 1 % of 9,835 baskets is 98.35: an itemset needs 99 baskets (mlxtend's support ≥ 0.01)
    assert math.ceil(fraction * 9835) == count
    by_fraction = frequent_itemsets(groceries, fraction, backend="eclat")
    by_count = frequent_itemsets(groceries, count, backend="eclat")
    assert by_fraction.min_count == by_count.min_count == count
    assert as_dict(by_fraction) == as_dict(by_count)
    assert by_count.min_support == pytest.approx(count / 9835)
    assert by_fraction.min_support == fraction
    # one basket fewer lets more in: the count is a real threshold
    assert len(as_dict(frequent_itemsets(groceries, count - 1, backend="eclat"))) >= len(as_dict(by_count))


def test_support_is_count_over_baskets(groceries, groceries_lines):
    mining = frequent_itemsets(groceries, 0.01)
    frame = mining.itemsets
    assert list(frame.columns[:3]) == ["support", "itemsets", "count"]
    np.testing.assert_array_equal(frame["support"].to_numpy(), frame["count"].to_numpy() / 9835)
    for itemset, count in zip(frame["itemsets"], frame["count"]):
        assert count == sum(itemset <= basket for basket in groceries_lines), itemset
    # highest support first, shorter first among equals
    assert frame["support"].is_monotonic_decreasing


def test_whole_milk_support(groceries):
    frame = frequent_itemsets(groceries, 0.01).itemsets
    milk = frame[frame["itemsets"] == frozenset({"whole milk"})]
    assert len(milk) == 1 and int(milk["count"].iloc[0]) == 2513
    assert round(float(milk["support"].iloc[0]), 4) == 0.2555
    assert frame["itemsets"].iloc[0] == frozenset({"whole milk"})  # the most frequent item


# ----------------------------------------------------------- property: Eclat = brute force
@st.composite
def small_baskets(draw):
    n = draw(st.integers(2, 30))
    k = draw(st.integers(1, 8))
    matrix = draw(arrays(bool, (n, k)))
    min_count = draw(st.integers(1, n))
    max_len = draw(st.sampled_from([None, 1, 2, 3]))
    return matrix, min_count, max_len


def brute_force(matrix: np.ndarray, min_count: int, max_len: int | None) -> dict[frozenset, int]:
    k = matrix.shape[1]
    out = {}
    for size in range(1, (max_len or k) + 1):
        for columns in combinations(range(k), size):
            count = int(matrix[:, list(columns)].all(axis=1).sum())
            if count >= min_count:
                out[frozenset(f"item {j}" for j in columns)] = count
    return out


@settings(max_examples=100, deadline=None)
@given(small_baskets())
def test_eclat_equals_brute_force(case):
    matrix, min_count, max_len = case
    n, k = matrix.shape
    baskets = Baskets(sparse.csr_matrix(matrix), [f"item {j}" for j in range(k)], np.arange(n))
    # a count of 1 is given as the fraction 1/n (the number 1 means 100 %)
    support = min_count if min_count > 1 else 1 / n
    mining = frequent_itemsets(baskets, support, max_len=max_len, backend="eclat")
    assert mining.min_count == min_count
    assert as_dict(mining) == brute_force(matrix, min_count, max_len)
    # and as a fraction of the baskets
    assert as_dict(frequent_itemsets(baskets, min_count / n, max_len=max_len, backend="eclat")) == \
        brute_force(matrix, min_count, max_len)


def bag_in_every_order() -> Baskets:
    """Three orders, each with a carrier bag: {bag} is in 100 % of the baskets."""
    lines = pd.DataFrame({"order": [1, 1, 2, 2, 3, 3, 3],
                          "product": ["bag", "tea", "bag", "tea", "bag", "tea", "cake"]})
    return baskets_from_lines(lines, "order", "product")


def test_an_item_in_every_basket_eclat():
    found = as_dict(frequent_itemsets(bag_in_every_order(), 2, backend="eclat"))
    assert found == {frozenset({"bag"}): 3, frozenset({"tea"}): 3, frozenset({"bag", "tea"}): 3}


@pytest.mark.parametrize("algorithm", ["apriori", "fpgrowth", "eclat"])
def test_an_item_in_every_basket_pyfim(algorithm):
    pytest.importorskip("fim")
    found = as_dict(frequent_itemsets(bag_in_every_order(), 2, backend="pyfim", algorithm=algorithm))
    assert found == {frozenset({"bag"}): 3, frozenset({"tea"}): 3, frozenset({"bag", "tea"}): 3}


def test_default_backend_rules_with_an_item_in_every_basket():
    pytest.importorskip("fim")
    from persona_desktop.core.rules.association import association_rules

    lines = pd.DataFrame({"order": [1, 1, 2, 2, 3, 3, 3, 4],
                          "product": ["bag", "tea", "bag", "tea", "bag", "tea", "cake", "bag"]})
    mining = frequent_itemsets(baskets_from_lines(lines, "order", "product"), 2)  # auto
    rules = association_rules(mining)
    assert {(tuple(a), tuple(c)) for a, c in zip(rules["antecedents"], rules["consequents"])} == \
        {(("bag",), ("tea",)), (("tea",), ("bag",))}


# ----------------------------------------------------------- guardrails
# The child's own peak: VmHWM belongs to the process's memory map, which exec replaces. (ru_maxrss
# does not: Linux carries it over from the parent at fork, so a big pytest process shows through.)
PEAK = textwrap.dedent("""
    def peak_mb():
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
""")
CHILD = PEAK + textwrap.dedent("""
    import json, resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # a runaway fails here, not the machine
    import numpy as np
    from scipy import sparse
    from persona_desktop.core.rules.baskets import Baskets
    from persona_desktop.core.errors import DataError
    from persona_desktop.core.rules.itemsets import frequent_itemsets
    case, backend = sys.argv[1], sys.argv[2]
    n, k = 100, 40
    matrix = np.ones((n, k), dtype=bool)
    if case == "almost":  # one more basket holding something else: no item is in every basket
        matrix = np.vstack([np.hstack([matrix, np.zeros((n, 1), bool)]), np.eye(1, k + 1, k, dtype=bool)])
    baskets = Baskets(sparse.csr_matrix(matrix), [f"item {j:02d}" for j in range(matrix.shape[1])],
                      np.arange(matrix.shape[0]))
    start = time.perf_counter()
    out = {"code": None, "text": None, "itemsets": None}
    try:
        out["itemsets"] = len(frequent_itemsets(baskets, 0.05, backend=backend).itemsets)
    except DataError as exc:
        out.update(code=exc.code, text=str(exc))
    out["seconds"] = time.perf_counter() - start
    out["peak_mb"] = peak_mb()
    print(json.dumps(out))
""")


def run_child(case: str, backend: str, timeout: float) -> dict:
    try:
        result = subprocess.run([sys.executable, "-c", CHILD, case, backend], capture_output=True, text=True,
                                cwd=ROOT, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"mining {case}-identical baskets with {backend} ran past {timeout} s instead of refusing")
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def assert_refused_quickly(out: dict) -> None:
    """Refused (within the child's time limit), in bounded memory, with advice that works: a support
    (≤ 1) or, when no support can help (baskets all alike), a shorter itemset length. The seconds
    are printed, not asserted: speed is measured in bench/."""
    assert out["code"] in ("itemsets.error.explode", "itemsets.error.explode_len"), out
    assert out["peak_mb"] < 1024, out  # 2^40 itemsets would need terabytes
    if out["code"] == "itemsets.error.explode":
        suggested = SUGGESTION.search(out["text"])
        assert suggested, out["text"]
        assert 0 < float(suggested.group(1)) <= 1
    else:
        assert "maximum itemset length" in out["text"]


@pytest.mark.slow  # 7 s: Eclat walks a million itemsets before its budget runs out
@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_identical_baskets_refused_eclat():
    assert_refused_quickly(run_child("identical", "eclat", timeout=120))


@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_identical_baskets_refused_pyfim():
    pytest.importorskip("fim")
    assert_refused_quickly(run_child("identical", "pyfim", timeout=60))


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_almost_identical_baskets_refused_eclat():
    assert_refused_quickly(run_child("almost", "eclat", timeout=120))


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_almost_identical_baskets_refused_pyfim():
    pytest.importorskip("fim")
    assert_refused_quickly(run_child("almost", "pyfim", timeout=25))


def test_suggested_support_is_a_valid_fraction_when_pairs_explode():
    # 3 baskets × 1,500 items, all alike: 1,124,250 pairs, each in all 3 baskets
    matrix = sparse.csr_matrix(np.ones((3, 1500), dtype=bool))
    baskets = Baskets(matrix, [f"item {j:04d}" for j in range(1500)], np.arange(3))
    with pytest.raises(DataError) as caught:
        frequent_itemsets(baskets, 2, backend="eclat")
    # every basket alike: no support can help, the advice is a shorter itemset length
    assert caught.value.code == "itemsets.error.explode_len"
    assert "1,124,250 pairs" in str(caught.value) and "maximum itemset length of 2 or 3" in str(caught.value)
    assert frequent_itemsets(baskets, 2, backend="eclat", max_len=1).itemsets.shape[0] == 1500


def test_suggested_support_is_at_most_one():
    matrix = sparse.csr_matrix(np.ones((3, 1500), dtype=bool))
    baskets = Baskets(matrix, [f"item {j:04d}" for j in range(1500)], np.arange(3))
    with pytest.raises(DataError) as caught:
        frequent_itemsets(baskets, 2, backend="eclat")
    suggested = SUGGESTION.search(str(caught.value))
    assert suggested is None or 0 < float(suggested.group(1)) <= 1


def test_one_basket_is_refused():
    baskets = Baskets(sparse.csr_matrix(np.ones((1, 3), dtype=bool)), ["a", "b", "c"], np.arange(1))
    with pytest.raises(DataError) as caught:
        frequent_itemsets(baskets, 0.5)
    assert caught.value.code == "itemsets.error.one_basket"


@pytest.mark.parametrize("support", [0, 0.0, -0.1, -5, 1.5, float("nan"), float("inf")])
def test_impossible_support_is_refused(groceries, support):
    with pytest.raises(DataError) as caught:
        frequent_itemsets(groceries, support)
    assert caught.value.code == "itemsets.error.support"


@pytest.mark.parametrize("backend", ["eclat", "pyfim", "mlxtend"])
def test_cancelled_before_mining(groceries, backend):
    need(backend)
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        frequent_itemsets(groceries, 0.01, backend=backend, progress=progress)


def test_cancel_while_eclat_mines(groceries):
    """Cancelled from the progress callback once mining is under way (as the GUI's button would)."""
    seen = []
    cancel = threading.Event()

    def callback(fraction: float, message: str) -> None:
        seen.append(fraction)
        if fraction > 0.05:  # past the set-up: Eclat is walking the items
            cancel.set()

    progress = Progress(callback, cancel, min_interval=0.0)
    with pytest.raises(Cancelled):
        frequent_itemsets(groceries, 0.001, backend="eclat", progress=progress)
    assert any(0.05 < f < 0.95 for f in seen)
    assert max(seen) < 0.95  # stopped before the end


# ----------------------------------------------------------- Online Retail
@pytest.fixture(scope="module")
def retail(datasets) -> Baskets:
    ins = inspect_file(datasets / "01_online_retail" / "online_retail.csv")
    return baskets_from_cleaning(ins.cleaning, ins.kind, ins.roles)


@pytest.fixture(scope="module")
def retail_reference(retail) -> dict[frozenset, int]:
    """mlxtend at 0.5 % on a dense table of the items frequent enough (Online Retail has 4,000)."""
    counts = np.asarray(retail.matrix.sum(axis=0)).ravel()
    keep = counts >= math.ceil(0.005 * retail.n_baskets)
    dense = pd.DataFrame(retail.matrix[:, np.flatnonzero(keep)].toarray(),
                         columns=np.asarray(retail.items, dtype=object)[keep])
    by_fpgrowth = reference(dense, 0.005, "fpgrowth")
    # low_memory: the default apriori would build a 19,773 × 1.2 million pair table (22 GB)
    assert reference(dense, 0.005, "apriori", low_memory=True) == by_fpgrowth
    return by_fpgrowth


@pytest.mark.slow
def test_retail_reference_size(retail, retail_reference):
    assert retail.n_baskets == 19773
    assert len(retail_reference) == 16046


@pytest.mark.slow
@pytest.mark.parametrize(("backend", "algorithm", "max_len"),
                         [(b, a, n) for b, a in OURS if b != "mlxtend" for n in (None, 2, 3)]
                         # the mlxtend backend takes 12 s a run: once is enough (its apriori: see below)
                         + [("mlxtend", "fpgrowth", None)])
def test_retail_every_backend_equals_mlxtend(retail, retail_reference, backend, algorithm, max_len):
    need(backend)
    mining = frequent_itemsets(retail, 0.005, max_len=max_len, algorithm=algorithm, backend=backend)
    assert as_dict(mining) == up_to(retail_reference, max_len)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_retail_mlxtend_apriori_backend(datasets):
    code = textwrap.dedent("""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
        from persona_desktop.core.rules.baskets import baskets_from_cleaning
        from persona_desktop.core.errors import DataError
        from persona_desktop.core.rules.itemsets import frequent_itemsets
        from persona_desktop.core.table.understand import inspect_file
        ins = inspect_file(sys.argv[1])
        b = baskets_from_cleaning(ins.cleaning, ins.kind, ins.roles)
        try:
            print(len(frequent_itemsets(b, 0.005, backend="mlxtend", algorithm="apriori").itemsets))
        except DataError as exc:
            print(exc.code)
    """)
    result = subprocess.run([sys.executable, "-c", code, str(datasets / "01_online_retail" / "online_retail.csv")],
                            capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)
    assert result.stdout.strip().splitlines()[-1:] == ["16046"], result.stdout + result.stderr[-1000:]


@pytest.mark.slow
def test_retail_support_too_low_is_refused_before_mining(retail, monkeypatch):
    from persona_desktop.core.rules import itemsets

    mined = []  # the counts Eclat ran at: only the higher ones tried for the advice
    eclat = itemsets._eclat
    monkeypatch.setattr(itemsets, "_eclat", lambda matrix, count, *a: mined.append(count) or eclat(matrix, count, *a))
    for support in (2, 0.0001):
        mined.clear()
        with pytest.raises(DataError) as caught:
            frequent_itemsets(retail, support)  # the default backend
        assert min(mined) > itemsets.min_count_for(support, retail.n_baskets), mined
        assert caught.value.code == "itemsets.error.explode"
        text = str(caught.value)
        assert "pairs of items alone are frequent" in text
        suggested = float(SUGGESTION.search(text).group(1))
        assert 2 / retail.n_baskets < suggested < 0.01


@pytest.mark.slow
def test_retail_suggested_support_works(retail):
    with pytest.raises(DataError) as caught:
        frequent_itemsets(retail, 2, backend="eclat")
    suggested = float(SUGGESTION.search(str(caught.value)).group(1))
    mining = frequent_itemsets(retail, suggested, backend="eclat")
    assert len(mining.itemsets) > 0


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_retail_low_support_default_backend_refused_quickly(datasets):
    code = PEAK + textwrap.dedent("""
        import json, resource, sys, time
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
        from persona_desktop.core.rules.baskets import baskets_from_cleaning
        from persona_desktop.core.errors import DataError
        from persona_desktop.core.rules.itemsets import frequent_itemsets
        from persona_desktop.core.table.understand import inspect_file
        ins = inspect_file(sys.argv[1])
        b = baskets_from_cleaning(ins.cleaning, ins.kind, ins.roles)
        start = time.perf_counter()
        try:
            frequent_itemsets(b, 10)
            code = None
        except DataError as exc:
            code = exc.code
        print(json.dumps({"code": code, "seconds": time.perf_counter() - start,
                          "peak_mb": peak_mb()}))
    """)
    pytest.importorskip("fim")
    try:
        result = subprocess.run([sys.executable, "-c", code, str(datasets / "01_online_retail" / "online_retail.csv")],
                                capture_output=True, text=True, cwd=ROOT, timeout=30, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail("still mining after 30 s")
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["code"] == "itemsets.error.explode" and out["peak_mb"] < 1024, out
