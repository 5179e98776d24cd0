import { createHash } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { loadConfig } from '../../config/load-config';
import { DomainError } from '../../common/domain-error';
import { domainErrorOf } from '../../../test/support/domain-error';
import { digitsSpec } from '../../../test/support/factories';
import type { OipModelInput } from '../oip';
import { TensorBodyParser } from './tensor-body-parser';
import { parseTensorBody } from './tensor-body.worker';

const spec = digitsSpec({ channels: 3, height: 224, width: 224, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] });
const model: OipModelInput = {
  inputName: 'input',
  spec,
  maxBatch: 64,
  outputs: [{ name: 'probabilities', numeric: true }],
};
const size = 3 * 224 * 224;

/** An FP32 JSON infer body of `batch` images, 4 decimals per value (~1.1 MB per image). */
function jsonBody(batch: number, datatype = 'FP32'): Buffer {
  const data = Array.from({ length: batch * size }, (_, i) => Math.round(Math.sin(i * 0.01) * 20_000) / 10_000);
  return Buffer.from(
    JSON.stringify({ id: 'r1', inputs: [{ name: 'input', shape: [batch, 3, 224, 224], datatype, data }] }),
  );
}

/** The same FP32 values as a JSON header and binary tensor data. */
function binaryBody(batch: number): { body: Buffer; headerLength: string } {
  const values = Float32Array.from({ length: batch * size }, (_, i) => Math.sin(i * 0.01) * 2);
  const header = Buffer.from(
    JSON.stringify({
      inputs: [
        {
          name: 'input',
          shape: [batch, 3, 224, 224],
          datatype: 'FP32',
          parameters: { binary_data_size: values.byteLength },
        },
      ],
    }),
  );
  const body = Buffer.concat([header, Buffer.from(values.buffer)]);
  return { body, headerLength: String(header.length) };
}

describe('TensorBodyParser', () => {
  let parser: TensorBodyParser;

  beforeAll(() => {
    parser = new TensorBodyParser(new AppConfig(loadConfig({ TENSOR_PARSE_THREADS: '1' })));
  });
  afterAll(() => parser.onModuleDestroy());

  it('parses a large JSON body in a worker to the same tensor, bit for bit, as in place', async () => {
    const body = jsonBody(2);
    const expected = parseTensorBody({ body: Buffer.from(body), model });
    const parsed = await parser.parse(body, undefined, model);
    expect(parsed.batch).toBe(2);
    expect(parsed.id).toBe('r1');
    expect(parsed.outputs).toEqual(expected.outputs);
    expect(Buffer.from(parsed.tensor.buffer).equals(Buffer.from(expected.tensor.buffer))).toBe(true);
    const firstRow = Buffer.from(expected.tensor.buffer, 0, size * 4);
    expect(parsed.rowHashes).toEqual([createHash('sha256').update(firstRow).digest('hex'), expected.rowHashes[1]]);
  });

  it('parses a large binary body in a worker to the same tensor as in place', async () => {
    const { body, headerLength } = binaryBody(1);
    const expected = parseTensorBody({ body: Buffer.from(body), headerLength, model });
    const parsed = await parser.parse(body, headerLength, model);
    expect(Buffer.from(parsed.tensor.buffer).equals(Buffer.from(expected.tensor.buffer))).toBe(true);
  });

  it.each([
    ['malformed JSON', () => jsonBody(1).subarray(0, 200_000), 'invalid_json'],
    ['a UINT8 value out of range', () => jsonBody(1, 'UINT8'), 'value_out_of_range'],
  ])('refuses %s with the same DomainError as in place', async (_name, make, code) => {
    const inPlace = domainErrorOf(() => parseTensorBody({ body: make(), model }));
    expect(inPlace.code).toBe(code);
    const error = await parser.parse(make(), undefined, model).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    const { kind, message, details } = inPlace;
    expect(error).toMatchObject({ kind, code, message, details });
  });

  it('leaves the event loop free while a 20 MB body is parsed', async () => {
    const body = jsonBody(18); // about 20 MB
    expect(body.length).toBeGreaterThan(19_000_000);
    let turns = 0;
    let spinning = true;
    const spin = () => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const parsed = await parser.parse(body, undefined, model);
    spinning = false;
    expect(parsed.batch).toBe(18);
    // Parsed in place, JSON.parse would hold the loop until it is done: not one turn in between.
    expect(turns).toBeGreaterThan(0);
  });
});
