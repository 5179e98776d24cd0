import { applyDecorators, SetMetadata } from '@nestjs/common';
import { documentAccess } from '../openapi/access-docs';

/** What an API key may do. `admin` implies every other scope. */
export const SCOPES = ['infer', 'feedback', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Metadata key read by the API key guard; `public` needs no key at all. */
export const ACCESS_METADATA = 'vigil:access';
export type Access = Scope | 'public';

/** The scope a key needs to call this handler (or every handler of this controller); also documented in OpenAPI. */
export function RequireScope(scope: Scope): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(ACCESS_METADATA, scope), documentAccess(scope));
}

/** No key needed: liveness and readiness probes. */
export function Public(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(ACCESS_METADATA, 'public'), documentAccess('public'));
}

export function grants(held: readonly Scope[], needed: Scope): boolean {
  return held.includes('admin') || held.includes(needed);
}
