import { BlockList, isIP } from 'node:net';

/*
 * Which webhook targets may be called. With private targets refused, a webhook must not reach
 * loopback, private networks, link-local (cloud metadata at 169.254.169.254) or other
 * non-public ranges: the URL is chosen by an API caller, the request is made from inside.
 */

const nonPublic = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv6');
}

export type TargetCheck = { allowed: true } | { allowed: false; reason: string };

const allowed: TargetCheck = { allowed: true };

/** True for loopback, private, link-local, CGNAT, multicast and reserved addresses (v4, v6, v4-mapped v6). */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isNonPublicAddress(mapped[1]);
  const family = isIP(address);
  if (family === 0) return false;
  return nonPublic.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Literal checks on a parsed URL; names are checked again after DNS resolution at delivery. */
export function checkTargetUrl(url: URL, allowPrivate: boolean): TargetCheck {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { allowed: false, reason: 'only http:// and https:// URLs are allowed' };
  }
  if (url.username || url.password) return { allowed: false, reason: 'URLs with credentials are not allowed' };
  if (allowPrivate) return allowed;
  const host = hostOf(url);
  if (host === 'localhost' || host.endsWith('.localhost') || isNonPublicAddress(host)) {
    return { allowed: false, reason: nonPublicReason(host) };
  }
  return allowed;
}

/** Checks the addresses a host name resolved to. */
export function checkResolvedAddresses(host: string, addresses: string[], allowPrivate: boolean): TargetCheck {
  if (allowPrivate) return allowed;
  const blocked = addresses.find(isNonPublicAddress);
  return blocked ? { allowed: false, reason: nonPublicReason(`${host} (${blocked})`) } : allowed;
}

export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

function nonPublicReason(host: string): string {
  return `target ${host} is a loopback or private-network address, which this deployment refuses (WEBHOOK_ALLOW_PRIVATE_TARGETS)`;
}
