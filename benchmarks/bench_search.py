"""Wall time of the README's demo grid search: one process, loky, dask.

The search is the one of ``examples/plot_grid_search_activations.py`` (the
README's demo): 12 hidden activations x 2 learning rates x 3 folds = 72 fits
of ``StandardScaler`` then ``ScratchMLPClassifier(hidden_layer_sizes=(64,),
max_iter=30, random_state=0)``, on the 1347 training rows of the digits, with
``refit=False``. It runs four ways:

``n_jobs=1``
    ``GridSearchCV(n_jobs=1)``: every fit in this process, whose BLAS keeps
    its default thread count (one per core).
``n_jobs=1, 1 BLAS thread``
    The same under ``threadpoolctl.threadpool_limits(1, user_api="blas")``:
    what a second BLAS thread brings, apart from a second process.
``n_jobs=2 (loky)``
    ``GridSearchCV(n_jobs=2)`` on joblib's default backend: two worker
    processes, to which loky gives ``cores // n_jobs`` BLAS threads each.
``dask, 2 workers``
    ``LocalCluster(n_workers=2, threads_per_worker=1, processes=True)`` with a
    ``Client``, and the search under ``joblib.parallel_config(backend="dask")``.

Start-up is timed apart from the search: for loky, a first parallel call that
starts the two workers and has each import scikit-learn and skact; for dask,
starting the cluster and the client, then the same imports on each worker
(already done by then: multiprocessing's spawn imports this script in each
worker). Every way then runs an untimed warm-up search (the same grid, 1 epoch
on 200 rows), and the searches proper are timed ``--repeats`` times, the ways
in turn (the order rotating on every repeat); their medians are compared to
``n_jobs=1``'s. The table also gives NumPy's BLAS thread count in each process
that fits (through ``threadpoolctl``) and this process's CPU time during a
search, and says whether every search's ``cv_results_`` mean, std and rank of
the test scores are identical to the first ``n_jobs=1`` search's: with an
integer ``random_state``, a fit does not depend on the process that runs it.
The summary holds the ratios, and the largest difference of
``mean_test_score`` from that first search (target: 0).

Usage::

    python benchmarks/bench_search.py               # 3 repeats, 1.5 to 2 min
    python benchmarks/bench_search.py --quick       # 1 repeat, 5 epochs
    python benchmarks/bench_search.py --repeats 5 --epochs 30
    python benchmarks/bench_search.py --no-dask     # one process and loky only

The dask way needs ``pip install "dask[distributed]"``; without it, that row
is left out. Close other programs first: on two cores, anything else running
slows the parallel ways most (the script prints how busy the CPUs were just
before it started).
"""

import argparse
import gc
import os
import platform
import time
import warnings
from contextlib import ExitStack, nullcontext

import joblib
import numpy as np
import sklearn
from joblib import Parallel, delayed, parallel_config
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_info, threadpool_limits

import skact
from skact import ScratchMLPClassifier
from skact.activations import ELU, LeakyReLU

from _report import Result, print_summary, print_table

try:
    from dask import __version__ as dask_version
    from dask.distributed import Client, LocalCluster
except ImportError:  # the dask way is left out
    Client = LocalCluster = None
    dask_version = "not installed"

# The demo's grid, as in examples/plot_grid_search_activations.py.
ACTIVATIONS = [
    "logistic",
    "tanh",
    "relu",
    "leaky_relu",
    LeakyReLU(negative_slope=0.2),
    "prelu",
    "elu",
    ELU(alpha=0.5),
    "selu",
    "gelu",
    "silu",
    "softplus",
]
LEARNING_RATES = [1e-3, 1e-2]
CV = 3
SCORE_KEYS = ("mean_test_score", "std_test_score", "rank_test_score")


def demo_data():
    """The demo's training part of the digits (75%, stratified)."""
    X, y = load_digits(return_X_y=True)
    X_train, _, y_train, _ = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    return X_train, y_train


def make_search(epochs, n_jobs):
    """The demo's search with ``max_iter=epochs``, on ``n_jobs`` workers."""
    model = Pipeline(
        [
            ("scale", StandardScaler()),
            (
                "mlp",
                ScratchMLPClassifier(
                    hidden_layer_sizes=(64,), max_iter=epochs, random_state=0
                ),
            ),
        ]
    )
    grid = {"mlp__activation": ACTIVATIONS, "mlp__learning_rate_init": LEARNING_RATES}
    # refit=False: the refit of the winner is one fit in this process,
    # whichever way the search ran.
    return GridSearchCV(model, grid, cv=CV, n_jobs=n_jobs, refit=False)


def blas_threads():
    """The thread count of NumPy's BLAS in the calling process."""
    counts = [
        pool.get("num_threads")
        for pool in threadpool_info()
        if pool.get("user_api") == "blas" and "numpy" in pool.get("filepath", "")
    ]
    return counts[0] if counts else None


def worker_ready():
    """Import what a search's fit needs; return ``(pid, BLAS threads)``.

    Run once per worker, this is the start-up a search pays before its first
    fit there (the workers of a ``LocalCluster`` started from this script have
    imported it already: multiprocessing's spawn imports the main module).
    """
    import sklearn.model_selection  # noqa: F401

    import skact  # noqa: F401

    return os.getpid(), blas_threads()


class Way:
    """One way to run the search: its start-up and its timed searches."""

    def __init__(self, name, n_jobs, backend=None, blas_limit=None):
        self.name, self.n_jobs = name, n_jobs
        self.backend, self.blas_limit = backend, blas_limit
        self.startup = {}  # what starting the workers took, by step
        self.threads = [blas_limit or blas_threads()]  # BLAS threads per process
        self.times, self.cpu, self.results = [], [], []

    def search(self, X, y, epochs):
        """Fit a fresh search; return ``(seconds, CPU seconds, cv_results_)``.

        The CPU seconds are this process's only: the fits themselves for
        ``n_jobs=1``, the bookkeeping (and for dask the scheduler) otherwise.
        """
        search = make_search(epochs, self.n_jobs)
        gc.collect()  # garbage of the previous search is not this one's cost
        with (
            parallel_config(backend=self.backend) if self.backend else nullcontext(),
            threadpool_limits(self.blas_limit, user_api="blas")
            if self.blas_limit
            else nullcontext(),
        ):
            start, cpu = time.perf_counter(), time.process_time()
            search.fit(X, y)
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        return seconds, cpu, search.cv_results_

    def run(self, X, y, epochs):
        seconds, cpu, results = self.search(X, y, epochs)
        self.times.append(seconds)
        self.cpu.append(cpu)
        self.results.append(results)

    @property
    def startup_seconds(self):
        return sum(self.startup.values())

    @property
    def median(self):
        return float(np.median(self.times))


def start_loky(way):
    """Start loky's two workers (the executor the searches then reuse)."""
    start = time.perf_counter()
    ready = Parallel(n_jobs=way.n_jobs)(delayed(worker_ready)() for _ in "ab")
    way.startup["workers"] = time.perf_counter() - start
    way.threads = [threads for _, threads in ready]
    if len({pid for pid, _ in ready}) != way.n_jobs:
        print(f"note: {way.name}: one worker ran both start-up tasks")


def start_dask(way, stack):
    """Start the LocalCluster and its Client (closed by ``stack``)."""
    start = time.perf_counter()
    cluster = stack.enter_context(
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
    )
    client = stack.enter_context(Client(cluster))
    way.startup["cluster"] = time.perf_counter() - start
    start = time.perf_counter()
    ready = client.run(worker_ready)
    way.startup["imports"] = time.perf_counter() - start
    way.threads = sorted(threads for _, threads in ready.values())


def describe_machine():
    """Versions, CPUs and the load on them before the run."""
    print(
        f"Python {platform.python_version()}, NumPy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}, joblib {joblib.__version__}, "
        f"dask {dask_version}, skact {skact.__version__}, {os.cpu_count()} CPUs"
    )
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS"):
        if var in os.environ:
            print(f"note: {var}={os.environ[var]} is set in the environment")
    # Other programs on the CPUs slow the parallel ways most: say so.
    try:
        import psutil  # installed with dask.distributed
    except ImportError:
        print(f"load average before the run: {os.getloadavg()[0]:.2f}")
    else:
        busy = psutil.cpu_percent(interval=1.0)
        print(f"CPU busy over the second before the run: {busy:.0f}%")


def identical(results, reference):
    """Whether every key of SCORE_KEYS is exactly equal in the two results."""
    return all(np.array_equal(results[k], reference[k]) for k in SCORE_KEYS)


def bench(args):
    """The table: each way's start-up, median search time and scores."""
    X, y = demo_data()
    n_fits = len(ACTIVATIONS) * len(LEARNING_RATES) * CV
    print(
        f"\nSearch: digits {X.shape[0]} x {X.shape[1]}, {len(ACTIVATIONS)} "
        f"activations x {len(LEARNING_RATES)} learning rates x {CV} folds = "
        f"{n_fits} fits of {args.epochs} epochs; median of {args.repeats} "
        "rotating runs after a warm-up"
    )
    ways = [
        Way("n_jobs=1", 1),
        Way("n_jobs=1, 1 BLAS thread", 1, blas_limit=1),
        Way("n_jobs=2 (loky)", 2),
    ]
    with ExitStack() as stack:
        start_loky(ways[2])
        if Client is not None and not args.no_dask:
            ways.append(Way("dask, 2 workers", None, backend="dask"))
            start_dask(ways[3], stack)
        for way in ways:
            way.search(X[:200], y[:200], epochs=1)  # warm-up: every code path
        for i in range(args.repeats):
            for way in ways[i % len(ways) :] + ways[: i % len(ways)]:
                way.run(X, y, args.epochs)
    return report(ways)


def report(ways):
    """Print the table; return the summary's results."""
    base = ways[0]
    reference = base.results[0]
    rows, results = [], []
    for way in ways:
        same = all(identical(r, reference) for r in way.results)
        ratio = way.median / base.median
        cold = (way.startup_seconds + way.median) / base.median
        startup = f"{way.startup_seconds:.2f}"
        if len(way.startup) > 1:
            startup += " (" + " + ".join(f"{s:.2f}" for s in way.startup.values())
            startup += ")"
        rows.append(
            (
                way.name,
                ", ".join(map(str, way.threads)),
                startup,
                f"{way.median:.2f}",
                f"{ratio:.2f}",
                f"{cold:.2f}",
                f"{np.median(way.cpu):.2f}",
                "yes" if same else "NO",
            )
        )
        if way is not base:
            results.append(Result(f"search {way.name} / n_jobs=1", ratio))
            results.append(Result(f"start-up + search {way.name} / n_jobs=1", cold))
        gap = max(
            float(np.max(np.abs(r["mean_test_score"] - reference["mean_test_score"])))
            for r in way.results
        )
        results.append(Result(f"mean_test_score difference, {way.name}", gap, 0.0))
    print_table(
        [
            "way",
            "BLAS threads",
            "start-up s",
            "search s",
            "ratio",
            "with start-up",
            "own CPU s",
            "identical",
        ],
        rows,
    )
    print(
        "BLAS threads: NumPy's, per process that fits. start-up: starting the "
        "workers until they have imported skact (dask: cluster + imports). "
        "ratio: search time over n_jobs=1's. with start-up: start-up + search "
        "over n_jobs=1's search. own CPU: this process's CPU time during a "
        "search (median), the fits for n_jobs=1, the scheduling otherwise. "
        "identical: mean, std and rank of the test scores equal to the first "
        "n_jobs=1 search's, in every repeat."
    )
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Ratios are the time of a way over n_jobs=1's: below 1.0 is faster.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="5 epochs and 1 repeat: a smoke run"
    )
    parser.add_argument("--epochs", type=int, help="epochs per fit (default 30)")
    parser.add_argument("--repeats", type=int, help="timed searches per way (3)")
    parser.add_argument(
        "--no-dask", action="store_true", help="leave out the dask cluster"
    )
    args = parser.parse_args(argv)
    if args.epochs is None:
        args.epochs = 5 if args.quick else 30
    if args.repeats is None:
        args.repeats = 1 if args.quick else 3

    describe_machine()
    with warnings.catch_warnings():
        # max_iter is reached on purpose: a fixed number of epochs. scikit-learn
        # passes this filter on to the workers of either backend.
        warnings.simplefilter("ignore", ConvergenceWarning)
        if Client is None:
            print("note: dask.distributed is not installed: no dask row")
        results = bench(args)

    print_summary(
        "Summary (a way's time over n_jobs=1's; below 1.0 is faster)",
        results,
        ".3g",
    )


if __name__ == "__main__":
    main()
