"""Grid searches scaled out to a dask.distributed cluster, custom activation included.

A ``GridSearchCV`` run under ``joblib.parallel_config(backend="dask")`` fits its
candidates in the worker processes of a two-worker ``LocalCluster``; with an
integer ``random_state`` its scores must be exactly those of the same search
on one process. One of the activations is a custom class from a module of its
own (``tests/scale_out_activations.py``), which the workers receive pickled by
reference and must import by its name. Skipped without ``dask[distributed]``.
"""

import importlib
import os
import pickle
import sys
from pathlib import Path

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skact import ScratchMLPClassifier
from skact.activations import LeakyReLU

distributed = pytest.importorskip("dask.distributed")
dask = pytest.importorskip("dask")

# 20 epochs is a budget, not a convergence criterion.
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

HERE = Path(__file__).resolve().parent
MODULE = "scale_out_activations"  # tests/scale_out_activations.py, by name

X, y = load_digits(return_X_y=True)
X, y = X[:300], y[:300]


@pytest.fixture(scope="module")
def activations():
    """The custom activation's module, imported by name from this folder.

    The folder goes on ``sys.path`` before the cluster starts: the workers are
    spawned by multiprocessing, which hands them the parent's ``sys.path``.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(HERE))
        yield importlib.import_module(MODULE)


@pytest.fixture(scope="module")
def client(activations, tmp_path_factory):
    """A Client of a two-process LocalCluster, closed whatever happens.

    Shared by the tests of this file: starting and stopping one took 1 to 4 s
    on two cores, and each new worker imports scikit-learn and skact once.
    """
    scratch = tmp_path_factory.mktemp("dask")
    with (
        dask.config.set({"temporary-directory": str(scratch)}),
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def unpickled_on_workers(client):
    """ISRU objects the workers have rebuilt from pickles so far, in all."""
    counts = client.run(lambda: getattr(sys.modules.get(MODULE), "unpickled", 0))
    return sum(counts.values())


def make_search(custom_activation):
    """The search: 4 activations, the custom one included, x 2 learning rates."""
    grid = {
        "scratchmlpclassifier__activation": [
            "relu",
            "tanh",
            LeakyReLU(negative_slope=0.2),
            custom_activation,
        ],
        "scratchmlpclassifier__learning_rate_init": [1e-3, 1e-2],
    }
    model = make_pipeline(
        StandardScaler(),
        ScratchMLPClassifier(hidden_layer_sizes=(16,), max_iter=20, random_state=0),
    )
    return GridSearchCV(model, grid, cv=3, refit=False, error_score="raise")


@pytest.mark.slow
def test_dask_search_scores_identical_to_one_process(client, activations):
    isru = activations.ISRU(alpha=0.5)
    assert type(isru).__module__ == MODULE

    # The workers are two processes other than this one.
    pids = client.run(os.getpid)
    assert len(set(pids.values())) == 2
    assert os.getpid() not in pids.values()

    sequential = make_search(isru).set_params(n_jobs=1).fit(X, y)
    before = unpickled_on_workers(client)
    with parallel_config(backend="dask"):
        scaled = make_search(isru).fit(X, y)

    results, expected = scaled.cv_results_, sequential.cv_results_
    keys = ["mean_test_score", "std_test_score", "rank_test_score"]
    keys += [f"split{i}_test_score" for i in range(3)]
    for key in keys:
        assert np.array_equal(results[key], expected[key]), key
    assert np.all(np.isfinite(results["mean_test_score"]))

    # The custom activation was a candidate (one per learning rate)...
    used = [p["scratchmlpclassifier__activation"] for p in results["params"]]
    assert used.count(activations.ISRU(alpha=0.5)) == 2
    # ...and reached the workers, which rebuilt it from its pickle after
    # importing its module, from this folder, by name.
    assert unpickled_on_workers(client) > before
    files = client.run(lambda: getattr(sys.modules.get(MODULE), "__file__", None))
    imported = [Path(f).resolve() for f in files.values() if f is not None]
    assert imported
    assert all(f == HERE / f"{MODULE}.py" for f in imported)


def test_fitted_custom_activation_round_trips_through_a_worker(client, activations):
    model = make_pipeline(
        StandardScaler(),
        ScratchMLPClassifier(
            hidden_layer_sizes=(16,),
            activation=activations.ISRU(alpha=0.5),
            max_iter=20,
            random_state=0,
        ),
    ).fit(X, y)
    expected, expected_proba = model.predict(X), model.predict_proba(X)

    # Pickled by reference: the module's name, not the class's code.
    payload = pickle.dumps(model)
    assert MODULE.encode() in payload
    restored = pickle.loads(payload)
    assert np.array_equal(restored.predict(X), expected)

    before = unpickled_on_workers(client)
    remote = client.submit(lambda m, X: m.predict(X), restored, X).result()
    assert np.array_equal(remote, expected)
    assert unpickled_on_workers(client) > before
    remote_proba = client.submit(lambda m, X: m.predict_proba(X), model, X).result()
    assert np.array_equal(remote_proba, expected_proba)
    # The model sent to a worker and back predicts alike here.
    returned = client.submit(lambda m: m, model).result()
    assert returned is not model
    assert np.array_equal(returned.predict_proba(X), expected_proba)
