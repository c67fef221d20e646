"""The scikit-learn shell: the two estimators, from input validation to the epoch loop.

Everything scikit-learn specific lives here: parameter validation, input
checks, label encoding, ``warm_start`` and ``partial_fit`` bookkeeping, the
epoch loop, ``history_`` and the estimator tags. The work is done below:
``_init`` starts the network, ``_minibatch`` runs an epoch, ``_lbfgs`` drives
SciPy's solver, ``_stopping`` decides when to stop, and ``_network`` computes.
"""

import textwrap
import threading
import time
import warnings
from abc import ABC, abstractmethod
from contextlib import contextmanager
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import check_random_state, column_or_1d
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import type_of_target, unique_labels
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _init, _lbfgs
from ._activation_checks import bad_activation, check_activations, resolve_activations
from ._callbacks import CallbackSupportMixin, FitTask, with_callbacks
from ._divergence import LossCheck, divergence_message, uphill_message
from ._docstrings import ATTRIBUTES, PARAMETERS, Substitution
from ._interrupt import DeferredInterrupt
from ._minibatch import MiniBatches, train_epoch
from ._network import Network, make_layers, predict
from ._optimizers import SGD, Adam
from ._rowhash import row_keys
from ._sklearn_private import (
    Interval,
    Options,
    StrOptions,
    check_sample_weight,
)
from ._stopping import StoppingRule, validation_r2, validation_split
from .activations import get_activation

_STOCHASTIC_SOLVERS = ("sgd", "adam")

_PLAIN_STATE = {"_optimizer": (SGD, Adam), "_stopping": (StoppingRule,)}
"""Private objects of a fitted estimator, pickled as dicts of plain values."""


class _Savepoint:
    """What a fit changes, saved so that the estimator can be put back.

    A fit replaces the estimator's attributes rather than changing them (the
    weights it trains are a new network's, loaded from ``coefs_``), so they
    are kept by reference; the stopping rule, which a fit may continue, is
    copied, and so is the optimizer for ``partial_fit``, which continues it;
    of the lists a fit appends to (the loss curve, the history) the lengths
    are kept.

    Parameters
    ----------
    estimator : ScratchMLPClassifier or ScratchMLPRegressor
        The estimator to save.
    incremental : bool
        Whether the fit is a ``partial_fit``.
    """

    def __init__(self, estimator, incremental):
        self.attributes = dict(vars(estimator))
        self.rule = _copied(self.attributes.get("_stopping"))
        self.optimizer = None
        if incremental:
            self.optimizer = _copied(self.attributes.get("_optimizer"))
        self.lengths = [len(log) for log in _logs(self.attributes)]

    def restore(self, estimator):
        """Put the estimator back as saved.

        Parameters
        ----------
        estimator : ScratchMLPClassifier or ScratchMLPRegressor
            The estimator saved.
        """
        vars(estimator).clear()
        vars(estimator).update(self.attributes)
        for log, length in zip(_logs(self.attributes), self.lengths):
            del log[length:]
        if self.optimizer is not None:
            estimator._optimizer = self.optimizer
        if self.rule is not None:
            estimator._stopping = self.rule
            estimator._publish_progress()


def _copied(obj):
    return None if obj is None else obj.copy()


def _logs(attributes):
    """The lists a fit appends to: ``loss_curve_`` and those of ``history_``."""
    logs = [attributes["loss_curve_"]] if "loss_curve_" in attributes else []
    return logs + list(attributes.get("history_", {}).values())


def _too_big(layer_units, dtype):
    """The error of a network too large for memory, in the user's terms."""
    n_params = sum(a * b + b for a, b in zip(layer_units[:-1], layer_units[1:]))
    gib = n_params * np.dtype(dtype).itemsize / 2**30
    return MemoryError(
        f"hidden_layer_sizes={tuple(layer_units[1:-1])} gives a network of "
        f"{n_params:,} parameters for {layer_units[0]} features: {gib:,.1f} GiB "
        f"for its weights alone ({np.dtype(dtype)}); training needs several "
        "times that, and three values per unit and row of a batch. Use smaller "
        "hidden layers, or a smaller batch_size."
    )


_FITTING = {}
"""The estimators being fitted, by ``id``: the name of the thread fitting each.

Kept here rather than on the estimators, so that nothing of it is pickled,
cloned, deep-copied or shown by ``vars`` or ``get_params``. An id stays in
only while its fit runs, and that fit holds the estimator alive."""

_FITTING_LOCK = threading.Lock()


@contextmanager
def _sole_fit(estimator):
    """Run a fit of ``estimator``, refusing it if another one is running.

    Two fits of one object write the same attributes, and one's rollback
    can undo the other's model; each fit of a copy is independent.
    """
    key = id(estimator)
    with _FITTING_LOCK:
        running = _FITTING.get(key)
        if running is None:
            _FITTING[key] = threading.current_thread().name
    if running is not None:
        raise RuntimeError(
            f"A fit is already running on this {type(estimator).__name__} object "
            f"(in thread {running!r}); two fits of one estimator would mix their "
            "models. Wait for it to end, or fit a copy (sklearn.base.clone) in "
            "each thread to fit in parallel."
        )
    try:
        yield
    finally:
        with _FITTING_LOCK:
            del _FITTING[key]


def _check_writable(estimator):
    """Refuse to continue an optimizer whose state arrays are read-only.

    ``partial_fit`` updates the optimizer's state in place; the arrays of a
    model loaded with ``joblib.load(path, mmap_mode="r")`` are views of the
    file, which NumPy cannot write to. Checked before anything changes.
    """
    optimizer = getattr(estimator, "_optimizer", None)
    state = [] if optimizer is None else vars(optimizer).values()
    if all(v.flags.writeable for v in state if isinstance(v, np.ndarray)):
        return
    raise ValueError(
        f"This {type(estimator).__name__}'s arrays are read-only: memory-mapped "
        "from a file, as joblib.load(path, mmap_mode='r') loads them. "
        "partial_fit updates the optimizer's state in place, so it needs a "
        "writable copy: load the model without mmap_mode, or train "
        "copy.deepcopy(model). The model is unchanged."
    )


class _BaseScratchMLP(CallbackSupportMixin, BaseEstimator, ABC):
    """Parameters, training loops and prediction shared by both estimators."""

    # Epochs trained so far, over every fit and partial_fit call: the epoch
    # index that dropout masks and shuffles derive from. A class default, so
    # that a model assembled from public attributes (coefs_, intercepts_, ...)
    # or pickled before this counter existed trains on from epoch 0.
    _epochs = 0

    _parameter_constraints: dict = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        # Checked when fitting (resolve_activations): a name's error suggests
        # the closest, a class's asks for an instance, a list's length
        # depends on hidden_layer_sizes.
        "activation": "no_validation",
        "solver": [StrOptions({"lbfgs", "sgd", "adam"})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
        ],
        "learning_rate": [StrOptions({"constant", "invscaling", "adaptive"})],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),
        ],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
        "weight_init": [StrOptions(set(_init.WEIGHT_INITS))],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "l1_ratio": [Interval(Real, 0, 1, closed="both")],
    }

    @abstractmethod
    def __init__(
        self,
        hidden_layer_sizes,
        activation,
        solver,
        alpha,
        batch_size,
        learning_rate,
        learning_rate_init,
        power_t,
        max_iter,
        loss,
        shuffle,
        random_state,
        tol,
        verbose,
        warm_start,
        momentum,
        nesterovs_momentum,
        early_stopping,
        validation_fraction,
        beta_1,
        beta_2,
        epsilon,
        n_iter_no_change,
        max_fun,
        weight_init,
        dropout,
        l1_ratio,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.loss = loss
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.weight_init = weight_init
        self.dropout = dropout
        self.l1_ratio = l1_ratio

    # The benchmark turns this off to measure what recording history_ costs.
    _record_history = True

    # ------------------------------------------------------------------
    # Fitting

    def fit(self, X, y, sample_weight=None):
        """Fit the model to data matrix X and target(s) y.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            The target values (class labels in classification, real numbers in
            regression).
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        with _sole_fit(self):
            self._validate_params()
            with self._all_or_nothing(incremental=False):
                self._run("fit", X, y, sample_weight)
        return self

    def _partial_fit(self, X, y, sample_weight, setup=None):
        """One epoch over (X, y), all or nothing; ``setup`` runs first, inside.

        Inside: what ``setup`` sets (a classifier's classes, on the first
        call) is undone with the rest if the call fails.
        """
        _check_writable(self)
        with self._all_or_nothing(incremental=True):
            interrupted = self._run("partial_fit", X, y, sample_weight, setup)
        if interrupted:  # the epoch is learned; now stop the caller's loop
            raise KeyboardInterrupt
        return self

    @with_callbacks
    def _run(self, name, X, y, sample_weight, setup=None):
        """The call inside the callbacks' context: their setup first, teardown last.

        Inside the all-or-nothing block, so that a teardown that raises,
        after the new model is in place, undoes the call like any failure.
        Answers whether a Ctrl-C ended training early.
        """
        if name == "partial_fit":
            steps = 1
        elif self.solver == "lbfgs":
            steps = self.max_iter + 1  # the iteration L-BFGS leaves open
        else:
            steps = self.max_iter
        task = FitTask(self, name, steps, X, y, sample_weight)
        if setup is not None:
            setup()
        return self._fit(X, y, sample_weight, name == "partial_fit", task)

    @contextmanager
    def _all_or_nothing(self, incremental):
        """Put the estimator back as it was if the block raises.

        A fit that fails (bad input found late, divergence, a second Ctrl-C,
        a callback that raises) then leaves the previous model whole, or an
        unfitted estimator, never a mix of the two.
        """
        savepoint = _Savepoint(self, incremental)
        try:
            yield
        except BaseException:
            savepoint.restore(self)
            raise

    def _fit(self, X, y, sample_weight, incremental, task):
        """Train; answer whether a Ctrl-C ended training early."""
        first_loss = self._first_loss(incremental)
        # A diverging fit overflows; it is reported below as one clear error
        # rather than as a stream of NumPy warnings.
        with np.errstate(all="ignore"):
            net, X, Y, sample_weight = self._prepare(X, y, sample_weight, incremental)
            check = LossCheck(
                net, X, Y, sample_weight, self.alpha, self.l1_ratio, first_loss
            )
            task.begins(net)
            try:
                if self.solver == "lbfgs":
                    interrupted = self._fit_lbfgs(net, X, Y, sample_weight, task)
                else:
                    interrupted = self._fit_stochastic(
                        net, X, Y, sample_weight, incremental, task
                    )
            except MemoryError as error:
                raise _too_big(net.layer_units, net.dtype) from error
            verdict = check.verdict(
                self.loss_, exact=self.solver == "lbfgs", warn=not incremental
            )
        if verdict in ("overflowed", "diverged"):
            task.fails()
            found = check if verdict == "diverged" else None
            raise ValueError(
                divergence_message(self.solver, self.learning_rate_init, found)
            )
        if verdict == "worse":
            warnings.warn(
                uphill_message(self.solver, self.learning_rate_init, check),
                ConvergenceWarning,
            )
        task.ends()
        return interrupted

    def _continues(self, incremental):
        """Whether this call continues the fitted model (else it starts anew)."""
        return hasattr(self, "coefs_") and (self.warm_start or incremental)

    def _first_loss(self, incremental):
        """The first loss the model recorded, if this call continues it."""
        curve = getattr(self, "loss_curve_", None)
        return float(curve[0]) if curve and self._continues(incremental) else None

    def _check_solver(self):
        if self.solver not in _STOCHASTIC_SOLVERS:
            raise AttributeError(
                "partial_fit is only available for stochastic optimizers. "
                f"{self.solver} is not stochastic."
            )
        return True

    # ------------------------------------------------------------------
    # What a fit starts from

    def _prepare(self, X, y, sample_weight, incremental):
        """Validate the input and build the network a fit starts from.

        Returns
        -------
        net : Network
            Initialised (first fit) or loaded from ``coefs_`` (warm start,
            partial_fit), and bound to the fitted attributes.
        X, Y, sample_weight : arrays
            The validated input, the targets as a matrix (booleans for a
            classifier, X's dtype for a regressor), and the sample weights
            (class weights included), or None.
        """
        layer_sizes = self._layer_sizes()
        first_pass = not self._continues(incremental)
        if self.dropout > 0 and self.solver == "lbfgs":
            raise ValueError(
                f"dropout={self.dropout} needs a stochastic solver: dropout is "
                "noise added to mini-batch training, and L-BFGS needs an exact "
                "loss. Use solver='adam' or 'sgd', or dropout=0."
            )
        activations = resolve_activations(
            self.activation, len(layer_sizes), type(self).__name__
        )
        X, Y = self._validate_input(X, y, incremental, reset=first_pass)
        sample_weight = self._sample_weight(X, Y, sample_weight, incremental)
        layer_units = [X.shape[1], *layer_sizes, Y.shape[1]]
        check_activations(activations, layer_sizes, X.dtype)
        self._random_state = check_random_state(self.random_state)

        if first_pass:
            self._start_attributes(Y, layer_units, incremental)
        elif Y.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y has {Y.shape[1]} output(s) but the model was fitted with "
                f"{self.n_outputs_}."
            )
        try:
            net = Network(
                layer_units, activations, self._loss_name(), X.dtype, self.dropout
            )
            if first_pass:
                _init.initialize(
                    net, self._random_state, self.weight_init, X, sample_weight,
                    self._start_targets(Y, incremental),
                )  # fmt: skip
        except MemoryError as error:
            raise _too_big(layer_units, X.dtype) from error
        if not first_pass:
            self._load_fitted(net)
        self._bind(net, activations)
        return net, X, Y, sample_weight

    def _layer_sizes(self):
        sizes = self.hidden_layer_sizes
        if not hasattr(sizes, "__iter__"):
            sizes = [sizes]
        sizes = list(sizes)
        if not all(isinstance(s, Integral) and s > 0 for s in sizes):
            raise ValueError(
                f"hidden_layer_sizes must be positive integers, got {sizes}."
            )
        return [int(s) for s in sizes]

    def _sample_weight(self, X, Y, sample_weight, incremental):
        """The checked sample weights, class weights included, or None."""
        if sample_weight is not None:
            sample_weight = check_sample_weight(
                sample_weight, X, dtype=X.dtype, ensure_non_negative=True
            )
        sample_weight = self._with_class_weight(Y, sample_weight, incremental, X.dtype)
        if sample_weight is None:
            return None
        total = sample_weight.sum()
        if not total > 0:
            raise ValueError("sample_weight must have a positive sum.")
        # Weighted losses, and their squares in the gradient, must stay finite.
        limit = np.sqrt(np.finfo(X.dtype).max)
        if not total <= limit:
            raise ValueError(
                f"sample_weight (with class_weight) sums to {float(total):.3g}, "
                f"too much for X's dtype {X.dtype} (at most {limit:.3g}). Only "
                "the ratios of the weights matter to the data term of the loss: "
                "divide the weights, and alpha with them, by a common factor."
            )
        return sample_weight

    def _with_class_weight(self, Y, sample_weight, incremental, dtype):
        """Sample weights with the class weights folded in (classifier only)."""
        return sample_weight

    def _start_targets(self, Y, incremental):
        """The targets the output starts from (their prior), or None."""
        return Y

    def _start_attributes(self, Y, layer_units, incremental):
        """Set the fitted attributes of a first fit, but the weights."""
        self.n_iter_ = 0
        self.t_ = 0
        self.n_outputs_ = Y.shape[1]
        self.n_layers_ = len(layer_units)
        self.out_activation_ = self._out_activation()
        self._epochs = 0
        if self.solver in _STOCHASTIC_SOLVERS:
            self._reset_progress(self.early_stopping and not incremental)

    def _load_fitted(self, net):
        """Pack the current ``coefs_``/``intercepts_`` into ``net``.

        They are the model's truth: a user may have edited or replaced them,
        or unpickled the estimator (after which they are no longer views).
        """
        expected = [c.shape for c in net.coefs]
        found = [np.shape(c) for c in self.coefs_]
        if expected != found or len(self.intercepts_) != len(net.intercepts):
            raise ValueError(
                f"The fitted coefs_ have shapes {found} but the current "
                f"parameters need {expected}: hidden_layer_sizes changed since "
                "the last fit. Set warm_start=False to start anew."
            )
        net.load(self.coefs_, self.intercepts_, getattr(self, "activation_params_", []))

    def _bind(self, net, activations):
        """Expose the network's parameter views as the fitted attributes."""
        self.coefs_ = net.coefs
        self.intercepts_ = net.intercepts
        self.activation_params_ = net.act_params
        self.activations_ = activations

    # ------------------------------------------------------------------
    # L-BFGS

    def _fit_lbfgs(self, net, X, Y, sample_weight, task):
        """Full-batch training with SciPy's L-BFGS-B, recording each iteration."""
        self._reset_progress(validation=False)
        objective = _lbfgs.Objective(
            net, X, Y, sample_weight, self.alpha, self.l1_ratio
        )
        interrupt = DeferredInterrupt()
        stopped = False  # by a callback
        started = time.perf_counter()

        def iteration_ends():
            # The iteration's last evaluation was at its new point.
            nonlocal stopped, started
            loss = objective.loss
            self._record(loss, np.nan, np.nan, objective.grad_norms, objective.active)
            self.n_iter_, self.loss_ = len(self.loss_curve_), loss
            self._report_step(started)
            stopped = task.step_ends()
            if stopped or interrupt.requested:
                raise StopIteration  # SciPy's way to stop after this iteration
            task.step_begins()
            started = time.perf_counter()

        self.n_iter_ = 0
        task.step_begins()
        with interrupt:
            result = _lbfgs.minimize(
                objective, self.max_iter, self.max_fun, self.tol, iteration_ends
            )
        self.n_iter_ = min(result.nit, self.max_iter)
        if interrupt.requested:
            warnings.warn("Training interrupted by user.")
        elif result.status != 0 and not stopped:
            warnings.warn(
                f"lbfgs failed to converge after {self.n_iter_} iteration(s) "
                f"(status={result.status}): {result.message}. Increase the "
                "number of iterations (max_iter) or the number of function "
                "evaluations (max_fun), or scale the data.",
                ConvergenceWarning,
            )
        _, self.loss_ = net.loss_grad(X, Y, sample_weight, self.alpha, self.l1_ratio)
        self._stopping.best_loss = min([*self.loss_curve_, self.loss_])
        self._publish_progress()
        return interrupt.requested

    # ------------------------------------------------------------------
    # SGD and Adam: the epoch loop

    def _fit_stochastic(self, net, X, Y, sample_weight, incremental, task):
        """Mini-batch training with SGD or Adam, epoch by epoch."""
        optimizer = self._stochastic_optimizer(net, incremental)
        # Early stopping belongs to fit; partial_fit learns from all it is given.
        early_stopping = self.early_stopping and not incremental
        rule = self._resume_progress(net, early_stopping)
        batches, held_out = self._training_data(
            net, X, Y, sample_weight, early_stopping
        )
        self.n_iter_ = 0
        with DeferredInterrupt() as interrupt:
            for _ in range(self.max_iter):
                task.step_begins()
                started = time.perf_counter()
                active = net.new_activity() if self._record_history else None
                self.loss_, grad_norms = train_epoch(
                    net, optimizer, batches, self.alpha, self.l1_ratio,
                    self._epochs, active,
                )  # fmt: skip
                self.n_iter_ += 1
                self._epochs += 1
                self.t_ += batches.n_samples
                self._record(
                    self.loss_, optimizer.learning_rate, optimizer.step_size,
                    grad_norms, active,
                )  # fmt: skip
                self._report_step(started)
                if not np.isfinite(self.loss_):
                    break  # diverged: _fit reports it
                converged = self._epoch_ends(net, optimizer, rule, held_out)
                # A callback's request to stop ends training as convergence
                # does, early stopping's best weights restored below.
                if task.step_ends() or converged or incremental:
                    break
                if interrupt.requested:
                    break
            else:
                warnings.warn(
                    f"Stochastic Optimizer: Maximum iterations ({self.max_iter})"
                    " reached and the optimization hasn't converged yet.",
                    ConvergenceWarning,
                )
        if interrupt.requested:
            warnings.warn("Training interrupted by user.")
        if early_stopping:
            net.params[...] = rule.best_params
        return interrupt.requested

    def _stochastic_optimizer(self, net, incremental):
        """The optimizer: ``partial_fit`` continues the last one's state."""
        optimizer = getattr(self, "_optimizer", None)
        if incremental and optimizer is not None and optimizer.n_params == net.size:
            return optimizer
        if self.solver == "sgd":
            optimizer = SGD(
                net.params,
                self.learning_rate_init,
                self.learning_rate,
                self.momentum,
                self.nesterovs_momentum,
                self.power_t,
            )
        else:
            optimizer = Adam(
                net.params,
                self.learning_rate_init,
                self.beta_1,
                self.beta_2,
                self.epsilon,
            )
        self._optimizer = optimizer
        return optimizer

    def _training_data(self, net, X, Y, sample_weight, early_stopping):
        """The mini-batches, and the held-out rows of early stopping or None.

        Returns
        -------
        batches : MiniBatches
        held_out : tuple or None
            ``(X, Y, y, sample_weight)`` of the validation rows, ``y`` being
            the labels (or values) that the validation score compares with.
        """
        held_out = None
        if early_stopping:
            train, val = validation_split(
                X,
                Y,
                sample_weight,
                self.validation_fraction,
                self._stratify_labels(Y),
                self._random_state,
            )
            sw_val = None if sample_weight is None else sample_weight[val]
            held_out = (X[val], Y[val], self._decode(Y[val]), sw_val)
            X, Y = X[train], Y[train]
            if sample_weight is not None:
                sample_weight = sample_weight[train]
        # Dropout masks are drawn from each row's content, so that a row of
        # weight k and k copies of it train alike.
        keys = row_keys(X, Y, self._random_state.bytes(16)) if net.dropout else None
        batches = MiniBatches(
            X, Y, sample_weight, keys, self._batch_size(X.shape[0]), self.shuffle,
            self._random_state,
        )  # fmt: skip
        return batches, held_out

    def _batch_size(self, n_samples):
        if self.batch_size == "auto":
            return min(200, n_samples)
        if self.batch_size > n_samples:
            warnings.warn(
                "Got `batch_size` less than 1 or larger than "
                "sample size. It is going to be clipped"
            )
        return int(np.clip(self.batch_size, 1, n_samples))

    def _epoch_ends(self, net, optimizer, rule, held_out):
        """Judge the epoch and update the learning rate; answer whether to stop."""
        if held_out is None:
            stop = rule.update(self.loss_, net.params)
        else:
            score, val_loss = self._score_held_out(net, *held_out)
            stop = rule.update(self.loss_, net.params, score, val_loss)
        self._publish_progress()
        optimizer.iteration_ends(self.t_)
        if not stop:
            return False
        if optimizer.trigger_stopping(rule.message, self.verbose):
            return True
        rule.restart()  # the optimizer goes on with a smaller learning rate
        return False

    def _score_held_out(self, net, X, Y, y, sample_weight):
        """Score the validation rows, and record it; return score and loss."""
        val_loss, output = net.evaluate(X, Y, sample_weight)
        if np.isfinite(output).all():
            score = self._score_output(output, y, sample_weight)
        else:
            score = np.nan
        self.history_["val_loss"][-1] = val_loss
        self.history_["val_score"][-1] = score
        if self.verbose:
            print(f"Validation score: {score:f}")
        return score, val_loss

    # ------------------------------------------------------------------
    # Progress: history_, loss_curve_ and the stopping rule

    def _resume_progress(self, net, validation):
        """Continue the last fit's stopping rule and history, or start afresh.

        Returns
        -------
        rule : StoppingRule
        """
        rule = getattr(self, "_stopping", None)
        if rule is None or (validation and not rule.validation):
            # A warm start from a fit that did not judge by validation.
            self._reset_progress(validation)
            rule = self._stopping
        rule.configure(self.tol, self.n_iter_no_change)
        if validation:
            rule.fall_back_on(net.params)
        return rule

    def _reset_progress(self, validation):
        """Start the loss curve, history and stopping rule afresh."""
        self.loss_curve_ = []
        self.history_ = {
            "loss": [],
            "learning_rate": [],
            "step_size": [],
            "grad_norm": [],
            "inactive_share": [],
        }
        if validation:
            self.history_.update(val_loss=[], val_score=[])
        self._stopping = StoppingRule(self.tol, self.n_iter_no_change, validation)
        self._publish_progress()

    def _record(self, loss, learning_rate, step_size, grad_norms, active):
        """Append one epoch (or L-BFGS iteration) to ``history_``.

        ``grad_norms`` holds the gradient norm of each layer at the epoch's
        last batch; ``active`` the units active on some sample, or None.
        """
        self.loss_curve_.append(loss)
        self.history_["loss"].append(loss)
        self.history_["learning_rate"].append(learning_rate)
        self.history_["step_size"].append(step_size)
        self.history_["grad_norm"].append([float(g) for g in grad_norms])
        if active is not None:
            self.history_["inactive_share"].append(
                [0.0 if units is None else 1.0 - units.mean() for units in active]
            )
        if "val_loss" in self.history_:
            # One entry per epoch, like the others: _score_held_out fills it
            # in, and it stays NaN where no epoch is validated (partial_fit
            # after an early-stopping fit).
            self.history_["val_loss"].append(np.nan)
            self.history_["val_score"].append(np.nan)

    def _report_step(self, started):
        """With ``verbose``, print the epoch's loss and how long it took."""
        if self.verbose:
            seconds = time.perf_counter() - started
            print(
                f"Iteration {self.n_iter_}, loss = {self.loss_:.8f} ({seconds:.3f} s)"
            )

    def _publish_progress(self):
        """Set the fitted attributes that report the stopping rule's state."""
        rule = self._stopping
        self.best_loss_ = rule.best_loss
        self.validation_scores_ = rule.validation_scores
        self.best_validation_score_ = rule.best_score

    def set_params(self, **params):
        """Set the parameters of this estimator.

        As scikit-learn's ``set_params``, with one addition: the nested
        parameters of an activation given by name set an activation object,
        so that ``set_params(activation__negative_slope=0.3)`` on an estimator
        with ``activation="leaky_relu"`` sets
        ``activation=LeakyReLU(negative_slope=0.3)``.

        Parameters
        ----------
        **params : dict
            Estimator parameters, and ``activation__<name>`` for the
            parameters of the activation.

        Returns
        -------
        self : estimator instance
            The estimator.
        """
        nested = [key for key in params if key.startswith("activation__")]
        if nested:
            params = dict(params)
            activation = params.get("activation", self.activation)
            if isinstance(activation, (str, type)):
                try:
                    params["activation"] = get_activation(activation)
                except (TypeError, ValueError) as error:
                    raise bad_activation(type(self).__name__, error) from error
            elif isinstance(activation, (list, tuple)):
                raise ValueError(
                    f"{nested[0]} does not say which layer of activation="
                    f"{activation!r} it is for: make the list's entries "
                    "activation objects with their parameters instead, such as "
                    "[LeakyReLU(negative_slope=0.3), 'tanh']."
                )
        return super().set_params(**params)

    def __getstate__(self):
        # The optimizer and the stopping rule are saved as plain values, so
        # that loading (with skops.io, say) trusts no private skact type.
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
        if "step_size" not in state.get("history_", {"step_size": None}):
            state = _with_step_size(state)
        super().__setstate__(state)

    # ------------------------------------------------------------------
    # Prediction

    def _forward(self, X, check_input=True):
        """The network's output for X, from ``coefs_`` and ``intercepts_``."""
        check_is_fitted(self, "coefs_")
        if check_input and not self._is_plain_input(X):
            X = validate_data(
                self,
                X,
                accept_sparse=["csr", "csc"],
                dtype=(np.float64, np.float32),
                reset=False,
            )
        layers = make_layers(
            self.coefs_, self.intercepts_, self.activations_,
            self.activation_params_, self.out_activation_,
        )  # fmt: skip
        with np.errstate(all="ignore"):
            output = predict(X, layers)
        if not np.isfinite(output).all():
            raise ValueError(
                "The network's output is not finite for some rows of X: X holds "
                "values too large for this network, or coefs_ or intercepts_ "
                "hold non-finite values. Scale the input, e.g. with "
                "StandardScaler, as for fitting."
            )
        return output

    def _is_plain_input(self, X):
        """Whether X needs none of ``validate_data``'s conversions or checks.

        A finite float ndarray of the fitted width, for a model fitted without
        feature names, is used as it is: validation costs more than the whole
        forward pass for one row. Anything else takes the full path, which
        also gives the standard error messages.
        """
        return (
            type(X) is np.ndarray
            and X.ndim == 2
            and X.dtype in (np.float64, np.float32)
            and 0 < X.shape[0]
            and X.shape[1] == self.n_features_in_
            and not hasattr(self, "feature_names_in_")
            and bool(np.isfinite(X).all())
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


def _with_step_size(state):
    """An estimator's state pickled before ``history_`` had "step_size".

    Such a state recorded adam's bias-corrected step as "learning_rate", and
    its optimizer kept that step in ``learning_rate``, which a continued fit
    takes for the base rate; its validation entries could also fall short of
    one per epoch (a ``partial_fit`` after an early-stopping fit).
    """
    state = dict(state)
    history = state["history_"] = dict(state["history_"])
    n_epochs = len(history["loss"])
    history["step_size"] = list(history["learning_rate"])
    optimizer = state.get("_optimizer")
    if isinstance(optimizer, Adam):
        optimizer._step_size = optimizer.learning_rate
        optimizer.learning_rate = float(optimizer.learning_rate_init)
        history["learning_rate"] = [optimizer.learning_rate] * n_epochs
    for name in ("val_loss", "val_score"):
        if name in history:
            history[name] = history[name] + [np.nan] * (n_epochs - len(history[name]))
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


@Substitution(parameters=PARAMETERS, attributes=ATTRIBUTES)
class ScratchMLPClassifier(ClassifierMixin, _BaseScratchMLP):
    """Multi-layer perceptron classifier with a choice of hidden activations.

    A drop-in superset of `sklearn.neural_network.MLPClassifier`: same
    parameters, attributes and methods, written from scratch in NumPy, with the
    hidden activation a hyperparameter among many. The output unit is a
    sigmoid for binary and multilabel targets and a softmax for multiclass
    targets, trained with the log-loss.

    Parameters
    ----------
    {parameters}

    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, multiplied into ``sample_weight``: a dict
        ``{class: weight}`` (1 for classes left out), or ``"balanced"``,
        ``n_samples / (n_classes * n_c)`` with sample-weighted counts ``n_c``
        (accumulated over ``partial_fit`` calls; per label for multilabel
        targets).

    Attributes
    ----------
    classes_ : ndarray or list of ndarray of shape (n_classes,)
        Class labels.

    {attributes}

    out_activation_ : str
        "logistic" for binary and multilabel targets, "softmax" for
        multiclass targets.

    See Also
    --------
    ScratchMLPRegressor : The same network for regression.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skact import ScratchMLPClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = ScratchMLPClassifier(
    ...     hidden_layer_sizes=(20,), activation="leaky_relu", solver="lbfgs",
    ...     max_iter=500, random_state=0,
    ... ).fit(X, y)
    >>> clf.out_activation_
    'softmax'
    >>> bool(clf.score(X, y) > 0.9)
    True
    >>> clf.predict_proba(X[:1]).sum().round(6)
    np.float64(1.0)
    """

    # The public path, under which pickle and skops.io record the class.
    __module__ = "skact"

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        weight_init="auto",
        dropout=0.0,
        l1_ratio=0.0,
        class_weight=None,
    ):
        self.class_weight = class_weight
        super().__init__(
            hidden_layer_sizes=hidden_layer_sizes,
            activation=activation,
            solver=solver,
            alpha=alpha,
            batch_size=batch_size,
            learning_rate=learning_rate,
            learning_rate_init=learning_rate_init,
            power_t=power_t,
            max_iter=max_iter,
            loss="log_loss",
            shuffle=shuffle,
            random_state=random_state,
            tol=tol,
            verbose=verbose,
            warm_start=warm_start,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            n_iter_no_change=n_iter_no_change,
            max_fun=max_fun,
            weight_init=weight_init,
            dropout=dropout,
            l1_ratio=l1_ratio,
        )

    _parameter_constraints: dict = {
        **_BaseScratchMLP._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def _with_class_weight(self, Y, sample_weight, incremental, dtype):
        """Multiply the sample weights by the weight of each sample's class.

        A dict gives the weight of each class (1 for classes it omits).
        ``"balanced"`` gives class c the weight ``n / (n_classes * n_c)``, with
        ``n_c`` the (sample-weighted) count of class c in the data seen so far:
        in this ``fit``, or in all the ``partial_fit`` calls since the first.
        For multilabel targets, each label is balanced between its samples with
        and without it, and a sample's weight is the product over labels.
        """
        if self.class_weight is None:
            return sample_weight
        multilabel = self._label_binarizer.y_type_ == "multilabel-indicator"
        if isinstance(self.class_weight, dict):
            per_sample = self._dict_class_weights(Y, multilabel)
        else:
            per_sample = self._balanced_class_weights(
                Y, sample_weight, incremental, multilabel
            )
        per_sample = per_sample.astype(dtype)
        return per_sample if sample_weight is None else per_sample * sample_weight

    def _dict_class_weights(self, Y, multilabel):
        """Each sample's weight from ``class_weight`` given as a dict."""
        if multilabel:
            raise ValueError(
                "class_weight as a dict is not supported for multilabel "
                "targets; use class_weight='balanced' or sample_weight."
            )
        unknown = set(self.class_weight) - set(self.classes_.tolist())
        if unknown:
            raise ValueError(
                f"class_weight has labels {sorted(unknown, key=str)} that are "
                f"not among the classes {self.classes_.tolist()}."
            )
        weights = np.array(
            [self.class_weight.get(c, 1.0) for c in self.classes_.tolist()]
        )
        if not (np.isfinite(weights) & (weights >= 0)).all():
            raise ValueError(
                f"class_weight values must be finite and non-negative, got "
                f"{self.class_weight}."
            )
        return weights[self._stratify_labels(Y).astype(int)]

    def _balanced_class_weights(self, Y, sample_weight, incremental, multilabel):
        """Each sample's weight from ``class_weight="balanced"``."""
        # Each column of `values` is balanced on its own: the class index
        # for single-label targets, each label's 0/1 for multilabel ones.
        if multilabel:
            values, n_values = Y.astype(int), 2
        else:
            values = self._stratify_labels(Y).astype(int)[:, np.newaxis]
            n_values = len(self.classes_)
        counts = np.array(
            [
                np.bincount(column, weights=sample_weight, minlength=n_values)
                for column in values.T
            ],
            dtype=float,
        )
        if incremental and getattr(self, "_class_counts", None) is not None:
            counts = counts + self._class_counts
        self._class_counts = counts
        present = counts > 0
        n_present = present.sum(axis=1, keepdims=True)
        balance = np.zeros_like(counts)
        np.divide(
            counts.sum(axis=1, keepdims=True),
            n_present * counts,
            out=balance,
            where=present,
        )
        return np.prod(
            [balance[k, column] for k, column in enumerate(values.T)], axis=0
        )

    def _start_targets(self, Y, incremental):
        # The prior of partial_fit's first batch, which may lack classes that
        # later ones bring, would start those classes all but impossible.
        return None if incremental else Y

    def _score_output(self, output, y, sample_weight):
        """Accuracy of the network's output (used for early stopping)."""
        y_pred = self._label_binarizer.inverse_transform(
            output.ravel() if self.n_outputs_ == 1 else output
        )
        return accuracy_score(y, y_pred, sample_weight=sample_weight)

    def _loss_name(self):
        return "log_loss" if self.out_activation_ == "softmax" else "binary_log_loss"

    def _out_activation(self):
        if self._label_binarizer.y_type_ == "multiclass":
            return "softmax"
        return "logistic"

    def _stratify_labels(self, Y):
        # Stratify single-label targets by class; multilabel ones are not.
        if self._label_binarizer.y_type_ == "multiclass":
            return Y.argmax(axis=1)
        if self._label_binarizer.y_type_ == "binary":
            return Y[:, 0]
        return None

    def _decode(self, Y):
        return self._label_binarizer.inverse_transform(Y)

    def _validate_input(self, X, y, incremental, reset):
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            multi_output=True,
            dtype=(np.float64, np.float32),
            reset=reset,
        )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)

        if not hasattr(self, "classes_") or (not self.warm_start and not incremental):
            self._label_binarizer = LabelBinarizer()
            self._label_binarizer.fit(y)
            self.classes_ = self._label_binarizer.classes_
        else:
            classes = unique_labels(y)
            if self.warm_start:
                if set(classes) != set(self.classes_):
                    raise ValueError(
                        "warm_start can only be used where `y` has the same "
                        "classes as in the previous call to fit. Previously "
                        f"got {self.classes_}, `y` has {classes}"
                    )
            elif len(np.setdiff1d(classes, self.classes_, assume_unique=True)):
                raise ValueError(
                    "`y` has classes not in `self.classes_`. "
                    f"`self.classes_` has {self.classes_}. 'y' has {classes}."
                )
        return X, self._indicator(y)

    def _indicator(self, y):
        """The targets as a boolean indicator matrix, one column per output.

        What ``LabelBinarizer.transform`` gives, as booleans (eight times
        smaller than floats; the network converts each batch), and for single
        labels built without its int64 intermediate, which would otherwise
        be the peak memory of a fit on a small network.
        """
        binarizer = self._label_binarizer
        n_classes = len(self.classes_)
        if binarizer.y_type_ not in ("binary", "multiclass") or n_classes < 2:
            return binarizer.transform(y).astype(bool)
        # Every label is in classes_ (checked above), which is sorted.
        positions = np.searchsorted(self.classes_, y)
        if n_classes == 2:
            return (positions == 1)[:, np.newaxis]
        Y = np.zeros((len(y), n_classes), dtype=bool)
        Y[np.arange(len(y)), positions] = True
        return Y

    @available_if(lambda est: est._check_solver())
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """Update the model with a single epoch over the given data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            The target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.
        classes : array of shape (n_classes,), default=None
            All the classes across the calls to partial_fit; required on the
            first call, optional afterwards.

        Returns
        -------
        self : object
            The updated estimator.
        """
        with _sole_fit(self):
            self._validate_params()
            setup = self._classes_setup(y, classes)
            return self._partial_fit(X, y, sample_weight, setup)

    def _classes_setup(self, y, classes):
        """Check ``classes``; on the first call, what sets them (run inside)."""
        first_call = getattr(self, "classes_", None) is None
        if first_call and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit.")
        if classes is not None:
            classes = unique_labels(classes)
            if not first_call and not np.array_equal(self.classes_, classes):
                raise ValueError(
                    f"`classes={classes}` is not the same as on the last call to "
                    f"partial_fit, was: {self.classes_}"
                )
        if not first_call:
            return None

        def learn_classes():
            self._label_binarizer = LabelBinarizer()
            if type_of_target(y).startswith("multilabel"):
                self._label_binarizer.fit(y)
            else:
                self._label_binarizer.fit(classes)
            self.classes_ = self._label_binarizer.classes_

        return learn_classes

    def _predict(self, X, check_input=True):
        y_pred = self._forward(X, check_input=check_input)
        if self.n_outputs_ == 1:
            y_pred = y_pred.ravel()
        return self._label_binarizer.inverse_transform(y_pred)

    def predict(self, X):
        """Predict using the multi-layer perceptron classifier.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The predicted classes.
        """
        return self._predict(X)

    def predict_proba(self, X):
        """Probability estimates.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        y_prob : ndarray of shape (n_samples, n_classes)
            The probability of each class, in the order of ``classes_``. Rows
            sum to 1 for binary and multiclass targets; for multilabel targets
            each column is the probability of its label. Sigmoid outputs
            (binary, multilabel) stay strictly between 0 and 1: a confident
            one is the closest number below 1 rather than 1 itself.
        """
        y_prob = self._forward(X)
        if self.out_activation_ == "logistic":
            # expit rounds to exactly 0 or 1 beyond |z| of about 37; keep the
            # probability of either label strictly inside (0, 1).
            margin = np.finfo(y_prob.dtype).epsneg
            np.clip(y_prob, margin, 1 - margin, out=y_prob)
        if self._label_binarizer.y_type_ == "binary":
            return np.hstack([1 - y_prob, y_prob])
        return y_prob

    def predict_log_proba(self, X):
        """Log of the probability estimates.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        log_y_prob : ndarray of shape (n_samples, n_classes)
            ``log(predict_proba(X))``: the log-probability of each class, in
            the order of ``classes_``; ``-inf`` where a probability rounds to 0.
        """
        y_prob = self.predict_proba(X)
        with np.errstate(divide="ignore"):
            return np.log(y_prob, out=y_prob)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


@Substitution(parameters=PARAMETERS, attributes=ATTRIBUTES)
class ScratchMLPRegressor(RegressorMixin, _BaseScratchMLP):
    """Multi-layer perceptron regressor with a choice of hidden activations.

    A drop-in superset of `sklearn.neural_network.MLPRegressor`: same
    parameters, attributes and methods, written from scratch in NumPy, with the
    hidden activation a hyperparameter among many. The output is the identity
    (``loss="squared_error"``) or the exponential (``loss="poisson"``).

    Parameters
    ----------
    loss : {"squared_error", "poisson"}, default="squared_error"
        Half the squared error, or half the Poisson deviance (which needs
        non-negative targets and predicts through an exponential output).

    {parameters}

    Attributes
    ----------
    {attributes}

    out_activation_ : str
        "identity", or "exp" with ``loss="poisson"``.

    See Also
    --------
    ScratchMLPClassifier : The same network for classification.

    Examples
    --------
    >>> import numpy as np
    >>> from skact import ScratchMLPRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-2, 2, size=(200, 1))
    >>> y = np.sin(X).ravel()
    >>> reg = ScratchMLPRegressor(
    ...     hidden_layer_sizes=(20,), activation="elu", solver="lbfgs",
    ...     max_iter=500, random_state=0,
    ... ).fit(X, y)
    >>> bool(reg.score(X, y) > 0.95)
    True
    """

    # The public path, under which pickle and skops.io record the class.
    __module__ = "skact"

    _parameter_constraints: dict = {
        **_BaseScratchMLP._parameter_constraints,
        "loss": [StrOptions({"squared_error", "poisson"})],
    }

    def __init__(
        self,
        loss="squared_error",
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        weight_init="auto",
        dropout=0.0,
        l1_ratio=0.0,
    ):
        super().__init__(
            hidden_layer_sizes=hidden_layer_sizes,
            activation=activation,
            solver=solver,
            alpha=alpha,
            batch_size=batch_size,
            learning_rate=learning_rate,
            learning_rate_init=learning_rate_init,
            power_t=power_t,
            max_iter=max_iter,
            loss=loss,
            shuffle=shuffle,
            random_state=random_state,
            tol=tol,
            verbose=verbose,
            warm_start=warm_start,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            n_iter_no_change=n_iter_no_change,
            max_fun=max_fun,
            weight_init=weight_init,
            dropout=dropout,
            l1_ratio=l1_ratio,
        )

    def _score_output(self, output, y, sample_weight):
        """R² of the network's output (used for early stopping)."""
        return validation_r2(y, output, sample_weight)

    def _loss_name(self):
        return self.loss

    def _out_activation(self):
        return "exp" if self.loss == "poisson" else "identity"

    def _stratify_labels(self, Y):
        return None

    def _decode(self, Y):
        return Y[:, 0] if Y.shape[1] == 1 else Y

    def _validate_input(self, X, y, incremental, reset):
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            multi_output=True,
            y_numeric=True,
            dtype=(np.float64, np.float32),
            reset=reset,
        )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if self.loss == "poisson" and np.any(y < 0):
            raise ValueError(
                "Some value(s) of y are negative which is not allowed for "
                'loss="poisson".'
            )
        Y = np.asarray(y, dtype=X.dtype).reshape(X.shape[0], -1)
        if not np.isfinite(Y).all():
            raise ValueError(
                f"y has values too large for X's dtype, {X.dtype}: scale y, or "
                "pass X as float64."
            )
        return X, Y

    @available_if(lambda est: est._check_solver())
    def partial_fit(self, X, y, sample_weight=None):
        """Update the model with a single epoch over the given data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            The target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        self : object
            The updated estimator.
        """
        with _sole_fit(self):
            self._validate_params()
            return self._partial_fit(X, y, sample_weight)

    def _predict(self, X, check_input=True):
        y_pred = self._forward(X, check_input=check_input)
        return y_pred.ravel() if y_pred.shape[1] == 1 else y_pred

    def predict(self, X):
        """Predict using the multi-layer perceptron model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The input data.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            The predicted values.
        """
        return self._predict(X)

    def score(self, X, y, sample_weight=None):
        """Return the coefficient of determination R² of the prediction.

        As scikit-learn's ``RegressorMixin.score``, but without floating-point
        warnings: predictions so large that the sums of squares overflow give
        an infinite or NaN score, as they would, and nothing else.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Test samples.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            True values for X.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            R² of ``self.predict(X)`` with respect to y.
        """
        with np.errstate(all="ignore"):
            return super().score(X, y, sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


def _under_sklearn_name(cls, name):
    """``cls``'s docstring for its subclass ``name``, which only renames it."""
    summary, _, rest = cls.__doc__.partition("\n\n")
    note = textwrap.fill(
        f"`{cls.__name__}` under scikit-learn's class name, for code written "
        f"for `sklearn.neural_network.{name}`: after ``from skact import "
        f"{name}`` its ``make_pipeline`` step names (``{name.lower()}__...``), "
        "reprs and messages read as they did. A subclass that renames "
        f"`{cls.__name__}` and changes nothing else.",
        width=80,
        initial_indent="    ",
        subsequent_indent="    ",
    )
    return f"{summary}\n\n{note}\n\n{rest.replace(cls.__name__, name)}"


class MLPClassifier(ScratchMLPClassifier):
    __doc__ = _under_sklearn_name(ScratchMLPClassifier, "MLPClassifier")
    __module__ = "skact"


class MLPRegressor(ScratchMLPRegressor):
    __doc__ = _under_sklearn_name(ScratchMLPRegressor, "MLPRegressor")
    __module__ = "skact"
