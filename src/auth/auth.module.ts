import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AccessAudit } from './access-audit';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { RequestRateLimiter } from './request-rate-limiter';

/** API role only: API keys with scopes, the per-key rate limit, and the boot-time access audit. */
@Module({
  imports: [DiscoveryModule],
  controllers: [ApiKeysController],
  providers: [
    ApiKeyRepository,
    ApiKeysService,
    RequestRateLimiter,
    AccessAudit,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
  ],
})
export class AuthModule {}
