"""When to stop training: the no-improvement rule, and early stopping's validation set.

:class:`StoppingRule` is scikit-learn's rule for its MLP (stop when the training
loss, or the validation score with early stopping, has not improved by ``tol``
for ``n_iter_no_change`` epochs), as one object that also keeps the best weights.

scikit-learn's estimator checks require that a sample weight of k gives the same
model as k copies of the row. A random validation split breaks that: copies of a
row may land on both sides. Here the split depends on the rows' content instead,
and the regressor's validation score is defined for any number of rows.
"""

import copy

import numpy as np

from ._rowhash import row_keys


def validation_r2(y_true, y_pred, sample_weight=None):
    """R² as ``r2_score`` defines it, averaged over outputs, for any number of rows.

    ``r2_score`` returns NaN for a single row, while the same row repeated
    gets a finite score; early stopping needs a score in which a row of weight
    k counts as k copies of it, so a constant target scores 1.0 when predicted
    exactly and 0.0 otherwise, as ``r2_score`` does for constant targets.
    """
    y_true = np.asarray(y_true, dtype=float).reshape(len(y_true), -1)
    y_pred = np.asarray(y_pred, dtype=float).reshape(len(y_pred), -1)
    w = np.ones(len(y_true)) if sample_weight is None else sample_weight
    w = np.asarray(w, dtype=float)[:, np.newaxis]
    mean = (w * y_true).sum(axis=0) / w.sum()
    ss_res = (w * (y_true - y_pred) ** 2).sum(axis=0)
    ss_tot = (w * (y_true - mean) ** 2).sum(axis=0)
    constant = ss_tot == 0
    r2 = np.where(constant, (ss_res == 0).astype(float), 0.0)
    r2[~constant] = 1 - ss_res[~constant] / ss_tot[~constant]
    return float(r2.mean())


def validation_split(X, Y, sample_weight, fraction, strata, rng):
    """Choose the early-stopping validation rows by their content.

    Rows are ordered by a keyed hash of their content (the key drawn from
    ``rng``); within each stratum, groups of identical rows are taken in that
    order while the weight taken so far is below ``fraction`` of the stratum's
    weight, always leaving at least one group for training. Identical rows
    thus land on the same side, and a row of weight k is treated exactly as k
    copies of it, which keeps sample weights and repetitions equivalent.
    Rows of zero weight stay in the training set, where they do nothing.

    Returns
    -------
    train, val : ndarray of int
        Row indices of the two sets.
    """
    n_samples = X.shape[0]
    keys = row_keys(X, Y, rng.bytes(16))
    weight = np.ones(n_samples) if sample_weight is None else sample_weight
    strata = np.zeros(n_samples) if strata is None else strata
    in_val = np.zeros(n_samples, dtype=bool)
    for stratum in np.unique(strata):
        rows = np.flatnonzero((strata == stratum) & (weight > 0))
        if rows.size == 0:
            continue
        rows = rows[np.argsort(keys[rows], kind="stable")]
        sorted_keys = keys[rows]
        group = np.cumsum(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]) - 1
        group_weight = np.bincount(group, weights=weight[rows])
        weight_before = np.cumsum(group_weight) - group_weight
        take = weight_before < fraction * group_weight.sum()
        take[-1] = False
        in_val[rows[take[group]]] = True
    if not in_val.any():
        raise ValueError(
            f"early_stopping=True could not set aside a validation set: "
            f"validation_fraction={fraction} of n_samples={n_samples} (in groups "
            "of identical rows, per class) is empty. Use more data, a larger "
            "validation_fraction, or early_stopping=False."
        )
    return np.flatnonzero(~in_val), np.flatnonzero(in_val)


class StoppingRule:
    """Count the epochs without improvement, and keep the best model seen.

    Without validation data, an epoch improves when its training loss is lower
    than the best so far by more than ``tol``. With validation data (early
    stopping), scikit-learn's rule applies (a score better by ``tol``), with
    near ties broken by the validation loss: accuracy often stays level, within
    ``tol``, on a small validation set while the model still improves, and the
    first of equal scores is rarely the best model to keep. The weights of the
    best validated epoch are kept in :attr:`best_params`.

    The rule lives as long as the model: ``warm_start`` and ``partial_fit``
    continue its count and its best values.

    Parameters
    ----------
    tol : float
        The least improvement that counts.
    n_iter_no_change : int or float
        :meth:`update` answers True once more epochs than this in a row
        brought no improvement.
    validation : bool
        Whether the epochs will be judged on validation data.

    Attributes
    ----------
    count : int
        Epochs in a row without improvement.
    best_loss : float or None
        The smallest training loss seen; None when judging by validation.
    validation_scores : list of float or None
        The validation score of every epoch, or None without validation.
    best_score : float or None
        The best validation score, or None without validation.
    best_val_loss : float
        The validation loss of the best epoch.
    val_loss_scale : float or None
        The first validation loss: a fall of the loss by ``tol`` times this
        counts as an improvement on a near tie of the score.
    score_moved : bool
        Whether the validation score has ever differed from the first one;
        until it has, near ties are not broken by the loss.
    best_params : ndarray or None
        The parameters of the best validated epoch (see :meth:`fall_back_on`).
    """

    # Defaults also for rules saved before these existed.
    val_loss_scale = None
    score_moved = False

    def __init__(self, tol, n_iter_no_change, validation):
        self.configure(tol, n_iter_no_change)
        self.count = 0
        self.best_loss = None if validation else np.inf
        self.validation_scores = [] if validation else None
        self.best_score = -np.inf if validation else None
        self.best_val_loss = np.inf
        self.best_params = None
        self._judged_by = "Validation score" if validation else "Training loss"

    @property
    def validation(self):
        """Whether this rule keeps a record of validation scores."""
        return self.validation_scores is not None

    def configure(self, tol, n_iter_no_change):
        """Set the thresholds, which may change between two fits.

        Parameters
        ----------
        tol : float
            The least improvement that counts.
        n_iter_no_change : int or float
            Epochs without improvement tolerated.
        """
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change

    def fall_back_on(self, params):
        """Keep ``params`` as the best weights, unless the rule kept some already.

        On a first fit, the weights training starts from are the best known:
        early stopping returns to them if no epoch improves. A continued rule
        keeps the weights of its best validated epoch (which may be an earlier
        fit's, as its best score is), unless the parameter layout changed.

        Parameters
        ----------
        params : ndarray of shape (n_params,)
            The current parameters (copied).
        """
        if self.best_params is None or self.best_params.shape != params.shape:
            self.best_params = params.copy()

    def update(self, loss, params, score=None, val_loss=None):
        """Take an epoch into account; answer whether to stop.

        Parameters
        ----------
        loss : float
            The epoch's training loss.
        params : ndarray of shape (n_params,)
            The parameters after the epoch (copied if they are the best).
        score, val_loss : float, default=None
            The validation score and loss, with early stopping.

        Returns
        -------
        stop : bool
            True when more than ``n_iter_no_change`` epochs in a row brought
            no improvement.
        """
        if score is None:
            improved = self._update_training_loss(loss)
        else:
            improved = self._update_validation(score, val_loss, params)
        self.count = 0 if improved else self.count + 1
        self._judged_by = "Training loss" if score is None else "Validation score"
        return self.count > self.n_iter_no_change

    def _update_training_loss(self, loss):
        if self.best_loss is None:  # the last fit judged by validation
            self.best_loss = np.inf
        improved = not loss > self.best_loss - self.tol
        if loss < self.best_loss:
            self.best_loss = loss
        return improved

    def _update_validation(self, score, val_loss, params):
        self.validation_scores.append(score)
        if self.val_loss_scale is None and np.isfinite(val_loss):
            self.val_loss_scale = val_loss
        near_tie = score > self.best_score - self.tol
        # The loss has no fixed scale: it must fall by tol times the first
        # epoch's loss. (A fraction of the best loss would let a loss that
        # shrinks geometrically, as on a single class, improve forever.)
        loss_tol = self.tol * (self.val_loss_scale or 0.0)
        # A score that has never moved tells no models apart (a single class,
        # say): then there is no tie to break, and scikit-learn's rule holds.
        self.score_moved = self.score_moved or score != self.validation_scores[0]
        if score >= self.best_score + self.tol or (
            near_tie and self.score_moved and val_loss < self.best_val_loss - loss_tol
        ):
            self.best_score = score
            self.best_val_loss = val_loss
            self.best_params = params.copy()
            return True
        return False

    def copy(self):
        """A copy of the rule, which its original's updates leave unchanged.

        Returns
        -------
        rule : StoppingRule
        """
        new = copy.copy(self)
        if self.validation_scores is not None:
            new.validation_scores = list(self.validation_scores)
        # best_params is replaced when it changes, never written into.
        return new

    def restart(self):
        """Start counting afresh (the optimizer chose to go on, more slowly)."""
        self.count = 0

    @property
    def message(self):
        """Why the last :meth:`update` answered True, in scikit-learn's words."""
        return (
            f"{self._judged_by} did not improve more than tol={self.tol:f} for "
            f"{self.n_iter_no_change} consecutive epochs."
        )
