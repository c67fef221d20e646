"""The built-in activations' ONNX nodes (skact._onnx_activations), without onnx.

The README's test command runs without the onnx extra, where tests/test_onnx.py
skips: these tests are what notices a registered activation with no ONNX
conversion. They build each conversion on a stand-in for `OnnxGraph` that
checks every node's inputs exist; tests/test_onnx.py runs the graphs.
"""

import itertools

import numpy as np
import pytest

from skact._onnx_activations import BUILT_IN, convert_activation
from skact.activations import ACTIVATIONS, ELU, GELU, PReLU, Softplus

# Operators onnxruntime has no float64 kernel for (docs/onnx.md).
FLOAT32_ONLY = {"Elu", "Selu", "PRelu", "Softplus", "Erf", "Gelu"}


class RecordingGraph:
    """`OnnxGraph`'s interface, recording the operators instead of building."""

    def __init__(self, dtype, opset):
        self.dtype = np.dtype(dtype)
        self.float32 = self.dtype == np.float32
        self.opset = opset
        self.operators = []
        self._names = {"z"}
        self._counter = itertools.count()

    def _new_name(self, prefix):
        name = f"{prefix}{next(self._counter)}"
        self._names.add(name)
        return name

    def constant(self, value):
        assert np.isfinite(np.asarray(value, dtype=self.dtype)).all()
        return self._new_name("const")

    def node(self, op_type, *inputs, output=None, **attributes):
        unknown = [name for name in inputs if name not in self._names]
        assert not unknown, f"{op_type} reads tensors never made: {unknown}"
        self.operators.append(op_type)
        return self._new_name(op_type.lower()) if output is None else output


def test_every_registered_activation_has_a_conversion():
    registered = set(ACTIVATIONS.values())
    missing = sorted(cls.__name__ for cls in registered - set(BUILT_IN))
    assert not missing, (
        f"{missing} in skact.activations.ACTIVATIONS have no ONNX conversion: "
        "add their nodes to BUILT_IN in skact/_onnx_activations.py."
    )
    stale = sorted(cls.__name__ for cls in set(BUILT_IN) - registered)
    assert not stale, f"BUILT_IN converts unregistered classes: {stale}"


CASES = [cls() for cls in dict.fromkeys(ACTIVATIONS.values())] + [
    ELU(alpha=0.3),
    Softplus(beta=2.0),
    GELU(approximate="tanh"),
]


@pytest.mark.parametrize("opset", [13, 21])
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("activation", CASES, ids=repr)
def test_conversion_builds_a_graph(activation, dtype, opset):
    graph = RecordingGraph(dtype, opset)
    output = convert_activation(activation, graph, "z", None)
    assert output in graph._names
    if dtype == np.float64:
        assert not FLOAT32_ONLY & set(graph.operators), graph.operators


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
def test_prelu_converts_its_learned_slopes(dtype):
    graph = RecordingGraph(dtype, 21)
    slopes = np.array([0.1, 0.2, 0.3], dtype=dtype)
    assert convert_activation(PReLU(), graph, "z", slopes) in graph._names
