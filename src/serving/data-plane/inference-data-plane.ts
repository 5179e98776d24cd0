import { Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiKeyGuard } from '../../auth/api-key.guard';
import { callerId } from '../../auth/caller';
import { CrossSiteGuard } from '../../auth/cross-site.guard';
import { clientAddress, compileTrust } from '../../common/client-address';
import { DomainError, invalid } from '../../common/domain-error';
import { describeError, errorPayload, type ErrorBody } from '../../common/http-exception.filter';
import { redactUrl } from '../../common/log-redaction';
import { RequestContext } from '../../common/request-context';
import { readRequestBody } from '../../common/request-body';
import { requestIdOf } from '../../common/request-id.middleware';
import { apiSecurityHeaders } from '../../common/security-headers';
import { AppConfig } from '../../config/app-config';
import { INFERENCE_HEADER_CONTENT_LENGTH, type EncodedInferResponse } from '../../inference/oip';
import { MetricsService } from '../../metrics/metrics.service';
import { ImagePredictService } from '../image-predict.service';
import { OipInferenceService } from '../oip-inference.service';
import { unitIdOf } from '../unit-id';
import { DataPlaneRoute, matchDataPlaneRoute, MatchedRoute } from './data-plane-routes';

const JSON_TYPE = 'application/json; charset=utf-8';
const IMAGE_BODY = /^(image\/[\w.+-]+|application\/octet-stream)\s*(;|$)/i;

/** Per (route, status): the metric children, looked up once instead of per request. */
interface RouteMetrics {
  count: { inc(): void };
  duration: { observe(seconds: number): void };
}

/**
 * The inference routes (OIP infer; predict with an image body) answered on node:http directly,
 * in front of Nest's Express application on the same server: Express and Nest's router,
 * guards, interceptors and pino-http cost more per request than the digits model itself
 * (BENCHMARKS.md, "framework floor"). It does what they do for these routes: request id,
 * security headers, cross-site refusal, the API key with scope `infer` and its rate limit (the
 * same guard code), the body read only after that, the same error bodies, HTTP metrics and an
 * access log line. Everything else (multipart batches included) goes on to Nest.
 */
@Injectable()
export class InferenceDataPlane {
  private readonly logger = new Logger('HTTP');
  private readonly headers = apiSecurityHeaders();
  private readonly trust: ReturnType<typeof compileTrust>;
  private readonly routeMetrics = new Map<string, RouteMetrics>();

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly crossSite: CrossSiteGuard,
    private readonly apiKeys: ApiKeyGuard,
    private readonly oip: OipInferenceService,
    private readonly images: ImagePredictService,
  ) {
    this.trust = compileTrust(config.TRUST_PROXY);
  }

  /** Takes the request if it is one of its routes (true), else leaves it to Nest (false). */
  handle(request: IncomingMessage, response: ServerResponse): boolean {
    if (request.method !== 'POST' || !request.url) return false;
    const matched = matchDataPlaneRoute(request.url);
    if (!matched) return false;
    // Multipart batches stay with Nest's controller (multer reads them, after its guards).
    if (matched.kind === 'predict' && /^multipart\//i.test(request.headers['content-type'] ?? '')) return false;
    const requestId = requestIdOf(request.headers['x-request-id']);
    RequestContext.run(requestId, () => {
      this.serve(request, response, matched, requestId).catch((err: unknown) => {
        this.logger.error({ err, requestId }, 'data plane failed to answer');
        response.destroy();
      });
    });
    return true;
  }

  private async serve(request: IncomingMessage, response: ServerResponse, matched: MatchedRoute, requestId: string) {
    const started = performance.now();
    for (const name in this.headers) response.setHeader(name, this.headers[name]);
    response.setHeader('X-Request-Id', requestId);
    try {
      this.crossSite.check(request);
      const ip = clientAddress(request, this.trust);
      const principal = await this.apiKeys.authorize({ headers: request.headers, ip }, response, 'infer');
      const unitId = unitIdOf(request.headers['x-unit-id']);
      if (matched.kind === 'oip') {
        const readBody = async () => ({
          bytes: await readRequestBody(request, this.config.MAX_BODY_BYTES),
          headerLength: header(request, INFERENCE_HEADER_CONTENT_LENGTH),
        });
        sendInferAnswer(response, await this.oip.serve(matched.name, matched.version, unitId, readBody));
      } else {
        const query = this.images.query(Object.fromEntries(new URLSearchParams(matched.search)));
        imageBodyType(request);
        const target = { name: matched.name, version: matched.version, unitId, client: callerId(principal, ip) };
        const answer = await this.images.serve(target, query, async () => [await this.imageBody(request)]);
        sendJson(response, 200, answer);
      }
    } catch (exception) {
      this.fail(request, response, matched, exception);
    }
    this.observe(request, response, matched.route, started, requestId);
  }

  private async imageBody(request: IncomingMessage): Promise<Buffer> {
    const body = await readRequestBody(request, this.config.MAX_BODY_BYTES);
    if (body.length === 0) throw invalid('empty_body', 'the request body is empty; send a JPEG, PNG or WebP image');
    return body;
  }

  private fail(request: IncomingMessage, response: ServerResponse, matched: MatchedRoute, exception: unknown): void {
    const error: ErrorBody = describeError(exception, this.logger, {
      method: request.method,
      originalUrl: request.url,
    });
    if (response.headersSent) return void response.destroy();
    // Answered before the body was read: close the connection rather than read and discard it.
    if (!request.complete) response.shouldKeepAlive = false;
    if (error.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(error.retryAfterSeconds));
    sendJson(response, error.status, errorPayload(matched.kind === 'oip', error));
  }

  /** What pino-http and the HTTP metrics middleware do for Nest's routes, done once the answer is out. */
  private observe(
    request: IncomingMessage,
    response: ServerResponse,
    route: DataPlaneRoute,
    started: number,
    requestId: string,
  ): void {
    const status = response.statusCode;
    const seconds = (performance.now() - started) / 1000;
    const children = this.metricsFor(route, status);
    children.count.inc();
    children.duration.observe(seconds);
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'log';
    const entry = {
      req: { id: requestId, method: request.method, url: redactUrl(request.url) },
      res: { statusCode: status },
      responseTime: Math.round(seconds * 1000),
    };
    this.logger[level](entry, 'request completed');
  }

  private metricsFor(route: DataPlaneRoute, status: number): RouteMetrics {
    const key = `${route} ${status}`;
    let children = this.routeMetrics.get(key);
    if (!children) {
      const labels = { method: 'POST', route, status_code: String(status) };
      children = {
        count: this.metrics.httpRequests.labels(labels),
        duration: this.metrics.httpRequestDuration.labels(labels),
      };
      this.routeMetrics.set(key, children);
    }
    return children;
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** An image body's Content-Type, checked before a byte of it is read (415 otherwise). */
function imageBodyType(request: IncomingMessage): void {
  const type = request.headers['content-type'];
  if (type !== undefined && IMAGE_BODY.test(type)) return;
  throw new DomainError(
    'unsupported_media_type',
    'unsupported_media_type',
    `content type ${type ?? '(none)'} is not accepted; send image/jpeg, image/png, image/webp or multipart/form-data`,
  );
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

/** JSON, or (binary tensor data extension) the JSON header then the tensors. */
export function sendInferAnswer(response: ServerResponse, answer: EncodedInferResponse): void {
  if (answer.kind === 'json') return sendJson(response, 200, answer.body);
  response.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': answer.body.length,
    [INFERENCE_HEADER_CONTENT_LENGTH]: String(answer.headerLength),
  });
  response.end(answer.body);
}
