"""Gradient checking: backpropagation against central finite differences.

`check_gradients` is the public tool, for an estimator's configuration;
`numerical_gradient` is the finite-difference routine it and the test
suite share.
"""

import copy

import numpy as np
from sklearn.base import clone
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_array

from ._network import NO_PENALTY, Batch


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
        The worst, over the checked parameters, of ``|backprop - numeric| /
        max(|backprop|, |numeric|, floor)``. The floor is where finite
        differences stop resolving a derivative: their rounding noise,
        ``2.2e-16 * |L| / epsilon`` for a loss L in float64, divided by 1e-6.
        So rounding alone reads about 1e-6 at most: a correct derivative reads
        about 1e-6 or less, whatever the data, and a wrong one near 1 (up to
        2 where the signs differ).

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
    # Overflow shows as a non-finite loss or gradient, reported below.
    with np.errstate(all="ignore"):
        # The estimator's own preparation builds the network it would train.
        call = work._plan("fit")
        net, X, Y, sample_weight = work._prepare(call, X, y, sample_weight)
        batch = Batch(X, Y, sample_weight)
        # The smooth part of the penalty: the L2 share of alpha, no L1.
        penalty = work._penalty().smooth()
        loss, _ = net.loss_grad(batch, penalty)
        analytic = net.grad.copy()
        rng = check_random_state(random_state)
        checked = np.arange(net.size)
        if net.size > max_params:
            checked = np.sort(rng.choice(net.size, max_params, replace=False))
        numeric = numerical_gradient(
            network_loss(net, batch, penalty), net.params, checked, epsilon
        )
    if not (np.isfinite([loss, *analytic, *numeric]).all()):
        raise ValueError(
            "The loss or its gradient is not finite at these weights: X, y or "
            "sample_weight hold values too large to check gradients on. Scale "
            "them, e.g. with StandardScaler."
        )
    analytic = analytic[checked]
    # A central difference is only as precise as the losses it subtracts:
    # their rounding, eps * |L|, over the step. Below the floor, a derivative
    # cannot be resolved to _RESOLUTION, and is compared on the floor's scale.
    noise = np.finfo(np.float64).eps * max(abs(loss), np.finfo(np.float64).tiny)
    floor = noise / epsilon / _RESOLUTION
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), floor)
    return float(np.max(np.abs(analytic - numeric) / scale))


_RESOLUTION = 1e-6
"""The relative error that rounding alone may cause in `check_gradients`."""


def network_loss(net, batch, penalty=NO_PENALTY):
    """The training loss of ``net`` as a function of its parameter vector.

    Parameters
    ----------
    net : Network
        The network; each call sets its parameters.
    batch : Batch
        Training data, as for ``Network.loss_grad``.
    penalty : Penalty, default=NO_PENALTY
        The penalty (its smooth part: the L1 part has no gradient at 0).

    Returns
    -------
    loss : callable
        ``loss(params) -> float``.
    """

    def loss(params):
        net.params[...] = params
        return net.loss_grad(batch, penalty)[0]

    return loss


def numerical_gradient(loss, theta, indices=None, epsilon=1e-6):
    """Central finite differences of ``loss`` at ``theta``.

    ``(loss(theta + h e_j) - loss(theta - h e_j)) / 2h`` for each chosen
    coordinate ``j``, with ``h = epsilon``.

    Parameters
    ----------
    loss : callable
        ``loss(params) -> float``; it must not keep the array it is given.
    theta : ndarray of shape (n_params,)
        The point; left unchanged.
    indices : array-like of int, default=None
        The coordinates to differentiate along; all if None.
    epsilon : float, default=1e-6
        The step.

    Returns
    -------
    gradient : ndarray of shape (len(indices),)
    """
    theta = np.array(theta)  # a copy, in case loss writes where theta lives
    indices = np.arange(theta.size) if indices is None else np.asarray(indices)
    point = theta.copy()
    gradient = np.empty(indices.size)
    for k, j in enumerate(indices):
        point[j] = theta[j] + epsilon
        forward = loss(point)
        point[j] = theta[j] - epsilon
        backward = loss(point)
        point[j] = theta[j]
        gradient[k] = (forward - backward) / (2 * epsilon)
    return gradient
