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
