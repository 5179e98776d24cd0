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

  it('parses lists and booleans', () => {
    const config = loadConfig({ INFERENCE_PROVIDERS: ' CPU ', JOBS_IN_API: 'true', PORT: '8080' });
    expect(config.INFERENCE_PROVIDERS).toEqual(['cpu']);
    expect(config.JOBS_IN_API).toBe(true);
    expect(config.PORT).toBe(8080);
  });
});
