/**
 * Redis-dependent suites: run when REDIS_URL is set; otherwise skipped loudly, or failed
 * when REQUIRE_REDIS=1 (set by .ci/run) so CI can never silently skip them.
 */
export const redisUrl = process.env.REDIS_URL;

export const describeWithRedis: jest.Describe = ((name: string, fn: () => void) => {
  if (redisUrl) return describe(name, fn);
  if (process.env.REQUIRE_REDIS === '1') {
    // jest-circus has no global fail(): throwing is what fails a test.
    return describe(name, () =>
      it('needs REDIS_URL (REQUIRE_REDIS=1)', () => {
        throw new Error('REDIS_URL is not set, and REQUIRE_REDIS=1 forbids skipping this suite');
      }),
    );
  }
  console.warn(`\n*** SKIPPED (no REDIS_URL): ${name} ***\n`);
  return describe.skip(name, fn);
}) as jest.Describe;
