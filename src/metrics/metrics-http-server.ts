import { createServer, Server } from 'node:http';
import { MetricsService } from './metrics.service';

/**
 * The worker process has no API, so its own counters (webhook attempts, job attempts, process
 * metrics) are served on a port of their own: GET /metrics only, no key (an internal port).
 */
export async function startMetricsServer(metrics: MetricsService, host: string, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    response.setHeader('x-content-type-options', 'nosniff');
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Only GET /metrics is served on this port\n');
      return;
    }
    metrics.registry.metrics().then(
      (body) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
      (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  server.unref(); // never what keeps the process alive during shutdown
  return server;
}
