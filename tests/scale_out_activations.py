"""A custom activation in a module of its own, for tests/test_scale_out.py.

Not a test module: the point is its name. A dask worker is a separate process
that receives the activation pickled by reference (``scale_out_activations``,
``ISRU``) and has to import this module by that name to rebuild it. The test
puts this folder on ``sys.path`` before it starts its cluster; the worker
processes, spawned by multiprocessing, start with the same ``sys.path``.
"""

import numpy as np

from skact.activations import Activation

unpickled = 0
"""How many ISRU objects this process has rebuilt from a pickle: the test reads
it in the workers, to see that the activation itself reached them."""


class ISRU(Activation):
    r"""The inverse square root unit, a tanh-like activation.

    .. math::
        f(z) = \frac{z}{\sqrt{1 + \alpha z^2}}, \qquad
        f'(z) = \left(1 + \alpha z^2\right)^{-3/2}

    Parameters
    ----------
    alpha : float, default=1.0
        The outputs lie in ``(-1/sqrt(alpha), 1/sqrt(alpha))``; 0 is the
        identity.
    """

    parameter_ranges = {"alpha": (0, None, "left")}

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def _inverse_root(self, z):
        # hypot(1, sqrt(alpha) z) is sqrt(1 + alpha z^2) without overflow.
        z = np.asarray(z, dtype=float)
        return 1.0 / np.hypot(1.0, np.sqrt(self.alpha) * z)

    def __call__(self, z):
        return np.asarray(z, dtype=float) * self._inverse_root(z)

    def derivative(self, z, a=None):
        return self._inverse_root(z) ** 3

    def __setstate__(self, state):
        global unpickled
        unpickled += 1
        self.__dict__.update(state)
