"""Cancel in every phase leaves no partial state behind (core level, no window).

Every job function the window runs (``persona_desktop/gui/session.py``) is
run once with a cancel flag that never fires, to count how often it asks
"was I cancelled?" (N times). It is then run again, cancelled at the 1st,
the N-th and evenly spread checks in between (all of them when N is small).
Each time the job must raise :class:`Cancelled`, and afterwards

* the analysis it started from is exactly as before (same data, same steps,
  same options, the very same result objects): steps work on a fork;
* an export folder holds exactly the files it held before, byte for byte
  (no new files, no ``.part`` leftovers, no new empty charts folder).
"""

from __future__ import annotations

import copy
import hashlib
import os
import threading
from pathlib import Path

import pandas as pd
import pytest

from persona_desktop.core.progress import Cancelled, Progress

SEGMENT_OPTIONS = {"method": "kmeans", "k": 3}  # what the Segments screen sends for "K-Means, 3 segments"
RULE_OPTIONS = {"min_support": 0.02, "min_confidence": 0.3}
CHURN_SPEC = {"kind": "churn", "model": "logistic", "days": 90}  # the Predict screen's spec, one fast model
CANCEL_POINTS = 8


class CancelAt(threading.Event):
    """A cancel flag that answers "yes" from its *at*-th question on (never, with at=None); counts the questions."""

    def __init__(self, at: int | None = None) -> None:
        super().__init__()
        self.at = at
        self.calls = 0

    def is_set(self) -> bool:
        self.calls += 1
        return self.at is not None and self.calls >= self.at


def cancel_points(n: int, count: int = CANCEL_POINTS) -> list[int]:
    """*count* check indexes spread over [1, n], first and last included (all of them when n is small)."""
    if n <= count:
        return list(range(1, n + 1))
    return sorted({round(1 + i * (n - 1) / (count - 1)) for i in range(count)})


def _frame_hash(frame: pd.DataFrame | None) -> str | None:
    if frame is None:
        return None
    digest = hashlib.sha256()
    digest.update(repr(list(frame.columns)).encode())
    digest.update(repr([str(t) for t in frame.dtypes]).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


def fingerprint(analysis) -> dict:
    """Everything a job could have changed on *analysis* (values, and the identity of its results)."""
    ins = analysis.inspection
    seg = analysis.segments
    return {
        "source": analysis.source,
        "created": analysis.created,
        "ids": {name: id(getattr(analysis, name)) for name in
                ("inspection", "segments", "rules", "churn", "churn_scores", "prediction", "steps", "options")},
        "inspection_ids": {name: id(getattr(ins, name)) for name in ("table", "cleaning", "customers", "roles")},
        "table": _frame_hash(ins.table.data),
        "cleaned": _frame_hash(ins.cleaning.frame),
        "customers": _frame_hash(None if ins.customers is None else ins.customers.data),
        "roles": dict(ins.roles),
        "clean_options": copy.deepcopy(ins.clean_options),
        "steps": [(id(s), s.key, s.seconds, repr(s.figures), s.skipped) for s in analysis.steps],
        "options": copy.deepcopy(analysis.options),
        "personas": None if seg is None else [(id(p), p.segment, p.own_name, p.note) for p in seg.personas],
        "labels": None if seg is None else hashlib.sha256(seg.labels.tobytes()).hexdigest(),
        "n_rules": None if analysis.rules is None else len(analysis.rules.rules),
        "churn_scores": None if analysis.churn_scores is None
        else pd.util.hash_pandas_object(analysis.churn_scores).sum(),
    }


def folder_snapshot(folder: Path) -> dict:
    """Every file (with its bytes) and folder under *folder*, hidden ones included."""
    snap = {}
    for root, dirs, files in os.walk(folder):
        rel = Path(root).relative_to(folder)
        for d in dirs:
            snap[str(rel / d) + "/"] = None
        for f in files:
            snap[str(rel / f)] = (Path(root) / f).read_bytes()
    return snap


def count_checks(job, *args, **kwargs) -> tuple[int, object]:
    flag = CancelAt(None)
    result = job(*args, progress=Progress(cancel_event=flag), **kwargs)
    return flag.calls, result


def cancel_everywhere(job, *args, n: int | None = None, after=None, **kwargs) -> tuple[int, list[int]]:
    """Run *job* to the end once (unless its *n* checks were counted already), then cancelled at each
    cancel point; *after(k)* checks what is left."""
    if n is None:
        n, _ = count_checks(job, *args, **kwargs)
    assert n >= 3, f"{job.__name__} checks for Cancel only {n} times"
    points = cancel_points(n)
    for k in points:
        flag = CancelAt(k)
        with pytest.raises(Cancelled):
            job(*args, progress=Progress(cancel_event=flag), **kwargs)
            pytest.fail(f"{job.__name__} cancelled at check {k}/{n} finished anyway")
        assert flag.calls >= k
        if after is not None:
            after(k)
    return n, points


# -- one analysis with every result, shared by the whole module --------------------------------
@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The sample loaded, segmented, with rules and a churn model; a project saved from it."""
    from persona_desktop.core.paths import sample_path
    from persona_desktop.core.project import project_of, save_project
    from persona_desktop.gui import session

    home = tmp_path_factory.mktemp("cancel_home")
    with pytest.MonkeyPatch.context() as mp:  # the module fixture runs before conftest's per-test settings
        mp.setenv("PERSONA_CONFIG_DIR", str(home / "config"))
        mp.setenv("PERSONA_CACHE_DIR", str(home / "cache"))
        mp.setenv("MPLCONFIGDIR", str(home / "mpl"))
        _, analysis = count_checks(session._load, str(sample_path()))
        _, analysis = count_checks(session._segment, analysis, SEGMENT_OPTIONS, "en")
        _, analysis = count_checks(session._rules, analysis, RULE_OPTIONS, "en")
        _, analysis = count_checks(session._predict, analysis, CHURN_SPEC, "en")
        assert analysis.segments is not None and analysis.rules is not None and analysis.churn is not None
        analysis.segments.personas[0].own_name = "Our best friends"  # an owner's edit, saved in the project
        analysis.segments.personas[1].note = "call them in May"
        project = save_project(home / "shop.persona.json", project_of(analysis))
        yield {"analysis": analysis, "project": project, "sample": Path(sample_path())}


@pytest.fixture
def analysis(world):
    a = world["analysis"]
    before = fingerprint(a)
    yield a
    assert fingerprint(a) == before  # whatever the test did, the shared analysis is as it was


def _unchanged(analysis, before: dict, job: str):
    def check(k: int) -> None:
        after = fingerprint(analysis)
        changed = sorted(key for key in before if after[key] != before[key])
        assert not changed, f"{job} cancelled at check {k} changed the analysis: {changed}"

    return check


# -- the jobs ----------------------------------------------------------------------------------------
def test_cancel_while_loading_leaves_nothing(world, analysis):
    from persona_desktop.gui import session

    sample = world["sample"]
    size, digest = sample.stat().st_size, hashlib.sha256(sample.read_bytes()).hexdigest()
    n, points = cancel_everywhere(session._load, str(sample), after=_unchanged(analysis, fingerprint(analysis), "load"))
    assert points[0] == 1 and points[-1] == n
    assert sample.stat().st_size == size and hashlib.sha256(sample.read_bytes()).hexdigest() == digest


def test_cancel_while_cleaning_again_keeps_the_analysis(analysis):
    from persona_desktop.core.table.clean_options import CleanOptions
    from persona_desktop.gui import session

    options = CleanOptions(disabled={"duplicates"})  # unticking "remove duplicates" on the Data screen
    n, result = count_checks(session._reclean, analysis, options, None)
    assert not result.inspection.cleaning.step("duplicates").enabled  # the step really does something
    cancel_everywhere(session._reclean, analysis, options, None, n=n,
                      after=_unchanged(analysis, fingerprint(analysis), "reclean"))
    assert analysis.inspection.cleaning.step("duplicates").enabled


def test_cancel_while_segmenting_keeps_the_analysis(analysis):
    from persona_desktop.gui import session

    cancel_everywhere(session._segment, analysis, {"method": "kmeans", "k": 4}, "en",
                      after=_unchanged(analysis, fingerprint(analysis), "segment"))
    assert analysis.segments.segmentation.n_segments == 3 and analysis.rules is not None


def test_cancel_while_finding_rules_keeps_the_analysis(analysis):
    from persona_desktop.gui import session

    cancel_everywhere(session._rules, analysis, {"min_support": 0.03, "min_confidence": 0.4}, "en",
                      after=_unchanged(analysis, fingerprint(analysis), "rules"))
    assert analysis.options["min_support"] == RULE_OPTIONS["min_support"]


def test_cancel_while_predicting_keeps_the_analysis(analysis):
    from persona_desktop.gui import session

    spec = dict(CHURN_SPEC, days=60)
    cancel_everywhere(session._predict, analysis, spec, "en",
                      after=_unchanged(analysis, fingerprint(analysis), "predict"))
    assert analysis.options["churn_days"] == 90


def test_cancel_while_applying_the_model_keeps_the_analysis(world, analysis):
    from persona_desktop.gui import session

    cancel_everywhere(session._apply, analysis, str(world["sample"]), "en",
                      after=_unchanged(analysis, fingerprint(analysis), "apply"))


def test_cancel_while_opening_a_project_keeps_the_analysis_and_the_project(world, analysis):
    from persona_desktop.gui import session

    project = world["project"]
    saved = project.read_bytes()
    n, (reopened, _notes) = count_checks(session._open_project, str(project))
    assert reopened is not analysis and reopened.segments.personas[0].own_name == "Our best friends"
    cancel_everywhere(session._open_project, str(project), n=n,
                      after=_unchanged(analysis, fingerprint(analysis), "open project"))
    assert project.read_bytes() == saved
    assert sorted(p.name for p in project.parent.iterdir() if p.name.endswith(".part")) == []


def test_cancel_while_exporting_leaves_the_folder_as_it_was(analysis, tmp_path):
    from persona_desktop.core.export.bundle import ExportChoice
    from persona_desktop.gui import session

    # a full export into another folder: what an export writes, and how many checks (N) it makes
    full = tmp_path / "full"
    full.mkdir()
    n, written = count_checks(session._export, analysis, ExportChoice(str(full), "shop", lang="en"))
    assert n >= 3, f"_export checks for Cancel only {n} times"
    names = sorted(p.name for p in full.iterdir())
    assert names == ["shop.xlsx", "shop_charts", "shop_customers.csv", "shop_report.pdf"], names
    assert len(written) >= 13

    # the folder the cancelled exports go to holds last month's workbook (and an unrelated file)
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "shop.xlsx").write_bytes(b"PK\x03\x04 last month's workbook " + bytes(range(256)))
    (folder / "notes.txt").write_text("keep me\n", "utf-8")
    before = folder_snapshot(folder)
    unchanged = _unchanged(analysis, fingerprint(analysis), "export")

    def nothing_left(k: int) -> None:
        unchanged(k)
        after = folder_snapshot(folder)
        assert after.keys() == before.keys(), \
            f"export cancelled at check {k}/{n} left {sorted(after.keys() ^ before.keys())}"
        for name, content in before.items():
            assert after[name] == content, f"export cancelled at check {k}/{n} changed {name}"

    points = cancel_points(n)
    assert len(points) == min(n, CANCEL_POINTS) and points[0] == 1 and points[-1] == n
    cancel_everywhere(session._export, analysis, ExportChoice(str(folder), "shop", lang="en"), n=n,
                      after=nothing_left)
