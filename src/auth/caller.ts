import type { Principal } from './api-keys.service';

/** Who sent a request, the unit of fair sharing (image decoding): its API key, else its address. */
export function callerId(principal: Principal | null | undefined, ip: string | undefined): string {
  return principal ? `key:${principal.id}` : `address:${ip ?? 'unknown'}`;
}
