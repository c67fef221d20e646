"""The training loops of the estimators: L-BFGS's driver, and SGD's and Adam's epochs.

`TrainingMixin` gives the estimators their two loops, each recording the
fit in the `TrainingLog` and stopping on convergence, a callback's request or
a Ctrl-C. The per-batch work is below: ``_minibatch`` runs an epoch,
``_lbfgs`` drives SciPy's solver, ``_network`` computes.
"""

import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from . import _lbfgs
from ._interrupt import DeferredInterrupt
from ._minibatch import MiniBatches, train_epoch
from ._network import Batch
from ._optimizers import SGD, Adam
from ._progress import TrainingLog
from ._rowhash import row_keys
from ._stopping import validation_split


class TrainingMixin:
    """The estimators' training loops (see the module docstring).

    The estimator provides its hyperparameters, ``_penalty()`` and, for early
    stopping, ``_stratify_labels``, ``_decode`` and ``_score_output``.
    """

    # L-BFGS

    def _fit_lbfgs(self, net, X, Y, sample_weight, task):
        """Full-batch training with SciPy's L-BFGS-B, recording each iteration."""
        log = TrainingLog(self)
        log.start(validation=False)
        objective = _lbfgs.Objective(net, X, Y, sample_weight, self._penalty())
        interrupt = DeferredInterrupt()
        stopped = False  # by a callback
        started = time.perf_counter()

        def iteration_ends():
            # The iteration's last evaluation was at its new point.
            nonlocal stopped, started
            log.iteration_ends(objective.loss, objective.grad_norms, objective.active)
            log.report(started)
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
        n_iter = min(result.nit, self.max_iter)
        if interrupt.requested:
            warnings.warn("Training interrupted by user.")
        elif result.status != 0 and not stopped:
            warnings.warn(
                f"lbfgs failed to converge after {n_iter} iteration(s) "
                f"(status={result.status}): {result.message}. Increase the "
                "number of iterations (max_iter) or the number of function "
                "evaluations (max_fun), or scale the data.",
                ConvergenceWarning,
            )
        _, loss = net.loss_grad(Batch(X, Y, sample_weight), self._penalty())
        log.lbfgs_ends(n_iter, loss)
        return interrupt.requested

    # ------------------------------------------------------------------
    # SGD and Adam: the epoch loop

    def _fit_stochastic(self, call, net, X, Y, sample_weight, task):
        """Mini-batch training with SGD or Adam, epoch by epoch."""
        log = TrainingLog(self)
        optimizer = self._stochastic_optimizer(net, call.incremental)
        # Early stopping belongs to fit; partial_fit learns from all it is given.
        early_stopping = self.early_stopping and not call.incremental
        log.resume(net.params, early_stopping)
        batches, held_out = self._training_data(
            net, X, Y, sample_weight, early_stopping
        )
        penalty = self._penalty()
        with DeferredInterrupt() as interrupt:
            for _ in range(self.max_iter):
                task.step_begins()
                started = time.perf_counter()
                active = net.new_activity()
                loss, grad_norms = train_epoch(
                    net, optimizer, batches, penalty, self._epochs, active
                )
                log.epoch_ends(
                    loss, optimizer.learning_rate, optimizer.step_size, grad_norms,
                    active, batches.n_samples,
                )  # fmt: skip
                log.report(started)
                if not np.isfinite(loss):
                    break  # diverged: _fit reports it
                converged = self._epoch_ends(log, net, optimizer, held_out)
                # A callback's request to stop ends training as convergence
                # does, early stopping's best weights restored below.
                if task.step_ends() or converged or call.incremental:
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
            net.params[...] = log.rule.best_params
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
            ``(batch, y)``: the validation rows as a `Batch`, and the labels
            (or values) that the validation score compares with.
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
            held_out = (Batch(X[val], Y[val], sw_val), self._decode(Y[val]))
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

    def _epoch_ends(self, log, net, optimizer, held_out):
        """Judge the epoch and update the learning rate; answer whether to stop."""
        if held_out is None:
            stop = log.judge(net.params)
        else:
            score, val_loss = self._score_held_out(log, net, *held_out)
            stop = log.judge(net.params, score, val_loss)
        optimizer.iteration_ends(self.t_)
        if not stop:
            return False
        if optimizer.trigger_stopping(log.rule.message, self.verbose):
            return True
        log.rule.restart()  # the optimizer goes on with a smaller learning rate
        return False

    def _score_held_out(self, log, net, batch, y):
        """Score the validation rows, and record it; return score and loss."""
        val_loss, output = net.evaluate(batch)
        if np.isfinite(output).all():
            score = self._score_output(output, y, batch.sample_weight)
        else:
            score = np.nan
        log.validated(val_loss, score)
        return score, val_loss
