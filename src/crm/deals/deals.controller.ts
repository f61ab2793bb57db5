import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { TenantModule, TenantPermission } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { OWNER_NOT_FOUND } from '../../control-plane/tenant-binding/tenant-members';
import { CurrentTenantSettings } from '../../control-plane/tenant-settings/current-tenant-settings';
import { CreateDealDto, DealDto, DealPageDto, ListDealsQueryDto, UpdateDealDto } from './dto/deal.dto';
import { DealsStores } from './deals-stores';
import { TenantRecordIdPipe } from '../../control-plane/tenant-binding/tenant-record-id.pipe';
import { ServedFromTenantSystem } from '../mapped-sources/byod-answers.openapi';
import { Idempotent } from '../../platform/idempotency/idempotent.decorator';

@ApiTags('api: deals')
@TenantModule('deals')
@ServedFromTenantSystem()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input, including custom fields; `details` names the fields' })
@Controller('api/deals')
export class DealsController {
  constructor(
    private readonly stores: DealsStores,
    private readonly tenantSettings: CurrentTenantSettings,
  ) {}

  @Post()
  @Idempotent()
  @TenantPermission('deals.write')
  @ApiOperation({ summary: 'Create a deal; with line items its amount is their exact total; currency defaults to the tenant’s' })
  @ApiCreatedResponse({ type: DealDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: `accountId or contactId is not a record of this tenant; ${OWNER_NOT_FOUND}` })
  async create(@Body() dto: CreateDealDto): Promise<DealDto> {
    const currency = dto.currency ?? (await this.tenantSettings.currency());
    return this.stores.current().create(dto, currency);
  }

  @Get()
  @TenantPermission('deals.read')
  @ApiOperation({ summary: 'List deals: by stage, account, owner, amount range, closing date; search on name; sort; cursor pagination' })
  @ApiOkResponse({ type: DealPageDto })
  list(@Query() query: ListDealsQueryDto): Promise<DealPageDto> {
    return this.stores.current().list(query);
  }

  @Get(':id')
  @TenantPermission('deals.read')
  @ApiOperation({ summary: 'Get a deal with its line items and stage history (who moved it, when)' })
  @ApiOkResponse({ type: DealDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('id', TenantRecordIdPipe) id: string): Promise<DealDto> {
    return this.stores.current().get(id);
  }

  @Patch(':id')
  @TenantPermission('deals.write')
  @ApiOperation({ summary: 'Change a deal; a new stage is recorded in its history; line items sent replace the old ones' })
  @ApiOkResponse({ type: DealDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: `No such record; or ${OWNER_NOT_FOUND}` })
  update(@Param('id', TenantRecordIdPipe) id: string, @Body() dto: UpdateDealDto): Promise<DealDto> {
    return this.stores.current().update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @TenantPermission('deals.write')
  @ApiOperation({ summary: 'Delete a deal (soft: it can be restored)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  remove(@Param('id', TenantRecordIdPipe) id: string): Promise<void> {
    return this.stores.current().remove(id);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @TenantPermission('deals.write')
  @ApiOperation({ summary: 'Restore a deleted deal' })
  @ApiOkResponse({ type: DealDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No deleted deal with this id' })
  restore(@Param('id', TenantRecordIdPipe) id: string): Promise<DealDto> {
    return this.stores.current().restore(id);
  }
}
