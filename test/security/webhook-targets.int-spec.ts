import { execFileSync } from 'node:child_process';
import type { LookupAddress } from 'node:dns';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { createServer as createTlsServer, Server as TlsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { createSecureContext } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { WebhookHttpClient } from '../../src/webhooks/webhook-http.client';
import { startTestApp, TestApp } from '../support/test-app';

/** Stands in for an attacker's DNS server: answers each lookup from a script, counting them. */
function scriptedDns(...answers: Array<string[] | Error>) {
  const asked: string[] = [];
  const resolve = async (host: string): Promise<LookupAddress[]> => {
    asked.push(host);
    const answer = answers[Math.min(asked.length, answers.length) - 1];
    if (answer instanceof Error) throw answer;
    return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { asked, resolve };
}

const notFound = () => Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
const listen = async <T extends Server | TlsServer>(server: T): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};
const close = async (server: Server | TlsServer) => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
};

describe('issue 14.6: webhook targets are resolved once, checked, and connected to as checked', () => {
  const received: IncomingMessage[] = [];
  const receiver = createServer((req, res) => {
    received.push(req);
    res.writeHead(204).end();
  });
  let port: number;
  const client = (allowPrivate: boolean, resolve: (host: string) => Promise<LookupAddress[]>) =>
    WebhookHttpClient.resolvingWith(
      new AppConfig(loadConfig({ WEBHOOK_TIMEOUT_MS: '2000', WEBHOOK_ALLOW_PRIVATE_TARGETS: String(allowPrivate) })),
      resolve,
    );

  beforeAll(async () => {
    port = await listen(receiver);
  });
  afterAll(() => close(receiver));
  beforeEach(() => received.splice(0));

  it('connects to the address it resolved, not to a second answer (DNS rebinding)', async () => {
    // Private targets allowed here only so that the first answer reaches the local receiver.
    const dns = scriptedDns(['127.0.0.1'], ['127.0.0.2']);
    const result = await client(true, dns.resolve).post(`http://Receiver.Example.test.:${port}/hook`, '{}', {});
    expect(result).toMatchObject({ outcome: 'success', statusCode: 204 });
    expect(dns.asked).toEqual(['receiver.example.test.']);
    expect(received).toHaveLength(1);
    expect(received[0].headers.host).toBe(`receiver.example.test.:${port}`);
  });

  it.each([
    ['a private answer', scriptedDns(['10.1.2.3'])],
    ['one private answer among public ones', scriptedDns(['8.8.8.8', '127.0.0.1'])],
    ['a 6to4 address embedding loopback', scriptedDns(['2002:7f00:1::1'])],
    ['a failed lookup', scriptedDns(notFound())],
  ])('refuses %s while connecting, after one lookup', async (_, dns) => {
    const result = await client(false, dns.resolve).post(`http://hooks.example.test:${port}/hook`, '{}', {});
    expect(result).toMatchObject({ outcome: 'refused', statusCode: null });
    expect(result.error).toMatch(/private-network|could not resolve hooks\.example\.test \(ENOTFOUND\)/);
    expect(dns.asked).toHaveLength(1);
    expect(received).toHaveLength(0);
  });

  it('keeps TLS on the name: SNI is the URL host, the certificate is verified for it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-tls-'));
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync('openssl', [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'],
      ...['-subj', '/CN=hooks.example.test', '-keyout', key, '-out', cert],
    ]);
    const context = createSecureContext({ key: readFileSync(key), cert: readFileSync(cert) });
    const names: string[] = [];
    const tls = createTlsServer({
      SNICallback: (servername, done) => {
        names.push(servername);
        done(null, context);
      },
    });
    tls.on('tlsClientError', () => undefined); // the client hangs up on the self-signed certificate
    const tlsPort = await listen(tls);
    const dns = scriptedDns(['127.0.0.1']);
    const result = await Promise.resolve()
      .then(() => client(true, dns.resolve).post(`https://hooks.example.test:${tlsPort}/hook`, '{}', {}))
      .finally(async () => {
        await close(tls);
        rmSync(dir, { recursive: true, force: true });
      });
    // The self-signed certificate is refused by the client: it was checked, for the URL's name.
    expect(result).toMatchObject({ outcome: 'network_error', error: expect.stringMatching(/self[- ]signed/i) });
    expect(dns.asked).toEqual(['hooks.example.test']);
    expect(names).toEqual(['hooks.example.test']);
  });
});

describe('issue 14.6: registration refuses what cannot be checked or is non-public in disguise', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false' } });
  });
  afterAll(() => t.close());

  it.each([
    'http://no-such-host.invalid/hook', // RFC 6761: never resolves; a failed lookup used to pass
    'http://localhost./hook',
    'http://[::127.0.0.1]/hook',
    'http://[2002:a9fe:a9fe::]/latest/meta-data',
    'http://203.0.113.7/hook',
  ])('%s -> 400 webhook_target_not_allowed', async (url) => {
    const response = await fetch(`${t.url}/v1/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url, eventTypes: ['*'] }),
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('webhook_target_not_allowed');
    expect(error.message).toMatch(/private-network|could not resolve no-such-host\.invalid/);
  });
});
