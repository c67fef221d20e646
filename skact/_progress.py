"""The training record: ``history_``'s layout, the counters and the stopping rule.

`HISTORY` is the one place that spells the entries of ``history_``: what each
holds, how a plot labels and scales it, when a fit leaves it out. The record
of a fitted estimator is its public attributes (``history_``,
``loss_curve_``, ``n_iter_``, ``t_``, ``loss_``, ``best_loss_``,
``validation_scores_``, ``best_validation_score_``) and two private ones (the
`StoppingRule` and the count of epochs ever trained); `TrainingLog` is the one
writer of all of them. It keeps nothing itself, so that what is pickled,
cloned or rolled back is the estimator's attributes alone.

A new metric is one entry of `HISTORY` and one argument of
`TrainingLog.epoch_ends`: the attribute's docstring, `skact.history_table`
and `skact.HistoryDisplay` read the layout.
"""

import time
from dataclasses import dataclass

import numpy as np

from ._stopping import StoppingRule


@dataclass(frozen=True)
class Entry:
    """One entry of ``history_``: a value (or one per layer) per epoch.

    Parameters
    ----------
    key : str
        Its key in ``history_``.
    doc : str
        What it holds, for the attribute's docstring.
    label : str
        The axis label of its panel in `skact.HistoryDisplay`.
    line : str or None
        The legend of its line; None for its key.
    panel : str or None
        The key of the entry whose panel it is drawn in; None for its own.
    per_layer : bool
        Whether each epoch holds a list, one value per layer.
    validation : bool
        Whether only early stopping records it.
    scale : {"linear", "log", "share"}
        Its panel's y axis: log for values that span decades, 0 to 1 for
        shares.
    absent : str
        Why a history may lack it, for the error of a plot asking for it.
    shown : bool
        Whether `skact.HistoryDisplay` draws it by default.
    ends_at_output : bool
        Whether its last layer is the output layer (per-layer entries).
    """

    key: str
    doc: str
    label: str
    line: str = None
    panel: str = None
    per_layer: bool = False
    validation: bool = False
    scale: str = "linear"
    absent: str = "it was not recorded."
    shown: bool = False
    ends_at_output: bool = False


HISTORY = (
    Entry(
        "loss", "the training loss with the penalty, as ``loss_curve_``",
        "loss", line="training, with penalty", shown=True,
    ),
    Entry(
        "learning_rate", "the rate in force: sgd's schedule, adam's "
        "``learning_rate_init``", "learning rate", scale="log",
        absent="lbfgs has no learning rate.",
    ),
    Entry(
        "step_size", "the factor on the last step: the learning rate for sgd, "
        "adam's bias-corrected step", "step size", scale="log",
        absent="lbfgs has no step size.",
    ),
    Entry(
        "grad_norm", "per layer, the gradient norm at the epoch's last batch",
        "gradient norm", per_layer=True, scale="log", shown=True,
        ends_at_output=True,
    ),
    Entry(
        "inactive_share", "per hidden layer, the share of units dead or "
        "saturated on every sample of the epoch", "inactive share",
        per_layer=True, scale="share", shown=True,
        absent="the network has no hidden layer.",
    ),
    Entry(
        "val_loss", "the validation loss, without penalty", "validation loss",
        line="validation", panel="loss", validation=True,
        absent="it needs early_stopping=True.",
    ),
    Entry(
        "val_score", "the validation score", "validation score",
        line="validation", validation=True, shown=True,
        absent="it needs early_stopping=True.",
    ),
)  # fmt: skip
"""The entries of ``history_``, in its order."""

PANELS = (
    "loss", "val_score", "learning_rate", "step_size", "grad_norm", "inactive_share"
)  # fmt: skip
"""The entries that `skact.HistoryDisplay` draws in a panel of their own, in
its order; the others are drawn in the panel their `Entry.panel` names."""

_KEYS = {entry.key: entry for entry in HISTORY}
_LOSS, _LEARNING_RATE, _STEP_SIZE, _GRAD_NORM, _INACTIVE, _VAL_LOSS, _VAL_SCORE = _KEYS


def entry(key):
    """The `Entry` of ``history_`` under ``key``."""
    return _KEYS[key]


def n_epochs(history):
    """The number of epochs (iterations) a ``history_`` holds."""
    return len(history[_LOSS])


class TrainingLog:
    """The writer of an estimator's training record (see the module docstring).

    Parameters
    ----------
    estimator : ScratchMLPClassifier or ScratchMLPRegressor
        The estimator whose record this writes.
    """

    def __init__(self, estimator):
        self.estimator = estimator

    @property
    def rule(self):
        """The stopping rule, which lives as long as the model."""
        return self.estimator._stopping

    def first_loss(self):
        """The first loss the model recorded, or None."""
        curve = getattr(self.estimator, "loss_curve_", None)
        return float(curve[0]) if curve else None

    def new_model(self):
        """Zero the counters of a model trained from its start."""
        est = self.estimator
        est.n_iter_ = 0
        est.t_ = 0
        est._epochs = 0

    def start(self, validation):
        """Start the loss curve, history and stopping rule afresh."""
        est = self.estimator
        est.loss_curve_ = []
        est.history_ = {
            entry.key: [] for entry in HISTORY if validation or not entry.validation
        }
        est._stopping = StoppingRule(est.tol, est.n_iter_no_change, validation)
        self.publish()

    def resume(self, params, validation):
        """Continue the last fit's stopping rule and history, or start afresh.

        Parameters
        ----------
        params : ndarray
            The network's parameters, which early stopping falls back on.
        validation : bool
            Whether the epochs will be judged on validation data.
        """
        est = self.estimator
        rule = getattr(est, "_stopping", None)
        if rule is None or (validation and not rule.validation):
            # A warm start from a fit that did not judge by validation.
            self.start(validation)
        self.rule.configure(est.tol, est.n_iter_no_change)
        if validation:
            self.rule.fall_back_on(params)
        est.n_iter_ = 0

    def epoch_ends(self, loss, learning_rate, step_size, grad_norms, active, n_rows):
        """Count an epoch of ``n_rows`` rows and record it.

        ``grad_norms`` holds the gradient norm of each layer at the epoch's
        last batch; ``active`` the units active on some sample, or None.
        """
        est = self.estimator
        est.loss_ = loss
        est.n_iter_ += 1
        est._epochs += 1
        est.t_ += n_rows
        self._append(loss, learning_rate, step_size, grad_norms, active)

    def iteration_ends(self, loss, grad_norms, active):
        """Record an L-BFGS iteration, which has no learning rate."""
        est = self.estimator
        self._append(loss, np.nan, np.nan, grad_norms, active)
        est.n_iter_, est.loss_ = len(est.loss_curve_), loss

    def _append(self, loss, learning_rate, step_size, grad_norms, active):
        history = self.estimator.history_
        self.estimator.loss_curve_.append(loss)
        history[_LOSS].append(loss)
        history[_LEARNING_RATE].append(learning_rate)
        history[_STEP_SIZE].append(step_size)
        history[_GRAD_NORM].append([float(g) for g in grad_norms])
        if active is not None:
            history[_INACTIVE].append(
                [0.0 if units is None else 1.0 - units.mean() for units in active]
            )
        if _VAL_LOSS in history:
            # One entry per epoch, like the others: `validated` fills it in,
            # and it stays NaN where no epoch is validated (partial_fit
            # after an early-stopping fit).
            history[_VAL_LOSS].append(np.nan)
            history[_VAL_SCORE].append(np.nan)

    def validated(self, val_loss, score):
        """Record the last epoch's validation loss and score."""
        history = self.estimator.history_
        history[_VAL_LOSS][-1] = val_loss
        history[_VAL_SCORE][-1] = score
        if self.estimator.verbose:
            print(f"Validation score: {score:f}")

    def judge(self, params, score=None, val_loss=None):
        """Update the stopping rule with the last epoch; answer whether to stop."""
        stop = self.rule.update(self.estimator.loss_, params, score, val_loss)
        self.publish()
        return stop

    def lbfgs_ends(self, n_iter, loss):
        """Set the counters and the best loss at the end of an L-BFGS fit."""
        est = self.estimator
        est.n_iter_, est.loss_ = n_iter, loss
        self.rule.best_loss = min([*est.loss_curve_, loss])
        self.publish()

    def report(self, started):
        """With ``verbose``, print the last epoch's loss and how long it took."""
        est = self.estimator
        if est.verbose:
            seconds = time.perf_counter() - started
            print(f"Iteration {est.n_iter_}, loss = {est.loss_:.8f} ({seconds:.3f} s)")

    def publish(self):
        """Set the fitted attributes that report the stopping rule's state."""
        est, rule = self.estimator, self.rule
        est.best_loss_ = rule.best_loss
        est.validation_scores_ = rule.validation_scores
        est.best_validation_score_ = rule.best_score

    def snapshot(self):
        """What a fit may change of the record in place, to roll it back.

        Returns
        -------
        snapshot : Snapshot
        """
        return Snapshot(vars(self.estimator))


class Snapshot:
    """The lengths of the record's lists and a copy of its stopping rule.

    A fit replaces most of the record, but appends to the lists of a model
    it continues and updates its stopping rule; `restore` undoes both.

    Parameters
    ----------
    attributes : dict
        The estimator's attributes (``vars``) before the fit.
    """

    def __init__(self, attributes):
        self.logs = _logs(attributes)
        self.lengths = [len(log) for log in self.logs]
        rule = attributes.get("_stopping")
        self.rule = None if rule is None else rule.copy()

    def restore(self, estimator):
        """Put the record of ``estimator`` back as it was.

        Parameters
        ----------
        estimator : ScratchMLPClassifier or ScratchMLPRegressor
            The estimator, its attributes already put back.
        """
        for log, length in zip(self.logs, self.lengths):
            del log[length:]
        if self.rule is not None:
            estimator._stopping = self.rule
            TrainingLog(estimator).publish()


def _logs(attributes):
    """The lists a fit appends to: ``loss_curve_`` and those of ``history_``."""
    logs = [attributes["loss_curve_"]] if "loss_curve_" in attributes else []
    return logs + list(attributes.get("history_", {}).values())


def has_step_sizes(history):
    """Whether a ``history_`` records step sizes (pickles before it did not)."""
    return _STEP_SIZE in history


def with_step_sizes(history, adam_rate=None):
    """A ``history_`` pickled before step sizes were recorded, brought up to date.

    Such a history recorded the step size as the learning rate (adam's
    bias-corrected step), and its validation entries could fall short of one
    per epoch (a ``partial_fit`` after an early-stopping fit).

    Parameters
    ----------
    history : dict of list
        The old history.
    adam_rate : float or None, default=None
        The learning rate of an adam fit, in force at every epoch.

    Returns
    -------
    history : dict of list
        A new dict.
    """
    history = dict(history)
    epochs = n_epochs(history)
    history[_STEP_SIZE] = list(history[_LEARNING_RATE])
    if adam_rate is not None:
        history[_LEARNING_RATE] = [adam_rate] * epochs
    for key in (_VAL_LOSS, _VAL_SCORE):
        if key in history:
            history[key] = history[key] + [np.nan] * (epochs - len(history[key]))
    return history
