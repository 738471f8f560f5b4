"""Model files: a skops archive that round-trips, holds no pickle and refuses tampering;
applying a kept model to a new file whose columns do not quite match.

The tampered files are made here by editing the archive's ``schema.json``
the way an attacker would: a node that, if built, calls ``builtins.eval`` or
``os.system``. A control load with that type explicitly trusted shows the
tamper is live (skops really would run it), so the refusal is what stops it.
A payload only ever writes a marker file in the test's temporary folder.
"""

from __future__ import annotations

import io
import json
import pickle
import re
import zipfile

import numpy as np
import pandas as pd
import pytest
import skops.io as sio

from persona_desktop.core.errors import DataError, ReadError
from persona_desktop.core.predict.model_files import (
    SUFFIX,
    TrainedModel,
    apply_model,
    load_model,
    save_model,
)
from persona_desktop.core.table.understand import inspect_file
from persona_desktop.core.predict.run import train
from persona_desktop.core.predict.targets import target_from_column

CJK = re.compile(r"[\u4e00-\u9fff]")
TELCO = ("05_telco_churn", "WA_Fn-UseC_-Telco-Customer-Churn.csv")
RENAMED = {"MonthlyCharges": "Monthly Charges", "PaymentMethod": "paymentmethod"}


@pytest.fixture(scope="module")
def telco_raw(datasets) -> pd.DataFrame:
    return pd.read_csv(datasets.joinpath(*TELCO), dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="module")
def trained(telco_raw, folder):
    """A random forest for Telco ``Churn``, trained on 800 customers."""
    path = folder / "telco_train.csv"
    telco_raw.iloc[:800].to_csv(path, index=False)
    ins = inspect_file(path)
    target = target_from_column(ins.customers, "Churn")
    prediction = train(target, "forest", folds=3, importance=False)
    return TrainedModel.from_prediction(prediction, ins.customers.roles), target


@pytest.fixture(scope="module")
def saved(trained, folder):
    model, _ = trained
    return save_model(folder / f"churn{SUFFIX}", model)


def assert_same_forest(loaded, original, X) -> None:
    """The same trees, the same encoded columns, the same answers.

    The probabilities are compared to 1e-12: a random forest with n_jobs=2 adds
    its trees' votes in whatever order the threads finish, so even one model
    called twice differs in the last bit.
    """
    a, b = loaded.named_steps["model"], original.named_steps["model"]
    assert len(a.estimators_) == len(b.estimators_) == 100
    for ta, tb in zip(a.estimators_, b.estimators_):
        for attribute in ("feature", "threshold", "value", "children_left", "children_right"):
            np.testing.assert_array_equal(getattr(ta.tree_, attribute), getattr(tb.tree_, attribute))
    encoded = [p.named_steps["prepare"].transform(X) for p in (loaded, original)]
    encoded = [e.toarray() if hasattr(e, "toarray") else e for e in encoded]
    np.testing.assert_array_equal(*encoded)
    np.testing.assert_allclose(loaded.predict_proba(X), original.predict_proba(X), rtol=0, atol=1e-12)
    assert loaded.predict(X).tolist() == original.predict(X).tolist()


# ----------------------------------------------------------- round trip
def test_round_trip_gives_identical_predictions(trained, saved):
    model, target = trained
    loaded = load_model(saved)
    assert_same_forest(loaded.pipeline, model.pipeline, target.X)
    assert list(loaded.pipeline.classes_) == list(model.pipeline.classes_)
    for attribute in ("target", "classes", "positive", "threshold", "numeric", "categorical", "roles", "model",
                      "metrics", "saved_by"):
        assert getattr(loaded, attribute) == getattr(model, attribute), attribute
    for column, value in model.reference.items():
        assert loaded.reference[column] == (value if isinstance(value, str) else pytest.approx(value))
    assert loaded.positive == "Yes" and loaded.model == "forest" and "customerID" not in loaded.columns


def test_the_file_is_a_zip_of_json_and_plain_arrays(saved):
    assert zipfile.is_zipfile(saved)
    with zipfile.ZipFile(saved) as z:
        names = z.namelist()
        assert "schema.json" in names
        json.loads(z.read("schema.json"))
        for name in names:
            data = z.read(name)
            assert not data.startswith(b"\x80"), name  # the opening of every pickle since protocol 2
            assert name == "schema.json" or name.endswith(".npy"), name
            if name.endswith(".npy"):
                assert data.startswith(b"\x93NUMPY")
                np.load(io.BytesIO(data), allow_pickle=False)  # raises if an array holds Python objects
        assert not any(name.endswith((".pkl", ".pickle", ".joblib")) for name in names)


def test_loading_never_calls_pickle(saved, trained, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("pickle was used")

    for name in ("load", "loads", "Unpickler", "_load", "_loads", "_Unpickler"):
        monkeypatch.setattr(pickle, name, forbidden)
    model, target = trained
    assert_same_forest(load_model(saved).pipeline, model.pipeline, target.X)


# ----------------------------------------------------------- refusals
def tamper(source, destination, node: dict) -> None:
    """Copy a model file with its pipeline replaced by *node* in schema.json."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(destination, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "schema.json":
                schema = json.loads(data)
                assert schema["content"]["pipeline"]["__loader__"] == "ObjectNode"
                schema["content"]["pipeline"] = node
                data = json.dumps(schema).encode()
            zout.writestr(item, data)


def json_str(value: str) -> dict:
    return {"__class__": "str", "__module__": "builtins", "__loader__": "JsonNode",
            "content": json.dumps(value), "is_json": True}


def a_call(module: str, name: str, *args: dict) -> dict:
    """A node that skops builds by calling ``module.name(*args)``."""
    return {"__class__": name, "__module__": module, "__loader__": "ConstructorFromReduceNode",
            "content": {"__class__": "tuple", "__module__": "builtins", "__loader__": "TupleNode",
                        "content": list(args)}}


def refused(path, code: str) -> ReadError:
    with pytest.raises(ReadError) as info:
        load_model(path)
    err = info.value
    assert err.code == code, err.text("en")
    assert path.name in err.text("en") and path.name in err.text("zh")
    assert "\n" not in err.text("en") and CJK.search(err.text("zh"))
    return err


def test_a_file_tampered_to_call_eval_is_refused_and_nothing_runs(saved, tmp_path):
    marker = tmp_path / "ran.txt"
    evil = tmp_path / f"evil{SUFFIX}"
    tamper(saved, evil, a_call("builtins", "eval", json_str(f"open({str(marker)!r}, 'w').write('ran')")))
    assert "builtins.eval" in sio.get_untrusted_types(file=evil)
    assert "builtins.eval" not in sio.get_untrusted_types(file=saved)
    # control: trusted explicitly, skops really builds it, i.e. runs the payload
    sio.load(evil, trusted=sio.get_untrusted_types(file=evil))
    assert marker.read_text() == "ran"
    marker.unlink()
    err = refused(evil, "model.error.untrusted")
    assert "builtins.eval" in err.text("en") and "nothing in it was run" in err.text("en")
    assert not marker.exists()


def test_a_file_tampered_to_call_os_system_is_refused(saved, tmp_path):
    evil = tmp_path / f"evil{SUFFIX}"
    tamper(saved, evil, a_call("os", "system", json_str("echo tampered")))
    assert "os.system" in sio.get_untrusted_types(file=evil)
    err = refused(evil, "model.error.untrusted")
    assert "os.system" in err.text("en") and "os.system" in err.text("zh")


def test_a_file_tampered_to_exec_through_a_numpy_helper_is_refused(saved, tmp_path):
    marker = tmp_path / "ran.txt"
    evil = tmp_path / f"evil{SUFFIX}"
    empty = {"__class__": "dict", "__module__": "builtins", "__loader__": "DictNode", "content": {},
             "key_types": {"__class__": "list", "__module__": "builtins", "__loader__": "ListNode", "content": []}}
    tamper(saved, evil, a_call("numpy.testing._private.utils", "runstring",
                               json_str(f"open({str(marker)!r}, 'w').write('ran')"), empty))
    assert sio.get_untrusted_types(file=evil) == ["numpy.testing._private.utils.runstring"]
    try:
        load_model(evil)
    except ReadError as err:
        assert err.code == "model.error.untrusted"
    assert not marker.exists(), "the tampered file's code ran while loading"


class _WouldWriteAFile:
    """Unpickling this writes the marker: a pickle that must never be opened."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return open, (self.marker, "w")


def test_a_pickle_renamed_pdmodel_is_refused_unopened(tmp_path):
    marker = tmp_path / "ran.txt"
    path = tmp_path / f"pickled{SUFFIX}"
    path.write_bytes(pickle.dumps(_WouldWriteAFile(marker)))
    err = refused(path, "model.error.not_a_model")
    assert err.text("en") == f"{path.name} is not a Persona Desktop model file"
    assert "不是 Persona Desktop 模型文件" in err.text("zh")
    assert not marker.exists()


def test_a_random_zip_is_refused(tmp_path):
    path = tmp_path / f"random{SUFFIX}"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("notes.txt", "hello")
        z.writestr("data.csv", "a,b\n1,2\n")
    refused(path, "model.error.not_a_model")


def test_a_zip_with_a_broken_schema_is_refused(tmp_path):
    path = tmp_path / f"broken{SUFFIX}"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("schema.json", json.dumps({"hello": "world"}))
    refused(path, "model.error.not_a_model")


def test_a_skops_archive_of_something_else_is_refused(tmp_path):
    path = tmp_path / f"other{SUFFIX}"
    sio.dump({"format": "something-else", "numbers": [1, 2, 3]}, path)
    refused(path, "model.error.not_a_model")


def test_a_json_file_is_refused(tmp_path):
    path = tmp_path / f"model{SUFFIX}"
    path.write_text(json.dumps({"format": "persona-desktop-model", "pipeline": "os.system"}), encoding="utf-8")
    refused(path, "model.error.not_a_model")


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(ReadError) as info:
        load_model(tmp_path / f"nowhere{SUFFIX}")
    assert info.value.code == "read.not_found"


# ----------------------------------------------------------- applying to a new file
@pytest.fixture(scope="module")
def new_file(telco_raw, folder):
    """200 other Telco customers (none with blank TotalCharges): two columns renamed in case and spacing,
    Contract missing, an extra column, no Churn."""
    rows = telco_raw.iloc[1_000:1_300]
    rows = rows[rows["TotalCharges"].str.strip() != ""].iloc[:200]
    new = rows.drop(columns=["Contract", "Churn"]).rename(columns=RENAMED)
    new.insert(3, "favourite colour", np.resize(["red", "green", "blue", "teal"], len(new)))
    path = folder / "new_customers.csv"
    new.to_csv(path, index=False)
    return path, rows


@pytest.fixture(scope="module")
def applied(trained, new_file):
    model, _ = trained
    path, _ = new_file
    return apply_model(model, inspect_file(path).customers, lang="en", file=path.name)


def test_apply_matches_columns_by_name(applied):
    assert applied.renamed == RENAMED
    assert applied.missing == ["Contract"]
    assert applied.extra == ["favourite colour"]
    texts = [w.text("en") for w in applied.warnings]
    assert "Missing in the new file (given the typical value, so they do not sway a prediction): Contract" in texts
    assert "Not used by the model (ignored): favourite colour" in texts
    assert any("MonthlyCharges ← Monthly Charges" in t and "PaymentMethod ← paymentmethod" in t for t in texts)
    assert all(CJK.search(w.text("zh")) for w in applied.warnings)


def test_apply_gives_every_customer_a_probability_and_a_label(applied, trained, new_file):
    model, _ = trained
    _, rows = new_file
    scored = applied.scored
    assert list(scored.columns) == ["customerID", "probability of Yes", "prediction", "why"]
    assert scored["customerID"].tolist() == rows["customerID"].tolist()
    # the model's columns filled from the new file by name, Contract missing: given the
    # training data's typical value (computed here)
    X = pd.DataFrame({c: pd.to_numeric(rows[c]) for c in model.numeric} |
                     {c: (rows[c] if c != "Contract" else model.reference["Contract"])
                      for c in model.categorical})[model.columns]
    expected = model.pipeline.predict_proba(X.reset_index(drop=True))[:, list(model.pipeline.classes_).index("Yes")]
    np.testing.assert_allclose(scored["probability of Yes"].to_numpy(), expected)
    assert scored["prediction"].tolist() == np.where(expected >= model.threshold, "Yes", "No").tolist()


def test_apply_says_why_naming_columns(applied, trained):
    model, _ = trained
    why = applied.scored["why"]
    assert (why.str.len() > 0).mean() > 0.9
    pattern = re.compile(r"^(.+?) = .+? \([+-]\d\.\d\d\)$")
    for text in why[why.str.len() > 0]:
        for part in text.split("; "):
            match = pattern.match(part)
            assert match and match.group(1) in model.columns, part


def test_apply_in_chinese(trained, new_file):
    model, _ = trained
    path, _ = new_file
    result = apply_model(model, inspect_file(path).customers, lang="zh", file=path.name, explain=False)
    assert list(result.scored.columns) == ["customerID", "Yes的概率", "预测结果"]
    assert all(CJK.search(w.text("zh")) for w in result.warnings)


def test_apply_with_nothing_matching_is_refused(trained, tmp_path):
    model, _ = trained
    path = tmp_path / "shoes.csv"
    pd.DataFrame({"customer": [f"S{i}" for i in range(30)], "shoe size": np.arange(30) % 7 + 38,
                  "colour": np.resize(["red", "blue"], 30)}).to_csv(path, index=False)
    with pytest.raises(DataError) as info:
        apply_model(model, inspect_file(path).customers, file=path.name)
    err = info.value
    assert err.code == "model.error.nothing_matches"
    assert "shoes.csv" in err.text("en") and "tenure" in err.text("en") and CJK.search(err.text("zh"))


def test_apply_does_not_give_a_missing_column_as_the_reason(applied):
    cites_missing = applied.scored["why"].str.contains("Contract = ", regex=False)
    assert cites_missing.mean() < 0.05


# ----------------------------------------------------------- every kind of model
def made_up_target(n: int, classes: int):
    """Numbers with a gap or two and a category: enough to exercise every part of a pipeline."""
    from persona_desktop.core.predict.targets import Target

    rng = np.random.default_rng(3)
    label = rng.integers(0, classes, n)
    X = pd.DataFrame({"spend": rng.normal(100 + 40 * label, 20), "visits": rng.poisson(3 + label).astype(float),
                      "region": np.asarray(["north", "south", "east"])[(label + rng.integers(0, 2, n)) % 3]})
    X.loc[::97, "spend"] = np.nan
    names = [f"tier {c}" for c in range(classes)]
    y = pd.Series(np.asarray(names)[label])
    return Target(X, y, pd.Series(np.arange(n)), "tier", names, names[1] if classes == 2 else None,
                  ["spend", "visits"], ["region"])


@pytest.mark.parametrize("kind, n, classes", [
    ("tree", 400, 2), ("forest", 400, 3), ("logistic", 400, 3), ("svm", 400, 2), ("svm", 400, 3),
    ("svm", 6_500, 2),  # linear above 5,000 customers: other types inside
    ("boosting", 400, 2), ("boosting", 400, 3), ("mlp", 400, 2)])
def test_every_kind_of_model_saves_and_loads_within_the_allow_list(tmp_path, kind, n, classes):
    """TRUSTED_TYPES is an exact list: a model kind that needed a type missing from it could be
    trained and saved but never opened again."""
    target = made_up_target(n, classes)
    model = TrainedModel.from_prediction(train(target, kind, folds=3, importance=False))
    loaded = load_model(save_model(tmp_path / f"{kind}{SUFFIX}", model))
    np.testing.assert_allclose(loaded.pipeline.predict_proba(target.X), model.pipeline.predict_proba(target.X),
                               rtol=0, atol=1e-12)
    assert loaded.classes == target.classes and loaded.model == kind
