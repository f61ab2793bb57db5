import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { PlatformAdmin } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { MappingSuggestionsDto } from './dto/mapping-suggestions.dto';
import { NOT_TESTED, SAMPLING_FAILED, SUGGEST, SUGGEST_STAGED } from './mapping-suggestions.docs';
import { MappingSuggestionsService } from './mapping-suggestions.service';

@ApiTags('control: tenant data sources (byod)')
@PlatformAdmin()
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such tenant, or no data source (or nothing staged) yet' })
@ApiConflictResponse(NOT_TESTED)
@ApiUnprocessableEntityResponse(SAMPLING_FAILED)
@Controller('control/tenants/:id/data-source')
export class MappingSuggestionsController {
  constructor(private readonly suggestions: MappingSuggestionsService) {}

  @Get('mapping-suggestions')
  @ApiOperation(SUGGEST)
  @ApiOkResponse({ type: MappingSuggestionsDto })
  suggest(@Param('id', ParseUUIDPipe) id: string): Promise<MappingSuggestionsDto> {
    return this.suggestions.forActive(id);
  }

  @Get('staged/mapping-suggestions')
  @ApiOperation(SUGGEST_STAGED)
  @ApiOkResponse({ type: MappingSuggestionsDto })
  suggestStaged(@Param('id', ParseUUIDPipe) id: string): Promise<MappingSuggestionsDto> {
    return this.suggestions.forStaged(id);
  }
}
