import { signatureMismatches } from './model-signature';
import { digitsSpec } from '../../test/support/factories';

const spec = digitsSpec();
const labels = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const input = (dims: Array<number | string>, type = 'float32') => [{ name: 'input', type, dims }];
const output = (dims: Array<number | string>) => [{ name: 'logits', type: 'float32', dims }];

describe('signatureMismatches', () => {
  it.each([
    ['a matching model with a dynamic batch', input(['batch', 1, 8, 8]), output(['batch', 10]), spec, labels, []],
    ['a fixed batch', input([1, 1, 8, 8]), output([1, 10]), spec, labels, []],
    [
      'wrong spatial size',
      input(['N', 1, 28, 28]),
      output(['N', 10]),
      spec,
      labels,
      ["input 'input' has shape [N,1,28,28]; the spec implies NCHW 1x8x8"],
    ],
    [
      'NHWC spec on an NCHW model',
      input(['N', 1, 8, 8]),
      output(['N', 10]),
      { ...spec, layout: 'NHWC' as const },
      labels,
      ["input 'input' has shape [N,1,8,8]; the spec implies NHWC 1x8x8"],
    ],
    [
      'labels of the wrong length',
      input(['N', 1, 8, 8]),
      output(['N', 10]),
      spec,
      labels.slice(0, 9),
      ["output 'logits' has shape [N,10]; the spec implies 9 classes (one per label)"],
    ],
    [
      'a uint8 input',
      input(['N', 1, 8, 8], 'uint8'),
      output(['N', 10]),
      spec,
      labels,
      ["input 'input' has type uint8; expected float32"],
    ],
    [
      'rank 3 input',
      input(['N', 8, 8]),
      output(['N', 10]),
      spec,
      labels,
      ["input 'input' has shape [N,8,8]; the spec implies NCHW 1x8x8"],
    ],
  ])('%s', (_name, inputs, outputs, s, l, expected) => {
    expect(signatureMismatches(inputs, outputs, s, l)).toEqual(expected);
  });

  it('refuses multi-input models', () => {
    const two = [...input(['N', 1, 8, 8]), { name: 'mask', type: 'float32', dims: ['N'] }];
    expect(signatureMismatches(two, output(['N', 10]), spec, labels)).toContain(
      'the model has 2 inputs; Vigil serves single-input image models',
    );
  });
});
