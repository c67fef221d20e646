"""The default start at small budgets: skact's ``weight_init="auto"`` against
scikit-learn's start, epoch budget by epoch budget.

Searches over activations often run at short budgets (``HalvingGridSearchCV``
over ``max_iter``, a quick screen at ``max_iter=30``, ``validation_curve``):
a start that only catches up after hundreds of epochs throws activations out
unfairly. Two sections:

``budgets``
    Cross-validated accuracy after 10, 30, 100 and 300 epochs (``max_iter``,
    adam, every other parameter at its default, in a ``StandardScaler``
    pipeline) for every built-in activation, on scikit-learn's digits, breast
    cancer, iris and wine and on two low-dimensional problems (moons and
    circles, 400 rows in 2-D), and with sample weights (each row 1 or 3, drawn
    once) on breast cancer and digits, where the accuracy is weighted too. The
    two starts are fitted on the same folds with the same ``random_state``:
    skact's default, and skact with ``weight_init="sklearn"``, which is
    scikit-learn's start exactly (same random stream, same training). Also the
    issue's own configuration: the first 600 digits, ``hidden_layer_sizes=(20,)``.

``pong``
    The 14 raw rows of the Pong paddle of the seed page 000 (StandardScaler,
    14 logistic units, adam, ``max_iter=3000``): for each random state, does
    each start fit every training row?

Targets: at every budget, the default's accuracy averaged over the cases
(data set x activation) at least scikit-learn's start's less 0.01, and no case
more than 0.03 below it; on the Pong rows, every random state that
scikit-learn's start fits, the default fits too.

Usage::

    python benchmarks/bench_start.py               # both sections
    python benchmarks/bench_start.py --only pong   # one of them
    python benchmarks/bench_start.py --quick       # a smoke run
    python benchmarks/bench_start.py --seeds 3     # random states for every data set

Fits run on two worker processes (``--jobs``), each with one BLAS thread.
"""

import argparse
import time
import warnings

import numpy as np
import sklearn
from joblib import Parallel, delayed
from sklearn.datasets import (
    load_breast_cancer,
    load_digits,
    load_iris,
    load_wine,
    make_circles,
    make_moons,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

import skact
from skact import ScratchMLPClassifier
from skact.activations import ACTIVATIONS

from _report import Result, print_summary, print_table

BUDGETS = (10, 30, 100, 300)
STARTS = ("auto", "sklearn")
MEAN_GAP = 0.01  # the default's mean, at least scikit-learn's start's less this
CASE_GAP = 0.03  # ... and no case more than this below it


def _first_600_digits():
    X, y = load_digits(return_X_y=True)
    return X[:600], y[:600]


# name -> (X, y loader, estimator parameters, weighted, random states). The
# smaller the data set, the noisier one fit's test accuracy: more random
# states (each with its own folds) average it out.
DATA = {
    "digits": (lambda: load_digits(return_X_y=True), {}, False, 2),
    "breast_cancer": (lambda: load_breast_cancer(return_X_y=True), {}, False, 4),
    "iris": (lambda: load_iris(return_X_y=True), {}, False, 12),
    "wine": (lambda: load_wine(return_X_y=True), {}, False, 12),
    "moons": (lambda: make_moons(400, noise=0.3, random_state=0), {}, False, 12),
    "circles": (
        lambda: make_circles(400, noise=0.2, factor=0.5, random_state=0),
        {},
        False,
        12,
    ),
    "breast_cancer weighted": (
        lambda: load_breast_cancer(return_X_y=True),
        {},
        True,
        4,
    ),
    "digits weighted": (lambda: load_digits(return_X_y=True), {}, True, 2),
    "digits[:600] (20,)": (
        _first_600_digits,
        {"hidden_layer_sizes": (20,)},
        False,
        6,
    ),
}
QUICK_DATA = ("breast_cancer", "moons", "breast_cancer weighted")

# Every built-in activation once (aliases such as "swish" name the same class).
_FIRST_NAME = {}
for _name, _cls in ACTIVATIONS.items():
    _FIRST_NAME.setdefault(_cls, _name)
ACTIVATION_NAMES = tuple(_FIRST_NAME.values())
QUICK_ACTIVATIONS = ("relu", "tanh", "logistic")


def _weights(n_samples):
    """The sample weights of a weighted case: 1 or 3, drawn once."""
    return np.random.RandomState(0).choice([1.0, 3.0], n_samples)


def fold_scores(data, activation, start, seed, fold):
    """Test accuracy and log-loss after each budget, for one fold and seed.

    Returns an array of shape (len(BUDGETS), 2).
    """
    load, params, weighted, _ = DATA[data]
    X, y = load()
    sample_weight = _weights(len(y)) if weighted else None
    folds = StratifiedKFold(3, shuffle=True, random_state=seed)
    train, test = list(folds.split(X, y))[fold]
    scaler = StandardScaler().fit(X[train])
    X_train, X_test = scaler.transform(X[train]), scaler.transform(X[test])
    sw_train = None if sample_weight is None else sample_weight[train]
    sw_test = None if sample_weight is None else sample_weight[test]
    scores = []
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        # Short budgets stop at max_iter: that is what is measured.
        warnings.simplefilter("ignore", ConvergenceWarning)
        for budget in BUDGETS:
            model = ScratchMLPClassifier(
                activation=activation, weight_init=start, max_iter=budget,
                random_state=seed, **params,
            )  # fmt: skip
            model.fit(X_train, y[train], sample_weight=sw_train)
            proba = model.predict_proba(X_test)
            scores.append(
                (model.score(X_test, y[test], sample_weight=sw_test),
                 log_loss(y[test], proba, sample_weight=sw_test, labels=model.classes_))
            )  # fmt: skip
    return np.array(scores)


def budget_scores(names, activations, seeds, jobs):
    """``{(data, activation): {start: mean (accuracy, log-loss) per budget}}``.

    ``seeds`` overrides each data set's number of random states if given.
    """
    tasks = [
        (data, activation, start, seed, fold)
        for data in names
        for activation in activations
        for start in STARTS
        for seed in range(seeds or DATA[data][3])
        for fold in range(3)
    ]
    results = Parallel(n_jobs=jobs)(delayed(fold_scores)(*task) for task in tasks)
    grouped = {}
    for (data, activation, start, _, _), scores in zip(tasks, results):
        grouped.setdefault((data, activation), {}).setdefault(start, []).append(scores)
    return {
        key: {start: np.mean(runs, axis=0) for start, runs in cells.items()}
        for key, cells in grouped.items()
    }


def _columns(cells, metric):
    """A row's cells: each budget's figure for each start."""
    return [
        f"{cells[start][b, metric]:.3f}"
        for b in range(len(BUDGETS))
        for start in STARTS
    ]


def print_tables(scores):
    """The accuracy of every case, then the log-loss by data set."""
    header = [f"{start} {budget}" for budget in BUDGETS for start in STARTS]
    rows = [(*key, *_columns(cells, 0)) for key, cells in scores.items()]
    means = {s: np.mean([c[s] for c in scores.values()], axis=0) for s in STARTS}
    rows.append(("mean", "", *_columns(means, 0)))
    print_table(["data set", "activation", *header], rows)
    print("\nMean test log-loss over the activations (lower is better):")
    rows = []
    for data in dict.fromkeys(data for data, _ in scores):
        cells = [c for (d, _), c in scores.items() if d == data]
        mean = {s: np.mean([c[s] for c in cells], axis=0) for s in STARTS}
        rows.append((data, *_columns(mean, 1)))
    rows.append(("mean", *_columns(means, 1)))
    print_table(["data set", *header], rows)


def bench_budgets(args):
    """Accuracy per budget, default start against scikit-learn's."""
    names = QUICK_DATA if args.quick else tuple(DATA)
    activations = QUICK_ACTIVATIONS if args.quick else ACTIVATION_NAMES
    seeds = args.seeds or (1 if args.quick else None)
    print(
        f"\nbudgets: 3-fold CV x {seeds or '2 to 12'} random state(s) (each its "
        "own folds), StandardScaler, adam, "
        f"defaults; mean test accuracy after {BUDGETS} epochs; "
        "auto = skact's default start, sklearn = weight_init='sklearn'"
    )
    scores = budget_scores(names, activations, seeds, args.jobs)
    print_tables(scores)
    keys = list(scores)
    gaps = np.array([c["auto"][:, 0] - c["sklearn"][:, 0] for c in scores.values()])
    results = []
    for b, budget in enumerate(BUDGETS):
        worst = int(np.argmin(gaps[:, b]))
        results += [
            Result(
                f"{budget} epochs, mean: auto - sklearn start",
                float(gaps[:, b].mean()),
                at_least=-MEAN_GAP,
            ),
            Result(
                f"{budget} epochs, worst case ({' '.join(keys[worst])}): "
                "auto - sklearn start",
                float(gaps[worst, b]),
                at_least=-CASE_GAP,
            ),
        ]
    return results


# --------------------------------------------------------------------------
# pong

PONG_X = np.array(
    [[198, 200, -2], [90, 280, -190], [84, 256, -172], [140, 240, -100],
     [114, 216, -102], [72, 95, -23], [99, 31, 68], [144, 20, 124],
     [640, 216, 424], [32, 464, -432], [176, 64, 112], [754, 506, 248],
     [107, 104, 3], [116, 101, 15]],
    dtype=float,
)  # fmt: skip
PONG_Y = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1])
PONG_STATES = 10


def pong_fits(start, seed):
    """Whether the start fits all 14 Pong rows with this random state."""
    X = StandardScaler().fit_transform(PONG_X)
    model = ScratchMLPClassifier(
        (14,), activation="logistic", max_iter=3000, weight_init=start,
        random_state=seed,
    )  # fmt: skip
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore", ConvergenceWarning)
        return bool(model.fit(X, PONG_Y).score(X, PONG_Y) == 1.0)


def bench_pong(args):
    """The Pong rows: which random states fit every row, for each start."""
    states = 3 if args.quick else PONG_STATES
    fitted = {
        start: Parallel(n_jobs=args.jobs)(
            delayed(pong_fits)(start, seed) for seed in range(states)
        )
        for start in STARTS
    }
    print(
        "\npong: 14 raw rows, StandardScaler, (14,) logistic, adam, max_iter=3000; "
        "random states whose fit classifies every row"
    )
    for start in STARTS:
        print(f"  {start}: {[s for s in range(states) if fitted[start][s]]}")
    missed = [
        s for s in range(states) if fitted["sklearn"][s] and not fitted["auto"][s]
    ]
    return [
        Result(
            "pong: random states fitted by the sklearn start but not by auto",
            len(missed),
            at_most=0,
        )
    ]


# --------------------------------------------------------------------------

BENCHMARKS = {"budgets": bench_budgets, "pong": bench_pong}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    parser.add_argument(
        "--seeds", type=int, help="random states (default: 2 to 12 by data set)"
    )
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument(
        "--only", choices=sorted(BENCHMARKS), action="append", help="run only these"
    )
    args = parser.parse_args(argv)
    print(
        f"NumPy {np.__version__}, scikit-learn {sklearn.__version__}, "
        f"skact {skact.__version__}"
    )
    results = []
    for name in args.only or BENCHMARKS:
        start = time.perf_counter()
        results.extend(BENCHMARKS[name](args))
        print(f"({name}: {time.perf_counter() - start:.0f} s)")
    print_summary("Summary", results, "+.3f")


if __name__ == "__main__":
    main()
