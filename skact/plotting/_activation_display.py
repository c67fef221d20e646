"""ActivationDisplay: activations and their derivatives, named or of a fit's layers."""

import math

import numpy as np

from .._history import fitted_network
from ..activations import get_activation
from ._base import panels, value_label


class ActivationDisplay:
    """Activations and their derivatives, side by side.

    Create it with `ActivationDisplay.from_activations` or
    `ActivationDisplay.from_estimator`; the constructor takes curves that are
    already computed. A curve evaluated
    for several units at once (a layer whose units learned their own PReLU
    slopes) is drawn as its median over the units in a band from the least
    to the greatest.

    Parameters
    ----------
    z : ndarray of shape (n_points,)
        Pre-activations at which the curves are evaluated.
    values : list of ndarray of shape (n_points, n_units)
        For each curve, the activation's value per unit (one unit for an
        activation without learned parameters).
    derivatives : list of ndarray of shape (n_points, n_units)
        For each curve, the derivative dA/dz.
    labels : list of str
        For each curve, its legend entry.

    Attributes
    ----------
    axes_ : ndarray of matplotlib Axes of shape (2,)
        The values' panel and the derivatives' panel.
    ax_ : matplotlib Axes
        The values' panel.
    figure_ : matplotlib Figure
        The figure holding the panels.
    lines_ : ndarray of matplotlib Line2D of shape (n_curves, 2)
        Each curve's line in each panel. An axis whose numbers pass 1e300
        (near float64's largest, which Matplotlib cannot draw) is drawn in
        a power of ten of them, named in its label ("z (× 1e308)"); ``z``,
        ``values`` and ``derivatives`` keep the numbers themselves.
    bands_ : ndarray of object of shape (n_curves, 2)
        Each curve's band (a matplotlib PolyCollection) in each panel, or
        None for a curve with one unit.

    Examples
    --------
    >>> from skact import ActivationDisplay
    >>> display = ActivationDisplay.from_activations(["relu", "elu", "silu"])
    >>> [line.get_label() for line in display.lines_[:, 0]]
    ['ReLU', 'ELU(alpha=1.0)', 'SiLU']
    """

    def __init__(self, z, values, derivatives, labels):
        self.z = z
        self.values = values
        self.derivatives = derivatives
        self.labels = labels

    @classmethod
    def from_activations(cls, activations, *, z_range=(-4.0, 4.0), ax=None):
        """Plot activations given by name or as objects.

        Parameters
        ----------
        activations : str, Activation or list of those
            What `skact.activations.get_activation` accepts, or a list.
        z_range : tuple of float, default=(-4.0, 4.0)
            The interval of pre-activations shown: finite, low < high. An
            activation that overflows on it raises a ValueError.
        ax : array-like of 2 matplotlib Axes, default=None
            The values' Axes and the derivatives'; None creates a figure.

        Returns
        -------
        display : ActivationDisplay
        """
        if isinstance(activations, (str, bytes)) or not np.iterable(activations):
            activations = [activations]
        if not len(activations):
            raise ValueError("activations is empty: give at least one to draw.")
        curves = [(get_activation(a), None) for a in activations]
        labels = [value_label(activation) for activation, _ in curves]
        return cls._evaluate(curves, labels, z_range).plot(ax=ax)

    @classmethod
    def from_estimator(cls, estimator, *, z_range=(-4.0, 4.0), ax=None):
        """Plot the activation of each hidden layer of a fitted estimator.

        Layers whose activations are equal and learned nothing share one
        curve; a layer with learned parameters (PReLU's slopes, one per
        unit) is drawn as the median unit in a band from the least to the
        greatest.

        Parameters
        ----------
        estimator : ScratchMLPClassifier, ScratchMLPRegressor or Pipeline
            A fitted estimator with at least one hidden layer, or a fitted
            pipeline ending in one.
        z_range : tuple of float, default=(-4.0, 4.0)
            As in `from_activations`.
        ax : array-like of 2 matplotlib Axes, default=None
            The values' Axes and the derivatives'; None creates a figure.

        Returns
        -------
        display : ActivationDisplay
        """
        estimator = fitted_network(estimator, "ActivationDisplay.from_estimator")
        if not estimator.activations_:
            raise ValueError("The estimator has no hidden layer to show.")
        groups = {}  # label -> (activation, params, layers)
        for k, (activation, params) in enumerate(
            zip(estimator.activations_, estimator.activation_params_), start=1
        ):
            key = value_label(activation) if params is None else k
            groups.setdefault(key, (activation, params, []))[2].append(k)
        curves, labels = [], []
        for activation, params, layers in groups.values():
            curves.append((activation, params))
            name = "layer" if len(layers) == 1 else "layers"
            learned = "" if params is None else ", learned per unit"
            numbers = ", ".join(map(str, layers))
            labels.append(f"{name} {numbers}: {value_label(activation)}{learned}")
        return cls._evaluate(curves, labels, z_range).plot(ax=ax)

    @classmethod
    def _evaluate(cls, curves, labels, z_range):
        """The Display of ``(activation, params)`` curves over ``z_range``."""
        z = _z_grid(z_range)
        values, derivatives = [], []
        for (activation, params), label in zip(curves, labels):
            # Raised, not warned: a curve through inf cannot be drawn.
            with np.errstate(over="raise"):
                try:
                    value, derivative = _units_curves(activation, params, z)
                except FloatingPointError as error:
                    raise ValueError(
                        f"{label} overflows on z_range {tuple(z_range)} ({error}): "
                        "narrow z_range."
                    ) from error
            values.append(value)
            derivatives.append(derivative)
        return cls(z, values, derivatives, labels)

    def plot(self, *, ax=None):
        """Draw the activations (left) and their derivatives (right).

        Parameters
        ----------
        ax : array-like of 2 matplotlib Axes, default=None
            The values' Axes and the derivatives'; None creates a figure.

        Returns
        -------
        display : ActivationDisplay
            The Display, its artists set.
        """
        axes = panels(ax, 2, "ActivationDisplay.plot", ncols=2, figsize=(9.0, 3.8))
        n_curves = len(self.labels)
        self.lines_ = np.empty((n_curves, 2), dtype=object)
        self.bands_ = np.full((n_curves, 2), None, dtype=object)
        # Numbers near float64's largest are drawn in a power of ten of them.
        z_exponent = _drawing_exponent([self.z])
        z = self.z / 10.0**z_exponent
        for j, panel_curves in enumerate((self.values, self.derivatives)):
            exponent = _drawing_exponent(panel_curves)
            for i, label in enumerate(self.labels):
                units = panel_curves[i] / 10.0**exponent
                line = axes[j].plot(
                    z, np.median(units, axis=1), label=label,
                    # Past the ten colours of the default cycle, dashes.
                    linestyle=("-", "--", ":")[i // 10 % 3],
                )[0]  # fmt: skip
                self.lines_[i, j] = line
                if units.shape[1] > 1:
                    self.bands_[i, j] = axes[j].fill_between(
                        z, units.min(axis=1), units.max(axis=1),
                        color=line.get_color(), alpha=0.25, linewidth=0,
                    )  # fmt: skip
            axes[j].set_ylabel(_unit_text(exponent))
        for panel, title in zip(axes, ("activation f(z)", "derivative f'(z)")):
            panel.set_title(title)
            panel.set_xlabel(f"z ({_unit_text(z_exponent)})" if z_exponent else "z")
            panel.axhline(0, color="0.6", linewidth=0.8, zorder=0)
            panel.axvline(0, color="0.6", linewidth=0.8, zorder=0)
            panel.grid(alpha=0.3)
        axes[0].legend(fontsize="small")
        self.axes_, self.ax_, self.figure_ = axes, axes[0], axes[0].figure
        return self


def _z_grid(z_range, n_points=401):
    """``n_points`` pre-activations from low to high, both ends included.

    Returns
    -------
    z : ndarray of shape (n_points,)
    """
    try:
        low, high = (float(bound) for bound in z_range)
    except (TypeError, ValueError):
        raise ValueError(
            f"z_range must be (low, high) with low < high, got {z_range!r}."
        ) from None
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"z_range must be finite, got ({low}, {high}).")
    if not low < high:
        raise ValueError(
            f"z_range must be (low, high) with low < high, got ({low}, {high})."
        )
    if math.isfinite(high - low):  # Python floats: an overflow is inf, not a warning
        return np.linspace(low, high, n_points)
    # The span passes float64's largest number, so the ends have opposite
    # signs and a weighted sum of them cannot overflow.
    t = np.linspace(0.0, 1.0, n_points)
    z = low * (1.0 - t) + high * t
    z[0], z[-1] = low, high
    return z


_DRAWABLE = 1e300
"""The largest magnitude drawn as it is: Matplotlib's autoscaling and tick
locator overflow on numbers past about 4e307."""


def _drawing_exponent(curves):
    """0, or the power of ten to draw ``curves`` in when they are too large."""
    data = np.concatenate([np.ravel(curve) for curve in curves])
    largest = np.abs(data[np.isfinite(data)]).max(initial=0.0)
    return int(np.floor(np.log10(largest))) if largest > _DRAWABLE else 0


def _unit_text(exponent):
    """``"× 1e308"`` for the power of ten an axis is drawn in, ``""`` for 0."""
    return f"× 1e{exponent}" if exponent else ""


def _units_curves(activation, params, z):
    """Value and derivative at ``z`` of each unit of a layer.

    Goes through the network interface (``forward``, ``backward``), which
    takes a layer's learned parameters; a layer without any is one unit.

    Returns
    -------
    value, derivative : ndarray of shape (n_points, n_units)
    """
    dtype = np.float64 if params is None else params.dtype
    n_units = 1 if params is None else params.size
    Z = np.repeat(z.astype(dtype)[:, None], n_units, axis=1)
    value = activation.forward(Z, np.empty_like(Z), params)
    derivative = activation.backward(Z, value, np.ones_like(Z), params)
    return value.astype(np.float64), derivative.astype(np.float64)
