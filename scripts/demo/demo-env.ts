/**
 * Service settings for the demo: the same code paths as production, with shorter periods so the
 * story moves in minutes. Shared by `npm run demo` and the dashboard browser test.
 */
export const demoServiceEnv: Readonly<Record<string, string>> = {
  DRIFT_CHECK_INTERVAL_MS: '2000',
  EXPERIMENT_ANALYSIS_INTERVAL_MS: '3000',
  HISTOGRAM_FLUSH_MS: '1000',
  WEBHOOK_BACKOFF_MS: '1000',
  WEBHOOK_SWEEP_INTERVAL_MS: '5000',
  // Compare a newly promoted version with its predecessor (the default compares it with itself).
  EVAL_BASELINE_POLICY: 'previous',
  // The receiver runs on 127.0.0.1.
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  // The fixtures' reference split has 599 images; the default minimum reference is 1,610.
  DRIFT_MIN_REFERENCE_SAMPLES: '599',
};

/** What the demo speeds up or triggers by hand, printed at its start so nobody mistakes it for defaults. */
export const demoAccelerations: readonly string[] = [
  'drift checks every 2 s (default 5 min), over the usual 24 h window; nothing is back-dated',
  'experiment analysis every 3 s (default 5 min); the always-valid decision rule allows any polling rate',
  'histogram counts flushed every 1 s (default 5 s), failed webhooks retried after 1 s (default 10 min)',
  'a drift reference of 599 images is accepted (DRIFT_MIN_REFERENCE_SAMPLES; the default asks 1,610, see README "Drift")',
  'the "weekly" evaluation is run now over the demo traffic (POST /v1/models/:name/evaluations) instead of waiting for Monday 02:00 UTC',
  'traffic is replayed as fast as the service answers: minutes of demo stand for days of production',
];
