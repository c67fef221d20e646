"""The ONNX nodes of the built-in activations, importable without skl2onnx.

`BUILT_IN` maps each built-in activation class to the function that adds its
nodes to a graph; `convert_activation` dispatches an activation to its own
``onnx`` hook or to that table. The functions only call the graph's
``node`` and ``constant`` and read its ``dtype``, ``float32`` and ``opset``
(`skact.onnx_export.OnnxGraph` in a conversion), so this module imports
neither skl2onnx nor onnx: the test that every class of
`skact.activations.ACTIVATIONS` has a conversion
(tests/test_onnx_activations.py) runs without the onnx extra.

Where onnxruntime has the operator, the nodes use it; where it has no
float64 kernel, or its float32 one approximates, they write the formula
(docs/onnx.md, "How the activations are written").
"""

import numpy as np

from ._kernels import NORMAL_TAIL
from .activations import (
    ELU,
    GELU,
    SELU,
    Identity,
    LeakyReLU,
    PReLU,
    ReLU,
    Sigmoid,
    SiLU,
    Softplus,
    Tanh,
)

__all__ = ["BUILT_IN", "convert_activation", "sigmoid"]


def sigmoid(graph, z):
    """``1 / (1 + exp(-z))``: onnxruntime's float32 Sigmoid approximates (a
    probability of 2e-4 came out 6e-4 off in relative terms)."""
    denominator = graph.node(
        "Add", graph.node("Exp", graph.node("Neg", z)), graph.constant(1.0)
    )
    return graph.node("Reciprocal", denominator)


def _elu_like(graph, z, alpha, scale):
    """``scale * (z if z > 0 else alpha * (exp(z) - 1))``, from constants."""
    negative = graph.node(
        "Mul",
        graph.node(
            "Sub",
            graph.node("Exp", graph.node("Min", z, graph.constant(0.0))),
            graph.constant(1.0),
        ),
        graph.constant(alpha),
    )
    positive = graph.node("Greater", z, graph.constant(0.0))
    out = graph.node("Where", positive, z, negative)
    return out if scale == 1 else graph.node("Mul", out, graph.constant(scale))


def _elu(act, graph, z, params):
    if graph.float32:
        return graph.node("Elu", z, alpha=float(act.alpha))
    return _elu_like(graph, z, act.alpha, 1.0)


def _selu(act, graph, z, params):
    if graph.float32:
        return graph.node("Selu", z, alpha=float(act.alpha), gamma=float(act.scale))
    return _elu_like(graph, z, act.alpha, act.scale)


def _leaky(graph, z, slope):
    """``z`` for z > 0, ``slope * z`` otherwise; ``slope`` a scalar or per unit."""
    if graph.float32:
        return graph.node("PRelu", z, graph.constant(slope))
    positive = graph.node("Greater", z, graph.constant(0.0))
    return graph.node("Where", positive, z, graph.node("Mul", z, graph.constant(slope)))


def _gelu(act, graph, z, params):
    approximate = getattr(act, "approximate", "none")
    if graph.float32 and graph.opset >= 20:
        return graph.node("Gelu", z, approximate=approximate)
    if approximate == "tanh":
        # 0.5 z (1 + tanh(sqrt(2 / pi) (z + 0.044715 z^3)))
        cube = graph.node("Mul", graph.node("Mul", z, z), z)
        inner = graph.node(
            "Mul",
            graph.node("Add", z, graph.node("Mul", cube, graph.constant(0.044715))),
            graph.constant(np.sqrt(2 / np.pi)),
        )
        half_z = graph.node("Mul", z, graph.constant(0.5))
        gate = graph.node("Add", graph.node("Tanh", inner), graph.constant(1.0))
        return graph.node("Mul", half_z, gate)
    return _gelu_rational(graph, z)


def _gelu_rational(graph, z):
    """``z Phi(z)`` as skact computes it: ``max(z, 0) - t Phi(-t)``, ``t = |z|``.

    ``Phi(-t)`` is the rational approximation of skact's kernel (Hart's in
    float64), so the graph needs no Erf, which onnxruntime lacks in float64.
    """
    p_coefs, q_coefs = NORMAL_TAIL[graph.dtype]
    t = graph.node("Min", graph.node("Abs", z), graph.constant(40.0))
    ratio = graph.node("Div", _horner(graph, t, p_coefs), _horner(graph, t, q_coefs))
    half_square = graph.node("Mul", graph.node("Mul", t, t), graph.constant(-0.5))
    tail = graph.node("Mul", ratio, graph.node("Exp", half_square))
    return graph.node("Sub", graph.node("Relu", z), graph.node("Mul", t, tail))


def _horner(graph, x, coefs):
    """The polynomial with ``coefs`` (highest degree first) at ``x``."""
    out = graph.constant(coefs[0])
    for c in coefs[1:]:
        out = graph.node("Add", graph.node("Mul", out, x), graph.constant(c))
    return out


def _softplus(act, graph, z, params):
    beta = None if act.beta == 1 else graph.constant(act.beta)
    bz = z if beta is None else graph.node("Mul", z, beta)
    if graph.float32:
        out = graph.node("Softplus", bz)
    else:
        # max(x, 0) + log(1 + exp(-|x|)), which never overflows.
        minus_abs = graph.node("Neg", graph.node("Abs", bz))
        log_term = graph.node(
            "Log", graph.node("Add", graph.node("Exp", minus_abs), graph.constant(1.0))
        )
        out = graph.node("Add", graph.node("Relu", bz), log_term)
    return out if beta is None else graph.node("Div", out, beta)


BUILT_IN = {
    Identity: lambda act, graph, z, params: z,
    Sigmoid: lambda act, graph, z, params: sigmoid(graph, z),
    Tanh: lambda act, graph, z, params: graph.node("Tanh", z),
    ReLU: lambda act, graph, z, params: graph.node("Relu", z),
    LeakyReLU: lambda act, graph, z, params: _leaky(graph, z, [act.negative_slope]),
    PReLU: lambda act, graph, z, params: _leaky(
        graph, z, [act.init] if params is None else params
    ),
    ELU: _elu,
    SELU: _selu,
    GELU: _gelu,
    SiLU: lambda act, graph, z, params: graph.node("Mul", z, sigmoid(graph, z)),
    Softplus: _softplus,
}
"""How each built-in activation converts, by exact class: a subclass that
changes the function must bring its own ``onnx`` hook."""


def convert_activation(activation, graph, z, params):
    """The name of ``activation``'s output on ``z``, its nodes added."""
    hook = getattr(activation, "onnx", None)
    if hook is not None:
        return hook(graph, z, params)
    convert = BUILT_IN.get(type(activation))
    if convert is None:
        name = type(activation).__name__
        raise TypeError(
            f"{activation!r} has no ONNX conversion: give {name} a method "
            "onnx(self, graph, z, params) that adds its nodes with "
            "skact.onnx_export.OnnxGraph and returns the name of its output."
        )
    return convert(activation, graph, z, params)
