import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AccessAudit } from './access-audit';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { AuthFailureThrottle } from './auth-failure-throttle';
import { CrossSiteGuard } from './cross-site.guard';
import { RateLimitStore } from './rate-limit-store';
import { RequestRateLimiter } from './request-rate-limiter';

/** API role only: API keys with scopes, the per-key rate limit, the per-address throttle of failed keys, and the boot-time access audit. */
@Module({
  imports: [DiscoveryModule],
  controllers: [ApiKeysController],
  providers: [
    ApiKeyRepository,
    ApiKeysService,
    RateLimitStore,
    RequestRateLimiter,
    AuthFailureThrottle,
    AccessAudit,
    CrossSiteGuard,
    ApiKeyGuard,
    // In this order: a cross-site request is refused before its key is looked up.
    { provide: APP_GUARD, useExisting: CrossSiteGuard },
    { provide: APP_GUARD, useExisting: ApiKeyGuard },
  ],
  exports: [CrossSiteGuard, ApiKeyGuard],
})
export class AuthModule {}
