"""Activation functions with their derivatives, usable as hyperparameters.

Each activation is a small class holding its value and its derivative side by
side, with the formula in its docstring. Instances are callable on arrays and
on Python scalars::

    >>> from skact.activations import get_activation, LeakyReLU
    >>> leaky = get_activation("leaky_relu")
    >>> leaky(-10.0)
    -0.1
    >>> leaky.derivative(-10.0)
    0.01
    >>> LeakyReLU(negative_slope=0.2)
    LeakyReLU(negative_slope=0.2)

They are hyperparameters in scikit-learn's sense: ``get_params`` and
``set_params`` expose their own parameters, so a grid such as
``{"activation": [LeakyReLU()], "activation__negative_slope": [0.01, 0.1]}``
works in `~sklearn.model_selection.GridSearchCV`.

Conventions
-----------
- **Kinks.** Where an activation is not differentiable (z = 0 for ReLU, leaky
  ReLU, PReLU, ELU with ``alpha != 1`` and SELU), the derivative takes the value
  of the ``z <= 0`` branch: ``ReLU'(0) = 0`` (as in scikit-learn),
  ``LeakyReLU'(0) = negative_slope``, ``PReLU'(0) = slope``,
  ``ELU'(0) = alpha``, ``SELU'(0) = scale * alpha``.
- **dtypes.** float32 input gives float32 output; other input is computed in
  float64.
- **Stability.** Values and derivatives stay finite, without floating-point
  warnings, for any finite input short of the dtype's largest values (there
  SELU's value ``1.0507 z`` and softplus's intermediate ``beta * z`` can
  overflow): exponentials only ever see non-positive arguments, squares are
  taken of clipped inputs, logistic functions use `scipy.special.expit`.

Writing your own
----------------
Subclass `Activation` and define ``__call__(self, z)`` and
``derivative(self, z, a=None)`` with NumPy expressions; store each ``__init__``
argument unchanged under its own name. That is all the network needs::

    >>> import numpy as np
    >>> from skact.activations import Activation
    >>> class Cube(Activation):
    ...     name = "cube"
    ...     def __call__(self, z):
    ...         return np.asarray(z) ** 3
    ...     def derivative(self, z, a=None):
    ...         return 3 * np.asarray(z) ** 2
    >>> float(Cube()(2.0)), float(Cube().derivative(2.0))
    (8.0, 12.0)
"""

import difflib
import inspect
import math

import numpy as np
from scipy.special import expit, ndtr

from ._kernels import (
    active_right_of,
    elu_backward,
    elu_into,
    gelu_backward,
    gelu_into,
    gelu_tanh_backward,
    gelu_tanh_into,
    leaky_derivative,
    leaky_forward,
    negative_part,
    positive_part,
    sigmoid_into,
    silu_backward,
    softplus_into,
)

__all__ = [
    "ACTIVATIONS",
    "ELU",
    "GELU",
    "SELU",
    "Activation",
    "Identity",
    "LeakyReLU",
    "PReLU",
    "ReLU",
    "SiLU",
    "Sigmoid",
    "Softplus",
    "Tanh",
    "get_activation",
]


INACTIVE_BELOW = 1e-3
"""A unit whose derivative is below this on a sample is inactive on it."""


class Activation:
    """Base class of the activations: a hyperparameter object.

    A subclass defines ``__call__(self, z)``, the value, and
    ``derivative(self, z, a=None)``, dA/dz (where ``a`` may be the already
    computed ``self(z)``), and stores each ``__init__`` argument unchanged as
    an attribute of the same name. The base class derives the rest from that:
    ``get_params``/``set_params``, ``repr``, equality and the network
    interface.

    Everything else is optional: hints for the start, the parameters' legal
    values, speed and diagnostics, whose defaults suit any activation; the
    network interface (``forward``, ``backward``, ``forward_with_derivative``,
    ``params_gradient``), which is what the training loop calls, its defaults
    using ``__call__`` and ``derivative`` (the built-ins override them to work
    in place, through the kernels of ``skact._kernels``); and the
    hyperparameter plumbing.
    """

    name = None
    """The name under which the activation is registered, or None."""

    def __call__(self, z):
        """The activation's value ``a = f(z)``, elementwise.

        Parameters
        ----------
        z : float or array-like of shape (n_samples, n_units)
            Pre-activations.

        Returns
        -------
        a : float or ndarray of the shape of ``z``
            A scalar for scalar input; float32 for float32 input, float64
            otherwise.
        """
        raise NotImplementedError(_missing(self, "__call__(self, z)", "its value"))

    def derivative(self, z, a=None):
        """The derivative ``dA/dz = f'(z)``, elementwise.

        At a kink the derivative takes its ``z <= 0`` branch.

        Parameters
        ----------
        z : float or array-like of shape (n_samples, n_units)
            Pre-activations.
        a : float or array-like of the shape of ``z``, default=None
            ``self(z)`` if already computed: activations whose derivative is
            cheaper from the output (sigmoid, tanh) use it, the rest ignore it.

        Returns
        -------
        d : float or ndarray of the shape of ``z``
            A scalar for scalar input; float32 for float32 input, float64
            otherwise.
        """
        raise NotImplementedError(
            _missing(self, "derivative(self, z, a=None)", "its derivative dA/dz")
        )

    # -- optional hints: the start, legal values, speed, diagnostics ----------

    default_init = "glorot_uniform"
    """The weight initialisation that ``weight_init="auto"`` uses for a layer
    with this activation: "glorot_uniform" (all built-ins but SELU, see the
    estimators' ``weight_init``), "he_uniform", "he_normal" or "lecun_normal"."""

    init_scale = 1.0
    """With ``weight_init="auto"``, the spread (the robust standard deviation,
    over the training samples) of the pre-activations that the start scales
    the weights of a layer with this activation to, whatever the inputs'
    scale. The logistic uses 0.5: its output is not centred on zero, and a
    start near its linear range trains fastest (the logistic at z is the tanh
    at z / 2, so 0.5 is the tanh's 0.25); the identity 0.3."""

    start_spread = None
    """With ``weight_init="auto"``, ``(low, high)``: each unit's intercept
    puts its boundary z = 0 through a random quantile, drawn uniformly from
    ``[low, high]``, of its pre-activation over the training samples, so that
    the units' hyperplanes cross the data at different places instead of all
    through its centre. A unit is then active (z > 0) on a share from
    ``1 - high`` to ``1 - low`` of the samples. Tanh and the logistic use
    (0.25, 0.75); ReLU, leaky ReLU and PReLU (0.1, 0.5), so that every unit
    starts active on half the samples at least (none dead, few dying); their
    smooth forms (ELU, GELU, SiLU, softplus), which cannot die, (0.1, 0.75).
    None keeps zero intercepts (identity, SELU)."""

    parameter_ranges = {}
    """The legal values of each parameter, checked when an estimator is fitted
    with this activation: ``{name: (low, high, closed)}``, a real number from
    ``low`` to ``high`` (None for no bound; infinity and NaN are never legal),
    ``closed`` being "both", "left", "right" or "neither" as in scikit-learn's
    ``Interval``. Parameters left out are not checked."""

    forward_in_place = False
    """Whether `forward` may write its output over its input
    (``out is z``), which prediction uses to save an allocation per layer."""

    derivative_in_forward = False
    """Whether training calls `forward_with_derivative` instead of
    `forward` then `backward`: for activations whose derivative is
    cheap to get from the intermediate values of the forward pass (GELU's
    normal density and tail) and costly to compute again from ``z`` and ``a``."""

    def init_params(self, n_units, dtype):
        """Initial learnable parameters of a layer, or None if there are none.

        Parameters
        ----------
        n_units : int
            Number of units of the layer.
        dtype : numpy.dtype
            dtype of the network.

        Returns
        -------
        params : ndarray of shape (n_units,) or None
        """
        return None

    def init_leak(self):
        """Slope for z < 0 that He initialisation puts in its gain, 0 by default.

        He's gain is ``sqrt(2 / (1 + leak ** 2))``: a leaky unit passes on more
        variance than a ReLU, so its weights start a little smaller.

        Returns
        -------
        leak : float
        """
        return 0.0

    def active_units(self, z, a):
        """Which units had a non-negligible derivative for at least one sample.

        A unit that is inactive for every sample of an epoch learns nothing in
        that epoch: a "dead" ReLU, or a saturated sigmoid or tanh. The default
        counts a derivative of magnitude above ``INACTIVE_BELOW`` as active;
        activations whose derivative never vanishes return None.

        Parameters
        ----------
        z, a : ndarray of shape (n_samples, n_units)
            Pre-activations and activations of a batch.

        Returns
        -------
        active : ndarray of bool of shape (n_units,) or None
        """
        return (np.abs(self.derivative(z, a)) > INACTIVE_BELOW).any(axis=0)

    # -- network interface: what the training loop calls ----------------------

    def forward(self, z, out, params=None):
        """Write ``f(z)`` into ``out`` and return it.

        Parameters
        ----------
        z : ndarray of shape (n_samples, n_units)
            Pre-activations; kept unchanged for the backward pass.
        out : ndarray of shape (n_samples, n_units)
            Preallocated output, distinct from ``z``.
        params : ndarray of shape (n_units,) or None
            Learnable parameters of the layer (see `init_params`).

        Returns
        -------
        out : ndarray of shape (n_samples, n_units)
            The activations.
        """
        out[...] = self(z)
        return out

    def backward(self, z, a, grad, params=None):
        """Multiply ``grad`` in place by ``f'(z)``: dLoss/da becomes dLoss/dz.

        Parameters
        ----------
        z : ndarray of shape (n_samples, n_units)
            Pre-activations.
        a : ndarray of shape (n_samples, n_units)
            Activations from `forward`.
        grad : ndarray of shape (n_samples, n_units)
            dLoss/da on input, dLoss/dz on output.
        params : ndarray of shape (n_units,) or None
            Learnable parameters of the layer.

        Returns
        -------
        grad : ndarray of shape (n_samples, n_units)
            The same array.
        """
        grad *= self.derivative(z, a)
        return grad

    def forward_with_derivative(self, z, out, derivative, params=None):
        """`forward`, also writing ``f'(z)`` into ``derivative``.

        The backward pass then multiplies by ``derivative`` instead of calling
        `backward` (see `derivative_in_forward`).

        Parameters
        ----------
        z : ndarray of shape (n_samples, n_units)
            Pre-activations.
        out : ndarray of shape (n_samples, n_units)
            Preallocated output, distinct from ``z``.
        derivative : ndarray of shape (n_samples, n_units)
            Preallocated, receives ``f'(z)``.
        params : ndarray of shape (n_units,) or None
            Learnable parameters of the layer.

        Returns
        -------
        out : ndarray of shape (n_samples, n_units)
            The activations.
        """
        self.forward(z, out, params)
        derivative[...] = 1
        self.backward(z, out, derivative, params)
        return out

    def params_gradient(self, z, a, grad, params):
        """dLoss/dparams summed over samples, given ``grad`` = dLoss/da.

        Parameters
        ----------
        z, a, grad : ndarray of shape (n_samples, n_units)
            Pre-activations, activations and dLoss/da (before `backward`).
        params : ndarray of shape (n_units,)
            Current learnable parameters.

        Returns
        -------
        gradient : ndarray of shape (n_units,) or None
        """
        return None

    # -- hyperparameter plumbing, from the __init__ signature -----------------

    def get_params(self, deep=True):
        """Get the parameters of this activation.

        Parameters
        ----------
        deep : bool, default=True
            Ignored: activations hold no nested objects.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params):
        """Set the parameters of this activation.

        Parameters
        ----------
        **params : dict
            Parameter names and their new values.

        Returns
        -------
        self : Activation
            This activation.
        """
        valid = self._param_names()
        for key, value in params.items():
            if key not in valid:
                raise ValueError(
                    f"Invalid parameter {key!r} for activation {self!r}. "
                    f"Valid parameters are: {valid}."
                )
            setattr(self, key, value)
        return self

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other):
        return type(self) is type(other) and self.get_params() == other.get_params()

    def __hash__(self):
        return hash((type(self), tuple(self.get_params().items())))

    @classmethod
    def _param_names(cls):
        init = cls.__init__
        if init is object.__init__:
            return []
        return [
            p.name
            for p in inspect.signature(init).parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]


def _missing(activation, signature, what):
    """The message of a method a custom activation must define but did not."""
    return (
        f"{type(activation).__name__} does not define {signature}: an Activation "
        f"subclass defines __call__(self, z) and derivative(self, z, a=None) "
        f"with NumPy expressions; {signature.split('(')[0]} gives {what}."
    )


def _as_float_array(z):
    """``z`` as a float32 or float64 array (float32 is kept, the rest upcast)."""
    z = np.asarray(z)
    if z.dtype == np.float32 or z.dtype == np.float64:
        return z
    return z.astype(np.float64)


def _elementwise(method):
    """Let an array-valued method accept Python scalars and return a scalar.

    The wrapped method receives ``z`` as a float array. A Python number in
    gives a Python float out; a NumPy scalar in gives a NumPy scalar of its
    float dtype.
    """

    def wrapper(self, z, *args, **kwargs):
        z_float = _as_float_array(z)
        # A hyperparameter given as a NumPy float64 scalar (from np.logspace in
        # a grid, say) is not a "weak" Python float under NumPy 2 promotion and
        # would upcast float32 input: cast back, a no-op when dtypes agree.
        result = np.asarray(method(self, z_float, *args, **kwargs)).astype(
            z_float.dtype, copy=False
        )
        if isinstance(z, (int, float)):
            return float(result)
        return result[()] if np.ndim(result) == 0 else result

    wrapper.__name__ = method.__name__
    wrapper.__qualname__ = method.__qualname__
    wrapper.__doc__ = method.__doc__
    return wrapper


class Identity(Activation):
    r"""Identity: no non-linearity.

    .. math:: f(z) = z, \qquad f'(z) = 1
    """

    name = "identity"
    forward_in_place = True
    # A linear layer's scale sets only how fast it learns beside the output
    # layer: smaller trained faster, at every budget measured.
    init_scale = 0.3

    @_elementwise
    def __call__(self, z):
        return z.copy()

    @_elementwise
    def derivative(self, z, a=None):
        return np.ones_like(z)

    def forward(self, z, out, params=None):
        np.copyto(out, z)
        return out

    def backward(self, z, a, grad, params=None):
        return grad

    def active_units(self, z, a):
        return None


class Sigmoid(Activation):
    r"""Logistic sigmoid, scikit-learn's "logistic".

    .. math:: f(z) = \frac{1}{1 + e^{-z}}, \qquad f'(z) = f(z)\,(1 - f(z))
    """

    name = "logistic"
    forward_in_place = True
    init_scale = 0.5
    start_spread = (0.25, 0.75)

    @_elementwise
    def __call__(self, z):
        return expit(z)

    @_elementwise
    def derivative(self, z, a=None):
        a = expit(z) if a is None else a
        return a * (1 - a)

    def forward(self, z, out, params=None):
        return sigmoid_into(z, out)

    def backward(self, z, a, grad, params=None):
        grad *= a
        grad *= 1 - a
        return grad

    def active_units(self, z, a):
        # Saturation is symmetric: the least saturated sample has the
        # activation closest to 1/2, where the derivative a (1 - a) peaks.
        closest = np.abs(a - 0.5).min(axis=0)
        return (0.25 - closest * closest) > INACTIVE_BELOW


class Tanh(Activation):
    r"""Hyperbolic tangent.

    .. math:: f(z) = \tanh z, \qquad f'(z) = 1 - \tanh^2 z
    """

    name = "tanh"
    forward_in_place = True
    start_spread = (0.25, 0.75)

    @_elementwise
    def __call__(self, z):
        return np.tanh(z)

    @_elementwise
    def derivative(self, z, a=None):
        a = np.tanh(z) if a is None else a
        return 1 - a * a

    def forward(self, z, out, params=None):
        return np.tanh(z, out=out)

    def backward(self, z, a, grad, params=None):
        grad *= 1 - a * a
        return grad

    def active_units(self, z, a):
        closest = np.abs(a).min(axis=0)  # where 1 - a**2 is largest
        return (1 - closest * closest) > INACTIVE_BELOW


class ReLU(Activation):
    r"""Rectified linear unit.

    .. math:: f(z) = \max(z, 0), \qquad f'(z) = [z > 0]
    """

    name = "relu"
    forward_in_place = True
    start_spread = (0.1, 0.5)

    @_elementwise
    def __call__(self, z):
        return positive_part(z)

    @_elementwise
    def derivative(self, z, a=None):
        return (z > 0).astype(z.dtype)

    def forward(self, z, out, params=None):
        return positive_part(z, out=out)

    def backward(self, z, a, grad, params=None):
        # Multiplying by the boolean "unit is on" is one vectorised pass, with
        # no boolean indexing as in a masked assignment grad[z <= 0] = 0.
        return np.multiply(grad, a > 0, out=grad)

    def active_units(self, z, a):
        # A ReLU unit learns from a sample only where its output is positive.
        # The outputs are never negative, so "some output is positive" is "the
        # column sums are positive": one BLAS product with a vector of ones,
        # with no boolean temporary as in (a > 0).any(axis=0).
        return np.ones(a.shape[0], dtype=a.dtype) @ a > 0


class LeakyReLU(Activation):
    r"""Leaky rectified linear unit.

    .. math::
        f(z) = \begin{cases} z & z > 0 \\ s\,z & z \le 0 \end{cases}, \qquad
        f'(z) = \begin{cases} 1 & z > 0 \\ s & z \le 0 \end{cases}

    Parameters
    ----------
    negative_slope : float, default=0.01
        The slope ``s`` for negative inputs, in [0, 1] (0 is ReLU).
    """

    name = "leaky_relu"
    start_spread = (0.1, 0.5)
    parameter_ranges = {"negative_slope": (0, 1, "both")}

    def __init__(self, negative_slope=0.01):
        self.negative_slope = negative_slope

    @_elementwise
    def __call__(self, z):
        return leaky_forward(z, self.negative_slope, np.empty_like(z))

    @_elementwise
    def derivative(self, z, a=None):
        return leaky_derivative(z, self.negative_slope)

    def forward(self, z, out, params=None):
        return leaky_forward(z, self.negative_slope, out)

    def backward(self, z, a, grad, params=None):
        grad *= leaky_derivative(z, self.negative_slope)
        return grad

    def init_leak(self):
        return self.negative_slope

    def active_units(self, z, a):
        if self.negative_slope != 0:
            return None  # the derivative never vanishes
        return active_right_of(z, 0.0)


class PReLU(Activation):
    r"""Parametric ReLU: a leaky ReLU whose slope is learned for each unit.

    .. math::
        f(z) = \begin{cases} z & z > 0 \\ s\,z & z \le 0 \end{cases}, \qquad
        \frac{\partial f}{\partial z} = \begin{cases} 1 & z > 0 \\ s & z \le 0
        \end{cases}, \qquad
        \frac{\partial f}{\partial s} = \min(z, 0)

    In a network each hidden unit learns its own slope ``s``, starting at
    ``init``; the estimator stores the learned slopes in
    ``activation_params_``. Called directly, the activation uses ``init``.

    Parameters
    ----------
    init : float, default=0.25
        Initial slope for negative inputs, in [0, 1].
    """

    name = "prelu"
    start_spread = (0.1, 0.5)
    parameter_ranges = {"init": (0, 1, "both")}

    def __init__(self, init=0.25):
        self.init = init

    def _slope(self, params):
        return self.init if params is None else params

    @_elementwise
    def __call__(self, z):
        return leaky_forward(z, self.init, np.empty_like(z))

    @_elementwise
    def derivative(self, z, a=None):
        return leaky_derivative(z, self.init)

    def forward(self, z, out, params=None):
        return leaky_forward(z, self._slope(params), out)

    def backward(self, z, a, grad, params=None):
        grad *= leaky_derivative(z, self._slope(params))
        return grad

    def init_params(self, n_units, dtype):
        return np.full(n_units, self.init, dtype=dtype)

    def init_leak(self):
        return self.init

    def active_units(self, z, a):
        return None  # learned slopes are almost never exactly zero

    def params_gradient(self, z, a, grad, params):
        return np.einsum("ij,ij->j", grad, negative_part(z))


class ELU(Activation):
    r"""Exponential linear unit.

    .. math::
        f(z) = \begin{cases} z & z > 0 \\ \alpha\,(e^{z} - 1) & z \le 0
        \end{cases}, \qquad
        f'(z) = \begin{cases} 1 & z > 0 \\ \alpha\,e^{z} & z \le 0 \end{cases}

    Parameters
    ----------
    alpha : float, default=1.0
        The value the function tends to, negated, as z goes to minus infinity;
        finite and at least 0.
    """

    name = "elu"
    start_spread = (0.1, 0.75)
    parameter_ranges = {"alpha": (0, None, "left")}

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    @_elementwise
    def __call__(self, z):
        # expm1 only sees z <= 0: no overflow, and accurate near 0.
        return np.where(z > 0, z, self.alpha * np.expm1(np.minimum(z, 0)))

    @_elementwise
    def derivative(self, z, a=None):
        return np.where(z > 0, 1, self.alpha * np.exp(np.minimum(z, 0))).astype(z.dtype)

    def forward(self, z, out, params=None):
        return elu_into(z, self.alpha, 1, out)

    def backward(self, z, a, grad, params=None):
        return elu_backward(z, a, self.alpha, 1, grad)

    def active_units(self, z, a):
        # alpha * exp(z) < INACTIVE_BELOW left of log(INACTIVE_BELOW / alpha).
        if self.alpha <= 0:
            return z.max(axis=0) > 0
        return active_right_of(z, np.log(INACTIVE_BELOW / self.alpha))


class SELU(Activation):
    r"""Scaled exponential linear unit (Klambauer et al., 2017).

    .. math::
        f(z) = \lambda \begin{cases} z & z > 0 \\ \alpha\,(e^{z} - 1) & z \le 0
        \end{cases}, \qquad
        f'(z) = \lambda \begin{cases} 1 & z > 0 \\ \alpha\,e^{z} & z \le 0
        \end{cases}

    with λ ≈ 1.0507 and α ≈ 1.6733, the
    constants that make activations self-normalising.
    """

    name = "selu"
    default_init = "lecun_normal"
    scale = 1.0507009873554804934193349852946
    alpha = 1.6732632423543772848170429916717

    @_elementwise
    def __call__(self, z):
        neg = self.alpha * np.expm1(np.minimum(z, 0))
        return self.scale * np.where(z > 0, z, neg)

    @_elementwise
    def derivative(self, z, a=None):
        neg = self.alpha * np.exp(np.minimum(z, 0))
        return (self.scale * np.where(z > 0, 1, neg)).astype(z.dtype)

    def forward(self, z, out, params=None):
        return elu_into(z, self.alpha, self.scale, out)

    def backward(self, z, a, grad, params=None):
        return elu_backward(z, a, self.alpha, self.scale, grad)

    def active_units(self, z, a):
        threshold = np.log(INACTIVE_BELOW / (self.scale * self.alpha))
        return active_right_of(z, threshold)


class GELU(Activation):
    r"""Gaussian error linear unit (Hendrycks and Gimpel, 2016), exact or tanh form.

    The exact form, ``approximate="none"``:

    .. math::
        f(z) = z\,\Phi(z) = \frac{z}{2}\left(1 + \operatorname{erf}
        \frac{z}{\sqrt 2}\right), \qquad
        f'(z) = \Phi(z) + z\,\varphi(z)

    with Φ and φ the standard normal distribution and
    density functions. The tanh form, ``approximate="tanh"``:

    .. math::
        f(z) = \frac{z}{2}\left(1 + \tanh u\right), \quad
        u = \sqrt{2/\pi}\left(z + 0.044715\,z^3\right), \qquad
        f'(z) = \frac{1 + \tanh u}{2}
        + \frac{z}{2}\left(1 - \tanh^2 u\right)
        \sqrt{2/\pi}\left(1 + 3 \cdot 0.044715\,z^2\right)

    It is within 4.7e-4 of the exact form (its derivative within 8.7e-4),
    needs one exponential per value and no rational approximation of the
    normal tail, and matches PyTorch's ``GELU(approximate="tanh")`` and
    ONNX's ``Gelu`` with ``approximate="tanh"``.

    Parameters
    ----------
    approximate : {"none", "tanh"}, default="none"
        The form: "none" for the exact one, "tanh" for the tanh approximation.
    """

    name = "gelu"
    start_spread = (0.1, 0.75)
    derivative_in_forward = True
    _forms = ("none", "tanh")

    def __init__(self, approximate="none"):
        self.approximate = approximate

    def _tanh_form(self):
        """Whether ``approximate`` is "tanh"; a ValueError if it is neither form."""
        if not isinstance(self.approximate, str) or self.approximate not in self._forms:
            raise ValueError(
                "The 'approximate' parameter of GELU must be a str among "
                f"{{'none', 'tanh'}}. Got {self.approximate!r} instead."
            )
        return self.approximate == "tanh"

    @_elementwise
    def __call__(self, z):
        if self._tanh_form():
            # (1 + tanh u) / 2 is sigmoid(2 u), which expit keeps accurate
            # where it is tiny (1 + tanh u cancels there).
            return z * expit(2 * _gelu_tanh_argument(z))
        return z * ndtr(z)

    @_elementwise
    def derivative(self, z, a=None):
        if self._tanh_form():
            # (1 - tanh^2 u) / 2 is 2 s (1 - s), with s = sigmoid(2 u) and
            # 1 - s = sigmoid(-2 u), which stays accurate where s nears 1.
            zc = np.clip(z, -40, 40)  # where s (1 - s) is already 0
            u = _gelu_tanh_argument(z)
            du = math.sqrt(2 / math.pi) * (1 + 3 * 0.044715 * zc * zc)
            return expit(2 * u) * (1 + 2 * zc * expit(-2 * u) * du)
        # exp(-z**2 / 2) underflows quietly to 0 for large |z|; clipping first
        # keeps z * z itself from overflowing for huge inputs.
        zc = np.clip(z, -40, 40)
        return ndtr(z) + zc * np.exp(-0.5 * zc * zc) * (1 / math.sqrt(2 * math.pi))

    def forward(self, z, out, params=None):
        if self._tanh_form():
            return gelu_tanh_into(z, out)
        return gelu_into(z, out)

    def forward_with_derivative(self, z, out, derivative, params=None):
        if self._tanh_form():
            return gelu_tanh_into(z, out, derivative)
        return gelu_into(z, out, derivative)

    def backward(self, z, a, grad, params=None):
        if self._tanh_form():
            return gelu_tanh_backward(z, a, grad)
        return gelu_backward(z, a, grad)

    def active_units(self, z, a):
        # |f'(z)| < INACTIVE_BELOW left of these points (found numerically;
        # the derivative's zero near z = -0.75 is a single point).
        threshold = -3.7373491698594363 if self._tanh_form() else -3.810371436001639
        return active_right_of(z, threshold)


def _gelu_tanh_argument(z):
    """``u = sqrt(2/pi) (z + 0.044715 z**3)``, the tanh form's argument.

    ``z`` is clipped to [-40, 40] first, which keeps the cube finite and
    changes nothing that follows: tanh u is already +-1 at |z| = 40.
    """
    zc = np.clip(z, -40, 40)
    return math.sqrt(2 / math.pi) * (zc + 0.044715 * zc**3)


class SiLU(Activation):
    r"""Sigmoid-weighted linear unit, also called swish.

    .. math:: f(z) = z\,\sigma(z), \qquad f'(z) = \sigma(z)\,(1 + z\,(1 - \sigma(z)))
    """

    name = "silu"
    start_spread = (0.1, 0.75)

    @_elementwise
    def __call__(self, z):
        return z * expit(z)

    @_elementwise
    def derivative(self, z, a=None):
        s = expit(z)
        return s * (1 + z * (1 - s))

    def forward(self, z, out, params=None):
        sigmoid_into(z, out)
        out *= z
        return out

    def backward(self, z, a, grad, params=None):
        return silu_backward(z, a, grad)

    def active_units(self, z, a):
        # As for GELU: the derivative's left tail, found numerically.
        return active_right_of(z, -8.985061564075298)


class Softplus(Activation):
    r"""Softplus, a smooth ReLU.

    .. math::
        f(z) = \frac{1}{\beta}\log\left(1 + e^{\beta z}\right), \qquad
        f'(z) = \sigma(\beta z)

    Parameters
    ----------
    beta : float, default=1.0
        Sharpness, finite and above 0: larger values bring softplus closer to
        ReLU.
    """

    name = "softplus"
    forward_in_place = True
    start_spread = (0.1, 0.75)
    parameter_ranges = {"beta": (0, None, "neither")}

    def __init__(self, beta=1.0):
        self.beta = beta

    @_elementwise
    def __call__(self, z):
        return np.logaddexp(0, z * self.beta) / self.beta

    @_elementwise
    def derivative(self, z, a=None):
        return expit(z * self.beta)

    def forward(self, z, out, params=None):
        return softplus_into(z, self.beta, out)

    def backward(self, z, a, grad, params=None):
        grad *= sigmoid_into(z * self.beta, np.empty_like(z))
        return grad

    def active_units(self, z, a):
        # sigmoid(beta z) < INACTIVE_BELOW left of logit(INACTIVE_BELOW) / beta.
        logit = np.log(INACTIVE_BELOW / (1 - INACTIVE_BELOW))
        return active_right_of(z * self.beta, logit)


ACTIVATIONS = {
    "identity": Identity,
    "logistic": Sigmoid,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "prelu": PReLU,
    "elu": ELU,
    "selu": SELU,
    "gelu": GELU,
    "silu": SiLU,
    "swish": SiLU,
    "softplus": Softplus,
}
"""Activation classes by name (aliases included: "sigmoid", "swish")."""


def get_activation(name, **params):
    """Return an activation instance from its name.

    Parameters
    ----------
    name : str or Activation
        A key of `ACTIVATIONS`, or an activation instance, which is
        returned unchanged.
    **params : dict
        Parameters of the activation, e.g. ``negative_slope=0.1``.

    Returns
    -------
    activation : Activation
        The activation.

    Examples
    --------
    >>> from skact.activations import get_activation
    >>> get_activation("elu", alpha=0.5)
    ELU(alpha=0.5)
    >>> float(get_activation("relu").derivative(0.0))
    0.0
    """
    if isinstance(name, Activation):
        if params:
            raise TypeError(
                "get_activation() takes no parameters with an Activation "
                f"instance; got {sorted(params)} with {name!r}."
            )
        return name
    if isinstance(name, type) and issubclass(name, Activation):
        raise TypeError(
            f"activation must be an Activation instance, not the class "
            f"{name.__name__}: did you mean {name.__name__}()?"
        )
    if not isinstance(name, str):
        raise TypeError(
            "activation must be a str or an Activation instance, got "
            f"{type(name).__name__}: {name!r}."
        )
    if name not in ACTIVATIONS:
        raise ValueError(
            f"Unknown activation {name!r}.{_suggestion(name)} Valid names are: "
            f"{', '.join(sorted(ACTIVATIONS))}."
        )
    return ACTIVATIONS[name](**params)


def _suggestion(name):
    """ " Did you mean 'leaky_relu'?" for a near miss of a registered name, or ""."""
    by_class_name = {cls.__name__.lower(): key for key, cls in ACTIVATIONS.items()}
    key = name.lower().replace("-", "_")
    guess = by_class_name.get(key, key if key in ACTIVATIONS else None)
    if guess is None:
        close = difflib.get_close_matches(key, list(ACTIVATIONS), n=1)
        guess = close[0] if close else None
    return "" if guess is None else f" Did you mean {guess!r}?"
