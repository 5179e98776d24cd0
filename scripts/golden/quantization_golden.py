"""Independent quantization parameters for test/quantization (issue 15.2), with numpy and the onnx package.

Reads JSON on stdin: {"fp32": path, "int8": path, "activationType": "uint8"|"int8",
"activations": [{"tensor", "min", "max"}]} and prints JSON:
- weights: per initializer quantized by the service, the per-channel symmetric scales numpy computes
  from the FP32 weights (max|w| / 127 over every axis but the channel axis, as float32), whether the
  service's int8 values equal rint(w / scale) clipped to [-127, 127], and the scales stored in the file;
- activations: scale and zero point from each reported [min, max] (onnxruntime quant_utils rules),
  and the scale and zero point stored in the INT8 file for that tensor.
Run by the spec; Debian bookworm's python3-numpy 1.24 and python3-onnx 1.12 gave the checked values.
"""
import json
import sys

import numpy as np
import onnx
from onnx import numpy_helper

request = json.load(sys.stdin)
fp32 = {t.name: numpy_helper.to_array(t) for t in onnx.load(request["fp32"]).graph.initializer}
int8_model = onnx.load(request["int8"])
int8 = {t.name: numpy_helper.to_array(t) for t in int8_model.graph.initializer}
axis_of = {n.input[0]: next((a.i for a in n.attribute if a.name == "axis"), 1)
           for n in int8_model.graph.node if n.op_type == "DequantizeLinear"}

weights = {}
for name, w in fp32.items():
    q = int8.get(f"{name}_quantized")
    if q is None or q.dtype != np.int8:
        continue
    axis = axis_of[f"{name}_quantized"]
    others = tuple(i for i in range(w.ndim) if i != axis)
    scale = (np.abs(w).max(axis=others) / np.float32(127)).astype(np.float32)
    scale[scale == 0] = 1
    shape = [1] * w.ndim
    shape[axis] = -1
    expected = np.clip(np.rint(w / scale.reshape(shape)), -127, 127).astype(np.int8)
    weights[name] = {
        "scales": scale.tolist(),
        "storedScales": int8[f"{name}_scale"].tolist(),
        "valuesEqual": bool(np.array_equal(expected, q)),
        "maxValueDifference": int(np.abs(expected.astype(np.int32) - q.astype(np.int32)).max()),
    }

activations = {}
for a in request["activations"]:
    lo, hi = np.float64(a["min"]), np.float64(a["max"])
    if request["activationType"] == "int8":
        scale = np.float32(max(abs(lo), abs(hi)) / 127)
        scale = scale if scale > 0 else np.float32(1)
        zero_point = 0
    else:
        rmin, rmax = min(lo, 0.0), max(hi, 0.0)
        scale = np.float32((rmax - rmin) / 255)
        scale = scale if scale > 0 else np.float32(1)
        zero_point = int(np.clip(np.rint(-rmin / np.float64(scale)), 0, 255))
    t = a["tensor"]
    activations[t] = {
        "scale": float(scale),
        "zeroPoint": zero_point,
        "storedScale": float(int8[f"{t}_scale"]),
        "storedZeroPoint": int(int8[f"{t}_zero_point"]),
    }

json.dump({"weights": weights, "activations": activations}, sys.stdout)
