/**
 * POST /v2/models/{name}[/versions/{version}]/infer read their own body, after the API key guard
 * and whatever its Content-Type (tritonclient sends none); BodyAfterAuthInterceptor leaves them alone.
 * Case-insensitive with an optional trailing slash, as the express router matches them.
 */
const OIP_INFER_PATH = /^\/v2\/models\/[^/]+(\/versions\/[^/]+)?\/infer\/?$/i;

export function readsOwnBody(path: string): boolean {
  return OIP_INFER_PATH.test(path);
}
