"""The elastic-net penalty: its value, its gradient and its proximal step."""

import numpy as np
import pytest

from skact._optimizers import SGD, Adam
from skact._penalty import Penalty, soft_threshold


def test_soft_threshold_shrinks_towards_zero():
    w = np.array([-2.0, -0.05, 0.0, 0.03, 1.5])
    soft_threshold(w, 0.1)
    np.testing.assert_allclose(w, [-1.9, 0.0, 0.0, 0.0, 1.4])


def test_value_and_gradient_of_the_elastic_net():
    w = np.array([1.0, -2.0, 0.5])
    penalty = Penalty(alpha=0.6, l1_ratio=0.25)
    # 0.6 * (0.75 * 0.5 * 5.25 + 0.25 * 3.5) / 2
    assert penalty.value(w, 2.0) == pytest.approx(0.6 * (0.75 * 2.625 + 0.875) / 2)
    grad = np.zeros(3)
    penalty.add_gradient(grad, w, 2.0)
    # Only the smooth L2 part: 0.6 * 0.75 * w / 2.
    np.testing.assert_allclose(grad, 0.225 * w)
    assert penalty.smooth().value(w, 2.0) == pytest.approx(0.45 * 0.5 * 5.25 / 2)
    assert penalty.l1_strength(2.0) == pytest.approx(0.075)
    assert Penalty().value(w, 2.0) == 0.0


def test_sgd_shrink_is_the_learning_rate_times_the_l1_strength():
    # After a zero-gradient step, weights within lr * l1 of zero become zero;
    # the step applies to the weights it is given only.
    params = np.array([0.001, 0.5, 0.001])
    sgd = SGD(params, 0.1, "constant", 0.0, False, 0.5)
    sgd.update(params, np.zeros(3))
    Penalty(alpha=0.1, l1_ratio=1.0).shrink(params[:2], sgd, 1.0)
    np.testing.assert_allclose(params, [0.0, 0.49, 0.001])


def test_adam_shrink_is_scaled_like_each_weights_own_step():
    # Adam's step on a weight with no gradient so far is huge (v = 0): that
    # weight is zeroed, and the shrink touches the weights it is given only.
    params = np.array([0.001, 0.001])
    adam = Adam(params, 0.1, 0.9, 0.999, 1e-8)
    adam.update(params, np.array([0.0, 1e-3]))
    steps = adam.last_step(1.0, 2)
    assert steps[0] > 1e3 * steps[1]
    Penalty(alpha=1.0, l1_ratio=1.0).shrink(params[:1], adam, 1.0)
    assert params[0] == 0.0 and params[1] != 0.0
