"""HistoryDisplay: a panel per metric of a fitted estimator's ``history_``."""

import numpy as np

from .._history import fitted_network, history_table
from .._progress import HISTORY, PANELS, entry, n_epochs
from ._base import panels


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
        axes = panels(
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
