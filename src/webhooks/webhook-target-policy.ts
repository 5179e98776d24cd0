import { BlockList, isIP } from 'node:net';

/*
 * Which webhook targets may be called. With private targets refused, a webhook must not reach
 * loopback, private networks, link-local (cloud metadata at 169.254.169.254) or other
 * non-public ranges: the URL is chosen by an API caller, the request is made from inside.
 * Node's BlockList does the range maths (it also matches IPv4-mapped IPv6 against IPv4 rules).
 */

const nonPublicV4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];

const nonPublicV6: Array<[string, number]> = [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible ::a.b.c.d
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments, Teredo (its IPv4 is obfuscated) included
  ['2001:db8::', 32], // documentation
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10], // deprecated site-local
  ['ff00::', 8],
];

/**
 * IPv6 ranges that carry an IPv4 address (at bit `at`): such an address is exactly as public as
 * the IPv4 address it embeds. IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16.
 */
const embeddings: Array<{ at: number; embed: (ipv4: string) => string }> = [
  { at: 96, embed: (ipv4) => `::ffff:${ipv4}` },
  { at: 96, embed: (ipv4) => `64:ff9b::${ipv4}` },
  { at: 16, embed: (ipv4) => `2002:${hexGroups(ipv4)}::` },
];

const nonPublic = new BlockList();
for (const [network, prefix] of nonPublicV4) {
  nonPublic.addSubnet(network, prefix, 'ipv4');
  for (const { at, embed } of embeddings) nonPublic.addSubnet(embed(network), at + prefix, 'ipv6');
}
for (const [network, prefix] of nonPublicV6) nonPublic.addSubnet(network, prefix, 'ipv6');

export type TargetCheck = { allowed: true } | { allowed: false; reason: string };

const allowed: TargetCheck = { allowed: true };

/** True for loopback, private, link-local, CGNAT, documentation, multicast and reserved addresses (v4, v6). */
export function isNonPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''); // brackets, IPv6 zone id
  const family = isIP(bare);
  if (family === 0) return false;
  return nonPublic.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** Literal checks on a parsed URL; names are checked again, once resolved, when connecting. */
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

/** Checks every address a host name resolved to; a name that resolved to nothing is refused. */
export function checkResolvedAddresses(host: string, addresses: string[], allowPrivate: boolean): TargetCheck {
  if (allowPrivate) return allowed;
  if (addresses.length === 0) return unresolvable(host, 'no addresses');
  const blocked = addresses.find(isNonPublicAddress);
  return blocked ? { allowed: false, reason: nonPublicReason(`${host} (${blocked})`) } : allowed;
}

/** A failed lookup is a refusal: a target that cannot be checked is not called. */
export function unresolvable(host: string, why: string): TargetCheck {
  return { allowed: false, reason: `could not resolve ${host} (${why}), so it could not be checked` };
}

/** The host as it is resolved and checked: no brackets, lower case, no trailing dot (`localhost.`). */
export function hostOf(url: URL): string {
  return normaliseHost(url.hostname);
}

export function normaliseHost(hostname: string): string {
  return hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.+$/, '');
}

function hexGroups(ipv4: string): string {
  const [a, b, c, d] = ipv4.split('.').map(Number);
  return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

function nonPublicReason(host: string): string {
  return `target ${host} is a loopback or private-network address (or another non-public range), which this deployment refuses (WEBHOOK_ALLOW_PRIVATE_TARGETS)`;
}
