import { z } from 'zod';
import { DEFAULT_KL_THRESHOLD } from '../drift/stats/defaults';
import { CUSUM_DECISION_H } from '../evaluation/stats/retraining-rule';

const integer = (min: number, max: number) => {
  const error = `must be an integer from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const providers = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((p) => p.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(['cuda', 'webgpu', 'cpu'])).min(1));

const apiKeyEntry = /^[\w.-]{1,64}:(infer|feedback|read|admin)(\+(infer|feedback|read|admin))*:[\x21-\x7e]{20,512}$/;

function url(protocols: string[]) {
  return z
    .string()
    .refine((value) => URL.canParse(value), 'is not a valid URL')
    .refine(
      (value) => !URL.canParse(value) || protocols.includes(new URL(value).protocol),
      `must use ${protocols.map((p) => `${p}//`).join(' or ')}`,
    );
}

// API_KEYS: comma-separated `name:scope+scope:key`; keys are hashed at boot and never logged.
const apiKeys = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(apiKeyEntry, 'entries must look like name:scope+scope:key (key of 20+ characters)')));

const origins = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .refine(
          (value) => URL.canParse(value) && new URL(value).origin === value,
          'entries must be origins such as https://ops.example.com (scheme, host and port; no path or trailing slash)',
        ),
    ),
  );

/** Every environment variable Vigil reads. Parsed once at boot (see load-config.ts). */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // Unset: 0.0.0.0 with API keys, 127.0.0.1 in open mode (src/auth/auth-mode.ts).
  HOST: z.string().min(1).optional(),
  PORT: integer(1, 65535).default(3000),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  DATA_DIR: z.string().min(1).default('./.vigil'),
  EMBEDDED_PG_PORT: integer(0, 65535).default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  JOBS_IN_API: bool.default(false),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[\w-]{1,64}$/, 'must be 1-64 letters, digits, _ or -')
    .default('vigil'),
  JOB_ATTEMPTS: integer(1, 100).default(5),
  JOB_BACKOFF_MS: integer(1, 3_600_000).default(1000),
  INFERENCE_PROVIDERS: providers.default(['cuda', 'cpu']),
  INFERENCE_WORKERS: integer(1, 64).default(1),
  INFERENCE_INTRA_OP_THREADS: integer(0, 256).default(0),
  BATCH_MAX_SIZE: integer(1, 1024).default(32),
  BATCH_MAX_DELAY_MS: integer(0, 1000).default(2),
  BATCH_MAX_QUEUE: integer(1, 1_000_000).default(2048),
  MODEL_DIR: z.string().min(1).optional(),
  MAX_BODY_BYTES: integer(1024, 1024 * 1024 * 1024).default(20 * 1024 * 1024),
  ROUTING_CACHE_MS: integer(0, 60_000).default(1000),
  MAX_REQUEST_ITEMS: integer(1, 100_000).default(256),
  // Files in one multipart upload of a drift reference or an evaluation set (larger: a folder).
  UPLOAD_MAX_FILES: integer(1, 1_000_000).default(10_000),
  MAX_IMAGE_PIXELS: integer(1, 1_000_000_000).default(40_000_000),
  // Decoding is bounded per request (pixels of all its images, from their headers) and per process
  // (images decoded at once; requests waiting beyond which a client gets 503): src/inference/preprocess.
  MAX_REQUEST_PIXELS: integer(1, 10_000_000_000).default(100_000_000),
  // 4: libuv's thread pool (UV_THREADPOOL_SIZE, 4 by default) runs sharp's work, one image per
  // thread; fewer leaves threads idle (digits PNG at c=32: 723 items/s at 3, 821 at 4), more only
  // queues inside libuv, where the gate cannot share between clients.
  MAX_DECODE_CONCURRENCY: integer(1, 256).default(4),
  MAX_DECODE_QUEUE: integer(0, 100_000).default(64),
  // Worker threads that parse infer bodies of 64 KiB and more, off the event loop.
  TENSOR_PARSE_THREADS: integer(1, 64).default(1),
  PREDICTION_LOG_ENABLED: bool.default(true),
  HISTOGRAMS_ENABLED: bool.default(true),
  // Infer and image-body predict answered on node:http before Nest (src/serving/data-plane); false
  // sends them through Nest's Express stack like every other route (slower; same answers).
  INFERENCE_DATA_PLANE: bool.default(true),
  PREDICTION_FLUSH_MS: integer(1, 60_000).default(100),
  PREDICTION_FLUSH_ROWS: integer(1, 100_000).default(1000),
  PREDICTION_BUFFER_MAX: integer(1, 10_000_000).default(200_000),
  PREDICTION_RETENTION_DAYS: integer(1, 3650).default(30),
  // Worker process only: serve its /metrics on this port (the API serves /metrics on PORT).
  METRICS_PORT: integer(1, 65535).optional(),
  SHUTDOWN_TIMEOUT_MS: integer(1000, 600_000).default(25_000), // below Kubernetes' 30 s grace period
  DRIFT_KL_THRESHOLD: z.coerce.number().positive().default(DEFAULT_KL_THRESHOLD),
  DRIFT_WINDOW_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 366)
    .default(24),
  DRIFT_CHECK_INTERVAL_MS: integer(1000, 7 * 24 * 3_600_000).default(5 * 60_000),
  EXPERIMENT_ANALYSIS_INTERVAL_MS: integer(1000, 7 * 24 * 3_600_000).default(5 * 60_000),
  EXPERIMENT_MAX_LATENCY_RATIO: z.coerce.number().min(1).max(1000).default(2),
  EXPERIMENT_MAX_ERROR_RATE_INCREASE: z.coerce.number().min(0).max(1).default(0.01),
  DRIFT_ALERT_AFTER_CHECKS: integer(1, 1000).default(1),
  // Unset: derived per signal and threshold (src/drift/stats/defaults.ts, README "Drift").
  DRIFT_MIN_SAMPLES: integer(1, 10_000_000).optional(),
  // Unset: REFERENCE_TO_WINDOW_RATIO x the window minimum at the version's threshold.
  DRIFT_MIN_REFERENCE_SAMPLES: integer(1, 10_000_000).optional(),
  DRIFT_SIGNALS: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .default(['all']),
  HISTOGRAM_FLUSH_MS: integer(100, 600_000).default(5000),
  // Webhooks: 8 attempts with delays doubling from 10 min = last attempt about 21 h after the first.
  WEBHOOK_MAX_ATTEMPTS: integer(1, 50).default(8),
  WEBHOOK_BACKOFF_MS: integer(1, 86_400_000).default(600_000),
  WEBHOOK_TIMEOUT_MS: integer(100, 120_000).default(10_000),
  WEBHOOK_SWEEP_INTERVAL_MS: integer(1000, 86_400_000).default(60_000),
  // Unset: refused only when NODE_ENV=production (local and test setups deliver to localhost).
  WEBHOOK_ALLOW_PRIVATE_TARGETS: bool.optional(),
  // Weekly evaluation: cron in UTC (default Monday 02:00), the retraining rule and its baseline.
  EVAL_CRON: z.string().min(9).default('0 2 * * 1'),
  EVAL_SCHEDULE_ENABLED: bool.default(true),
  EVAL_MAX_DROP_PP: z.coerce.number().min(0).max(100).default(0.5),
  // Labels one observation of the rule needs (smaller evaluations carry forward), and the CUSUM's
  // decision limit h: defaults from the simulation in README "Evaluation".
  EVAL_MIN_LABELS: integer(1, 100_000_000).default(500),
  EVAL_CUSUM_LIMIT: z.coerce.number().min(1).max(50).default(CUSUM_DECISION_H),
  EVAL_CONFIDENCE_LEVEL: z.coerce.number().gt(0).lt(1).default(0.95),
  EVAL_BASELINE_POLICY: z.enum(['promotion', 'previous']).default('promotion'),
  // Late labels: a week is re-evaluated once its labels grew by this fraction since its last record.
  EVAL_REVISION_COVERAGE_GROWTH: z.coerce.number().gt(0).max(100).default(0.1),
  // Folders of labelled images (labels.csv: file,label) are read only under this directory.
  EVAL_SET_DIR: z.string().min(1).optional(),
  // Folders of drift reference images are read only under this directory.
  REFERENCE_DIR: z.string().min(1).optional(),
  // Access: `keys` demands an API key on every non-public route; `open` (the default outside
  // production) lets anyone in and says so in the log at boot.
  AUTH_MODE: z.enum(['keys', 'open']).optional(),
  API_KEYS: apiKeys.default([]),
  // Read-scoped routes (dashboard data, drift status, /metrics) need no key when true.
  AUTH_PUBLIC_READ: bool.default(false),
  // Requests per minute per API key (a batch is one request); 0 turns the limit off.
  RATE_LIMIT_PER_MINUTE: integer(0, 100_000_000).default(6000),
  // Unknown or revoked keys per client address and minute before 429 (no lookup); 0 turns it off.
  AUTH_FAILURES_PER_MINUTE: integer(0, 1_000_000).default(30),
  // Express' `trust proxy`: whose X-Forwarded-For names the client address (hops, addresses or
  // subnets such as `loopback,10.0.0.0/8`). Unset: the TCP peer is the client.
  TRUST_PROXY: z
    .string()
    .min(1)
    .transform((v) => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v))
    .optional(),
  // Origins (scheme://host[:port]) whose web pages may send state-changing requests; other
  // cross-site requests from browsers are refused (src/auth/cross-site.guard.ts).
  TRUSTED_ORIGINS: origins.default([]),
});

/** Variables whose values must never appear in logs or error messages. */
export const secretVariables: ReadonlySet<string> = new Set(['DATABASE_URL', 'REDIS_URL', 'API_KEYS']);

export type Env = z.infer<typeof envSchema>;
