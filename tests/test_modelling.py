"""skact's modelling features beyond scikit-learn's MLP.

Weight initialisation, dropout, class weights, the elastic-net penalty,
``history_``, custom activations and ``check_gradients``.
"""

import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import (
    load_breast_cancer,
    load_digits,
    load_iris,
    make_classification,
)
from sklearn.metrics import log_loss, recall_score
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import StandardScaler

from skact import ScratchMLPClassifier, ScratchMLPRegressor, check_gradients
from skact._init import WEIGHT_INITS
from skact._rowhash import dropout_mask
from skact.activations import Activation, ReLU

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=300, n_features=10, n_informative=6, n_classes=3, random_state=0
    )
    return StandardScaler().fit_transform(X), y


class BentIdentity(Activation):
    """A custom activation, defined at module level so that it pickles."""

    def __init__(self, scale=1.0):
        self.scale = scale

    def __call__(self, z):
        z = np.asarray(z)
        return self.scale * ((np.sqrt(z * z + 1) - 1) / 2 + z)

    def derivative(self, z, a=None):
        z = np.asarray(z)
        return self.scale * (z / (2 * np.sqrt(z * z + 1)) + 1)


class LeakyWithReluMask(BentIdentity):
    """Leaky ReLU whose derivative forgets the slope: the classic bug."""

    def __call__(self, z):
        z = np.asarray(z)
        return np.where(z > 0, z, 0.1 * z)

    def derivative(self, z, a=None):
        return (np.asarray(z) > 0).astype(float)


# --------------------------------------------------------------------------
# weight_init


@pytest.mark.parametrize("scheme", WEIGHT_INITS)
def test_every_weight_init_trains(scheme, data):
    X, y = data
    clf = ScratchMLPClassifier(
        (16,), weight_init=scheme, learning_rate_init=0.01, max_iter=50, random_state=0
    ).fit(X, y)
    assert clf.score(X, y) > 0.8


def _start(est, X, y, **fit_params):
    """``est`` fitted for one epoch at a negligible rate: its start."""
    est.set_params(max_iter=1, learning_rate_init=1e-12, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # batch_size clipped
        return est.fit(X, y, **fit_params)


def _robust_std(z):
    """skact's spread: half the width of each column's central 68%."""
    high = np.quantile(z, 0.84, axis=0, method="inverted_cdf")
    return (high - np.quantile(z, 0.16, axis=0, method="inverted_cdf")) / 2


def test_weight_init_scales_and_intercepts(data):
    X, y = data
    n_in, n_hidden = X.shape[1], 400

    def first_layer(scheme, activation="relu"):
        clf = ScratchMLPClassifier(
            (n_hidden,), activation=activation, weight_init=scheme
        )
        clf = _start(clf, X, y)
        return clf.coefs_[0], clf.intercepts_[0]

    w, b = first_layer("he_normal")
    assert w.std() == pytest.approx(np.sqrt(2 / n_in), rel=0.05)
    # He, Glorot and LeCun start the intercepts at zero (and one tiny step
    # has been taken since).
    assert np.abs(b).max() < 1e-9
    w, _ = first_layer("he_uniform", activation="leaky_relu")
    gain = np.sqrt(2 / (1 + 0.01**2))
    assert np.abs(w).max() <= gain * np.sqrt(3 / n_in)
    w, _ = first_layer("glorot_normal")
    assert w.std() == pytest.approx(np.sqrt(2 / (n_in + n_hidden)), rel=0.05)
    w, _ = first_layer("lecun_normal", activation="selu")
    assert w.std() == pytest.approx(np.sqrt(1 / n_in), rel=0.05)
    _, b = first_layer("sklearn")  # scikit-learn draws intercepts too
    assert np.abs(b).max() > 0.01


@pytest.mark.parametrize("activation", ["relu", "logistic", "selu", "identity"])
def test_auto_start_scales_each_layer_to_the_data(activation, data):
    # Whatever the inputs' scale and number, each hidden layer's
    # pre-activations start with the median spread over the rows that the
    # activation asks for (1; 0.5 for the logistic, 0.3 for the identity):
    # the same on 10 columns as on 40 or on raw data, and in a second layer.
    X, y = data
    for X_in in (X, 1000 * X + 50, np.hstack([X] * 4)):
        clf = _start(ScratchMLPClassifier((30, 20), activation=activation), X_in, y)
        a = X_in
        for w, b, act in zip(clf.coefs_[:-1], clf.intercepts_[:-1], clf.activations_):
            z = a @ w
            assert np.median(_robust_std(z)) == pytest.approx(act.init_scale, 1e-6)
            a = act(z + b)
    assert ReLU.init_scale == 1.0


def test_auto_start_scale_has_a_limit():
    # Inputs far beyond any usual scale are for preprocessing: the start does
    # not shrink weights to near the smallest normal number, and the fit
    # diverges with that advice.
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match="need to be preprocessed"):
        ScratchMLPRegressor(solver="lbfgs", max_iter=50).fit(X * 1e200, y)


def test_auto_start_spreads_the_units_over_the_data(data):
    # weight_init="auto" places each hidden unit's boundary z = 0 through a
    # random quantile of its pre-activation over the training rows (all 300
    # of them are looked at): the units cross the data at different places,
    # and no ReLU-family unit starts active on less than a quarter.
    X, y = data
    in_unit_box = (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0))

    def shares(activation, X=X):
        clf = _start(ScratchMLPClassifier((400,), activation=activation), X, y)
        w, b = clf.coefs_[0], clf.intercepts_[0]
        return np.mean(X @ w + b > 0, axis=0), b  # each unit's active share

    # ReLU: active on 50% to 90% of the rows (up to the rows that the 0.1%
    # margin off the kink brings across), on data centred or not; its smooth
    # forms, which cannot die, on 25% to 90%.
    for activation, X_in, least in [
        ("relu", X, 0.5), ("relu", in_unit_box, 0.5), ("gelu", X, 0.25)
    ]:  # fmt: skip
        active, b = shares(activation, X_in)
        assert active.min() >= least and active.max() <= 0.91
        assert active.min() < least + 0.05 and active.max() > 0.85
        assert np.any(b < -0.01) and np.any(b > 0.01)
    # tanh and the logistic: boundaries through quantiles in [0.25, 0.75].
    for activation in ("tanh", "logistic"):
        active, _ = shares(activation)
        assert active.min() >= 0.24 and active.max() <= 0.76
        assert active.min() < 0.3 and active.max() > 0.7
    # SELU keeps zero intercepts: it normalises itself around zero.
    _, b = shares("selu")
    assert np.abs(b).max() < 1e-9


def test_auto_start_on_a_single_row():
    # One row has no spread: the units start active at it, not on the kink
    # (where they would output nothing), and learn a new target from there.
    reg = ScratchMLPRegressor(
        hidden_layer_sizes=(42,), random_state=42, learning_rate_init=0.01
    )
    reg.fit([[2.0]], [4.0])
    z = np.array([[2.0]]) @ reg.coefs_[0] + reg.intercepts_[0]
    assert np.all(z > 0.1)
    for _ in range(200):
        reg.partial_fit([[2.0]], [1.0])
    np.testing.assert_allclose(reg.predict([[2.0]]), [1.0], rtol=1e-4)


def test_auto_start_looks_at_rows_of_positive_weight():
    # More rows than the start samples, nearly all of weight zero: the
    # sample is drawn from the weighted rows (a sample of zero-weight rows
    # would have no weighted quantile), and their quantiles place the units.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(5000, 3))
    y = (X[:, 0] > 0).astype(int)
    sample_weight = np.zeros(5000)
    sample_weight[-40:] = 1.0
    clf = _start(
        ScratchMLPClassifier((50,), activation="tanh"), X, y,
        sample_weight=sample_weight,
    )  # fmt: skip
    z = X[-40:] @ clf.coefs_[0] + clf.intercepts_[0]
    active = np.mean(z > 0, axis=0)
    assert active.min() >= 0.25 - 1 / 40 and active.max() <= 0.75 + 1 / 40


def _output_centre(est, X, y, weights=None, fit_weights="same"):
    """The weighted median over X's rows of the output pre-activation at start.

    ``weights`` weigh the rows' median, and the fit too unless ``fit_weights``
    is given (None for class weights, which the estimator adds itself).
    """
    fit_weights = weights if fit_weights == "same" else fit_weights
    est = _start(est, X, y, sample_weight=fit_weights)
    a = X
    for w, b, act in zip(est.coefs_[:-1], est.intercepts_[:-1], est.activations_):
        a = act(a @ w + b)
    z = a @ est.coefs_[-1] + est.intercepts_[-1]
    return np.quantile(z, 0.5, axis=0, method="inverted_cdf", weights=weights)


def test_auto_start_outputs_at_the_targets_prior():
    # The output pre-activation starts centred (its median over the rows) on
    # the link of the targets' weighted mean.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(201, 3))
    weights = rng.choice([1.0, 2.0], 201)
    # Binary: the log-odds of the (weighted) positive rate.
    y = (rng.uniform(size=201) < 0.2).astype(int)
    for sample_weight in (None, weights):
        rate = np.average(y, weights=sample_weight)
        centre = _output_centre(ScratchMLPClassifier(), X, y, sample_weight)
        np.testing.assert_allclose(centre, [np.log(rate / (1 - rate))], atol=1e-6)
    # Multilabel: the same per label, a constant label clipped, not infinite.
    Y = np.column_stack([y, 1 - y, np.ones(201, int)])
    rate = y.mean()
    np.testing.assert_allclose(
        _output_centre(ScratchMLPClassifier(), X, Y),
        [np.log(rate / (1 - rate)), np.log((1 - rate) / rate), np.log(1e6 - 1)],
        atol=1e-6,
    )
    # Multiclass: the log class priors, with the class weights.
    y3 = rng.choice(3, 201, p=[0.6, 0.3, 0.1])
    centre = _output_centre(
        ScratchMLPClassifier(class_weight={0: 1, 1: 1, 2: 3}), X, y3,
        np.where(y3 == 2, 3.0, 1.0), fit_weights=None,
    )  # fmt: skip
    counts = np.bincount(y3) * [1, 1, 3]
    np.testing.assert_allclose(centre, np.log(counts / counts.sum()), atol=1e-6)
    # Regression: the mean of each output; Poisson: its log.
    Y = np.column_stack([rng.normal(150, 70, 201), rng.normal(-3, 1, 201)])
    np.testing.assert_allclose(
        _output_centre(ScratchMLPRegressor(), X, Y), Y.mean(axis=0), rtol=1e-6
    )
    counts = rng.poisson(4.0, 201)
    np.testing.assert_allclose(
        _output_centre(ScratchMLPRegressor(loss="poisson"), X, counts),
        [np.log(counts.mean())],
        atol=1e-6,
    )
    # scikit-learn's start draws the intercepts instead.
    b = _start(ScratchMLPRegressor(weight_init="sklearn"), X, Y).intercepts_[-1]
    assert np.abs(b).max() < 1


def test_auto_start_output_is_near_the_prior():
    # The output's random part starts small: the first epoch's loss is near
    # the loss of predicting the prior (ln 10 on the ten digits); what is left
    # above it is the random start's, which already tells some digits apart.
    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X[:600])
    for activation in ("logistic", "tanh", "relu", "selu"):
        for hidden in ((20,), (100,)):
            clf = ScratchMLPClassifier(hidden, activation=activation, max_iter=1)
            clf.set_params(random_state=0).fit(X, y[:600])
            assert clf.loss_curve_[0] < np.log(10) + 0.15, (activation, hidden)


@pytest.mark.parametrize("solver", ["lbfgs", "sgd", "adam"])
def test_sample_weight_is_copies_above_the_start_sample(solver):
    # A row of weight k trains as k copies of it at any number of rows: the
    # start looks at the same distinct rows either way (569 rows, weights 1
    # to 3, against 1145 rows). Mini-batches hold every row, so that the
    # stochastic solvers' batches hold the same rows too.
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    weights = np.random.RandomState(0).choice([1, 2, 3], len(y))
    probas = []
    for X_fit, y_fit, sw in [
        (X, y, weights.astype(float)),
        (np.repeat(X, weights, axis=0), np.repeat(y, weights), None),
    ]:
        clf = ScratchMLPClassifier(
            (10,), solver=solver, max_iter=30, batch_size=len(y_fit),
            shuffle=False, random_state=0,
        ).fit(X_fit, y_fit, sample_weight=sw)  # fmt: skip
        probas.append(clf.predict_proba(X))
    np.testing.assert_allclose(probas[0], probas[1], rtol=1e-7, atol=1e-9)


def test_weighted_adam_trains_the_weighted_loss_from_epoch_one():
    # Trained with the weights, adam lowers the weighted loss at least as fast
    # as trained without them, from the first epoch (breast cancer, the
    # malignant class weighted 3).
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    weights = np.where(y == 0, 3.0, 1.0)
    for epochs in (1, 2, 3, 5, 10, 30):
        losses = []
        for sw in (weights, None):
            clf = ScratchMLPClassifier((10,), max_iter=epochs, random_state=0)
            clf.fit(X, y, sample_weight=sw)
            losses.append(log_loss(y, clf.predict_proba(X), sample_weight=weights))
        assert losses[0] <= losses[1], epochs


def test_partial_fit_learns_a_class_its_first_batch_lacks():
    # partial_fit's first batch is no sample of the data: starting the outputs
    # at its prior would start a class it lacks at probability 1e-6.
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    order = np.random.RandomState(0).permutation(len(y))
    X, y = X[order], y[order]
    first = y != 2
    clf = ScratchMLPClassifier(random_state=0)
    clf.partial_fit(X[first][:20], y[first][:20], classes=[0, 1, 2])
    for _ in range(5):
        for start in range(0, len(y), 20):
            clf.partial_fit(X[start : start + 20], y[start : start + 20])
    assert clf.score(X[y == 2], y[y == 2]) > 0.5


# --------------------------------------------------------------------------
# dropout


def test_dropout_changes_training_not_prediction(data):
    X, y = data
    params = dict(
        hidden_layer_sizes=(32,), learning_rate_init=0.01, max_iter=30, random_state=0
    )
    plain = ScratchMLPClassifier(**params).fit(X, y)
    dropped = ScratchMLPClassifier(dropout=0.5, **params).fit(X, y)
    assert not np.allclose(plain.coefs_[0], dropped.coefs_[0])
    # Prediction is deterministic (no dropout), and reproducible.
    np.testing.assert_array_equal(dropped.predict_proba(X), dropped.predict_proba(X))
    again = ScratchMLPClassifier(dropout=0.5, **params).fit(X, y)
    np.testing.assert_array_equal(again.coefs_[0], dropped.coefs_[0])
    other = ScratchMLPClassifier(dropout=0.5, **{**params, "random_state": 1})
    assert not np.allclose(other.fit(X, y).coefs_[0], dropped.coefs_[0])
    assert dropped.score(X, y) > 0.75


def test_dropout_is_inverted_and_keeps_the_rate():
    keys = np.arange(20000, dtype=np.uint64) * np.uint64(7919)
    mask = dropout_mask(keys, 3, 0, 0.3, out=np.empty((20000, 8)))
    assert set(np.unique(mask)) == {0.0, 1 / 0.7}
    assert (mask == 0).mean() == pytest.approx(0.3, abs=0.01)
    assert mask.mean() == pytest.approx(1.0, abs=0.02)  # inverted: E[mask] = 1


def test_dropout_needs_a_stochastic_solver(data):
    with pytest.raises(ValueError, match="dropout=0.2 needs a stochastic solver"):
        ScratchMLPClassifier(solver="lbfgs", dropout=0.2).fit(*data)
    with pytest.raises(ValueError, match="dropout"):
        ScratchMLPClassifier(dropout=1.0).fit(*data)


# --------------------------------------------------------------------------
# class_weight


def test_balanced_class_weight_raises_minority_recall():
    X, y = make_classification(
        n_samples=1000, n_features=8, weights=[0.95, 0.05], class_sep=0.8,
        random_state=0,
    )  # fmt: skip
    params = dict(hidden_layer_sizes=(16,), max_iter=100, random_state=0)
    plain = ScratchMLPClassifier(**params).fit(X, y)
    balanced = ScratchMLPClassifier(class_weight="balanced", **params).fit(X, y)
    assert recall_score(y, balanced.predict(X)) > recall_score(y, plain.predict(X))
    assert recall_score(y, balanced.predict(X)) > 0.8


def test_class_weight_dict_equals_sample_weight(data):
    X, y = data
    params = dict(hidden_layer_sizes=(8,), max_iter=10, random_state=0)
    weights = {0: 2.0, 1: 0.5, 2: 1.0}
    sw = np.random.RandomState(0).uniform(0.5, 1.5, len(y))
    by_class = ScratchMLPClassifier(class_weight=weights, **params).fit(
        X, y, sample_weight=sw
    )
    by_sample = ScratchMLPClassifier(**params).fit(
        X, y, sample_weight=sw * np.array([weights[c] for c in y])
    )
    np.testing.assert_allclose(by_class.coefs_[0], by_sample.coefs_[0], rtol=1e-10)


def test_class_weight_errors(data):
    X, y = data
    with pytest.raises(ValueError, match="not among the classes"):
        ScratchMLPClassifier(class_weight={5: 1.0}).fit(X, y)
    Y = np.column_stack([y == 0, y == 1]).astype(int)
    with pytest.raises(ValueError, match="multilabel"):
        ScratchMLPClassifier(class_weight={0: 1.0}).fit(X, Y)


def test_balanced_weights_in_partial_fit_and_multilabel(data):
    X, y = data
    X, y = X[:200], np.where(np.arange(200) < 150, 0, 1)  # 150 vs 50
    params = dict(hidden_layer_sizes=(4,), learning_rate_init=1e-12, random_state=0)
    # partial_fit balances by the class counts seen so far, over all calls.
    clf = ScratchMLPClassifier(class_weight="balanced", **params)
    clf.partial_fit(X[:100], y[:100], classes=[0, 1])  # only class 0
    clf.partial_fit(X[100:], y[100:])
    np.testing.assert_allclose(clf._class_counts, [[150, 50]])
    # Balanced multilabel: each label balanced on its own, weights multiplied.
    Y = np.column_stack([y, np.arange(200) % 2])
    ml = ScratchMLPClassifier(class_weight="balanced", max_iter=1, **params)
    ml.fit(X, Y)
    np.testing.assert_allclose(ml._class_counts, [[150, 50], [100, 100]])


# --------------------------------------------------------------------------
# l1_ratio


def test_l1_ratio_zero_is_the_l2_penalty(data):
    X, y = data
    params = dict(hidden_layer_sizes=(8,), alpha=0.1, max_iter=5, random_state=0)
    a = ScratchMLPClassifier(**params).fit(X, y)
    b = ScratchMLPClassifier(l1_ratio=0.0, **params).fit(X, y)
    np.testing.assert_array_equal(a.coefs_[0], b.coefs_[0])


# SGD's proximal step is lr * alpha / n per batch: it needs a stronger penalty
# to reach zeros in the same number of epochs.
@pytest.mark.parametrize(
    "solver, alpha", [("adam", 1.0), ("sgd", 10.0), ("lbfgs", 1.0)]
)
def test_l1_ratio_one_gives_exact_zeros(solver, alpha, data):
    X, y = data
    params = dict(
        hidden_layer_sizes=(16,), solver=solver, alpha=alpha,
        learning_rate_init=0.01, max_iter=200, random_state=0,
    )  # fmt: skip
    l2 = ScratchMLPClassifier(**params).fit(X, y)
    l1 = ScratchMLPClassifier(l1_ratio=1.0, **params).fit(X, y)
    assert np.mean(l1.coefs_[0] == 0) > 0.25
    assert np.mean(l2.coefs_[0] == 0) == 0
    assert l1.score(X, y) > 0.75
    # The reported loss includes the L1 term.
    w = np.concatenate([c.ravel() for c in l1.coefs_])
    assert l1.loss_ > alpha * np.abs(w).sum() / len(y)


# --------------------------------------------------------------------------
# history_


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_history_records_every_epoch(solver, data):
    X, y = data
    clf = ScratchMLPClassifier((8, 6), solver=solver, max_iter=15, random_state=0)
    clf.fit(X, y)
    h = clf.history_
    n = len(clf.loss_curve_)
    assert h["loss"] == clf.loss_curve_
    assert len(h["learning_rate"]) == len(h["grad_norm"]) == n
    assert all(len(norms) == 3 for norms in h["grad_norm"])  # one per layer
    assert all(len(shares) == 2 for shares in h["inactive_share"])
    assert all(0 <= s <= 1 for shares in h["inactive_share"] for s in shares)
    assert all(np.isfinite(norms).all() and min(norms) > 0 for norms in h["grad_norm"])
    if solver == "adam":
        assert h["learning_rate"][0] > 0
    assert "val_loss" not in h


def test_history_validation_loss_with_early_stopping(data):
    X, y = data
    clf = ScratchMLPClassifier((8,), early_stopping=True, max_iter=30, random_state=0)
    clf.fit(X, y)
    h = clf.history_
    assert len(h["val_loss"]) == len(h["val_score"]) == clf.n_iter_
    assert h["val_score"] == clf.validation_scores_
    assert h["val_loss"][-1] < h["val_loss"][0]


def test_history_counts_dead_units(data):
    X, y = data
    clf = ScratchMLPClassifier((10,), max_iter=3, random_state=0).fit(X, y)
    assert clf.history_["inactive_share"][-1] == [0.0]
    # Kill half the units (a negative intercept no input overcomes).
    clf.intercepts_[0][:5] = -1e3
    clf.partial_fit(X, y)
    assert clf.history_["inactive_share"][-1] == [0.5]
    # Leaky ReLU units never stop learning.
    leaky = ScratchMLPClassifier((10,), activation="leaky_relu", max_iter=3).fit(X, y)
    assert leaky.history_["inactive_share"][-1] == [0.0]
    # Saturated sigmoid units count as inactive too.
    sig = ScratchMLPClassifier((4,), activation="logistic", max_iter=1).fit(X, y)
    sig.intercepts_[0][:2] = 1e3
    sig.partial_fit(X, y)
    assert sig.history_["inactive_share"][-1] == [0.5]


# --------------------------------------------------------------------------
# Custom activations and check_gradients


def test_custom_activation_everywhere(data):
    X, y = data
    clf = ScratchMLPClassifier(
        (8, 8),
        activation=[BentIdentity(0.5), "relu"],
        learning_rate_init=0.01,
        max_iter=50,
        random_state=0,
    ).fit(X, y)
    assert clf.score(X, y) > 0.8
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    assert clone(clf).activation[0] == BentIdentity(0.5)
    search = GridSearchCV(
        ScratchMLPClassifier((8,), max_iter=20, random_state=0),
        {"activation": [BentIdentity()], "activation__scale": [0.5, 1.0]},
        cv=2,
        n_jobs=2,
    ).fit(X, y)
    assert search.best_params_["activation__scale"] in (0.5, 1.0)


def test_check_gradients_accepts_right_and_catches_wrong(data):
    X, y = data
    X, y = X[:40], y[:40]
    for activation in ["relu", "gelu", "prelu", BentIdentity(2.0)]:
        # A fixed seed: a finite-difference step across a ReLU kink would be
        # a (rare) false alarm.
        clf = ScratchMLPClassifier(
            (6,), activation=activation, alpha=0.1, random_state=0
        )
        assert check_gradients(clf, X, y) < 1e-5
    assert (
        check_gradients(
            ScratchMLPClassifier((6,), activation=LeakyWithReluMask(), random_state=0),
            X,
            y,
        )
        > 0.1
    )
    reg = ScratchMLPRegressor(
        hidden_layer_sizes=(5, 4), activation="elu", random_state=0
    )
    assert check_gradients(reg, X, X[:, 0], sample_weight=np.arange(40.0)) < 1e-5


def test_check_gradients_at_fitted_weights_leaves_the_estimator_alone(data):
    X, y = data
    clf = ScratchMLPClassifier((6,), activation="prelu", max_iter=20, random_state=0)
    clf.fit(X, y)
    coefs = [c.copy() for c in clf.coefs_]
    assert check_gradients(clf, X[:40], y[:40], max_params=50) < 1e-5
    for before, after in zip(coefs, clf.coefs_):
        np.testing.assert_array_equal(before, after)
    assert clf.n_iter_ == 20


def test_relu_subclass_counts_as_relu_family():
    class MyReLU(ReLU):
        pass

    assert MyReLU().active_units(
        np.array([[-1.0, 2.0]]), np.array([[0.0, 2.0]])
    ).tolist() == [False, True]


@pytest.mark.slow
def test_small_relu_networks_start_more_reliably_than_sklearn():
    """Fewer seeds end with a dead hidden layer than with scikit-learn's MLP."""
    from sklearn.neural_network import MLPClassifier

    X = np.array([[0, 0, 1], [0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 0, 0], [0, 1, 0]])
    y = np.array([0, 1, 0, 0, 1, 1])
    settings = dict(hidden_layer_sizes=(2,), learning_rate_init=0.01, max_iter=300)

    def dead_runs(Estimator):
        dead = 0
        for seed in range(30):
            model = Estimator(random_state=seed, **settings).fit(X, y)
            hidden = np.maximum(X @ model.coefs_[0] + model.intercepts_[0], 0)
            dead += not hidden.any()
        return dead

    ours, theirs = dead_runs(ScratchMLPClassifier), dead_runs(MLPClassifier)
    assert theirs > 0
    assert ours < theirs


def test_check_gradients_is_not_fooled_by_rounding():
    # On real data many weights get only the L2 term's tiny gradient (those of
    # always-zero pixels), which finite differences cannot resolve: they are
    # compared on the scale the differences can resolve, so correct
    # derivatives read about 1e-6, not 1e-3.
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    X, y = X[:60] / 16, y[:60]
    for activation in ["tanh", "logistic", "gelu"]:
        clf = ScratchMLPClassifier((5,), activation=activation, random_state=0)
        assert check_gradients(clf, X, y) < 1e-5
    reg = ScratchMLPRegressor(hidden_layer_sizes=(8, 6), random_state=0)
    assert check_gradients(reg, X, X[:, 20] + X[:, 30]) < 1e-5
    buggy = ScratchMLPClassifier((5,), activation=LeakyWithReluMask(), random_state=0)
    assert check_gradients(buggy, X, y) > 0.5
