import { Page } from '../../platform/pagination/cursor-pagination';
import { CreateDealDto, DealDto, ListDealsQueryDto, UpdateDealDto } from './dto/deal.dto';

/** Where a tenant's deals live: its Tenantry database, or its own through a mapping. */
export interface DealsStore {
  /** `currency` is the deal's when the request names none: the tenant's currency setting. */
  create(dto: CreateDealDto, currency: string): Promise<DealDto>;
  list(query: ListDealsQueryDto): Promise<Page<DealDto>>;
  get(id: string): Promise<DealDto>;
  update(id: string, dto: UpdateDealDto): Promise<DealDto>;
  remove(id: string): Promise<void>;
  restore(id: string): Promise<DealDto>;
}
