import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantPermission } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { DataAuditPageDto, DataAuditQueryDto } from './dto/data-audit.dto';
import { DataAuditStores } from './data-audit-stores';

@ApiTags('api: audit')
@Controller('api/audit')
export class TenantAuditController {
  constructor(private readonly stores: DataAuditStores) {}

  @Get()
  @TenantPermission('audit.read')
  @ApiOperation({ summary: 'Changes to the current tenant’s data, newest first, with filters' })
  @ApiOkResponse({ type: DataAuditPageDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  list(@Query() query: DataAuditQueryDto): Promise<DataAuditPageDto> {
    return this.stores.current().list(query);
  }
}
