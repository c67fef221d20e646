"""SearchHeatmapDisplay: a search's mean test score over one or two hyperparameters.

Nothing in it is specific to skact's estimators: it draws the ``cv_results_`` of
any scikit-learn search (GridSearchCV, RandomizedSearchCV, or another search with
``cv_results_``), whatever it tuned.
"""

import numpy as np
from sklearn.base import is_classifier, is_regressor
from sklearn.utils.validation import check_is_fitted

from ._base import is_number, panels, plain, value_label


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
        (ax,) = panels(
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
        values = [_NOT_SET if v is np.ma.masked else plain(v) for v in column]
        numeric = all(is_number(v) for v in values if v is not _NOT_SET)
        keys = [v if v is _NOT_SET or numeric else value_label(v) for v in values]
        distinct = list(dict.fromkeys(keys))
        if numeric:
            distinct = sorted(k for k in distinct if k is not _NOT_SET) + [
                k for k in distinct if k is _NOT_SET
            ]
        index = {k: i for i, k in enumerate(distinct)}
        self.positions = [index[k] for k in keys]
        self.labels = ["not set" if k is _NOT_SET else value_label(k) for k in distinct]


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
