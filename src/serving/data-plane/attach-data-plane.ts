import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { InferenceDataPlane } from './inference-data-plane';

/** Puts the data plane in front of the server's request listener (Nest's Express app): one port for both. */
export function attachDataPlane(server: Server, dataPlane: InferenceDataPlane): void {
  const app = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (dataPlane.handle(request, response)) return;
    for (const listener of app) listener.call(server, request, response);
  });
}
