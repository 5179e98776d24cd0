/**
 * ln Gamma(x) for x > 0 by the Lanczos approximation with Godfrey's g = 607/128, 15-term
 * coefficients (~1e-15 relative). simple-statistics ships the same approximation as `gammaln`,
 * but it is an ES module that this CommonJS build cannot `require` (TS1479), so it lives here.
 */
const G = 607 / 128;
const COEFFICIENTS = [
  0.9999999999999971, 57.15623566586292, -59.59796035547549, 14.136097974741746, -0.4919138160976202,
  3.399464998481189e-5, 4.652362892704858e-5, -9.837447530487956e-5, 0.0001580887032249125, -0.00021026444172410488,
  0.00021743961811521265, -0.0001643181065367639, 8.441822398385275e-5, -2.6190838401581408e-5, 3.6899182659531625e-6,
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
