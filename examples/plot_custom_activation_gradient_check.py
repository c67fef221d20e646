"""
==================================================================
Write your own activation, prove its derivative right, and tune it
==================================================================

A hand-written backward pass is where small networks go wrong: a leaky-ReLU
derivative that reuses the plain ReLU mask (0 instead of the slope for z <= 0)
still trains, just worse, and nothing complains. In skact an activation is a
small class, and :func:`skact.check_gradients` compares the gradient that
backpropagation computes through it with central finite differences of the
loss, ``(L(w + h) - L(w - h)) / 2h``, for a whole estimator. It returns the
worst relative error over the parameters: about 1e-6 or less when the
derivative is right, close to 1 when it is wrong.

The script

1. defines ``BentIdentity(bend=0.5)``, ``f(z) = z + bend * (sqrt(z^2 + 1) - 1)``
   with ``f'(z) = 1 + bend * z / sqrt(z^2 + 1)``, by subclassing
   :class:`skact.activations.Activation`: store each ``__init__`` argument under
   its own name, define ``__call__(z)`` and ``derivative(z, a=None)``;
2. defines ``BuggyLeakyReLU``, whose derivative uses the ReLU mask, and shows
   ``check_gradients`` passing the built-in leaky ReLU and the bent identity
   and catching the bug, for a classifier and a two-layer regressor;
3. tunes ``bend`` with ``GridSearchCV`` through ``activation__bend``, next to
   per-layer lists such as ``[BentIdentity(), "tanh"]``;
4. shows that ``clone`` and ``pickle`` keep the custom activation.

Before checking, it draws both activations with
:class:`skact.ActivationDisplay`: the bug shows in the derivative's panel.

The classes are defined at module level. Pickling stores a class by reference
(``module.ClassName``), so unpickling, and ``GridSearchCV(n_jobs>1)``, which
sends estimators to worker processes, need the class importable from a module;
a class defined in a script run as ``__main__`` works in this process, which
is why the search below keeps ``n_jobs=1``. Put your activations in a module
to use them with several workers.

Run it with ``python examples/plot_custom_activation_gradient_check.py`` (2 to 3 s
on the 2-core development machine; matplotlib needed: ``pip install "skact[plot]"``).
"""

# %%
# The custom activation: value and derivative, with NumPy.
import pickle
import time
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.datasets import make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split

from skact import ScratchMLPClassifier, ScratchMLPRegressor, check_gradients
from skact.activations import Activation

start = time.perf_counter()


class BentIdentity(Activation):
    r"""Bent identity: ``f(z) = z + bend * (sqrt(z^2 + 1) - 1)``.

    ``f'(z) = 1 + bend * z / sqrt(z^2 + 1)``, which stays in
    ``[1 - bend, 1 + bend]``: for ``bend < 1`` no unit ever stops learning.
    """

    name = "bent_identity"

    def __init__(self, bend=0.5):
        self.bend = bend

    def __call__(self, z):
        z = np.asarray(z, dtype=float)
        return z + self.bend * (np.sqrt(z * z + 1.0) - 1.0)

    def derivative(self, z, a=None):
        z = np.asarray(z, dtype=float)
        return 1.0 + self.bend * z / np.sqrt(z * z + 1.0)


class BuggyLeakyReLU(Activation):
    """Leaky ReLU with the classic backward-pass bug: the plain ReLU mask.

    The value is right; the derivative is 0 instead of ``negative_slope``
    for z <= 0.
    """

    name = "buggy_leaky_relu"

    def __init__(self, negative_slope=0.1):
        self.negative_slope = negative_slope

    def __call__(self, z):
        z = np.asarray(z, dtype=float)
        return np.where(z > 0, z, self.negative_slope * z)

    def derivative(self, z, a=None):
        z = np.asarray(z, dtype=float)
        return (z > 0).astype(float)  # BUG: should be negative_slope for z <= 0


bent = BentIdentity(bend=0.5)
z = np.array([-2.0, 0.0, 2.0])
print(f"{bent!r}: f({z}) = {bent(z).round(4)}, f' = {bent.derivative(z).round(4)}")
print(f"get_params: {bent.get_params()}\n")

# %%
# Drawn by ``ActivationDisplay``, which takes custom activations like built-in
# ones: the bent identity at three bends, then the buggy leaky ReLU beside the
# built-in one. Their values coincide; their derivatives part for z <= 0,
# where the bug's is 0 instead of the slope.
import matplotlib.pyplot as plt

from skact import ActivationDisplay
from skact.activations import LeakyReLU

ActivationDisplay.from_activations([BentIdentity(bend=b) for b in (0.2, 0.5, 0.9)])
ActivationDisplay.from_activations(
    [LeakyReLU(negative_slope=0.1), BuggyLeakyReLU(negative_slope=0.1)]
)
plt.show()

# %%
# check_gradients, on unfitted estimators (it uses the initial weights that
# random_state gives) and on a fitted one. Small data is enough.
X, y = make_moons(n_samples=200, noise=0.25, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
rng = np.random.RandomState(0)
X_reg = rng.normal(size=(40, 4))
y_reg = np.column_stack([np.sin(X_reg[:, 0]), X_reg[:, 1] * X_reg[:, 2]])

candidates = {
    "built-in leaky_relu": "leaky_relu",
    "BentIdentity(bend=0.5)": BentIdentity(bend=0.5),
    "BuggyLeakyReLU(0.1)": BuggyLeakyReLU(negative_slope=0.1),
}
errors = {}
print("Worst relative error, backprop vs finite differences")
print(f"{'activation':<24}  {'classifier (8,)':>15}  {'regressor (8, 6)':>16}")
for label, act in candidates.items():
    clf = ScratchMLPClassifier(hidden_layer_sizes=(8,), activation=act, random_state=0)
    reg = ScratchMLPRegressor(hidden_layer_sizes=(8, 6), activation=act, random_state=0)
    errors[label] = (
        check_gradients(clf, X_train, y_train),
        check_gradients(reg, X_reg, y_reg),
    )
    print(f"{label:<24}  {errors[label][0]:>15.1e}  {errors[label][1]:>16.1e}")

with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    fitted = ScratchMLPClassifier(
        hidden_layer_sizes=(8,), activation=BentIdentity(), max_iter=200, random_state=0
    ).fit(X_train, y_train)
fitted_error = check_gradients(fitted, X_train, y_train)
print(f"{'BentIdentity, fitted':<24}  {fitted_error:>15.1e}")

THRESHOLD = 1e-4
print(f"\nVerdict (worst error below {THRESHOLD:g} = derivative consistent):")
for label, errs in errors.items():
    worst = max(errs)
    verdict = "passes" if worst < THRESHOLD else "FAILS: derivative is wrong"
    print(f"  {label:<24} {verdict} (worst {worst:.1e})")

# %%
# GridSearchCV over the activation's own parameter, and over per-layer lists.
# The grid's activation objects are cloned for every candidate, like any
# estimator parameter; "activation__bend" reaches inside the object.
param_grid = [
    {"activation": [BentIdentity()], "activation__bend": [0.0, 0.5, 0.9]},
    {
        "hidden_layer_sizes": [(16, 8)],
        "activation": [
            [BentIdentity(bend=0.5), "tanh"],
            ["relu", BentIdentity(bend=0.9)],
        ],
    },
]
search = GridSearchCV(
    ScratchMLPClassifier(
        hidden_layer_sizes=(16,),
        solver="adam",
        learning_rate_init=0.01,
        max_iter=200,
        random_state=0,
    ),
    param_grid,
    cv=3,
    n_jobs=1,  # see the module docstring: custom classes and worker processes
)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    search.fit(X_train, y_train)
res = search.cv_results_
print(f"\n{'hidden':<8}  {'activation':<45}  {'CV accuracy':>13}")
for i in np.argsort(res["rank_test_score"], kind="stable"):
    params = res["params"][i]
    sizes = params.get("hidden_layer_sizes", (16,))
    activation = params["activation"]
    if "activation__bend" in params:
        # The candidate is the grid's object with its own bend set on it.
        activation = clone(activation).set_params(bend=params["activation__bend"])
    print(
        f"{sizes!s:<8}  {activation!r:<45}  "
        f"{res['mean_test_score'][i]:.3f} ± {res['std_test_score'][i]:.3f}"
    )
best = search.best_estimator_
print(f"Best: {search.best_params_}")
print(f"Best model's activations_: {best.activations_}")
print(f"Test accuracy of the best model: {search.score(X_test, y_test):.3f}")

# %%
# clone and pickle. clone copies the activation (equal, not the same object);
# pickle round-trips a fitted model with identical predictions.
template = ScratchMLPClassifier(activation=BentIdentity(bend=0.3))
copy = clone(template)
print(
    f"\nclone: {copy.activation!r}, equal: {copy.activation == template.activation}, "
    f"same object: {copy.activation is template.activation}"
)
restored = pickle.loads(pickle.dumps(best))
same = np.array_equal(restored.predict_proba(X_test), best.predict_proba(X_test))
print(f"pickle: activations_ {restored.activations_}, identical predict_proba: {same}")

# %%
# Conclusions from the measured errors.
print("\nConclusions")
good = max(max(errors["built-in leaky_relu"]), max(errors["BentIdentity(bend=0.5)"]))
bad = min(errors["BuggyLeakyReLU(0.1)"])
if good < THRESHOLD <= bad:
    print(
        f"- check_gradients separated right from wrong by a factor of "
        f"{bad / good:.0e}: worst error {good:.1e} for the correct derivatives, "
        f"at least {bad:.2f} for the ReLU-mask bug."
    )
else:
    print(
        f"- Correct derivatives gave up to {good:.1e}, the buggy one at least "
        f"{bad:.1e}: not separated by the {THRESHOLD:g} threshold here."
    )
print(f"Total time: {time.perf_counter() - start:.1f} s")
