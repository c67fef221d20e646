"""Fit time of skact against scikit-learn's MLPClassifier at equal work.

Both libraries get identical settings: the same data
(``make_classification(n_samples=20000, n_features=100, n_informative=50,
n_classes=5, random_state=0)``), the same architecture, ``solver="adam"``,
``batch_size=200``, ``activation="relu"``, ``shuffle=True``, the same
``random_state`` and a fixed number of epochs: ``max_iter=E`` with ``tol=0``
and ``n_iter_no_change=inf``, so neither library can stop early (the script
checks ``n_iter_ == E`` after every fit and exits with an error otherwise).

Runs alternate between the two libraries in one process, after a warm-up fit
of each, so that both see the same machine state (CPU frequency, caches, other
load). The script prints the median fit times, their ratio (skact /
scikit-learn: below 1.0 means skact is faster) and both training accuracies,
for float64 and float32 input on a (256, 256) and a (100,) network.

Usage::

    python benchmarks/bench_fit.py            # 3 epochs, 5 repeats (~15 s)
    python benchmarks/bench_fit.py --quick    # 1 epoch, 3 repeats (~5 s)
    python benchmarks/bench_fit.py --epochs 10 --repeats 7

The BLAS libraries loaded (NumPy's runs the matrix products) are printed at
the top, through ``threadpoolctl``.

Environment: some machines set ``OPENBLAS_CORETYPE`` and ``OPENBLAS_L2_SIZE``
(a workaround for old OpenBLAS bugs); they can make current NumPy slower, for
both libraries alike. This script does not change them, it only reports them.
To measure without them, run::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_fit.py

Adding a case: append a :class:`FitCase` to :data:`FIT_CASES`. Other kinds of
measurement (predict latency, L-BFGS, memory, the cost of each activation) can
reuse :func:`alternate` and :func:`print_table` and be added to
:data:`BENCHMARKS`.
"""

import argparse
import gc
import os
import platform
import time
import tracemalloc
import warnings
from dataclasses import dataclass, field
from functools import partial
from unittest import mock

import numpy as np
import sklearn
from sklearn.datasets import load_digits, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_info

import skact
from skact import ScratchMLPClassifier
from skact._network import Network

from _report import Result, print_summary, print_table

# The two estimators under comparison, by the name printed in the tables.
LIBRARIES = {"skact": ScratchMLPClassifier, "sklearn": MLPClassifier}


@dataclass(frozen=True)
class FitCase:
    """One row of the fit table: estimator parameters and the input dtype."""

    hidden_layer_sizes: tuple
    dtype: type
    # Parameters on top of COMMON_FIT_PARAMS (e.g. another activation).
    extra: dict = field(default_factory=dict)

    @property
    def label(self):
        extra = " ".join(f"{k}={v}" for k, v in self.extra.items())
        return f"{self.hidden_layer_sizes} {np.dtype(self.dtype).name} {extra}".strip()


# Settings shared by every fit case. n_iter_no_change=inf: with tol=0 alone the
# "no improvement" counter can still end training once the loss plateaus, and
# then the two libraries would not do the same amount of work.
COMMON_FIT_PARAMS = dict(
    activation="relu",
    solver="adam",
    batch_size=200,
    tol=0.0,
    n_iter_no_change=np.inf,
    shuffle=True,
    random_state=0,
)

FIT_CASES = [
    FitCase((256, 256), np.float64),
    FitCase((256, 256), np.float32),
    FitCase((100,), np.float64),
    FitCase((100,), np.float32),
]


# The targets of the speed issue, by figure.
FIT_TARGET = {(256, 256): 0.6, (100,): 0.8}  # fit time ratio, at most
ACCURACY_GAP_TARGET = 0.5  # training accuracy, points below scikit-learn's
FLOP_TARGET = 0.75  # fit FLOP rate over plain NumPy's, (256, 256) only
ACTIVATION_TARGET = 1.3  # fit time with gelu, selu or silu over relu
LATENCY_TARGET = 0.5  # one-row predict_proba time ratio
BATCH_TARGET = 1.0  # whole-set predict time ratio
LBFGS_TARGET = 1.0  # L-BFGS fit time ratio
MEMORY_TARGET = 1.0  # peak memory ratio


def describe_machine():
    """Print versions, OpenBLAS environment variables and the BLAS in use."""
    print(
        f"Python {platform.python_version()}, NumPy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}, skact {skact.__version__}, "
        f"{os.cpu_count()} CPUs"
    )
    # Reported, never changed: see the module docstring.
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS"):
        if var in os.environ:
            print(f"note: {var}={os.environ[var]} is set in the environment")
    for pool in threadpool_info():
        if pool.get("user_api") == "blas":
            # NumPy and SciPy may each bundle their own BLAS: the folder
            # tells which is which (NumPy's runs the network's products).
            where = os.path.join(*pool.get("filepath", "?").split(os.sep)[-2:])
            print(
                f"BLAS: {pool.get('internal_api')} {pool.get('version')} "
                f"({where}), "
                f"{pool.get('num_threads')} threads, "
                f"architecture {pool.get('architecture')}"
            )


def alternate(runners, repeats):
    """Call each runner ``repeats`` times, interleaved; return the results.

    ``runners`` maps a name to a callable returning ``(seconds, info)``. The
    order of the runners flips on every repeat (A B, B A, A B, ...) so that
    neither library systematically runs first, e.g. right after a collection.
    Returns ``{name: (median seconds, info of the last run)}``.
    """
    names = list(runners)
    times = {name: [] for name in names}
    info = {}
    for i in range(repeats):
        for name in names if i % 2 == 0 else names[::-1]:
            gc.collect()  # garbage of the previous fit is not this fit's cost
            seconds, info[name] = runners[name]()
            times[name].append(seconds)
    return {name: (float(np.median(times[name])), info[name]) for name in names}


def timed_fit(estimator, X, y, epochs):
    """Fit; return ``(seconds, training accuracy)``, checking the epoch count."""
    start = time.perf_counter()
    estimator.fit(X, y)
    seconds = time.perf_counter() - start
    if estimator.n_iter_ != epochs:
        # Not an assert: this must also hold under ``python -O``.
        raise SystemExit(
            f"{type(estimator).__name__} ran {estimator.n_iter_} epochs, not "
            f"{epochs}: the comparison would not be at equal work."
        )
    return seconds, estimator.score(X, y)


def fit_fresh(cls, params, X, y, epochs):
    """Build ``cls(**params)`` and time its fit (see :func:`timed_fit`)."""
    return timed_fit(cls(**params), X, y, epochs)


def fit_cases(args):
    """The benchmark data, then each case's input and estimator parameters."""
    X, y = make_classification(
        n_samples=20000,
        n_features=100,
        n_informative=50,
        n_classes=5,
        random_state=0,
    )
    for case in FIT_CASES:
        params = {
            **COMMON_FIT_PARAMS,
            "hidden_layer_sizes": case.hidden_layer_sizes,
            "max_iter": args.epochs,
            **case.extra,
        }
        yield case, X.astype(case.dtype), y, params


def bench_fit(args):
    """Fit-time table: skact against scikit-learn for every case in FIT_CASES."""
    print(
        "\nFit: 20000 x 100, 5 classes; adam, batch_size=200, "
        f"relu, {args.epochs} epoch(s); median of {args.repeats} alternating "
        "runs after a warm-up"
    )
    rows, results = [], []
    for case, Xc, y, params in fit_cases(args):
        # A fresh estimator for every run, so no run reuses another's state.
        runners = {
            name: partial(fit_fresh, cls, params, Xc, y, args.epochs)
            for name, cls in LIBRARIES.items()
        }
        # Warm-up on a slice: imports, first-call overheads, BLAS thread start.
        for cls in LIBRARIES.values():
            fit_fresh(cls, params, Xc[:2000], y[:2000], args.epochs)
        result = alternate(runners, args.repeats)
        (t_skact, acc_skact), (t_sklearn, acc_sklearn) = (
            result["skact"],
            result["sklearn"],
        )
        target = FIT_TARGET.get(case.hidden_layer_sizes)
        results.append(Result(f"fit {case.label}", t_skact / t_sklearn, target))
        results.append(
            Result(
                f"accuracy gap {case.label} (points below scikit-learn)",
                100 * (acc_sklearn - acc_skact),
                ACCURACY_GAP_TARGET,
            )
        )
        rows.append(
            (
                case.label,
                f"{t_skact:.3f}",
                f"{t_sklearn:.3f}",
                f"{t_skact / t_sklearn:.2f}",
                f"{acc_skact:.4f}",
                f"{acc_sklearn:.4f}",
            )
        )
    print_table(
        ["case", "skact s", "sklearn s", "ratio", "acc skact", "acc sklearn"], rows
    )
    return results


def _unrecorded(fit):
    """Run ``fit`` with no record of active units, as if history_ kept none."""
    with mock.patch.object(Network, "new_activity", lambda self: None):
        return fit()


def bench_history(args):
    """What recording ``history_`` costs: skact's fit with it against without.

    ``history_`` adds, per epoch, a gradient norm per layer (at the epoch's
    last batch) and, per batch, a check of which hidden units were active; the
    ratio is the fit time with recording over the fit time without (the
    network's record of active units switched off by a patch).
    """
    print(
        f"\nhistory_: cost of recording it, {args.epochs} epoch(s); median of "
        f"{args.repeats} alternating runs"
    )

    rows, results = [], []
    for case, Xc, y, params in fit_cases(args):
        fit = partial(fit_fresh, ScratchMLPClassifier, params, Xc, y, args.epochs)
        runners = {"with": fit, "without": partial(_unrecorded, fit)}
        fit_fresh(ScratchMLPClassifier, params, Xc[:2000], y[:2000], args.epochs)
        result = alternate(runners, args.repeats)
        ratio = result["with"][0] / result["without"][0]
        results.append(Result(f"history cost {case.label} (with / without)", ratio))
        rows.append(
            (case.label, f"{result['with'][0]:.3f}", f"{result['without'][0]:.3f}",
             f"{ratio:.3f}")
        )  # fmt: skip
    print_table(["case", "with s", "without s", "ratio"], rows)
    return results


def bench_activations(args):
    """What the newer activations cost: skact's fit time with each over ReLU's."""
    print(
        f"\nActivations: skact fit time over the same fit with relu, "
        f"{args.epochs} epoch(s); median of {args.repeats} alternating runs"
    )
    rows, results = [], []
    for case, Xc, y, params in fit_cases(args):
        runners = {
            name: partial(
                fit_fresh, ScratchMLPClassifier, {**params, "activation": name},
                Xc, y, args.epochs,
            )
            for name in ("relu", "gelu", "selu", "silu")
        }  # fmt: skip
        result = alternate(runners, args.repeats)
        relu = result["relu"][0]
        cells = [case.label, f"{relu:.3f}"]
        for name in ("gelu", "selu", "silu"):
            ratio = result[name][0] / relu
            results.append(
                Result(f"{name} / relu {case.label}", ratio, ACTIVATION_TARGET)
            )
            cells.append(f"{ratio:.2f}")
        rows.append(tuple(cells))
    print_table(["case", "relu s", "gelu", "selu", "silu"], rows)
    return results


def timed_calls(function, n_calls):
    """``(seconds per call, None)`` over ``n_calls`` calls of ``function``."""
    start = time.perf_counter()
    for _ in range(n_calls):
        function()
    return (time.perf_counter() - start) / n_calls, None


def bench_predict(args):
    """Prediction: one-row predict_proba latency and whole-set predict time."""
    print(
        f"\nPredict: models fitted for 1 epoch on 2000 rows; median of "
        f"{args.repeats} alternating runs"
    )
    rows, results = [], []
    for case, Xc, y, params in fit_cases(args):
        fitted = {
            name: cls(**{**params, "max_iter": 1}).fit(Xc[:2000], y[:2000])
            for name, cls in LIBRARIES.items()
        }
        one_row = Xc[:1]
        latency = alternate(
            {
                name: partial(timed_calls, partial(m.predict_proba, one_row), 500)
                for name, m in fitted.items()
            },
            args.repeats,
        )
        batch = alternate(
            {
                name: partial(timed_calls, partial(m.predict, Xc), 3)
                for name, m in fitted.items()
            },
            args.repeats,
        )
        one = latency["skact"][0] / latency["sklearn"][0]
        whole = batch["skact"][0] / batch["sklearn"][0]
        results += [
            Result(f"1-row predict_proba {case.label}", one, LATENCY_TARGET),
            Result(f"batch predict {case.label}", whole, BATCH_TARGET),
        ]
        rows.append(
            (case.label, f"{latency['skact'][0] * 1e6:.0f}",
             f"{latency['sklearn'][0] * 1e6:.0f}", f"{one:.2f}",
             f"{batch['skact'][0] * 1e3:.1f}", f"{batch['sklearn'][0] * 1e3:.1f}",
             f"{whole:.2f}")
        )  # fmt: skip
    print_table(
        ["case", "1-row skact us", "sklearn us", "ratio", "batch skact ms",
         "sklearn ms", "ratio"],
        rows,
    )  # fmt: skip
    return results


def bench_lbfgs(args):
    """L-BFGS on the digits at the same iteration count.

    ``tol=0`` and a fixed ``max_iter``: both libraries run exactly that many
    L-BFGS iterations (checked), from their own default initialisation.
    skact runs SciPy's own BLAS (which L-BFGS-B calls) on one thread, so that
    its idle threads do not take the cores NumPy's BLAS needs; the last
    column shows scikit-learn given the same treatment, for comparison.
    """
    from skact._lbfgs import _other_blas_single_threaded

    X, y = load_digits(return_X_y=True)
    iterations = 50
    print(
        f"\nL-BFGS: digits, hidden (100,), {iterations} iterations (tol=0); "
        f"median of {args.repeats}"
    )
    params = dict(solver="lbfgs", max_iter=iterations, tol=0.0, random_state=0)

    def sklearn_limited():
        with _other_blas_single_threaded():
            return fit_fresh(MLPClassifier, params, X, y, iterations)

    runners = {
        name: partial(fit_fresh, cls, params, X, y, iterations)
        for name, cls in LIBRARIES.items()
    }
    result = alternate({**runners, "sklearn limited": sklearn_limited}, args.repeats)
    ratio = result["skact"][0] / result["sklearn"][0]
    limited = result["skact"][0] / result["sklearn limited"][0]
    print_table(
        ["case", "skact s", "sklearn s", "ratio", "acc skact", "acc sklearn",
         "ratio to sklearn with SciPy's BLAS on 1 thread"],
        [("digits", f"{result['skact'][0]:.3f}", f"{result['sklearn'][0]:.3f}",
          f"{ratio:.2f}", f"{result['skact'][1]:.4f}",
          f"{result['sklearn'][1]:.4f}", f"{limited:.2f}")],
    )  # fmt: skip
    return [Result("lbfgs digits", ratio, LBFGS_TARGET)]


def bench_memory(args):
    """Peak memory allocated during a fit (tracemalloc sees NumPy's arrays)."""
    print("\nMemory: peak allocated during one fit, after the data exists")
    rows, results = [], []
    for case, Xc, y, params in fit_cases(args):
        peaks = {}
        for name, cls in LIBRARIES.items():
            gc.collect()
            tracemalloc.start()
            cls(**params).fit(Xc, y)
            peaks[name] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        ratio = peaks["skact"] / peaks["sklearn"]
        results.append(Result(f"peak memory {case.label}", ratio, MEMORY_TARGET))
        rows.append(
            (case.label, f"{peaks['skact'] / 2**20:.1f}",
             f"{peaks['sklearn'] / 2**20:.1f}", f"{ratio:.2f}")
        )  # fmt: skip
    print_table(["case", "skact MiB", "sklearn MiB", "ratio"], rows)
    return results


def step_shapes(case, X, y, epochs):
    """Units per layer (input and output included) and batches of a fit case."""
    units = [X.shape[1], *case.hidden_layer_sizes, len(np.unique(y))]
    n_batches = epochs * -(-X.shape[0] // COMMON_FIT_PARAMS["batch_size"])
    return units, n_batches


def timed_matmuls(units, dtype, n_batches):
    """Time the training step's matrix products alone, in plain NumPy.

    Per layer and batch: the forward product, the weight gradient and (but
    for the first layer) the delta of the layer below, on random arrays of
    the shapes a fit uses. Returns ``(seconds, FLOPs)``.
    """
    batch = COMMON_FIT_PARAMS["batch_size"]
    rng = np.random.default_rng(0)
    acts = [rng.random((batch, u), dtype=dtype) for u in units]
    weights = [rng.random((a, b), dtype=dtype) for a, b in zip(units, units[1:])]
    flops, start = 0, time.perf_counter()
    for _ in range(n_batches):
        for i, w in enumerate(weights):
            np.matmul(acts[i], w)
            np.matmul(acts[i].T, acts[i + 1])
            flops += 4 * batch * w.size
            if i > 0:
                np.matmul(acts[i + 1], w.T)
                flops += 2 * batch * w.size
    return time.perf_counter() - start, flops


def bench_flops(args):
    """Achieved FLOP rate of a skact fit against plain NumPy's matmul rate.

    The fits and the plain products alternate, and each rate is from the
    median time, so that the machine's speed drifting during the run moves
    both alike.
    """
    print(
        "\nFLOP rate: 6 x weights x samples x epochs / fit time, against the "
        "rate of the same matrix products in plain NumPy; the two alternate, "
        f"median of {args.repeats}"
    )
    rows, results = [], []
    for case, Xc, y, params in fit_cases(args):
        units, n_batches = step_shapes(case, Xc, y, args.epochs)
        n_weights = sum(a * b for a, b in zip(units, units[1:]))
        timings = alternate(
            {
                "skact": partial(
                    fit_fresh, ScratchMLPClassifier, params, Xc, y, args.epochs
                ),
                "matmul": partial(timed_matmuls, units, case.dtype, n_batches),
            },
            args.repeats,
        )
        achieved = 6 * n_weights * Xc.shape[0] * args.epochs / timings["skact"][0]
        plain = timings["matmul"][1] / timings["matmul"][0]
        target = FLOP_TARGET if case.hidden_layer_sizes == (256, 256) else None
        results.append(
            Result(
                f"FLOP rate / matmul rate {case.label}",
                achieved / plain,
                at_least=target,
            )
        )
        rows.append(
            (case.label, f"{achieved / 1e9:.1f}", f"{plain / 1e9:.1f}",
             f"{achieved / plain:.2f}")
        )  # fmt: skip
    print_table(["case", "fit GFLOP/s", "matmul GFLOP/s", "ratio"], rows)
    return results


def timed_adam(n_params, dtype, n_steps):
    """Time ``n_steps`` of skact's Adam on a flat vector of ``n_params``."""
    from skact._optimizers import Adam

    rng = np.random.default_rng(0)
    params = rng.standard_normal(n_params).astype(dtype)
    grads = rng.standard_normal((2, n_params)).astype(dtype)
    adam = Adam(params, 1e-3, 0.9, 0.999, 1e-8)
    grad = np.empty_like(params)
    start = time.perf_counter()
    for step in range(n_steps):
        # Adam uses the gradient as scratch space: refill it as a fit would.
        np.copyto(grad, grads[step % 2])
        adam.update(params, grad)
    return time.perf_counter() - start, None


def bench_floor(args):
    """What the matrix products and Adam alone cost, against a scikit-learn fit.

    A NumPy fit computes the same products and, with Adam, at least a square
    root and a division per parameter and step: their time over scikit-learn's
    whole fit is a floor under skact's fit ratio, short only of the rest of the
    step. It is skact's own Adam that is timed (ten passes), and the timing
    includes refilling the gradient, one pass a fit does not make: the floor is
    approximate by about one pass over the parameters per step.
    """
    print(
        "\nFloor: the matrix products and Adam's steps alone, over scikit-learn's "
        f"fit; alternating, median of {args.repeats}"
    )
    rows, results = [], []
    for case, Xc, y, params in fit_cases(args):
        units, n_batches = step_shapes(case, Xc, y, args.epochs)
        n_params = sum(a * b + b for a, b in zip(units, units[1:]))
        timings = alternate(
            {
                "sklearn": partial(
                    fit_fresh, MLPClassifier, params, Xc, y, args.epochs
                ),
                "matmul": partial(timed_matmuls, units, case.dtype, n_batches),
                "adam": partial(timed_adam, n_params, case.dtype, n_batches),
            },
            args.repeats,
        )
        matmul, adam, sk = (timings[k][0] for k in ("matmul", "adam", "sklearn"))
        floor = (matmul + adam) / sk
        results.append(Result(f"floor (products + Adam) / sklearn {case.label}", floor))
        rows.append(
            (case.label, f"{matmul:.3f}", f"{adam:.3f}", f"{sk:.3f}", f"{floor:.2f}")
        )
    print_table(["case", "matmul s", "adam s", "sklearn s", "floor ratio"], rows)
    return results


# Every kind of measurement: name -> function(args) returning [(label, ratio)].
BENCHMARKS = {
    "fit": bench_fit,
    "history": bench_history,
    "activations": bench_activations,
    "predict": bench_predict,
    "lbfgs": bench_lbfgs,
    "memory": bench_memory,
    "flops": bench_flops,
    "floor": bench_floor,
}


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Ratios are skact / scikit-learn: below 1.0, skact is faster.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="1 epoch and 3 repeats: a smoke run"
    )
    parser.add_argument("--epochs", type=int, help="epochs per fit (default 3)")
    parser.add_argument("--repeats", type=int, help="timed fits per library (5)")
    parser.add_argument(
        "--only", choices=sorted(BENCHMARKS), action="append", help="run only these"
    )
    args = parser.parse_args(argv)
    if args.epochs is None:
        args.epochs = 1 if args.quick else 3
    if args.repeats is None:
        args.repeats = 3 if args.quick else 5

    describe_machine()
    results = []
    with warnings.catch_warnings():
        # max_iter is reached on purpose: a fixed number of epochs.
        warnings.simplefilter("ignore", ConvergenceWarning)
        for name in args.only or BENCHMARKS:
            results.extend(BENCHMARKS[name](args))

    print_summary(
        "Summary (skact / scikit-learn time unless said; below 1.0 is faster)",
        results,
        ".2f",
    )


if __name__ == "__main__":
    main()
