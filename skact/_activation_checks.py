"""Checking a user's activation, in one place, before a fit trains on it.

`resolve_activations` turns the estimator's ``activation`` parameter (a name,
an object, a list of them) into one fresh object per hidden layer, every
fault an `InvalidParameterError` naming the estimator; `check_activations`
runs custom code, and built-in activations with parameters, once on a probe,
so that a wrong shape, a hook that works on a copy or an overflow fails at
once with a message saying what to fix, rather than training on a wrong
gradient.
"""

from numbers import Real

import numpy as np

from ._sklearn_private import (
    Interval,
    InvalidParameterError,
    validate_parameter_constraints,
)
from .activations import ACTIVATIONS, Activation, get_activation

_BUILT_IN = frozenset(ACTIVATIONS.values())
"""Activation classes whose hooks the test suite checks: only those with
parameters (which may be extreme) meet the probe when fitted."""


def check_activations(activations, layer_sizes, dtype):
    """Probe the activations that need it, each at its layer's width.

    Parameters
    ----------
    activations : list of Activation
        One per hidden layer, as `resolve_activations` gives them.
    layer_sizes : list of int
        The hidden layers' widths.
    dtype : numpy.dtype
        The network's dtype.
    """
    for activation, units in zip(activations, layer_sizes):
        # Custom code, and parameters that may be extreme, meet a probe.
        if type(activation) not in _BUILT_IN or activation.parameter_ranges:
            check_hooks(activation, units, dtype)


def check_ranges(activation):
    """Check an activation's parameters against its ``parameter_ranges``."""
    constraints = {
        name: [Interval(Real, low, high, closed=closed)]
        for name, (low, high, closed) in activation.parameter_ranges.items()
    }
    params = {name: getattr(activation, name) for name in constraints}
    caller = type(activation).__name__
    validate_parameter_constraints(constraints, params, caller_name=caller)
    for name, value in params.items():
        # A closed bound beside None lets infinity through scikit-learn's check.
        if not np.isfinite(value):
            raise InvalidParameterError(
                f"The {name!r} parameter of {caller} must be finite. "
                f"Got {value!r} instead."
            )


def _counted(n, noun, plural=None):
    """``n`` and the noun in the number it takes: "1 entry", "2 entries"."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def bad_activation(caller, error, where=""):
    """get_activation's error, as the estimator's `InvalidParameterError`.

    get_activation stays free of scikit-learn; its message (the valid
    names, the closest one) is kept whole.
    """
    return InvalidParameterError(
        f"The 'activation' parameter of {caller}{where} is invalid. {error}"
    )


def resolve_activations(activation, n_hidden, caller):
    """One fresh activation object per hidden layer, from ``activation``.

    Copies, so that the fitted model does not change if the user later calls
    ``set_params`` on the activation object they passed. Every fault of
    ``activation`` (a type, a name, a list's length, a parameter out of
    range) is an `InvalidParameterError` naming ``caller``, the estimator.
    """
    per_layer = isinstance(activation, (list, tuple))
    if not per_layer and not isinstance(activation, (str, Activation, type)):
        raise InvalidParameterError(
            f"The 'activation' parameter of {caller} must be an activation "
            "name (str), an Activation instance, or a list or tuple of them, "
            f"one per hidden layer. Got {activation!r} instead."
        )
    if per_layer and len(activation) != n_hidden:
        raise InvalidParameterError(
            f"The 'activation' parameter of {caller} has "
            f"{_counted(len(activation), 'entry', 'entries')} but the network "
            f"has {_counted(n_hidden, 'hidden layer')}: give one activation "
            "per hidden layer, or a single one for all."
        )
    entries = []
    for i, act in enumerate(activation if per_layer else [activation]):
        try:
            act = get_activation(act)
        except (TypeError, ValueError) as error:
            where = f" (entry {i} of the list)" if per_layer else ""
            raise bad_activation(caller, error, where) from error
        if act.parameter_ranges:
            check_ranges(act)
        entries.append(act)
    if not per_layer:
        entries *= n_hidden
    return [type(act)(**act.get_params(deep=False)) for act in entries]


def check_hooks(activation, n_units, dtype):
    """Run an activation's hooks once on a probe, as training will call them.

    Fitting calls this for custom activations, and for built-in ones with
    parameters, so that an activation that returns the wrong shape or type,
    works on a copy instead of in place, or overflows, fails at once with a
    message saying what to fix, rather than training on a wrong gradient.

    Parameters
    ----------
    activation : Activation
        The activation to check.
    n_units : int
        Units of the layer it will serve.
    dtype : numpy.dtype
        The network's dtype.

    Raises
    ------
    TypeError
        If a method returns something other than a float array.
    ValueError
        If a method returns an array of the wrong shape, non-finite values for
        finite input, or (the network hooks) not the array it was to fill.
    """
    z = np.linspace(-3, 3, 3 * n_units, dtype=dtype).reshape(3, n_units)
    a = activation(z)
    _check_probe(activation, "__call__(z)", a, z)
    derivative = activation.derivative(z, a)
    _check_probe(activation, "derivative(z, a)", derivative, z)
    params = activation.init_params(n_units, dtype)
    out = np.empty_like(z)
    returned = activation.forward(z, out, params)
    _check_in_place(activation, "forward(z, out)", returned, out, "out")
    _check_probe(activation, "forward(z, out)", out, z)
    grad = np.ones_like(z)
    backward = activation.backward(z, out, grad, params)
    _check_in_place(activation, "backward(z, a, grad)", backward, grad, "grad")
    _check_probe(activation, "backward(z, a, grad)", grad, z)
    if not np.allclose(grad, derivative, rtol=1e-3, atol=1e-5):
        raise ValueError(
            f"{type(activation).__name__}.backward(z, a, grad) does not multiply "
            "grad by derivative(z, a): the two disagree."
        )


def _check_in_place(activation, call, returned, target, name):
    if returned is not target:
        raise ValueError(
            f"{type(activation).__name__}.{call} must write its result into "
            f"{name} and return {name}; it returned another array."
        )


def _check_probe(activation, call, result, z):
    name = type(activation).__name__
    if not isinstance(result, np.ndarray) or result.dtype.kind != "f":
        raise TypeError(
            f"{name}.{call} returned {type(result).__name__} "
            f"{getattr(result, 'dtype', '')} for a float array: it must return a "
            "float array of z's shape."
        )
    if result.shape != z.shape:
        raise ValueError(
            f"{name}.{call} returned shape {result.shape} for z of shape "
            f"{z.shape}: an activation works elementwise and returns an array "
            "of z's shape."
        )
    if not np.isfinite(result).all():
        raise ValueError(
            f"{activation!r}: {call} returned non-finite values for z in "
            "[-3, 3] (with these parameters, the activation overflows)."
        )
