import { checkResolvedAddresses, checkTargetUrl, isNonPublicAddress } from './webhook-target-policy';

describe('webhook target policy', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['224.0.0.1', true],
    ['8.8.8.8', false],
    ['93.184.216.34', false],
    ['::1', true],
    ['::', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:8.8.8.8', false],
    ['2606:4700:4700::1111', false],
    ['example.com', false],
  ])('%s is non-public: %s', (address, expected) => {
    expect(isNonPublicAddress(address)).toBe(expected);
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://api.localhost/hook',
    'http://[::1]:3000/',
    'http://169.254.169.254/latest/meta-data',
    'https://10.0.0.5/',
  ])('refuses %s when private targets are refused', (url) => {
    const check = checkTargetUrl(new URL(url), false);
    expect(check).toMatchObject({ allowed: false, reason: expect.stringContaining('private-network') });
  });

  it('allows the same targets when private targets are allowed', () => {
    expect(checkTargetUrl(new URL('http://127.0.0.1:8080/hook'), true)).toEqual({ allowed: true });
  });

  it('allows public targets', () => {
    expect(checkTargetUrl(new URL('https://hooks.example.com/vigil'), false)).toEqual({ allowed: true });
  });

  it('refuses other protocols and credentials even when private targets are allowed', () => {
    expect(checkTargetUrl(new URL('ftp://example.com/'), true).allowed).toBe(false);
    expect(checkTargetUrl(new URL('https://user:pw@example.com/'), true).allowed).toBe(false);
  });

  it('checks every resolved address', () => {
    expect(checkResolvedAddresses('evil.example', ['8.8.8.8', '10.0.0.1'], false).allowed).toBe(false);
    expect(checkResolvedAddresses('ok.example', ['8.8.8.8'], false).allowed).toBe(true);
    expect(checkResolvedAddresses('evil.example', ['10.0.0.1'], true).allowed).toBe(true);
  });
});

describe('issue 14.6: webhook target policy ranges and names', () => {
  it.each([
    ['::127.0.0.1', true], // IPv4-compatible (deprecated), as the URL parser writes it: ::7f00:1
    ['::7f00:1', true],
    ['::8.8.8.8', true],
    ['::ffff:a9fe:a9fe', true], // IPv4-mapped metadata address in hex
    ['2002:7f00:1::1', true], // 6to4 of 127.0.0.1
    ['2002:a9fe:a9fe::', true], // 6to4 of 169.254.169.254
    ['2002:c0a8:101::1', true], // 6to4 of 192.168.1.1
    ['2002:808:808::1', false], // 6to4 of 8.8.8.8
    ['64:ff9b::7f00:1', true], // NAT64 of 127.0.0.1
    ['64:ff9b::a00:1', true],
    ['64:ff9b::808:808', false], // NAT64 of a public address
    ['64:ff9b:1::1', true], // local-use NAT64
    ['192.0.2.1', true],
    ['198.51.100.7', true],
    ['203.0.113.255', true],
    ['2001:db8::1', true],
    ['2001:0::1', true], // Teredo
    ['fe80::1%eth0', true],
    ['1.1.1.1', false],
    ['2a00:1450:4001::200e', false],
  ])('%s is non-public: %s', (address, expected) => {
    expect(isNonPublicAddress(address)).toBe(expected);
  });

  it.each([
    'http://localhost./hook',
    'http://LOCALHOST../hook',
    'http://api.localhost./hook',
    'http://[::127.0.0.1]/hook',
    'http://[2002:7f00:1::1]/hook',
    'http://[64:ff9b::169.254.169.254]/hook',
    'http://192.0.2.10/hook',
    'http://[2001:db8::5]/hook',
    'http://0x7f.1/hook',
  ])('refuses %s', (url) => {
    expect(checkTargetUrl(new URL(url), false).allowed).toBe(false);
  });

  it('refuses a name that resolved to nothing: it could not be checked', () => {
    expect(checkResolvedAddresses('gone.example', [], false)).toEqual({
      allowed: false,
      reason: 'could not resolve gone.example (no addresses), so it could not be checked',
    });
  });
});
