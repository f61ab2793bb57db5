import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Condition, MappedCollection, MappedRecord, sourceText } from '../../../libs/byod';
import { MappedEntities } from '../mapped-sources/mapped-entities';
import { mappedPage, mappedSort, mappedFields, recordOrFail } from '../mapped-sources/mapped-pages';
import { sourceTimestamp } from '../mapped-sources/source-dates';
import { Page } from '../../platform/pagination/cursor-pagination';
import { RequestContext } from '../../platform/request-context/request-context';
import { CurrentTenantSettings } from '../../control-plane/tenant-settings/current-tenant-settings';
import {
  CreateInventoryItemDto,
  InventoryItemDto,
  ListedItemStatus,
  ListInventoryItemsQueryDto,
  UpdateInventoryItemDto,
} from './dto/inventory-item.dto';
import { CreateMovementDto, InventoryMovementDto, ListMovementsQueryDto } from './dto/inventory-movement.dto';
import { InventoryStore } from './inventory-store';
import { assertQuantityFits, refusal, stockChange } from './stock-levels';
import { statusRuleWithoutReservations } from './stock-status';

const ENTITY = 'inventory_item';
/** Our sort fields → mapped fields; `createdAt` sorts by the mapped creation time, or else by SKU. */
const SORT_FIELDS: Record<string, string> = { name: 'name', sku: 'sku', priceSellingMinor: 'price_selling_minor' };

/**
 * Stock items of a `byod` tenant, in its own table through its mapping: the item's id is its SKU
 * (the customer's key). What the customer's schema cannot hold is refused with 409 rather than
 * faked: reservations (no column for them), the movement history (no table for it), restoring a
 * delete (deletes there are real). A read-only source refuses every write with 403.
 */
@Injectable()
export class MappedInventoryStore implements InventoryStore {
  constructor(
    private readonly entities: MappedEntities,
    private readonly request: RequestContext,
    private readonly tenantSettings: CurrentTenantSettings,
  ) {}

  create(dto: CreateInventoryItemDto, currency: string): Promise<InventoryItemDto> {
    return this.entities.write(ENTITY, async (table) => {
      const record = mappedFields(table, {
        sku: dto.sku,
        name: dto.name,
        stock_on_hand: dto.initialStock ?? 0,
        price_selling_minor: dto.priceSellingMinor,
        currency: dto.currency,
        low_stock_threshold: dto.lowStockThreshold,
        description: dto.description || undefined,
      });
      if (await table.get(dto.sku))
        throw new ConflictException({
          message: 'An item with this SKU already exists',
          details: [{ field: 'sku', problems: ['already exists'] }],
        });
      if (table.has('currency')) record.currency = currency;
      if (table.has('status')) record.status = 'available';
      return this.toDto(await table.insert(record), currency);
    });
  }

  list(query: ListInventoryItemsQueryDto): Promise<Page<InventoryItemDto>> {
    return this.entities.read(ENTITY, async (table) => {
      const conditions: Condition[] = [];
      if (query.search) conditions.push({ fields: ['sku', 'name'], op: 'contains', value: query.search });
      if (query.status) conditions.push({ field: 'status', op: '=', value: query.status });
      if (query.minPrice !== undefined) conditions.push({ field: 'price_selling_minor', op: '>=', value: query.minPrice });
      if (query.maxPrice !== undefined) conditions.push({ field: 'price_selling_minor', op: '<=', value: query.maxPrice });
      if (query.lowStock !== undefined)
        conditions.push({ field: 'stock_on_hand', op: query.lowStock ? '<=field' : '>field', other: 'low_stock_threshold' });
      const currency = await this.currency(table);
      return mappedPage(table, { conditions, sort: mappedSort(table, query.sort, SORT_FIELDS, 'sku') }, query, (record) =>
        this.toDto(record, currency),
      );
    });
  }

  get(id: string): Promise<InventoryItemDto> {
    return this.entities.read(ENTITY, async (table) =>
      this.toDto(await recordOrFail(table.get(id), `Inventory item ${id}`), await this.currency(table)),
    );
  }

  update(id: string, dto: UpdateInventoryItemDto): Promise<InventoryItemDto> {
    return this.entities.write(ENTITY, async (table) => {
      const patch: MappedRecord = {
        sku: dto.sku,
        name: dto.name,
        description: dto.description,
        price_selling_minor: dto.priceSellingMinor,
        currency: dto.currency,
        low_stock_threshold: dto.lowStockThreshold,
        status: dto.status,
      };
      return this.toDto(
        await recordOrFail(table.update(id, mappedFields(table, patch)), `Inventory item ${id}`),
        await this.currency(table),
      );
    });
  }

  remove(id: string): Promise<void> {
    return this.entities.write(ENTITY, async (table) => {
      if ((await table.delete(id)) === null) throw new NotFoundException(`Inventory item ${id} not found`);
    });
  }

  async restore(): Promise<InventoryItemDto> {
    throw new ConflictException("Items deleted from the tenant's own database are gone there; they cannot be restored");
  }

  /**
   * Receive, sell and adjust change the mapped stock in one conditional statement, never below
   * zero, and a mapped status column follows the new stock in that same statement by the rule of
   * every placement; an archived item takes no movement, as on the other placements.
   */
  move(id: string, dto: CreateMovementDto): Promise<InventoryMovementDto> {
    return this.entities.write(ENTITY, async (table) => {
      if (dto.kind === 'reserve' || dto.kind === 'release') {
        throw new ConflictException(`The tenant's own database has no reservations column, so ${dto.kind} is not available`);
      }
      assertQuantityFits(dto.kind, dto.quantity);
      const { stockDelta } = stockChange(dto.kind, dto.quantity);
      // Without a status column the status is derived from stock when read.
      const status = table.has('status');
      const after = await table.increment(id, {
        field: 'stock_on_hand',
        delta: stockDelta,
        floor: 0,
        following: status ? [{ field: 'status', cases: statusRuleWithoutReservations(dto.kind) }] : [],
        unless: status ? { field: 'status', value: 'archived' satisfies ListedItemStatus } : undefined,
      });
      if (!after) return this.explainRefusal(table, id, dto);
      return {
        id: null,
        itemId: id,
        kind: dto.kind,
        quantity: dto.quantity,
        stockAfter: Number(after.stock_on_hand),
        reservedAfter: 0,
        reason: dto.reason,
        reference: dto.reference ?? null,
        createdBy: this.request.actor?.userId ?? null,
        createdAt: new Date(),
      };
    });
  }

  async movements(_id: string, _query: ListMovementsQueryDto): Promise<Page<InventoryMovementDto>> {
    throw new ConflictException("The tenant's own database keeps no movement history");
  }

  /** Why the movement changed nothing: the item is missing, archived, or would go below zero (or a concurrent one got there first). */
  private async explainRefusal(table: MappedCollection, id: string, dto: CreateMovementDto): Promise<never> {
    const item = await recordOrFail(table.get(id), `Inventory item ${id}`);
    if (item.status === 'archived') throw new ConflictException(`Inventory item ${id} is archived and takes no movements`);
    const reason =
      refusal(dto.kind, dto.quantity, Number(item.stock_on_hand), 0) ?? 'The movement conflicts with a concurrent one; try again';
    throw new ConflictException({ message: `${id}: ${reason}`, details: [{ field: 'quantity', problems: [reason] }] });
  }

  /** The tenant's currency setting, read only for a customer's table without a currency column. */
  private async currency(table: MappedCollection): Promise<string> {
    return table.has('currency') ? '' : ((await this.tenantSettings.settings()).currency ?? '');
  }

  private toDto(record: MappedRecord, currency: string): InventoryItemDto {
    const stockOnHand = Number(record.stock_on_hand ?? 0);
    return {
      id: String(record.sku),
      sku: String(record.sku),
      name: sourceText(record.name ?? ''),
      description: sourceText(record.description ?? ''),
      stockOnHand,
      reserved: 0,
      available: stockOnHand,
      lowStockThreshold: Number(record.low_stock_threshold ?? 0),
      priceSellingMinor: Number(record.price_selling_minor),
      currency: sourceText(record.currency ?? currency),
      status: (record.status as ListedItemStatus | undefined) ?? (stockOnHand > 0 ? 'available' : 'sold'),
      createdAt: sourceTimestamp(record.created_at),
      updatedAt: sourceTimestamp(record.updated_at),
      deletedAt: null,
    };
  }
}
