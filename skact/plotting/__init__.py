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

Each Display has a private module (``_history_display``, ``_activation_display``,
``_search_heatmap``), and ``_base`` holds what they share. Import the Displays
from here or from ``skact``: the private modules may move.
"""

from ._activation_display import ActivationDisplay
from ._history_display import HistoryDisplay
from ._search_heatmap import SearchHeatmapDisplay

__all__ = ["ActivationDisplay", "HistoryDisplay", "SearchHeatmapDisplay"]
