import { nextAlertState, type AlertState } from './alert-rule';
import { quantileEdges } from './bin-edges';
import { DEFAULT_PSEUDOCOUNT, DEFAULT_QUANTILE_BINS } from './defaults';
import { assessSignal, defaultMinSamples, overallStateOf, signalState, type DriftState } from './drift-decision';
import { poissonMeanInterval } from './poisson-interval';
import { draw, mulberry32, type Random } from './seeded-random';
import { classCounts, histogram, uniformBinMass } from './simulation';

/**
 * The production alert rule over time, under i.i.d. traffic (nothing drifts): a rolling window
 * checked every `checkIntervalMinutes`, consecutive windows overlapping, every signal through
 * signalState and overallStateOf, alerts through nextAlertState. Each simulated model version
 * draws its reference once and lives one month; an unlucky reference is a persistent offset,
 * the main source of false alerts (README "Drift").
 *
 * Traffic arrives at an even pace, so every window holds exactly `imagesPerDay` images (for a 24 h
 * window): the worst case for the minimum-size gate, which never holds a check back. Counts are
 * kept per check interval (the service keeps them per minute; windows move by whole intervals).
 * KL comes from the counts with a table of (c+a) ln(c+a): the same number as klDivergence
 * (crossCheck compares every check with assessSignal).
 */
export type SignalModel = { kind: 'quantile' } | { kind: 'class'; priors: readonly number[] };

/**
 * A grayscale image model's five signals: pixel, brightness, contrast and confidence (quantile
 * bins, whose null behaviour does not depend on the distribution: edges are reference quantiles)
 * and the predicted class. The service divides pixel counts by the pixels per image, which only
 * lowers their KL; an image-level signal is the conservative stand-in.
 */
export const FIVE_SIGNALS: readonly SignalModel[] = [
  { kind: 'quantile' },
  { kind: 'quantile' },
  { kind: 'quantile' },
  { kind: 'quantile' },
  { kind: 'class', priors: [0.4, 0.15, 0.1, 0.08, 0.07, 0.06, 0.05, 0.04, 0.03, 0.02] },
];

export interface AlertSimulationSettings {
  referenceImages: number;
  imagesPerDay: number;
  months: number;
  seed: number;
  threshold: number;
  alertAfterChecks: number;
  windowHours: number;
  checkIntervalMinutes: number;
  /** DRIFT_MIN_SAMPLES; unset: each signal's default for its reference (defaultMinSamples). */
  minSamples?: number;
  signals?: readonly SignalModel[];
  daysPerMonth?: number;
  /** Also run assessSignal on every signal of every check and throw on any difference. */
  crossCheck?: boolean;
}

export interface AlertSimulationResult {
  months: number;
  checksPerMonth: number;
  /** `drift.detected` events: every one is false, nothing drifts. */
  falseAlerts: number;
  perMonth: number;
  /**
   * 95% interval of the rate per model-month. Alerts cluster in unlucky references, so counts are
   * not Poisson: the wider of Garwood's interval and mean +- 1.96 SE over per-version counts. With
   * no alert it is Garwood's [0, 3.69 / months], which also bounds the share of months with one.
   */
  perMonthInterval: [number, number];
  /** Model-months with at least one false alert. */
  monthsWithAlerts: number;
  /** Share of the false alerts from the 1% of versions (references) with the most. */
  shareFromWorstPercent: number;
  /** Fraction of checks whose overall state was drift. */
  driftCheckShare: number;
}

/** Walker's alias table: one uniform per draw from a k-bin distribution. */
class AliasTable {
  private readonly probability: Float64Array;
  private readonly alias: Uint8Array;

  constructor(weights: readonly number[]) {
    const k = weights.length;
    const sum = weights.reduce((a, b) => a + b, 0);
    const scaled = weights.map((w) => (w * k) / sum);
    this.probability = new Float64Array(k).fill(1);
    this.alias = Uint8Array.from({ length: k }, (_, i) => i);
    const small = scaled.flatMap((p, i) => (p < 1 ? [i] : []));
    const large = scaled.flatMap((p, i) => (p >= 1 ? [i] : []));
    while (small.length && large.length) {
      const [less, more] = [small.pop()!, large.pop()!];
      this.probability[less] = scaled[less];
      this.alias[less] = more;
      scaled[more] -= 1 - scaled[less];
      (scaled[more] < 1 ? small : large).push(more);
    }
  }

  draw(random: Random): number {
    const u = random() * this.probability.length;
    const i = u | 0;
    return u - i < this.probability[i] ? i : this.alias[i];
  }
}

/**
 * One reference for one signal model, as the service draws and bins it, and the true bin
 * probabilities of the traffic: a uniform value falls in bin i with the width of [e_(i-1), e_i)
 * (edges are reference quantiles, so any continuous distribution gives the same counts).
 */
function referenceFor(model: SignalModel, random: Random, nReference: number): [number[], number[]] {
  if (model.kind === 'class') return [classCounts(random, model.priors, nReference), [...model.priors]];
  const values = draw(random, nReference, (r) => r());
  const edges = quantileEdges(values, DEFAULT_QUANTILE_BINS);
  return [histogram(edges, values), uniformBinMass(edges)];
}

/** A signal's reference and its window, with S = sum (c+a)(ln(c+a) - ln Q) kept as images slide. */
class SimulatedSignal {
  readonly reference: number[];
  readonly minSamples: number;
  readonly counts: Int32Array;
  private readonly traffic: AliasTable;
  private readonly logReference: Float64Array;
  private readonly ring: Uint8Array;
  private readonly denominator: number;
  private readonly logDenominator: number;
  private sum = 0;

  constructor(
    model: SignalModel,
    random: Random,
    s: AlertSimulationSettings,
    private readonly xLogX: Float64Array,
  ) {
    const [reference, probabilities] = referenceFor(model, random, s.referenceImages);
    this.reference = reference;
    this.traffic = new AliasTable(probabilities);
    const denominator = s.referenceImages + reference.length * DEFAULT_PSEUDOCOUNT;
    this.logReference = Float64Array.from(reference, (r) => Math.log((r + DEFAULT_PSEUDOCOUNT) / denominator));
    this.minSamples = s.minSamples ?? defaultMinSamples(reference, s.threshold);
    this.counts = new Int32Array(reference.length);
    this.ring = new Uint8Array(xLogX.length - 1);
    this.denominator = this.ring.length + reference.length * DEFAULT_PSEUDOCOUNT;
    this.logDenominator = Math.log(this.denominator);
    for (let i = 0; i < this.ring.length; i++) {
      this.ring[i] = this.traffic.draw(random);
      this.counts[this.ring[i]]++;
    }
    this.recompute();
  }

  /** Exact S from the counts (also bounds the rounding the updates accumulate). */
  recompute(): void {
    let sum = 0;
    for (let i = 0; i < this.counts.length; i++) {
      sum += this.xLogX[this.counts[i]] - (this.counts[i] + DEFAULT_PSEUDOCOUNT) * this.logReference[i];
    }
    this.sum = sum;
  }

  /** The image at `position` leaves the window and a new one takes its place. */
  slide(position: number, random: Random): void {
    const leaving = this.ring[position];
    const arriving = this.traffic.draw(random);
    if (leaving === arriving) return;
    const { counts, xLogX, logReference } = this;
    this.sum -= xLogX[counts[leaving]] - xLogX[counts[leaving] - 1] - logReference[leaving];
    counts[leaving]--;
    this.sum += xLogX[counts[arriving] + 1] - xLogX[counts[arriving]] - logReference[arriving];
    counts[arriving]++;
    this.ring[position] = arriving;
  }

  /** KL(P_cur || P_ref) = S/D - ln D with D = n + k a: klDivergence's number, from the counts. */
  kl(): number {
    return Math.max(0, this.sum / this.denominator - this.logDenominator);
  }
}

function crossCheck(signal: SimulatedSignal, kl: number, state: DriftState, threshold: number): void {
  const real = assessSignal({
    current: Array.from(signal.counts),
    reference: signal.reference,
    threshold,
    minSamples: signal.minSamples,
  });
  if (real.state !== state || Math.abs(real.kl - kl) > 1e-9 * Math.max(1, real.kl)) {
    throw new Error(`alert simulation disagrees with assessSignal: ${kl}/${state} vs ${real.kl}/${real.state}`);
  }
}

/** False `drift.detected` of one model version over one month. */
function simulateVersion(s: AlertSimulationSettings, random: Random, xLogX: Float64Array, tally: Tally): number {
  const buckets = Math.round((s.windowHours * 60) / s.checkIntervalMinutes);
  const n = Math.round((s.imagesPerDay * s.windowHours) / 24);
  const signals = (s.signals ?? FIVE_SIGNALS).map((model) => new SimulatedSignal(model, random, s, xLogX));
  const rules = signals.map((signal) => ({ threshold: s.threshold, minSamples: signal.minSamples }));
  const states = new Array<DriftState>(signals.length);
  const checks = Math.round(((s.daysPerMonth ?? 30) * 24 * 60) / s.checkIntervalMinutes);
  let alert: AlertState | null = null;
  let alerts = 0;
  let position = 0;
  for (let check = 1; check <= checks; check++) {
    // Arrivals in this interval at an even pace: the window keeps exactly n images.
    const arriving = Math.ceil(((check + 1) * n) / buckets) - Math.ceil((check * n) / buckets);
    for (let i = 0; i < arriving; i++) {
      for (let j = 0; j < signals.length; j++) signals[j].slide(position, random);
      position = position + 1 === n ? 0 : position + 1;
    }
    for (let j = 0; j < signals.length; j++) {
      if (check % buckets === 0) signals[j].recompute();
      const kl = signals[j].kl();
      states[j] = signalState(kl, n, s.referenceImages, rules[j]);
      if (s.crossCheck) crossCheck(signals[j], kl, states[j], s.threshold);
    }
    const state = overallStateOf(states);
    if (state === 'drift') tally.driftChecks++;
    const next = nextAlertState(alert, state, s.alertAfterChecks);
    if (next.alerting && !alert?.alerting) alerts++;
    alert = next;
  }
  tally.checks += checks;
  return alerts;
}

interface Tally {
  checks: number;
  driftChecks: number;
}

function rateInterval(perVersion: readonly number[]): [number, number] {
  const months = perVersion.length;
  const mean = perVersion.reduce((a, b) => a + b, 0) / months;
  const variance = perVersion.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, months - 1);
  const halfWidth = 1.96 * Math.sqrt(variance / months);
  const [lo, hi] = poissonMeanInterval(Math.round(mean * months)).map((x) => x / months);
  return [Math.max(0, Math.min(lo, mean - halfWidth)), Math.max(hi, mean + halfWidth)];
}

export function simulateFalseAlerts(settings: AlertSimulationSettings): AlertSimulationResult {
  const random = mulberry32(settings.seed);
  const n = Math.round((settings.imagesPerDay * settings.windowHours) / 24);
  const xLogX = Float64Array.from(
    { length: n + 1 },
    (_, c) => (c + DEFAULT_PSEUDOCOUNT) * Math.log(c + DEFAULT_PSEUDOCOUNT),
  );
  const tally: Tally = { checks: 0, driftChecks: 0 };
  const perVersion: number[] = [];
  for (let month = 0; month < settings.months; month++)
    perVersion.push(simulateVersion(settings, random, xLogX, tally));
  const falseAlerts = perVersion.reduce((a, b) => a + b, 0);
  const worst = [...perVersion].sort((a, b) => b - a).slice(0, Math.max(1, Math.round(settings.months / 100)));
  return {
    months: settings.months,
    checksPerMonth: tally.checks / settings.months,
    falseAlerts,
    perMonth: falseAlerts / settings.months,
    perMonthInterval: rateInterval(perVersion),
    monthsWithAlerts: perVersion.filter((a) => a > 0).length,
    shareFromWorstPercent: falseAlerts === 0 ? 0 : worst.reduce((a, b) => a + b, 0) / falseAlerts,
    driftCheckShare: tally.driftChecks / tally.checks,
  };
}
