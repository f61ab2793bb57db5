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
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { Actor } from '../../platform/request-context/request-context';
import { ApiKeysService } from '../../control-plane/api-keys/api-keys.service';
import { ApiKeyDto, CreatedApiKeyDto, CreatePlatformApiKeyDto } from '../../control-plane/api-keys/dto/api-key.dto';
import { PlatformAdmin } from '../../platform/access/access.decorators';
import { CurrentActor } from '../../platform/access/current-actor.decorator';
import { RefusesApiKeys } from '../../platform/access/refuses-api-keys.decorator';

@ApiTags('control: api keys')
@PlatformAdmin()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('control/api-keys')
export class PlatformApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @RefusesApiKeys()
  @ApiOperation({
    summary: 'Create a platform API key',
    description:
      'The answer holds the key itself, this once; only a hash is stored. Sent as `Authorization: Bearer <key>` on /control routes, ' +
      'it acts as a platform admin while its creator is one, except on routes that refuse API keys (creating or revoking keys, ' +
      'changing platform roles, changing users).',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  create(@Body() dto: CreatePlatformApiKeyDto, @CurrentActor() actor: Actor): Promise<CreatedApiKeyDto> {
    return this.apiKeys.createPlatformKey(actor.userId, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The platform API keys, newest first, revoked and expired ones included; never a secret' })
  @ApiOkResponse({ type: [ApiKeyDto] })
  list(): Promise<ApiKeyDto[]> {
    return this.apiKeys.list({ scope: 'platform' });
  }

  @Delete(':id')
  @HttpCode(204)
  @RefusesApiKeys()
  @ApiOperation({ summary: 'Revoke a platform API key: it is refused (401) from now on' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such platform key' })
  revoke(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<void> {
    return this.apiKeys.revoke({ scope: 'platform' }, id, actor.userId);
  }
}
