// Max |logit difference| between two ONNX files on the same inputs. Run as a child process:
// onnxruntime-node's output tensors fail jest's cross-realm Float32Array check inside a spec.
// Usage: node max-logit-difference.js a.onnx b.onnx inputs.f32 n c h w
const { readFileSync } = require('node:fs');
const ort = require('onnxruntime-node');

async function logits(path, tensor) {
  const session = await ort.InferenceSession.create(path);
  const out = await session.run({ [session.inputNames[0]]: tensor });
  return out[session.outputNames[0]].data;
}

async function main() {
  const [a, b, inputs, ...dims] = process.argv.slice(2);
  const bytes = readFileSync(inputs);
  const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const tensor = new ort.Tensor('float32', data, dims.map(Number));
  const [x, y] = [await logits(a, tensor), await logits(b, tensor)];
  let maxDiff = 0;
  let span = 0;
  for (let i = 0; i < x.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(x[i] - y[i]));
    span = Math.max(span, Math.abs(x[i]));
  }
  process.stdout.write(JSON.stringify({ maxDiff, maxAbsLogit: span }));
}
main();
