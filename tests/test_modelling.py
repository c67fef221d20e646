"""skact's modelling features beyond scikit-learn's MLP.

Weight initialisation, dropout, class weights, the elastic-net penalty,
``history_``, custom activations and ``check_gradients``.
"""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_iris, make_classification
from sklearn.metrics import recall_score
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


def test_weight_init_scales_and_intercepts(data):
    X, y = data
    n_in, n_hidden = X.shape[1], 400

    def first_layer(scheme, activation="relu"):
        clf = ScratchMLPClassifier(
            (n_hidden,), activation=activation, weight_init=scheme, max_iter=1,
            learning_rate_init=1e-12, random_state=0,
        ).fit(X, y)  # fmt: skip
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
    w, _ = first_layer("auto", activation="selu")  # LeCun normal for SELU
    assert w.std() == pytest.approx(np.sqrt(1 / n_in), rel=0.05)
    _, b = first_layer("sklearn")  # scikit-learn draws intercepts too
    assert np.abs(b).max() > 0.01


def test_auto_start_spreads_the_units_over_the_data(data):
    # weight_init="auto" places each hidden unit's boundary z = 0 from the
    # training rows (all 300 of them are looked at): not all through the
    # centre of the data, and no ReLU-family unit active on less than half.
    X, y = data
    n_in, n_hidden = X.shape[1], 400
    glorot = np.sqrt(6 / (n_in + n_hidden))

    def start(activation, X=X):
        clf = ScratchMLPClassifier(
            (n_hidden,), activation=activation, max_iter=1,
            learning_rate_init=1e-12, random_state=0,
        ).fit(X, y)  # fmt: skip
        w, b = clf.coefs_[0], clf.intercepts_[0]
        active = np.mean(X @ w + b > 0, axis=0)  # each unit's share of the rows
        return w, active, b

    # ReLU: Glorot weights; each unit active on 50% to 75% of the rows (up to
    # the rows that the 0.1% margin off the kink brings across).
    w, active, b = start("relu")
    assert np.abs(w).max() <= glorot
    assert active.min() >= 0.5 and active.max() <= 0.77
    assert np.all(b > -1e-9) and np.any(b > 0.01)
    # On data in [0, 1], units whose hyperplane misses the data would be
    # linear on all of it: those intercepts are lowered.
    in_unit_box = (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0))
    _, active, b = start("relu", in_unit_box)
    assert active.min() >= 0.5 and active.max() <= 0.77
    assert np.any(b < -0.01) and np.any(b > 0.01)
    # tanh: boundaries through random quantiles in [0.05, 0.95].
    _, active, _ = start("tanh")
    # (Up to the quantile's own row and the 0.1% margin off the boundary.)
    assert active.min() >= 0.04 and active.max() <= 0.96
    assert active.min() < 0.1 and active.max() > 0.9
    # The logistic: weights four times Glorot's, for its slope 1/4 at 0.
    w, active, _ = start("logistic")
    assert glorot < np.abs(w).max() <= 4 * glorot
    assert active.min() < 0.1 and active.max() > 0.9
    # The smooth ReLU family: intercepts only raised, to half the rows.
    _, active, b = start("gelu")
    assert active.min() >= 0.5 and np.median(active) > 0.5
    assert np.all(b > -1e-9) and np.any(b > 0.01)


def test_auto_start_looks_at_rows_of_positive_weight():
    # More rows than the start samples, nearly all of weight zero: the
    # sample is drawn from the weighted rows (a sample of zero-weight rows
    # would have no weighted quantile), and their quantiles place the units.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(5000, 3))
    y = (X[:, 0] > 0).astype(int)
    sample_weight = np.zeros(5000)
    sample_weight[-40:] = 1.0
    clf = ScratchMLPClassifier(
        (50,), activation="tanh", max_iter=1, learning_rate_init=1e-12,
        random_state=0,
    ).fit(X, y, sample_weight=sample_weight)  # fmt: skip
    z = X[-40:] @ clf.coefs_[0] + clf.intercepts_[0]
    active = np.mean(z > 0, axis=0)
    assert active.min() >= 0.05 - 1 / 40 and active.max() <= 0.95 + 1 / 40


def _first_output(est, X, y, **fit_params):
    """The output intercepts that weight_init="auto" starts ``est`` from."""
    est.set_params(max_iter=1, learning_rate_init=1e-12, random_state=0)
    return est.fit(X, y, **fit_params).intercepts_[-1]


def test_auto_start_outputs_at_the_targets_prior():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 3))
    weights = rng.uniform(0.5, 2.0, 200)
    # Binary: the log-odds of the (weighted) positive rate.
    y = (rng.uniform(size=200) < 0.2).astype(int)
    for sample_weight in (None, weights):
        rate = np.average(y, weights=sample_weight)
        b = _first_output(ScratchMLPClassifier(), X, y, sample_weight=sample_weight)
        np.testing.assert_allclose(b, [np.log(rate / (1 - rate))], atol=1e-9)
    # Multilabel: the same per label, a constant label clipped, not infinite.
    Y = np.column_stack([y, 1 - y, np.ones(200, int)])
    rate = y.mean()
    np.testing.assert_allclose(
        _first_output(ScratchMLPClassifier(), X, Y),
        [np.log(rate / (1 - rate)), np.log((1 - rate) / rate), np.log(1e6 - 1)],
        atol=1e-6,
    )
    # Multiclass: the log class priors, with the class weights.
    y3 = rng.choice(3, 200, p=[0.6, 0.3, 0.1])
    b = _first_output(ScratchMLPClassifier(class_weight={0: 1, 1: 1, 2: 3}), X, y3)
    counts = np.bincount(y3) * [1, 1, 3]
    np.testing.assert_allclose(b, np.log(counts / counts.sum()), atol=1e-9)
    # Regression: the mean of each output; Poisson: its log.
    Y = np.column_stack([rng.normal(150, 70, 200), rng.normal(-3, 1, 200)])
    b = _first_output(ScratchMLPRegressor(), X, Y, sample_weight=weights)
    np.testing.assert_allclose(b, np.average(Y, axis=0, weights=weights), rtol=1e-9)
    counts = rng.poisson(4.0, 200)
    b = _first_output(ScratchMLPRegressor(loss="poisson"), X, counts)
    np.testing.assert_allclose(b, [np.log(counts.mean())], atol=1e-9)
    # scikit-learn's start draws them instead.
    b = _first_output(ScratchMLPRegressor(weight_init="sklearn"), X, Y)
    assert np.abs(b).max() < 1


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
