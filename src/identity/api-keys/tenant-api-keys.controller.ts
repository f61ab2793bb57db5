import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { Actor } from '../../platform/request-context/request-context';
import { ApiKeysService } from '../../control-plane/api-keys/api-keys.service';
import { ApiKeyDto, CreatedApiKeyDto, CreateTenantApiKeyDto } from '../../control-plane/api-keys/dto/api-key.dto';
import { TenantPermission } from '../../platform/access/access.decorators';
import { CurrentActor } from '../../platform/access/current-actor.decorator';
import { RefusesApiKeys } from '../../platform/access/refuses-api-keys.decorator';
import { OutsideTenantStorage } from '../../platform/access/outside-tenant-storage.decorator';

@OutsideTenantStorage()
@ApiTags('api: api keys')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('api/api-keys')
export class TenantApiKeysController {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly context: TenantContext,
  ) {}

  @Post()
  @TenantPermission('api_keys.manage')
  @RefusesApiKeys()
  @ApiOperation({
    summary: 'Create an API key of the current tenant',
    description:
      'The answer holds the key itself, this once; only a hash is stored. The key is sent as `Authorization: Bearer <key>` on /api routes ' +
      'and acts in this tenant with exactly its permissions, as long as its creator still holds them (403 naming each one the creator lacks).',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  create(@Body() dto: CreateTenantApiKeyDto, @CurrentActor() actor: Actor): Promise<CreatedApiKeyDto> {
    return this.apiKeys.createTenantKey(this.context.require().id, actor.userId, dto);
  }

  @Get()
  @TenantPermission('api_keys.manage')
  @ApiOperation({ summary: 'The tenant’s API keys, newest first, revoked and expired ones included; never a secret' })
  @ApiOkResponse({ type: [ApiKeyDto] })
  list(): Promise<ApiKeyDto[]> {
    return this.apiKeys.list({ scope: 'tenant', tenantId: this.context.require().id });
  }

  @Delete(':id')
  @HttpCode(204)
  @TenantPermission('api_keys.manage')
  @RefusesApiKeys()
  @ApiOperation({ summary: 'Revoke an API key: it is refused (401) from now on' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such key in this tenant' })
  revoke(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<void> {
    return this.apiKeys.revoke({ scope: 'tenant', tenantId: this.context.require().id }, id, actor.userId);
  }
}
