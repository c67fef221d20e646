"""Behaviour of the estimators: scikit-learn parity, activations, dtypes, I/O."""

import os
import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.datasets import load_iris, make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_info

from skact import ScratchMLPClassifier, ScratchMLPRegressor
from skact._lbfgs import _other_blas_single_threaded
from skact.activations import ACTIVATIONS, ELU, LeakyReLU, PReLU

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def classification():
    X, y = make_classification(
        n_samples=240, n_features=8, n_informative=5, n_classes=3, random_state=0
    )
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def binary():
    X, y = make_classification(n_samples=200, n_features=6, random_state=1)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def regression():
    X, y = make_regression(n_samples=200, n_features=5, n_targets=2, random_state=0)
    return X, y / y.std(axis=0)


# --------------------------------------------------------------------------
# Parity with scikit-learn's MLP: same initialisation stream, same shuffling,
# same loss scaling, so the same settings give the same weights.

SKLEARN_PAIRS = [
    (ScratchMLPClassifier, MLPClassifier, "classification"),
    (ScratchMLPClassifier, MLPClassifier, "binary"),
    (ScratchMLPRegressor, MLPRegressor, "regression"),
]


@pytest.mark.parametrize("ours, theirs, data", SKLEARN_PAIRS)
@pytest.mark.parametrize("solver", ["adam", "sgd"])
@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
def test_stochastic_training_matches_sklearn(
    ours, theirs, data, solver, activation, request
):
    X, y = request.getfixturevalue(data)
    sample_weight = np.random.RandomState(0).uniform(0.5, 2, X.shape[0])
    params = dict(
        hidden_layer_sizes=(7, 5),
        activation=activation,
        solver=solver,
        alpha=0.01,
        batch_size=50,
        learning_rate_init=0.01,
        learning_rate="invscaling" if solver == "sgd" else "constant",
        max_iter=5,
        random_state=3,
    )
    a = ours(weight_init="sklearn", **params).fit(X, y, sample_weight=sample_weight)
    b = theirs(**params).fit(X, y, sample_weight=sample_weight)
    np.testing.assert_allclose(a.loss_curve_, b.loss_curve_, rtol=1e-9)
    for mine, ref in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_):
        np.testing.assert_allclose(mine, ref, rtol=1e-8, atol=1e-12)
    assert a.n_iter_ == b.n_iter_ and a.t_ == b.t_
    assert a.out_activation_ == b.out_activation_
    assert a.n_layers_ == b.n_layers_ and a.n_outputs_ == b.n_outputs_


@pytest.mark.parametrize("ours, theirs, data", SKLEARN_PAIRS)
def test_lbfgs_matches_sklearn(ours, theirs, data, request):
    X, y = request.getfixturevalue(data)
    if data == "regression":
        y = y[:, 0]  # scikit-learn's multi-output L-BFGS loss is not its gradient's
    params = dict(hidden_layer_sizes=(6,), solver="lbfgs", max_iter=15, random_state=0)
    a = ours(weight_init="sklearn", **params).fit(X, y)
    b = theirs(**params).fit(X, y)
    assert a.loss_ == pytest.approx(b.loss_, rel=1e-6)
    assert a.n_iter_ == b.n_iter_
    for mine, ref in zip(a.coefs_, b.coefs_):
        np.testing.assert_allclose(mine, ref, rtol=1e-5, atol=1e-8)


def test_constructor_matches_sklearn():
    import inspect

    for ours, theirs in [
        (ScratchMLPClassifier, MLPClassifier),
        (ScratchMLPRegressor, MLPRegressor),
    ]:
        a = inspect.signature(ours.__init__).parameters
        b = inspect.signature(theirs.__init__).parameters
        # scikit-learn's parameters first, in order; skact's own after them,
        # keyword-only.
        assert list(a)[: len(b)] == list(b)
        assert all(a[k].default == b[k].default for k in b)
        assert all(a[k].kind == b[k].kind for k in b)
        extra = [k for k in a if k not in b]
        assert all(a[k].kind == inspect.Parameter.KEYWORD_ONLY for k in extra)


# --------------------------------------------------------------------------
# Activations as hyperparameters


def test_every_activation_fits(classification):
    X, y = classification
    for name in ACTIVATIONS:
        clf = ScratchMLPClassifier(
            (10,), activation=name, learning_rate_init=0.01, max_iter=50, random_state=0
        )
        clf.fit(X, y)
        assert clf.score(X, y) > 0.7, name


def test_grid_search_over_activations_and_learning_rates_in_pipeline(classification):
    X, y = classification
    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            ("mlp", ScratchMLPClassifier((8,), max_iter=20, random_state=0)),
        ]
    )
    grid = {
        "mlp__activation": sorted(ACTIVATIONS),
        "mlp__learning_rate_init": [1e-3, 1e-2],
    }
    search = GridSearchCV(pipe, grid, cv=2, n_jobs=2).fit(X, y)
    assert len(search.cv_results_["params"]) == 2 * len(ACTIVATIONS)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert search.best_score_ > 0.5


def test_nested_activation_parameters_in_grid_search(binary):
    X, y = binary
    est = ScratchMLPClassifier((6,), max_iter=20, random_state=0)
    search = GridSearchCV(
        est,
        {"activation": [LeakyReLU()], "activation__negative_slope": [0.01, 0.1, 0.3]},
        cv=2,
    ).fit(X, y)
    slopes = [p["activation__negative_slope"] for p in search.cv_results_["params"]]
    assert slopes == [0.01, 0.1, 0.3]
    assert search.best_estimator_.activation.negative_slope in slopes
    # The user's grid object is left as it was.
    assert search.param_grid["activation"][0] == LeakyReLU()

    mixed = GridSearchCV(
        est, {"activation": ["relu", LeakyReLU(0.2), ELU(0.5)]}, cv=2
    ).fit(X, y)
    assert len(mixed.cv_results_["params"]) == 3


def test_nested_params_are_visible_and_settable():
    est = ScratchMLPClassifier(activation=ELU(alpha=0.5))
    assert est.get_params()["activation__alpha"] == 0.5
    est.set_params(activation__alpha=2.0)
    assert est.activation.alpha == 2.0
    assert "ELU(alpha=2.0)" in repr(est)
    assert clone(est).activation == ELU(alpha=2.0)
    assert clone(est).activation is not est.activation


def test_per_layer_activations(classification):
    X, y = classification
    clf = ScratchMLPClassifier(
        (8, 6, 4), activation=["relu", LeakyReLU(0.2), "tanh"], max_iter=30
    ).fit(X, y)
    assert [type(a).__name__ for a in clf.activations_] == ["ReLU", "LeakyReLU", "Tanh"]
    assert clf.activations_[1].negative_slope == 0.2
    with pytest.raises(ValueError, match="one activation per hidden layer"):
        ScratchMLPClassifier((8, 6), activation=["relu"]).fit(X, y)


def test_unknown_activation_lists_the_valid_names(binary):
    with pytest.raises(ValueError, match="leaky_relu"):
        ScratchMLPClassifier(activation="lekay_relu").fit(*binary)


def test_prelu_slopes_are_learned_and_stored(binary):
    X, y = binary
    clf = ScratchMLPClassifier(
        (6, 4), activation=PReLU(init=0.25), max_iter=50, random_state=0
    ).fit(X, y)
    slopes = clf.activation_params_
    assert [s.shape for s in slopes] == [(6,), (4,)]
    assert not np.allclose(slopes[0], 0.25)
    # The activation object the user passed is not modified by the fit.
    assert clf.activation.init == 0.25
    # The learned slopes are used by predict.
    before = clf.predict_proba(X)
    slopes[0][...] = 0.9
    assert not np.allclose(clf.predict_proba(X), before)


def test_fitted_model_does_not_follow_later_set_params(binary):
    X, y = binary
    act = LeakyReLU(0.1)
    clf = ScratchMLPClassifier((5,), activation=act, max_iter=20, random_state=0)
    proba = clf.fit(X, y).predict_proba(X)
    act.set_params(negative_slope=0.9)
    np.testing.assert_array_equal(clf.predict_proba(X), proba)


# --------------------------------------------------------------------------
# Outputs, targets, dtypes


def test_classifier_outputs(classification, binary):
    X, y = classification
    clf = ScratchMLPClassifier((10,), max_iter=50, random_state=0).fit(X, y)
    assert clf.out_activation_ == "softmax"
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    np.testing.assert_allclose(np.exp(clf.predict_log_proba(X)), proba, rtol=1e-10)
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(X))

    Xb, yb = binary
    clf = ScratchMLPClassifier((10,), max_iter=50, random_state=0).fit(Xb, yb)
    assert clf.out_activation_ == "logistic"
    proba = clf.predict_proba(Xb)
    assert proba.shape == (len(yb), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    np.testing.assert_allclose(np.exp(clf.predict_log_proba(Xb)), proba, rtol=1e-10)


def test_multilabel_and_string_labels(binary):
    X, y = binary
    Y = np.column_stack([y, 1 - y, (X[:, 0] > 0).astype(int)])
    clf = ScratchMLPClassifier((10,), learning_rate_init=0.01, random_state=0)
    clf.fit(X, Y)
    assert clf.out_activation_ == "logistic"
    assert clf.predict(X).shape == Y.shape
    assert clf.predict_proba(X).shape == Y.shape
    assert (clf.predict(X) == Y).mean() > 0.8

    labels = np.array(["spam", "ham"])[y]
    clf = ScratchMLPClassifier((10,), max_iter=50, random_state=0).fit(X, labels)
    assert set(clf.predict(X)) <= {"spam", "ham"}
    assert list(clf.classes_) == ["ham", "spam"]


def test_multi_output_regression_and_poisson(regression):
    X, y = regression
    reg = ScratchMLPRegressor(
        hidden_layer_sizes=(20,), solver="lbfgs", max_iter=200, random_state=0
    )
    assert reg.fit(X, y).predict(X).shape == y.shape
    assert reg.score(X, y) > 0.9
    counts = np.random.RandomState(0).poisson(np.exp(X[:, 0] / 2))
    pois = ScratchMLPRegressor(loss="poisson", solver="lbfgs", max_iter=100)
    pred = pois.fit(X, counts).predict(X)
    assert pois.out_activation_ == "exp" and np.all(pred > 0)
    with pytest.raises(ValueError, match="negative"):
        pois.fit(X, counts - 5)


@pytest.mark.parametrize("Estimator", [ScratchMLPClassifier, ScratchMLPRegressor])
@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_float32_is_kept(Estimator, solver, binary):
    X, y = binary
    est = Estimator(hidden_layer_sizes=(5,), solver=solver, max_iter=10, random_state=0)
    est.fit(X.astype(np.float32), y)
    assert all(c.dtype == np.float32 for c in est.coefs_ + est.intercepts_)
    assert est.predict(X.astype(np.float32)).dtype in (np.float32, y.dtype)
    if hasattr(est, "predict_proba"):
        assert est.predict_proba(X.astype(np.float32)).dtype == np.float32
    # float32 gives nearly the float64 model.
    est64 = clone(est).fit(X, y)
    np.testing.assert_allclose(est.coefs_[0], est64.coefs_[0], rtol=1e-2, atol=1e-3)


@pytest.mark.parametrize("fmt", [sp.csr_matrix, sp.csc_matrix, sp.csr_array])
def test_sparse_input_gives_the_dense_model(fmt, binary):
    X, y = binary
    X = np.where(X > 0.5, X, 0)
    params = dict(hidden_layer_sizes=(5,), max_iter=10, random_state=0)
    dense = ScratchMLPClassifier(**params).fit(X, y)
    sparse = ScratchMLPClassifier(**params).fit(fmt(X), y)
    np.testing.assert_allclose(sparse.coefs_[0], dense.coefs_[0], rtol=1e-10)
    np.testing.assert_allclose(sparse.predict_proba(fmt(X)), dense.predict_proba(X))


# --------------------------------------------------------------------------
# The model is coefs_ and intercepts_


def test_same_random_state_gives_identical_weights(classification):
    X, y = classification
    for solver in ("adam", "sgd", "lbfgs"):
        est = ScratchMLPClassifier((6,), solver=solver, max_iter=10, random_state=7)
        a, b = clone(est).fit(X, y), clone(est).fit(X, y)
        for ca, cb in zip(a.coefs_, b.coefs_):
            np.testing.assert_array_equal(ca, cb)
    c = clone(est).set_params(random_state=8).fit(X, y)
    assert not np.array_equal(a.coefs_[0], c.coefs_[0])


def test_edited_and_unpickled_weights_are_honoured(binary):
    X, y = binary
    clf = ScratchMLPClassifier((5,), max_iter=20, random_state=0).fit(X, y)
    clf.intercepts_[-1][...] = 50.0  # in place
    assert np.all(clf.predict(X) == clf.classes_[1])
    clf.intercepts_[-1] = np.array([-50.0])  # replaced
    assert np.all(clf.predict(X) == clf.classes_[0])

    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    # partial_fit continues from the unpickled (no longer shared) arrays.
    restored.partial_fit(X, y)
    assert restored.intercepts_[-1][0] > -50.5 and restored.intercepts_[-1][0] < -49
    assert np.shares_memory(restored.coefs_[0], restored.intercepts_[0]) is False


@pytest.mark.parametrize("early_stopping", [False, True])
def test_states_pickled_before_the_stopping_rule_continue_alike(
    classification, early_stopping
):
    # Estimators pickled by an earlier skact kept the stopping rule's state in
    # attributes of their own; a warm start from such a state continues as
    # from the estimator that was pickled.
    X, y = classification
    est = ScratchMLPClassifier(
        (6,), early_stopping=early_stopping, n_iter_no_change=2, max_iter=15,
        warm_start=True, random_state=0,
    ).fit(X, y)  # fmt: skip
    state = dict(est.__getstate__())
    rule = state.pop("_stopping")  # saved as a dict of its attributes
    state.update(
        _no_improvement_count=rule["count"],
        _best_val_loss=rule["best_val_loss"],
        _best_params=rule["best_params"],
    )
    old = ScratchMLPClassifier.__new__(ScratchMLPClassifier)
    old.__setstate__(pickle.loads(pickle.dumps(state)))
    assert "_best_params" not in vars(old)
    for model in (est, old):
        model.fit(X, y)
    np.testing.assert_array_equal(old.coefs_[0], est.coefs_[0])
    assert old.loss_curve_ == est.loss_curve_
    assert old.validation_scores_ == est.validation_scores_
    assert old.best_loss_ == est.best_loss_
    assert old.n_iter_ == est.n_iter_


def test_partial_fit_and_warm_start(classification):
    X, y = classification
    clf = ScratchMLPClassifier((8,), random_state=0)
    for _ in range(3):
        clf.partial_fit(X, y, classes=np.unique(y))
    assert clf.t_ == 3 * len(y)
    with pytest.raises(ValueError, match="classes must be passed"):
        ScratchMLPClassifier().partial_fit(X, y)
    assert not hasattr(ScratchMLPClassifier(solver="lbfgs"), "partial_fit")
    assert not hasattr(ScratchMLPRegressor(solver="lbfgs"), "partial_fit")

    warm = ScratchMLPClassifier((8,), max_iter=5, warm_start=True, random_state=0)
    warm.fit(X, y)
    loss_first = warm.loss_
    warm.fit(X, y)
    assert warm.loss_ < loss_first
    # Switching solver or early stopping on a warm start continues the model.
    coefs = warm.coefs_[0].copy()
    warm.set_params(solver="lbfgs", max_iter=3).fit(X, y)
    assert not np.array_equal(warm.coefs_[0], coefs)
    warm.set_params(solver="adam", early_stopping=True).fit(X, y)
    assert len(warm.validation_scores_) == warm.n_iter_
    with pytest.raises(ValueError, match="hidden_layer_sizes changed"):
        warm.set_params(hidden_layer_sizes=(9,)).fit(X, y)


def test_early_stopping(classification):
    X, y = classification
    clf = ScratchMLPClassifier(
        (10,), early_stopping=True, n_iter_no_change=3, max_iter=300, random_state=0
    ).fit(X, y)
    assert clf.best_loss_ is None
    assert len(clf.validation_scores_) == clf.n_iter_ < 300
    # The kept model's score: the best one, or within tol of it with a lower
    # validation loss.
    assert clf.best_validation_score_ in clf.validation_scores_
    assert clf.best_validation_score_ > max(clf.validation_scores_) - clf.tol
    assert len(clf.history_["val_loss"]) == clf.n_iter_


@pytest.mark.filterwarnings("ignore:Got `batch_size`")  # one full batch, on purpose
def test_early_stopping_treats_weights_as_repetitions(classification):
    X, y = classification
    weights = np.random.RandomState(0).randint(0, 4, len(y))
    params = dict(
        hidden_layer_sizes=(5,), early_stopping=True, max_iter=8, batch_size=1000,
        random_state=0,
    )  # fmt: skip
    weighted = ScratchMLPClassifier(**params).fit(X, y, sample_weight=weights)
    repeated = ScratchMLPClassifier(**params).fit(
        np.repeat(X, weights, axis=0), np.repeat(y, weights)
    )
    np.testing.assert_allclose(weighted.validation_scores_, repeated.validation_scores_)
    np.testing.assert_allclose(
        weighted.predict_proba(X), repeated.predict_proba(X), rtol=1e-7
    )


def test_verbose_prints_the_loss(binary, capsys):
    X, y = binary
    ScratchMLPClassifier((4,), max_iter=3, verbose=True).fit(X, y)
    assert capsys.readouterr().out.count("loss = ") == 3
    ScratchMLPClassifier((4,), solver="lbfgs", max_iter=3, verbose=True).fit(X, y)
    assert "Iteration 1, loss = " in capsys.readouterr().out


def test_convergence_warning(binary):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        for solver in ("adam", "lbfgs"):
            with pytest.raises(ConvergenceWarning):
                ScratchMLPClassifier((4,), solver=solver, max_iter=2).fit(*binary)


@pytest.mark.parametrize("solver", ["sgd", "lbfgs"])
def test_divergence_raises_and_leaves_no_nan(solver):
    X, y = load_iris(return_X_y=True)
    reg = ScratchMLPRegressor(
        hidden_layer_sizes=(20,),
        activation="identity",
        solver=solver,
        learning_rate_init=1.0,
        momentum=0.0,
        max_iter=50,
    )
    with pytest.raises(ValueError, match="non-finite"):
        reg.fit(X * 1e200, y)
    assert not hasattr(reg, "coefs_")
    # After a good fit, a diverging partial_fit keeps the previous weights.
    reg.set_params(learning_rate_init=1e-3, solver="sgd").fit(X, y)
    before = [c.copy() for c in reg.coefs_]
    with pytest.raises(ValueError, match="non-finite"):
        reg.set_params(learning_rate_init=1.0).partial_fit(X * 1e200, y)
    for old, new in zip(before, reg.coefs_):
        np.testing.assert_array_equal(old, new)


def test_input_is_not_modified(binary):
    X, y = binary
    X_copy, y_copy, w = X.copy(), y.copy(), np.ones(len(y))
    ScratchMLPClassifier((4,), max_iter=3).fit(X, y, sample_weight=w)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y, y_copy)
    np.testing.assert_array_equal(w, 1)


def test_lbfgs_runs_other_blas_libraries_on_one_thread():
    # SciPy's own BLAS (called by L-BFGS-B) is limited to one thread during
    # the fit; NumPy's, which runs the network's products, and the other
    # thread pools are left alone, and all get their thread counts back.
    def threads():
        return {i["filepath"]: i["num_threads"] for i in threadpool_info()}

    blas = [i["filepath"] for i in threadpool_info() if i["user_api"] == "blas"]
    numpy_libs = os.path.dirname(np.__file__) + ".libs"
    ours = [path for path in blas if os.path.dirname(path) == numpy_libs]
    before = threads()
    with _other_blas_single_threaded():
        during = threads()
    assert threads() == before
    limited = [path for path in blas if ours and path not in ours]
    for path, n_threads in during.items():
        assert n_threads == (1 if path in limited else before[path])


@pytest.mark.parametrize(
    "y",
    [
        np.array([3, 1, 2, 3, 1, 2, 2]),
        np.array(["b", "a", "a", "b", "b", "a", "a"]),
        np.array([1.0, -1.0, 1.0, 2.0, -1.0, 2.0, 1.0]),
        np.array([[1, 0, 1], [0, 1, 0], [1, 1, 0], [0, 0, 1]] * 2)[:7],
    ],
    ids=["multiclass", "binary strings", "float labels", "multilabel"],
)
def test_targets_are_the_label_binarizers_as_booleans(y):
    from sklearn.preprocessing import LabelBinarizer

    clf = ScratchMLPClassifier(hidden_layer_sizes=(3,), max_iter=1)
    clf.fit(np.arange(14.0).reshape(7, 2), y)
    expected = LabelBinarizer().fit(y).transform(y).astype(bool)
    Y = clf._indicator(y)
    assert Y.dtype == bool
    np.testing.assert_array_equal(Y, expected)


@pytest.mark.parametrize("early_stopping", [False, True])
def test_states_pickled_before_step_size_continue_alike(classification, early_stopping):
    # Estimators pickled before history_ had "step_size" recorded adam's
    # bias-corrected step as "learning_rate", and their Adam kept that step in
    # its learning_rate; a partial_fit after an early-stopping fit left the
    # validation entries short. Such a state continues as a new one does.
    X, y = classification
    est = ScratchMLPClassifier(
        (6,), early_stopping=early_stopping, n_iter_no_change=50, max_iter=5,
        random_state=0,
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X, y)
    est.partial_fit(X, y)
    state = dict(est.__getstate__())
    history = state["history_"] = dict(state["history_"])
    history["learning_rate"] = history.pop("step_size")
    optimizer = state["_optimizer"] = dict(state["_optimizer"])
    optimizer["learning_rate"] = optimizer.pop("_step_size")
    if early_stopping:  # validation entries for the fit's epochs only
        history["val_loss"] = history["val_loss"][:-1]
        history["val_score"] = history["val_score"][:-1]
    old = ScratchMLPClassifier.__new__(ScratchMLPClassifier)
    old.__setstate__(pickle.loads(pickle.dumps(state)))
    for model in (est, old):
        model.partial_fit(X, y)
    np.testing.assert_array_equal(old.coefs_[0], est.coefs_[0])
    np.testing.assert_equal(old.history_, est.history_)


# -- scikit-learn's names ------------------------------------------------------


@pytest.mark.parametrize(
    "name, base", [("MLPClassifier", "ScratchMLPClassifier"),
                   ("MLPRegressor", "ScratchMLPRegressor")],
)  # fmt: skip
def test_sklearn_names_read_as_sklearn(name, base):
    """skact.MLPClassifier is the estimator under scikit-learn's name.

    Code written for scikit-learn keeps its make_pipeline parameter keys, and
    what it prints reads as before.
    """
    from sklearn.pipeline import make_pipeline

    import skact

    cls = getattr(skact, name)
    assert cls.__name__ == name and issubclass(cls, getattr(skact, base))
    pipe = make_pipeline(StandardScaler(), cls(max_iter=5))
    assert pipe.steps[1][0] == name.lower()
    pipe.set_params(**{f"{name.lower()}__activation": "elu"})
    assert repr(cls(activation="elu")) == f"{name}(activation='elu')"
    html = cls()._repr_html_()
    assert f">{name}<" in html.replace("&nbsp;", "") and base not in html
    with pytest.raises(Exception, match=f"This {name} instance is not fitted"):
        cls().predict(np.zeros((1, 2)))
    assert type(pickle.loads(pickle.dumps(cls()))) is cls
    assert type(clone(cls())) is cls


def test_sklearn_name_grid_search_runs_unchanged(classification):
    """A make_pipeline grid written for scikit-learn's MLP fits after the swap."""
    from sklearn.pipeline import make_pipeline

    from skact import MLPClassifier as SkactMLP

    X, y = classification
    grids = {}
    for cls in (MLPClassifier, SkactMLP):
        search = GridSearchCV(
            make_pipeline(StandardScaler(), cls(max_iter=20, random_state=0)),
            {"mlpclassifier__activation": ["relu", "tanh"]},
            cv=2,
        )
        grids[cls] = search.fit(X, y).best_params_
    assert set(grids[SkactMLP]) == set(grids[MLPClassifier])
