import { lookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { checkResolvedAddresses, normaliseHost, TargetCheck, unresolvable } from './webhook-target-policy';

/** All the addresses of a host name. */
export type ResolveHost = (host: string) => Promise<LookupAddress[]>;

export const systemResolver: ResolveHost = (host) =>
  new Promise((resolve, reject) =>
    lookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );

/** A target the policy refused while connecting; the attempt is reported as `refused`. */
export class TargetRefusedError extends Error {
  readonly code = 'ERR_WEBHOOK_TARGET_REFUSED';
}

/** Resolves a name once and checks every address it has; a failed lookup is a refusal. */
export async function resolveChecked(
  resolveHost: ResolveHost,
  hostname: string,
  allowPrivate: boolean,
): Promise<{ check: TargetCheck; addresses: LookupAddress[] }> {
  const host = normaliseHost(hostname); // for the checks; the name itself is resolved as written
  try {
    const addresses = await resolveHost(hostname.replace(/^\[|\]$/g, ''));
    return {
      check: checkResolvedAddresses(
        host,
        addresses.map((a) => a.address),
        allowPrivate,
      ),
      addresses,
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { check: unresolvable(host, code), addresses: [] };
  }
}

/**
 * The socket's `lookup`: the addresses the connection may use are the ones that were checked,
 * so a name cannot answer the check with a public address and the connection with a private
 * one (DNS rebinding). TLS still verifies the certificate for the name (SNI and Host stay the URL's).
 */
export function checkedLookup(resolveHost: ResolveHost, allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    void resolveChecked(resolveHost, hostname, allowPrivate).then(({ check, addresses }) => {
      if (!check.allowed) return callback(new TargetRefusedError(check.reason), '', 0);
      const family = options.family === 4 || options.family === 6 ? options.family : 0;
      const usable = family ? addresses.filter((a) => a.family === family) : addresses;
      if (usable.length === 0) {
        return callback(new TargetRefusedError(`${hostname} has no IPv${family} address`), '', 0);
      }
      if (options.all) return callback(null, usable);
      callback(null, usable[0].address, usable[0].family);
    });
  };
}
