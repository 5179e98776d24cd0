import type { AppConfig } from '../config/app-config';

export type AuthMode = 'keys' | 'open';

/** `keys` unless set otherwise, except outside production, where the default is `open`. */
export function authModeOf(config: Pick<AppConfig, 'AUTH_MODE' | 'NODE_ENV'>): AuthMode {
  return config.AUTH_MODE ?? (config.NODE_ENV === 'production' ? 'keys' : 'open');
}

/**
 * Where the API (and the worker's metrics port) listens: HOST when set; otherwise every
 * interface with API keys, and loopback only in open mode, where anyone who can connect is admin.
 */
export function listenHost(config: Pick<AppConfig, 'HOST' | 'AUTH_MODE' | 'NODE_ENV'>): string {
  return config.HOST ?? (authModeOf(config) === 'open' ? '127.0.0.1' : '0.0.0.0');
}
