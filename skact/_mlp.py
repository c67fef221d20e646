"""The scikit-learn shell: validation, training loops and the two estimators.

Everything scikit-learn specific lives here: parameter validation, input
checks, label encoding, early stopping, ``partial_fit`` bookkeeping and the
estimator tags. The arithmetic is delegated to :class:`skact._network.Network`
(forward and backward pass) and to :mod:`skact._optimizers`.
"""

import copy
import os
import warnings
from abc import ABC, abstractmethod
from numbers import Integral, Real

import numpy as np
import scipy.optimize
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import check_random_state, column_or_1d

# scikit-learn's parameter-validation vocabulary and sample-weight checker are
# not public API; this module is skact's only place that imports them.
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import type_of_target, unique_labels
from sklearn.utils.validation import (
    _check_sample_weight,
    check_array,
    check_is_fitted,
    validate_data,
)
from threadpoolctl import ThreadpoolController

from . import _network
from ._early_stopping import row_keys, validation_r2, validation_split
from ._network import WEIGHT_INITS
from ._optimizers import SGD, Adam
from .activations import ACTIVATIONS, Activation, get_activation

_STOCHASTIC_SOLVERS = ("sgd", "adam")

_OTHER_BLAS = None


def _other_blas_single_threaded():
    """A context in which BLAS libraries other than NumPy's use one thread.

    SciPy's wheels bring their own copy of OpenBLAS, and L-BFGS-B calls it
    between evaluations of the loss; its worker threads then busy-wait for
    more work on the very cores that NumPy's OpenBLAS needs for the network's
    matrix products. On 2 cores that made an L-BFGS fit on the digits 3 to 5
    times slower (scikit-learn's MLP pays the same price). Where NumPy and
    SciPy share one BLAS (conda, system packages), there is nothing to limit.
    """
    global _OTHER_BLAS
    if _OTHER_BLAS is None:
        # Looked up once: the libraries are loaded when scipy.optimize is
        # imported, and the lookup costs milliseconds.
        controller = ThreadpoolController()
        # pip wheels keep NumPy's BLAS in a "numpy.libs" folder beside it.
        numpy_libs = os.path.dirname(np.__file__) + ".libs"
        blas = [
            info["filepath"] for info in controller.info() if info["user_api"] == "blas"
        ]
        ours = [path for path in blas if os.path.dirname(path) == numpy_libs]
        others = [path for path in blas if path not in ours] if ours else []
        _OTHER_BLAS = controller.select(filepath=others)
    return _OTHER_BLAS.limit(limits=1)


class _BaseScratchMLP(BaseEstimator, ABC):
    """Parameters, training loops and prediction shared by both estimators."""

    _parameter_constraints: dict = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": [StrOptions(set(ACTIVATIONS)), Activation, list, tuple],
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
        "weight_init": [StrOptions(set(WEIGHT_INITS))],
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
    # Hyperparameters resolved at fit time

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

    def _resolve_activations(self, n_hidden):
        """One fresh activation object per hidden layer.

        Copies, so that the fitted model does not change if the user later
        calls ``set_params`` on the activation object they passed.
        """
        activation = self.activation
        if isinstance(activation, (list, tuple)):
            if len(activation) != n_hidden:
                raise ValueError(
                    f"activation has {len(activation)} entries but the network "
                    f"has {n_hidden} hidden layer(s); give one activation per "
                    "hidden layer, or a single one for all."
                )
        else:
            activation = [activation] * n_hidden
        resolved = []
        for act in activation:
            act = get_activation(act)
            resolved.append(type(act)(**act.get_params(deep=False)))
        return resolved

    # ------------------------------------------------------------------
    # Fitting

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
        previous : ndarray or None
            The parameters before this call, None on a first fit.
        """
        layer_sizes = self._layer_sizes()
        first_pass = not hasattr(self, "coefs_") or (
            not self.warm_start and not incremental
        )
        if self.dropout > 0 and self.solver == "lbfgs":
            raise ValueError(
                f"dropout={self.dropout} needs a stochastic solver: dropout is "
                "noise added to mini-batch training, and L-BFGS needs an exact "
                "loss. Use solver='adam' or 'sgd', or dropout=0."
            )
        X, Y = self._validate_input(X, y, incremental, reset=first_pass)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, dtype=X.dtype, ensure_non_negative=True
            )
        sample_weight = self._with_class_weight(Y, sample_weight, incremental, X.dtype)
        if sample_weight is not None and not sample_weight.sum() > 0:
            raise ValueError("sample_weight must have a positive sum.")
        layer_units = [X.shape[1], *layer_sizes, Y.shape[1]]
        activations = self._resolve_activations(len(layer_sizes))
        self._random_state = check_random_state(self.random_state)

        if first_pass:
            self._initialize(Y, layer_units, incremental)
        elif Y.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y has {Y.shape[1]} output(s) but the model was fitted with "
                f"{self.n_outputs_}."
            )
        net = _network.Network(
            layer_units, activations, self._loss_name(), X.dtype, self.dropout
        )
        if first_pass:
            net.initialize(self._random_state, self.weight_init)
            if self.weight_init == "auto":
                rows = self._init_rows(X.shape[0])
                net.start_intercepts(
                    X[rows], None if sample_weight is None else sample_weight[rows]
                )
            # The weights early stopping falls back on if no epoch improves.
            self._best_params = net.params.copy() if self.early_stopping else None
            previous = None
        else:
            self._load_fitted(net)
            previous = net.params.copy()
        self._bind(net, activations)
        return net, X, Y, sample_weight, previous

    def _fit(self, X, y, sample_weight, incremental):
        net, X, Y, sample_weight, previous = self._prepare(
            X, y, sample_weight, incremental
        )
        # A diverging fit overflows; it is reported below as one clear error
        # rather than as a stream of NumPy warnings.
        with np.errstate(over="ignore", invalid="ignore"):
            if self.solver == "lbfgs":
                self._fit_lbfgs(net, X, Y, sample_weight)
            else:
                self._fit_stochastic(net, X, Y, sample_weight, incremental)

        if not (np.isfinite(net.params).all() and np.isfinite(self.loss_)):
            self._discard(net, previous)
            raise ValueError(
                "Solver produced non-finite parameter weights or loss. The input"
                " data may contain large values and need to be preprocessed, or"
                " the learning rate may be too large."
            )
        return self

    def _with_class_weight(self, Y, sample_weight, incremental, dtype):
        """Sample weights with the class weights folded in (classifier only)."""
        return sample_weight

    _INIT_ROWS = 500

    # The benchmark turns this off to measure what recording history_ costs.
    _record_history = True

    def _init_rows(self, n_samples):
        """The rows that data-aware initialisation looks at: all, or a sample.

        A forward pass over a few hundred rows places the intercepts about as
        well as one over all of them, at a fraction of the cost (time and
        peak memory) on large data.
        """
        if n_samples <= self._INIT_ROWS:
            return slice(None)
        return np.sort(
            self._random_state.choice(n_samples, self._INIT_ROWS, replace=False)
        )

    def _initialize(self, Y, layer_units, incremental):
        """Set the attributes of a fresh fit (the weights come from the network)."""
        self.n_iter_ = 0
        self.t_ = 0
        self.n_outputs_ = Y.shape[1]
        self.n_layers_ = len(layer_units)
        self.out_activation_ = self._out_activation()
        self._epochs = 0
        if self.solver in _STOCHASTIC_SOLVERS:
            self._reset_progress(self.early_stopping and not incremental)

    def _reset_progress(self, early_stopping):
        """Start the loss curve, history and no-improvement bookkeeping afresh."""
        self.loss_curve_ = []
        self.history_ = {
            "loss": [],
            "learning_rate": [],
            "grad_norm": [],
            "inactive_share": [],
        }
        self._no_improvement_count = 0
        if early_stopping:
            self.history_.update(val_loss=[], val_score=[])
            self._best_val_loss = np.inf
            self.validation_scores_ = []
            self.best_validation_score_ = -np.inf
            self.best_loss_ = None
        else:
            self.best_loss_ = np.inf
            self.validation_scores_ = None
            self.best_validation_score_ = None

    def _record(self, net, loss, learning_rate, grad_norms):
        """Append one epoch (or L-BFGS iteration) to ``history_``.

        ``grad_norms`` holds the gradient norm of each layer at the epoch's
        last batch; ``net.active`` the units active on some sample.
        """
        self.loss_curve_.append(loss)
        self.history_["loss"].append(loss)
        self.history_["learning_rate"].append(learning_rate)
        self.history_["grad_norm"].append([float(g) for g in grad_norms])
        if net.active is not None:
            self.history_["inactive_share"].append(
                [0.0 if act is None else 1.0 - act.mean() for act in net.active]
            )

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
        act_params = list(getattr(self, "activation_params_", []))
        act_params += [None] * (len(net.act_params) - len(act_params))
        for i, (act, units) in enumerate(
            zip(net.hidden_activations, net.layer_units[1:-1])
        ):
            # A layer that became learnable since the last fit starts afresh.
            if net.act_params[i] is not None and act_params[i] is None:
                act_params[i] = act.init_params(units, net.dtype)
        net.load(self.coefs_, self.intercepts_, act_params)
        best = getattr(self, "_best_params", None)
        if self.early_stopping and (best is None or best.shape != net.params.shape):
            self._best_params = net.params.copy()

    def _bind(self, net, activations):
        """Expose the network's parameter views as the fitted attributes."""
        self.coefs_ = net.coefs
        self.intercepts_ = net.intercepts
        self.activation_params_ = net.act_params
        self.activations_ = activations

    def _discard(self, net, previous):
        """Leave no non-finite weights behind after a diverged fit."""
        if previous is not None:
            net.params[...] = previous
            return
        for name in [k for k in vars(self) if k.endswith("_") and k[0] != "_"]:
            delattr(self, name)

    def _fit_lbfgs(self, net, X, Y, sample_weight):
        """Full-batch training with SciPy's L-BFGS-B on the flat vector.

        With an L1 penalty the weights are split into positive and negative
        parts, ``w = w_pos - w_neg`` with both bounded below by 0, on which the
        penalty ``sum(w_pos + w_neg)`` is linear: L-BFGS-B then reaches exact
        zeros at the bounds instead of stalling at the kink of ``|w|``.
        """
        sw_sum = X.shape[0] if sample_weight is None else float(sample_weight.sum())
        l1 = self.alpha * self.l1_ratio / sw_sum
        Y = Y.astype(X.dtype)  # once, not at every evaluation
        n_coef = net.n_coef
        last = {}

        def params_from(x):
            if l1 == 0:
                return x
            w_pos, w_neg, rest = x[:n_coef], x[n_coef : 2 * n_coef], x[2 * n_coef :]
            return np.concatenate([w_pos - w_neg, rest])

        def loss_grad(x):
            params = params_from(x)
            net.params[...] = params
            net.active = net.new_activity()
            objective, last["loss"] = net.loss_grad(
                X, Y, sample_weight, self.alpha, self.l1_ratio
            )
            last["grad_norms"] = self._layer_grad_norms(net)
            last["active"] = net.active
            # SciPy keeps the gradient it is given: return a float64 copy.
            grad = net.grad.astype(np.float64)
            if l1 == 0:
                return objective, grad
            # On the split variables the L1 term is l1 * sum(w_pos + w_neg).
            objective += l1 * (x[: 2 * n_coef].sum() - np.abs(params[:n_coef]).sum())
            g = grad[:n_coef]
            return objective, np.concatenate([g + l1, l1 - g, grad[n_coef:]])

        def callback(intermediate_result):
            # L-BFGS-B ends each iteration with an evaluation at the new point.
            net.active = last["active"]
            self._record(net, last["loss"], np.nan, last["grad_norms"])
            if self.verbose:
                print(f"Iteration {len(self.loss_curve_)}, loss = {last['loss']:.8f}")

        self._reset_progress(early_stopping=False)
        x0 = net.params.astype(np.float64)
        bounds = None
        if l1 > 0:
            w, rest = x0[:n_coef], x0[n_coef:]
            x0 = np.concatenate([np.maximum(w, 0), np.maximum(-w, 0), rest])
            bounds = [(0, None)] * (2 * n_coef) + [(None, None)] * rest.size
        with _other_blas_single_threaded():
            result = scipy.optimize.minimize(
                loss_grad,
                x0,
                method="L-BFGS-B",
                jac=True,
                bounds=bounds,
                callback=callback,
                options={
                    "maxfun": self.max_fun,
                    "maxiter": self.max_iter,
                    "gtol": self.tol,
                },
            )
        net.params[...] = params_from(result.x)
        self.n_iter_ = min(result.nit, self.max_iter)
        if result.status != 0:
            warnings.warn(
                f"lbfgs failed to converge after {self.n_iter_} iteration(s) "
                f"(status={result.status}): {result.message}. Increase the "
                "number of iterations (max_iter) or the number of function "
                "evaluations (max_fun), or scale the data.",
                ConvergenceWarning,
            )
        net.active = None
        _, self.loss_ = net.loss_grad(X, Y, sample_weight, self.alpha, self.l1_ratio)
        self.best_loss_ = min([*self.loss_curve_, self.loss_])

    @staticmethod
    def _layer_grad_norms(net):
        """L2 norm of each layer's gradient (weights and intercepts together)."""
        return [
            np.sqrt(np.dot(gw.ravel(), gw.ravel()) + np.dot(gb, gb))
            for gw, gb in zip(net.coef_grads, net.intercept_grads)
        ]

    def _make_optimizer(self, params):
        if self.solver == "sgd":
            return SGD(
                params,
                self.learning_rate_init,
                self.learning_rate,
                self.momentum,
                self.nesterovs_momentum,
                self.power_t,
            )
        return Adam(
            params, self.learning_rate_init, self.beta_1, self.beta_2, self.epsilon
        )

    def _fit_stochastic(self, net, X, Y, sample_weight, incremental):
        """Mini-batch training with SGD or Adam, epoch by epoch."""
        optimizer = getattr(self, "_optimizer", None)
        if not incremental or optimizer is None or optimizer.n_params != net.size:
            optimizer = self._optimizer = self._make_optimizer(net.params)

        # Early stopping belongs to fit; partial_fit learns from all it is given.
        early_stopping = self.early_stopping and not incremental
        if not hasattr(self, "_no_improvement_count") or (
            early_stopping and self.validation_scores_ is None
        ):
            # A warm start from an L-BFGS fit, or from one without early stopping.
            self._reset_progress(early_stopping)
        if early_stopping:
            train, val = validation_split(
                X,
                Y,
                sample_weight,
                self.validation_fraction,
                self._stratify_labels(Y),
                self._random_state,
            )
            X_val, X = X[val], X[train]
            Y_val, Y = Y[val], Y[train]
            y_val = self._decode(Y_val)  # the labels the score compares with
            sw_val = None if sample_weight is None else sample_weight[val]
            if sample_weight is not None:
                sample_weight = sample_weight[train]
        # Dropout masks are drawn from each row's content, so that a row of
        # weight k and k copies of it train alike.
        keys = row_keys(X, Y, self._random_state.bytes(16)) if net.dropout else None

        n_samples, n_features = X.shape
        if self.batch_size == "auto":
            batch_size = min(200, n_samples)
        else:
            if self.batch_size > n_samples:
                warnings.warn(
                    "Got `batch_size` less than 1 or larger than "
                    "sample size. It is going to be clipped"
                )
            batch_size = int(np.clip(self.batch_size, 1, n_samples))

        order = np.arange(n_samples)
        dense = not sp.issparse(X)
        # One reusable buffer for the rows of a shuffled dense mini-batch.
        X_batch_buffer = np.empty((batch_size, n_features), dtype=X.dtype)
        self.n_iter_ = 0
        try:
            for _ in range(self.max_iter):
                if self.shuffle:
                    self._random_state.shuffle(order)
                accumulated_loss = 0.0
                net.active = net.new_activity() if self._record_history else None
                grad_norms = [np.nan] * net.n_layers  # if the last batch is skipped
                for start in range(0, n_samples, batch_size):
                    stop = min(start + batch_size, n_samples)
                    if self.shuffle:
                        rows = order[start:stop]
                        if dense:
                            # mode="clip": the rows are valid, and the default
                            # "raise" copies through a temporary buffer.
                            X_batch = np.take(
                                X,
                                rows,
                                axis=0,
                                out=X_batch_buffer[: stop - start],
                                mode="clip",
                            )
                        else:
                            X_batch = X[rows]
                    else:
                        rows = slice(start, stop)
                        X_batch = X[rows]
                    if sample_weight is None:
                        sw_batch, sw_sum = None, stop - start
                    else:
                        sw_batch = sample_weight[rows]
                        sw_sum = float(sw_batch.sum())
                        if not sw_sum > 0:
                            continue  # nothing to learn from a weightless batch
                    _, batch_loss = net.loss_grad(
                        X_batch,
                        Y[rows],
                        sw_batch,
                        self.alpha,
                        self.l1_ratio,
                        None if keys is None else keys[rows],
                        self._epochs,
                    )
                    if stop == n_samples:
                        grad_norms = self._layer_grad_norms(net)
                    optimizer.update(
                        net.params,
                        net.grad,
                        l1=float(self.alpha * self.l1_ratio / sw_sum),
                        n_l1=net.n_coef,
                    )
                    accumulated_loss += batch_loss * (stop - start)

                self.n_iter_ += 1
                self._epochs += 1
                self.loss_ = accumulated_loss / n_samples
                self.t_ += n_samples
                # Gradient norms at the epoch's last batch, before its step
                # was taken: one reading per epoch keeps the recording cheap.
                self._record(net, self.loss_, optimizer.learning_rate, grad_norms)
                net.active = None
                if self.verbose:
                    print(f"Iteration {self.n_iter_}, loss = {self.loss_:.8f}")
                if not np.isfinite(self.loss_):
                    break  # diverged: _fit reports it

                if early_stopping:
                    self._update_validation(net, X_val, Y_val, y_val, sw_val)
                else:
                    self._update_training_loss()
                optimizer.iteration_ends(self.t_)

                if self._no_improvement_count > self.n_iter_no_change:
                    if early_stopping:
                        what = "Validation score"
                    else:
                        what = "Training loss"
                    msg = (
                        f"{what} did not improve more than tol={self.tol:f} for "
                        f"{self.n_iter_no_change} consecutive epochs."
                    )
                    if optimizer.trigger_stopping(msg, self.verbose):
                        break
                    self._no_improvement_count = 0

                if incremental:
                    break
                if self.n_iter_ == self.max_iter:
                    warnings.warn(
                        f"Stochastic Optimizer: Maximum iterations ({self.max_iter})"
                        " reached and the optimization hasn't converged yet.",
                        ConvergenceWarning,
                    )
        except KeyboardInterrupt:
            warnings.warn("Training interrupted by user.")
        finally:
            net.active = None

        if early_stopping:
            net.params[...] = self._best_params

    def _update_training_loss(self):
        if self.best_loss_ is None:  # the last fit used early stopping
            self.best_loss_ = np.inf
        if self.loss_curve_[-1] > self.best_loss_ - self.tol:
            self._no_improvement_count += 1
        else:
            self._no_improvement_count = 0
        if self.loss_curve_[-1] < self.best_loss_:
            self.best_loss_ = self.loss_curve_[-1]

    def _update_validation(self, net, X_val, Y_val, y_val, sw_val):
        """Score the validation set, keep the best weights, count stagnation."""
        val_loss, output = net.evaluate(X_val, Y_val, sw_val)
        if np.isfinite(output).all():
            score = self._score_output(output, y_val, sw_val)
        else:
            score = np.nan
        self.validation_scores_.append(score)
        self.history_["val_loss"].append(val_loss)
        self.history_["val_score"].append(score)
        if self.verbose:
            print(f"Validation score: {score:f}")
        # scikit-learn's rule (a score better by tol), with near ties broken
        # by the validation loss: accuracy often stays level, within tol, on
        # a small validation set while the model still improves, and the
        # first of equal scores is rarely the best model to keep.
        best_score = self.best_validation_score_
        best_loss = getattr(self, "_best_val_loss", np.inf)
        near_tie = score > best_score - self.tol
        # The loss has no fixed scale: it must fall by a fraction tol.
        if score >= best_score + self.tol or (
            near_tie and val_loss < best_loss * (1 - self.tol)
        ):
            self._no_improvement_count = 0
            self.best_validation_score_ = score
            self._best_val_loss = val_loss
            self._best_params = net.params.copy()
        else:
            self._no_improvement_count += 1

    # ------------------------------------------------------------------
    # Public API shared by both estimators

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
        self._validate_params()
        return self._fit(X, y, sample_weight, incremental=False)

    def _check_solver(self):
        if self.solver not in _STOCHASTIC_SOLVERS:
            raise AttributeError(
                "partial_fit is only available for stochastic optimizers. "
                f"{self.solver} is not stochastic."
            )
        return True

    # ------------------------------------------------------------------
    # Prediction

    def _forward(self, X, out_activation=None, check_input=True):
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
        return _network.predict(
            X,
            self.coefs_,
            self.intercepts_,
            self.activations_,
            self.activation_params_,
            out_activation or self.out_activation_,
        )

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


_PARAMETERS_DOC = """
    hidden_layer_sizes : array-like of shape (n_layers - 2,), default=(100,)
        The ith element is the number of neurons in the ith hidden layer.

    activation : str, Activation or list of them, default="relu"
        Activation of the hidden layers: a name of
        :data:`skact.activations.ACTIVATIONS` ("identity", "logistic" or
        "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "selu",
        "gelu", "silu" or "swish", "softplus"), an
        :class:`~skact.activations.Activation` instance such as
        ``LeakyReLU(negative_slope=0.1)`` (whose parameters are tunable as
        ``activation__negative_slope``), or a list or tuple with one of those
        per hidden layer.

    solver : {"lbfgs", "sgd", "adam"}, default="adam"
        The solver for weight optimization: L-BFGS-B from SciPy, stochastic
        gradient descent, or Adam.

    alpha : float, default=0.0001
        Strength of the L2 penalty ``0.5 * alpha * ||W||^2 / n_samples`` on the
        weights (not on the intercepts).

    batch_size : int or "auto", default="auto"
        Size of minibatches for the stochastic solvers; "auto" is
        ``min(200, n_samples)``.

    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Learning rate schedule for ``solver="sgd"``: constant, divided by
        ``(t + 1) ** power_t`` after each epoch (t the number of samples seen),
        or divided by 5 each time ``n_iter_no_change`` epochs bring no
        improvement of ``tol``.

    learning_rate_init : float, default=0.001
        The initial learning rate of the stochastic solvers.

    power_t : float, default=0.5
        Exponent of the "invscaling" schedule.

    max_iter : int, default=200
        Maximum number of epochs (stochastic solvers) or iterations (lbfgs).

    shuffle : bool, default=True
        Shuffle the samples in each epoch (stochastic solvers).

    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialisation, the shuffling and the early-stopping
        split. Pass an int for reproducible results.

    tol : float, default=1e-4
        Tolerance: training stops when the loss or validation score does not
        improve by at least ``tol`` for ``n_iter_no_change`` epochs; for lbfgs,
        the gradient tolerance.

    verbose : bool, default=False
        Print the loss at each iteration.

    warm_start : bool, default=False
        Start from the previous solution when fit is called again.

    momentum : float, default=0.9
        Momentum of ``solver="sgd"``, in [0, 1].

    nesterovs_momentum : bool, default=True
        Use Nesterov's momentum with ``solver="sgd"`` and ``momentum > 0``.

    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data and stop when the
        validation score stops improving; the best weights are kept. The
        validation rows are chosen from each row's content (hashed with a key
        drawn from ``random_state``), stratified by class for single-label
        classification, so that identical rows always fall on the same side
        and a sample weight of k acts exactly as k copies of a row. Applies to
        ``fit`` only; ``partial_fit`` learns from all the data it is given.

    validation_fraction : float, default=0.1
        Share of the training data (by sample weight) set aside for early
        stopping, in [0, 1).

    beta_1 : float, default=0.9
        Decay rate of Adam's first moment estimate, in [0, 1).

    beta_2 : float, default=0.999
        Decay rate of Adam's second moment estimate, in [0, 1).

    epsilon : float, default=1e-8
        Adam's numerical-stability constant.

    n_iter_no_change : int, default=10
        Number of epochs without an improvement of ``tol`` before stopping.

    max_fun : int, default=15000
        Maximum number of loss evaluations of ``solver="lbfgs"``.

    weight_init : {"auto", "sklearn", "glorot_uniform", "glorot_normal", \
            "he_uniform", "he_normal", "lecun_normal"}, default="auto"
        How the weights start. ``"auto"``: Glorot uniform (LeCun normal for
        SELU) with zero intercepts, each ReLU-family unit's intercept raised
        from the training data until the unit starts active on at least half
        of the rows, so that no unit starts dead. ``"sklearn"``: scikit-learn's
        own scheme, drawing the same numbers as its MLP. The others name
        their scheme, with zero intercepts (He's gain includes a leaky slope).

    dropout : float, default=0.0
        Rate of inverted dropout on the hidden units during training with
        ``solver="sgd"`` or ``"adam"``, in [0, 1); prediction never drops.

    l1_ratio : float, default=0.0
        Elastic-net mixing of the ``alpha`` penalty, in [0, 1]: the penalty
        is ``alpha * ((1 - l1_ratio) * 0.5 * ||W||^2 + l1_ratio * |W|_1) /
        n_samples``; 0 is scikit-learn's L2 penalty, 1 makes weights exactly
        zero (a proximal step for sgd and adam, bounds for lbfgs).
"""

_CLASS_WEIGHT_DOC = """
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, multiplied into ``sample_weight``: a dict
        ``{class: weight}`` (1 for classes left out), or ``"balanced"``,
        ``n_samples / (n_classes * n_c)`` with sample-weighted counts ``n_c``
        (accumulated over ``partial_fit`` calls; per label for multilabel
        targets).
"""

_ATTRIBUTES_DOC = """
    loss_ : float
        The loss at the end of training, scaled as scikit-learn scales it.

    best_loss_ : float or None
        The smallest training loss reached; None with ``early_stopping=True``.

    loss_curve_ : list of float
        The loss after each epoch (each iteration for lbfgs).

    validation_scores_ : list of float or None
        The validation score after each epoch with ``early_stopping=True``,
        else None.

    best_validation_score_ : float or None
        The best validation score with ``early_stopping=True``, else None.

    t_ : int
        Number of training samples seen by the stochastic solver.

    coefs_ : list of ndarray of shape (n_in, n_out)
        The weight matrix of each layer. ``predict`` reads it as it is, so
        edits are honoured.

    intercepts_ : list of ndarray of shape (n_out,)
        The intercepts of each layer.

    activation_params_ : list of ndarray or None
        For each hidden layer, the learned parameters of its activation (the
        per-unit slopes of PReLU), or None for an activation without any.

    activations_ : list of Activation
        The activation of each hidden layer, as used in the fit.

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.

    n_iter_ : int
        Number of epochs (iterations for lbfgs) run by the last fit.

    n_layers_ : int
        Number of layers, input and output included.

    n_outputs_ : int
        Number of outputs.

    history_ : dict of list
        One entry per epoch (per iteration for lbfgs): "loss",
        "learning_rate", "grad_norm" (per layer, at the epoch's last batch),
        "inactive_share" (per hidden layer, the share of units dead or
        saturated on every sample of the epoch), and with
        ``early_stopping=True`` "val_loss" and "val_score".
"""


class ScratchMLPClassifier(ClassifierMixin, _BaseScratchMLP):
    __doc__ = (
        """Multi-layer perceptron classifier with a choice of hidden activations.

    A drop-in superset of :class:`sklearn.neural_network.MLPClassifier`: same
    parameters, attributes and methods, written from scratch in NumPy, with the
    hidden activation a hyperparameter among many. The output unit is a
    sigmoid for binary and multilabel targets and a softmax for multiclass
    targets, trained with the log-loss.

    Parameters
    ----------"""
        + _PARAMETERS_DOC
        + _CLASS_WEIGHT_DOC
        + """
    Attributes
    ----------
    classes_ : ndarray or list of ndarray of shape (n_classes,)
        Class labels.
"""
        + _ATTRIBUTES_DOC
        + """
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
    )

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
            per_sample = weights[self._stratify_labels(Y).astype(int)]
        else:
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
            per_sample = np.prod(
                [balance[k, column] for k, column in enumerate(values.T)], axis=0
            )
        per_sample = per_sample.astype(dtype)
        return per_sample if sample_weight is None else per_sample * sample_weight

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
        self._validate_params()
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
        if first_call:
            self._label_binarizer = LabelBinarizer()
            if type_of_target(y).startswith("multilabel"):
                self._label_binarizer.fit(y)
            else:
                self._label_binarizer.fit(classes)
            self.classes_ = self._label_binarizer.classes_
        return self._fit(X, y, sample_weight, incremental=True)

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
            each column is the probability of its label.
        """
        y_prob = self._forward(X)
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


class ScratchMLPRegressor(RegressorMixin, _BaseScratchMLP):
    __doc__ = (
        """Multi-layer perceptron regressor with a choice of hidden activations.

    A drop-in superset of :class:`sklearn.neural_network.MLPRegressor`: same
    parameters, attributes and methods, written from scratch in NumPy, with the
    hidden activation a hyperparameter among many. The output is the identity
    (``loss="squared_error"``) or the exponential (``loss="poisson"``).

    Parameters
    ----------
    loss : {"squared_error", "poisson"}, default="squared_error"
        Half the squared error, or half the Poisson deviance (which needs
        non-negative targets and predicts through an exponential output)."""
        + _PARAMETERS_DOC
        + """
    Attributes
    ----------"""
        + _ATTRIBUTES_DOC
        + """
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
    )

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
        self._validate_params()
        return self._fit(X, y, sample_weight, incremental=True)

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

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


def check_gradients(estimator, X, y, sample_weight=None, *, epsilon=1e-6,
                    max_params=2000, random_state=0):  # fmt: skip
    """Compare backpropagation with finite differences for an estimator's network.

    Builds the network the estimator would train (its layers, activations,
    loss, penalty and sample weights), at its fitted weights if it is fitted,
    else at the initial weights its ``random_state`` gives; computes the
    gradient of the training loss by backpropagation; and compares it with
    central differences ``(L(w + h) - L(w - h)) / 2h`` in float64. Use it to
    prove a hand-written activation derivative right, or catch it wrong.

    Dropout (random noise) is left out, and so is the L1 part of the penalty,
    which has no derivative at zero.

    Parameters
    ----------
    estimator : ScratchMLPClassifier or ScratchMLPRegressor
        The estimator whose configuration to check; it is not modified.
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Input data; a few dozen rows are plenty.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Targets.
    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.
    epsilon : float, default=1e-6
        Step of the finite differences.
    max_params : int, default=2000
        Check at most this many parameters, chosen at random, to bound the
        cost (two forward passes per parameter).
    random_state : int, RandomState instance or None, default=0
        Chooses the parameters when there are more than ``max_params``.

    Returns
    -------
    error : float
        The worst relative error ``|backprop - numeric| / max(|backprop|,
        |numeric|)`` over the checked parameters (components smaller than
        1e-6 of the largest are compared on that scale). Around 1e-6 or less
        for a correct derivative; a wrong one gives errors near 1.

    Examples
    --------
    >>> import numpy as np
    >>> from skact import ScratchMLPRegressor, check_gradients
    >>> rng = np.random.RandomState(0)
    >>> X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    >>> reg = ScratchMLPRegressor(hidden_layer_sizes=(5,), activation="gelu")
    >>> bool(check_gradients(reg, X, y) < 1e-5)
    True
    """
    work = clone(estimator)
    if hasattr(estimator, "coefs_"):
        work = copy.deepcopy(estimator)
        work.set_params(warm_start=True)
    work._validate_params()
    X = check_array(X, accept_sparse=["csr", "csc"], dtype=np.float64)
    net, X, Y, sample_weight, _ = work._prepare(X, y, sample_weight, incremental=False)
    # The smooth part of the penalty: the L2 share of alpha, no L1.
    alpha = work.alpha * (1 - work.l1_ratio)
    theta = net.params.copy()
    net.loss_grad(X, Y, sample_weight, alpha)
    analytic = net.grad.copy()

    rng = check_random_state(random_state)
    checked = np.arange(theta.size)
    if theta.size > max_params:
        checked = np.sort(rng.choice(theta.size, max_params, replace=False))
    numeric = np.empty(checked.size)
    for k, j in enumerate(checked):
        losses = []
        for step in (epsilon, -epsilon):
            net.params[...] = theta
            net.params[j] += step
            losses.append(net.loss_grad(X, Y, sample_weight, alpha)[0])
        numeric[k] = (losses[0] - losses[1]) / (2 * epsilon)
    analytic = analytic[checked]
    scale = np.maximum(np.abs(analytic), np.abs(numeric))
    scale = np.maximum(scale, 1e-6 * scale.max() + 1e-12)
    return float(np.max(np.abs(analytic - numeric) / scale))
