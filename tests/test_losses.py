"""The losses and their output activations."""

import numpy as np
import pytest

from skact._losses import LOSSES, OUTPUT_ACTIVATION_OF, OUTPUT_ACTIVATIONS


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_losses_are_finite_at_extreme_outputs(loss):
    z = np.array([[-1e4, 0.0, 1e4]])
    y = np.array([[1.0, 0.0, 1.0]])
    a = OUTPUT_ACTIVATIONS[OUTPUT_ACTIVATION_OF[loss]](z, out=np.empty_like(z))
    assert np.all(np.isfinite(a))
    assert np.all(np.isfinite(LOSSES[loss](y, z, a)))
