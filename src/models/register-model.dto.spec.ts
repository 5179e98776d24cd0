import { inputSpecSchema } from './register-model.dto';

const spec = (over: Record<string, unknown> = {}) => ({
  layout: 'NCHW',
  channels: 1,
  height: 8,
  width: 8,
  scale: 1 / 255,
  mean: [0],
  std: [1],
  output: 'logits',
  ...over,
});

const problems = (value: unknown) => {
  const result = inputSpecSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('issue 14.8: inputSpec mean/std outside float32 range are refused', () => {
  it.each([
    ['mean above float32', { mean: [1e39] }, /mean\.0: must be a float32/],
    ['mean below -float32', { mean: [-3.5e38] }, /mean\.0: must be a float32/],
    ['std above float32', { std: [1e39] }, /std\.0: must be a normal float32/],
    ['std below the smallest normal float32', { std: [1e-39] }, /std\.0: must be a normal float32/],
    ['std 0', { std: [0] }, /std\.0/],
    ['std negative', { std: [-1] }, /std\.0/],
    ['non-finite mean (JSON 1e999)', JSON.parse('{"mean": [1e999]}'), /mean\.0/],
    ['non-finite std', JSON.parse('{"std": [1e999]}'), /std\.0/],
    ['scale beyond float32', { scale: 1e39 }, /scale: must be a normal float32/],
    ['a normalised pixel beyond float32', { scale: 1e30, std: [1e-8] }, /stay within float32 range/],
  ])('%s', (_name, over, message) => {
    expect(problems(spec(over)).join('; ')).toMatch(message);
  });

  it('accepts the extremes that still normalise to finite float32 values', () => {
    expect(problems(spec({ mean: [3.4e38], std: [3.4e38] }))).toEqual([]);
    expect(problems(spec({ channels: 3, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }))).toEqual([]);
  });

  it('names the channel count once when mean and std do not match it', () => {
    expect(problems(spec({ mean: [0, 0] }))).toEqual([': mean and std need one value per channel']);
  });
});
