import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

type Trust = (address: string, hop: number) => boolean;

/**
 * TRUST_PROXY as Express reads its `trust proxy` setting (true, a hop count, or a list of
 * addresses and subnets), so a request answered outside Express has the same `ip` as inside it.
 */
export function compileTrust(setting: boolean | number | string | undefined): Trust {
  if (setting === true) return () => true;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  if (typeof setting === 'string') return proxyaddr.compile(setting.split(',').map((v) => v.trim()));
  return proxyaddr.compile([]);
}

/** The client's address: the socket's, or X-Forwarded-For's as far as the proxies are trusted. */
export function clientAddress(request: IncomingMessage, trust: Trust): string {
  return proxyaddr(request, trust);
}
