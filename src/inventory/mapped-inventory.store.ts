import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { MappedRecord, PageRequest } from '../../libs/byod';
import { Condition } from '../../libs/byod/mapped-table';
import { TenantContext } from '../../libs/tenancy/tenant-context';
import { MappedEntity, TenantMappedSources } from '../byod/tenant-mapped-sources';
import { onTenantSource } from '../byod/source-errors';
import { Page } from '../common/pagination/cursor-pagination';
import { RequestContext } from '../common/request-context/request-context';
import { TenantModulesService } from '../tenant-modules/tenant-modules.service';
import { CreateInventoryItemDto, InventoryItemDto, ListInventoryItemsQueryDto, UpdateInventoryItemDto } from './dto/inventory-item.dto';
import { CreateMovementDto, InventoryMovementDto, ListMovementsQueryDto } from './dto/inventory-movement.dto';
import { ItemStatus } from './entities/inventory-item.entity';
import { InventoryStore } from './inventory-store';
import { refusal, stockChange } from './stock-levels';

const ENTITY = 'inventory_item';
/** Our sort fields → mapped fields; the customer's table has no creation time, so that order is by SKU. */
const SORT_FIELDS: Record<string, string> = { createdAt: 'sku', name: 'name', sku: 'sku', priceSellingMinor: 'price_selling_minor' };

/**
 * Stock items of a `byod` tenant, in its own table through its mapping: the item's id is its SKU
 * (the customer's key). What the customer's schema cannot hold is refused with 409 rather than
 * faked: reservations (no column for them), the movement history (no table for it), restoring a
 * delete (deletes there are real). A read-only source refuses every write with 403.
 */
@Injectable()
export class MappedInventoryStore implements InventoryStore {
  constructor(
    private readonly sources: TenantMappedSources,
    private readonly context: TenantContext,
    private readonly request: RequestContext,
    private readonly tenantModules: TenantModulesService,
  ) {}

  create(dto: CreateInventoryItemDto, currency: string): Promise<InventoryItemDto> {
    return this.writable(async ({ table }) => {
      if (await table.get(dto.sku)) throw new ConflictException({ message: 'An item with this SKU already exists', details: [{ field: 'sku', problems: ['already exists'] }] });
      const record: MappedRecord = { sku: dto.sku, name: dto.name, stock_on_hand: dto.initialStock ?? 0, price_selling_minor: dto.priceSellingMinor };
      if (table.has('currency')) record.currency = currency;
      if (table.has('status')) record.status = 'available';
      if (dto.lowStockThreshold !== undefined) record.low_stock_threshold = dto.lowStockThreshold;
      if (dto.description) record.description = dto.description;
      return this.toDto(await table.insert(record), currency);
    });
  }

  list(query: ListInventoryItemsQueryDto): Promise<Page<InventoryItemDto>> {
    return this.readable(async ({ table }) => {
      const conditions: Condition[] = [];
      if (query.search) conditions.push({ fields: ['sku', 'name'], op: 'contains', value: query.search });
      if (query.status) conditions.push({ field: 'status', op: '=', value: query.status });
      if (query.minPrice !== undefined) conditions.push({ field: 'price_selling_minor', op: '>=', value: query.minPrice });
      if (query.maxPrice !== undefined) conditions.push({ field: 'price_selling_minor', op: '<=', value: query.maxPrice });
      if (query.lowStock !== undefined) conditions.push({ field: 'stock_on_hand', op: query.lowStock ? '<=field' : '>field', other: 'low_stock_threshold' });
      const request: PageRequest = {
        conditions,
        sort: { field: SORT_FIELDS[query.sort.replace(/^-/, '')], direction: query.sort.startsWith('-') ? 'DESC' : 'ASC' },
        after: query.cursor ? decodePosition(query.cursor) : undefined,
        limit: query.limit + 1,
      };
      const rows = await table.list(request);
      const page = rows.slice(0, query.limit);
      const currency = await this.currency();
      const last = page.at(-1);
      return { items: page.map((row) => this.toDto(row.record, currency)), nextCursor: rows.length > query.limit && last ? encodePosition(last.position) : null };
    });
  }

  get(id: string): Promise<InventoryItemDto> {
    return this.readable(async ({ table }) => this.toDto(await this.findOrFail(table, id), await this.currency()));
  }

  update(id: string, dto: UpdateInventoryItemDto): Promise<InventoryItemDto> {
    return this.writable(async ({ table }) => {
      await this.findOrFail(table, id);
      const patch: MappedRecord = {
        sku: dto.sku,
        name: dto.name,
        description: dto.description,
        price_selling_minor: dto.priceSellingMinor,
        currency: dto.currency,
        low_stock_threshold: dto.lowStockThreshold,
        status: dto.status,
      };
      return this.toDto((await table.update(id, withoutUndefined(patch)))!, await this.currency());
    });
  }

  remove(id: string): Promise<void> {
    return this.writable(async ({ table }) => {
      if (!(await table.delete(id))) throw new NotFoundException(`Inventory item ${id} not found`);
    });
  }

  async restore(): Promise<InventoryItemDto> {
    throw new ConflictException("Items deleted from the tenant's own database are gone there; they cannot be restored");
  }

  /** Receive, sell and adjust change the mapped stock in one conditional statement; never below zero. */
  move(id: string, dto: CreateMovementDto): Promise<InventoryMovementDto> {
    return this.writable(async ({ table }) => {
      if (dto.kind === 'reserve' || dto.kind === 'release') {
        throw new ConflictException(`The tenant's own database has no reservations column, so ${dto.kind} is not available`);
      }
      if (dto.kind !== 'adjust' && dto.quantity < 1) {
        throw new BadRequestException({ message: `quantity must be positive for ${dto.kind}`, details: [{ field: 'quantity', problems: ['must be positive for this kind'] }] });
      }
      const { stockDelta } = stockChange(dto.kind, dto.quantity);
      const item = await this.findOrFail(table, id);
      const after = await table.increment(id, 'stock_on_hand', stockDelta, 0);
      if (!after) {
        const reason = refusal(dto.kind, dto.quantity, Number(item.stock_on_hand), 0) ?? 'The movement conflicts with a concurrent one; try again';
        throw new ConflictException({ message: `${id}: ${reason}`, details: [{ field: 'quantity', problems: [reason] }] });
      }
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

  private readable<T>(work: (entity: MappedEntity) => Promise<T>): Promise<T> {
    return onTenantSource(async () => work(await this.sources.entity(ENTITY)));
  }

  private writable<T>(work: (entity: MappedEntity) => Promise<T>): Promise<T> {
    return onTenantSource(async () => {
      const entity = await this.sources.entity(ENTITY);
      if (entity.readOnly) throw new ForbiddenException(`The data source of tenant "${this.context.require().slug}" is read-only`);
      return work(entity);
    });
  }

  private async findOrFail(table: MappedEntity['table'], id: string): Promise<MappedRecord> {
    const record = await table.get(id);
    if (!record) throw new NotFoundException(`Inventory item ${id} not found`);
    return record;
  }

  /** The tenant's currency setting, for a customer's table without a currency column. */
  private async currency(): Promise<string> {
    return (await this.tenantModules.settings()).currency ?? '';
  }

  private toDto(record: MappedRecord, currency: string): InventoryItemDto {
    const stockOnHand = Number(record.stock_on_hand ?? 0);
    return {
      id: String(record.sku),
      sku: String(record.sku),
      name: String(record.name ?? ''),
      description: String(record.description ?? ''),
      stockOnHand,
      reserved: 0,
      available: stockOnHand,
      lowStockThreshold: Number(record.low_stock_threshold ?? 0),
      priceSellingMinor: Number(record.price_selling_minor),
      currency: String(record.currency ?? currency),
      status: (record.status as ItemStatus | undefined) ?? (stockOnHand > 0 ? 'available' : 'sold'),
      createdAt: null,
      updatedAt: null,
      deletedAt: null,
    };
  }
}

function withoutUndefined(record: MappedRecord): MappedRecord {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

function encodePosition(position: { sortValue: unknown; key: unknown }): string {
  return Buffer.from(JSON.stringify([position.sortValue, position.key])).toString('base64url');
}

function decodePosition(cursor: string): { sortValue: unknown; key: unknown } {
  try {
    const [sortValue, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (key !== undefined) return { sortValue, key };
  } catch {
    // fall through to the 400 below
  }
  throw new BadRequestException({ message: 'cursor is invalid', details: [{ field: 'cursor', problems: ['cursor is invalid'] }] });
}
