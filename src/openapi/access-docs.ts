import { ApiExtension } from '@nestjs/swagger';

/** Operation extension that carries the access a handler declares (a scope, or `public`). */
export const REQUIRED_SCOPE_EXTENSION = 'x-required-scope';

/**
 * The OpenAPI side of @RequireScope/@Public. On a controller it reaches every handler that has
 * no access of its own, the same method-over-class rule the API key guard applies.
 */
export function documentAccess(access: string): MethodDecorator & ClassDecorator {
  return ApiExtension(REQUIRED_SCOPE_EXTENSION, access) as MethodDecorator & ClassDecorator;
}
