import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { parseInput } from '../common/validation';
import { ApiErrors } from '../openapi/errors';
import { ApiJsonBody, ApiResult, ApiUuidParam } from '../openapi/operation';
import { requestRef } from '../openapi/schema-registry';
import { apiKeyCreated, apiKeyList } from '../openapi/schemas/api-keys.schemas';
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

@ApiTags('API keys')
@Controller('v1/api-keys')
@RequireScope('admin')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /** The answer carries the key; only its hash is stored, so it is never shown again. */
  @Post()
  @ApiOperation({
    summary: 'Create an API key',
    description: 'The answer carries the key; only its hash is stored, so it is never shown again.',
  })
  @ApiJsonBody(requestRef('CreateApiKeyRequest', createApiKeySchema))
  @ApiResult(201, apiKeyCreated, 'The key, shown this once')
  @ApiErrors(400, 413)
  async create(@Body() body: unknown) {
    const { name, scopes } = parseInput(createApiKeySchema, body, 'body');
    const { key, entity } = await this.keys.create(name, [...new Set(scopes)]);
    return { ...keyView(entity), key };
  }

  @Get()
  @ApiOperation({ summary: 'List API keys', description: 'Names, prefixes and scopes; never the keys.' })
  @ApiResult(200, apiKeyList, 'Every key, revoked ones included')
  async list() {
    return { apiKeys: (await this.keys.list()).map(keyView) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key' })
  @ApiUuidParam('id', 'API key id')
  @ApiResponse({ status: 204, description: 'Revoked' })
  @ApiErrors(400, 404)
  async revoke(@Param('id') id: string): Promise<void> {
    await this.keys.revoke(parseInput(apiKeyIdSchema, id, 'id'));
  }
}
