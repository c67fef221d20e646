"""Fit time of skact against scikit-learn's MLP at equal work.

Both estimators get identical settings: the same data, architecture, Adam,
``batch_size=200``, a fixed number of epochs (``tol=0`` and
``n_iter_no_change=inf``, checked through ``n_iter_``) and the same
``random_state``. Runs alternate between the two libraries in one process, after
a warm-up fit of each, and the script prints the median fit times, their ratio
(skact / scikit-learn: below 1.0 means skact is faster) and both training
accuracies, for float64 and float32 inputs on a (256, 256) and a (100,)
network.

Usage::

    python benchmarks/bench_fit.py            # 3 repeats, 3 epochs
    python benchmarks/bench_fit.py --quick    # 1 repeat, 1 epoch: a smoke run

On some machines ``OPENBLAS_CORETYPE`` and ``OPENBLAS_L2_SIZE`` are set in the
environment to work around old OpenBLAS bugs; they slow a current NumPy down.
This script leaves them alone. To measure without them, run
``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_fit.py``;
the BLAS in use is printed at the top when ``threadpoolctl`` is installed
(``pip install -e ".[benchmark]"``).
"""

import argparse
import platform
import time
import warnings

import numpy as np
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

import skact
from skact import ScratchMLPClassifier

CASES = [
    ((256, 256), np.float64),
    ((256, 256), np.float32),
    ((100,), np.float64),
    ((100,), np.float32),
]


def describe_machine():
    """Print the versions and the BLAS that run the matrix products."""
    import sklearn

    print(
        f"Python {platform.python_version()}, NumPy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}, skact {skact.__version__}"
    )
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        print("BLAS: unknown (install threadpoolctl to report it)")
        return
    for pool in threadpool_info():
        if pool.get("user_api") == "blas":
            print(
                f"BLAS: {pool.get('internal_api')} {pool.get('version')}, "
                f"{pool.get('num_threads')} threads, "
                f"architecture {pool.get('architecture')}"
            )


def timed_fit(estimator, X, y, epochs):
    """Fit and return (seconds, training accuracy), checking the epoch count."""
    start = time.perf_counter()
    estimator.fit(X, y)
    seconds = time.perf_counter() - start
    if estimator.n_iter_ != epochs:
        raise RuntimeError(
            f"{type(estimator).__name__} ran {estimator.n_iter_} epochs, "
            f"not {epochs}: the comparison would not be at equal work."
        )
    return seconds, estimator.score(X, y)


def compare(X, y, hidden, epochs, repeats):
    """Alternate skact and scikit-learn fits; return medians and accuracies."""
    params = dict(
        hidden_layer_sizes=hidden,
        activation="relu",
        solver="adam",
        batch_size=200,
        max_iter=epochs,
        tol=0.0,
        n_iter_no_change=np.inf,
        shuffle=True,
        random_state=0,
    )
    estimators = {
        "skact": lambda: ScratchMLPClassifier(**params),
        "sklearn": lambda: MLPClassifier(**params),
    }
    times = {name: [] for name in estimators}
    accuracy = {}
    for make in estimators.values():  # warm-up: caches, BLAS threads
        timed_fit(make(), X[:2000], y[:2000], epochs)
    for _ in range(repeats):
        for name, make in estimators.items():
            seconds, accuracy[name] = timed_fit(make(), X, y, epochs)
            times[name].append(seconds)
    medians = {name: float(np.median(t)) for name, t in times.items()}
    return medians, accuracy


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 repeat, 1 epoch")
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=None)
    args = parser.parse_args()
    epochs = args.epochs or (1 if args.quick else 3)
    repeats = args.repeats or (1 if args.quick else 3)

    describe_machine()
    X, y = make_classification(
        n_samples=20000,
        n_features=100,
        n_informative=50,
        n_classes=5,
        random_state=0,
    )
    print(
        f"Data: {X.shape[0]} x {X.shape[1]}, 5 classes; adam, batch_size=200, "
        f"{epochs} epoch(s), median of {repeats} alternating run(s)\n"
    )
    header = (
        f"{'hidden':<11}{'dtype':<9}{'skact s':>9}{'sklearn s':>11}"
        f"{'ratio':>8}{'acc skact':>11}{'acc sklearn':>13}"
    )
    print(header)
    print("-" * len(header))
    ratios = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for hidden, dtype in CASES:
            medians, accuracy = compare(X.astype(dtype), y, hidden, epochs, repeats)
            ratio = medians["skact"] / medians["sklearn"]
            ratios.append(ratio)
            print(
                f"{str(hidden):<11}{np.dtype(dtype).name:<9}"
                f"{medians['skact']:>9.3f}{medians['sklearn']:>11.3f}"
                f"{ratio:>8.2f}{accuracy['skact']:>11.3f}"
                f"{accuracy['sklearn']:>13.3f}",
                flush=True,
            )
    print(f"\nworst ratio {max(ratios):.2f} (skact / scikit-learn fit time)")


if __name__ == "__main__":
    main()
