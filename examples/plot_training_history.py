"""
==============================================================
Training history: watching ReLU units die, and what keeps them
==============================================================

A ReLU unit whose pre-activation is negative on every training row outputs 0,
gets a gradient of 0, and stops learning: it is "dead". A large learning rate
is the usual culprit: one big step pushes a unit's intercept so far down that
no row switches it on again. Nothing in the final accuracy says so; the
training history does.

Every fit records ``history_``: per epoch, the training and validation loss,
the validation score, the gradient norm of each layer, and per hidden layer the
share of units inactive on every row (``"inactive_share"``).
:class:`skact.HistoryDisplay` draws it, and :func:`skact.history_table` turns
it into a table with a column per layer.

The data are scikit-learn's handwritten digits, standardised; the networks
have two hidden layers of 64 units, adam, early stopping, 40 epochs at most.
The script compares ReLU at ``learning_rate_init`` 0.01 and 0.1, then leaky
ReLU and PReLU at 0.1, whose units cannot die, and draws the slopes PReLU
learned at 0.01 and 0.1 with :class:`skact.ActivationDisplay`. The lesson of
the histories: dead units are a symptom of too large a learning rate; a leaky
activation removes the symptom, not the cause.

Run it with ``python examples/plot_training_history.py`` (6 to 12 s on the 2-core
development machine; matplotlib needed: ``pip install "skact[plot]"``).
"""

# %%
# The data: digits, standardised with the training rows' statistics.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skact import ActivationDisplay, HistoryDisplay, ScratchMLPClassifier, history_table

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)


def fit(activation, learning_rate):
    """A two-layer network; early stopping with patience for all 40 epochs."""
    clf = ScratchMLPClassifier(
        hidden_layer_sizes=(64, 64),
        activation=activation,
        learning_rate_init=learning_rate,
        max_iter=40,
        early_stopping=True,
        n_iter_no_change=40,
        random_state=0,
    )
    with warnings.catch_warnings():
        # 40 epochs is the budget, not convergence.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return clf.fit(X_train, y_train)


models = {
    "ReLU, 0.01": fit("relu", 0.01),
    "ReLU, 0.1": fit("relu", 0.1),
    "leaky ReLU, 0.1": fit("leaky_relu", 0.1),
    "PReLU, 0.1": fit("prelu", 0.1),
    "PReLU, 0.01": fit("prelu", 0.01),
}

# %%
# The last epoch of each history, and the test accuracy. The inactive shares
# are per hidden layer: the share of units that no training row switched on
# during that epoch.
print(f"{'model':<16}  {'test acc':>8}  {'inactive units, last epoch':>28}")
for name, clf in models.items():
    last = clf.history_["inactive_share"][-1]
    shares = ", ".join(f"layer {k}: {s:.0%}" for k, s in enumerate(last, start=1))
    print(f"{name:<16}  {clf.score(X_test, y_test):>8.3f}  {shares:>28}")

# %%
# The two ReLU histories side by side. At 0.01 (left) the loss falls smoothly
# and almost every unit stays alive. At 0.1 (right) the loss jumps about, and
# after the first large steps many units of the second layer are dead, more
# as the epochs go by: they no longer learn, and the network is narrower than
# it looks.


def side_by_side(names, metrics, **subplots):
    """Two models' histories, a column each, a row per metric."""
    _, axes = plt.subplots(
        len(metrics), 2, sharex=True, figsize=(9, 7), layout="constrained",
        **subplots,
    )  # fmt: skip
    for column, name in enumerate(names):
        HistoryDisplay.from_estimator(
            models[name], metrics=metrics, name=name, ax=axes[:, column]
        )


side_by_side(
    ["ReLU, 0.01", "ReLU, 0.1"], ["loss", "val_score", "inactive_share"], sharey="row"
)

# %%
# Leaky ReLU and PReLU at the same learning rate of 0.1. Their derivative is
# never zero for z < 0, so no unit can die: the inactive shares stay at 0, and
# the gradient norms show every layer still learning to the end. But the
# losses show that 0.1 is too large for them too: they jump about as ReLU's
# did, the validation loss most.
side_by_side(["leaky ReLU, 0.1", "PReLU, 0.1"], ["loss", "grad_norm", "inactive_share"])

# %%
# What PReLU learned: each hidden unit has its own slope for z < 0, starting
# at 0.25. The line is the median unit of each layer, the band spans the
# least and the greatest slope. At 0.01 (top) the slopes stay near where they
# started; at 0.1 (bottom) the large steps throw them far apart, some below
# zero and some above one.
fig, axes = plt.subplots(2, 2, sharex=True, figsize=(9, 6), layout="constrained")
for row, name in enumerate(["PReLU, 0.01", "PReLU, 0.1"]):
    prelu = models[name]
    ActivationDisplay.from_estimator(prelu, ax=axes[row])
    axes[row, 0].set_title(f"{name}: f(z)")
    axes[row, 1].set_title(f"{name}: f'(z)")
    for k, slopes in enumerate(prelu.activation_params_, start=1):
        print(
            f"{name}, layer {k}: slopes from {slopes.min():.2f} to "
            f"{slopes.max():.2f}, median {np.median(slopes):.2f}"
        )

# %%
# The same history as a table, one column per layer, for your own plots or a
# CSV file (``history_table(clf, as_frame=True)`` gives a pandas DataFrame).
table = history_table(models["ReLU, 0.1"])
print("\nhistory_table columns:", ", ".join(table))
dead = table["inactive_share_2"]
print(
    "ReLU, 0.1, layer 2 inactive share at epochs 1, 10, 20, 40: "
    + ", ".join(f"{dead[e - 1]:.0%}" for e in (1, 10, 20, len(dead)))
)
plt.show()
