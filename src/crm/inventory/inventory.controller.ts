import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { TenantModule, TenantPermission } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { CurrentTenantSettings } from '../../control-plane/tenant-settings/current-tenant-settings';
import {
  CreateInventoryItemDto,
  InventoryItemDto,
  InventoryItemPageDto,
  ListInventoryItemsQueryDto,
  UpdateInventoryItemDto,
} from './dto/inventory-item.dto';
import { CreateMovementDto, InventoryMovementDto, InventoryMovementPageDto, ListMovementsQueryDto } from './dto/inventory-movement.dto';
import { TenantRecordIdPipe } from '../../control-plane/tenant-binding/tenant-record-id.pipe';
import { InventoryStores } from './inventory-stores';
import { Idempotent } from '../../platform/idempotency/idempotent.decorator';
import { ServedFromTenantSystem } from '../mapped-sources/byod-answers.openapi';

@ApiTags('api: inventory')
@TenantModule('inventory')
@ServedFromTenantSystem()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('api/inventory/items')
export class InventoryController {
  constructor(
    private readonly stores: InventoryStores,
    private readonly tenantSettings: CurrentTenantSettings,
  ) {}

  @Post()
  @Idempotent()
  @TenantPermission('inventory.write')
  @ApiOperation({ summary: 'Create a stock item; initialStock is recorded as a receive movement; currency defaults to the tenant’s' })
  @ApiCreatedResponse({ type: InventoryItemDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The SKU is taken' })
  async create(@Body() dto: CreateInventoryItemDto): Promise<InventoryItemDto> {
    const currency = dto.currency ?? (await this.tenantSettings.currency());
    return this.stores.current().create(dto, currency);
  }

  @Get()
  @TenantPermission('inventory.read')
  @ApiOperation({ summary: 'List stock items: status, price range, low stock, search on SKU and name, sort, cursor pagination' })
  @ApiOkResponse({ type: InventoryItemPageDto })
  list(@Query() query: ListInventoryItemsQueryDto): Promise<InventoryItemPageDto> {
    return this.stores.current().list(query);
  }

  @Get(':id')
  @TenantPermission('inventory.read')
  @ApiOperation({ summary: 'Get a stock item with its levels' })
  @ApiOkResponse({ type: InventoryItemDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('id', TenantRecordIdPipe) id: string): Promise<InventoryItemDto> {
    return this.stores.current().get(id);
  }

  @Patch(':id')
  @TenantPermission('inventory.write')
  @ApiOperation({ summary: 'Change an item’s details, or archive it (stock changes only through movements)' })
  @ApiOkResponse({ type: InventoryItemDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The SKU is taken' })
  update(@Param('id', TenantRecordIdPipe) id: string, @Body() dto: UpdateInventoryItemDto): Promise<InventoryItemDto> {
    return this.stores.current().update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @TenantPermission('inventory.write')
  @ApiOperation({ summary: 'Delete a stock item (soft: it can be restored; its SKU stays taken)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  remove(@Param('id', TenantRecordIdPipe) id: string): Promise<void> {
    return this.stores.current().remove(id);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @TenantPermission('inventory.write')
  @ApiOperation({ summary: 'Restore a deleted stock item' })
  @ApiOkResponse({ type: InventoryItemDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No deleted item with this id' })
  restore(@Param('id', TenantRecordIdPipe) id: string): Promise<InventoryItemDto> {
    return this.stores.current().restore(id);
  }

  @Post(':id/movements')
  @Idempotent()
  @TenantPermission('inventory.write')
  @ApiOperation({ summary: 'Receive, sell, adjust, reserve or release stock; recorded with who, why and when' })
  @ApiCreatedResponse({ type: InventoryMovementDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Not enough stock (the message gives the levels), or the item is archived' })
  move(@Param('id', TenantRecordIdPipe) id: string, @Body() dto: CreateMovementDto): Promise<InventoryMovementDto> {
    return this.stores.current().move(id, dto);
  }

  @Get(':id/movements')
  @TenantPermission('inventory.read')
  @ApiOperation({ summary: 'An item’s stock history, oldest first' })
  @ApiOkResponse({ type: InventoryMovementPageDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  movements(@Param('id', TenantRecordIdPipe) id: string, @Query() query: ListMovementsQueryDto): Promise<InventoryMovementPageDto> {
    return this.stores.current().movements(id, query);
  }
}
