import type { Request } from 'express';
import { routeTemplate } from './http-metrics.middleware';

describe('routeTemplate', () => {
  const request = (route?: { path: unknown }) => ({ route }) as unknown as Request;

  it.each([
    ['/v1/models/:name/predict', '/v1/models/:name/predict'],
    ['/metrics', '/metrics'],
    ['/{*path}', 'unmatched'],
    ['/*splat', 'unmatched'],
    ['{/*path}', 'unmatched'],
  ])('labels route %s as %s', (path, label) => {
    expect(routeTemplate(request({ path }))).toBe(label);
  });

  it('labels a request no route matched, or a route without a string path, unmatched', () => {
    expect(routeTemplate(request())).toBe('unmatched');
    expect(routeTemplate(request({ path: /regex/ }))).toBe('unmatched');
  });
});
