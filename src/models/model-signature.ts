import type { InputSpec, TensorInfo } from '../inference/runtime/types';

/**
 * Compares what the ONNX file declares with what the registration claims. Returns one message
 * per difference; symbolic dimensions (a dynamic batch) match anything.
 */
export function signatureMismatches(
  inputs: TensorInfo[],
  outputs: TensorInfo[],
  spec: InputSpec,
  labels: string[],
): string[] {
  const problems: string[] = [];
  if (inputs.length !== 1)
    problems.push(`the model has ${inputs.length} inputs; Vigil serves single-input image models`);
  if (outputs.length < 1) problems.push('the model has no outputs');
  const input = inputs[0];
  if (input) {
    const expected =
      spec.layout === 'NCHW'
        ? ['N', spec.channels, spec.height, spec.width]
        : ['N', spec.height, spec.width, spec.channels];
    problems.push(
      ...dimsMismatch(
        `input '${input.name}'`,
        input.dims,
        expected,
        `${spec.layout} ${spec.channels}x${spec.height}x${spec.width}`,
      ),
    );
    if (input.type !== 'float32') problems.push(`input '${input.name}' has type ${input.type}; expected float32`);
  }
  const output = outputs[0];
  if (output)
    problems.push(
      ...dimsMismatch(
        `output '${output.name}'`,
        output.dims,
        ['N', labels.length],
        `${labels.length} classes (one per label)`,
      ),
    );
  return problems;
}

function dimsMismatch(
  what: string,
  actual: Array<number | string>,
  expected: Array<number | string>,
  described: string,
): string[] {
  const shown = `[${actual.join(',')}]`;
  if (actual.length !== expected.length) return [`${what} has shape ${shown}; the spec implies ${described}`];
  const differs = expected.some(
    (dim, i) => typeof dim === 'number' && typeof actual[i] === 'number' && actual[i] !== dim,
  );
  return differs ? [`${what} has shape ${shown}; the spec implies ${described}`] : [];
}
