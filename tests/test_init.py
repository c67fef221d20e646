"""The network's start: the weighted quantiles that place its boundaries."""

import numpy as np
import pytest

from skact._init import column_quantiles


@pytest.mark.parametrize("n_samples", [1, 2, 3, 7, 100, 501])
@pytest.mark.parametrize("q", [0.0, 0.1, 0.5, 0.75, 1.0])
@pytest.mark.parametrize("weighted", [False, True])
def test_column_quantiles_match_numpy_inverted_cdf(n_samples, q, weighted):
    # Data-aware initialisation places intercepts at these quantiles; the
    # unweighted shortcut (one partial sort) must be NumPy's quantile exactly,
    # ties included.
    rng = np.random.RandomState(n_samples)
    z = rng.standard_normal((n_samples, 6))
    z[:, 0] = 1.0
    z[:, 1] = np.round(z[:, 1])
    weights = rng.uniform(0.5, 2, n_samples) if weighted else None
    expected = np.quantile(z, q, axis=0, method="inverted_cdf", weights=weights)
    quantiles = column_quantiles(z, q, weights)
    np.testing.assert_array_equal(quantiles, expected)
    # Not a view of a partitioned copy of z, which would stay alive with it.
    assert quantiles.flags.owndata
    # One quantile per column (the spread start draws them).
    per_column = rng.uniform(0, 1, 6)
    per_column[:2] = q
    expected = [
        np.quantile(z[:, j], qj, method="inverted_cdf", weights=weights)
        for j, qj in enumerate(per_column)
    ]
    np.testing.assert_array_equal(column_quantiles(z, per_column, weights), expected)
