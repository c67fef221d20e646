"""Which hidden activation, with which learning rate? Ask GridSearchCV.

The hidden activation of a :class:`skact.ScratchMLPClassifier` is a
hyperparameter like any other: here a ``GridSearchCV`` tries scikit-learn's
four activations and skact's newer ones (leaky ReLU, PReLU, ELU, SELU, GELU,
SiLU, softplus, and two parametrised variants), each with three learning
rates, on the handwritten digits that ship with scikit-learn, inside a
``Pipeline`` that scales the pixels first. It prints the ranked
cross-validation scores and the test score of the winner.

Run it with ``python examples/grid_search_activations.py`` (under ten seconds
on two cores).
"""

# %%
# The data: 8x8 images of digits, 10 classes, held-out test set.
import time
import warnings

from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skact import ScratchMLPClassifier
from skact.activations import ELU, LeakyReLU

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

# %%
# The model and the grid. Activations are given by name or as objects with
# their own parameters; the search clones them like any estimator parameter.
model = make_pipeline(
    StandardScaler(),
    ScratchMLPClassifier(hidden_layer_sizes=(64,), max_iter=30, random_state=0),
)
param_grid = {
    "scratchmlpclassifier__activation": [
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
    "scratchmlpclassifier__learning_rate_init": [1e-3, 3e-3, 1e-2],
}
search = GridSearchCV(model, param_grid, cv=3, n_jobs=2)

start = time.perf_counter()
with warnings.catch_warnings():
    # 30 epochs is a short budget on purpose: it ranks how fast each
    # activation learns, and some fits stop before they converge.
    warnings.simplefilter("ignore", ConvergenceWarning)
    search.fit(X_train, y_train)
elapsed = time.perf_counter() - start

# %%
# The ranked table of cross-validation accuracies.
results = search.cv_results_
order = results["rank_test_score"].argsort()
print(f"{len(order)} candidates x 3 folds in {elapsed:.1f} s\n")
print(f"{'rank':>4}  {'activation':<30} {'learning rate':>13}  {'CV accuracy':>15}")
for i in order:
    params = results["params"][i]
    activation = params["scratchmlpclassifier__activation"]
    name = activation if isinstance(activation, str) else repr(activation)
    lr = params["scratchmlpclassifier__learning_rate_init"]
    mean, std = results["mean_test_score"][i], results["std_test_score"][i]
    print(
        f"{results['rank_test_score'][i]:>4}  {name:<30} {lr:>13g}  "
        f"{mean:.3f} ± {std:.3f}"
    )

# %%
# The winner, refitted on the whole training set, on the held-out test set.
best = search.best_params_
print(
    f"\nBest: activation={best['scratchmlpclassifier__activation']!r}, "
    f"learning_rate_init={best['scratchmlpclassifier__learning_rate_init']:g}"
)
print(f"Test accuracy of the best model: {search.score(X_test, y_test):.3f}")
