import { ConflictException, Injectable } from '@nestjs/common';
import { CrmEvents } from '../domain-events/crm-events';
import { QueryFailedError } from 'typeorm';
import { findOrFail } from '../../../libs/tenancy/records/record-lookups';
import { softDelete } from '../../../libs/tenancy/records/soft-delete';
import { parseSort } from '../../../libs/tenancy/records/sort-order';
import { TenantConnectionProvider, TenantEntityManager } from '../../../libs/tenancy/tenant-connection-provider';
import { escapeLike } from '../../platform/column-values/escape-like';
import { applyKeyset, applySortedKeyset, Page, toPage, toSortedPage } from '../../platform/pagination/cursor-pagination';
import { changedFields, TenantAuditService } from '../tenant-audit/tenant-audit.service';
import {
  CreateInventoryItemDto,
  INVENTORY_ITEM_SORT_PROPERTIES,
  InventoryItemDto,
  ListInventoryItemsQueryDto,
  UpdateInventoryItemDto,
} from './dto/inventory-item.dto';
import { CreateMovementDto, InventoryMovementDto, ListMovementsQueryDto } from './dto/inventory-movement.dto';
import { InventoryItem } from './entities/inventory-item.entity';
import { InventoryMovement } from './entities/inventory-movement.entity';
import { InventoryStore } from './inventory-store';
import { StockMovements } from './stock-movements';
import { restoreDeleted } from '../tenant-audit/restore-deleted';

const ENTITY = 'inventory_item';

/** The current tenant's stock items; stock changes only through movements, every change audited. */
@Injectable()
export class InventoryService implements InventoryStore {
  constructor(
    private readonly tenantData: TenantConnectionProvider,
    private readonly stock: StockMovements,
    private readonly audit: TenantAuditService,
    private readonly events: CrmEvents,
  ) {}

  create(dto: CreateInventoryItemDto, currency: string): Promise<InventoryItemDto> {
    return this.tenantData.transaction(async (tx) => {
      const { initialStock, ...fields } = dto;
      const items = tx.repository(InventoryItem);
      const item = await uniqueSku(() =>
        items.save(items.create({ description: '', lowStockThreshold: 0, ...fields, currency, status: 'available' })),
      );
      await this.audit.record(tx, { entity: ENTITY, entityId: item.id, action: 'create', changes: { ...dto, currency } });
      await this.events.recordChanged(tx, ENTITY, 'created', InventoryItemDto.from(item));
      if (initialStock) await this.stock.apply(tx, item.id, { kind: 'receive', quantity: initialStock, reason: 'Initial stock' });
      return InventoryItemDto.from(await findItem(tx, item.id));
    });
  }

  list(query: ListInventoryItemsQueryDto): Promise<Page<InventoryItemDto>> {
    return this.tenantData.read(async (tx) => {
      const builder = tx.repository(InventoryItem).createQueryBuilder('item').where('item.deletedAt IS NULL');
      if (query.search)
        builder.andWhere("(item.sku ILIKE :pattern ESCAPE '\\' OR item.name ILIKE :pattern ESCAPE '\\')", {
          pattern: `%${escapeLike(query.search)}%`,
        });
      if (query.status) builder.andWhere('item.status = :status', { status: query.status });
      if (query.minPrice !== undefined) builder.andWhere('item.priceSellingMinor >= :minPrice', { minPrice: query.minPrice });
      if (query.maxPrice !== undefined) builder.andWhere('item.priceSellingMinor <= :maxPrice', { maxPrice: query.maxPrice });
      if (query.lowStock !== undefined)
        builder.andWhere(`(item.stockOnHand - item.reserved <= item.lowStockThreshold) = :lowStock`, { lowStock: query.lowStock });
      const order = parseSort(query.sort, INVENTORY_ITEM_SORT_PROPERTIES);
      const rows = await applySortedKeyset(builder, order, query).getMany();
      return toSortedPage(
        rows,
        query.limit,
        (row) => (order.property === 'priceSellingMinor' ? String(row[order.property]) : row[order.property]),
        InventoryItemDto.from,
      );
    });
  }

  get(id: string): Promise<InventoryItemDto> {
    return this.tenantData.read(async (tx) => InventoryItemDto.from(await findItem(tx, id)));
  }

  update(id: string, dto: UpdateInventoryItemDto): Promise<InventoryItemDto> {
    return this.tenantData.transaction(async (tx) => {
      const item = await findItem(tx, id, true);
      const { status, ...fields } = dto;
      const next: Partial<InventoryItem> = { ...fields };
      if (status === 'archived' && item.status !== 'archived') next.status = 'archived';
      if (status === 'available' && item.status === 'archived')
        next.status = item.stockOnHand > 0 && item.reserved >= item.stockOnHand ? 'reserved' : 'available';
      const changes = changedFields(item, next);
      if (Object.keys(changes).length === 0) return InventoryItemDto.from(item);
      const saved = await uniqueSku(() => tx.repository(InventoryItem).save(Object.assign(item, next)));
      await this.audit.record(tx, { entity: ENTITY, entityId: id, action: 'update', changes });
      const record = InventoryItemDto.from(saved);
      await this.events.recordChanged(tx, ENTITY, 'updated', record, changes);
      return record;
    });
  }

  remove(id: string): Promise<void> {
    return this.tenantData.transaction(async (tx) => {
      const item = await findItem(tx, id, true);
      await softDelete(tx, InventoryItem, id);
      await this.audit.record(tx, { entity: ENTITY, entityId: id, action: 'delete', changes: { sku: item.sku, name: item.name } });
      await this.events.recordChanged(tx, ENTITY, 'deleted', InventoryItemDto.from(item));
    });
  }

  restore(id: string): Promise<InventoryItemDto> {
    return this.tenantData.transaction(async (tx) => {
      const record = InventoryItemDto.from(await restoreDeleted(tx, this.audit, InventoryItem, { entity: ENTITY, id }));
      await this.events.recordChanged(tx, ENTITY, 'restored', record);
      return record;
    });
  }

  move(id: string, dto: CreateMovementDto): Promise<InventoryMovementDto> {
    return this.tenantData.transaction(async (tx) => InventoryMovementDto.from(await this.stock.apply(tx, id, dto)));
  }

  /** Oldest first: the item's stock history in the order it happened. */
  movements(id: string, query: ListMovementsQueryDto): Promise<Page<InventoryMovementDto>> {
    return this.tenantData.read(async (tx) => {
      await findItem(tx, id);
      const builder = tx.repository(InventoryMovement).createQueryBuilder('movement').where('movement.itemId = :id', { id });
      return toPage(await applyKeyset(builder, query).getMany(), query.limit, InventoryMovementDto.from);
    });
  }
}

const findItem = (tx: TenantEntityManager, id: string, forUpdate = false) =>
  findOrFail(tx, InventoryItem, id, { name: 'Inventory item', forUpdate });

/** The SKU's unique index is the authority (two concurrent creations cannot both pass a check). */
async function uniqueSku<T>(save: () => Promise<T>): Promise<T> {
  try {
    return await save();
  } catch (error) {
    if (error instanceof QueryFailedError && (error.driverError as { constraint?: string }).constraint === 'inventory_items_sku_key') {
      throw new ConflictException({
        message: 'An item with this SKU already exists',
        details: [{ field: 'sku', problems: ['already exists'] }],
      });
    }
    throw error;
  }
}
