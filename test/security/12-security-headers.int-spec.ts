import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { freePort } from '../../src/infra/net/free-port';
import { startMetricsServer } from '../../src/metrics/metrics-http-server';
import { MetricsService } from '../../src/metrics/metrics.service';
import { startTestApp, TestApp } from '../support/test-app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser && process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${CHROMIUM} is missing`);
const itWithBrowser = hasBrowser ? it : it.skip;

// Browser globals used inside page callbacks (this file compiles without the DOM library).
declare const document: {
  addEventListener(type: string, listener: (event: { violatedDirective: string }) => void): void;
};
declare const window: { cspViolations: string[] };

/** Every kind of answer: JSON, errors from the router and from the body parser, probes, pages, assets, docs. */
const requests: Array<[string, RequestInit]> = [
  ['/v1/models', {}],
  ['/v1/nothing-here', {}],
  ['/v1/models', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' }],
  ['/health/live', {}],
  ['/metrics', {}],
  ['/openapi.json', {}],
  ['/docs', {}],
  ['/dashboard', {}],
  ['/dashboard/assets/app.js', {}],
];

describe('issue 14.12: security headers', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'error' } });
  });
  afterAll(() => t.close());

  it.each(requests)('%s: nosniff, no X-Powered-By, no framing', async (path, init) => {
    const response = await fetch(`${t.url}${path}`, init);
    await response.arrayBuffer();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('gives the dashboard a CSP without inline scripts and the API one that loads nothing', async () => {
    const page = (await fetch(`${t.url}/dashboard`)).headers.get('content-security-policy')!;
    expect(page).toContain("script-src 'self'");
    expect(page).toContain("connect-src 'self'");
    expect(page).not.toContain('unsafe-inline');
    expect(page).not.toContain('unsafe-eval');
    const api = (await fetch(`${t.url}/v1/models`)).headers.get('content-security-policy')!;
    expect(api).toContain("default-src 'none'");
  });

  it("sends nosniff from the worker's metrics port too", async () => {
    const port = await freePort();
    const server = await startMetricsServer(new MetricsService(), '127.0.0.1', port);
    try {
      for (const path of ['/metrics', '/other']) {
        const response = await fetch(`http://127.0.0.1:${port}${path}`);
        await response.arrayBuffer();
        expect([path, response.headers.get('x-content-type-options')]).toEqual([path, 'nosniff']);
      }
    } finally {
      server.close();
    }
  });

  itWithBrowser('the dashboard and the API docs work under their CSP (no violation in Chromium)', async () => {
    const userDataDir = mkdtempSync(join(tmpdir(), 'vigil-csp-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    try {
      await context.addInitScript(() => {
        window.cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective));
      });
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`${t.url}/dashboard`);
      await page.waitForSelector('[data-testid="connection-state"][data-state="live"]', { timeout: 20_000 });
      expect(await page.evaluate(() => window.cspViolations)).toEqual([]);
      await page.goto(`${t.url}/docs`);
      await page.waitForSelector('.swagger-ui .info .title', { timeout: 20_000 });
      await page.waitForSelector('.swagger-ui .opblock', { timeout: 20_000 });
      expect(await page.evaluate(() => window.cspViolations)).toEqual([]);
    } finally {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    }
  });
});
