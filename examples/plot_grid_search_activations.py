"""
===================================================================
Which hidden activation, with which learning rate? Ask GridSearchCV
===================================================================

In scikit-learn's MLP the hidden activation is one of four names. In skact it is
a hyperparameter like any other: a name (``"relu"``, ``"leaky_relu"``,
``"elu"``, ``"selu"``, ``"gelu"``, ``"silu"``, ...) or an activation object with
its own parameters (``LeakyReLU(negative_slope=0.2)``, ``ELU(alpha=0.5)``), so a
``GridSearchCV`` can tune it together with the learning rate.

The data are the 8x8 handwritten digits that ship with scikit-learn (10
classes, so the output layer is a softmax whatever the hidden activation). The
model is a ``Pipeline`` that standardises the pixels and then fits a network
with one hidden layer of 64 units for a short, fixed budget of 30 Adam epochs,
with ``learning_rate_init`` 1e-3 or 1e-2. The script prints the candidates
ranked by mean 3-fold cross-validation accuracy, a summary per learning rate,
and the held-out test accuracy of the winner, and draws the mean accuracies as
a heatmap of activation x learning rate (``SearchHeatmapDisplay``), saved to
``grid_search_activations.png`` in the current directory.

What it shows on this data: the learning rate matters more than the
activation. Within 30 epochs, 1e-3 is too slow for every activation (the
logistic one most: its derivative is at most 1/4, so its gradients are the
smallest), while at 1e-2 all twelve end up within about one percentage point
of each other, with fold-to-fold standard deviations around half a point: from
three folds their order is not reliable. So tune the learning rate first and
treat the activation as one more hyperparameter to search; on other data
(unscaled inputs, deeper networks, longer training) the activation can matter
more.

Run it with ``python examples/plot_grid_search_activations.py`` (matplotlib needed:
``pip install "skact[plot]"``): it took 7 to 13 s on the 2-core development machine.
"""

# %%
# The data: digits, with a stratified held-out test set the search never sees.
import time
import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from skact import ScratchMLPClassifier, SearchHeatmapDisplay
from skact.activations import ELU, LeakyReLU

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

# %%
# The model and the grid. Scaling lives inside the pipeline so that each
# cross-validation split is scaled with statistics of its own training part.
# Activations are given by name or as objects with their own parameters;
# GridSearchCV clones the objects like any other parameter value.
model = Pipeline(
    [
        ("scale", StandardScaler()),
        (
            "mlp",
            ScratchMLPClassifier(hidden_layer_sizes=(64,), max_iter=30, random_state=0),
        ),
    ]
)
param_grid = {
    "mlp__activation": [
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
    ],
    "mlp__learning_rate_init": [1e-3, 1e-2],
}
search = GridSearchCV(model, param_grid, cv=3, n_jobs=2)

start = time.perf_counter()
with warnings.catch_warnings():
    # 30 epochs is a short budget on purpose: it ranks how fast each
    # combination learns, and the slow ones stop before they converge.
    warnings.simplefilter("ignore", ConvergenceWarning)
    search.fit(X_train, y_train)
elapsed = time.perf_counter() - start

# %%
# The ranked table of cross-validation accuracies. Activations are shown as
# their repr, exactly as they would be written in the grid.
results = search.cv_results_
activations = results["param_mlp__activation"]
rates = results["param_mlp__learning_rate_init"]
means, stds = results["mean_test_score"], results["std_test_score"]
ranks = results["rank_test_score"]

print(f"{len(ranks)} candidates x 3 folds in {elapsed:.1f} s\n")
print(f"{'rank':>4}  {'activation':<30}  {'learning rate':>13}  {'CV accuracy':>13}")
for i in np.argsort(ranks, kind="stable"):
    print(
        f"{ranks[i]:>4}  {activations[i]!r:<30}  {rates[i]:>13g}  "
        f"{means[i]:.3f} ± {stds[i]:.3f}"
    )

# %%
# Per learning rate: the best activation and how far apart the activations
# are. A narrow range means the choice of activation matters little there.
print(f"\n{'learning rate':>13}  {'best activation':<30}  {'range of CV means':>17}")
for rate in param_grid["mlp__learning_rate_init"]:
    rows = np.flatnonzero(np.asarray(rates, dtype=float) == rate)
    top = rows[np.argmax(means[rows])]
    print(
        f"{rate:>13g}  {activations[top]!r:<30}  "
        f"{means[rows].min():.3f} to {means[rows].max():.3f}"
    )

# %%
# The winner, refitted on the whole training set, on the held-out test set.
best = search.best_params_
print(
    f"\nBest: activation={best['mlp__activation']!r}, "
    f"learning_rate_init={best['mlp__learning_rate_init']:g}"
)
print(f"Test accuracy of the best model: {search.score(X_test, y_test):.3f}")

# %%
# The same table as a picture: the mean CV accuracy of each activation (rows)
# at each learning rate (columns), the best cell outlined. Parameters are named
# by their end ("activation" for "mlp__activation").
display = SearchHeatmapDisplay.from_estimator(
    search, rows="activation", columns="learning_rate_init"
)
display.ax_.set_title("Digits: mean 3-fold CV accuracy after 30 epochs")
display.figure_.savefig("grid_search_activations.png", dpi=100)
print("Heatmap of the CV accuracies saved to grid_search_activations.png")
