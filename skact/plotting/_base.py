"""What the Displays share: Matplotlib imported when drawing, their Axes, value labels.

Nothing here knows of networks or searches: each Display's module builds on it.
"""

from numbers import Integral, Real

import numpy as np


def pyplot(caller):
    """Matplotlib's pyplot, or an ImportError saying how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(
            f"{caller} requires matplotlib, an optional dependency of skact: "
            'pip install "skact[plot]" (or pip install matplotlib).'
        ) from error
    return plt


def panels(ax, n_panels, caller, **subplots):
    """The Axes to draw ``n_panels`` panels on: ``ax``'s, or a new figure's.

    Returns
    -------
    axes : ndarray of matplotlib Axes of shape (n_panels,)
    """
    plt = pyplot(caller)
    if ax is None:
        _, axes = plt.subplots(squeeze=False, layout="constrained", **subplots)
        return axes.ravel()
    axes = np.asarray(ax, dtype=object).ravel()
    if axes.size != n_panels:
        raise ValueError(
            f"{caller} draws {n_panels} panel(s): ax must be one Axes per "
            f"panel, got {axes.size}."
        )
    return axes


def plain(value):
    """A NumPy scalar as the Python value it holds (``np.True_`` as True)."""
    return value.item() if isinstance(value, np.generic) else value


def is_number(value):
    return isinstance(value, Real) and not isinstance(value, bool)


def value_label(value):
    """A short text for a value: ``0.001``, ``64``, ``True``, ``relu``, ``ReLU``."""
    value = plain(value)
    if isinstance(value, Integral) and not isinstance(value, bool):
        return str(value)
    if is_number(value):
        return f"{value:.6g}"
    text = value if isinstance(value, str) else repr(value)
    return text.removesuffix("()")
