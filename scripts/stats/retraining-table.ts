/**
 * Prints README "Evaluation"'s tables from the seeded simulation (`npm run sim:retraining`):
 * the rule before issue 18 and the CUSUM rule, false triggers per model-year and detection delays.
 */
import {
  detectionDelay,
  falseTriggerRate,
  pointEstimateRule,
  Scenario,
  yearlyChance,
} from '../../src/evaluation/stats/retraining-simulation';
import { CUSUM_DECISION_H } from '../../src/evaluation/stats/retraining-rule';

const MODELS = Number(process.env.SIM_MODELS ?? 1000);
const YEARS = 10;
// SIM_ROWS=labels:accuracy,... and EVAL_CUSUM_LIMIT / EVAL_MIN_LABELS try your own volume and settings.
const settings = {
  maxDropPp: 0.5,
  minLabels: Number(process.env.EVAL_MIN_LABELS ?? 500),
  level: 0.95,
  decisionLimit: Number(process.env.EVAL_CUSUM_LIMIT ?? CUSUM_DECISION_H),
};
const at = (labelsPerWeek: number, accuracy = 0.85): Scenario => ({ accuracy, labelsPerWeek, settings });
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const delay = (d: ReturnType<typeof detectionDelay>) =>
  d.median === null ? `${pct(d.caught)} caught` : `${d.median} / ${d.p90} (${pct(d.caught)})`;

console.log(`\nBefore issue 18: two independent weeks at accuracy 0.85, 20,000 pairs (point drop > 0.5 pp)\n`);
console.log(
  '| labels per week | no-change weeks that fire | years with a false trigger | fire if also significant | 2 pp drop caught / significant |',
);
console.log('|---:|---:|---:|---:|---|');
for (const labels of [200, 1_000, 3_000, 10_000]) {
  const none = pointEstimateRule(labels, at(labels), 0, 20_000);
  const two = pointEstimateRule(labels + 1, at(labels), 2, 20_000);
  console.log(
    `| ${labels.toLocaleString('en')} | ${pct(none.fires)} | ${pct(yearlyChance(none.fires))} | ${pct(none.significant)} | ${pct(two.fires)} / ${pct(two.significant)} |`,
  );
}

console.log(
  `\nCUSUM rule (k 0.5, h ${settings.decisionLimit}, z > 4, min ${settings.minLabels} labels per observation), ${MODELS} models x ${YEARS} years each\n`,
);
console.log(
  '| labels per week | accuracy | false triggers per model-year (95% upper) | 1 pp drop: weeks median / p90 (caught in 2 y) | 2 pp | 5 pp |',
);
console.log('|---:|---:|---:|---|---|---|');
const custom = process.env.SIM_ROWS?.split(',').map((row) => row.split(':').map(Number) as [number, number]);
const rows: Array<[number, number]> = custom ?? [
  [200, 0.85],
  [1_000, 0.85],
  [3_000, 0.85],
  [10_000, 0.85],
  [500, 0.95],
  [500, 0.99],
  [1_000, 0.99],
];
for (const [labels, accuracy] of rows) {
  const scenario = at(labels, accuracy);
  const rate = falseTriggerRate(labels * 7 + 1, scenario, MODELS, YEARS);
  const delays = [1, 2, 5].map((pp) => delay(detectionDelay(labels + pp, scenario, pp, Math.round(MODELS / 2))));
  const oneIn = rate.perModelYear > 0 ? ` (1 in ${Math.round(1 / rate.perModelYear)} y)` : '';
  console.log(
    `| ${labels.toLocaleString('en')} | ${accuracy} | ${rate.perModelYear.toFixed(4)}${oneIn} (${rate.upper95.toFixed(4)}) | ${delays.join(' | ')} |`,
  );
}
