/**
 * ln Gamma(x) for x > 0 by the Lanczos approximation with Godfrey's g = 607/128, 15-term
 * coefficients (~1e-15 relative). simple-statistics ships the same approximation as `gammaln`,
 * but it is an ES module that this CommonJS build cannot `require` (TS1479), so it lives here.
 */
const G = 607 / 128;
const COEFFICIENTS = [
  0.99999999999999709182, 57.156235665862923517, -59.597960355475491248, 14.136097974741747174,
  -0.49191381609762019978, 0.33994649984811888699e-4, 0.46523628927048575665e-4, -0.98374475304879564677e-4,
  0.15808870322491248884e-3, -0.21026444172410488319e-3, 0.2174396181152126432e-3, -0.16431810653676389022e-3,
  0.84418223983852743293e-4, -0.2619083840158140867e-4, 0.36899182659531622704e-5,
];
const LOG_SQRT_TWO_PI = 0.5 * Math.log(2 * Math.PI);

export function logGamma(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`logGamma needs a positive finite argument, got ${x}`);
  const z = x - 1;
  let series = COEFFICIENTS[0];
  for (let i = 1; i < COEFFICIENTS.length; i++) series += COEFFICIENTS[i] / (z + i);
  const t = z + G + 0.5;
  return LOG_SQRT_TWO_PI + Math.log(series) - t + (z + 0.5) * Math.log(t);
}
