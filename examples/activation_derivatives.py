"""What is the derivative of leaky ReLU, ELU or SELU? Print and check them.

Every activation in :mod:`skact.activations` carries its derivative next to its
value. This script prints both on a few points for each registered activation,
checks each derivative against a central finite difference (the test you can
run on any derivative you write by hand), and shows the convention at the kink
z = 0, where ReLU-like functions have no derivative: skact takes the value of
the z <= 0 branch, so ReLU'(0) = 0 as in scikit-learn.

Run it with ``python examples/activation_derivatives.py``.
"""

# %%
import numpy as np

from skact.activations import ACTIVATIONS, get_activation

points = np.array([-3.0, -1.0, -0.1, 0.0, 0.1, 1.0, 3.0])
print("z:" + "".join(f"{z:>9.2f}" for z in points))

# %%
# Value and derivative of each activation, and the worst disagreement with a
# finite difference away from the kink.
h = 1e-6
smooth = points[points != 0]
for name in sorted(ACTIVATIONS):
    act = get_activation(name)
    numeric = (act(smooth + h) - act(smooth - h)) / (2 * h)
    error = np.max(np.abs(act.derivative(smooth) - numeric))
    print(f"\n{name} = {act!r}   (derivative vs finite difference: {error:.1e})")
    print("  f(z): " + "".join(f"{v:>9.4f}" for v in act(points)))
    print("  f'(z):" + "".join(f"{v:>9.4f}" for v in act.derivative(points)))

# %%
# A parametrised activation: the leaky ReLU's slope is its derivative for z < 0.
leaky = get_activation("leaky_relu", negative_slope=0.2)
print(f"\n{leaky!r}: f(-10) = {leaky(-10.0)}, f'(-10) = {leaky.derivative(-10.0)}")
