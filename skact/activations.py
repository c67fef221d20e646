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
works in :class:`~sklearn.model_selection.GridSearchCV`.

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
  taken of clipped inputs, logistic functions use :func:`scipy.special.expit`.

Writing your own
----------------
Subclass :class:`Activation` and define ``__call__(self, z)`` and
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

import inspect
import math

import numpy as np
from scipy.special import expit, ndtr

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


_ROWS = {}


def _constant_row(z, value):
    """A read-only row filled with ``value`` that broadcasts against ``z``.

    ``np.maximum(z, 0)`` is 2 to 5 times slower than ``np.maximum(z, zeros)``:
    NumPy's maximum and minimum have vectorised loops for two arrays but not
    for an array and a scalar (measured with NumPy 2.4 on x86-64). One row per
    dtype and value, as long as the widest layer seen, serves every call.
    """
    n_units = z.shape[-1] if z.ndim else 1
    key = (z.dtype, value)
    row = _ROWS.get(key)
    if row is None or row.size < n_units:
        row = np.full(max(n_units, 256), value, dtype=z.dtype)
        row.flags.writeable = False
        _ROWS[key] = row
    return row[:n_units] if z.ndim else row[0]


def _positive_part(z, out=None):
    """``max(z, 0)`` elementwise (see :func:`_constant_row` for why not a 0)."""
    return np.maximum(z, _constant_row(z, 0.0), out=out)


def _negative_part(z, out=None):
    """``min(z, 0)`` elementwise."""
    return np.minimum(z, _constant_row(z, 0.0), out=out)


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


class Activation:
    """Base class of the activations: a hyperparameter object.

    A subclass defines ``__call__(z)`` (the value) and ``derivative(z, a=None)``
    (dA/dz, where ``a`` may be the already computed ``self(z)``), and stores
    each ``__init__`` argument unchanged as an attribute of the same name. The
    base class derives ``get_params``/``set_params``, ``repr``, equality and
    the network interface from that.

    The network interface (``forward``, ``backward``, ``init_params``,
    ``params_gradient``) is what the training loop calls; the defaults here
    use ``__call__`` and ``derivative``, and the built-ins override them to
    work in place.
    """

    name = None
    """The name under which the activation is registered, or None."""

    default_init = "glorot_uniform"
    """The weight initialisation that ``weight_init="auto"`` uses for a layer
    with this activation: "glorot_uniform" (all built-ins but SELU, see the
    estimators' ``weight_init``), "he_uniform", "he_normal" or "lecun_normal"."""

    forward_in_place = False
    """Whether :meth:`forward` may write its output over its input
    (``out is z``), which prediction uses to save an allocation per layer."""

    derivative_in_forward = False
    """Whether training calls :meth:`forward_with_derivative` instead of
    :meth:`forward` then :meth:`backward`: for activations whose derivative is
    cheap to get from the intermediate values of the forward pass (GELU's
    normal density and tail) and costly to compute again from ``z`` and ``a``."""

    start_active = None
    """With ``weight_init="auto"``, the least share of the training samples on
    which each unit of a layer with this activation starts active (z > 0): its
    intercept is raised from zero, from the data, where needed. None keeps
    zero intercepts. The ReLU family uses 0.5, so that no unit starts dead."""

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
        raise NotImplementedError

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
        raise NotImplementedError

    # -- network interface ---------------------------------------------------

    def forward(self, z, out, params=None):
        """Write ``f(z)`` into ``out`` and return it.

        Parameters
        ----------
        z : ndarray of shape (n_samples, n_units)
            Pre-activations; kept unchanged for the backward pass.
        out : ndarray of shape (n_samples, n_units)
            Preallocated output, distinct from ``z``.
        params : ndarray of shape (n_units,) or None
            Learnable parameters of the layer (see :meth:`init_params`).

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
            Activations from :meth:`forward`.
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
        """:meth:`forward`, also writing ``f'(z)`` into ``derivative``.

        The backward pass then multiplies by ``derivative`` instead of calling
        :meth:`backward` (see :attr:`derivative_in_forward`).

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

    def init_params(self, n_units, dtype):
        """Initial learnable parameters of a layer, or None if there are none.

        Parameters
        ----------
        n_units : int
            Number of units of the layer.
        dtype : numpy dtype
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

    def params_gradient(self, z, a, grad, params):
        """dLoss/dparams summed over samples, given ``grad`` = dLoss/da.

        Parameters
        ----------
        z, a, grad : ndarray of shape (n_samples, n_units)
            Pre-activations, activations and dLoss/da (before :meth:`backward`).
        params : ndarray of shape (n_units,)
            Current learnable parameters.

        Returns
        -------
        gradient : ndarray of shape (n_units,) or None
        """
        return None


class Identity(Activation):
    r"""Identity: no non-linearity.

    .. math:: f(z) = z, \qquad f'(z) = 1
    """

    name = "identity"
    forward_in_place = True

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

    @_elementwise
    def __call__(self, z):
        return expit(z)

    @_elementwise
    def derivative(self, z, a=None):
        a = expit(z) if a is None else a
        return a * (1 - a)

    def forward(self, z, out, params=None):
        return _sigmoid_into(z, out)

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
    start_active = 0.5

    @_elementwise
    def __call__(self, z):
        return _positive_part(z)

    @_elementwise
    def derivative(self, z, a=None):
        return (z > 0).astype(z.dtype)

    def forward(self, z, out, params=None):
        return _positive_part(z, out=out)

    def backward(self, z, a, grad, params=None):
        # Multiplying by the boolean "unit is on" is several times faster than
        # a masked assignment such as grad[z <= 0] = 0.
        return np.multiply(grad, a > 0, out=grad)

    def active_units(self, z, a):
        # A ReLU unit learns from a sample only where its output is positive.
        # The outputs are never negative, so "some output is positive" is "the
        # column sums are positive": one BLAS product with a vector of ones,
        # about twice as fast as (a > 0).any(axis=0).
        return np.ones(a.shape[0], dtype=a.dtype) @ a > 0


class LeakyReLU(Activation):
    r"""Leaky rectified linear unit.

    .. math::
        f(z) = \begin{cases} z & z > 0 \\ s\,z & z \le 0 \end{cases}, \qquad
        f'(z) = \begin{cases} 1 & z > 0 \\ s & z \le 0 \end{cases}

    Parameters
    ----------
    negative_slope : float, default=0.01
        The slope ``s`` for negative inputs.
    """

    name = "leaky_relu"
    start_active = 0.5

    def __init__(self, negative_slope=0.01):
        self.negative_slope = negative_slope

    @_elementwise
    def __call__(self, z):
        return _leaky_forward(z, self.negative_slope, np.empty_like(z))

    @_elementwise
    def derivative(self, z, a=None):
        return _leaky_derivative(z, self.negative_slope)

    def forward(self, z, out, params=None):
        return _leaky_forward(z, self.negative_slope, out)

    def backward(self, z, a, grad, params=None):
        grad *= _leaky_derivative(z, self.negative_slope)
        return grad

    def init_leak(self):
        return self.negative_slope

    def active_units(self, z, a):
        if self.negative_slope != 0:
            return None  # the derivative never vanishes
        return _active_right_of(z, 0.0)


# Arithmetic rather than masks or np.where: on the training hot path they are
# several times faster.
def _leaky_forward(z, slope, out):
    """``out = z if z > 0 else slope * z``, with a scalar or per-unit slope."""
    if np.isscalar(slope) and 0 <= slope <= 1:
        # For slopes in [0, 1], max(z, slope * z) picks the right branch.
        return np.maximum(z, np.multiply(z, slope, out=out), out=out)
    return np.multiply(z, _leaky_derivative(z, slope), out=out)


def _sigmoid_into(z, out):
    """``out = sigmoid(z)`` as ``(1 + tanh(z / 2)) / 2``.

    The same function, several times faster than ``expit`` on the training
    hot path; exact to within rounding of 1e-16 (absolute), which is all a
    hidden unit needs. (The output layer keeps ``expit``, whose tiny
    probabilities stay accurate in relative terms.)
    """
    np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5
    return out


def _elu_into(z, alpha, scale, out):
    """``out = scale * (z if z > 0 else alpha * (exp(z) - 1))``, arithmetically."""
    _negative_part(z, out=out)
    np.expm1(out, out=out)  # only ever sees z <= 0: no overflow
    out *= alpha
    out += _positive_part(z)
    if scale != 1:
        out *= scale
    return out


def _elu_backward(z, a, alpha, scale, grad):
    """Multiply ``grad`` by the ELU derivative, read off the output ``a``.

    For z <= 0, ``a = scale * alpha * (exp(z) - 1)``, so the derivative
    ``scale * alpha * exp(z)`` is ``a + scale * alpha``; for z > 0 it is
    ``scale``. The blend below picks one or the other without a mask.
    """
    d = a + scale * alpha
    d += np.greater(z, 0) * (scale - d)
    grad *= d
    return grad


def _active_right_of(z, threshold):
    """Units with some sample right of ``threshold``, where f' exceeds
    ``INACTIVE_BELOW`` (for activations whose derivative only vanishes in the
    left tail): a cheap comparison instead of the derivative itself (and
    faster than ``z.max(axis=0) > threshold``)."""
    return (z > threshold).any(axis=0)


def _leaky_derivative(z, slope):
    """``1 if z > 0 else slope``, as an array of the dtype of ``z``."""
    d = np.greater(z, 0).astype(z.dtype)
    d *= 1 - np.asarray(slope, dtype=z.dtype)
    d += np.asarray(slope, dtype=z.dtype)
    return d


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
        Initial slope for negative inputs.
    """

    name = "prelu"
    start_active = 0.5

    def __init__(self, init=0.25):
        self.init = init

    def _slope(self, params):
        return self.init if params is None else params

    @_elementwise
    def __call__(self, z):
        return _leaky_forward(z, self.init, np.empty_like(z))

    @_elementwise
    def derivative(self, z, a=None):
        return _leaky_derivative(z, self.init)

    def forward(self, z, out, params=None):
        return _leaky_forward(z, self._slope(params), out)

    def backward(self, z, a, grad, params=None):
        grad *= _leaky_derivative(z, self._slope(params))
        return grad

    def init_params(self, n_units, dtype):
        return np.full(n_units, self.init, dtype=dtype)

    def init_leak(self):
        return self.init

    def active_units(self, z, a):
        return None  # learned slopes are almost never exactly zero

    def params_gradient(self, z, a, grad, params):
        return np.einsum("ij,ij->j", grad, _negative_part(z))


class ELU(Activation):
    r"""Exponential linear unit.

    .. math::
        f(z) = \begin{cases} z & z > 0 \\ \alpha\,(e^{z} - 1) & z \le 0
        \end{cases}, \qquad
        f'(z) = \begin{cases} 1 & z > 0 \\ \alpha\,e^{z} & z \le 0 \end{cases}

    Parameters
    ----------
    alpha : float, default=1.0
        The value the function tends to, negated, as z goes to minus infinity.
    """

    name = "elu"
    start_active = 0.5

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
        return _elu_into(z, self.alpha, 1, out)

    def backward(self, z, a, grad, params=None):
        return _elu_backward(z, a, self.alpha, 1, grad)

    def active_units(self, z, a):
        # alpha * exp(z) < INACTIVE_BELOW left of log(INACTIVE_BELOW / alpha).
        if self.alpha <= 0:
            return z.max(axis=0) > 0
        return _active_right_of(z, np.log(INACTIVE_BELOW / self.alpha))


class SELU(Activation):
    r"""Scaled exponential linear unit (Klambauer et al., 2017).

    .. math::
        f(z) = \lambda \begin{cases} z & z > 0 \\ \alpha\,(e^{z} - 1) & z \le 0
        \end{cases}, \qquad
        f'(z) = \lambda \begin{cases} 1 & z > 0 \\ \alpha\,e^{z} & z \le 0
        \end{cases}

    with :math:`\lambda \approx 1.0507` and :math:`\alpha \approx 1.6733`, the
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
        return _elu_into(z, self.alpha, self.scale, out)

    def backward(self, z, a, grad, params=None):
        return _elu_backward(z, a, self.alpha, self.scale, grad)

    def active_units(self, z, a):
        threshold = np.log(INACTIVE_BELOW / (self.scale * self.alpha))
        return _active_right_of(z, threshold)


class GELU(Activation):
    r"""Gaussian error linear unit, exact form (Hendrycks and Gimpel, 2016).

    .. math::
        f(z) = z\,\Phi(z) = \frac{z}{2}\left(1 + \operatorname{erf}
        \frac{z}{\sqrt 2}\right), \qquad
        f'(z) = \Phi(z) + z\,\varphi(z)

    with :math:`\Phi` and :math:`\varphi` the standard normal distribution and
    density functions.
    """

    name = "gelu"
    start_active = 0.5
    derivative_in_forward = True

    @_elementwise
    def __call__(self, z):
        return z * ndtr(z)

    @_elementwise
    def derivative(self, z, a=None):
        # exp(-z**2 / 2) underflows quietly to 0 for large |z|; clipping first
        # keeps z * z itself from overflowing for huge inputs.
        zc = np.clip(z, -40, 40)
        return ndtr(z) + zc * np.exp(-0.5 * zc * zc) * (1 / math.sqrt(2 * math.pi))

    def forward(self, z, out, params=None):
        return _gelu_into(z, out)

    def forward_with_derivative(self, z, out, derivative, params=None):
        return _gelu_into(z, out, derivative)

    def backward(self, z, a, grad, params=None):
        # Phi(z) is recovered from the output as a / z = |a| / |z| rather than
        # computed again. Adding a tiny number to both changes nothing but at
        # z == 0, where the quotient becomes (tiny / 2) / tiny = Phi(0) = 1/2.
        tiny = float(np.finfo(z.dtype).tiny)
        t = np.abs(z)
        phi_cdf = np.add(t, tiny)
        numerator = np.abs(a)
        numerator += tiny / 2
        np.divide(numerator, phi_cdf, out=phi_cdf)
        # z * phi(z), phi being the normal density exp(-z**2 / 2) / sqrt(2 pi).
        z_density = _exp_half_square(_cap_at_40(t), out=t)
        z_density *= z
        z_density *= 1 / math.sqrt(2 * math.pi)
        z_density += phi_cdf
        grad *= z_density
        return grad

    def active_units(self, z, a):
        # |Phi(z) + z phi(z)| < INACTIVE_BELOW left of this point (found
        # numerically; the derivative's zero near z = -0.75 is a single point).
        return _active_right_of(z, -3.810371436001639)


# Hart's rational approximation of the normal tail (Hart et al., "Computer
# Approximations", 1968, algorithm 5666, as given by G. West, "Better
# approximations to cumulative normal functions", Wilmott, 2005): for x >= 0,
# Phi(-x) = exp(-x**2 / 2) * P(x) / Q(x), highest degree first below. GELU's
# value from it is within 1e-15 (absolute) of z * ndtr(z) in float64, at a
# fraction of the cost of SciPy's erf, and all the coefficients are positive:
# the polynomials add positive terms, with no cancellation.
_HART_P = (
    3.52624965998911e-02, 0.700383064443688, 6.37396220353165, 33.912866078383,
    112.079291497871, 221.213596169931, 220.206867912376,
)  # fmt: skip
_HART_Q = (
    8.83883476483184e-02, 1.75566716318264, 16.064177579207, 86.7807322029461,
    296.564248779674, 637.333633378831, 793.826512519948, 440.413735824752,
)  # fmt: skip

# The same form with degrees 4 and 5, for float32: fitted (minimax in relative
# error over 0 <= x <= 40, with P(0) / Q(0) = 1/2 exactly) to within 2.2e-8 of
# Phi(-x) exp(x**2 / 2), below float32's resolution (evaluated in float32, the
# value is within a few ulp): Hart's further accuracy would be rounded away, and
# the lower degrees take eight fewer passes.
_FLOAT32_P = (
    0.004936789312705151, 0.04600078729075629, 0.19886943875721266,
    0.4589041285785137, 0.5,
)  # fmt: skip
_FLOAT32_Q = (
    0.012374677530203528, 0.11530852035470589, 0.5108089790942625,
    1.2666530001704508, 1.7156937258716283, 1.0,
)  # fmt: skip


def _monic_denominator(p_coefs, q_coefs):
    """The same ratio ``P / Q`` with Q's leading coefficient 1 (see _horner)."""
    return tuple(c / q_coefs[0] for c in p_coefs), tuple(
        c / q_coefs[0] for c in q_coefs
    )


_NORMAL_TAIL = {
    np.dtype(np.float64): _monic_denominator(_HART_P, _HART_Q),
    np.dtype(np.float32): _monic_denominator(_FLOAT32_P, _FLOAT32_Q),
}
"""The rational approximation of the normal tail used for each dtype."""


def _horner(x, coefs, out):
    """The polynomial with ``coefs`` (highest degree first) at ``x``, into ``out``.

    A leading coefficient of 1 saves a pass over ``x``.
    """
    if coefs[0] == 1:
        np.add(x, coefs[1], out=out)
    else:
        np.multiply(x, coefs[0], out=out)
        out += coefs[1]
    for c in coefs[2:]:
        out *= x
        out += c
    return out


def _cap_at_40(t):
    """Cap the non-negative ``t`` at 40, in place.

    The normal density and tail at 40 are ``exp(-800)``, already 0 in float64:
    the cap changes no result and keeps squares and powers finite.
    """
    return np.minimum(t, _constant_row(t, 40.0), out=t)


def _exp_half_square(t, out):
    """``exp(-t**2 / 2)`` into ``out``."""
    np.multiply(t, t, out=out)
    out *= -0.5
    return np.exp(out, out=out)


def _gelu_into(z, out, derivative=None):
    """``out = z * Phi(z)`` through a rational approximation of the normal tail.

    With ``t = |z|`` and ``L = Phi(-t)``, ``z * Phi(z)`` is
    ``max(z, 0) - t * L`` on both sides of zero (``Phi(z) = 1 - Phi(-z)``).
    Given ``derivative``, also writes ``f'(z) = Phi(z) + z * phi(z)`` there,
    from the tail and the density already at hand.
    """
    p_coefs, q_coefs = _NORMAL_TAIL.get(z.dtype, _NORMAL_TAIL[np.dtype(np.float64)])
    t = _cap_at_40(np.abs(z))
    q = _horner(t, q_coefs, np.empty_like(z))
    tail = _horner(t, p_coefs, out)
    tail /= q
    density = _exp_half_square(t, out=q)  # phi(t) * sqrt(2 pi)
    tail *= density  # L
    if derivative is None:
        tail *= t  # t * Phi(-t)
        return np.subtract(_positive_part(z, out=q), tail, out=out)
    # Phi(z) = |H - L| with H = [z > 0]: L on the left, 1 - L on the right
    # (L <= 1/2), and L(0) = 1/2 at zero, without a slow np.where. The value
    # is then z * Phi(z).
    phi_cdf = np.greater(z, 0, out=derivative, casting="unsafe")
    phi_cdf -= tail
    np.abs(phi_cdf, out=phi_cdf)
    np.multiply(z, phi_cdf, out=out)
    density *= z
    density *= 1 / math.sqrt(2 * math.pi)
    phi_cdf += density
    return out


class SiLU(Activation):
    r"""Sigmoid-weighted linear unit, also called swish.

    .. math:: f(z) = z\,\sigma(z), \qquad f'(z) = \sigma(z)\,(1 + z\,(1 - \sigma(z)))
    """

    name = "silu"
    start_active = 0.5

    @_elementwise
    def __call__(self, z):
        return z * expit(z)

    @_elementwise
    def derivative(self, z, a=None):
        s = expit(z)
        return s * (1 + z * (1 - s))

    def forward(self, z, out, params=None):
        _sigmoid_into(z, out)
        out *= z
        return out

    def backward(self, z, a, grad, params=None):
        s = _sigmoid_into(z, np.empty_like(z))
        # s (1 + z (1 - s)) = s + a (1 - s), with a = z s.
        d = np.subtract(1, s)
        d *= a
        d += s
        grad *= d
        return grad

    def active_units(self, z, a):
        # As for GELU: the derivative's left tail, found numerically.
        return _active_right_of(z, -8.985061564075298)


class Softplus(Activation):
    r"""Softplus, a smooth ReLU.

    .. math::
        f(z) = \frac{1}{\beta}\log\left(1 + e^{\beta z}\right), \qquad
        f'(z) = \sigma(\beta z)

    Parameters
    ----------
    beta : float, default=1.0
        Sharpness: larger values bring softplus closer to ReLU.
    """

    name = "softplus"
    forward_in_place = True
    start_active = 0.5

    def __init__(self, beta=1.0):
        self.beta = beta

    @_elementwise
    def __call__(self, z):
        return np.logaddexp(0, z * self.beta) / self.beta

    @_elementwise
    def derivative(self, z, a=None):
        return expit(z * self.beta)

    def forward(self, z, out, params=None):
        # log(1 + e^x) = max(x, 0) + log1p(e^-|x|): exp never sees a positive
        # argument, and it is much faster than np.logaddexp.
        x = z * self.beta
        np.abs(x, out=out)
        np.negative(out, out=out)
        np.exp(out, out=out)
        np.log1p(out, out=out)
        out += _positive_part(x, out=x)
        out *= 1 / self.beta
        return out

    def backward(self, z, a, grad, params=None):
        grad *= _sigmoid_into(z * self.beta, np.empty_like(z))
        return grad

    def active_units(self, z, a):
        # sigmoid(beta z) < INACTIVE_BELOW left of logit(INACTIVE_BELOW) / beta.
        logit = np.log(INACTIVE_BELOW / (1 - INACTIVE_BELOW))
        return _active_right_of(z * self.beta, logit)


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
        A key of :data:`ACTIVATIONS`, or an activation instance, which is
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
    if not isinstance(name, str):
        raise TypeError(
            "activation must be a str or an Activation instance, got "
            f"{type(name).__name__}: {name!r}."
        )
    if name not in ACTIVATIONS:
        raise ValueError(
            f"Unknown activation {name!r}. Valid names are: {sorted(ACTIVATIONS)}."
        )
    return ACTIVATIONS[name](**params)
