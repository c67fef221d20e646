"""Check that skact's behaviour is unchanged against an earlier commit (issue 20).

A refactor of skact's internals must leave every observable result alike. This
script fits the same configurations (205 when written: every solver, learning-rate
schedule and momentum setting, every built-in activation, user-defined ones and
per-layer lists, dropout, early stopping, warm starts, partial_fit sequences,
float32 and sparse input, sample and class weights, penalties, batch sizes,
weight inits, verbose output, convergence warnings, diverging and failing fits,
scikit-learn callbacks) under the code of a commit REV and under the current
working tree, and compares, after every call of every configuration:

- every fitted attribute (the public names ending in ``_``, in ``vars(est)``
  or as properties of the class; ``history_`` in full), deeply and exactly:
  arrays by dtype, shape and ``np.array_equal(..., equal_nan=True)``, every
  other value by type and value (NaN equal to NaN);
- ``predict``, ``predict_proba``, ``predict_log_proba``, ``decision_function``
  and ``score`` (where the estimator has them) on fixed rows;
- the warnings raised (category name and message), the printed output, and
  the exception (type and message) if the call raises;
- what the callbacks saw (a recording callback's events and per-epoch models,
  ``ScoringMonitor``'s logs, ``ProgressBar``'s output);
- the state of a ``random_state`` given as a ``RandomState``, after the call.

Pickles: each estimator fitted under REV is pickled there; the pickle is loaded
and continued (``partial_fit`` on more rows, then ``fit`` with
``warm_start=True`` for two more epochs; lbfgs: the warm fit only) under REV
and, separately, under the current tree, and the two compared as above.

Usage, from anywhere in the repository::

    python benchmarks/check_unchanged.py                 # against HEAD
    python benchmarks/check_unchanged.py --against e60b8ce

It adds a temporary ``git worktree`` of REV, runs itself in "record" mode in
a subprocess with ``PYTHONPATH`` set to that worktree (and checks that
``skact`` is imported from there), then again with the repository root, and
compares the two records. It prints one line per configuration that differs
(the call and the fields), then ``N configurations, M identical`` and
``pickles: N loaded and continued alike``, and exits with status 1 if
anything differs (2 if a run fails). About a minute on 2 cores.

Non-deterministic output, masked on both sides before comparing (nothing
else is excluded):

- ``verbose=True`` prints each epoch's wall-clock time, ``(0.003 s)``: the
  digits become ``(#.### s)``;
- ``ProgressBar`` prints the elapsed time, ``0:00:00``: it becomes ``h:mm:ss``;
- ``ScoringMonitor``'s log has a run id and a timestamp: only its rows
  (``get_logs().data``) are compared;
- the path of the code under test (the worktree or the repository root) is
  replaced by ``<ROOT>`` in any message or output.

Both runs set ``PYTHONHASHSEED=0`` and one BLAS/OpenMP thread, so that set
orders in messages and the matrix products are the same from run to run.
"""

import argparse
import contextlib
import io
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.datasets import (
    load_digits,
    load_iris,
    make_multilabel_classification,
    make_regression,
)
from sklearn.preprocessing import StandardScaler

import skact
from skact.activations import (
    ACTIVATIONS,
    ELU,
    GELU,
    Activation,
    LeakyReLU,
    PReLU,
    ReLU,
    Softplus,
)

try:  # scikit-learn's experimental callback API (1.9 and later)
    from sklearn.callback import ProgressBar, ScoringMonitor
except ImportError:  # pragma: no cover - older scikit-learn
    ProgressBar = ScoringMonitor = None

REPO_ROOT = Path(__file__).resolve().parent.parent

WEIGHT_INITS = (
    "auto",
    "sklearn",
    "glorot_uniform",
    "glorot_normal",
    "he_uniform",
    "he_normal",
    "lecun_normal",
)

PREDICTION_ROWS = 40

CLASSIFICATION = ("binary", "iris", "digits", "multilabel", "digits_sparse")


# ----------------------------------------------------------------------
# User-defined activations and callbacks (module level, so that they pickle)


class Softsign(Activation):
    """A user-defined activation without parameters: z / (1 + |z|)."""

    name = "softsign"

    def __call__(self, z):
        z = np.asarray(z)
        return z / (1 + np.abs(z))

    def derivative(self, z, a=None):
        z = np.asarray(z)
        return 1 / (1 + np.abs(z)) ** 2


class ScaledTanh(Activation):
    """A user-defined activation with a checked parameter: scale * tanh(z)."""

    parameter_ranges = {"scale": (0, None, "neither")}

    def __init__(self, scale=1.0):
        self.scale = scale

    def __call__(self, z):
        return self.scale * np.tanh(np.asarray(z))

    def derivative(self, z, a=None):
        return self.scale * (1 - np.tanh(np.asarray(z)) ** 2)


class Recorder:
    """A callback recording its hooks and the model of each epoch.

    With ``stop_at``, it asks training to stop after that many epochs.
    """

    def __init__(self, stop_at=None):
        self.stop_at = stop_at
        self.events = []

    def setup(self, estimator, context):
        self.events.append(("setup",))

    def teardown(self, estimator, context):
        self.events.append(("teardown",))

    def on_fit_task_begin(self, estimator, context, **kwargs):
        self.events.append(("begin", context.task_name))

    def on_fit_task_end(self, estimator, context, *, fitted_estimator=None, **kw):
        if fitted_estimator is None:
            self.events.append(("end", context.task_name, None))
            return False
        model = {
            name: normalized(getattr(fitted_estimator, name, None))
            for name in ("coefs_", "intercepts_", "n_iter_", "t_", "loss_")
        }
        self.events.append(("end", context.task_name, model))
        epochs = sum(event[:2] == ("end", "epoch") for event in self.events)
        return context.task_name == "epoch" and epochs == self.stop_at


def make_callbacks(kind):
    """The callbacks of a configuration, or None if unavailable here."""
    if kind == "recorder":
        return [Recorder()]
    if kind == "stopper":
        return [Recorder(stop_at=3)]
    if ScoringMonitor is None:
        return None
    if kind == "scoring_accuracy":
        return [ScoringMonitor(scoring="accuracy")]
    if kind == "scoring_r2":
        return [ScoringMonitor(scoring="r2")]
    if kind == "progress":
        return [ProgressBar()]
    raise ValueError(kind)


def observe_callbacks(est):
    """What the estimator's callbacks saw since the last call (then forgotten)."""
    seen = []
    for callback in getattr(est, "_skl_callbacks", None) or ():
        if isinstance(callback, Recorder):
            seen.append(("Recorder", callback.events))
            callback.events = []
        elif ScoringMonitor is not None and isinstance(callback, ScoringMonitor):
            logs = callback.get_logs()
            rows = [] if logs is None else normalized(logs.data)
            seen.append(("ScoringMonitor", rows))
        else:
            seen.append((type(callback).__name__,))  # ProgressBar: stdout
    return seen


# ----------------------------------------------------------------------
# Data


def load_data():
    """The data sets by name: (X, y), rows in a fixed shuffled order."""
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    digits_X, digits_y = load_digits(return_X_y=True)
    digits_X, digits_y = digits_X[:240] / 16, digits_y[:240]
    ml_X, ml_y = make_multilabel_classification(
        n_samples=150, n_features=8, n_classes=4, random_state=0
    )
    reg_X, reg_y = make_regression(200, 6, noise=5.0, random_state=0)
    multi_X, multi_y = make_regression(200, 6, n_targets=3, noise=5.0, random_state=1)
    rng = np.random.RandomState(0)
    pois_X = rng.normal(size=(200, 4))
    pois_y = rng.poisson(np.exp(0.5 * pois_X[:, 0] + 0.3 * pois_X[:, 1]))
    data = {
        "binary": (X, np.where(y == 2, "virginica", "other")),
        "iris": (X, y),
        "digits": (digits_X, digits_y),
        "digits_sparse": (sp.csr_matrix(digits_X), digits_y),
        "multilabel": (StandardScaler().fit_transform(ml_X), ml_y),
        "reg": (StandardScaler().fit_transform(reg_X), reg_y / reg_y.std()),
        "reg_multi": (multi_X, multi_y / multi_y.std(axis=0)),
        "reg_sparse": (sp.csr_matrix(reg_X), reg_y / reg_y.std()),
        "poisson": (pois_X, pois_y.astype(float)),
    }
    shuffled = {}
    for name, (X, y) in data.items():
        order = np.random.RandomState(1).permutation(X.shape[0])
        shuffled[name] = (X[order], y[order])
    return shuffled


def sample_weights(scheme, n):
    """Sample weights of a named scheme for n rows."""
    if scheme == "int":  # integers, zeros among them
        return np.random.RandomState(1).randint(0, 4, n)
    if scheme == "float":
        return np.random.RandomState(2).uniform(0.2, 3.0, n)
    if scheme == "half_zero":
        return np.tile([1.5, 0.0], n // 2 + 1)[:n]
    if scheme == "zeros":
        return np.zeros(n)
    raise ValueError(scheme)


# ----------------------------------------------------------------------
# Configurations


@dataclass
class Config:
    """One configuration: an estimator, its data and the calls made on it."""

    name: str
    data: str
    params: dict
    steps: tuple
    dtype: str = "float64"
    callbacks: str = None
    alias: bool = False
    private: dict = field(default_factory=dict)

    @property
    def classifier(self):
        return self.data in CLASSIFICATION


def fit(**kw):
    """A ``fit`` call; ``rows`` (a slice or "drop_last_class"), ``weights``."""
    return ("fit", kw)


def partial(**kw):
    """A ``partial_fit`` call; as `fit`, and ``classes=True`` for all classes."""
    return ("partial_fit", kw)


def set_params(**kw):
    """A ``set_params`` call."""
    return ("set_params", kw)


def config(
    name,
    data,
    *steps,
    dtype="float64",
    callbacks=None,
    alias=False,
    private=None,
    **params,
):
    """A `Config` with small defaults: one hidden layer of 8, 12 epochs."""
    params = {
        "hidden_layer_sizes": (8,),
        "max_iter": 12,
        "random_state": 0,
        "learning_rate_init": 0.01,
        **params,
    }
    return Config(
        name,
        data,
        params,
        steps or (fit(),),
        dtype,
        callbacks,
        alias,
        private or {},
    )


def solver_grid():
    """Every solver on every task."""
    tasks = ("binary", "iris", "digits", "multilabel", "reg", "reg_multi")
    for data in tasks:
        for solver in ("sgd", "adam", "lbfgs"):
            yield config(f"solver-{solver}-{data}", data, solver=solver)


def schedules():
    """SGD's learning-rate schedules and momentum; adam's parameters."""
    momenta = {"plain": (0.0, False), "momentum": (0.9, False), "nesterov": (0.9, True)}
    for schedule in ("constant", "invscaling", "adaptive"):
        for label, (momentum, nesterov) in momenta.items():
            yield config(
                f"sgd-{schedule}-{label}",
                "iris",
                solver="sgd",
                learning_rate=schedule,
                momentum=momentum,
                nesterovs_momentum=nesterov,
                learning_rate_init=0.05,
            )
    yield config(
        "sgd-adaptive-reductions",
        "reg",
        solver="sgd",
        learning_rate="adaptive",
        tol=0.05,
        n_iter_no_change=2,
        max_iter=60,
    )
    yield config(
        "sgd-invscaling-power",
        "reg",
        solver="sgd",
        learning_rate="invscaling",
        power_t=0.25,
        learning_rate_init=0.02,
    )
    yield config(
        "adam-betas", "iris", solver="adam", beta_1=0.5, beta_2=0.9, epsilon=1e-4
    )


def activations():
    """Every built-in activation, parametrised ones, user-defined, per layer."""
    for name in ACTIVATIONS:
        yield config(f"act-{name}-reg-adam", "reg", activation=name)
        yield config(f"act-{name}-iris-sgd", "iris", activation=name, solver="sgd")
    parametrised = {
        "leaky0.2": LeakyReLU(negative_slope=0.2),
        "prelu0.1": PReLU(init=0.1),
        "elu0.5": ELU(alpha=0.5),
        "gelu-tanh": GELU(approximate="tanh"),
        "softplus2": Softplus(beta=2.0),
    }
    for label, activation in parametrised.items():
        yield config(
            f"act-{label}-reg-lbfgs", "reg", activation=activation, solver="lbfgs"
        )
    yield config("act-softsign-iris-adam", "iris", activation=Softsign())
    yield config("act-softsign-reg-lbfgs", "reg", activation=Softsign(), solver="lbfgs")
    yield config(
        "act-scaledtanh-reg-sgd", "reg", activation=ScaledTanh(1.5), solver="sgd"
    )
    yield config(
        "act-scaledtanh-multilabel-adam", "multilabel", activation=ScaledTanh(0.7)
    )
    per_layer = {
        "prelu-tanh": (["prelu", "tanh"], "adam"),
        "elu-leaky": (("elu", LeakyReLU(negative_slope=0.3)), "sgd"),
        "softsign-gelu": ([Softsign(), "gelu"], "lbfgs"),
        "selu-silu": (["selu", "silu"], "adam"),
    }
    for label, (activation, solver) in per_layer.items():
        for data in ("iris", "reg"):
            yield config(
                f"layers-{label}-{data}",
                data,
                activation=activation,
                solver=solver,
                hidden_layer_sizes=(8, 6),
            )
    yield config("layers-three-relu", "digits", hidden_layer_sizes=(10, 8, 6))


def regularisation():
    """alpha and the elastic-net mixing l1_ratio, with dropout."""
    penalties = [
        (0.0, 0.0),
        (1e-2, 0.0),
        (1.0, 0.0),
        (1e-2, 0.5),
        (1e-2, 1.0),
        (1.0, 1.0),
    ]
    for alpha, l1_ratio in penalties:
        for solver, data in (("sgd", "reg"), ("lbfgs", "iris")):
            yield config(
                f"penalty-{alpha}-{l1_ratio}-{solver}",
                data,
                solver=solver,
                alpha=alpha,
                l1_ratio=l1_ratio,
            )
    yield config("dropout-0.2-iris-adam", "iris", dropout=0.2)
    yield config("dropout-0.5-reg-sgd", "reg", dropout=0.5, solver="sgd")
    yield config("dropout-0.3-multilabel", "multilabel", dropout=0.3)
    yield config(
        "dropout-early-stopping",
        "digits",
        dropout=0.2,
        early_stopping=True,
        n_iter_no_change=3,
    )
    yield config("dropout-weights", "reg", fit(weights="int"), dropout=0.2)
    yield config("dropout-float32", "iris", dropout=0.2, dtype="float32")
    yield config(
        "dropout-partial",
        "iris",
        partial(rows=(0, 75), classes=True),
        partial(rows=(75, 150)),
        dropout=0.25,
    )


def stopping():
    """Early stopping, and the training-loss rule, to the point of stopping."""
    cases = [
        ("iris", "sgd", 0.2, 3),
        ("iris", "adam", 0.1, 2),
        ("digits", "adam", 0.3, 5),
        ("multilabel", "adam", 0.2, 3),
        ("reg", "adam", 0.2, 2),
        ("reg_multi", "sgd", 0.1, 3),
        ("binary", "adam", 0.25, np.inf),
    ]
    for data, solver, fraction, patience in cases:
        yield config(
            f"early-{data}-{solver}-{fraction}-{patience}",
            data,
            solver=solver,
            early_stopping=True,
            validation_fraction=fraction,
            n_iter_no_change=patience,
            tol=1e-3,
            max_iter=100,
            learning_rate_init=0.05,
        )
    yield config(
        "early-weights",
        "reg",
        fit(weights="float"),
        early_stopping=True,
        validation_fraction=0.25,
        n_iter_no_change=3,
        max_iter=100,
        learning_rate_init=0.05,
    )
    yield config(
        "loss-rule-stops",
        "iris",
        solver="sgd",
        tol=0.5,
        n_iter_no_change=2,
        max_iter=40,
    )


def warm_starts():
    """Warm-started refits, with the errors they can meet."""
    warm = set_params(warm_start=True, max_iter=4)
    yield config("warm-adam-iris", "iris", fit(), warm, fit(), fit(), max_iter=5)
    yield config(
        "warm-sgd-reg-lr",
        "reg",
        fit(),
        warm,
        set_params(learning_rate_init=0.05),
        fit(),
        solver="sgd",
    )
    yield config(
        "warm-lbfgs-iris", "iris", fit(), warm, fit(), solver="lbfgs", max_iter=5
    )
    yield config(
        "warm-adds-early-stopping",
        "reg",
        fit(),
        warm,
        set_params(early_stopping=True),
        fit(),
    )
    yield config(
        "warm-early-stopping-twice",
        "iris",
        fit(),
        warm,
        fit(),
        early_stopping=True,
        n_iter_no_change=2,
    )
    yield config(
        "warm-changed-layers",
        "iris",
        fit(),
        warm,
        set_params(hidden_layer_sizes=(5,)),
        fit(),
    )
    yield config("warm-missing-class", "iris", fit(), warm, fit(rows="drop_last_class"))
    yield config("refit-cold", "iris", fit(), set_params(max_iter=4), fit())


def partial_fits():
    """partial_fit sequences, with fit before or after, and their errors."""
    warm = set_params(warm_start=True, max_iter=4)
    halves = (partial(rows=(0, 75), classes=True), partial(rows=(75, 150)))
    yield config("partial-sgd-iris", "iris", *halves, partial(), solver="sgd")
    yield config(
        "partial-adam-digits",
        "digits",
        *[partial(rows=(i, i + 60), classes=True) for i in (0, 60, 120, 180)],
    )
    yield config("partial-multilabel", "multilabel", *halves, partial())
    yield config(
        "partial-reg-sgd",
        "reg",
        *[partial(rows=(i, i + 50)) for i in (0, 50, 100, 150)],
        solver="sgd",
    )
    yield config("partial-reg-multi", "reg_multi", partial(), partial(), partial())
    yield config("partial-after-fit", "iris", fit(), partial(), partial())
    yield config("fit-after-partial", "iris", *halves, warm, fit())
    yield config(
        "partial-weights",
        "iris",
        partial(classes=True, weights="int"),
        partial(weights="float"),
    )
    yield config("partial-balanced", "iris", *halves, class_weight="balanced")
    yield config(
        "partial-after-early-stopping",
        "iris",
        fit(),
        partial(),
        early_stopping=True,
        n_iter_no_change=2,
    )
    yield config("partial-lbfgs", "iris", partial(classes=True), solver="lbfgs")
    yield config("partial-no-classes", "iris", partial())
    yield config("partial-new-class", "iris", fit(rows="drop_last_class"), partial())


def inputs():
    """dtypes, sparse input, labels, random states, weights, class weights."""
    for solver in ("sgd", "adam", "lbfgs"):
        for data in ("iris", "reg"):
            yield config(
                f"float32-{solver}-{data}", data, solver=solver, dtype="float32"
            )
    yield config("float32-multilabel", "multilabel", dtype="float32")
    yield config("float32-early", "reg_multi", dtype="float32", early_stopping=True)
    yield config("sparse-digits-adam", "digits_sparse")
    yield config("sparse-reg-lbfgs", "reg_sparse", solver="lbfgs")
    yield config("no-shuffle", "iris", shuffle=False, solver="sgd")
    yield config("alias-classifier", "iris", alias=True)
    yield config("alias-regressor", "reg", alias=True, solver="lbfgs")
    for solver in ("sgd", "adam", "lbfgs"):
        yield config(
            f"poisson-{solver}",
            "poisson",
            solver=solver,
            loss="poisson",
            learning_rate_init=0.005,
        )
        yield config(
            f"rng-instance-{solver}",
            "iris",
            solver=solver,
            random_state=np.random.RandomState(7),
        )
    weighted = [
        ("int", "adam", "iris"),
        ("int", "sgd", "reg"),
        ("float", "lbfgs", "binary"),
        ("half_zero", "adam", "reg_multi"),
        ("int", "adam", "multilabel"),
        ("float", "sgd", "digits"),
    ]
    for scheme, solver, data in weighted:
        yield config(
            f"weights-{scheme}-{solver}-{data}",
            data,
            fit(weights=scheme),
            solver=solver,
        )
    yield config("class-balanced", "iris", class_weight="balanced")
    yield config("class-dict", "iris", class_weight={0: 2.0, 2: 0.5}, solver="sgd")
    yield config("class-balanced-multilabel", "multilabel", class_weight="balanced")
    yield config(
        "class-dict-weights",
        "binary",
        fit(weights="int"),
        class_weight={"virginica": 3.0},
        solver="lbfgs",
    )


def batches_and_inits():
    """batch_size (one row, a few, more than the rows) and every weight_init."""
    yield config("batch-1", "iris", batch_size=1, max_iter=2)
    yield config("batch-7-sgd", "reg", batch_size=7, solver="sgd", max_iter=4)
    yield config("batch-too-big", "iris", batch_size=1000)
    yield config("batch-auto-remainder", "digits", max_iter=5)
    yield config("batch-too-big-partial", "reg", partial(rows=(0, 30)), batch_size=50)
    for init in WEIGHT_INITS:
        yield config(f"init-{init}-iris", "iris", weight_init=init)
    yield config("init-sklearn-reg-lbfgs", "reg", weight_init="sklearn", solver="lbfgs")
    yield config(
        "init-he-normal-reg-sgd",
        "reg",
        weight_init="he_normal",
        solver="sgd",
        activation="relu",
    )
    yield config("init-auto-selu", "reg", activation="selu")


def verbosity():
    """verbose=True along each path that prints."""
    yield config("verbose-sgd", "iris", solver="sgd", verbose=True)
    yield config("verbose-adam-reg", "reg", verbose=True)
    yield config("verbose-lbfgs", "iris", solver="lbfgs", verbose=True)
    yield config(
        "verbose-early",
        "iris",
        verbose=True,
        early_stopping=True,
        n_iter_no_change=2,
        max_iter=30,
    )
    yield config(
        "verbose-adaptive",
        "reg",
        verbose=True,
        solver="sgd",
        learning_rate="adaptive",
        tol=0.05,
        n_iter_no_change=2,
        max_iter=60,
    )
    yield config(
        "verbose-loss-rule",
        "iris",
        verbose=True,
        solver="sgd",
        tol=0.5,
        n_iter_no_change=2,
        max_iter=40,
    )
    yield config("verbose-partial", "reg", partial(), partial(), verbose=True)


def failures():
    """Convergence warnings, divergence, and the errors of bad parameters."""
    yield config("lbfgs-max-iter-1", "iris", solver="lbfgs", max_iter=1)
    yield config("lbfgs-max-fun", "reg", solver="lbfgs", max_fun=5, max_iter=50)
    for rate in (1e3, 10.0, 1.0, 0.3):
        yield config(
            f"diverge-sgd-{rate}",
            "reg",
            solver="sgd",
            learning_rate_init=rate,
            momentum=0.9,
        )
    yield config("diverge-adam", "iris", learning_rate_init=50.0)
    yield config(
        "diverge-invscaling",
        "reg_multi",
        solver="sgd",
        learning_rate="invscaling",
        learning_rate_init=100.0,
    )
    bad = {
        "bad-activation-name": dict(activation="relux"),
        "bad-activation-class": dict(activation=ReLU),
        "bad-activation-list": dict(activation=["relu", "tanh", "elu"]),
        "bad-activation-range": dict(activation=Softplus(beta=0.0)),
        "bad-custom-range": dict(activation=ScaledTanh(scale=-1.0)),
        "bad-solver": dict(solver="newton"),
        "bad-dropout-lbfgs": dict(solver="lbfgs", dropout=0.2),
        "bad-class-weight-label": dict(class_weight={7: 1.0}),
    }
    for name, params in bad.items():
        yield config(name, "iris", **params)
    yield config("bad-zero-weights", "iris", fit(weights="zeros"))
    yield config("bad-dict-multilabel", "multilabel", class_weight={0: 2.0})
    yield config(
        "nested-activation-params",
        "iris",
        set_params(activation__negative_slope=0.3),
        fit(),
        activation="leaky_relu",
    )


def callbacks():
    """scikit-learn callbacks: recording, stopping, scoring, a progress bar."""
    yield config("cb-recorder-adam", "iris", callbacks="recorder", max_iter=4)
    yield config(
        "cb-recorder-sgd-early",
        "reg",
        callbacks="recorder",
        solver="sgd",
        early_stopping=True,
        n_iter_no_change=2,
        max_iter=8,
    )
    yield config(
        "cb-recorder-lbfgs", "iris", callbacks="recorder", solver="lbfgs", max_iter=5
    )
    yield config(
        "cb-recorder-partial", "reg", partial(), partial(), callbacks="recorder"
    )
    yield config(
        "cb-recorder-diverges",
        "reg",
        callbacks="recorder",
        solver="sgd",
        learning_rate_init=1e3,
        momentum=0.9,
    )
    for solver in ("adam", "sgd", "lbfgs"):
        yield config(
            f"cb-stopper-{solver}",
            "iris",
            callbacks="stopper",
            solver=solver,
            max_iter=20,
            early_stopping=solver == "sgd",
        )
    yield config("cb-scoring-clf", "iris", callbacks="scoring_accuracy", max_iter=5)
    yield config(
        "cb-scoring-reg-lbfgs",
        "reg",
        callbacks="scoring_r2",
        solver="lbfgs",
        max_iter=5,
    )
    yield config("cb-progress", "iris", callbacks="progress", max_iter=5)
    yield config(
        "cb-progress-verbose", "reg", callbacks="progress", verbose=True, max_iter=5
    )


def configurations():
    """All configurations, each with a unique name."""
    sections = (
        solver_grid,
        schedules,
        activations,
        regularisation,
        stopping,
        warm_starts,
        partial_fits,
        inputs,
        batches_and_inits,
        verbosity,
        failures,
        callbacks,
    )
    configs = [c for section in sections for c in section()]
    names = [c.name for c in configs]
    assert len(names) == len(set(names)), "configuration names must be unique"
    return configs


def continuation(config):
    """The calls that continue an unpickled estimator of ``config``."""
    warm = set_params(warm_start=True, max_iter=2)
    if config.params.get("solver", "adam") == "lbfgs":
        return (warm, fit())
    return (partial(rows="second_half"), warm, fit())


# ----------------------------------------------------------------------
# Recording: what a call leaves behind, as plain values


def normalized(value):
    """``value`` as builtins and NumPy values only, so that it compares anywhere.

    Objects become ``("object", qualified class name, normalized vars)``, so
    that the parent process needs no skact to read a record.
    """
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (np.generic, bool, int, float, complex, str, bytes)):
        return value
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return type(value)(normalized(v) for v in value)
    if isinstance(value, dict):
        return {k: normalized(v) for k, v in value.items()}
    if sp.issparse(value):
        return ("sparse", value.format, value.toarray())
    if isinstance(value, np.random.RandomState):
        return ("RandomState", normalized(value.get_state()))
    cls = type(value)
    name = f"{cls.__module__}.{cls.__qualname__}"
    if hasattr(value, "__dict__"):
        return ("object", name, normalized(dict(vars(value))))
    return ("object", name, repr(value))


def _is_fitted_name(name):
    return name.endswith("_") and not name.startswith("_")


def fitted_attributes(est):
    """Every public fitted attribute: in ``vars(est)`` or a property of the class."""
    names = {name for name in vars(est) if _is_fitted_name(name)}
    for name in dir(type(est)):
        if _is_fitted_name(name) and isinstance(getattr(type(est), name), property):
            names.add(name)
    attributes = {}
    for name in sorted(names):
        try:
            attributes[name] = normalized(getattr(est, name))
        except Exception as exc:  # a property of an unfitted estimator
            attributes[name] = ("raises", exception_text(exc))
    return attributes


def exception_text(exc):
    return (f"{type(exc).__module__}.{type(exc).__qualname__}", str(exc))


def predictions(est, X, y):
    """The prediction methods' output on fixed rows (or the error they raise)."""
    found = {}
    methods = ("predict", "predict_proba", "predict_log_proba", "decision_function")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for method in methods:
            if not hasattr(est, method):
                continue
            try:
                found[method] = normalized(getattr(est, method)(X))
            except Exception as exc:
                found[method] = ("raises", exception_text(exc))
        try:
            found["score"] = normalized(est.score(X, y))
        except Exception as exc:
            found["score"] = ("raises", exception_text(exc))
    found["warnings"] = [(w.category.__name__, str(w.message)) for w in caught]
    return found


def masker(root):
    """The function that masks what varies from run to run in a text."""
    root = str(root)
    patterns = [
        (re.compile(r"\(\d+\.\d+ s\)"), "(#.### s)"),  # verbose's epoch times
        (re.compile(r"\b\d+:\d\d:\d\d\b"), "h:mm:ss"),  # ProgressBar's elapsed time
    ]

    def mask(text):
        text = text.replace(root, "<ROOT>")
        for pattern, replacement in patterns:
            text = pattern.sub(replacement, text)
        return text

    return mask


def captured(call, mask):
    """Run ``call()``: its exception, warnings and printed output."""
    out = io.StringIO()
    error = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with contextlib.redirect_stdout(out):
            try:
                call()
            except Exception as exc:
                error = exception_text(exc)
    if error is not None:
        error = (error[0], mask(error[1]))
    found = [(w.category.__name__, mask(str(w.message))) for w in caught]
    return error, found, mask(out.getvalue())


def call_arguments(step, data, dtype):
    """The arguments of a fit or partial_fit step: X, y and keywords."""
    method, kw = step
    X, y = data
    rows = kw.get("rows")
    if rows == "drop_last_class":
        rows = np.flatnonzero(y != np.unique(y)[-1])
    elif rows == "second_half":
        rows = slice(X.shape[0] // 2, None)
    elif rows is not None:
        rows = slice(*rows)
    keywords = {}
    if kw.get("weights"):
        keywords["sample_weight"] = sample_weights(kw["weights"], X.shape[0])
    if rows is not None:
        X, y = X[rows], y[rows]
        if "sample_weight" in keywords:
            keywords["sample_weight"] = keywords["sample_weight"][rows]
    if kw.get("classes"):
        all_y = data[1]
        multilabel = all_y.ndim == 2
        keywords["classes"] = (
            np.arange(all_y.shape[1]) if multilabel else np.unique(all_y)
        )
    return X.astype(dtype), y, keywords


def run_step(est, step, data, dtype, mask):
    """Make one call on ``est`` and record everything it leaves behind."""
    method, kw = step
    if method == "set_params":
        call = lambda: est.set_params(**kw)  # noqa: E731
    else:
        X, y, keywords = call_arguments(step, data, dtype)
        call = lambda: getattr(est, method)(X, y, **keywords)  # noqa: E731
    error, caught, stdout = captured(call, mask)
    record = {
        "call": normalized(step),
        "error": error,
        "warnings": caught,
        "stdout": stdout,
        "callbacks": observe_callbacks(est),
    }
    record.update(state(est, data, dtype))
    return record


def state(est, data, dtype):
    """The estimator's fitted attributes and predictions; a RandomState's state."""
    X, y = data
    X, y = X[:PREDICTION_ROWS].astype(dtype), y[:PREDICTION_ROWS]
    found = {
        "attributes": fitted_attributes(est),
        "predictions": predictions(est, X, y),
    }
    if isinstance(est.random_state, np.random.RandomState):
        found["random_state"] = normalized(est.random_state.get_state())
    return found


def build(config):
    """A fresh estimator of ``config`` (None if its callbacks are unavailable)."""
    if config.classifier:
        cls = skact.MLPClassifier if config.alias else skact.ScratchMLPClassifier
    else:
        cls = skact.MLPRegressor if config.alias else skact.ScratchMLPRegressor
    est = cls(**config.params)
    for name, value in config.private.items():
        setattr(est, name, value)
    if config.callbacks is not None:
        found = make_callbacks(config.callbacks)
        if found is None or not hasattr(est, "set_callbacks"):
            return None
        est.set_callbacks(*found)
    return est


def run_config(config, data, mask):
    """Fit ``config`` call by call: the estimator and a record per call."""
    est = build(config)
    if est is None:
        return None, [{"skipped": "callbacks unavailable in this scikit-learn"}]
    records = [run_step(est, step, data, config.dtype, mask) for step in config.steps]
    return est, records


def pickled(est):
    """``pickle.dumps(est)``, or the error it raises."""
    if est is None:
        return None
    try:
        return pickle.dumps(est)
    except Exception as exc:
        return exception_text(exc)


def continue_pickle(config, blob, data, mask):
    """Load a pickled estimator and continue it: a record per call."""
    if not isinstance(blob, bytes):
        return [{"not_pickled": blob}]
    est = None

    def load():
        nonlocal est
        est = pickle.loads(blob)

    error, caught, stdout = captured(load, mask)
    loaded = {
        "call": "pickle.loads",
        "error": error,
        "warnings": caught,
        "stdout": stdout,
    }
    if est is None:
        return [loaded]
    loaded.update(state(est, data, config.dtype))
    steps = continuation(config)
    return [loaded] + [run_step(est, s, data, config.dtype, mask) for s in steps]


def check_import(root):
    """Exit unless skact is imported from ``root``."""
    found = Path(skact.__file__).resolve()
    if not found.is_relative_to(Path(root).resolve()):
        sys.exit(f"skact imported from {found}, not from {root}: check PYTHONPATH")


def record(out, root, continue_from):
    """Record mode: fit every configuration, pickle it, continue the pickles.

    With ``continue_from`` (the base run's record), the pickles continued are
    the base run's; otherwise this run's own.
    """
    check_import(root)
    mask = masker(root)
    data = load_data()
    configs = configurations()
    results = {
        "skact": str(Path(skact.__file__).resolve()),
        "configs": {},
        "pickles": {},
        "continued": {},
    }
    for config in configs:
        est, records = run_config(config, data[config.data], mask)
        results["configs"][config.name] = records
        if continue_from is None:
            results["pickles"][config.name] = pickled(est)
    blobs = results["pickles"]
    if continue_from is not None:
        with open(continue_from, "rb") as file:
            blobs = pickle.load(file)["pickles"]
    for config in configs:
        if config.name in blobs:
            results["continued"][config.name] = continue_pickle(
                config, blobs[config.name], data[config.data], mask
            )
    with open(out, "wb") as file:
        pickle.dump(results, file)


# ----------------------------------------------------------------------
# Comparing two records


def _same_array(a, b):
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind in "fc":
        return bool(np.array_equal(a, b, equal_nan=True))
    if a.dtype.kind == "O":
        return len(differences(a.tolist(), b.tolist())) == 0
    return bool(np.array_equal(a, b))


def _same_scalar(a, b):
    if isinstance(a, (float, np.floating)) and np.isnan(a):
        return isinstance(b, (float, np.floating)) and bool(np.isnan(b))
    return bool(a == b)


def differences(a, b, path="", limit=3):
    """The paths at which two normalized values differ (at most ``limit``)."""
    if type(a) is not type(b):
        return [f"{path} (type {type(a).__name__} vs {type(b).__name__})"]
    if isinstance(a, np.ndarray):
        return [] if _same_array(a, b) else [path]
    if isinstance(a, dict):
        if list(a) != list(b):
            return [f"{path} (keys {sorted(map(str, set(a) ^ set(b)))} or order)"]
        items = [(f"{path}[{k!r}]", a[k], b[k]) for k in a]
    elif isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return [f"{path} (length {len(a)} vs {len(b)})"]
        items = [(f"{path}[{i}]", x, y) for i, (x, y) in enumerate(zip(a, b))]
    else:
        return [] if _same_scalar(a, b) else [path]
    found = []
    for sub, x, y in items:
        found += differences(x, y, sub, limit - len(found))
        if len(found) >= limit:
            break
    return found[:limit]


def field_differences(a, b):
    """The fields of two records of one call that differ, each with a path.

    Attributes and predictions are listed one by one (the first difference
    in each), so that every differing attribute is named.
    """
    fields = []
    for key in sorted(set(a) | set(b), key=str):
        if key not in a or key not in b:
            fields.append(f"{key} (missing on one side)")
        elif key in ("attributes", "predictions") and isinstance(a[key], dict):
            x, y = a[key], b[key]
            if list(x) != list(y):
                only = sorted(set(x) ^ set(y))
                fields.append(f"{key}: names differ ({', '.join(only) or 'order'})")
            for name in [n for n in x if n in y]:
                fields += [
                    f"{key}.{name}{p}" for p in differences(x[name], y[name], limit=1)
                ]
        else:
            fields += [f"{key}{p}" for p in differences(a[key], b[key], limit=1)]
    return fields


def record_differences(base, current):
    """A line saying where two lists of call records differ, or None."""
    if len(base) != len(current):
        return f"{len(base)} calls vs {len(current)}"
    differing = []
    for i, (a, b) in enumerate(zip(base, current)):
        fields = field_differences(a, b)
        if fields:
            differing.append((i, _call_name(a), fields))
    if not differing:
        return None
    i, call, fields = differing[0]
    more = len(differing) - 1
    later = f" (and {more} later call(s))" if more else ""
    return f"call {i} ({call}): " + "; ".join(fields) + later


def _call_name(record):
    call = record.get("call")
    return call[0] if isinstance(call, tuple) else str(call)


def compare(base, current):
    """Print one line per configuration that differs; answer whether all agree."""
    names = list(base["configs"]) + [
        n for n in current["configs"] if n not in base["configs"]
    ]
    identical = 0
    for name in names:
        if name not in base["configs"] or name not in current["configs"]:
            side = "base" if name in base["configs"] else "current"
            print(f"DIFF {name}: configuration only in the {side} run")
            continue
        found = record_differences(base["configs"][name], current["configs"][name])
        if found:
            print(f"DIFF {name}: {found}")
        identical += not found
    alike = loaded = 0
    for name, records in base["continued"].items():
        found = record_differences(records, current["continued"].get(name, []))
        if found:
            print(f"DIFF {name} (base pickle, continued): {found}")
        loaded += records[0].get("call") == "pickle.loads"
        alike += not found
    print(f"{len(names)} configurations, {identical} identical")
    n_pickles = len(base["continued"])
    if alike == n_pickles:
        print(f"pickles: {n_pickles} loaded and continued alike")
    else:
        print(f"pickles: {alike} of {n_pickles} loaded and continued alike")
    print(f"({loaded} of {n_pickles} base pickles unpickled without error)")
    return identical == len(names) and alike == n_pickles


# ----------------------------------------------------------------------
# Orchestration


def run_record(root, out, tmp, continue_from=None):
    """Run this script in record mode on the skact at ``root``."""
    env = dict(os.environ, PYTHONPATH=str(root), PYTHONHASHSEED="0")
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = "1"
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--record",
        str(out),
        "--root",
        str(root),
    ]
    if continue_from is not None:
        command += ["--continue-from", str(continue_from)]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=tmp, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"record run on {root} failed (status {done.returncode})")
    with open(out, "rb") as file:
        results = pickle.load(file)
    print(
        f"recorded {len(results['configs'])} configurations with skact from "
        f"{results['skact']} in {time.perf_counter() - started:.0f} s"
    )
    return results


def git(*args):
    return subprocess.run(
        ["git", "-C", str(REPO_ROOT), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def check_against(rev):
    """Record under ``rev`` and under the working tree, compare; exit status."""
    commit = git("rev-parse", "--verify", f"{rev}^{{commit}}")
    tmp = Path(tempfile.mkdtemp(prefix="check_unchanged_"))
    worktree = tmp / "base"
    try:
        git("worktree", "add", "--detach", str(worktree), commit)
        print(f"base: {rev} ({commit[:12]}) in {worktree}")
        base = run_record(worktree, tmp / "base.pkl", tmp)
        current = run_record(REPO_ROOT, tmp / "current.pkl", tmp, tmp / "base.pkl")
    finally:
        subprocess.run(
            [
                "git",
                "-C",
                str(REPO_ROOT),
                "worktree",
                "remove",
                "--force",
                str(worktree),
            ],
            capture_output=True,
        )
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if compare(base, current) else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", default="HEAD", help="the commit to compare with")
    parser.add_argument("--record", help=argparse.SUPPRESS)  # record mode: out file
    parser.add_argument("--root", help=argparse.SUPPRESS)
    parser.add_argument("--continue-from", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.record:
        record(args.record, args.root, args.continue_from)
        return 0
    started = time.perf_counter()
    status = check_against(args.against)
    print(f"total {time.perf_counter() - started:.0f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
