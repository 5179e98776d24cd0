import { envSchema, Env, secretVariables } from './env.schema';

export class ConfigError extends Error {}

/** Parses the environment; throws one line naming the variable and the problem. */
export function loadConfig(source: NodeJS.ProcessEnv): Env {
  const present = Object.fromEntries(
    Object.entries(source).filter(([key, value]) => key in envSchema.shape && value !== ''),
  );
  const result = envSchema.safeParse(present);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = String(issue.path[0]);
  const shown = secretVariables.has(variable) ? '' : ` (got ${JSON.stringify(present[variable])})`;
  throw new ConfigError(`Invalid configuration: ${variable} ${issue.message}${shown}`);
}
