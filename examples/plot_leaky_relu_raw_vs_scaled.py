"""
============================================================================
Swapping sigmoid for leaky ReLU in a small classifier: raw or scaled inputs?
============================================================================

The situation: a game paddle should move up when the ball is above it. A
small network gets ``[value_1, value_2, value_1 - value_2]`` (two positions in
screen units and their difference) and must answer 1 when ``value_1 >
value_2``, else 0. It works with sigmoid hidden units on the raw positions;
now the hidden units should be leaky ReLU, and the output must stay a
probability in [0, 1].

Two facts settle the second worry. Leaky ReLU's derivative is 1 for z > 0 and
``negative_slope`` (0.01 by default) for z <= 0. And in skact the hidden
activation never touches the output layer: a binary classifier always ends in
a sigmoid (``out_activation_ == "logistic"``), so ``predict_proba`` returns
probabilities whatever the hidden units are.

What remains is the inputs. The script draws positions uniformly in [0, 100]
(100 training rows, 2000 test rows, fixed seeds), and the same positions
measured in units 8 times smaller, in [0, 800], as on a larger screen. It
trains sigmoid and leaky-ReLU networks (14 hidden units, Adam with
``learning_rate_init=0.01``, at most 200 epochs) on the raw inputs, and in a
``Pipeline`` after a ``StandardScaler``, over 10 random seeds, and prints the
test accuracy (mean and standard deviation over the seeds), the test log loss
and the epochs used, then draws each seed's test accuracy. Scaling makes the
model blind to the units: the scaled
rows of the table repeat for both screens, while the raw rows need not; the
printed conclusions compare the spreads that were actually measured. Sigmoid
units on large raw inputs saturate into steps, which for this step-shaped
target is no handicap, so do not be surprised if raw inputs suit them well;
leaky-ReLU units are unbounded and pass the raw magnitudes on instead.

Run it with ``python examples/plot_leaky_relu_raw_vs_scaled.py`` (2.5 to 4 s on the
2-core development machine; matplotlib needed: ``pip install "skact[plot]"``).
"""

# %%
# The data: the label is value_1 > value_2, i.e. the sign of the third feature.
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from skact import ScratchMLPClassifier
from skact.activations import LeakyReLU

start = time.perf_counter()


def make_positions(n_samples, rng):
    """Features [value_1, value_2, value_1 - value_2] and labels value_1 > value_2."""
    values = rng.uniform(0, 100, size=(n_samples, 2))
    X = np.column_stack([values, values[:, 0] - values[:, 1]])
    return X, (values[:, 0] > values[:, 1]).astype(int)


rng = np.random.RandomState(0)
X_train, y_train = make_positions(100, rng)
X_test, y_test = make_positions(2000, rng)
UNITS = {"[0, 100]": 1.0, "[0, 800]": 8.0}  # the same positions, other units
N_SEEDS = 10

print("Leaky ReLU and its derivative at z = -2, 0, 3:")
leaky = LeakyReLU()
z = np.array([-2.0, 0.0, 3.0])
print(f"  f(z)  = {leaky(z)}\n  f'(z) = {leaky.derivative(z)}\n")

# %%
# The models: the estimator alone on raw inputs, or a Pipeline that scales
# first (fitted on the training rows only, then applied to the test rows).


def make_model(activation, scaled, seed):
    mlp = ScratchMLPClassifier(
        hidden_layer_sizes=(14,),
        activation=activation,
        solver="adam",
        learning_rate_init=0.01,
        max_iter=200,
        random_state=seed,
    )
    if scaled:
        return Pipeline([("scale", StandardScaler()), ("mlp", mlp)])
    return mlp


results = {}
accuracies = {}  # per seed, for the figure
proba_range = [np.inf, -np.inf]
for units, factor in UNITS.items():
    for scaled in (False, True):
        for activation in ("logistic", "leaky_relu"):
            acc, loss, epochs = [], [], []
            for seed in range(N_SEEDS):
                model = make_model(activation, scaled, seed)
                with warnings.catch_warnings():
                    # 200 epochs may end before the stopping rule is met.
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    model.fit(X_train * factor, y_train)
                proba = model.predict_proba(X_test * factor)
                proba_range = [
                    min(proba_range[0], proba.min()),
                    max(proba_range[1], proba.max()),
                ]
                acc.append(model.score(X_test * factor, y_test))
                loss.append(log_loss(y_test, proba, labels=[0, 1]))
                mlp = model[-1] if scaled else model
                epochs.append(mlp.n_iter_)
            accuracies[units, scaled, activation] = acc
            results[units, scaled, activation] = (
                np.mean(acc),
                np.std(acc),
                np.mean(loss),
                np.mean(epochs),
            )

# %%
# The table.
print(f"Test accuracy over {N_SEEDS} seeds (14 hidden units, adam, lr=0.01)")
print(
    f"{'positions':<9}  {'inputs':<6}  {'hidden':<10}  {'accuracy':>15}  "
    f"{'log loss':>8}  {'epochs':>6}"
)
for (units, scaled, activation), (mean, std, loss, epochs) in results.items():
    print(
        f"{units:<9}  {'scaled' if scaled else 'raw':<6}  {activation:<10}  "
        f"{mean:.3f} ± {std:.3f}  {loss:>8.3f}  {epochs:>6.0f}"
    )

# %%
# The same accuracies, one dot per seed: a panel per screen, a column per
# model. Scaled inputs give the same dots on both screens; raw ones need not,
# and the spread of a column is the seed's luck.
import matplotlib.pyplot as plt

fig, axes = plt.subplots(
    1, len(UNITS), sharey=True, figsize=(9, 4), layout="constrained"
)
columns = [
    (activation, scaled)
    for activation in ("logistic", "leaky_relu")
    for scaled in (False, True)
]
jitter = np.linspace(-0.15, 0.15, N_SEEDS)  # the seeds side by side
for ax, units in zip(axes, UNITS):
    for x, (activation, scaled) in enumerate(columns):
        acc = accuracies[units, scaled, activation]
        color = "tab:blue" if activation == "logistic" else "tab:orange"
        ax.scatter(x + jitter, acc, s=18, color=color, alpha=0.8)
        ax.hlines(np.mean(acc), x - 0.3, x + 0.3, color="black", lw=1.5)
    ax.set_xticks(
        range(len(columns)),
        [f"{a}\n{'scaled' if s else 'raw'}" for a, s in columns],
    )
    ax.set_title(f"positions in {units}")
    ax.grid(axis="y", alpha=0.3)
axes[0].set_ylabel(f"test accuracy ({N_SEEDS} seeds; line: mean)")
fig.suptitle("Sigmoid or leaky-ReLU hidden units, raw or scaled inputs")
# sphinx_gallery_thumbnail_number = 1
plt.show()

# %%
# The output layer: a sigmoid, whatever the hidden units. A scaled leaky-ReLU
# model on a few positions; each row of predict_proba is [P(0), P(1)].
model = make_model("leaky_relu", scaled=True, seed=0)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    model.fit(X_train, y_train)
pairs = np.array([[30.0, 70.0], [49.0, 51.0], [51.0, 49.0], [70.0, 30.0]])
X_pairs = np.column_stack([pairs, pairs[:, 0] - pairs[:, 1]])
print(
    f"\nScaled leaky-ReLU model: hidden {model[-1].activations_}, "
    f"output {model[-1].out_activation_!r}"
)
for (v1, v2), p in zip(pairs, model.predict_proba(X_pairs)):
    print(f"  value_1={v1:>4.0f}, value_2={v2:>4.0f}: predict_proba = {p.round(3)}")

# %%
# Conclusions, worded on the measured numbers.
print("\nConclusions")
inside = 0.0 <= proba_range[0] and proba_range[1] <= 1.0
print(
    f"- predict_proba over all {len(results) * N_SEEDS} models: smallest "
    f"{proba_range[0]:.3g}, largest {proba_range[1]:.3g}, "
    f"{'all' if inside else 'NOT all'} inside [0, 1]: the output layer is a "
    "sigmoid; leaky ReLU only replaces the hidden units."
)
for activation in ("logistic", "leaky_relu"):
    raw = [results[u, False, activation] for u in UNITS]
    scaled = [results[u, True, activation] for u in UNITS]
    raw_gap = abs(raw[0][0] - raw[1][0])
    scaled_gap = abs(scaled[0][0] - scaled[1][0])
    print(
        f"- {activation}: changing the units moved the mean accuracy by "
        f"{raw_gap:.3f} on raw inputs and by {scaled_gap:.3f} on scaled ones; "
        f"seed-to-seed spread (std) raw {raw[0][1]:.3f} / {raw[1][1]:.3f}, "
        f"scaled {scaled[0][1]:.3f} / {scaled[1][1]:.3f}."
    )
    best_raw = max(raw[0][0], raw[1][0])
    worst_raw = min(raw[0][0], raw[1][0])
    scaled_acc = min(scaled[0][0], scaled[1][0])
    if scaled_acc >= best_raw:
        verdict = "beat both raw cases"
    elif scaled_acc >= worst_raw:
        verdict = "beat the worse raw case only"
    else:
        verdict = "lost to both raw cases"
    print(
        f"  Scaled inputs ({scaled_acc:.3f}) {verdict} "
        f"({worst_raw:.3f} and {best_raw:.3f})."
    )
leaky_raw_std = max(results[u, False, "leaky_relu"][1] for u in UNITS)
leaky_scaled_std = max(results[u, True, "leaky_relu"][1] for u in UNITS)
if leaky_raw_std > leaky_scaled_std:
    print(
        f"- Leaky ReLU on raw inputs varied more from seed to seed (std up to "
        f"{leaky_raw_std:.3f}) than on scaled inputs (up to "
        f"{leaky_scaled_std:.3f}): its unbounded units pass raw magnitudes on, "
        "so scale the inputs (StandardScaler in a Pipeline) when you swap "
        "sigmoid for leaky ReLU."
    )
    raw_epochs = min(results[u, False, "leaky_relu"][3] for u in UNITS)
    scaled_epochs = min(results[u, True, "leaky_relu"][3] for u in UNITS)
    if raw_epochs < scaled_epochs:
        print(
            f"  On raw inputs its runs also stopped sooner (as few as "
            f"{raw_epochs:.0f} epochs on average, against {scaled_epochs:.0f} "
            "scaled): the stopping rule ends a run once 10 epochs bring no "
            "improvement in the training loss."
        )
else:
    print(
        f"- Leaky ReLU varied no more on raw inputs (std up to "
        f"{leaky_raw_std:.3f}) than on scaled ones (up to {leaky_scaled_std:.3f})."
    )
print(f"\nTotal time: {time.perf_counter() - start:.1f} s")
