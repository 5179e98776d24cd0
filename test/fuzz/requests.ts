import fc from 'fast-check';
import { multipartOf, MultipartPart, pngClaiming } from '../limits/payloads';
import { fillPath, FuzzRoute, routeKey } from './routes';
import { mutated } from './mutations';

export interface FuzzRequest {
  method: string;
  /** Path and query string, sent as is. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Sent with Transfer-Encoding: chunked instead of a Content-Length. */
  chunked: boolean;
  /** Which generator made the body (for the failure report and the tally). */
  kind: string;
  /** The route template it was generated for ("POST /v1/feedback"). */
  route: string;
}

/** Real values the generators draw from, so requests get past "not found" some of the time. */
export interface Corpus {
  /** Valid values per route parameter name (model name, version, ids of created resources). */
  params: Record<string, string[]>;
  /** Valid JSON bodies per route key ("POST /v1/feedback"). */
  bodies: Record<string, unknown[]>;
  /** Text fields multipart routes understand (metadata JSON, labels.csv, set name). */
  fields: Record<string, string>;
  images: Buffer[];
  /** Not an image: e.g. a truncated ONNX file, for the model upload. */
  files: Buffer[];
}

type Body = Pick<FuzzRequest, 'body' | 'kind'> & { contentType?: string };

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const printable = fc.stringMatching(/^[\x21-\x7e]{0,48}$/);
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-16',
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
  'application/octet-stream',
  'multipart/form-data',
  'multipart/form-data; boundary=fuzz',
  'text/plain',
  'application/x-www-form-urlencoded',
];
const contentType = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, printable);

/** Path segments that trip decoders and routers. */
const NASTY_SEGMENTS = ['%zz', '%E0%A4%A', '%00', '%2F', 'a%2Fb', '..', '.', '%25', '', 'null', '-1', '9'.repeat(40)];

function paramValue(corpus: Corpus, name: string): fc.Arbitrary<string> {
  const valid = corpus.params[name] ?? [];
  return fc.oneof(
    { weight: valid.length ? 5 : 0, arbitrary: fc.constantFrom(...(valid.length ? valid : ['x'])) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.constantFrom(...NASTY_SEGMENTS, 'x'.repeat(300)) },
  );
}

const QUERY_KEYS = ['top_k', 'from', 'to', 'limit', 'version', 'status', 'window', 'signal'];
const queryValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.integer().map(String),
  fc.constantFrom('2026-11-28T00:00:00Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '-1', '0', '1e400', 'NaN'),
);
const RAW_QUERIES = ['top_k=%zz', 'a[b][c][d]=1', 'top_k[]=1&top_k[]=2', '__proto__[x]=1', 'limit=1&limit=2', '%'];
const query = fc
  .oneof(
    {
      weight: 4,
      arbitrary: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string()), queryValue), {
        maxLength: 4,
      }),
    },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_QUERIES) },
  )
  .map((q) => (typeof q === 'string' ? `?${q}` : q.length ? `?${new URLSearchParams(q).toString()}` : ''));

const headers = fc.record(
  {
    'x-unit-id': printable,
    'x-request-id': printable,
    'if-none-match': fc.oneof(printable, fc.constant('*')),
    accept: fc.constantFrom('application/json', 'text/html', '*/*', 'image/png', 'application/xml'),
    authorization: printable,
  },
  { requiredKeys: [] },
);

const json = (value: unknown, kind: string): Body => ({
  kind,
  contentType: 'application/json',
  body: Buffer.from(JSON.stringify(value) ?? 'null'),
});

/** A real image with bytes flipped, cut short, or its header claiming another size. */
function damagedImage(corpus: Corpus): fc.Arbitrary<Buffer> {
  const image = fc.constantFrom(...corpus.images);
  return fc.oneof(
    image,
    fc.tuple(image, fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 8 })).map(([png, flips]) => {
      const copy = Buffer.from(png);
      for (const [at, byte] of flips) copy[at % copy.length] = byte;
      return copy;
    }),
    fc.tuple(image, fc.nat()).map(([png, cut]) => png.subarray(0, cut % png.length)),
    fc
      .tuple(image, fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }))
      .map(([png, w, h]) => pngClaiming(png, w, h)),
  );
}

function multipartBody(corpus: Corpus): fc.Arbitrary<Body> {
  const fieldNames = Object.keys(corpus.fields);
  const part: fc.Arbitrary<MultipartPart> = fc.oneof(
    fc.record({ name: fc.constantFrom('images', 'file'), bytes: damagedImage(corpus), filename: fc.constant('x.png') }),
    fc.record({
      name: fc.constantFrom('images', 'file'),
      bytes: fc.constantFrom(...corpus.files),
      filename: printable,
    }),
    fc.record({
      name: fc.constantFrom(...fieldNames),
      bytes: fc.constantFrom(...fieldNames).map((f) => Buffer.from(corpus.fields[f])),
    }),
    fc.record({ name: printable, bytes: fc.uint8Array({ maxLength: 512 }).map(Buffer.from) }),
  );
  return fc.tuple(fc.array(part, { maxLength: 6 }), fc.option(fc.nat(), { freq: 4 })).map(([parts, cut]) => {
    const form = multipartOf(parts, 'fuzzboundary');
    const body = cut === null ? form.body : form.body.subarray(0, cut % (form.body.length + 1));
    return { kind: cut === null ? 'multipart' : 'multipart-truncated', contentType: form.contentType, body };
  });
}

export type BodyKind = 'none' | 'json' | 'json-mutated' | 'json-truncated' | 'bytes' | 'image' | 'multipart';
export type Bodies = (route: FuzzRoute, corpus: Corpus) => fc.Arbitrary<Body>;

/** Bodies for one route, of the given kinds (arbitrary JSON, mutated valid JSON, bytes, images, multipart). */
export function bodiesOf(...kinds: BodyKind[]): Bodies {
  return (route, corpus) => {
    const generators = bodyGenerators(route, corpus);
    return fc.oneof(...kinds.map((kind) => generators[kind]));
  };
}

function bodyGenerators(route: FuzzRoute, corpus: Corpus): Record<BodyKind, fc.Arbitrary<Body>> {
  const valid = corpus.bodies[routeKey(route)] ?? [{}];
  return {
    none: fc.constant<Body>({ kind: 'none' }),
    json: fc.jsonValue({ maxDepth: 4 }).map((v) => json(v, 'json')),
    'json-mutated': mutated(valid).map((v) => json(v, 'json-mutated')),
    'json-truncated': fc.tuple(fc.constantFrom(...valid), fc.nat()).map(([v, cut]) => {
      const text = JSON.stringify(v);
      return {
        kind: 'json-truncated',
        contentType: 'application/json',
        body: Buffer.from(text.slice(0, cut % text.length)),
      };
    }),
    bytes: fc.tuple(fc.uint8Array({ maxLength: 2048 }), contentType).map(([bytes, type]) => ({
      kind: 'bytes',
      contentType: type,
      body: Buffer.from(bytes),
    })),
    image: fc
      .tuple(damagedImage(corpus), fc.constantFrom('image/png', 'image/jpeg', 'application/octet-stream'))
      .map(([bytes, type]) => ({ kind: 'image', contentType: type, body: bytes })),
    multipart: multipartBody(corpus),
  };
}

/** One request to one of the routes: its method (sometimes another), filled path, query, headers, body. */
export function requestFor(routes: FuzzRoute[], corpus: Corpus, bodies: Bodies): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...routes).chain((route) =>
    fc
      .record({
        method: fc.oneof(
          { weight: 9, arbitrary: fc.constant(route.method) },
          { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
        ),
        params: fc.record(Object.fromEntries(route.params.map((p) => [p, paramValue(corpus, p)]))),
        query,
        headers,
        body: bodies(route, corpus),
        chunked: fc.boolean(),
      })
      .map(({ method, params, query: q, headers: h, body, chunked }) => ({
        method,
        path: fillPath(route.path, params) + q,
        headers: body.contentType === undefined ? h : { ...h, 'content-type': body.contentType },
        body: body.body,
        chunked: chunked && body.body !== undefined,
        kind: body.kind,
        route: routeKey(route),
      })),
  );
}
