import { loadConfig } from './load-config';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATA_DIR).toBe('./.vigil');
    expect(config.INFERENCE_PROVIDERS).toEqual(['cuda', 'cpu']);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT .*"abc"/],
    [{ PORT: '70000' }, /^Invalid configuration: PORT /],
    [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL /],
    [{ INFERENCE_PROVIDERS: 'cuda,tpu' }, /^Invalid configuration: INFERENCE_PROVIDERS /],
    [{ REDIS_URL: 'http://localhost' }, /^Invalid configuration: REDIS_URL must use redis:\/\//],
  ])('rejects %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes a secret value', () => {
    expect(() => loadConfig({ DATABASE_URL: 'not-a-url-with-secret' })).toThrow(
      'Invalid configuration: DATABASE_URL is not a valid URL',
    );
    try {
      loadConfig({ DATABASE_URL: 'not-a-url-with-secret' });
    } catch (error) {
      expect(String(error)).not.toContain('secret');
    }
  });

  it('parses API keys and never echoes them', () => {
    const config = loadConfig({
      API_KEYS: 'ops:read+admin:k3y-that-is-long-enough-1, ci:infer:k3y-that-is-long-enough-2',
    });
    expect(config.API_KEYS).toEqual(['ops:read+admin:k3y-that-is-long-enough-1', 'ci:infer:k3y-that-is-long-enough-2']);
    for (const bad of [
      'ops:root:k3y-that-is-long-enough-1',
      'ops:read:short-secret',
      'no-scopes-k3y-that-is-long-enough',
    ]) {
      expect(() => loadConfig({ API_KEYS: bad })).toThrow(/^Invalid configuration: API_KEYS entries must look like/);
      try {
        loadConfig({ API_KEYS: bad });
      } catch (error) {
        expect(String(error)).not.toMatch(/k3y|short-secret/);
      }
    }
  });

  it('parses lists and booleans', () => {
    const config = loadConfig({ INFERENCE_PROVIDERS: ' CPU ', JOBS_IN_API: 'true', PORT: '8080' });
    expect(config.INFERENCE_PROVIDERS).toEqual(['cpu']);
    expect(config.JOBS_IN_API).toBe(true);
    expect(config.PORT).toBe(8080);
  });
});
