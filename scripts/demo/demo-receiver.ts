import { once } from 'node:events';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface VerifiedAlert {
  id: string;
  type: string;
  data: Record<string, unknown>;
  body: string;
}

type Waiter = { accept: (alert: VerifiedAlert) => boolean; resolve: (alert: VerifiedAlert) => void };

/**
 * What a customer's retraining pipeline would run: an HTTP receiver that verifies every request
 * with the `standardwebhooks` library (401 when the signature does not hold) and reports it.
 */
export class DemoWebhookReceiver {
  readonly alerts: VerifiedAlert[] = [];
  rejected = 0;
  private verifier?: Webhook;
  private readonly waiters: Waiter[] = [];

  private constructor(
    private readonly server: Server,
    private readonly onAlert: (alert: VerifiedAlert) => void,
    private readonly onRejected: (reason: string) => void,
  ) {}

  static async start(onAlert: (alert: VerifiedAlert) => void, onRejected: (reason: string) => void) {
    const server = createServer();
    const receiver = new DemoWebhookReceiver(server, onAlert, onRejected);
    server.on('request', (req, res) => {
      void readBody(req).then((body) => res.writeHead(receiver.receive(req, body)).end());
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/vigil`;
  }

  /** The endpoint's secret, as POST /v1/webhooks answered it (shown only once). */
  useSecret(secret: string): void {
    this.verifier = new Webhook(secret);
  }

  /** Resolves with the first verified alert, received before or after the call, that `accept`s. */
  waitFor(accept: (alert: VerifiedAlert) => boolean, what: string, timeoutMs = 30_000): Promise<VerifiedAlert> {
    const seen = this.alerts.find(accept);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} webhook within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ accept, resolve: (alert) => (clearTimeout(timer), resolve(alert)) });
    });
  }

  async close(): Promise<void> {
    const closed = once(this.server, 'close');
    this.server.close();
    this.server.closeAllConnections();
    await closed;
  }

  private receive(req: IncomingMessage, body: string): number {
    const header = (name: string) => String(req.headers[name] ?? '');
    const headers = { 'webhook-id': header('webhook-id'), 'webhook-timestamp': header('webhook-timestamp') };
    let payload: { type: string; data: Record<string, unknown> };
    try {
      if (!this.verifier) throw new Error('no secret yet');
      payload = this.verifier.verify(body, { ...headers, 'webhook-signature': header('webhook-signature') }) as never;
    } catch (error) {
      this.rejected += 1;
      this.onRejected(String(error));
      return 401;
    }
    // Deliveries are at least once: the webhook-id makes a repeat recognisable.
    if (this.alerts.some((a) => a.id === headers['webhook-id'])) return 204;
    const alert = { id: headers['webhook-id'], type: payload.type, data: payload.data, body };
    this.alerts.push(alert);
    this.onAlert(alert);
    for (const waiter of this.waiters.filter((w) => w.accept(alert))) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(alert);
    }
    return 204;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
