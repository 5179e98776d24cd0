import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerDigitsModel } from '../support/digits';
import { startTestApp, TestApp } from '../support/test-app';
import { bits, infer, parseInferAnswer, sendRaw, type ClientInput, type InferAnswer } from './oip-client';

const capturesDir = join(__dirname, '..', 'fixtures', 'oip-captures');

/** The tensors the captures carry (see the README there): UINT8 0,3,...,189 and FP32 i/64. */
const uint8 = Array.from({ length: 64 }, (_, i) => 3 * i);
const fp32 = Array.from({ length: 64 }, (_, i) => i / 64);
const tensor = (datatype: string, values: number[]): ClientInput => ({
  name: 'input',
  shape: [1, 1, 8, 8],
  datatype,
  values,
  binary: false,
});

interface Expectation {
  /** The JSON request with the same tensor: its logits are the reference. */
  reference: ClientInput;
  /** tritonclient asked for binary outputs, so the answer must be split at Inference-Header-Content-Length. */
  binary: boolean;
  outputs: Array<{ name: string; datatype: string; shape: number[] }>;
  classification?: number;
}

const logits = { name: 'logits', datatype: 'FP32', shape: [1, 10] };
const label = { name: 'predicted_label', datatype: 'BYTES', shape: [1] };
const expectations: Record<string, Expectation> = {
  '1-defaults-binary-uint8.http': { reference: tensor('UINT8', uint8), binary: true, outputs: [logits, label] },
  '2-binary-fp32-binary-output.http': { reference: tensor('FP32', fp32), binary: true, outputs: [logits] },
  '3-json-fp32-json-output.http': { reference: tensor('FP32', fp32), binary: false, outputs: [logits] },
  '4-json-uint8-no-outputs.http': { reference: tensor('UINT8', uint8), binary: true, outputs: [logits, label] },
  '5-binary-fp32-classification-3.http': {
    reference: tensor('FP32', fp32),
    binary: true,
    outputs: [{ name: 'logits', datatype: 'BYTES', shape: [1, 3] }],
    classification: 3,
  },
};

/**
 * Requests tritonclient.http really sent (raw bytes: no Content-Type, Inference-Header-Content-Length,
 * binary tensors), replayed byte for byte to POST /v2/models/digits/infer of the digits CNN
 * registered under the name they use, and the answers read the way tritonclient reads them.
 */
describe('replaying what tritonclient.http sends', () => {
  let t: TestApp;
  let port: number;
  const files = readdirSync(capturesDir).filter((file) => file.endsWith('.http'));

  beforeAll(async () => {
    t = await startTestApp();
    port = Number(new URL(t.url).port);
    expect((await registerDigitsModel(t.url, 'cnn')).status).toBe(201);
  });
  afterAll(() => t?.close());

  it('has an expectation for every capture', () => {
    expect(files.sort()).toEqual(Object.keys(expectations).sort());
  });

  it.each(Object.entries(expectations))('%s gets the answer tritonclient expects', async (file, expectation) => {
    const raw = readFileSync(join(capturesDir, file));
    expect(raw.includes('content-type')).toBe(false); // what broke tritonclient before
    const { status, headers, body } = await sendRaw(port, raw);
    const answer = parseInferAnswer(status, (name) => headers.get(name) ?? null, body);
    expect({ status, binary: answer.binaryBody }).toEqual({ status: 200, binary: expectation.binary });
    expect(answer.contentType).toMatch(expectation.binary ? /^application\/octet-stream$/ : /^application\/json/);
    expect(answer.json).toMatchObject({ model_name: 'digits', model_version: 'cnn-v1' });
    expect(answer.order).toEqual(expectation.outputs.map((o) => o.name));
    for (const output of expectation.outputs) {
      expect(answer.outputs.get(output.name)).toMatchObject({ datatype: output.datatype, shape: output.shape });
      expect(answer.outputs.get(output.name)?.binary).toBe(expectation.binary);
    }

    const reference = await infer(t.url, [expectation.reference]);
    expect(reference.status).toBe(200);
    const scores = reference.outputs.get('logits')!.values as Float32Array;
    const got = answer.outputs.get('logits')!.values;
    if (expectation.classification) expect(got).toEqual(topClasses(scores, expectation.classification));
    else expect(bits(got)).toEqual(bits(scores));
    if (answer.outputs.has('predicted_label')) expect(labelOf(answer)).toEqual(labelOf(reference));
  });
});

const labelOf = (answer: InferAnswer) => answer.outputs.get('predicted_label')?.values;

/** Classification extension: "score:index:label", the score as C++ std::to_string prints it. */
function topClasses(scores: Float32Array, k: number): string[] {
  return Array.from(scores, (score, index) => ({ score, index }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, k)
    .map(({ score, index }) => `${score.toFixed(6)}:${index}:${index}`);
}
