import fc from 'fast-check';

type Path = Array<string | number>;
type Json = unknown;

/** Values that sit on the edges validators forget: extremes, wrong types, empties, huge strings. */
const EDGE_VALUES: Json[] = [
  0,
  -1,
  -0,
  1.5,
  2 ** 53 + 1,
  1e308,
  -1e308,
  '',
  ' ',
  'NaN',
  '1',
  null,
  true,
  [],
  {},
  [[[[[]]]]],
  'x'.repeat(10_000),
  '\u0000',
  '2026-02-30T00:00:00Z',
  '00000000-0000-0000-0000-000000000000',
];

interface Mutation {
  op: 'replace' | 'remove' | 'add' | 'grow';
  /** Picks the node to change among all nodes of the value. */
  at: number;
  value: Json;
  key: string;
  times: number;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('replace', 'replace', 'remove', 'add', 'grow'),
  at: fc.nat(),
  value: fc.oneof(fc.constantFrom(...EDGE_VALUES), fc.jsonValue({ maxDepth: 2 })),
  key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'extra', 'id'), fc.string({ maxLength: 12 })),
  times: fc.integer({ min: 2, max: 400 }),
});

/** A valid body with one to three mutations: a node replaced, removed, a key added, an array grown. */
export function mutated(valid: Json[]): fc.Arbitrary<Json> {
  return fc
    .tuple(fc.constantFrom(...valid), fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([body, mutations]) => mutations.reduce(apply, structuredClone(body)));
}

function apply(root: Json, m: Mutation): Json {
  // Copies: fast-check reuses generated values while shrinking, so they must not be changed in place.
  const value = structuredClone(m.value);
  const paths = nodePaths(root);
  const path = paths[m.at % paths.length];
  const target = get(root, path);
  switch (m.op) {
    case 'replace':
      return set(root, path, value);
    case 'remove':
      return path.length === 0 ? undefined : remove(root, path);
    case 'add':
      if (isObject(target))
        Object.defineProperty(target, m.key, { value, enumerable: true, writable: true, configurable: true });
      return root;
    case 'grow':
      return Array.isArray(target) && target.length > 0
        ? set(
            root,
            path,
            Array.from({ length: m.times }, (_, i) => target[i % target.length]),
          )
        : root;
  }
}

function nodePaths(value: Json, prefix: Path = []): Path[] {
  const paths: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => paths.push(...nodePaths(v, [...prefix, i])));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) paths.push(...nodePaths(v, [...prefix, k]));
  return paths;
}

function get(root: Json, path: Path): Json {
  return path.reduce<Json>((node, key) => (node as Record<string | number, Json>)[key], root);
}

function set(root: Json, path: Path, value: Json): Json {
  if (path.length === 0) return value;
  const parent = get(root, path.slice(0, -1)) as Record<string | number, Json>;
  parent[path[path.length - 1]] = value;
  return root;
}

function remove(root: Json, path: Path): Json {
  const parent = get(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete (parent as Record<string, Json>)[key as string];
  return root;
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
