import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { notFound } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyRepository } from './api-key.repository';
import { AuthMode, authModeOf } from './auth-mode';
import { Scope } from './scopes';

/** Who is calling: a key from API_KEYS (`config:<name>`) or one managed through the API. */
export interface Principal {
  id: string;
  name: string;
  scopes: readonly Scope[];
}

// Revocation through the API reaches other replicas within this time.
const KEY_CACHE_MS = 5000;
const KEY_CACHE_MAX = 10_000;

const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/**
 * API keys are 32 random bytes, so a single SHA-256 is enough to store them (no password
 * stretching needed); lookups are by hash, cached briefly.
 */
@Injectable()
export class ApiKeysService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApiKeysService.name);
  private readonly configured = new Map<string, Principal>();
  private readonly cache = new Map<string, { principal: Principal | null; expires: number }>();
  readonly mode: AuthMode;

  constructor(
    private readonly config: AppConfig,
    private readonly repository: ApiKeyRepository,
  ) {
    this.mode = authModeOf(config);
    for (const entry of config.API_KEYS) {
      const [name, scopes] = entry.split(':', 2);
      const key = entry.slice(name.length + scopes.length + 2);
      this.configured.set(hashKey(key), { id: `config:${name}`, name, scopes: scopes.split('+') as Scope[] });
    }
  }

  onApplicationBootstrap(): void {
    if (this.mode === 'open') {
      this.logger.warn('AUTH_MODE=open: every route is reachable without an API key (set AUTH_MODE=keys)');
    } else if (![...this.configured.values()].some((key) => key.scopes.includes('admin'))) {
      this.logger.warn('AUTH_MODE=keys without an admin key in API_KEYS: only keys stored earlier can manage keys');
    }
  }

  /** The principal of a key known to be valid without a query (configured, or cached); else undefined. */
  knownPrincipal(key: string): Principal | undefined {
    const hash = hashKey(key);
    const cached = this.cache.get(hash);
    return this.configured.get(hash) ?? (cached && cached.expires > Date.now() ? cached.principal : null) ?? undefined;
  }

  async authenticate(key: string): Promise<Principal | null> {
    const hash = hashKey(key);
    const fromConfig = this.configured.get(hash);
    if (fromConfig) return fromConfig;
    const cached = this.cache.get(hash);
    if (cached && cached.expires > Date.now()) return cached.principal;
    const stored = await this.repository.findActiveByHash(hash);
    const principal = stored ? { id: stored.id, name: stored.name, scopes: stored.scopes } : null;
    if (this.cache.size >= KEY_CACHE_MAX) this.cache.clear();
    this.cache.set(hash, { principal, expires: Date.now() + KEY_CACHE_MS });
    return principal;
  }

  /** The key itself is returned here only; it cannot be recovered later. */
  async create(name: string, scopes: Scope[]): Promise<{ key: string; entity: ApiKeyEntity }> {
    const key = `vgl_${randomBytes(32).toString('base64url')}`;
    const entity = await this.repository.insert({ name, scopes, prefix: key.slice(0, 12), keyHash: hashKey(key) });
    return { key, entity };
  }

  list(): Promise<ApiKeyEntity[]> {
    return this.repository.list();
  }

  async revoke(id: string): Promise<void> {
    if (!(await this.repository.revoke(id))) throw notFound('api_key_not_found', `No active API key with id ${id}`);
    this.cache.clear();
  }
}
