"""
=========================================================================
What is the derivative of leaky ReLU, ELU or SELU? Print it, and check it
=========================================================================

Every activation in :mod:`skact.activations` carries its derivative next to its
value: ``act(z)`` is f(z) and ``act.derivative(z)`` is df/dz. This script
prints both on a few points for each registered activation, and checks every
derivative against a central finite difference, ``(f(z + h) - f(z - h)) / 2h``:
the test worth running on any derivative written by hand (a common bug is a
leaky-ReLU backward pass that reuses the plain ReLU mask, i.e. gives 0 instead
of the slope for z < 0; the check catches it at once).

The short answers:

- leaky ReLU: f'(z) = 1 for z > 0, ``negative_slope`` (0.01 by default) for
  z <= 0;
- ELU: f'(z) = 1 for z > 0, alpha * exp(z) = f(z) + alpha for z <= 0;
- SELU: lambda times the ELU derivative, with the fixed constants lambda ~
  1.0507 and alpha ~ 1.6733.

At the kink z = 0, where ReLU-like functions have no derivative, skact takes
the value of the z <= 0 branch, so ReLU'(0) = 0 as in scikit-learn, and
LeakyReLU'(0) = negative_slope. The finite-difference check skips z = 0 for
that reason. The last cells draw the activations and their derivatives with
:class:`skact.ActivationDisplay`.

Run it with ``python examples/plot_activation_derivatives.py`` (about a second;
matplotlib needed: ``pip install "skact[plot]"``).
"""

# %%
# The registry maps each name to its class; some classes have two names
# ("logistic" and "sigmoid", "silu" and "swish"). Group them by class.
import inspect

import numpy as np

from skact.activations import ACTIVATIONS, ELU, LeakyReLU, get_activation

names_of = {}
for name, cls in ACTIVATIONS.items():
    names_of.setdefault(cls, []).append(name)

points = np.array([-3.0, -1.0, -0.1, 0.0, 0.1, 1.0, 3.0])
print("z:     " + "".join(f"{z:>9.2f}" for z in points))

# %%
# Value and derivative of each activation, with its default parameters, and
# the worst disagreement with a finite difference away from the kink. The
# difference is of the order of h**2 and of rounding: 1e-9 or less.
h = 1e-5
smooth = points[points != 0]


def show(act, title):
    """Print f and f' on ``points`` and the finite-difference error of f'."""
    numeric = (act(smooth + h) - act(smooth - h)) / (2 * h)
    error = np.max(np.abs(act.derivative(smooth) - numeric))
    print(f"\n{title}")
    print("  f(z): " + "".join(f"{v:>9.4f}" for v in act(points)))
    print("  f'(z):" + "".join(f"{v:>9.4f}" for v in act.derivative(points)))
    print(f"  f'(z) - finite difference, worst away from 0: {error:.1e}")
    return error


errors = []
for cls, names in names_of.items():
    act = get_activation(names[0])
    summary = inspect.getdoc(cls).splitlines()[0]
    errors.append(show(act, f"{' / '.join(names)} = {act!r}: {summary}"))
print(f"\nWorst finite-difference error over all activations: {max(errors):.1e}")

# %%
# Parametrised activations: their parameters change the derivative for z <= 0.
# ELU(alpha=0.5) shows the kink convention: just left of 0 the slope tends to
# alpha = 0.5, just right of 0 it is 1; at 0 itself skact reports 0.5.
for act in (get_activation("leaky_relu", negative_slope=0.2), ELU(alpha=0.5)):
    show(act, repr(act))

# Scalars in, Python floats out: handy for checking a formula by hand.
leaky = get_activation("leaky_relu")
print(
    f"\nleaky_relu: f(-10) = {leaky(-10.0)}, f'(-10) = {leaky.derivative(-10.0)}; "
    f"relu: f'(0) = {get_activation('relu').derivative(0.0)}"
)

# %%
# The same, drawn: ``ActivationDisplay`` puts each activation (left) beside its
# derivative (right). The sigmoid's derivative never exceeds 1/4, tanh's peaks
# at 1 and both vanish on either side; the ReLU family keeps a slope of 1 for
# z > 0 and differs only in what it does for z <= 0: nothing (ReLU), a small
# slope (leaky ReLU, drawn with 0.1 rather than the default 0.01 to tell
# it from ReLU), or a curve that levels off at -alpha (ELU, SELU).
import matplotlib.pyplot as plt

from skact import ActivationDisplay

ActivationDisplay.from_activations(
    ["logistic", "tanh", "relu", LeakyReLU(negative_slope=0.1), "elu", "selu"]
)

# %%
# The smooth ReLUs: GELU and SiLU dip below zero before rising, so their
# derivatives go slightly negative and overshoot 1; softplus is a smoothed
# ReLU whose derivative is the sigmoid.
ActivationDisplay.from_activations(["relu", "gelu", "silu", "softplus"])
plt.show()
