"""scikit-learn's callback API (``sklearn.callback``) on both estimators."""

import copy
import pickle
import warnings

import numpy as np
import pytest
from sklearn.callback import ScoringMonitor
from sklearn.datasets import make_classification, make_regression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skact import ScratchMLPClassifier, ScratchMLPRegressor

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


class Recorder:
    """Counts the hooks; scores the model of each step; may ask to stop."""

    def __init__(self, stop_at=None):
        self.stop_at = stop_at
        self.events, self.models = [], []

    def setup(self, estimator, context):
        self.events.append("setup")

    def teardown(self, estimator, context):
        self.events.append("teardown")

    def on_fit_task_begin(self, estimator, context, **kwargs):
        self.events.append(("begin", context.task_name))

    def on_fit_task_end(self, estimator, context, *, fitted_estimator=None, **kw):
        self.events.append(("end", context.task_name))
        if context.task_name != "epoch" or fitted_estimator is None:
            return False
        self.models.append(fitted_estimator)
        return len(self.models) == self.stop_at


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=120, n_features=6, random_state=0)
    return StandardScaler().fit_transform(X), y


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_a_task_per_fit_and_a_step_per_epoch(data, solver):
    recorder = Recorder()
    clf = ScratchMLPClassifier((8,), solver=solver, max_iter=7, random_state=0)
    clf.set_callbacks(recorder).fit(*data)
    assert recorder.events[0] == "setup" and recorder.events[-1] == "teardown"
    assert recorder.events.count(("begin", "fit")) == 1
    assert recorder.events.count(("end", "fit")) == 1
    # L-BFGS's last iteration (whichever ends it) leaves one step open.
    steps = clf.n_iter_ + (solver == "lbfgs")
    assert recorder.events.count(("begin", "epoch")) == steps
    assert recorder.events.count(("end", "epoch")) == steps
    # Each step's model is the model of that moment, not a view of the last.
    assert len(recorder.models) == clf.n_iter_
    first, last = recorder.models[0], recorder.models[-1]
    assert not np.allclose(first.coefs_[0], last.coefs_[0])
    np.testing.assert_array_equal(
        last.predict_proba(data[0]), clf.predict_proba(data[0])
    )
    assert not hasattr(clf, "_callback_fit_ctx")


@pytest.mark.parametrize(
    "solver, early_stopping", [("adam", False), ("sgd", True), ("lbfgs", False)]
)
def test_a_callback_stops_training_cleanly(data, solver, early_stopping):
    clf = ScratchMLPClassifier(
        (8,), solver=solver, max_iter=50, early_stopping=early_stopping,
        random_state=0,
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ConvergenceWarning: it was asked to
        clf.set_callbacks(Recorder(stop_at=3)).fit(*data)
    assert clf.n_iter_ == 3 and len(clf.loss_curve_) == 3
    assert np.all(np.isfinite(clf.predict_proba(data[0])))
    if not early_stopping:
        # The model is the one of the third epoch.
        again = ScratchMLPClassifier(
            (8,), solver=solver, max_iter=3, random_state=0
        ).fit(*data)
        np.testing.assert_allclose(clf.coefs_[0], again.coefs_[0])


def test_scoring_monitor_logs_every_epoch(data):
    monitor = ScoringMonitor(scoring="accuracy")
    clf = ScratchMLPClassifier((8,), max_iter=6, random_state=0)
    clf.set_callbacks(monitor).fit(*data)
    rows = monitor.get_logs().data
    epochs = [row for row in rows if row["task_name"] == "epoch"]
    assert len(epochs) == 6
    assert all(0 <= row["accuracy"] <= 1 for row in epochs)


def test_partial_fit_is_one_task_of_one_step(data):
    recorder = Recorder()
    reg = ScratchMLPRegressor(hidden_layer_sizes=(8,), random_state=0)
    reg.set_callbacks(recorder)
    X, y = make_regression(n_samples=60, n_features=4, random_state=0)
    reg.partial_fit(X, y).partial_fit(X, y)
    assert recorder.events.count(("begin", "partial_fit")) == 2
    assert recorder.events.count(("end", "epoch")) == 2
    assert recorder.events.count("teardown") == 2


def test_callbacks_survive_pickling_and_a_failed_fit(data):
    recorder = Recorder()
    clf = ScratchMLPClassifier((8,), max_iter=3, random_state=0)
    clf.set_callbacks(recorder).fit(*data)
    assert len(pickle.loads(pickle.dumps(clf))._skl_callbacks) == 1
    # A fit that fails puts the estimator back, and still tears down.
    with pytest.raises(ValueError):
        clf.fit(data[0], data[1], sample_weight=np.ones(3))
    assert recorder.events.count("setup") == recorder.events.count("teardown") == 2
    assert not hasattr(clf, "_callback_fit_ctx")


class FailingTeardown(Recorder):
    """A Recorder whose teardown raises, after the fit has put its model in."""

    def teardown(self, estimator, context):
        super().teardown(estimator, context)
        raise RuntimeError("teardown failed")


@pytest.mark.parametrize("fitted", [False, True])
@pytest.mark.parametrize("method", ["fit", "partial_fit"])
def test_a_teardown_that_raises_undoes_the_fit(data, method, fitted):
    X, y = data
    clf = ScratchMLPClassifier((8,), max_iter=3, random_state=0)
    if fitted:
        clf.fit(X, y)
    before = dict(vars(clf))
    optimizer = copy.deepcopy(vars(clf._optimizer)) if fitted else None
    recorder = FailingTeardown()
    clf.set_callbacks(recorder)
    with pytest.raises(RuntimeError, match="teardown failed"):
        if method == "fit":
            clf.fit(X, y)
        else:
            clf.partial_fit(X, y, classes=[0, 1])
    assert recorder.events[-1] == "teardown"  # the call did train
    del clf._skl_callbacks
    assert vars(clf).keys() == before.keys()
    for name in ("coefs_", "loss_curve_", "n_iter_", "t_", "classes_"):
        if fitted:
            assert vars(clf)[name] is before[name]
        else:
            assert name not in vars(clf)
    if fitted:  # partial_fit continues the optimizer: a copy is put back
        for name, value in vars(clf._optimizer).items():
            np.testing.assert_array_equal(value, optimizer[name])


class PropagatedRecorder(Recorder):
    """A Recorder that meta-estimators pass on to the estimators they fit."""

    max_propagation_depth = None  # all the way down


def test_a_diverging_fit_closes_its_tasks_without_a_model():
    recorder = Recorder()
    X, y = make_regression(n_samples=60, n_features=4, random_state=0)
    reg = ScratchMLPRegressor(
        hidden_layer_sizes=(8,), solver="sgd", learning_rate_init=1e6, max_iter=5
    ).set_callbacks(recorder)
    with pytest.raises(ValueError, match="non-finite"):
        reg.fit(X * 1e3, y * 1e6)
    # Every task that began ended; no model with non-finite weights was shown.
    begun = sorted(name for kind, name in recorder.events[1:-1] if kind == "begin")
    ended = sorted(name for kind, name in recorder.events[1:-1] if kind == "end")
    assert begun == ended and "fit" in ended
    assert all(np.all(np.isfinite(m.coefs_[0])) for m in recorder.models)


def test_meta_estimators_propagate_callbacks(data):
    # The estimators support callbacks, so Pipeline and GridSearchCV pass
    # theirs on (as ProgressBar's) instead of warning that they cannot.
    search = GridSearchCV(
        make_pipeline(StandardScaler(), ScratchMLPClassifier((8,), max_iter=5)),
        {"scratchmlpclassifier__activation": ["relu", "tanh"]},
        cv=2,
    )
    recorder = PropagatedRecorder()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search.set_callbacks(recorder).fit(*data)
    assert not [w for w in caught if "does not support callbacks" in str(w.message)]
    # 2 candidates x 2 folds, then the refit: 5 fits of 5 epochs each.
    assert recorder.events.count(("end", "epoch")) == 25


def test_progress_bars_nest_under_a_search(data, capsys):
    pytest.importorskip("rich")
    from sklearn.callback import ProgressBar

    search = GridSearchCV(
        make_pipeline(StandardScaler(), ScratchMLPClassifier((8,), max_iter=5)),
        {"scratchmlpclassifier__activation": ["relu", "tanh"]},
        cv=2,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search.set_callbacks(ProgressBar(max_propagation_depth=None)).fit(*data)
    assert not [w for w in caught if "does not support callbacks" in str(w.message)]
    out = capsys.readouterr()
    shown = out.out + out.err
    assert "ScratchMLPClassifier - fit" in shown
    assert "100%" in shown
