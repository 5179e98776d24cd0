import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';

/** Answers a request itself (true) or leaves it to the listeners behind it (false). */
export type RequestFront = (request: IncomingMessage, response: ServerResponse) => boolean;

/** Puts `front` before every request listener the server has now (Nest's app, or another front). */
export function putInFront(server: Server, front: RequestFront): void {
  const behind = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (front(request, response)) return;
    for (const listener of behind) listener.call(server, request, response);
  });
}
