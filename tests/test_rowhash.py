"""The content hash the default start draws its sample with (skact._rowhash)."""

import numpy as np
import pytest
import scipy.sparse as sp

from skact._rowhash import content_keys


def _keys(X, Y):
    # The same multipliers for every call: the seed draws them.
    return content_keys(X, Y, np.random.RandomState(0))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_content_keys_depend_on_content_only(dtype):
    rng = np.random.RandomState(0)
    X = rng.standard_normal((300, 7)).astype(dtype)
    X[X < -0.5] = 0.0
    Y = rng.randint(0, 2, (300, 2)).astype(float)
    X[10], Y[10] = X[3], Y[3]  # a copy of row 3
    before = X.copy()
    keys = _keys(X, Y)
    assert keys.dtype == np.uint64
    np.testing.assert_array_equal(X, before)  # the user's data is not touched
    assert keys[10] == keys[3]
    # Every other row is different, and so is its key.
    assert len(np.unique(np.delete(keys, 10))) == 299
    # The same rows stored sparse (any format) hash the same.
    for matrix in (sp.csr_matrix, sp.csc_matrix, sp.coo_matrix):
        np.testing.assert_array_equal(_keys(matrix(X), Y), keys)
    # -0.0 equals 0.0, so it hashes as one; the row of -0.0 is not changed.
    signed = X.copy()
    signed[signed == 0] = -0.0
    np.testing.assert_array_equal(_keys(signed, Y), keys)
    assert np.signbit(signed[signed == 0]).all()
    # A different target, or a different column order, is different content.
    other = Y.copy()
    other[0] = 1 - other[0]
    assert _keys(X, other)[0] != keys[0]
    reversed_differs = (X[:, ::-1] != X).any(axis=1)
    assert (_keys(X[:, ::-1], Y) != keys)[reversed_differs].all()


def test_content_keys_of_strided_input():
    # A column slice of a wider array, and Fortran order: views, not copies.
    rng = np.random.RandomState(1)
    wide = rng.standard_normal((50, 10))
    Y = np.zeros((50, 0))
    expected = _keys(np.ascontiguousarray(wide[:, ::2]), Y)
    np.testing.assert_array_equal(_keys(wide[:, ::2], Y), expected)
    np.testing.assert_array_equal(_keys(np.asfortranarray(wide[:, ::2]), Y), expected)
