"""Stochastic optimizers: SGD (with momentum or Nesterov momentum) and Adam.

An optimizer sees one flat parameter vector and its gradient, nothing else.
Because every weight, intercept and learnable activation parameter of the
network lives in that one vector, a step is a handful of vectorised NumPy
operations instead of a Python loop over layers. Updates are in place, so the
estimator's ``coefs_`` and ``intercepts_`` (views into the vector) follow.

The update rules, learning-rate schedules and stopping rules are the ones of
scikit-learn's MLP, so that both take the same step from the same weights.
"""

import copy
import math

import numpy as np


class _BaseOptimizer:
    """Learning-rate bookkeeping shared by the optimizers.

    Parameters
    ----------
    learning_rate_init : float
        The initial step size.
    """

    def __init__(self, learning_rate_init):
        self.learning_rate_init = learning_rate_init
        self.learning_rate = float(learning_rate_init)

    @property
    def step_size(self):
        """The factor on the last step's direction: the learning rate here."""
        return self.learning_rate

    def copy(self):
        """A copy of the optimizer, its state arrays copied too.

        Returns
        -------
        optimizer : same type as self
        """
        new = copy.copy(self)
        for name, value in vars(self).items():
            if isinstance(value, np.ndarray):
                setattr(new, name, value.copy())
        return new

    def last_step(self, scale, n):
        """The last step's size on each of the first ``n`` parameters, times ``scale``.

        A proximal step after the update (an L1 penalty's) is scaled by it.

        Parameters
        ----------
        scale : float
            The factor.
        n : int
            The number of leading parameters.

        Returns
        -------
        step : float or ndarray of shape (n,)
            Here ``learning_rate * scale``, the same for every parameter.
        """
        return self.learning_rate * scale

    def iteration_ends(self, time_step):
        """Update the learning rate at the end of an epoch.

        Parameters
        ----------
        time_step : int
            Number of training samples seen so far.
        """

    def trigger_stopping(self, msg, verbose):
        """Decide whether to stop when training no longer improves.

        Parameters
        ----------
        msg : str
            Why training is about to stop.
        verbose : bool
            Print the decision.

        Returns
        -------
        stop : bool
            True to stop training.
        """
        if verbose:
            print(msg + " Stopping.")
        return True


class SGD(_BaseOptimizer):
    """Stochastic gradient descent with momentum.

    With velocity ``v`` and learning rate ``lr``, one step is
    ``v <- momentum * v - lr * grad``, then ``params += v``, or with Nesterov's
    momentum ``params += momentum * v - lr * grad``.

    Parameters
    ----------
    params : ndarray of shape (n_params,)
        The flat parameter vector (only its shape and dtype are used here).
    learning_rate_init : float
        The initial learning rate.
    lr_schedule : {"constant", "invscaling", "adaptive"}
        ``"invscaling"`` sets ``lr = learning_rate_init / (t + 1) ** power_t``
        after each epoch, ``t`` being the number of samples seen;
        ``"adaptive"`` divides the learning rate by 5 each time training
        stops improving, and stops when it falls below 1e-6.
    momentum : float
        Momentum in [0, 1].
    nesterov : bool
        Use Nesterov's momentum.
    power_t : float
        Exponent of the inverse scaling schedule.
    """

    def __init__(
        self, params, learning_rate_init, lr_schedule, momentum, nesterov, power_t
    ):
        super().__init__(learning_rate_init)
        self.lr_schedule = lr_schedule
        self.momentum = float(momentum)  # a Python float, as in Adam
        self.nesterov = nesterov
        self.power_t = power_t
        self.n_params = params.size
        self.velocity = np.zeros_like(params)

    def update(self, params, grad):
        """Take one step, updating ``params`` in place.

        Parameters
        ----------
        params : ndarray of shape (n_params,)
            Parameters, updated in place.
        grad : ndarray of shape (n_params,)
            Gradient of the smooth part of the loss at ``params``. It is
            used as scratch space and holds no gradient afterwards: no
            buffer the size of the parameters is needed besides the state.
        """
        lr_grad = np.multiply(grad, self.learning_rate, out=grad)
        self.velocity *= self.momentum
        self.velocity -= lr_grad
        if self.nesterov:
            # The look-ahead step: momentum * v_new - lr * grad.
            params -= lr_grad
            lr_grad = np.multiply(self.velocity, self.momentum, out=grad)
            params += lr_grad
        else:
            params += self.velocity

    def iteration_ends(self, time_step):
        """Apply the inverse scaling schedule (see the class docstring).

        Parameters
        ----------
        time_step : int
            Number of training samples seen so far.
        """
        if self.lr_schedule == "invscaling":
            self.learning_rate = (
                float(self.learning_rate_init) / (time_step + 1) ** self.power_t
            )

    def trigger_stopping(self, msg, verbose):
        """Stop, or with ``"adaptive"`` divide the learning rate by 5 instead.

        Parameters
        ----------
        msg : str
            Why training is about to stop.
        verbose : bool
            Print the decision.

        Returns
        -------
        stop : bool
            True to stop training.
        """
        if self.lr_schedule != "adaptive":
            return super().trigger_stopping(msg, verbose)
        if self.learning_rate <= 1e-6:
            if verbose:
                print(msg + " Learning rate too small. Stopping.")
            return True
        self.learning_rate /= 5.0
        if verbose:
            print(f"{msg} Setting learning rate to {self.learning_rate:f}")
        return False


class Adam(_BaseOptimizer):
    """Adam: adaptive moment estimation (Kingma and Ba, 2014).

    With first and second moment estimates ``m`` and ``v`` and step count
    ``t``, one step is::

        m <- beta_1 * m + (1 - beta_1) * grad
        v <- beta_2 * v + (1 - beta_2) * grad ** 2
        lr_t = lr * sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
        params -= lr_t * m / (sqrt(v) + epsilon)

    The moments are stored divided by ``1 - beta``: ``m_s = m / (1 - beta_1)``
    and ``v_s = v / (1 - beta_2)``. Their updates then need no multiplication
    of the gradient (``m_s <- beta_1 * m_s + grad``), and the constant
    factors move into two scalars of the step::

        params -= c_t * m_s / (sqrt(v_s) + epsilon / sqrt(1 - beta_2))
        c_t = lr_t * (1 - beta_1) / sqrt(1 - beta_2)

    which is the same step in ten passes over the parameters instead of
    twelve. :attr:`moments` gives ``m`` and ``v`` as in the formulas.

    Parameters
    ----------
    params : ndarray of shape (n_params,)
        The flat parameter vector (only its shape and dtype are used here).
    learning_rate_init : float
        The step size.
    beta_1, beta_2 : float
        Decay rates of the first and second moment estimates, in [0, 1).
    epsilon : float
        Added to the denominator for numerical stability.
    """

    def __init__(self, params, learning_rate_init, beta_1, beta_2, epsilon):
        super().__init__(learning_rate_init)
        # Python floats: a NumPy float64 scalar (from a parameter grid, say)
        # would turn in-place float32 arithmetic into float64 and back.
        self.beta_1 = float(beta_1)
        self.beta_2 = float(beta_2)
        self.epsilon = float(epsilon)
        self.t = 0
        self._step_size = self.learning_rate
        self.n_params = params.size
        self.m_scaled = np.zeros_like(params)
        self.v_scaled = np.zeros_like(params)

    @property
    def step_size(self):
        """The last step's bias-corrected step size ``lr_t`` (see above).

        At the default betas it starts near ``0.32 * lr``, dips to about
        ``0.15 * lr`` around step 12 and tends to ``lr`` over thousands of
        steps: Adam's steps start small, while the moment estimates settle.
        """
        return self._step_size

    @property
    def moments(self):
        """The moment estimates ``(m, v)`` of the formulas (new arrays)."""
        return (
            self.m_scaled * (1 - self.beta_1),
            self.v_scaled * (1 - self.beta_2),
        )

    def update(self, params, grad):
        """Take one step, updating ``params`` in place.

        Parameters
        ----------
        params : ndarray of shape (n_params,)
            Parameters, updated in place.
        grad : ndarray of shape (n_params,)
            Gradient of the loss at ``params``. It is used as scratch space
            and holds no gradient afterwards: no buffer the size of the
            parameters is needed besides the state.
        """
        self.t += 1
        m, v = self.m_scaled, self.v_scaled
        m *= self.beta_1
        m += grad
        grad_sq = np.multiply(grad, grad, out=grad)
        v *= self.beta_2
        v += grad_sq
        # The bias corrections of both moments folded into the step size.
        lr_t = self._step_size = (
            self.learning_rate
            * math.sqrt(1 - self.beta_2**self.t)
            / (1 - self.beta_1**self.t)
        )
        sqrt_1_minus_beta_2 = math.sqrt(1 - self.beta_2)
        # sqrt(v) + epsilon, in the scaled units: divided by sqrt(1 - beta_2).
        denom = np.sqrt(v, out=grad)
        denom += self.epsilon / sqrt_1_minus_beta_2
        step = np.divide(m, denom, out=grad)
        step *= lr_t * (1 - self.beta_1) / sqrt_1_minus_beta_2
        params -= step

    def last_step(self, scale, n):
        """Adam's step size on each parameter, ``lr_t / (sqrt(v) + epsilon)``.

        Times ``scale``, on the first ``n`` parameters (see the base class);
        the step itself is that times ``m``, in the scaled units.
        """
        sqrt_1_minus_beta_2 = math.sqrt(1 - self.beta_2)
        denom = np.sqrt(self.v_scaled[:n])
        denom += self.epsilon / sqrt_1_minus_beta_2
        return (self._step_size * scale / sqrt_1_minus_beta_2) / denom
