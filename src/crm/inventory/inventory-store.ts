import { Page } from '../../platform/pagination/cursor-pagination';
import { CreateInventoryItemDto, InventoryItemDto, ListInventoryItemsQueryDto, UpdateInventoryItemDto } from './dto/inventory-item.dto';
import { CreateMovementDto, InventoryMovementDto, ListMovementsQueryDto } from './dto/inventory-movement.dto';

/** Where a tenant's stock items live: its Tenantry database, or its own through a mapping. */
export interface InventoryStore {
  create(dto: CreateInventoryItemDto, currency: string): Promise<InventoryItemDto>;
  list(query: ListInventoryItemsQueryDto): Promise<Page<InventoryItemDto>>;
  get(id: string): Promise<InventoryItemDto>;
  update(id: string, dto: UpdateInventoryItemDto): Promise<InventoryItemDto>;
  remove(id: string): Promise<void>;
  restore(id: string): Promise<InventoryItemDto>;
  move(id: string, dto: CreateMovementDto): Promise<InventoryMovementDto>;
  movements(id: string, query: ListMovementsQueryDto): Promise<Page<InventoryMovementDto>>;
}
