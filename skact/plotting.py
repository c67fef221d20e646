"""Plots as scikit-learn Displays: training history, activations, search scores.

Each Display follows scikit-learn's plotting API: a class method
(``from_estimator``, ...) computes what to draw and calls `plot`, which
draws on the given Axes (or new ones), keeps the Matplotlib artists as
attributes ending in ``_`` and returns the Display. Matplotlib is an optional
dependency (``pip install "skact[plot]"``), imported when a plot is drawn.

- `HistoryDisplay`: a fitted estimator's ``history_``, a panel per
  metric, a line per layer for the per-layer metrics.
- `ActivationDisplay`: activations and their derivatives, of names,
  objects or a fitted estimator's layers (learned PReLU slopes included).
- `SearchHeatmapDisplay`: a fitted search's mean test score over one or two
  hyperparameters, such as activation x learning rate, the best cell marked.
"""

import math
from numbers import Integral, Real

import numpy as np
from sklearn.base import is_classifier, is_regressor
from sklearn.utils.validation import check_is_fitted

from ._history import fitted_network, history_table
from ._progress import HISTORY, PANELS, entry, n_epochs
from .activations import get_activation

__all__ = ["ActivationDisplay", "HistoryDisplay", "SearchHeatmapDisplay"]


def _pyplot(caller):
    """Matplotlib's pyplot, or an ImportError saying how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(
            f"{caller} requires matplotlib, an optional dependency of skact: "
            'pip install "skact[plot]" (or pip install matplotlib).'
        ) from error
    return plt


def _panels(ax, n_panels, caller, **subplots):
    """The Axes to draw ``n_panels`` panels on: ``ax``'s, or a new figure's.

    Returns
    -------
    axes : ndarray of matplotlib Axes of shape (n_panels,)
    """
    plt = _pyplot(caller)
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


def _plain(value):
    """A NumPy scalar as the Python value it holds (``np.True_`` as True)."""
    return value.item() if isinstance(value, np.generic) else value


def _is_number(value):
    return isinstance(value, Real) and not isinstance(value, bool)


def _label(value):
    """A short text for a value: ``0.001``, ``64``, ``True``, ``relu``, ``ReLU``."""
    value = _plain(value)
    if isinstance(value, Integral) and not isinstance(value, bool):
        return str(value)
    if _is_number(value):
        return f"{value:.6g}"
    text = value if isinstance(value, str) else repr(value)
    return text.removesuffix("()")


# ----------------------------------------------------------------------
# Training history


class HistoryDisplay:
    """Training history: a panel per metric of a fitted estimator's ``history_``.

    Create it with `HistoryDisplay.from_estimator`; the constructor takes a
    table that is already computed.

    Parameters
    ----------
    table : dict of ndarray
        The history as `skact.history_table` gives it.
    x_label : str, default="epoch"
        What a row of the table is: "epoch", or "iteration" for lbfgs.
    estimator_name : str or None, default=None
        Shown in the title of the first panel.

    Attributes
    ----------
    axes_ : ndarray of matplotlib Axes of shape (n_metrics,)
        One panel per metric, top to bottom.
    ax_ : matplotlib Axes
        The first panel (the loss, by default).
    figure_ : matplotlib Figure
        The figure holding the panels.
    lines_ : dict of str to list of matplotlib Line2D
        For each metric, the lines of its panel (training and validation loss,
        one line per layer for the per-layer metrics).

    See Also
    --------
    skact.history_table : The history as a table.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skact import HistoryDisplay, ScratchMLPClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = ScratchMLPClassifier((16,), early_stopping=True, random_state=0)
    >>> clf = clf.fit(X, y)
    >>> display = HistoryDisplay.from_estimator(clf)
    >>> [ax.get_ylabel() for ax in display.axes_]
    ['loss', 'validation score', 'gradient norm', 'inactive share']
    """

    METRICS = {key: entry(key).label for key in PANELS}
    """The metrics `plot` draws, and their axis labels: the entries of
    ``history_`` drawn in a panel of their own."""

    def __init__(self, table, *, x_label="epoch", estimator_name=None):
        self.table = table
        self.x_label = x_label
        self.estimator_name = estimator_name

    @classmethod
    def from_estimator(cls, estimator, *, metrics=None, name=None, ax=None):
        """Plot the training history of a fitted estimator.

        Parameters
        ----------
        estimator : ScratchMLPClassifier, ScratchMLPRegressor or Pipeline
            A fitted estimator, or a fitted pipeline ending in one.
        metrics : list of str or None, default=None
            Keys of `METRICS`, a panel each, in order. None draws the
            loss (with the validation loss when recorded), the validation
            score (when recorded), the gradient norms and, when the network
            has hidden layers, the inactive shares.
        name : str or None, default=None
            Shown in the title; None shows the estimator's class name.
        ax : matplotlib Axes or array-like of Axes, default=None
            One Axes per metric; None creates a figure.

        Returns
        -------
        display : HistoryDisplay
        """
        estimator = fitted_network(estimator, "HistoryDisplay.from_estimator")
        display = cls(
            history_table(estimator),
            # The table's learning rate is NaN for lbfgs's iterations alone.
            x_label="iteration" if estimator.solver == "lbfgs" else "epoch",
            estimator_name=name or type(estimator).__name__,
        )
        return display.plot(metrics=metrics, ax=ax)

    def plot(self, *, metrics=None, ax=None):
        """Draw the history.

        Parameters
        ----------
        metrics : list of str or None, default=None
            As in `from_estimator`.
        ax : matplotlib Axes or array-like of Axes, default=None
            One Axes per metric; None creates a figure.

        Returns
        -------
        display : HistoryDisplay
            The Display, its artists set.
        """
        metrics = self._metrics(metrics)
        axes = _panels(
            ax, len(metrics), "HistoryDisplay.plot",
            nrows=len(metrics), sharex=True, figsize=(6.4, 1.2 + 2.0 * len(metrics)),
        )  # fmt: skip
        table = self.table
        # A DataFrame from history_table(..., as_frame=True) has no "epoch".
        if "epoch" in table:
            epochs = table["epoch"]
        else:
            epochs = np.arange(1, n_epochs(table) + 1)
        self.lines_ = {}
        for metric, panel in zip(metrics, axes):
            curves = self._curves(metric)
            self.lines_[metric] = [
                panel.plot(epochs, values, label=label)[0] for label, values in curves
            ]
            panel.set_ylabel(self.METRICS[metric])
            _scale(entry(metric).scale, panel, curves)
            panel.legend(fontsize="small")
            panel.grid(alpha=0.3)
        axes[-1].set_xlabel(self.x_label)
        if self.estimator_name:
            axes[0].set_title(f"{self.estimator_name}: training history")
        self.axes_, self.ax_, self.figure_ = axes, axes[0], axes[0].figure
        return self

    def _metrics(self, metrics):
        """The metrics to draw, checked against what the history holds."""
        recorded = [name for name in self.METRICS if self._curves(name)]
        if metrics is None:
            return [name for name in recorded if entry(name).shown]
        metrics = [metrics] if isinstance(metrics, str) else list(metrics)
        if not metrics:
            raise ValueError("metrics must name at least one metric to draw.")
        for name in metrics:
            if name not in self.METRICS:
                raise ValueError(
                    f"Unknown metric {name!r}; valid metrics are "
                    f"{', '.join(map(repr, self.METRICS))}."
                )
            if name not in recorded:
                raise ValueError(
                    f"The history holds no {name!r}: " + entry(name).absent
                )
        return metrics

    def _curves(self, metric):
        """``(label, values)`` of each line of a metric's panel, or [].

        The panel of a metric also draws the entries drawn in it (the loss's:
        the validation loss, which has no penalty, so that it measures the
        fit to unseen rows alone).
        """
        curves = []
        for drawn in HISTORY:
            if metric in (drawn.key, drawn.panel):
                curves += self._lines(drawn)
        return curves

    def _lines(self, drawn):
        """``(label, values)`` of the lines of one entry of the history."""
        table, key = self.table, drawn.key
        if drawn.per_layer:
            n_layers = sum(column.startswith(f"{key}_") for column in table)
            names = [f"layer {k}" for k in range(1, n_layers + 1)]
            if drawn.ends_at_output and names:
                names[-1] += " (output)"
            return [(n, table[f"{key}_{k}"]) for k, n in enumerate(names, 1)]
        values = table.get(key)
        if values is None or np.isnan(values).all():
            return []
        return [(drawn.line or key, values)]


def _scale(scale, panel, curves):
    """A metric panel's y axis: shares from 0 to 1, norms and rates in logs."""
    if scale == "share":
        panel.set_ylim(-0.03, 1.03)
    elif scale == "log":
        # Norms and rates span decades.
        values = np.concatenate([v for _, v in curves])
        if np.all(values[np.isfinite(values)] > 0):
            panel.set_yscale("log")


# ----------------------------------------------------------------------
# Activations


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
        labels = [_label(activation) for activation, _ in curves]
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
            key = _label(activation) if params is None else k
            groups.setdefault(key, (activation, params, []))[2].append(k)
        curves, labels = [], []
        for activation, params, layers in groups.values():
            curves.append((activation, params))
            name = "layer" if len(layers) == 1 else "layers"
            learned = "" if params is None else ", learned per unit"
            numbers = ", ".join(map(str, layers))
            labels.append(f"{name} {numbers}: {_label(activation)}{learned}")
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
        axes = _panels(ax, 2, "ActivationDisplay.plot", ncols=2, figsize=(9.0, 3.8))
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


# ----------------------------------------------------------------------
# Search scores


class SearchHeatmapDisplay:
    """A search's mean test score over one or two hyperparameters, as a heatmap.

    Create it with `SearchHeatmapDisplay.from_estimator` (a fitted
    `~sklearn.model_selection.GridSearchCV` or
    `~sklearn.model_selection.RandomizedSearchCV`) or
    `SearchHeatmapDisplay.from_cv_results`; the constructor takes a table that
    is already computed. The best cell is outlined.

    Parameters
    ----------
    scores : ndarray of shape (n_rows, n_columns)
        The mean test score of each pair of values; NaN where the search
        tried none.
    row_labels, column_labels : list of str
        The values of the two hyperparameters, as shown.
    row_param, column_param : str or None
        The names of the two hyperparameters; None for an axis of one
        position without a hyperparameter (a search over one), drawn
        without ticks.
    score_name : str, default="mean CV score"
        The colorbar's label, and the title's.
    best_cell : tuple of int or None, default=None
        ``(row, column)`` of the cell to outline; None outlines the highest
        score (the first in row-major order, on a tie).
    axis_labels : tuple of 2 str or None, default=None
        The labels of the rows' axis and the columns'; None shows
        ``row_param`` and ``column_param``.
    estimator_name : str or None, default=None
        Shown in the title, before ``score_name``.

    Attributes
    ----------
    im_ : matplotlib AxesImage
        The heatmap.
    text_ : ndarray of matplotlib Text of shape (n_rows, n_columns), or None
        The score written in each cell (None where NaN), or None if the
        scores are not written.
    best_marker_ : matplotlib Rectangle
        The outline of the best cell.
    colorbar_ : matplotlib Colorbar or None
        The colorbar, if drawn.
    ax_ : matplotlib Axes
        The Axes of the heatmap.
    figure_ : matplotlib Figure
        The figure holding it.

    Examples
    --------
    A search's ``cv_results_`` (here written by hand) over two
    hyperparameters:

    >>> from skact import SearchHeatmapDisplay
    >>> cv_results = {
    ...     "param_activation": ["relu", "relu", "tanh", "tanh"],
    ...     "param_learning_rate_init": [0.01, 0.001, 0.01, 0.001],
    ...     "mean_test_score": [0.95, 0.90, 0.93, 0.92],
    ... }
    >>> display = SearchHeatmapDisplay.from_cv_results(cv_results)
    >>> display.column_labels, display.row_labels
    (['0.001', '0.01'], ['relu', 'tanh'])
    >>> display.scores
    array([[0.9 , 0.95],
           [0.92, 0.93]])
    """

    def __init__(
        self, scores, *, row_labels, column_labels, row_param, column_param,
        score_name="mean CV score", best_cell=None, axis_labels=None,
        estimator_name=None,
    ):  # fmt: skip
        self.scores = scores
        self.row_labels = row_labels
        self.column_labels = column_labels
        self.row_param = row_param
        self.column_param = column_param
        self.score_name = score_name
        self.best_cell = best_cell
        self.axis_labels = axis_labels
        self.estimator_name = estimator_name

    @classmethod
    def from_estimator(cls, search, *, rows=None, columns=None, scoring=None, **kwargs):
        """Plot the mean test scores of a fitted search.

        Parameters
        ----------
        search : GridSearchCV, RandomizedSearchCV or another fitted search
            A fitted search: an object with ``cv_results_``.
        rows, columns : str or None, default=None
            The hyperparameters on each axis: a name of ``search``'s grid, or
            its end after ``"__"`` if that is unambiguous (``"activation"``
            for ``"mlpclassifier__activation"``). None, when exactly two
            hyperparameters vary, puts the one with more values on the rows;
            when one varies, draws it as a single column (on the rows), or as
            a single row if ``columns`` names it. Where other hyperparameters
            vary too, each cell shows the best score over them.
        scoring : str or None, default=None
            Which score of a multi-metric search; None takes the one
            ``refit`` names (or "score" for a single metric).
        **kwargs : dict
            Passed to `plot`.

        Returns
        -------
        display : SearchHeatmapDisplay
            The outlined cell holds the candidate the search chose
            (``best_index_``) when the scores shown are those it chose by;
            otherwise the highest score. The colorbar and the title name the
            scorer (the estimator's own score for the default scoring:
            accuracy for a classifier, R² for a regressor).
        """
        _check_search(search)
        refit = getattr(search, "refit", True)
        if scoring is None:
            if "mean_test_score" in search.cv_results_:
                scoring = "score"
            elif isinstance(refit, str):
                scoring = refit
            else:
                raise ValueError(
                    "The search scored several metrics and refit names none: "
                    "say which to show with scoring=."
                )
        chose_by = refit if isinstance(refit, str) else "score"
        best_index = None
        if hasattr(search, "best_index_") and (callable(refit) or scoring == chose_by):
            best_index = search.best_index_
        return cls._from_results(
            search.cv_results_, rows, columns, scoring, best_index, kwargs,
            scorer=_scorer_name(search, scoring), estimator=_searched(search),
        )  # fmt: skip

    @classmethod
    def from_cv_results(
        cls, cv_results, *, rows=None, columns=None, scoring="score", **kwargs
    ):
        """Plot the mean test scores of a search's ``cv_results_``.

        Parameters
        ----------
        cv_results : dict
            A search's ``cv_results_``.
        rows, columns : str or None, default=None
            As in `from_estimator`.
        scoring : str, default="score"
            The score: ``cv_results[f"mean_test_{scoring}"]`` is shown.
        **kwargs : dict
            Passed to `plot`.

        Returns
        -------
        display : SearchHeatmapDisplay
            The highest score is outlined (the first candidate's, on a tie).
            The colorbar names ``scoring``, or says "mean CV score" for
            "score", whose scorer ``cv_results`` does not tell.
        """
        scorer = None if scoring == "score" else scoring
        return cls._from_results(
            cv_results, rows, columns, scoring, None, kwargs, scorer=scorer
        )

    @classmethod
    def _from_results(
        cls, cv_results, rows, columns, scoring, best_index, kwargs, *,
        scorer=None, estimator=None,
    ):  # fmt: skip
        """The Display of ``cv_results``, drawn with ``kwargs``.

        ``scorer`` names what the scores measure (None if unknown);
        ``estimator`` is the tuned estimator's class name, or None.
        """
        key = f"mean_test_{scoring}"
        if key not in cv_results:
            found = sorted(k[10:] for k in cv_results if k.startswith("mean_test_"))
            raise ValueError(
                f"cv_results has no {key!r}; scoring may be one of {found}."
            )
        candidate_scores = np.asarray(cv_results[key], dtype=float)
        if np.isnan(candidate_scores).all():
            raise ValueError(f"Every candidate's {key!r} is NaN: no fit succeeded.")
        params = {
            name[6:]: _Values(column)
            for name, column in cv_results.items()
            if name.startswith("param_")
        }
        rows, columns = _axes_params(params, rows, columns)
        # A missing axis (a search over one hyperparameter) is one position.
        row_values, column_values = (
            params[name] if name else _Values([""] * len(candidate_scores))
            for name in (rows, columns)
        )
        cells = list(zip(row_values.positions, column_values.positions))
        scores = np.full((len(row_values.labels), len(column_values.labels)), np.nan)
        for cell, score in zip(cells, candidate_scores):
            # The best over the hyperparameters not shown (np.fmax skips NaN).
            scores[cell] = np.fmax(scores[cell], score)
        if best_index is None:
            best_index = np.nanargmax(candidate_scores)
        short = _short_names(params)
        return cls(
            scores, row_labels=row_values.labels, column_labels=column_values.labels,
            row_param=rows, column_param=columns,
            score_name=f"mean CV {scorer or 'score'}", best_cell=cells[best_index],
            axis_labels=(short.get(rows, ""), short.get(columns, "")),
            estimator_name=estimator,
        ).plot(**kwargs)  # fmt: skip

    def plot(
        self, *, ax=None, cmap="viridis", include_values=True, values_format=None,
        colorbar=True, im_kw=None, text_kw=None,
    ):  # fmt: skip
        """Draw the heatmap.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; None creates a figure.
        cmap : str or matplotlib Colormap, default="viridis"
            The colormap.
        include_values : bool, default=True
            Whether to write each cell's score in it.
        values_format : str or None, default=None
            The format of the scores written; None writes every cell with the
            same decimals, three significant digits for the largest score
            (".3f" for accuracies).
        colorbar : bool, default=True
            Whether to draw a colorbar.
        im_kw : dict or None, default=None
            Keyword arguments for matplotlib's ``imshow``.
        text_kw : dict or None, default=None
            Keyword arguments for matplotlib's ``text``, for the scores.

        Returns
        -------
        display : SearchHeatmapDisplay
            The Display, its artists set.
        """
        n_rows, n_columns = self.scores.shape
        best = self._best_cell()
        (ax,) = _panels(
            ax, 1, "SearchHeatmapDisplay.plot",
            # At least 2.4 inches tall, for a colorbar with readable ticks.
            figsize=(4.8 + 1.0 * n_columns, max(2.4, 1.2 + 0.45 * n_rows)),
        )  # fmt: skip
        self.im_ = ax.imshow(
            self.scores, **{"cmap": cmap, "aspect": "auto"} | (im_kw or {})
        )
        self.text_ = None
        if include_values:
            values_format = values_format or _decimals_for(self.scores)
            self.text_ = self._write(ax, values_format, text_kw or {})
            self.text_[best].set_fontweight("bold")
        self.best_marker_ = self._mark(ax, best)
        row_label, column_label = self.axis_labels or (
            self.row_param, self.column_param,
        )  # fmt: skip
        ax.set_xticks(range(n_columns), self.column_labels)
        ax.set_yticks(range(n_rows), self.row_labels)
        # An axis without a hyperparameter (a one-parameter search) has no ticks.
        if self.column_param is None:
            ax.set_xticks([])
        if self.row_param is None:
            ax.set_yticks([])
        ax.set_xlabel(column_label or "")
        ax.set_ylabel(row_label or "")
        name = self.estimator_name
        ax.set_title(f"{name}: {self.score_name}" if name else self.score_name)
        self.colorbar_ = None
        if colorbar:
            self.colorbar_ = ax.figure.colorbar(self.im_, ax=ax)
            self.colorbar_.set_label(self.score_name)
        self.ax_, self.figure_ = ax, ax.figure
        return self

    def _best_cell(self):
        """``(row, column)`` of the cell to outline, checked."""
        if self.best_cell is None:
            return np.unravel_index(np.nanargmax(self.scores), self.scores.shape)
        best = tuple(int(i) for i in self.best_cell)
        if np.isnan(self.scores[best]):
            raise ValueError(f"best_cell {best} has no score (NaN).")
        return best

    def _write(self, ax, values_format, text_kw):
        """Write each cell's score, light on dark cells and dark on light."""
        text = np.full(self.scores.shape, None, dtype=object)
        low, high = np.nanmin(self.scores), np.nanmax(self.scores)
        for (i, j), score in np.ndenumerate(self.scores):
            if np.isnan(score):
                continue
            shade = self.im_.cmap(1.0 if score < (low + high) / 2 else 0.0)
            style = {"ha": "center", "va": "center", "fontsize": "small"}
            text[i, j] = ax.text(
                j, i, format(score, values_format), **style | {"color": shade} | text_kw
            )
        return text

    def _mark(self, ax, cell):
        from matplotlib.patches import Rectangle

        i, j = cell
        return ax.add_patch(
            Rectangle(
                (j - 0.5, i - 0.5),
                1,
                1,
                fill=False,
                edgecolor="red",
                linewidth=2.5,
                label="best",
            )  # fmt: skip
        )


def _decimals_for(scores):
    """A format with the decimals that give the largest score 3 digits."""
    largest = np.nanmax(np.abs(scores))
    digits = 0 if largest == 0 else int(np.floor(np.log10(largest)))
    return f".{max(0, 2 - digits)}f"


_NOT_SET = object()
"""A candidate's value of a hyperparameter it leaves out (masked in
``cv_results_``, as in a grid given as a list of dicts)."""


class _Values:
    """The values a hyperparameter takes over a search's candidates.

    Values are told apart by number if all are numbers (so that 1e-4 and
    1.0000001e-4 stay two), else by their text; numbers are shown ascending,
    anything else in the search's order, "not set" last.

    Attributes
    ----------
    positions : list of int
        For each candidate, the index of its value in ``labels``.
    labels : list of str
        The distinct values, as shown.
    """

    def __init__(self, column):
        values = [_NOT_SET if v is np.ma.masked else _plain(v) for v in column]
        numeric = all(_is_number(v) for v in values if v is not _NOT_SET)
        keys = [v if v is _NOT_SET or numeric else _label(v) for v in values]
        distinct = list(dict.fromkeys(keys))
        if numeric:
            distinct = sorted(k for k in distinct if k is not _NOT_SET) + [
                k for k in distinct if k is _NOT_SET
            ]
        index = {k: i for i, k in enumerate(distinct)}
        self.positions = [index[k] for k in keys]
        self.labels = ["not set" if k is _NOT_SET else _label(k) for k in distinct]


def _axes_params(params, rows, columns):
    """The hyperparameters on the rows and the columns, names resolved.

    One of them is None when a single hyperparameter is to be shown.
    """
    rows, columns = (_resolve(name, params) for name in (rows, columns))
    if rows is not None and rows == columns:
        raise ValueError(f"rows and columns are both {rows!r}.")
    if rows is not None and columns is not None:
        return rows, columns
    varying = [name for name, values in params.items() if len(values.labels) > 1]
    free = [name for name in varying if name not in (rows, columns)]
    if len(free) > (rows is None) + (columns is None):
        raise ValueError(
            f"The search varies {len(varying)} hyperparameters "
            f"({', '.join(varying)}): name the two to show with rows= and columns=."
        )
    if not (free or rows or columns):
        raise ValueError(
            "The search varies no hyperparameter: name one to show with rows= or "
            "columns=."
        )
    free.sort(key=lambda name: -len(params[name].labels))
    free.append(None)
    if columns is None:
        # One hyperparameter alone goes on the rows: long values read across.
        return rows or free.pop(0), free[0]
    return free[0], columns


def _short_names(params):
    """Each hyperparameter's shortest end (after a ``"__"``) that no other has.

    Returns
    -------
    short : dict of str to str
        ``"activation"`` for ``"mlpclassifier__activation"``, unless another
        hyperparameter ends in ``"__activation"`` too.
    """
    short = {}
    for name in params:
        parts = name.split("__")
        for k in range(1, len(parts) + 1):
            end = "__".join(parts[-k:])
            others = (other for other in params if other != name)
            if not any(o == end or o.endswith(f"__{end}") for o in others):
                break
        short[name] = end
    return short


def _check_search(search):
    """Raise unless ``search`` is a fitted search (an object with ``cv_results_``)."""
    if hasattr(search, "cv_results_"):
        return
    # The hyperparameter space by scikit-learn's names, scikit-optimize's.
    spaces = ("param_grid", "param_distributions", "search_spaces")
    if any(hasattr(search, space) for space in spaces):
        check_is_fitted(search, "cv_results_")  # raises: cv_results_ is missing
    raise TypeError(
        "SearchHeatmapDisplay.from_estimator needs a fitted search: an object "
        "with cv_results_, such as GridSearchCV or RandomizedSearchCV; got "
        f"{type(search).__name__}."
    )


def _searched(search):
    """The class name of the estimator a search tuned (a pipeline's last step)."""
    estimator = getattr(search, "estimator", None)
    if hasattr(estimator, "steps"):
        estimator = estimator.steps[-1][1]
    return None if estimator is None else type(estimator).__name__


def _scorer_name(search, scoring):
    """What ``mean_test_{scoring}`` measures, or None if the search does not say."""
    if scoring != "score":  # a multi-metric search's own name for it
        return scoring
    spec = getattr(search, "scoring", None)
    if isinstance(spec, str):
        return spec
    estimator = getattr(search, "estimator", None)
    if spec is None and estimator is not None:
        # Then the search scores with estimator.score.
        if is_classifier(estimator):
            return "accuracy"
        if is_regressor(estimator):
            return "R²"
    return None


def _resolve(name, params):
    """The full name of a hyperparameter given in full or by its end."""
    if name is None or name in params:
        return name
    matches = [full for full in params if full.endswith(f"__{name}")]
    if len(matches) != 1:
        why = "matches several" if matches else "is not one"
        raise ValueError(
            f"{name!r} {why} of the search's hyperparameters: {', '.join(params)}."
        )
    return matches[0]
