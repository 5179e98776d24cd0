import { loadConfig } from '../config/load-config';
import { authModeOf, listenHost } from './auth-mode';

describe('issue 14.2: where Vigil listens, and which origins it trusts', () => {
  const config = (env: Record<string, string>) => loadConfig(env);

  it.each([
    [{}, 'open', '127.0.0.1'],
    [{ NODE_ENV: 'production' }, 'keys', '0.0.0.0'],
    [{ NODE_ENV: 'production', AUTH_MODE: 'open' }, 'open', '127.0.0.1'],
    [{ AUTH_MODE: 'keys' }, 'keys', '0.0.0.0'],
    [{ HOST: '0.0.0.0' }, 'open', '0.0.0.0'],
    [{ NODE_ENV: 'production', HOST: '10.1.2.3' }, 'keys', '10.1.2.3'],
  ])('%j: %s mode, listens on %s', (env, mode, host) => {
    expect(authModeOf(config(env))).toBe(mode);
    expect(listenHost(config(env))).toBe(host);
  });

  it('takes TRUSTED_ORIGINS as exact origins and refuses anything else', () => {
    const origins = ' https://ops.example.com, http://localhost:5173 ';
    expect(config({ TRUSTED_ORIGINS: origins }).TRUSTED_ORIGINS).toEqual([
      'https://ops.example.com',
      'http://localhost:5173',
    ]);
    for (const bad of ['https://ops.example.com/', 'ops.example.com', 'https://ops.example.com/path', '*']) {
      expect(() => config({ TRUSTED_ORIGINS: bad })).toThrow(/TRUSTED_ORIGINS entries must be origins/);
    }
  });
});
