"""Export skact's estimators to ONNX, through skl2onnx.

Importing this module registers converters for `ScratchMLPClassifier` and
`ScratchMLPRegressor` (and `MLPClassifier` and `MLPRegressor`, the same
estimators under scikit-learn's names) with skl2onnx (an optional dependency:
``pip install "skact[onnx]"``); ``skl2onnx.to_onnx`` then converts them, alone
or inside a `~sklearn.pipeline.Pipeline`, like any scikit-learn model::

    import skact.onnx_export  # registers the converters
    from skl2onnx import to_onnx

    onx = to_onnx(pipe, X[:1].astype(np.float32))

The graph computes in the dtype of the input it is given (float32 or
float64): the weights are cast to it. Every built-in activation converts,
learned PReLU slopes included; the classifier's outputs are skl2onnx's
(labels, then probabilities, as a ZipMap unless ``options={"zipmap": False}``).

A custom activation converts through a hook: a method
``onnx(self, graph, z, params)`` on its class that adds its nodes with
`OnnxGraph` and returns the name of its output. Without one, conversion
fails with an error that names the activation and the hook.
"""

import numpy as np

try:
    from skl2onnx import update_registered_converter
    from skl2onnx.common.data_types import guess_proto_type
    from skl2onnx.common.shape_calculator import (
        calculate_linear_classifier_output_shapes,
        calculate_linear_regressor_output_shapes,
    )
    from skl2onnx.proto import onnx_proto
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "skact.onnx_export needs skl2onnx, an optional dependency of skact: "
        'pip install "skact[onnx]" (or pip install skl2onnx onnxruntime).'
    ) from error

from ._kernels import NORMAL_TAIL
from ._mlp import (
    MLPClassifier,
    MLPRegressor,
    ScratchMLPClassifier,
    ScratchMLPRegressor,
)
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

__all__ = ["OnnxGraph"]


class OnnxGraph:
    """What an activation's ONNX hook builds its nodes with.

    An activation's ``onnx(self, graph, z, params)`` receives one: it adds
    constants and nodes to the graph being converted and returns the name of
    the tensor that holds the activation's output.

    Parameters
    ----------
    scope : skl2onnx Scope
        skl2onnx's naming scope of the conversion.
    container : skl2onnx ModelComponentContainer
        The graph being built.
    dtype : numpy.dtype
        The dtype the graph computes in (float32 or float64).

    Attributes
    ----------
    dtype : numpy.dtype
        The dtype the graph computes in.
    elem_type : int
        ONNX's element type for it (``TensorProto.FLOAT`` or ``DOUBLE``), for
        a Cast node's ``to``.
    opset : int
        The target opset of ONNX's main domain.

    Examples
    --------
    The hook of a custom softsign activation, ``z / (1 + |z|)``:

    >>> def onnx(self, graph, z, params):
    ...     one_plus = graph.node("Add", graph.node("Abs", z), graph.constant(1.0))
    ...     return graph.node("Div", z, one_plus)
    """

    def __init__(self, scope, container, dtype):
        self._scope = scope
        self._container = container
        self.dtype = np.dtype(dtype)
        self.opset = container.target_opset
        self.elem_type = (
            onnx_proto.TensorProto.DOUBLE
            if self.dtype == np.float64
            else onnx_proto.TensorProto.FLOAT
        )

    def constant(self, value):
        """Add a constant of the graph's dtype; return its name.

        Parameters
        ----------
        value : float or array-like
            The value, cast to the graph's dtype.

        Returns
        -------
        name : str
        """
        value = np.asarray(value, dtype=self.dtype)
        name = self._scope.get_unique_variable_name("const")
        self._container.add_initializer(
            name, self.elem_type, list(value.shape), value.ravel().tolist()
        )
        return name

    def node(self, op_type, *inputs, output=None, **attributes):
        """Add a node of ONNX's main domain; return the name of its output.

        Parameters
        ----------
        op_type : str
            The ONNX operator: "Relu", "Mul", "Exp", ...
        *inputs : str
            The names of its inputs.
        output : str or None, default=None
            The name of its output; None names a new one.
        **attributes : dict
            Its attributes (``alpha=0.1``).

        Returns
        -------
        name : str
        """
        output = output or self._scope.get_unique_variable_name(op_type.lower())
        self._container.add_node(
            op_type, list(inputs), output,
            name=self._scope.get_unique_operator_name(op_type), **attributes,
        )  # fmt: skip
        return output

    @property
    def float32(self):
        """Whether the graph computes in float32.

        onnxruntime runs Elu, Selu, PRelu, Softplus, Erf and Gelu in float32
        only, and their parameters are float32 attributes: a float64 graph
        builds them from operators that run in float64.
        """
        return self.dtype == np.float32


# ----------------------------------------------------------------------
# The built-in activations


def _sigmoid(graph, z):
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
    Sigmoid: lambda act, graph, z, params: _sigmoid(graph, z),
    Tanh: lambda act, graph, z, params: graph.node("Tanh", z),
    ReLU: lambda act, graph, z, params: graph.node("Relu", z),
    LeakyReLU: lambda act, graph, z, params: _leaky(graph, z, [act.negative_slope]),
    PReLU: lambda act, graph, z, params: _leaky(
        graph, z, [act.init] if params is None else params
    ),
    ELU: _elu,
    SELU: _selu,
    GELU: _gelu,
    SiLU: lambda act, graph, z, params: graph.node("Mul", z, _sigmoid(graph, z)),
    Softplus: _softplus,
}
"""How each built-in activation converts, by exact class: a subclass that
changes the function must bring its own ``onnx`` hook."""


def _activation(activation, graph, z, params):
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


# ----------------------------------------------------------------------
# The network


def _network(operator, graph):
    """The output layer's pre-activation, from the operator's input."""
    model = operator.raw_operator
    x = graph.node("Cast", operator.inputs[0].full_name, to=graph.elem_type)
    n_hidden = len(model.coefs_) - 1
    for k, (coef, intercept) in enumerate(zip(model.coefs_, model.intercepts_)):
        z = graph.node(
            "Add", graph.node("MatMul", x, graph.constant(coef)),
            graph.constant(intercept),
        )  # fmt: skip
        if k == n_hidden:
            return z
        x = _activation(model.activations_[k], graph, z, model.activation_params_[k])


def _sigmoid_output(graph, z):
    """predict_proba's sigmoid, kept strictly inside (0, 1) as skact keeps it."""
    margin = np.finfo(graph.dtype).epsneg
    return graph.node(
        "Clip", _sigmoid(graph, z), graph.constant(margin), graph.constant(1 - margin)
    )


def convert_classifier(scope, operator, container):
    """skl2onnx converter of `ScratchMLPClassifier`: labels, probabilities."""
    model = operator.raw_operator
    graph = OnnxGraph(scope, container, _dtype(operator))
    z = _network(operator, graph)
    y_type = model._label_binarizer.y_type_
    label, proba = (out.full_name for out in operator.outputs[:2])
    if model.out_activation_ == "softmax":
        p = graph.node("Softmax", z, axis=1)
    else:
        p = _sigmoid_output(graph, z)
    if y_type == "binary":
        p = graph.node("Concat", graph.node("Sub", graph.constant(1.0), p), p, axis=1)
    graph.node("Identity", p, output=proba)
    if y_type == "multilabel-indicator":
        above = graph.node("Greater", p, graph.constant(0.5))
        graph.node("Cast", above, output=label, to=onnx_proto.TensorProto.INT64)
        return
    # skl2onnx's option nocl: labels as class indices, the classes not stored.
    nocl = container.get_options(model, dict(nocl=False))["nocl"]
    elem_type, classes = _classes(
        np.arange(len(model.classes_)) if nocl else model.classes_
    )
    table = scope.get_unique_variable_name("classes")
    container.add_initializer(table, elem_type, [len(classes)], classes)
    index = graph.node("ArgMax", p, axis=1, keepdims=0)
    graph.node("Gather", table, index, output=label, axis=0)


def _classes(classes):
    """ONNX's element type for the labels, and the labels as it stores them."""
    if classes.dtype.kind in "OUS":
        return onnx_proto.TensorProto.STRING, [str(c).encode() for c in classes]
    return onnx_proto.TensorProto.INT64, [int(c) for c in classes]


def convert_regressor(scope, operator, container):
    """skl2onnx converter of `ScratchMLPRegressor`: the predictions."""
    model = operator.raw_operator
    graph = OnnxGraph(scope, container, _dtype(operator))
    z = _network(operator, graph)
    op_type = "Exp" if model.out_activation_ == "exp" else "Identity"
    graph.node(op_type, z, output=operator.outputs[0].full_name)


def _dtype(operator):
    """float64 for a double input, float32 otherwise."""
    proto = guess_proto_type(operator.inputs[0].type)
    return np.float64 if proto == onnx_proto.TensorProto.DOUBLE else np.float32


def _classifier_shapes(operator):
    """skl2onnx's shapes, with a label per column for multilabel targets."""
    calculate_linear_classifier_output_shapes(operator)
    model = operator.raw_operator
    if model._label_binarizer.y_type_ == "multilabel-indicator":
        n_rows = operator.inputs[0].get_first_dimension()
        operator.outputs[0].type.shape = [n_rows, len(model.classes_)]


# Each class under its own alias: skl2onnx looks converters up by exact type.
for _classifier in (ScratchMLPClassifier, MLPClassifier):
    update_registered_converter(
        _classifier,
        f"Skact{_classifier.__name__}",
        _classifier_shapes,
        convert_classifier,
        options={
            "zipmap": [True, False, "columns"],
            "nocl": [False, True],
            "output_class_labels": [False, True],
        },
    )  # fmt: skip
for _regressor in (ScratchMLPRegressor, MLPRegressor):
    update_registered_converter(
        _regressor,
        f"Skact{_regressor.__name__}",
        calculate_linear_regressor_output_shapes,
        convert_regressor,
    )
