"""Pickling a fitted estimator, and loading the pickles of earlier versions.

A fitted estimator's private objects (the optimizer and the stopping rule)
are saved as dicts of plain values, so that loading (with ``skops.io``, say)
trusts no private skact type. States pickled by earlier versions of skact
are brought up to date on loading, so that a continued fit (``warm_start``,
``partial_fit``) goes on as it would have.
"""

import numpy as np

from ._optimizers import SGD, Adam
from ._progress import has_step_sizes, with_step_sizes
from ._stopping import StoppingRule

_PLAIN_STATE = {"_optimizer": (SGD, Adam), "_stopping": (StoppingRule,)}
"""Private objects of a fitted estimator, pickled as dicts of plain values."""


class PersistenceMixin:
    """``__getstate__`` and ``__setstate__`` of the estimators."""

    def __getstate__(self):
        state = dict(super().__getstate__())
        for name in _PLAIN_STATE:
            if state.get(name) is not None:
                obj = state[name]
                state[name] = {"class": type(obj).__name__, **vars(obj)}
        return state

    def __setstate__(self, state):
        state = dict(state)
        if "_no_improvement_count" in state and "_stopping" not in state:
            state = _with_stopping_rule(state)
        for name, classes in _PLAIN_STATE.items():
            if isinstance(state.get(name), dict):
                values = dict(state[name])
                cls = {c.__name__: c for c in classes}[values.pop("class")]
                state[name] = cls.__new__(cls)
                vars(state[name]).update(values)
        if "history_" in state and not has_step_sizes(state["history_"]):
            state = _with_step_size(state)
        super().__setstate__(state)


def _with_step_size(state):
    """An estimator's state pickled before ``history_`` recorded step sizes.

    Such a state recorded adam's bias-corrected step as the learning rate,
    and its optimizer kept that step in ``learning_rate``, which a continued
    fit takes for the base rate.
    """
    state = dict(state)
    optimizer = state.get("_optimizer")
    adam_rate = None
    if isinstance(optimizer, Adam):
        optimizer._step_size = optimizer.learning_rate
        optimizer.learning_rate = adam_rate = float(optimizer.learning_rate_init)
    state["history_"] = with_step_sizes(state["history_"], adam_rate)
    return state


def _with_stopping_rule(state):
    """An estimator's state pickled before `StoppingRule`, with one built.

    Such a state kept the rule's values in attributes of its own, which a
    continued fit (``warm_start``, ``partial_fit``) must not lose.
    """
    state = dict(state)
    validation_scores = state.get("validation_scores_")
    rule = StoppingRule(
        state["tol"], state["n_iter_no_change"], validation_scores is not None
    )
    rule.count = state.pop("_no_improvement_count")
    rule.best_loss = state.get("best_loss_")
    rule.validation_scores = validation_scores
    rule.best_score = state.get("best_validation_score_")
    rule.best_val_loss = state.pop("_best_val_loss", np.inf)
    rule.best_params = state.pop("_best_params", None)
    state["_stopping"] = rule
    return state
