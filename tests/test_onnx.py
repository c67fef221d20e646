"""ONNX export (skact.onnx_export): onnxruntime reproduces skact's predictions.

For every built-in activation and every task (binary, multiclass and
multilabel classification, regression with one or several outputs, Poisson),
alone and in a Pipeline, in float32 and float64, the exported graph's outputs
on the training rows match ``predict_proba`` / ``predict``: within 1e-5
relative in float32, 1e-10 in float64, labels equal.
"""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

pytest.importorskip("skl2onnx")
ort = pytest.importorskip("onnxruntime")
from skl2onnx import to_onnx  # noqa: E402

import skact.onnx_export  # noqa: E402, F401  (registers the converters)
from skact import ScratchMLPClassifier, ScratchMLPRegressor  # noqa: E402
from skact.activations import (  # noqa: E402
    ACTIVATIONS,
    ELU,
    GELU,
    Activation,
    PReLU,
    Softplus,
)

# One name per class (the registry has aliases), and two non-default parameters.
ACTIVATION_CASES = sorted({cls.name for cls in ACTIVATIONS.values()}) + [
    ELU(alpha=0.3),
    Softplus(beta=2.0),
    GELU(approximate="tanh"),
]
TOLERANCE = {np.float32: 1e-5, np.float64: 1e-10}
TASKS = ["binary", "multiclass", "multilabel", "regression", "multioutput", "poisson"]


def _data(task, dtype):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 3)) * [1.0, 3.0, 0.5] + [0.0, 5.0, -1.0]
    signal = X @ [1.0, -0.4, 2.0]
    y = {
        "binary": np.where(signal > np.median(signal), "yes", "no"),
        "multiclass": np.digitize(signal, np.quantile(signal, [0.33, 0.66])),
        "multilabel": np.c_[signal > 0, X[:, 0] > 0, X[:, 2] < -1].astype(int),
        "regression": signal,
        "multioutput": np.c_[signal, X[:, 0] ** 2],
        "poisson": rng.poisson(np.exp(0.3 * np.tanh(signal))),
    }[task]
    return X.astype(dtype), y


def _model(task, activation):
    params = dict(hidden_layer_sizes=(5, 4), activation=activation, max_iter=5)
    if task in ("regression", "multioutput", "poisson"):
        loss = "poisson" if task == "poisson" else "squared_error"
        return ScratchMLPRegressor(loss=loss, random_state=0, **params)
    return ScratchMLPClassifier(random_state=0, **params)


def _fit(model, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y)


def _run(model, X, options=None):
    onx = to_onnx(model, X[:1], options=options)
    session = ort.InferenceSession(
        onx.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    return session.run(None, {session.get_inputs()[0].name: X})


def _assert_close(actual, expected, dtype):
    expected = np.asarray(expected)
    actual = np.asarray(actual).reshape(expected.shape)
    assert actual.dtype == dtype
    np.testing.assert_allclose(actual, expected, rtol=TOLERANCE[dtype], atol=0)


def _check(model, X, task, dtype):
    if task in ("regression", "multioutput", "poisson"):
        (prediction,) = _run(model, X)
        _assert_close(prediction, model.predict(X), dtype)
        return
    label, proba = _run(model, X, options={"zipmap": False})
    _assert_close(proba, model.predict_proba(X), dtype)
    np.testing.assert_array_equal(label, model.predict(X))


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("task", TASKS)
@pytest.mark.parametrize("activation", ACTIVATION_CASES, ids=repr)
def test_estimator_matches_onnxruntime(activation, task, dtype):
    X, y = _data(task, dtype)
    model = _fit(_model(task, activation), X, y)
    _check(model, X, task, dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("task", TASKS)
@pytest.mark.parametrize("activation", ACTIVATION_CASES, ids=repr)
def test_pipeline_matches_onnxruntime(activation, task, dtype):
    X, y = _data(task, dtype)
    pipe = _fit(make_pipeline(StandardScaler(), _model(task, activation)), X, y)
    _check(pipe, X, task, dtype)


def test_per_layer_activations_and_learned_slopes():
    X, y = _data("multiclass", np.float64)
    clf = ScratchMLPClassifier(
        (5, 4, 3), activation=[PReLU(), "gelu", ELU(alpha=0.5)], max_iter=30,
        learning_rate_init=0.05, random_state=0,
    )  # fmt: skip
    _fit(clf, X, y)
    slopes = clf.activation_params_[0]
    assert not np.allclose(slopes, 0.25)  # the slopes moved: learned
    _check(clf, X, "multiclass", np.float64)


@pytest.mark.parametrize("task", ["binary", "multiclass", "multilabel"])
def test_zipmap_gives_a_dict_per_row(task):
    X, y = _data(task, np.float32)
    clf = _fit(_model(task, "relu"), X, y)
    label, proba = _run(clf, X)
    np.testing.assert_array_equal(label, clf.predict(X))
    expected = clf.predict_proba(X)
    assert len(proba) == len(X)
    for row, probabilities in zip(proba, expected):
        keys = list(row)
        assert len(keys) == len(probabilities)
        np.testing.assert_allclose([row[k] for k in keys], probabilities, rtol=1e-5)
    columns = _run(clf, X, options={"zipmap": "columns"})
    np.testing.assert_allclose(np.c_[columns[1:]].T, expected, rtol=1e-5)


class Softsign(Activation):
    """``z / (1 + |z|)``, with and without an ONNX hook."""

    def __call__(self, z):
        z = np.asarray(z, dtype=float)
        return z / (1 + np.abs(z))

    def derivative(self, z, a=None):
        z = np.asarray(z, dtype=float)
        return 1 / (1 + np.abs(z)) ** 2


class ExportableSoftsign(Softsign):
    def onnx(self, graph, z, params):
        one_plus = graph.node("Add", graph.node("Abs", z), graph.constant(1.0))
        return graph.node("Div", z, one_plus)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
def test_custom_activation_with_its_hook(dtype):
    X, y = _data("multiclass", dtype)
    clf = _fit(_model("multiclass", ExportableSoftsign()), X, y)
    _check(clf, X, "multiclass", dtype)


def test_custom_activation_without_a_hook_names_it():
    X, y = _data("multiclass", np.float32)
    clf = _fit(_model("multiclass", Softsign()), X, y)
    with pytest.raises(TypeError, match=r"Softsign\(\) has no ONNX conversion.*onnx"):
        to_onnx(clf, X[:1])


def test_subclass_of_a_built_in_needs_its_own_hook():
    # Its function may differ from the parent's: the parent's nodes would be wrong.
    class Steeper(ELU):
        pass

    X, y = _data("multiclass", np.float32)
    clf = _fit(_model("multiclass", Steeper()), X, y)
    with pytest.raises(TypeError, match="Steeper"):
        to_onnx(clf, X[:1])


def test_nocl_gives_class_indices():
    X, y = _data("binary", np.float32)
    clf = _fit(_model("binary", "relu"), X, y)
    label, _ = _run(clf, X, options={"zipmap": False, "nocl": True})
    np.testing.assert_array_equal(clf.classes_[label], clf.predict(X))
