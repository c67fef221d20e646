"""``ActivationDisplay`` on Matplotlib's Agg backend: the curves of names,
objects and a fitted estimator's layers (bands for learned slopes), the
z_range it takes, and its errors."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from skact import ActivationDisplay, ScratchMLPClassifier
from skact.activations import Activation, LeakyReLU, ReLU

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def labels_of(lines):
    return [line.get_label() for line in lines]


def legend_texts(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


@pytest.fixture(scope="module")
def layered_clf(iris):
    """Layers 1 and 2 ReLU, layer 3 PReLU with slopes learned per unit."""
    clf = ScratchMLPClassifier(
        (6, 6, 6), activation=["relu", "relu", "prelu"], learning_rate_init=0.01,
        max_iter=30, random_state=0,
    )  # fmt: skip
    return clf.fit(*iris)


class Softsign(Activation):
    """z / (1 + |z|), a custom activation."""

    def __call__(self, z):
        return np.asarray(z) / (1 + np.abs(z))

    def derivative(self, z, a=None):
        return 1 / (1 + np.abs(np.asarray(z))) ** 2


@pytest.mark.parametrize(
    "activations",
    [["relu", "leaky_relu"], [ReLU(), LeakyReLU()]],
    ids=["names", "objects"],
)
def test_activations_curves(activations):
    display = ActivationDisplay.from_activations(activations)
    labels = ["ReLU", "LeakyReLU(negative_slope=0.01)"]
    assert display.lines_.shape == (2, 2)
    assert display.bands_.shape == (2, 2)
    assert all(band is None for band in display.bands_.ravel())
    assert labels_of(display.lines_[:, 0]) == labels
    assert legend_texts(display.ax_) == labels
    assert [ax.get_title() for ax in display.axes_] == [
        "activation f(z)", "derivative f'(z)",
    ]  # fmt: skip
    assert [ax.get_xlabel() for ax in display.axes_] == ["z", "z"]
    for activation, (value, derivative) in zip([ReLU(), LeakyReLU()], display.lines_):
        assert value.axes is display.axes_[0]
        assert derivative.axes is display.axes_[1]
        z = value.get_xdata()
        assert z.min() == -4 and z.max() == 4
        np.testing.assert_allclose(value.get_ydata(), activation(z))
        np.testing.assert_array_equal(derivative.get_xdata(), z)
        np.testing.assert_allclose(derivative.get_ydata(), activation.derivative(z))


def test_single_activation_and_z_range():
    display = ActivationDisplay.from_activations("elu", z_range=(-2.0, 1.0))
    assert display.lines_.shape == (1, 2)
    value, derivative = display.lines_[0]
    z = value.get_xdata()
    assert z.min() == -2 and z.max() == 1
    np.testing.assert_allclose(value.get_ydata(), np.where(z > 0, z, np.expm1(z)))
    np.testing.assert_allclose(derivative.get_ydata(), np.where(z > 0, 1, np.exp(z)))
    assert legend_texts(display.ax_) == ["ELU(alpha=1.0)"]


def test_activation_bad_z_range():
    with pytest.raises(ValueError, match="z_range"):
        ActivationDisplay.from_activations("relu", z_range=(1.0, -1.0))


def test_custom_activation(iris):
    display = ActivationDisplay.from_activations([Softsign(), "tanh"])
    assert labels_of(display.lines_[:, 0]) == ["Softsign", "Tanh"]
    value, derivative = display.lines_[0]
    z = value.get_xdata()
    np.testing.assert_allclose(value.get_ydata(), z / (1 + np.abs(z)))
    np.testing.assert_allclose(derivative.get_ydata(), 1 / (1 + np.abs(z)) ** 2)

    clf = ScratchMLPClassifier(
        (4, 4), activation=Softsign(), max_iter=2, random_state=0
    )
    display = ActivationDisplay.from_estimator(clf.fit(*iris))
    assert labels_of(display.lines_[:, 0]) == ["layers 1, 2: Softsign"]
    np.testing.assert_allclose(display.lines_[0, 1].get_ydata(), derivative.get_ydata())


def test_activation_from_estimator_groups_layers_and_bands_slopes(layered_clf):
    display = ActivationDisplay.from_estimator(layered_clf)
    slopes = layered_clf.activation_params_[2]
    assert slopes.min() < slopes.max()  # the slopes were learned apart
    assert display.lines_.shape == (2, 2)
    assert legend_texts(display.ax_) == [
        "layers 1, 2: ReLU", "layer 3: PReLU(init=0.25), learned per unit",
    ]  # fmt: skip
    assert display.bands_[0, 0] is None and display.bands_[0, 1] is None
    value_band, derivative_band = display.bands_[1]
    assert value_band is not None and derivative_band is not None

    value, derivative = display.lines_[1]
    z = derivative.get_xdata()
    negative = z <= 0  # PReLU'(0) is the slope, as at z < 0
    # The line is the median unit, the band spans the least and greatest slope.
    np.testing.assert_allclose(derivative.get_ydata()[negative], np.median(slopes))
    np.testing.assert_allclose(derivative.get_ydata()[~negative], 1)
    np.testing.assert_allclose(
        value.get_ydata(), np.where(negative, np.median(slopes) * z, z)
    )
    vertices = derivative_band.get_paths()[0].vertices
    left = vertices[vertices[:, 0] < 0, 1]
    np.testing.assert_allclose([left.min(), left.max()], [slopes.min(), slopes.max()])
    vertices = value_band.get_paths()[0].vertices
    at_low_end = vertices[vertices[:, 0] == z.min(), 1]
    np.testing.assert_allclose(
        [at_low_end.min(), at_low_end.max()],
        z.min() * slopes[[slopes.argmax(), slopes.argmin()]],
    )
    # The ReLU curve, shared by layers 1 and 2.
    np.testing.assert_allclose(display.lines_[0, 0].get_ydata(), np.maximum(z, 0))


def test_activation_from_estimator_without_hidden_layer(no_hidden_clf):
    with pytest.raises(ValueError, match="no hidden layer"):
        ActivationDisplay.from_estimator(no_hidden_clf)


def test_activation_axes():
    fig, axes = plt.subplots(2, 1)
    display = ActivationDisplay.from_activations("relu", ax=axes)
    assert list(display.axes_) == list(axes) and display.figure_ is fig
    with pytest.raises(ValueError, match="2 panel.*got 1"):
        ActivationDisplay.from_activations("relu", ax=axes[0])


@pytest.mark.parametrize(
    "z_range",
    [
        (-1e308, 1e308),
        (-np.finfo(float).max, np.finfo(float).max),
        (1.79e308, 1.797e308),
    ],
)
def test_activation_extreme_but_finite_z_range(z_range):
    display = ActivationDisplay.from_activations(["relu"], z_range=z_range)
    display.figure_.canvas.draw()  # autoscaling and ticks, where Matplotlib overflows
    z = display.z
    assert (z[0], z[-1]) == z_range and np.all(np.diff(z) > 0)
    np.testing.assert_array_equal(display.values[0][:, 0], np.maximum(z, 0))
    # Drawn in units of 1e308, the axes saying so.
    np.testing.assert_allclose(display.lines_[0, 0].get_xdata(), z / 1e308)
    assert [ax.get_xlabel() for ax in display.axes_] == ["z (× 1e308)"] * 2
    assert display.axes_[0].get_ylabel() == "× 1e308"
    assert display.axes_[1].get_ylabel() == ""  # the derivative is 0 or 1


@pytest.mark.parametrize(
    "z_range, message",
    [
        ((-np.inf, 1.0), r"z_range must be finite, got \(-inf, 1.0\)"),
        ((0.0, np.nan), "z_range must be finite"),
        ((1.0, -1.0), r"low < high, got \(1.0, -1.0\)"),
        ((2.0, 2.0), "low < high"),
    ],
)
def test_activation_non_finite_or_reversed_z_range(z_range, message):
    with pytest.raises(ValueError, match=message):
        ActivationDisplay.from_activations("relu", z_range=z_range)


def test_activation_that_overflows_on_the_range():
    # SELU scales z by 1.0507: past float64's largest number.
    with pytest.raises(ValueError, match=r"SELU overflows on z_range .*narrow"):
        ActivationDisplay.from_activations(["relu", "selu"], z_range=(0, 1.79e308))
