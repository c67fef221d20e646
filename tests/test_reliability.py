"""Failures and interruptions: never half-fitted, never stuck, never misleading.

A fit that raises leaves the estimator as it was; an interrupted fit returns
the model of the epochs it completed; bad activations and inputs get errors
that say what to change; no public method lets a RuntimeWarning through (the
test configuration turns them into errors).
"""

import copy
import pickle
import signal
import threading
import warnings

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_diabetes, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils._param_validation import InvalidParameterError

from skact import ScratchMLPClassifier, ScratchMLPRegressor, check_gradients
from skact._divergence import constant_loss, overflowed
from skact._interrupt import DeferredInterrupt
from skact._network import Batch, Network
from skact.activations import (
    ELU,
    SELU,
    Activation,
    LeakyReLU,
    PReLU,
    Softplus,
    get_activation,
)

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def iris(iris_scaled):
    """Standardised iris, under the name this module's tests use."""
    return iris_scaled


# --------------------------------------------------------------------------
# 1. A failed fit changes nothing: no stuck optimizer, no stale state


def test_partial_fit_recovers_after_a_diverging_batch(iris):
    X, y = iris
    reg = ScratchMLPRegressor(hidden_layer_sizes=(5,), random_state=0)
    reg.partial_fit(X, y)
    state = (reg.loss_, reg.t_, list(reg.loss_curve_), reg.coefs_[0].copy())
    with pytest.raises(ValueError, match="non-finite"):
        reg.partial_fit(np.vstack([X[:1] * 1e200, X[1:]]), y)
    assert (reg.loss_, reg.t_, reg.loss_curve_) == state[:3]
    np.testing.assert_array_equal(reg.coefs_[0], state[3])
    # Clean data trains on, exactly as if the bad batch had never come.
    reference = ScratchMLPRegressor(hidden_layer_sizes=(5,), random_state=0)
    for model in (reg, reference.partial_fit(X, y)):
        model.partial_fit(X, y)
    np.testing.assert_array_equal(reg.coefs_[0], reference.coefs_[0])
    assert np.isfinite(reg.loss_)


def test_a_diverged_first_fit_leaves_an_unfitted_estimator(iris):
    X, y = iris
    reg = ScratchMLPRegressor(
        hidden_layer_sizes=(20,), activation="identity", solver="sgd",
        learning_rate_init=1.0, momentum=0.0, max_iter=50,
    )  # fmt: skip
    with pytest.raises(ValueError, match="non-finite"):
        reg.fit(X * 1e200, y)
    assert not [name for name in vars(reg) if name.endswith("_")]
    # partial_fit then starts afresh, with the learning rate it is given.
    reg.set_params(learning_rate_init=1e-3).partial_fit(X, y)
    assert np.isfinite(reg.loss_) and reg.t_ == len(y)


# --------------------------------------------------------------------------
# 2. Ctrl-C: training stops at the end of the epoch, the model whole


def _interrupt_at_calls(monkeypatch, method, *calls):
    """Send this process SIGINT, as Ctrl-C does, at these calls of a Network method."""
    original = getattr(Network, method)
    count = []

    def interrupted(self, *args, **kwargs):
        count.append(None)
        if len(count) in calls:
            signal.raise_signal(signal.SIGINT)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Network, method, interrupted)


def _fit_interrupted(est, X, y):
    """``est.fit(X, y)``, which must warn of the interruption and return."""
    try:
        with pytest.warns(UserWarning, match="Training interrupted by user"):
            return est.fit(X, y)
    except KeyboardInterrupt:  # not to stop the test session
        pytest.fail("KeyboardInterrupt escaped the fit")


def _assert_consistent(est, n_samples, epochs):
    assert est.n_iter_ == epochs == len(est.loss_curve_)
    assert all(len(values) == epochs for values in est.history_.values())
    assert np.isfinite(est.loss_)
    if est.solver != "lbfgs":
        assert est.loss_ == est.loss_curve_[-1]
        assert est.t_ == epochs * n_samples
    assert np.isfinite(est.predict_proba(np.zeros((1, 4)))).all()


@pytest.fixture(scope="module")
def hundred(iris):
    X, y = iris
    return X[::3][:50].repeat(2, axis=0), y[::3][:50].repeat(2)


@pytest.mark.parametrize("solver", ["adam", "sgd"])
# 100 rows in batches of 30: four batches an epoch; the fourth call is an
# epoch's last batch, the fifth the next epoch's first.
@pytest.mark.parametrize("call", [1, 3, 4, 5, 10])
def test_interrupted_fit_is_the_fit_of_its_epochs(monkeypatch, hundred, solver, call):
    X, y = hundred
    params = dict(hidden_layer_sizes=(6,), solver=solver, batch_size=30,
                  max_iter=20, random_state=0)  # fmt: skip
    _interrupt_at_calls(monkeypatch, "loss_grad", call)
    est = _fit_interrupted(ScratchMLPClassifier(**params), X, y)
    epochs = (call - 1) // 4 + 1  # the epoch under way is completed
    _assert_consistent(est, len(y), epochs)
    monkeypatch.undo()
    reference = ScratchMLPClassifier(**{**params, "max_iter": epochs}).fit(X, y)
    for ours, theirs in zip(est.coefs_, reference.coefs_):
        np.testing.assert_array_equal(ours, theirs)
    assert est.loss_curve_ == reference.loss_curve_


@pytest.mark.parametrize("call", [1, 6, 11])
def test_interrupted_lbfgs_is_the_fit_of_its_iterations(monkeypatch, iris, call):
    X, y = iris
    params = dict(hidden_layer_sizes=(6,), solver="lbfgs", max_iter=50,
                  random_state=0)  # fmt: skip
    _interrupt_at_calls(monkeypatch, "loss_grad", call)
    est = _fit_interrupted(ScratchMLPClassifier(**params), X, y)
    monkeypatch.undo()
    assert 1 <= est.n_iter_ < 50
    _assert_consistent(est, len(y), est.n_iter_)
    reference = ScratchMLPClassifier(**{**params, "max_iter": est.n_iter_})
    reference.fit(X, y)
    np.testing.assert_array_equal(est.coefs_[0], reference.coefs_[0])
    assert est.loss_curve_ == reference.loss_curve_


@pytest.mark.parametrize("method, call", [("loss_grad", 7), ("evaluate", 2)])
def test_interrupt_with_early_stopping_keeps_the_record_whole(
    monkeypatch, iris, method, call
):
    X, y = iris
    _interrupt_at_calls(monkeypatch, method, call)
    est = ScratchMLPClassifier(
        (6,), early_stopping=True, batch_size=50, max_iter=20, random_state=0
    )
    _fit_interrupted(est, X, y)
    assert len(est.validation_scores_) == est.n_iter_ == len(est.loss_curve_) < 20
    assert len(est.history_["val_loss"]) == est.n_iter_
    assert est.best_validation_score_ == max(est.validation_scores_)
    assert np.isfinite(est.predict_proba(X)).all()


def test_interrupted_partial_fit_learns_its_epoch_then_stops_the_loop(
    monkeypatch, hundred
):
    X, y = hundred
    params = dict(hidden_layer_sizes=(6,), batch_size=30, random_state=0)
    est = ScratchMLPClassifier(**params).partial_fit(X, y, classes=[0, 1, 2])
    _interrupt_at_calls(monkeypatch, "loss_grad", 2)
    with pytest.raises(KeyboardInterrupt), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        est.partial_fit(X, y)
    monkeypatch.undo()
    reference = ScratchMLPClassifier(**params).partial_fit(X, y, classes=[0, 1, 2])
    reference.partial_fit(X, y)
    np.testing.assert_array_equal(est.coefs_[0], reference.coefs_[0])
    assert est.loss_curve_ == reference.loss_curve_ and est.t_ == reference.t_


@pytest.mark.parametrize("fitted", [False, True])
def test_a_second_interrupt_abandons_the_fit(monkeypatch, hundred, fitted):
    X, y = hundred
    est = ScratchMLPClassifier((6,), batch_size=30, max_iter=20, random_state=0)
    if fitted:
        est.fit(X, y)
    before = {k: v for k, v in vars(est).items() if k.endswith("_")}
    _interrupt_at_calls(monkeypatch, "loss_grad", 2, 3)
    with pytest.raises(KeyboardInterrupt), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        est.set_params(max_iter=30).fit(X, y)
    after = {k: v for k, v in vars(est).items() if k.endswith("_")}
    assert after.keys() == before.keys()
    for name, value in before.items():
        assert after[name] is value  # the attributes of before the call


def _two_interrupts_at_once():
    """Two SIGINTs that the main thread's Python handler sees as one call.

    CPython's C handler runs in the thread a signal is sent to, and only
    records that SIGINT came; the main thread, blocked in join() meanwhile,
    then runs the Python handler once: as when two Ctrl-C arrive during one
    long call into C.
    """

    def send_two():
        me = threading.get_ident()
        signal.pthread_kill(me, signal.SIGINT)
        signal.pthread_kill(me, signal.SIGINT)

    sender = threading.Thread(target=send_two)
    sender.start()
    sender.join()


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="POSIX signals")
def test_two_interrupts_in_one_long_call_abandon_the_fit(monkeypatch, iris):
    X, y = iris
    est = ScratchMLPClassifier((6,), solver="lbfgs", max_iter=50, random_state=0)
    est.fit(X, y)
    before = {k: v for k, v in vars(est).items() if k.endswith("_")}
    wakeup_fd = signal.set_wakeup_fd(-1)
    signal.set_wakeup_fd(wakeup_fd)
    original = Network.loss_grad
    calls = []

    def loss_grad(self, *args, **kwargs):
        calls.append(None)
        if len(calls) == 3:
            _two_interrupts_at_once()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Network, "loss_grad", loss_grad)
    with pytest.raises(KeyboardInterrupt), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        est.set_params(random_state=1).fit(X, y)
    assert len(calls) == 3  # abandoned at once, not at the iteration's end
    after = {k: v for k, v in vars(est).items() if k.endswith("_")}
    assert after.keys() == before.keys()
    assert all(after[name] is value for name, value in before.items())
    assert signal.set_wakeup_fd(wakeup_fd) == wakeup_fd  # put back


def test_interrupt_outside_training_leaves_the_estimator_as_it_was(monkeypatch, iris):
    X, y = iris
    est = ScratchMLPClassifier((6,), max_iter=5, random_state=0).fit(X, y)
    coefs = est.coefs_[0].copy()
    monkeypatch.setattr(Network, "__init__", _raise_keyboard_interrupt)
    with pytest.raises(KeyboardInterrupt):
        est.fit(X[:, :3], y)  # interrupted after X was validated
    assert est.n_features_in_ == 4
    np.testing.assert_array_equal(est.coefs_[0], coefs)


def _raise_keyboard_interrupt(*args, **kwargs):
    raise KeyboardInterrupt


def test_interrupts_are_held_in_the_main_thread_only():
    # Python delivers signals to the main thread: elsewhere there is nothing
    # to hold, and the handler is left alone.
    handler = signal.getsignal(signal.SIGINT)
    seen = []

    def in_thread():
        with DeferredInterrupt() as interrupt:
            seen.append(signal.getsignal(signal.SIGINT))
        seen.append(interrupt.requested)

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join()
    assert seen == [handler, False]
    with DeferredInterrupt():
        assert signal.getsignal(signal.SIGINT) is not handler
    assert signal.getsignal(signal.SIGINT) is handler


# --------------------------------------------------------------------------
# 3. A refit that fails late leaves the previous model


def test_failed_refit_keeps_the_previous_model(iris):
    X, y = iris
    clf = ScratchMLPClassifier((5,), max_iter=20, random_state=0).fit(X, y)
    proba = clf.predict_proba(X)
    with pytest.raises(ValueError, match="sample_weight"):
        clf.fit(X[:, :3], y % 2, sample_weight=np.ones(5))
    assert clf.n_features_in_ == 4
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    np.testing.assert_array_equal(clf.predict_proba(X), proba)
    with pytest.raises(ValueError, match="sample_weight"):
        clf.partial_fit(X, y, sample_weight=-np.ones(len(y)))
    np.testing.assert_array_equal(clf.predict_proba(X), proba)


# --------------------------------------------------------------------------
# 4. Activation parameters are validated like estimator parameters


@pytest.mark.parametrize(
    "activation, match",
    [
        (Softplus(beta=0), "'beta' parameter of Softplus"),
        (Softplus(beta=np.inf), "'beta' parameter of Softplus"),
        (LeakyReLU(negative_slope=1e308), "'negative_slope' parameter of LeakyReLU"),
        (LeakyReLU(negative_slope=-3.0), "'negative_slope' parameter of LeakyReLU"),
        (LeakyReLU(negative_slope="0.1"), "'negative_slope' parameter of LeakyReLU"),
        (LeakyReLU(negative_slope=None), "'negative_slope' parameter of LeakyReLU"),
        (LeakyReLU(negative_slope=[0.1]), "'negative_slope' parameter of LeakyReLU"),
        (LeakyReLU(negative_slope=np.nan), "'negative_slope' parameter of LeakyReLU"),
        (PReLU(init="a"), "'init' parameter of PReLU"),
        (PReLU(init=np.nan), "'init' parameter of PReLU"),
        (ELU(alpha=np.nan), "'alpha' parameter of ELU"),
        (ELU(alpha=-np.inf), "'alpha' parameter of ELU"),
    ],
    ids=repr,
)
def test_activation_parameters_are_validated_at_fit(iris, activation, match):
    X, y = iris
    clf = ScratchMLPClassifier((4, 3), activation=["tanh", activation], max_iter=2)
    with pytest.raises(ValueError, match=match):
        clf.fit(X, y)
    assert not hasattr(clf, "coefs_")


class _Scaled(Activation):
    parameter_ranges = {"scale": (0, None, "neither")}

    def __init__(self, scale=1.0):
        self.scale = scale

    def __call__(self, z):
        return self.scale * np.tanh(np.asarray(z))

    def derivative(self, z, a=None):
        return self.scale * (1 - np.tanh(np.asarray(z)) ** 2)


def test_custom_activations_declare_their_ranges(iris):
    for scale in (-1.0, np.inf):
        with pytest.raises(ValueError, match="'scale' parameter of _Scaled"):
            ScratchMLPClassifier((4,), activation=_Scaled(scale)).fit(*iris)
    ScratchMLPClassifier((4,), activation=_Scaled(2.0), max_iter=2).fit(*iris)


def test_legal_but_extreme_parameters_fail_at_the_probe(iris):
    with pytest.raises(ValueError, match=r"Softplus\(beta=5e-324\).*non-finite"):
        ScratchMLPClassifier((4,), activation=Softplus(beta=5e-324)).fit(*iris)


def test_legal_activation_parameters_fit(iris):
    X, y = iris
    for act in [LeakyReLU(0.0), LeakyReLU(1.0), PReLU(0.0), ELU(0.0), Softplus(50.0)]:
        clf = ScratchMLPClassifier((4,), activation=act, max_iter=3).fit(X, y)
        assert np.isfinite(clf.predict_proba(X)).all()


# --------------------------------------------------------------------------
# 5. Custom activations are probed at fit start


class _ColumnOut(Activation):
    """Returns one column whatever the layer's width: the classic mistake."""

    def __call__(self, z):
        return np.tanh(np.asarray(z)[:, :1])

    def derivative(self, z, a=None):
        return 1 - np.tanh(np.asarray(z)[:, :1]) ** 2


class _NoDerivative(Activation):
    def __call__(self, z):
        return np.asarray(z) * 2


def test_custom_activation_of_the_wrong_shape_fails_at_fit(iris):
    with pytest.raises(ValueError, match=r"_ColumnOut.__call__\(z\) returned shape"):
        ScratchMLPClassifier((5,), activation=_ColumnOut()).fit(*iris)


class _CopyingBackward(_ColumnOut):
    """Right values, but backward returns a new array: grad stays unchanged."""

    def __call__(self, z):
        return np.tanh(np.asarray(z))

    def derivative(self, z, a=None):
        return 1 - np.tanh(np.asarray(z)) ** 2

    def backward(self, z, a, grad, params=None):
        return grad * self.derivative(z, a)


def test_custom_activation_that_does_not_work_in_place_fails_at_fit(iris):
    with pytest.raises(ValueError, match=r"must write its result into grad"):
        ScratchMLPClassifier((5,), activation=_CopyingBackward()).fit(*iris)


def test_custom_activation_without_derivative_says_what_to_define(iris):
    with pytest.raises(NotImplementedError, match=r"derivative\(self, z, a=None\)"):
        ScratchMLPClassifier((5,), activation=_NoDerivative()).fit(*iris)


# --------------------------------------------------------------------------
# 6. Messages a newcomer needs


def test_unknown_name_suggests_the_closest(iris):
    with pytest.raises(ValueError, match="Did you mean 'leaky_relu'") as error:
        ScratchMLPClassifier(activation="LeakyReLU").fit(*iris)
    assert "elu, gelu, identity, leaky_relu" in str(error.value)  # sorted
    with pytest.raises(TypeError, match=r"did you mean LeakyReLU\(\)"):
        ScratchMLPClassifier(activation=LeakyReLU).fit(*iris)


@pytest.mark.parametrize(
    "activation, hidden, match",
    [
        ("LeakyReLU", (4,), r"Did you mean 'leaky_relu'\? Valid names are: "),
        (LeakyReLU, (4,), r"did you mean LeakyReLU\(\)"),
        (3, (4,), r"must be an activation name \(str\), an Activation instance"),
        (["relu"], (4, 4), "has 1 entry but the network has 2 hidden layers"),
        (("relu", "tanh"), (4,), "has 2 entries but the network has 1 hidden layer:"),
        (["relu", "bogus"], (4, 4), r"\(entry 1 of the list\).*'bogus'"),
        ([3, "relu"], (4, 4), r"\(entry 0 of the list\).*got int"),
    ],
    ids=repr,
)
def test_bad_activations_are_invalid_parameters(iris, activation, hidden, match):
    clf = ScratchMLPClassifier(hidden, activation=activation, max_iter=2)
    with pytest.raises(InvalidParameterError, match=match) as error:
        clf.fit(*iris)
    assert "The 'activation' parameter of ScratchMLPClassifier" in str(error.value)
    assert "'type'" not in str(error.value)
    assert not hasattr(clf, "coefs_")


def test_nested_activation_parameters_of_a_name(iris):
    clf = ScratchMLPClassifier(activation="leaky_relu")
    clf.set_params(activation__negative_slope=0.3)
    assert clf.activation == LeakyReLU(negative_slope=0.3)
    both = ScratchMLPClassifier().set_params(activation="elu", activation__alpha=0.5)
    assert both.activation == ELU(alpha=0.5)
    per_layer = ScratchMLPClassifier((4, 4), activation=["leaky_relu", "tanh"])
    with pytest.raises(ValueError, match="which layer"):
        per_layer.set_params(activation__negative_slope=0.3)
    with pytest.raises(TypeError, match=r"did you mean LeakyReLU\(\)"):
        ScratchMLPClassifier(activation=LeakyReLU).set_params(
            activation__negative_slope=0.3
        )


def test_a_network_too_big_for_memory_names_its_size(iris):
    with pytest.raises(MemoryError, match=r"hidden_layer_sizes=\(1000000000,\)"):
        ScratchMLPClassifier(hidden_layer_sizes=(10**9,)).fit(*iris)


# --------------------------------------------------------------------------
# 7. No RuntimeWarning leaks (pytest turns them into errors here)


def test_sample_weights_beyond_float32_are_a_clear_error(iris):
    X, y = iris
    with pytest.raises(ValueError, match="float32"):
        ScratchMLPClassifier((4,), max_iter=2).fit(
            X.astype(np.float32), y, sample_weight=np.full(len(y), 1e39)
        )
    # Each weight fits, but the weighted losses would overflow.
    cases = [
        (np.float32, np.full(len(y), 2.2e36), None),
        (np.float32, np.full(len(y), 1e37), {0: 1e38}),
        (np.float64, np.full(len(y), 1e306), None),
    ]
    for dtype, sample_weight, class_weight in cases:
        clf = ScratchMLPClassifier((4,), class_weight=class_weight, max_iter=2)
        with pytest.raises(
            ValueError, match=f"too much for X's dtype {dtype.__name__}"
        ):
            clf.fit(X.astype(dtype), y, sample_weight=sample_weight)
    with pytest.raises(ValueError, match="finite and non-negative"):
        ScratchMLPClassifier(class_weight={0: np.nan}).fit(X, y)
    with pytest.raises(ValueError, match="y has values too large"):
        ScratchMLPRegressor().fit(X.astype(np.float32), np.full(len(y), 1e39))


def test_a_fit_whose_output_overflows_has_diverged(iris):
    # One huge row makes one SGD step blow the weights up: they stay finite,
    # but the model cannot predict even ordinary rows.
    X, y = iris
    X = X.copy()
    X[0] *= 1e200
    clf = ScratchMLPClassifier((3,), solver="sgd", max_iter=1, random_state=0)
    with pytest.raises(ValueError, match="non-finite"):
        clf.fit(X, y)
    assert not hasattr(clf, "coefs_")


def test_scores_and_gradient_checks_warn_of_nothing(iris):
    X, y = iris
    reg = ScratchMLPRegressor(
        hidden_layer_sizes=(5,), activation="identity", max_iter=5, random_state=0
    ).fit(X, y)
    assert not np.isfinite(reg.score(np.full((2, 4), 1e160), [0, 1]))
    with pytest.raises(ValueError, match="not finite"):
        check_gradients(ScratchMLPRegressor(hidden_layer_sizes=(5,)), X, y * 1e300)


def test_predict_on_huge_input_is_a_clear_error(iris):
    X, y = iris
    # Linear networks, whose output for such input cannot stay finite.
    params = dict(hidden_layer_sizes=(5,), activation="identity", max_iter=5)
    clf = ScratchMLPClassifier(**params, random_state=0).fit(X, y)
    reg = ScratchMLPRegressor(**params, random_state=0).fit(X, y)
    for est in (clf, reg):  # weights of 1, whatever the start: 4e308 overflows
        for coef in est.coefs_:
            coef[...] = 1.0
    huge = np.full((2, 4), 1e308)
    for method in (clf.predict, clf.predict_proba, reg.predict):
        with pytest.raises(ValueError, match="output is not finite"):
            method(huge)


# --------------------------------------------------------------------------
# 8. Persistence with skops: public types only, training continues


@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_skops_round_trip_trusts_only_public_types(solver):
    sio = pytest.importorskip("skops.io")
    X, y = make_classification(n_samples=120, n_features=5, random_state=0)
    clf = ScratchMLPClassifier(
        (5,), activation=SELU(), solver=solver, early_stopping=True, max_iter=5,
        random_state=0,
    ).fit(X, y)  # fmt: skip
    data = sio.dumps(clf)
    untrusted = sio.get_untrusted_types(data=data)
    assert sorted(untrusted) == ["skact.ScratchMLPClassifier", "skact.activations.SELU"]
    loaded = sio.loads(data, trusted=untrusted)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for model in (clf, loaded):
            model.partial_fit(X, y)
    np.testing.assert_array_equal(loaded.coefs_[0], clf.coefs_[0])
    assert loaded.loss_curve_ == clf.loss_curve_


# --------------------------------------------------------------------------
# 9. Divergence that stays finite is divergence too


@pytest.fixture(scope="module")
def diabetes():
    X, y = load_diabetes(return_X_y=True)
    return (X - X.mean(axis=0)) / X.std(axis=0), y


def test_a_loss_blown_up_but_finite_is_divergence(iris, diabetes):
    cases = [
        (ScratchMLPClassifier((10,), learning_rate_init=1e4, max_iter=10), iris),
        (ScratchMLPRegressor(hidden_layer_sizes=(10,), learning_rate_init=1e4,
                             max_iter=10), diabetes),
    ]  # fmt: skip
    for est, (X, y) in cases:
        with pytest.raises(ValueError, match="non-finite") as error:
            est.set_params(random_state=0).fit(X, y)
        message = str(error.value)
        assert "Training diverged: the loss ended at" in message
        assert "learning_rate_init=10000.0 is likely too large" in message
        assert not [name for name in vars(est) if name.endswith("_")]


def test_a_warm_start_that_blows_up_keeps_the_previous_model(diabetes):
    X, y = diabetes
    reg = ScratchMLPRegressor(
        hidden_layer_sizes=(10,), activation="logistic", solver="sgd",
        learning_rate_init=1e-3, max_iter=20, random_state=0,
    ).fit(X, y)  # fmt: skip
    before = {name: copy.deepcopy(value) for name, value in vars(reg).items()}
    reg.set_params(warm_start=True, learning_rate_init=1.0)
    with pytest.raises(ValueError, match="learning_rate_init=1.0 is likely too"):
        reg.fit(X, y)
    assert reg.loss_ == before["loss_"] and reg.loss_curve_ == before["loss_curve_"]
    for ours, saved in zip(reg.coefs_, before["coefs_"]):
        np.testing.assert_array_equal(ours, saved)
    assert np.isfinite(reg.predict(X.astype(np.float32))).all()


def test_weights_whose_float32_output_overflows_have_diverged():
    # Hidden weights of +-1e40 cancel on these rows in float64 (the logistic
    # saturates, its gradient vanishes, a step keeps them); in float32, the
    # dtype of an ONNX export, they overflow to inf - inf = NaN.
    X = np.random.RandomState(0).uniform(1, 2, size=(20, 2))
    y = X.sum(axis=1)
    reg = ScratchMLPRegressor(
        hidden_layer_sizes=(1,), activation="logistic", solver="sgd",
        learning_rate_init=1e-6, max_iter=1, random_state=0,
    ).fit(X, y)  # fmt: skip
    reg.coefs_[0][...] = [[1e40], [-1e40]]
    assert np.isfinite(reg.predict(X)).all()
    before = {k: v for k, v in vars(reg).items() if k.endswith("_")}
    with pytest.raises(ValueError, match="the weights, the loss or the network"):
        reg.set_params(warm_start=True).fit(X, y)
    assert all(vars(reg)[name] is value for name, value in before.items())
    reg.coefs_[0][...] = [[1e30], [-1e30]]  # large, but within float32
    reg.fit(X, y)
    net = Network([2, 1, 1], [get_activation("logistic")], "squared_error", float)
    net.load(reg.coefs_, reg.intercepts_, [])
    assert not overflowed(net, X)
    net.coefs[0][...] = [[1e40], [-1e40]]
    assert overflowed(net, X)


def test_a_fit_that_goes_uphill_is_warned_of(iris):
    clf = ScratchMLPClassifier((10,), learning_rate_init=10.0, max_iter=10,
                               random_state=0)  # fmt: skip
    with pytest.warns(ConvergenceWarning, match="Training went uphill") as record:
        clf.fit(*iris)
    message = str(record[-1].message)
    assert "predicting the class priors (1.1)" in message
    assert "learning_rate_init=10.0 is likely too large" in message
    assert clf.loss_ > constant_loss("log_loss", np.eye(3)[iris[1]])


@pytest.mark.parametrize("loss", ["log_loss", "binary_log_loss", "squared_error",
                                  "poisson"])  # fmt: skip
def test_the_constant_loss_is_the_loss_of_the_best_constant(loss):
    rng = np.random.RandomState(0)
    if loss == "log_loss":
        Y = np.eye(3)[rng.randint(0, 3, 40)]
    elif loss in ("binary_log_loss",):
        Y = (rng.uniform(size=(40, 2)) < [0.2, 0.7]).astype(float)
    else:
        Y = rng.poisson(2.0, size=(40, 2)).astype(float)
    weights = rng.uniform(0.5, 2, 40)
    net = Network([1, 2, Y.shape[1]], [get_activation("relu")], loss, float)
    prior = np.average(Y, axis=0, weights=weights)
    link = {"log_loss": np.log, "binary_log_loss": lambda p: np.log(p / (1 - p)),
            "squared_error": lambda m: m, "poisson": np.log}[loss]  # fmt: skip
    net.intercepts[-1][...] = link(prior)  # zero weights: a constant output
    loss_of_constant, _ = net.evaluate(Batch(np.zeros((40, 1)), Y, weights))
    assert constant_loss(loss, Y, weights) == pytest.approx(loss_of_constant)


@pytest.mark.parametrize("solver", ["lbfgs", "adam"])
def test_huge_alpha_ends_at_the_constant_without_a_warning(iris, solver):
    # The weights are pushed to 0: the loss is the constant prediction's,
    # plus next to nothing, which is no divergence.
    X, y = iris
    clf = ScratchMLPClassifier((5,), solver=solver, alpha=1e6, max_iter=30,
                               random_state=0)  # fmt: skip
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        clf.fit(X, y)
    assert not [w for w in caught if "uphill" in str(w.message)]
    if solver == "lbfgs":
        constant = constant_loss("log_loss", np.eye(3)[y])
        assert constant <= clf.loss_ < constant * (1 + 1e-6)


# --------------------------------------------------------------------------
# 10. One fit at a time per estimator object


class _Gate:
    """A callback that holds the first fit it sees until released."""

    def __init__(self):
        self.entered, self.release = threading.Event(), threading.Event()

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context, **kwargs):
        if not self.entered.is_set():
            self.entered.set()
            self.release.wait(timeout=60)  # a safety net, not a timing

    def on_fit_task_end(self, estimator, context, **kwargs):
        return False


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_a_second_fit_of_one_object_is_refused(iris, solver):
    X, y = iris
    gate = _Gate()
    clf = ScratchMLPClassifier((5,), solver=solver, max_iter=30, random_state=0)
    clf.set_callbacks(gate)
    errors = []

    def fit_in_thread():
        try:
            clf.fit(X, y)
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    worker = threading.Thread(target=fit_in_thread, name="first-fit")
    worker.start()
    try:
        assert gate.entered.wait(timeout=60)
        with pytest.raises(RuntimeError, match="already running on this Scratch"):
            clf.fit(X, y)
        if solver == "adam":
            with pytest.raises(RuntimeError, match="'first-fit'.*clone"):
                clf.partial_fit(X, y)
    finally:
        gate.release.set()
        worker.join()
    assert not errors
    # The first fit's model is whole, and the object is free again.
    assert clf.n_iter_ == len(clf.loss_curve_) == len(clf.history_["loss"])
    reference = ScratchMLPClassifier((5,), solver=solver, max_iter=30, random_state=0)
    np.testing.assert_array_equal(clf.coefs_[0], reference.fit(X, y).coefs_[0])
    clf.set_callbacks().fit(X, y)
    for other in (clone(clf), pickle.loads(pickle.dumps(clf)), copy.deepcopy(clf)):
        assert vars(other).keys() <= vars(clf).keys()
        other.fit(X, y)


# --------------------------------------------------------------------------
# 11. A memory-mapped model


def test_partial_fit_of_a_memory_mapped_model_says_how_to_copy_it(tmp_path, iris):
    X, y = iris
    clf = ScratchMLPClassifier((5,), max_iter=5, random_state=0).fit(X, y)
    joblib.dump(clf, tmp_path / "model.joblib")
    mapped = joblib.load(tmp_path / "model.joblib", mmap_mode="r")
    before = dict(vars(mapped))
    optimizer_state = dict(vars(mapped._optimizer))
    with pytest.raises(ValueError, match=r"memory-mapped.*copy\.deepcopy\(model\)"):
        mapped.partial_fit(X, y)
    assert all(vars(mapped)[name] is value for name, value in before.items())
    assert all(vars(mapped._optimizer)[name] is value
               for name, value in optimizer_state.items())  # fmt: skip
    # A copy trains on, as the original does.
    for model in (clf, copy.deepcopy(mapped)):
        model.partial_fit(X, y)
    np.testing.assert_array_equal(model.coefs_[0], clf.coefs_[0])
