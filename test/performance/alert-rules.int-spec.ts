import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { itWithPromtool } from '../metrics/promtool';

/**
 * deploy/alerts/vigil-rules.yml (README "Alert rules"): valid for Prometheus, every rule unit-tested
 * with promtool, and every metric it reads is one Vigil exports.
 */
const dir = join(__dirname, '..', '..', 'deploy', 'alerts');
const rules = readFileSync(join(dir, 'vigil-rules.yml'), 'utf8');
const tests = readFileSync(join(dir, 'vigil-rules.test.yml'), 'utf8');
const alertNames = [...rules.matchAll(/^\s*- alert: (\w+)$/gm)].map((m) => m[1]);

function promtool(...args: string[]) {
  const result = spawnSync('promtool', args, { cwd: dir, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

/** Every vigil_* name registered in src/ (as a string literal), to catch a rule on a metric that does not exist. */
function exportedMetricNames(): Set<string> {
  const names = new Set<string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/'(vigil_[a-z_]+)'/g)) names.add(m[1]);
      }
    }
  };
  walk(join(__dirname, '..', '..', 'src'));
  return names;
}

describe('Prometheus alert rules', () => {
  it('has the rules the issue names', () => {
    expect(alertNames).toEqual(
      expect.arrayContaining([
        'VigilDriftDetected',
        'VigilEstimatedAccuracyDrop',
        'VigilRealizedAccuracyDrop',
        'VigilExperimentDecided',
        'VigilWebhookDeliveriesFailing',
        'VigilPredictionRowsDropped',
        'VigilJobQueueBacklog',
      ]),
    );
  });

  it('has a promtool test case that expects each rule to fire', () => {
    const firing = (name: string) => new RegExp(`alertname: ${name}\\n\\s+exp_alerts:\\n\\s+- exp_labels`).test(tests);
    expect(alertNames.filter((name) => !firing(name))).toEqual([]);
  });

  it('reads only metrics Vigil exports', () => {
    const used = new Set([...rules.matchAll(/\b(vigil_[a-z_]+)/g)].map((m) => m[1]));
    const exported = exportedMetricNames();
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
  });

  itWithPromtool('passes `promtool check rules`', () => {
    const result = promtool('check', 'rules', 'vigil-rules.yml');
    expect(result.status).toBe(0);
    expect(result.output).toContain(`SUCCESS: ${alertNames.length} rules found`);
  });

  itWithPromtool('passes `promtool test rules`', () => {
    expect(promtool('test', 'rules', 'vigil-rules.test.yml')).toEqual({
      status: 0,
      output: expect.stringContaining('SUCCESS'),
    });
  });
});
