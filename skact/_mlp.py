"""The scikit-learn shell: the two estimators, from input validation to the epoch loop.

Everything scikit-learn specific lives here: parameter validation, input
checks, label encoding, ``warm_start`` and ``partial_fit`` bookkeeping, the
epoch loop, ``history_`` and the estimator tags. The work is done below:
``_init`` starts the network, ``_minibatch`` runs an epoch, ``_lbfgs`` drives
SciPy's solver, ``_stopping`` decides when to stop, and ``_network`` computes.
"""

import textwrap
import threading
import warnings
from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass
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

from . import _init
from ._activation_checks import bad_activation, check_activations, resolve_activations
from ._callbacks import CallbackSupportMixin, FitTask, with_callbacks
from ._divergence import LossCheck, divergence_message, uphill_message
from ._docstrings import ATTRIBUTES, PARAMETERS, Substitution
from ._network import Network, make_layers, predict
from ._penalty import Penalty
from ._persistence import PersistenceMixin
from ._progress import TrainingLog
from ._sklearn_private import (
    Interval,
    Options,
    StrOptions,
    check_sample_weight,
)
from ._stopping import validation_r2
from ._training import TrainingMixin
from .activations import get_activation

_STOCHASTIC_SOLVERS = ("sgd", "adam")


@dataclass(frozen=True)
class _Call:
    """What one training call is, decided once, before any callback starts.

    Parameters
    ----------
    name : {"fit", "partial_fit"}
        The method called.
    continues : bool
        Whether it continues the fitted model (``warm_start`` or
        ``partial_fit`` on a fitted estimator); else it starts anew.
    layer_sizes : list of int
        The hidden layers' widths.
    activations : list of Activation
        A fresh activation object per hidden layer.
    """

    name: str
    continues: bool
    layer_sizes: list
    activations: list

    @property
    def incremental(self):
        """Whether the call is ``partial_fit``: one epoch, continuing the optimizer."""
        return self.name == "partial_fit"


def _check_weight_sum(sample_weight, dtype):
    """Refuse weights with a zero sum, or too large a sum for ``dtype``."""
    total = sample_weight.sum()
    if not total > 0:
        raise ValueError("sample_weight must have a positive sum.")
    # Weighted losses, and their squares in the gradient, must stay finite.
    limit = np.sqrt(np.finfo(dtype).max)
    if not total <= limit:
        raise ValueError(
            f"sample_weight (with class_weight) sums to {float(total):.3g}, "
            f"too much for X's dtype {dtype} (at most {limit:.3g}). Only "
            "the ratios of the weights matter to the data term of the loss: "
            "divide the weights, and alpha with them, by a common factor."
        )


class _Savepoint:
    """What a fit changes, saved so that the estimator can be put back.

    A fit replaces the estimator's attributes rather than changing them (the
    weights it trains are a new network's, loaded from ``coefs_``), so they
    are kept by reference; the training record's lists and stopping rule,
    which a fit may continue, are saved by their `Snapshot`, and the
    optimizer is copied for ``partial_fit``, which continues it.

    Parameters
    ----------
    estimator : ScratchMLPClassifier or ScratchMLPRegressor
        The estimator to save.
    incremental : bool
        Whether the fit is a ``partial_fit``.
    """

    def __init__(self, estimator, incremental):
        self.attributes = dict(vars(estimator))
        self.record = TrainingLog(estimator).snapshot()
        optimizer = self.attributes.get("_optimizer")
        self.optimizer = None
        if incremental and optimizer is not None:
            self.optimizer = optimizer.copy()

    def restore(self, estimator):
        """Put the estimator back as saved.

        Parameters
        ----------
        estimator : ScratchMLPClassifier or ScratchMLPRegressor
            The estimator saved.
        """
        vars(estimator).clear()
        vars(estimator).update(self.attributes)
        if self.optimizer is not None:
            estimator._optimizer = self.optimizer
        self.record.restore(estimator)


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


class _BaseScratchMLP(
    PersistenceMixin, TrainingMixin, CallbackSupportMixin, BaseEstimator, ABC
):
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
            call = self._plan("fit")
            with self._all_or_nothing(call):
                self._run(call, X, y, sample_weight)
        return self

    def _partial_fit(self, X, y, sample_weight, setup=None):
        """One epoch over (X, y), all or nothing; ``setup`` runs first, inside.

        Inside: what ``setup`` sets (a classifier's classes, on the first
        call) is undone with the rest if the call fails.
        """
        _check_writable(self)
        call = self._plan("partial_fit")
        with self._all_or_nothing(call):
            interrupted = self._run(call, X, y, sample_weight, setup)
        if interrupted:  # the epoch is learned; now stop the caller's loop
            raise KeyboardInterrupt
        return self

    def _plan(self, name):
        """Check the configuration, before any callback starts; the `_Call`."""
        if self.dropout > 0 and self.solver == "lbfgs":
            raise ValueError(
                f"dropout={self.dropout} needs a stochastic solver: dropout is "
                "noise added to mini-batch training, and L-BFGS needs an exact "
                "loss. Use solver='adam' or 'sgd', or dropout=0."
            )
        layer_sizes = self._layer_sizes()
        incremental = name == "partial_fit"
        return _Call(
            name=name,
            continues=hasattr(self, "coefs_") and (self.warm_start or incremental),
            layer_sizes=layer_sizes,
            activations=resolve_activations(
                self.activation, len(layer_sizes), type(self).__name__
            ),
        )

    @with_callbacks
    def _run(self, call, X, y, sample_weight, setup=None):
        """The call inside the callbacks' context: their setup first, teardown last.

        Inside the all-or-nothing block, so that a teardown that raises,
        after the new model is in place, undoes the call like any failure.
        Answers whether a Ctrl-C ended training early.
        """
        if call.incremental:
            steps = 1
        elif self.solver == "lbfgs":
            steps = self.max_iter + 1  # the iteration L-BFGS leaves open
        else:
            steps = self.max_iter
        task = FitTask(self, call.name, steps, X, y, sample_weight)
        if setup is not None:
            setup()
        return self._fit(call, X, y, sample_weight, task)

    @contextmanager
    def _all_or_nothing(self, call):
        """Put the estimator back as it was if the block raises.

        A fit that fails (bad input found late, divergence, a second Ctrl-C,
        a callback that raises) then leaves the previous model whole, or an
        unfitted estimator, never a mix of the two.
        """
        savepoint = _Savepoint(self, call.incremental)
        try:
            yield
        except BaseException:
            savepoint.restore(self)
            raise

    def _fit(self, call, X, y, sample_weight, task):
        """Train; answer whether a Ctrl-C ended training early."""
        first_loss = TrainingLog(self).first_loss() if call.continues else None
        # A diverging fit overflows; it is reported below as one clear error
        # rather than as a stream of NumPy warnings.
        with np.errstate(all="ignore"):
            net, X, Y, sample_weight = self._prepare(call, X, y, sample_weight)
            check = LossCheck(net, X, Y, sample_weight, self._penalty(), first_loss)
            task.begins(net)
            try:
                if self.solver == "lbfgs":
                    interrupted = self._fit_lbfgs(net, X, Y, sample_weight, task)
                else:
                    interrupted = self._fit_stochastic(
                        call, net, X, Y, sample_weight, task
                    )
            except MemoryError as error:
                raise _too_big(net.layer_units, net.dtype) from error
            verdict = check.verdict(
                self.loss_, exact=self.solver == "lbfgs", warn=not call.incremental
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

    def _penalty(self):
        return Penalty(self.alpha, self.l1_ratio)

    def _check_solver(self):
        if self.solver not in _STOCHASTIC_SOLVERS:
            raise AttributeError(
                "partial_fit is only available for stochastic optimizers. "
                f"{self.solver} is not stochastic."
            )
        return True

    # ------------------------------------------------------------------
    # What a fit starts from

    def _prepare(self, call, X, y, sample_weight):
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
        X, Y = self._validate_input(X, y, call)
        sample_weight = self._sample_weight(X, Y, sample_weight, call.incremental)
        layer_units = [X.shape[1], *call.layer_sizes, Y.shape[1]]
        check_activations(call.activations, call.layer_sizes, X.dtype)
        self._random_state = check_random_state(self.random_state)
        if not call.continues:
            self._start_attributes(Y, layer_units, call.incremental)
        elif Y.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y has {Y.shape[1]} output(s) but the model was fitted with "
                f"{self.n_outputs_}."
            )
        try:
            net = Network(
                layer_units, call.activations, self._loss_name(), X.dtype,
                self.dropout,
            )  # fmt: skip
            if not call.continues:
                _init.initialize(
                    net, self._random_state, self.weight_init, X, sample_weight,
                    self._start_targets(Y, call.incremental),
                )  # fmt: skip
        except MemoryError as error:
            raise _too_big(layer_units, X.dtype) from error
        if call.continues:
            self._load_fitted(net)
        self._bind(net, call.activations)
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
        if sample_weight is not None:
            _check_weight_sum(sample_weight, X.dtype)
        return sample_weight

    def _with_class_weight(self, Y, sample_weight, incremental, dtype):
        """Sample weights with the class weights folded in (classifier only)."""
        return sample_weight

    def _start_targets(self, Y, incremental):
        """The targets the output starts from (their prior), or None."""
        return Y

    def _start_attributes(self, Y, layer_units, incremental):
        """Set the fitted attributes of a first fit, but the weights."""
        log = TrainingLog(self)
        log.new_model()
        self.n_outputs_ = Y.shape[1]
        self.n_layers_ = len(layer_units)
        self.out_activation_ = self._out_activation()
        if self.solver in _STOCHASTIC_SOLVERS:
            log.start(self.early_stopping and not incremental)

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

    def _validate_input(self, X, y, call):
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            multi_output=True,
            dtype=(np.float64, np.float32),
            reset=not call.continues,
        )
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)

        # partial_fit's first call learns the classes beforehand, from classes.
        if not (call.continues or call.incremental):
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

    def _validate_input(self, X, y, call):
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            multi_output=True,
            y_numeric=True,
            dtype=(np.float64, np.float32),
            reset=not call.continues,
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
