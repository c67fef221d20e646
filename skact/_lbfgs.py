"""Full-batch training with SciPy's L-BFGS-B on the network's flat parameter vector.

:class:`Objective` is the training loss as a function of the solver's variables,
and remembers what its last evaluation found (loss, gradient norms, active
units) for the per-iteration record; :func:`minimize` runs the solver.
"""

import os

import numpy as np
import scipy.optimize
from threadpoolctl import ThreadpoolController

from ._network import Batch


class Objective:
    """The training loss and its gradient, as L-BFGS-B sees them.

    With an L1 penalty the weights are split into positive and negative
    parts, ``w = w_pos - w_neg`` with both bounded below by 0, on which the
    penalty ``sum(w_pos + w_neg)`` is linear: L-BFGS-B then reaches exact
    zeros at the bounds instead of stalling at the kink of ``|w|``.

    Parameters
    ----------
    net : Network
        The network; its parameters are set at every evaluation.
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Training input.
    Y : ndarray of shape (n_samples, n_outputs)
        Targets.
    sample_weight : ndarray of shape (n_samples,) or None
        Sample weights.
    penalty : Penalty
        The penalty on the weights; its L1 part is handled here.

    Attributes
    ----------
    loss : float
        The loss found by the last evaluation, as ``loss_`` reports it.
    grad_norms : list of float
        The gradient norm of each layer at the last evaluation.
    active : list of (ndarray of bool or None)
        The hidden units active on some sample at the last evaluation.
    """

    def __init__(self, net, X, Y, sample_weight, penalty):
        self.net = net
        # The targets in X's dtype once, not at every evaluation.
        self.batch = Batch(X, Y.astype(X.dtype), sample_weight)
        self.penalty = penalty
        self.l1 = penalty.l1_strength(self.batch.weight_sum)
        self.loss = self.grad_norms = self.active = None

    def start(self):
        """The solver's starting point, and its bounds.

        Returns
        -------
        x0 : ndarray of float64
            The network's current parameters, split with an L1 penalty.
        bounds : list of tuple or None
            Non-negative parts of the split weights.
        """
        x0 = self.net.params.astype(np.float64)
        if self.l1 == 0:
            return x0, None
        n_coef = self.net.n_coef
        w, rest = x0[:n_coef], x0[n_coef:]
        x0 = np.concatenate([np.maximum(w, 0), np.maximum(-w, 0), rest])
        return x0, [(0, None)] * (2 * n_coef) + [(None, None)] * rest.size

    def params(self, x):
        """The network's parameters at the solver's point ``x``.

        Parameters
        ----------
        x : ndarray
            The solver's variables.

        Returns
        -------
        params : ndarray of shape (net.size,)
        """
        if self.l1 == 0:
            return x
        n_coef = self.net.n_coef
        w_pos, w_neg, rest = x[:n_coef], x[n_coef : 2 * n_coef], x[2 * n_coef :]
        return np.concatenate([w_pos - w_neg, rest])

    def __call__(self, x):
        """The objective at ``x`` and its gradient, in float64 for SciPy.

        Parameters
        ----------
        x : ndarray
            The solver's variables.

        Returns
        -------
        objective : float
        grad : ndarray of float64, of the shape of ``x``
        """
        net = self.net
        params = self.params(x)
        net.params[...] = params
        self.active = net.new_activity()
        objective, self.loss = net.loss_grad(self.batch, self.penalty, self.active)
        self.grad_norms = net.layer_grad_norms()
        # SciPy keeps the gradient it is given: return a float64 copy.
        grad = net.grad.astype(np.float64)
        if self.l1 == 0:
            return objective, grad
        # On the split variables the L1 term is l1 * sum(w_pos + w_neg).
        n_coef = net.n_coef
        objective += self.l1 * (x[: 2 * n_coef].sum() - np.abs(params[:n_coef]).sum())
        g = grad[:n_coef]
        return objective, np.concatenate([g + self.l1, self.l1 - g, grad[n_coef:]])


def minimize(objective, max_iter, max_fun, tol, callback):
    """Minimise ``objective`` with L-BFGS-B; leave the result in its network.

    Parameters
    ----------
    objective : Objective
        What to minimise.
    max_iter, max_fun : int
        Most iterations, and most evaluations of the objective.
    tol : float
        Gradient tolerance (SciPy's ``gtol``).
    callback : callable
        Called after each iteration (which ends with an evaluation at the new
        point, so ``objective``'s attributes describe it).

    Returns
    -------
    result : scipy.optimize.OptimizeResult
        SciPy's result: ``nit``, ``status``, ``message``.
    """
    x0, bounds = objective.start()
    with _other_blas_single_threaded():
        result = scipy.optimize.minimize(
            objective,
            x0,
            method="L-BFGS-B",
            jac=True,
            bounds=bounds,
            callback=lambda intermediate_result: callback(),
            options={"maxfun": max_fun, "maxiter": max_iter, "gtol": tol},
        )
    objective.net.params[...] = objective.params(result.x)
    return result


_OTHER_BLAS = None


def _other_blas_single_threaded():
    """A context in which BLAS libraries other than NumPy's use one thread.

    SciPy's wheels bring their own copy of OpenBLAS, and L-BFGS-B calls it
    between evaluations of the loss; its worker threads then busy-wait for
    more work on the very cores that NumPy's OpenBLAS needs for the network's
    matrix products (docs/benchmarks.md has the cost on 2 cores; scikit-learn's
    MLP pays it too). Where NumPy and SciPy share one BLAS (conda, system
    packages), there is nothing to limit.
    """
    global _OTHER_BLAS
    if _OTHER_BLAS is None:
        # Looked up once: the libraries are loaded when scipy.optimize is
        # imported, and the lookup is slow.
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
