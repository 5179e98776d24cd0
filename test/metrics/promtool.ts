import { spawnSync } from 'node:child_process';

export interface PromtoolResult {
  status: number | null;
  output: string;
}

/** Whether promtool is on PATH, asked once when the suites are defined. */
function promtoolInstalled(): boolean {
  const result = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return false;
  if (result.error) throw result.error;
  return true;
}

const hasPromtool = promtoolInstalled();
if (!hasPromtool && process.env.REQUIRE_PROMTOOL === '1') {
  throw new Error('REQUIRE_PROMTOOL=1 but promtool is not installed (apt-get install prometheus)');
}
if (!hasPromtool) {
  console.warn(
    `\n${'!'.repeat(78)}\n!! SKIPPED: promtool check metrics, promtool not found.\n` +
      `!! Install prometheus to run it; REQUIRE_PROMTOOL=1 turns this skip into a failure.\n${'!'.repeat(78)}\n`,
  );
}

/**
 * `it` for a promtool check: without promtool the test is reported as skipped, never as a pass
 * (and REQUIRE_PROMTOOL=1 has already failed the suite above).
 */
export const itWithPromtool: jest.It = hasPromtool ? it : it.skip;

/** `promtool check metrics` on the exact text. */
export function promtoolCheck(text: string): PromtoolResult {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}
