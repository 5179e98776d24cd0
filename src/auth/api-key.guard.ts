import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { ApiKeysService, Principal } from './api-keys.service';
import { AuthFailureThrottle } from './auth-failure-throttle';
import { callerId } from './caller';
import { HeaderSink, RequestRateLimiter } from './request-rate-limiter';
import { Access, ACCESS_METADATA, grants, Scope } from './scopes';

// Auth schemes are case-insensitive (RFC 7235 section 2.1): `bearer` and `BEARER` are Bearer too.
const BEARER = /^bearer[ \t]+(\S.*)$/i;

/** What identifying a caller reads of a request: its headers and its address (TRUST_PROXY applied). */
export interface CallerRequest {
  headers: IncomingHttpHeaders;
  ip?: string;
}

/** The API key of a request: `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function presentedKey(request: CallerRequest): string | undefined {
  const bearer = BEARER.exec(request.headers.authorization ?? '');
  if (bearer) return bearer[1].trim();
  const header = request.headers['x-api-key'];
  return typeof header === 'string' && header.length > 0 ? header : undefined;
}

/** Who sent a request that went through this guard (see caller.ts). */
export function callerOf(request: Request): string {
  return callerId((request as Request & { apiKey?: Principal }).apiKey, request.ip);
}

/**
 * Every route declares its access (see scopes.ts; AccessAudit refuses to boot otherwise); a
 * route that somehow lacks one is treated as admin-only. Unknown keys are throttled per client
 * address (AuthFailureThrottle); then the key's rate limit is counted.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
    private readonly limiter: RequestRateLimiter,
    private readonly failures: AuthFailureThrottle,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const access =
      this.reflector.getAllAndOverride<Access>(ACCESS_METADATA, [context.getHandler(), context.getClass()]) ?? 'admin';
    const request = context.switchToHttp().getRequest<Request>();
    const principal = await this.authorize(request, context.switchToHttp().getResponse(), access);
    if (principal) (request as Request & { apiKey?: Principal }).apiKey = principal;
    return true;
  }

  /**
   * The caller's key for a route needing `access` (throws 401/403/429), then its rate limit. Null in
   * open mode and for public routes or reads: no caller identity to limit. Also used by the
   * inference data plane (serving/data-plane), which answers before Nest's guards would run.
   */
  async authorize(request: CallerRequest, response: HeaderSink, access: Access): Promise<Principal | null> {
    if (access === 'public') return null;
    const principal = await this.identify(request, response, access);
    if (principal) await this.limiter.consume(principal.id, `key '${principal.name}'`, response);
    return principal;
  }

  private async identify(request: CallerRequest, response: HeaderSink, needed: Scope): Promise<Principal | null> {
    if (this.keys.mode === 'open' || (needed === 'read' && this.config.AUTH_PUBLIC_READ)) return null;
    const key = presentedKey(request);
    if (!key) {
      response.setHeader('WWW-Authenticate', 'Bearer');
      throw new DomainError(
        'unauthorized',
        'api_key_missing',
        `This route needs an API key with scope '${needed}': send Authorization: Bearer <key> or X-API-Key`,
      );
    }
    const principal =
      this.keys.knownPrincipal(key) ??
      (await this.failures.guard(request.ip ?? 'unknown', () => this.keys.authenticate(key)));
    if (!principal) {
      response.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new DomainError('unauthorized', 'api_key_invalid', 'The API key is unknown or revoked');
    }
    if (!grants(principal.scopes, needed)) {
      throw new DomainError(
        'forbidden',
        'scope_missing',
        `API key '${principal.name}' has scopes ${principal.scopes.join(', ')}; this route needs '${needed}'`,
        { needed, held: principal.scopes },
      );
    }
    return principal;
  }
}
