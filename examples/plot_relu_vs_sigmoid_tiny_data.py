"""
==========================================================================
Why did ReLU do worse than sigmoid on six rows of data, and what fixes it?
==========================================================================

A common first experiment: take the classic two-layer NumPy network (sigmoid
everywhere, weights drawn from U(-1, 1), no intercepts), train it on six rows of
three binary features, then swap every sigmoid for a ReLU because ReLU is
"theoretically better", and watch the error get worse. The data are::

    X = [[0, 0, 1], [0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 0, 0], [0, 1, 0]]
    y = [0, 1, 0, 0, 1, 1]

(the label is simply ``1 - X[:, 2]``, so the task is linearly separable). This
script takes the failure apart and measures each fix across 50 random seeds:

1. **The output layer.** A ReLU output is not a probability: it is unbounded
   above, and a ReLU output unit whose input goes negative on every row stops
   learning for good. A small vectorised NumPy network, trained both ways,
   shows it. And without intercepts a ReLU network has a second flaw on this
   data: the all-zero row gives all-zero hidden units, so its output is pinned
   at the value for zero input whatever the weights (a sigmoid hidden unit
   outputs 1/2 there, which acts as a bias). skact's classifier always has
   intercepts and always ends in a sigmoid (softmax for several classes),
   whatever the hidden activation: ``out_activation_`` says which.
2. **Initialisation.** ``weight_init="sklearn"`` draws the intercepts at
   random, so some ReLU units start switched off; the default ``"auto"``
   draws the weights with the scheme the activation names in its
   ``default_init`` (printed at the end), scales them to the spread of the
   training data and places each ReLU unit's intercept from it, so that the
   unit starts active on 50% to 90% of the rows (``start_spread``): no unit
   starts dead.
3. **A leaky slope.** ``activation="leaky_relu"`` (slope 0.01) or
   ``LeakyReLU(negative_slope=0.1)`` keeps a gradient flowing through every
   unit, so no unit can die.

For each estimator it counts the seeds that reach 100% training accuracy and
the runs that end with every hidden unit inactive, read from the fitted
``history_["inactive_share"]``: per epoch, per hidden layer, the share of units
whose derivative was zero on every sample of that epoch (a leaky unit's never
is). The networks are deliberately tiny (two or four hidden units), where dead
units matter most; everything printed is measured, and the closing remarks
are worded on the numbers.

Run it with ``python examples/plot_relu_vs_sigmoid_tiny_data.py`` (matplotlib
needed: ``pip install "skact[plot]"``).
"""

# %%
# The six rows. The label is 1 - (third feature): a straight line separates
# the classes, so any sensible network should fit them perfectly.
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from skact import ScratchMLPClassifier
from skact.activations import LeakyReLU, ReLU

start = time.perf_counter()
X = np.array(
    [[0, 0, 1], [0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 0, 0], [0, 1, 0]], dtype=float
)
y = np.array([0, 1, 0, 0, 1, 1])
print(f"label == 1 - third feature: {np.array_equal(y, 1 - X[:, 2])}\n")

N_SEEDS = 50

# %%
# 1. The output layer, in plain NumPy. A 3-4-1 network trained like the
# original (weights from U(-1, 1), squared error, full-batch gradient
# descent), vectorised over 50 seeds at once: W0 has shape (seeds, 3, 4).
ACTS = {
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z, a: a * (1 - a)),
    "relu": (lambda z: np.maximum(z, 0), lambda z, a: (z > 0).astype(float)),
}


def train_numpy(hidden, output, intercepts, n_iter=2000, lr=0.5):
    """Final outputs (seeds, 6) of the 3-4-1 network for each of 50 seeds."""
    rng = np.random.RandomState(0)
    W0 = rng.uniform(-1, 1, (N_SEEDS, 3, 4))
    W1 = rng.uniform(-1, 1, (N_SEEDS, 4, 1))
    b0 = np.zeros((N_SEEDS, 1, 4))
    b1 = np.zeros((N_SEEDS, 1, 1))
    f_h, df_h = ACTS[hidden]
    f_o, df_o = ACTS[output]
    target = y[:, np.newaxis].astype(float)
    for _ in range(n_iter):
        z1 = X @ W0 + b0
        a1 = f_h(z1)
        z2 = a1 @ W1 + b1
        a2 = f_o(z2)
        d2 = (a2 - target) * df_o(z2, a2)  # d(squared error)/dz2, per row
        d1 = (d2 @ W1.transpose(0, 2, 1)) * df_h(z1, a1)
        W1 -= lr * a1.transpose(0, 2, 1) @ d2 / len(X)
        W0 -= lr * X.T @ d1 / len(X)
        if intercepts:
            b1 -= lr * d2.mean(axis=1, keepdims=True)
            b0 -= lr * d1.mean(axis=1, keepdims=True)
    return f_o(f_h(X @ W0 + b0) @ W1 + b1)[..., 0]


print("Hand-written 3-4-1 network, 50 seeds, 2000 full-batch steps")
print(
    f"{'hidden':>7}  {'output':>7}  {'intercepts':>10}  {'100% train acc':>14}  "
    f"{'outputs range':>15}  {'output dead':>11}  {'row [0,0,0]':>14}"
)
numpy_runs = {}
for hidden, output, intercepts in [
    ("sigmoid", "sigmoid", False),
    ("relu", "relu", False),
    ("relu", "sigmoid", False),
    ("relu", "sigmoid", True),
]:
    out = train_numpy(hidden, output, intercepts)
    solved = (((out > 0.5) == y).all(axis=1)).mean()
    # An output stuck at 0 on every row: a dead ReLU output unit.
    dead = (out.max(axis=1) == 0).mean()
    zero_row = out[:, 1]  # the output for the all-zero input, over seeds
    numpy_runs[hidden, output, intercepts] = (solved, dead, zero_row)
    print(
        f"{hidden:>7}  {output:>7}  {intercepts!s:>10}  {solved:>14.0%}  "
        f"{out.min():>6.3f} to {out.max():<5.3f}  {dead:>11.0%}  "
        f"{zero_row.min():.3f}-{zero_row.max():.3f}"
    )

# %%
# In skact the output layer is not a choice: a sigmoid for two classes, a
# softmax for more, and the network has intercepts. Whatever the hidden
# activation, predict_proba returns probabilities.
print("\nskact: the output layer does not follow the hidden activation")
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    for act in ["logistic", "relu", "leaky_relu"]:
        clf = ScratchMLPClassifier(
            hidden_layer_sizes=(4,),
            activation=act,
            solver="adam",
            learning_rate_init=0.01,
            max_iter=500,
            random_state=0,
        ).fit(X, y)
        proba = clf.predict_proba(X)[:, 1]
        print(
            f"  activation={act!r:<12} out_activation_={clf.out_activation_!r:<11} "
            f"P(y=1) = {np.array2string(proba, precision=2)}"
        )

# %%
# 2 and 3. Initialisation and the leaky slope, over 50 seeds, with two and
# four hidden units. "all inactive" counts runs whose last epoch had every
# hidden unit inactive (the network then outputs a constant); "inactive at
# start" is the mean share of units inactive during the first epoch. tol=0
# turns off the default stopping rule (stop once 10 epochs improve the loss by
# less than tol=1e-4), which can end a run that is crossing a plateau slowly:
# here every run that still improves gets all 500 epochs.
CONFIGS = [
    ("logistic", "auto"),
    ("relu", "sklearn"),
    ("relu", "auto"),
    ("leaky_relu", "auto"),
    (LeakyReLU(negative_slope=0.1), "auto"),
]


def run_seeds(hidden_layer_sizes, activation, weight_init):
    """Share of seeds solved, ending all inactive, and inactive at start."""
    solved, all_inactive, at_start = [], [], []
    for seed in range(N_SEEDS):
        clf = ScratchMLPClassifier(
            hidden_layer_sizes=hidden_layer_sizes,
            activation=activation,
            weight_init=weight_init,
            solver="adam",
            learning_rate_init=0.01,
            max_iter=500,
            tol=0.0,
            random_state=seed,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X, y)
        inactive = clf.history_["inactive_share"]
        solved.append(clf.score(X, y) == 1.0)
        all_inactive.append(inactive[-1][0] == 1.0)
        at_start.append(inactive[0][0])
    return np.mean(solved), np.mean(all_inactive), np.mean(at_start)


results = {}
print(f"\nskact, {N_SEEDS} seeds, adam, learning_rate_init=0.01, max_iter=500, tol=0")
print(
    f"{'hidden':>6}  {'activation':<30}  {'weight_init':<11}  "
    f"{'100% train acc':>14}  {'all inactive':>12}  {'inactive at start':>17}"
)
for sizes in [(2,), (4,)]:
    for act, init in CONFIGS:
        res = results[sizes, repr(act), init] = run_seeds(sizes, act, init)
        print(
            f"{sizes!s:>6}  {act!r:<30}  {init:<11}  {res[0]:>14.0%}  "
            f"{res[1]:>12.0%}  {res[2]:>17.0%}"
        )

# %%
# One run that died, epoch by epoch: the first seed whose two-unit ReLU
# network ended with every unit inactive, and the same seed with leaky ReLU.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    for seed in range(N_SEEDS):
        dead_relu = ScratchMLPClassifier(
            hidden_layer_sizes=(2,),
            activation="relu",
            solver="adam",
            learning_rate_init=0.01,
            max_iter=500,
            tol=0.0,
            random_state=seed,
        ).fit(X, y)
        if dead_relu.history_["inactive_share"][-1][0] == 1.0:
            break
    else:
        dead_relu = None
    if dead_relu is not None:
        leaky = ScratchMLPClassifier(
            hidden_layer_sizes=(2,),
            activation=LeakyReLU(negative_slope=0.1),
            solver="adam",
            learning_rate_init=0.01,
            max_iter=500,
            tol=0.0,
            random_state=seed,
        ).fit(X, y)
if dead_relu is None:
    print("\nNo two-unit ReLU run ended with every unit inactive.")
else:
    print(f"\nSeed {seed}, two hidden units: inactive share by epoch")
    for name, clf in [("relu", dead_relu), ("LeakyReLU(0.1)", leaky)]:
        share = [s[0] for s in clf.history_["inactive_share"]]
        epochs = sorted({1, 2, 5, 20, len(share)})
        trace = ", ".join(f"epoch {e}: {share[e - 1]:.0%}" for e in epochs)
        print(f"  {name:<15} {trace}")
        print(
            f"  {'':<15} final loss {clf.loss_:.3f}, training accuracy "
            f"{clf.score(X, y):.0%}, P(y=1) = "
            f"{np.array2string(clf.predict_proba(X)[:, 1], precision=2)}"
        )

# %%
# The same two runs drawn by ``HistoryDisplay``: the loss (top) and the share
# of inactive hidden units (bottom), epoch by epoch. The ReLU network's loss
# stops moving once its units are all inactive; the leaky network's units
# never are, and its loss keeps falling.
import matplotlib.pyplot as plt

from skact import HistoryDisplay

if dead_relu is not None:
    fig, axes = plt.subplots(
        2, 2, sharex=True, sharey="row", figsize=(9, 5), layout="constrained"
    )
    for column, (name, clf) in enumerate(
        [("ReLU", dead_relu), ("LeakyReLU(negative_slope=0.1)", leaky)]
    ):
        HistoryDisplay.from_estimator(
            clf, metrics=["loss", "inactive_share"], ax=axes[:, column]
        )
        axes[0, column].set_title(f"{name}, seed {seed}")
    plt.show()

# %%
# What the numbers say. Every claim below is computed from the tables above.
print("\nConclusions")
sig_solved = numpy_runs["sigmoid", "sigmoid", False][0]
relu_out_solved, relu_out_dead, _ = numpy_runs["relu", "relu", False]
zero_row = numpy_runs["relu", "sigmoid", False][2]
bias_solved = numpy_runs["relu", "sigmoid", True][0]
print(
    f"- Hand-written, no intercepts: sigmoid everywhere solved {sig_solved:.0%} "
    f"of seeds, ReLU everywhere {relu_out_solved:.0%}; the ReLU output unit "
    f"died (0 on every row) in {relu_out_dead:.0%} of them."
)
if np.ptp(zero_row) == 0:
    print(
        f"- With ReLU hidden units and no intercepts, the all-zero row always "
        f"gets exactly {zero_row[0]:.3f} from a sigmoid output: its hidden "
        "units are all zero, so no weight can move it."
    )
print(
    f"- ReLU hidden units with a sigmoid output and intercepts solved "
    f"{bias_solved:.0%} of seeds; that is the network skact builds."
)
for sizes in [(2,), (4,)]:
    relu_sk = results[sizes, "'relu'", "sklearn"]
    relu_auto = results[sizes, "'relu'", "auto"]
    leaky = results[sizes, repr(LeakyReLU(negative_slope=0.1)), "auto"]
    sig = results[sizes, "'logistic'", "auto"]
    n = sizes[0]
    if relu_auto[2] < relu_sk[2]:
        verdict = "fewer"
    elif relu_auto[2] > relu_sk[2]:
        verdict = "more"
    else:
        verdict = "as many"
    print(
        f"- {n} hidden units: weight_init='auto' left {verdict} "
        f"ReLU units inactive in the first epoch than 'sklearn' "
        f"({relu_auto[2]:.0%} vs {relu_sk[2]:.0%}); runs ending all inactive: "
        f"{relu_auto[1] * N_SEEDS:.0f} vs {relu_sk[1] * N_SEEDS:.0f} of {N_SEEDS}."
    )
    print(
        f"  ReLU solved {relu_auto[0]:.0%} of seeds, LeakyReLU(0.1) "
        f"{leaky[0]:.0%} (all inactive: {leaky[1]:.0%}; a leaky unit's "
        f"derivative is never zero), sigmoid {sig[0]:.0%}."
    )
print(
    "- ReLU's default weight_init='auto' scheme is "
    f"{ReLU.default_init!r}, with intercepts placed so that each unit starts "
    f"active on {1 - ReLU.start_spread[1]:.0%} to {1 - ReLU.start_spread[0]:.0%} "
    "of the training rows."
)
print(f"\nTotal time: {time.perf_counter() - start:.1f} s")
