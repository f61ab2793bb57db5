import { Controller, Get } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { TenantPermission } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { MappingSuggestionsDto } from './dto/mapping-suggestions.dto';
import { NOT_TESTED, SAMPLING_FAILED, SUGGEST, SUGGEST_STAGED } from './mapping-suggestions.docs';
import { MappingSuggestionsService } from './mapping-suggestions.service';

/** The same proposals as /control/tenants/:id/data-source/mapping-suggestions, for the tenant's own admin. */
@ApiTags('api: tenant data source (byod)')
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No data source (or nothing staged) yet' })
@ApiConflictResponse(NOT_TESTED)
@ApiUnprocessableEntityResponse(SAMPLING_FAILED)
@Controller('api/tenant/data-source')
export class TenantMappingSuggestionsController {
  constructor(
    private readonly suggestions: MappingSuggestionsService,
    private readonly context: TenantContext,
  ) {}

  @Get('mapping-suggestions')
  @TenantPermission('data_source.manage')
  @ApiOperation(SUGGEST)
  @ApiOkResponse({ type: MappingSuggestionsDto })
  suggest(): Promise<MappingSuggestionsDto> {
    return this.suggestions.forActive(this.context.require().id);
  }

  @Get('staged/mapping-suggestions')
  @TenantPermission('data_source.manage')
  @ApiOperation(SUGGEST_STAGED)
  @ApiOkResponse({ type: MappingSuggestionsDto })
  suggestStaged(): Promise<MappingSuggestionsDto> {
    return this.suggestions.forStaged(this.context.require().id);
  }
}
