"""The elastic-net penalty on the weights: its value, gradient and proximal step.

The penalty is ``alpha * ((1 - l1_ratio) * 0.5 * ||W||^2 + l1_ratio * |W|_1)
/ sum(sample_weight)``, on the weights (not the intercepts, nor the
activation parameters), scaled as the loss is; ``l1_ratio=0`` is
scikit-learn's L2 penalty. Its smooth L2 part enters the gradient. The L1
part has no derivative at zero, so each solver handles it apart: SGD and Adam
take a proximal step after their update (`Penalty.shrink`), L-BFGS-B works on
the positive and negative parts of the weights (``_lbfgs``).
"""

import numpy as np


class Penalty:
    """The elastic-net penalty ``alpha * ((1 - l1_ratio) L2 + l1_ratio L1)``.

    Parameters
    ----------
    alpha : float, default=0.0
        Strength of the penalty.
    l1_ratio : float, default=0.0
        Share of its L1 part, in [0, 1].
    """

    def __init__(self, alpha=0.0, l1_ratio=0.0):
        self.alpha = alpha
        self.l1_ratio = l1_ratio

    def smooth(self):
        """The penalty's L2 part alone, which has a gradient everywhere."""
        return Penalty(self.alpha * (1 - self.l1_ratio))

    def value(self, w, weight_sum):
        """The penalty on the weights ``w``, scaled as the loss.

        Parameters
        ----------
        w : ndarray
            The weights, flat.
        weight_sum : float
            The sum of the sample weights (the number of samples if
            unweighted).

        Returns
        -------
        penalty : float
        """
        penalty = 0.5 * float(self.alpha * (1 - self.l1_ratio)) * float(w @ w)
        penalty /= weight_sum
        if self.l1_ratio > 0:
            l1 = self.alpha * self.l1_ratio
            penalty += l1 * float(np.abs(w).sum()) / weight_sum
        return penalty

    def add_gradient(self, grad, w, weight_sum):
        """Add the gradient of the L2 part to ``grad``, in place.

        Parameters
        ----------
        grad : ndarray
            The loss's gradient on the weights ``w``.
        w : ndarray
            The weights, flat.
        weight_sum : float
            As in `value`.
        """
        # A Python float: a NumPy float64 alpha would upcast float32 arithmetic.
        l2 = float(self.alpha * (1 - self.l1_ratio))
        if l2 > 0:
            grad += (l2 / weight_sum) * w

    def l1_strength(self, weight_sum):
        """The factor ``c`` of the L1 part ``c * |W|_1``, scaled as the loss."""
        return self.alpha * self.l1_ratio / weight_sum

    def shrink(self, w, optimizer, weight_sum):
        """The L1 part's proximal step after an optimizer's update, in place.

        Parameters
        ----------
        w : ndarray
            The weights, flat, just updated by ``optimizer``.
        optimizer : SGD or Adam
            The optimizer; the step is scaled like its last step on each
            weight.
        weight_sum : float
            As in `value`.
        """
        l1 = float(self.l1_strength(weight_sum))
        if l1 > 0:
            soft_threshold(w, optimizer.last_step(l1, w.size))


def soft_threshold(w, threshold):
    """The proximal step of an L1 penalty, in place: shrink ``w`` towards 0.

    ``w <- sign(w) * max(|w| - threshold, 0)``: weights within ``threshold``
    of zero become exactly zero, which is how an L1 penalty makes weights
    sparse (a subgradient step would only make them jitter around zero).

    Parameters
    ----------
    w : ndarray
        Updated in place.
    threshold : float or ndarray broadcastable to ``w``
        Non-negative shrinkage.
    """
    w -= np.clip(w, -threshold, threshold)
