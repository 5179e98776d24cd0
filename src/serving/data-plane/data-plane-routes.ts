/** The inference routes the data plane answers, as Nest declares them (the metrics' route label). */
export type DataPlaneRoute =
  | '/v2/models/:name/infer'
  | '/v2/models/:name/versions/:version/infer'
  | '/v1/models/:name/predict'
  | '/v1/models/:name/versions/:version/predict';

export interface MatchedRoute {
  route: DataPlaneRoute;
  kind: 'oip' | 'predict';
  name: string;
  version?: string;
  /** The raw query string, without `?`. */
  search: string;
}

// Express routing is not strict: a trailing slash matches too. Segments stay URL-encoded here.
const PATTERN = /^\/(v2|v1)\/models\/([^/]+)(?:\/versions\/([^/]+))?\/(infer|predict)\/?$/;

/** The route of a POST, or undefined: then Nest answers it (its 404 and 405 included). */
export function matchDataPlaneRoute(url: string): MatchedRoute | undefined {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const m = PATTERN.exec(path);
  if (!m) return undefined;
  const [, api, rawName, rawVersion, action] = m;
  if ((api === 'v2') !== (action === 'infer')) return undefined;
  let name: string;
  let version: string | undefined;
  try {
    name = decodeURIComponent(rawName);
    version = rawVersion === undefined ? undefined : decodeURIComponent(rawVersion);
  } catch {
    return undefined; // malformed escapes: Nest answers them as it always has
  }
  const versioned = version !== undefined;
  const route: DataPlaneRoute =
    api === 'v2'
      ? versioned
        ? '/v2/models/:name/versions/:version/infer'
        : '/v2/models/:name/infer'
      : versioned
        ? '/v1/models/:name/versions/:version/predict'
        : '/v1/models/:name/predict';
  return { route, kind: api === 'v2' ? 'oip' : 'predict', name, version, search: q < 0 ? '' : url.slice(q + 1) };
}
