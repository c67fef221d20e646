"""
=====================================================================
Scaling a search out: worker processes, BLAS threads and determinism
=====================================================================

A grid search over activations x learning rates x folds is many independent
fits, which ``GridSearchCV(n_jobs=...)`` hands to joblib's worker processes.
Three things decide whether that pays and whether it gives the same answer:

1. **BLAS threads.** Each fit's matrix products already use the machine's
   cores through NumPy's BLAS. Two worker processes that each start one BLAS
   thread per core fight over the cores; joblib's default backend (loky)
   therefore limits each worker to ``cores // n_jobs`` BLAS threads.
2. **Determinism.** With an integer ``random_state`` every candidate's fits
   depend on nothing but their data and parameters, so the scores do not
   depend on how many workers ran them, nor in which order.
3. **Pickling.** Workers receive the estimator and its activation objects by
   pickling. skact's activations are ordinary classes of an importable
   module; a class defined in a script or notebook is sent by value by loky
   (cloudpickle), but a model saved with ``pickle`` or ``joblib.dump`` can be
   loaded only where the class can be imported: keep custom activations in a
   module of your own.

The script runs the same search with ``n_jobs=1`` and ``n_jobs=2``, prints the
wall times (ratios, which depend on the machine), and checks that the
``cv_results_`` scores are identical, a custom activation included.

Run it with ``python examples/plot_scaling_out.py`` (12 to 17 s on the 2-core
development machine; matplotlib needed: ``pip install "skact[plot]"``).
"""

# %%
# The search: digits, a scaler and a network, 6 activations (one of them
# custom) x 2 learning rates x 3 folds = 36 fits of 30 epochs each.
import os
import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
from joblib import parallel_config
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skact import ScratchMLPClassifier, SearchHeatmapDisplay
from skact.activations import Activation, LeakyReLU


class Softsign(Activation):
    """``z / (1 + |z|)``: a custom activation, defined in this script."""

    def __call__(self, z):
        z = np.asarray(z, dtype=float)
        return z / (1.0 + np.abs(z))

    def derivative(self, z, a=None):
        z = np.asarray(z, dtype=float)
        return 1.0 / (1.0 + np.abs(z)) ** 2


X, y = load_digits(return_X_y=True)
model = make_pipeline(
    StandardScaler(),
    ScratchMLPClassifier(hidden_layer_sizes=(64,), max_iter=30, random_state=0),
)
grid = {
    "scratchmlpclassifier__activation": [
        "tanh", "relu", LeakyReLU(negative_slope=0.2), "elu", "gelu", Softsign(),
    ],
    "scratchmlpclassifier__learning_rate_init": [1e-3, 1e-2],
}  # fmt: skip


def run(n_jobs):
    """Fit the search with ``n_jobs`` workers; return it and the wall time."""
    search = GridSearchCV(model, grid, cv=3, n_jobs=n_jobs)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 30 epochs: a budget
        search.fit(X, y)
    return search, time.perf_counter() - start


# %%
# The same search on one process, then twice on two worker processes. loky,
# joblib's default backend, is named here only to show where the setting goes;
# ``inner_max_num_threads=1`` gives each worker one BLAS thread, as loky would
# on two cores anyway. The first parallel run also starts the workers, each of
# which imports NumPy, scikit-learn and skact; loky keeps them for the second.
print(f"{os.cpu_count()} CPU(s)")
sequential, t_sequential = run(n_jobs=1)
print(f"n_jobs=1: {t_sequential:.1f} s")
for start in ("cold", "warm"):
    with parallel_config(backend="loky", inner_max_num_threads=1):
        parallel, t_parallel = run(n_jobs=2)
    print(
        f"n_jobs=2, workers {start}: {t_parallel:.1f} s "
        f"({t_parallel / t_sequential:.2f} of the time of n_jobs=1)"
    )

# %%
# In networks this small the matrix products are too small for a second BLAS
# thread to help (on two cores the sequential search takes about as long with
# one), so two processes with one thread each share the work better, once they
# are running.
#
# Determinism: every candidate scored the same, whichever process fitted it,
# the custom activation included.
for key in ("mean_test_score", "std_test_score", "rank_test_score"):
    same = np.array_equal(sequential.cv_results_[key], parallel.cv_results_[key])
    print(f"{key} identical with 1 and 2 workers: {same}")
print(f"best: {parallel.best_params_}")

# %%
# The scores, drawn from the parallel search.
SearchHeatmapDisplay.from_estimator(
    parallel, rows="activation", columns="learning_rate_init"
)
plt.show()
