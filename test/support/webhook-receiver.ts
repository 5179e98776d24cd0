import { createServer, IncomingMessage, Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { freePort } from '../../src/infra/net/free-port';

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** The payload as `standardwebhooks` verified it; undefined when verification failed. */
  payload?: { id: string; type: string; version: number; timestamp: string; data: Record<string, unknown> };
  verificationError?: string;
  answered: number;
}

type Responder = (request: ReceivedWebhook, index: number) => number;

/**
 * A real HTTP receiver on 127.0.0.1 that verifies every request with the `standardwebhooks`
 * library, as a customer's receiver would. Its port is fixed at creation, so it can be down
 * (not listening) and come back on the same URL.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  secret = '';
  private responder: Responder = () => 200;
  private server?: Server;
  private readonly waiters: { predicate: () => boolean; resolve: () => void }[] = [];

  private constructor(readonly port: number) {}

  static async create(): Promise<WebhookReceiver> {
    return new WebhookReceiver(await freePort());
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  respondWith(responder: Responder): void {
    this.responder = responder;
  }

  ofEvent(eventId: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.id === eventId);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      readBody(req).then((body) => {
        const request = this.verify(req, body);
        this.received.push(request);
        request.answered = request.payload ? this.responder(request, this.received.length) : 401;
        res.writeHead(request.answered, { 'content-type': 'text/plain' }).end(`answered ${request.answered}`);
        this.notify();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections(); // keep-alive sockets from the sender would hold close() open
    await closed;
  }

  /** Resolves once the received requests satisfy the predicate (no sleeping). */
  until(predicate: (received: ReceivedWebhook[]) => boolean, timeoutMs = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`receiver: condition not met in ${timeoutMs} ms`)), timeoutMs);
      const waiter = { predicate: () => predicate(this.received), resolve: () => (clearTimeout(timer), resolve()) };
      if (waiter.predicate()) return waiter.resolve();
      this.waiters.push(waiter);
    });
  }

  private verify(req: IncomingMessage, body: string): ReceivedWebhook {
    const header = (name: string) => String(req.headers[name] ?? '');
    const request: ReceivedWebhook = {
      id: header('webhook-id'),
      timestamp: header('webhook-timestamp'),
      signature: header('webhook-signature'),
      body,
      answered: 0,
    };
    try {
      request.payload = new Webhook(this.secret).verify(body, {
        'webhook-id': request.id,
        'webhook-timestamp': request.timestamp,
        'webhook-signature': request.signature,
      }) as ReceivedWebhook['payload'];
    } catch (error) {
      request.verificationError = String(error);
    }
    return request;
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) {
      if (!waiter.predicate()) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
