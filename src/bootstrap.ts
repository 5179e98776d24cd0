import { AppConfig } from './config/app-config';
import { ConfigError, loadConfig } from './config/load-config';

/** Parses the environment once; a bad value ends the process with one line. */
export function configOrExit(): AppConfig {
  try {
    return new AppConfig(loadConfig(process.env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** Logs a failed start on one line and exits non-zero (the embedded Postgres is already stopped). */
export function exitOnStartupFailure(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Vigil failed to start: ${message}\n`);
  process.exit(1);
}
