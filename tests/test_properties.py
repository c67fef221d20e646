"""Property-based tests: whatever the input, a usable model or a clear error.

Over small random data (with extreme and missing values now and then),
activations with their parameters (legal and not), solvers and ``partial_fit``
sequences, every call ends in a usable model, with finite predictions and valid
probabilities, or in a ValueError or TypeError that says something, and leaves
the estimator as it was. Never another exception, never a RuntimeWarning (the
test configuration turns them into errors). The numbers of examples are kept
small, for seconds in all.
"""

import copy
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skact import ScratchMLPClassifier, ScratchMLPRegressor
from skact.activations import ACTIVATIONS, ELU, LeakyReLU, PReLU, Softplus

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

VALUES = st.one_of(
    st.floats(-10, 10, width=32),
    st.sampled_from([0.0, 1e300, -1e300, np.nan, np.inf]),
)


@st.composite
def data(draw, min_rows=1):
    n_samples = draw(st.integers(min_rows, 24))
    n_features = draw(st.integers(1, 4))
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    # Mostly ordinary rows; now and then an extreme or missing value.
    X = np.asarray(
        draw(st.lists(st.floats(-3, 3, width=32), min_size=n_samples * n_features,
                      max_size=n_samples * n_features)),
    ).reshape(n_samples, n_features)  # fmt: skip
    if draw(st.booleans()) and draw(st.booleans()):
        X[draw(st.integers(0, n_samples - 1)), 0] = draw(VALUES)
    with np.errstate(over="ignore"):  # 1e300 in float32 is meant to be inf
        return X.astype(dtype)


ACTIVATION = st.one_of(
    st.sampled_from(sorted(ACTIVATIONS)),
    st.builds(LeakyReLU, st.one_of(st.floats(-1, 2), st.just(np.nan))),
    st.builds(PReLU, st.floats(0, 1)),
    st.builds(ELU, st.floats(-1, 5)),
    st.builds(Softplus, st.floats(0, 20)),
)

PARAMS = st.fixed_dictionaries(
    {
        "hidden_layer_sizes": st.lists(st.integers(1, 4), min_size=1, max_size=2).map(
            tuple
        ),
        "activation": ACTIVATION,
        "solver": st.sampled_from(["adam", "sgd", "lbfgs"]),
        "max_iter": st.integers(1, 4),
        "batch_size": st.sampled_from(["auto", 1, 5]),
        "learning_rate_init": st.sampled_from([1e-3, 0.1, 10.0]),
        "early_stopping": st.booleans(),
        "dropout": st.sampled_from([0.0, 0.3]),
        "random_state": st.integers(0, 3),
    }
).map(lambda p: {**p, "dropout": 0.0} if p["solver"] == "lbfgs" else p)


def _quietly(call, *args, **kwargs):
    """``call`` with the warnings that are allowed silenced; the outcome."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning)  # convergence, ...
        try:
            return call(*args, **kwargs), None
        except (ValueError, TypeError) as error:
            assert str(error), f"{type(error).__name__} without a message"
            return None, error


def _state(est):
    """Every attribute, deep-copied: what a failed call must leave unchanged."""
    return copy.deepcopy(vars(est))


def _assert_unchanged(before, est):
    after = vars(est)
    assert before.keys() == after.keys()
    for name, value in before.items():
        assert _equal(value, after[name]), name


def _equal(a, b):
    """Equality of attribute values: arrays by content, NaN equal to NaN."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, (np.ndarray, float, np.floating)):
        return np.array_equal(a, b, equal_nan=True)
    if isinstance(a, np.random.RandomState):
        return _equal(a.get_state(), b.get_state())
    if hasattr(a, "__dict__") and type(a) is type(b):
        return _equal(vars(a), vars(b))
    return a == b


def _assert_usable(est, n_features):
    assert np.isfinite(est.loss_)
    probe = np.linspace(-2, 2, 3 * n_features).reshape(3, n_features)
    if hasattr(est, "predict_proba"):
        proba = est.predict_proba(probe)
        assert np.all((proba >= 0) & (proba <= 1))
        np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    prediction = est.predict(probe)
    if not hasattr(est, "classes_"):
        assert np.isfinite(prediction).all()


def _fit_ends_usable_or_unfitted(est, X, y):
    fitted, error = _quietly(est.fit, X, y)
    if error is None:
        _assert_usable(fitted, X.shape[1])
    else:
        assert not [name for name in vars(est) if name.endswith("_")]


@SETTINGS
@given(X=data(), labels=st.data(), params=PARAMS)
def test_classifier_fit_ends_usable_or_in_a_clear_error(X, labels, params):
    y = np.asarray(labels.draw(st.lists(st.integers(0, 2), min_size=len(X),
                                        max_size=len(X))))  # fmt: skip
    _fit_ends_usable_or_unfitted(ScratchMLPClassifier(**params), X, y)


@SETTINGS
@given(X=data(), targets=st.data(), params=PARAMS)
def test_regressor_fit_ends_usable_or_in_a_clear_error(X, targets, params):
    y = np.asarray(targets.draw(st.lists(VALUES, min_size=len(X), max_size=len(X))))
    _fit_ends_usable_or_unfitted(ScratchMLPRegressor(**params), X, y)


@SETTINGS
@given(
    batches=st.lists(data(min_rows=2), min_size=1, max_size=4),
    labels=st.data(),
    params=PARAMS.filter(lambda p: p["solver"] != "lbfgs"),
)
def test_partial_fit_sequences_never_leave_a_broken_model(batches, labels, params):
    est = ScratchMLPClassifier(**params)
    n_features = batches[0].shape[1]
    for X in batches:
        if X.shape[1] != n_features:
            X = np.resize(X, (len(X), n_features))
        y = np.asarray(labels.draw(st.lists(st.integers(0, 2), min_size=len(X),
                                            max_size=len(X))))  # fmt: skip
        before = _state(est)
        _, error = _quietly(est.partial_fit, X, y, classes=[0, 1, 2])
        if error is not None:
            _assert_unchanged(before, est)
    if hasattr(est, "coefs_"):
        _assert_usable(est, n_features)


@pytest.mark.parametrize("Estimator", [ScratchMLPClassifier, ScratchMLPRegressor])
def test_properties_run_on_ordinary_data(Estimator):
    # The strategies above mostly draw ordinary data: check that such data does
    # fit, so that the properties are not passing on errors alone.
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(20, 3)), rng.randint(0, 3, 20)
    est = Estimator(hidden_layer_sizes=(3,), max_iter=3, random_state=0)
    fitted, error = _quietly(est.fit, X, y)
    assert error is None
    _assert_usable(fitted, 3)
