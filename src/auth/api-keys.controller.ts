import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { parseInput } from '../common/validation';
import { ApiKeyEntity } from './api-key.entity';
import { apiKeyIdSchema, createApiKeySchema } from './api-key.dto';
import { ApiKeysService } from './api-keys.service';
import { RequireScope } from './scopes';

const keyView = (key: ApiKeyEntity) => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  scopes: key.scopes,
  createdAt: key.createdAt.toISOString(),
  revokedAt: key.revokedAt?.toISOString() ?? null,
});

@Controller('v1/api-keys')
@RequireScope('admin')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /** The answer carries the key; only its hash is stored, so it is never shown again. */
  @Post()
  async create(@Body() body: unknown) {
    const { name, scopes } = parseInput(createApiKeySchema, body, 'body');
    const { key, entity } = await this.keys.create(name, [...new Set(scopes)]);
    return { ...keyView(entity), key };
  }

  @Get()
  async list() {
    return { apiKeys: (await this.keys.list()).map(keyView) };
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param('id') id: string): Promise<void> {
    await this.keys.revoke(parseInput(apiKeyIdSchema, id, 'id'));
  }
}
