import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { IncomingMessage } from 'node:http';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery, in every auth mode: a web page can POST a multipart form (a "simple"
 * request, no CORS preflight) to a Vigil it can reach, e.g. http://127.0.0.1:3000 in open mode.
 * The rule is Go's net/http CrossOriginProtection: browsers say where a request comes from in
 * Sec-Fetch-Site (Origin for older ones); state-changing requests from another origin are refused
 * unless that origin is in TRUSTED_ORIGINS. Requests without either header (curl, SDKs,
 * pipelines) are not from a browser page and pass. Runs before the API key guard and any body.
 */
@Injectable()
export class CrossSiteGuard implements CanActivate {
  private readonly trusted: ReadonlySet<string>;

  constructor(config: AppConfig) {
    this.trusted = new Set(config.TRUSTED_ORIGINS);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    this.check(context.switchToHttp().getRequest<Request>());
    return true;
  }

  /** Throws the 403 for a refused cross-site request (also called by the inference data plane). */
  check(request: Pick<IncomingMessage, 'method' | 'headers'>): void {
    const refusal = this.refusal(request);
    if (refusal) throw new DomainError('forbidden', 'cross_site_request', refusal);
  }

  private refusal(request: Pick<IncomingMessage, 'method' | 'headers'>): string | undefined {
    if (SAFE_METHODS.has(request.method ?? 'GET')) return undefined;
    const origin = request.headers.origin;
    if (origin !== undefined && this.trusted.has(origin)) return undefined;
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined) {
      if (site === 'same-origin' || site === 'none') return undefined;
      return refused(request.method!, `Sec-Fetch-Site: ${site}`, origin);
    }
    if (origin === undefined || sameHost(origin, request.headers.host)) return undefined;
    return refused(request.method!, `Origin: ${origin}`, origin);
  }
}

function sameHost(origin: string, host: string | undefined): boolean {
  return URL.canParse(origin) && host !== undefined && new URL(origin).host === host.toLowerCase();
}

function refused(method: string, evidence: string, origin: string | undefined): string {
  const from = origin ?? 'its origin';
  return (
    `cross-site ${method} refused (${evidence}): a page on another site cannot change Vigil's state; ` +
    `to allow ${from}, add it to TRUSTED_ORIGINS`
  );
}
