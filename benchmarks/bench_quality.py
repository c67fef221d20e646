"""Model quality of skact's default start against scikit-learn's MLP.

Two sections, each printing skact and scikit-learn side by side:

``cv``
    5-fold cross-validation on scikit-learn's small real data sets (iris, wine,
    breast cancer and digits: accuracy; diabetes: R²), each estimator in a
    ``StandardScaler`` pipeline with ``max_iter=500`` and ``random_state=0``,
    every other parameter at its default. "defaults" fits the estimators as
    they come; "tuned" is the best mean CV score over the hidden activations
    (skact's built-in ones, aliases counted once, against scikit-learn's
    four), all else at the defaults. Picking the best of the same folds is
    optimistic, for both libraries alike.

``lowdim``
    Low-dimensional symmetric problems, where a start whose hyperplanes all
    pass through the centre of the data stalls: moons, circles and three
    blobs (400 rows in 2-D, ``StandardScaler``, 60/40 split), one activation
    per family (:data:`LOWDIM_ACTIVATIONS`), ``learning_rate_init`` 1e-3 and
    1e-2, ``max_iter=1000``, 10 seeds (each seed draws the data, the split and
    the estimator's ``random_state``). The contenders are skact's default
    (``weight_init="auto"``), scikit-learn's ``MLPClassifier`` and skact with
    each fixed ``weight_init``. scikit-learn has only four of the activations;
    for the others its column holds skact with ``weight_init="sklearn"``
    (scikit-learn's own start and training, marked ``*``).

The summary lists every figure with its target and ends with the number of
targets met. The targets: in ``cv``, skact at least scikit-learn's score less
0.01 on each data set (at the defaults and tuned), and diabetes R² at least
0.45 at the defaults; in ``lowdim``, the default's mean test accuracy at least
scikit-learn's and at least the best fixed scheme's less 0.005, and no
configuration (data set x activation x learning rate, averaged over the
seeds) more than 0.02 below scikit-learn's, every configuration counted (those
where scikit-learn stays at chance, such as a linear network on circles, are
named, but not left out).

Usage::

    python benchmarks/bench_quality.py                # both sections (~16 min)
    python benchmarks/bench_quality.py --only cv      # one section (repeatable)
    python benchmarks/bench_quality.py --quick        # a smoke run (~1 min)
    python benchmarks/bench_quality.py --seeds 20     # lowdim: more seeds

Every fit runs in this one process, one after the other, with BLAS on one
thread (run the two sections as two processes to use two cores). Adding a
data set: append to :data:`CV_DATA` or :data:`LOWDIM_DATA`.
"""

import argparse
import time
import warnings

import numpy as np
import sklearn
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_iris,
    load_wine,
    make_blobs,
    make_circles,
    make_moons,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

import skact
from skact import ScratchMLPClassifier, ScratchMLPRegressor
from skact._init import WEIGHT_INITS
from skact.activations import ACTIVATIONS

from _report import Result, print_summary, print_table

# --------------------------------------------------------------------------
# cv

# name -> (loader, task); the task picks the estimators and the score
# (accuracy for "classification", R² for "regression").
CV_DATA = {
    "iris": (load_iris, "classification"),
    "wine": (load_wine, "classification"),
    "breast_cancer": (load_breast_cancer, "classification"),
    "digits": (load_digits, "classification"),
    "diabetes": (load_diabetes, "regression"),
}
CV_QUICK_DATA = ("iris", "wine", "diabetes")

ESTIMATORS = {
    "classification": {"skact": ScratchMLPClassifier, "sklearn": MLPClassifier},
    "regression": {"skact": ScratchMLPRegressor, "sklearn": MLPRegressor},
}
CV_PARAMS = dict(max_iter=500, random_state=0)

# skact's built-in activations, each once (aliases such as "swish" and
# "sigmoid" name the same class), against scikit-learn's four.
_FIRST_NAME = {}
for _name, _cls in ACTIVATIONS.items():
    _FIRST_NAME.setdefault(_cls, _name)
SKACT_ACTIVATIONS = tuple(_FIRST_NAME.values())
SKLEARN_ACTIVATIONS = ("identity", "logistic", "tanh", "relu")
QUICK_ACTIVATIONS = {"skact": ("relu", "tanh", "gelu"), "sklearn": ("relu", "tanh")}

CV_GAP = 0.01  # skact's score at least scikit-learn's less this
DIABETES_TARGET = 0.45  # diabetes R² at the defaults, at least


def cv_score(cls, X, y, folds, **params):
    """Mean CV score of ``cls`` in a StandardScaler pipeline."""
    model = make_pipeline(StandardScaler(), cls(**CV_PARAMS, **params))
    return float(cross_val_score(model, X, y, cv=folds).mean())


def bench_cv(args):
    """CV table: skact against scikit-learn at the defaults and tuned."""
    names = CV_QUICK_DATA if args.quick else tuple(CV_DATA)
    folds = 3 if args.quick else 5
    activations = (
        QUICK_ACTIVATIONS
        if args.quick
        else {"skact": SKACT_ACTIVATIONS, "sklearn": SKLEARN_ACTIVATIONS}
    )
    print(
        f"\ncv: {folds}-fold CV, StandardScaler pipeline, max_iter=500, "
        "random_state=0 (accuracy; R² for diabetes); tuned = best over "
        f"{len(activations['skact'])} skact / {len(activations['sklearn'])} "
        "scikit-learn activations"
    )
    rows, results = [], []
    for name in names:
        loader, task = CV_DATA[name]
        X, y = loader(return_X_y=True)
        scores, best = {}, {}
        for library, cls in ESTIMATORS[task].items():
            # The default activation is one of the tuned ones: its score is
            # the "defaults" figure.
            default_activation = cls().activation
            per_activation = {
                act: cv_score(cls, X, y, folds, activation=act)
                for act in dict.fromkeys((default_activation, *activations[library]))
            }
            scores[library] = per_activation[default_activation]
            best[library] = max(per_activation.items(), key=lambda item: item[1])
        for kind, ours, theirs in (
            ("defaults", scores["skact"], scores["sklearn"]),
            ("tuned", best["skact"][1], best["sklearn"][1]),
        ):
            results.append(
                Result(
                    f"cv {name} {kind}: skact - scikit-learn",
                    ours - theirs,
                    at_least=-CV_GAP,
                )
            )
        if name == "diabetes":
            results.append(
                Result(
                    "cv diabetes defaults: skact R²",
                    scores["skact"],
                    at_least=DIABETES_TARGET,
                )
            )
        print(".", end="", flush=True)
        rows.append(
            (name, "R²" if task == "regression" else "accuracy",
             f"{scores['skact']:.3f}", f"{scores['sklearn']:.3f}",
             f"{best['skact'][1]:.3f} ({best['skact'][0]})",
             f"{best['sklearn'][1]:.3f} ({best['sklearn'][0]})")
        )  # fmt: skip
    print()
    print_table(
        ["data set", "score", "skact default", "sklearn default", "skact tuned",
         "sklearn tuned"],
        rows,
    )  # fmt: skip
    return results


# --------------------------------------------------------------------------
# lowdim

# name -> function(seed) returning (X, y), 400 rows in 2-D.
LOWDIM_DATA = {
    "moons": lambda seed: make_moons(400, noise=0.3, random_state=seed),
    "circles": lambda seed: make_circles(400, noise=0.2, factor=0.5, random_state=seed),
    "blobs": lambda seed: make_blobs(
        400, centers=3, cluster_std=2.0, random_state=seed
    ),
}
# One activation per family: the ReLU family's members differ in how they
# treat negative inputs, so each of the common ones is there (PReLU starts as
# leaky ReLU); SELU, which "auto" starts with LeCun weights; the two saturating
# ones; and identity, a linear model.
LOWDIM_ACTIVATIONS = (
    "relu", "leaky_relu", "elu", "selu", "gelu", "silu", "softplus", "tanh",
    "logistic", "identity",
)  # fmt: skip
QUICK_LOWDIM_ACTIVATIONS = ("relu", "tanh")
LEARNING_RATES = (1e-3, 1e-2)
LOWDIM_PARAMS = dict(max_iter=1000)
FIXED_SCHEMES = tuple(s for s in WEIGHT_INITS if s != "auto")

MEAN_GAP = 0.0  # the default's mean, at least scikit-learn's less this
SCHEME_GAP = 0.005  # ... and at least the best fixed scheme's less this
CONFIG_GAP = 0.02  # no configuration more than this below scikit-learn's
# scikit-learn's accuracy at most this above chance (the share of the test
# rows' most frequent class) is named as "at chance" in the output.
CHANCE_MARGIN = 0.05


def lowdim_split(data, seed):
    """Scaled training and test rows of one data set drawn with ``seed``."""
    X, y = LOWDIM_DATA[data](seed)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.4, random_state=seed
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def lowdim_accuracy(contender, split, activation, lr, seed):
    """Test accuracy of one contender ("sklearn MLP" or a weight_init)."""
    X_train, X_test, y_train, y_test = split
    params = dict(
        activation=activation, learning_rate_init=lr, random_state=seed,
        **LOWDIM_PARAMS,
    )  # fmt: skip
    if contender == "sklearn MLP":
        model = MLPClassifier(**params)
    else:
        model = ScratchMLPClassifier(weight_init=contender, **params)
    return model.fit(X_train, y_train).score(X_test, y_test)


def lowdim_scores(contenders, activations, seeds):
    """Mean test accuracies, and chance on each data set.

    Returns ``{(data, activation, lr): {contender: mean test accuracy}}`` and
    ``{data: mean share of the test rows' most frequent class}``.
    scikit-learn's MLP is fitted only where it has the activation; elsewhere
    its entry is skact's with ``weight_init="sklearn"``.
    """
    scores, chance = {}, {}
    for data in LOWDIM_DATA:
        splits = [lowdim_split(data, seed) for seed in range(seeds)]
        chance[data] = float(
            np.mean([np.bincount(y_test).max() / len(y_test) for *_, y_test in splits])
        )
        for activation in activations:
            for lr in LEARNING_RATES:
                cells = {}
                for contender in contenders:
                    if (
                        contender == "sklearn MLP"
                        and activation not in SKLEARN_ACTIVATIONS
                    ):
                        continue
                    cells[contender] = float(
                        np.mean(
                            [
                                lowdim_accuracy(contender, split, activation, lr, s)
                                for s, split in enumerate(splits)
                            ]
                        )
                    )
                if "sklearn MLP" in contenders and "sklearn MLP" not in cells:
                    cells["sklearn MLP"] = cells["sklearn"]
                scores[data, activation, lr] = cells
                print(".", end="", flush=True)
    print()
    return scores, chance


def bench_lowdim(args):
    """Low-dimensional problems: the default start against the others."""
    seeds = args.seeds or (2 if args.quick else 10)
    activations = QUICK_LOWDIM_ACTIVATIONS if args.quick else LOWDIM_ACTIVATIONS
    contenders = ("auto", "sklearn MLP", *FIXED_SCHEMES)
    print(
        f"\nlowdim: moons, circles, 3 blobs (400 rows, 60/40 split, "
        f"StandardScaler); learning_rate_init {LEARNING_RATES}; max_iter=1000; "
        f"mean test accuracy over {seeds} seeds"
    )
    scores, chance = lowdim_scores(contenders, activations, seeds)
    rows = []
    for (data, activation, lr), cells in scores.items():
        star = "" if activation in SKLEARN_ACTIVATIONS else "*"
        rows.append(
            (f"{data} {activation} {lr:g}",
             *(f"{cells[c]:.3f}{star if c == 'sklearn MLP' else ''}"
               for c in contenders))
        )  # fmt: skip
    means = {
        c: float(np.mean([cells[c] for cells in scores.values()])) for c in contenders
    }
    rows.append(("mean", *(f"{means[c]:.3f}" for c in contenders)))
    print_table(["data activation lr", *contenders], rows)
    print(
        "* scikit-learn has no such activation: skact with weight_init='sklearn' "
        "(scikit-learn's start)"
    )

    # Means by activation and by data set, over the rest.
    for key, label in ((1, "activation"), (0, "data set")):
        rows = []
        for group in dict.fromkeys(k[key] for k in scores):
            members = [cells for k, cells in scores.items() if k[key] == group]
            rows.append(
                (
                    group,
                    *(f"{np.mean([m[c] for m in members]):.3f}" for c in contenders),
                )
            )
        print_table([label, *contenders], rows)

    at_chance = [
        f"{d} {a} {lr:g}"
        for (d, a, lr), cells in scores.items()
        if cells["sklearn MLP"] <= chance[d] + CHANCE_MARGIN
    ]
    print(
        "At chance for scikit-learn (counted in the worst-configuration target): "
        + (", ".join(at_chance) or "none")
    )
    gaps = {key: cells["sklearn MLP"] - cells["auto"] for key, cells in scores.items()}
    worst = max(gaps, key=gaps.get)
    best_fixed = max(FIXED_SCHEMES, key=means.get)
    worst_configs = [
        f"{d} {a} {lr:g} ({gap:+.3f})"
        for (d, a, lr), gap in sorted(gaps.items(), key=lambda kv: -kv[1])
        if gap > CONFIG_GAP
    ]
    if worst_configs:
        print(f"Configurations more than {CONFIG_GAP} below scikit-learn's:")
        for line in worst_configs:
            print(f"  {line}")
    return [
        Result(
            "lowdim mean: auto - scikit-learn", means["auto"] - means["sklearn MLP"],
            at_least=-MEAN_GAP,
        ),
        Result(
            f"lowdim mean: auto - best fixed scheme ({best_fixed})",
            means["auto"] - means[best_fixed], at_least=-SCHEME_GAP,
        ),
        Result(
            "lowdim worst configuration: scikit-learn - auto "
            f"({' '.join(map(str, worst))})",
            gaps[worst], at_most=CONFIG_GAP,
        ),
    ]  # fmt: skip


# --------------------------------------------------------------------------

BENCHMARKS = {"cv": bench_cv, "lowdim": bench_lowdim}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="fewer data sets, folds, activations and seeds: a smoke run",
    )
    parser.add_argument("--seeds", type=int, help="lowdim seeds (default 10)")
    parser.add_argument(
        "--only", choices=sorted(BENCHMARKS), action="append", help="run only these"
    )
    args = parser.parse_args(argv)

    print(
        f"NumPy {np.__version__}, scikit-learn {sklearn.__version__}, "
        f"skact {skact.__version__}"
    )
    results = []
    # One BLAS thread: the matrices are small, and threads waiting on each
    # other (or on a busy machine's other work) would cost more than they give.
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        # Some fits reach max_iter: that is part of what is measured.
        warnings.simplefilter("ignore", ConvergenceWarning)
        for name in args.only or BENCHMARKS:
            start = time.perf_counter()
            results.extend(BENCHMARKS[name](args))
            print(f"({name}: {time.perf_counter() - start:.0f} s)")

    print_summary("Summary", results, "+.3f")


if __name__ == "__main__":
    main()
