import { Page } from '../../platform/pagination/cursor-pagination';
import { AccountDto, CreateAccountDto, ListAccountsQueryDto, UpdateAccountDto } from './dto/account.dto';

/** Where a tenant's accounts live: its Tenantry database, or its own through a mapping. */
export interface AccountsStore {
  create(dto: CreateAccountDto): Promise<AccountDto>;
  list(query: ListAccountsQueryDto): Promise<Page<AccountDto>>;
  get(id: string): Promise<AccountDto>;
  update(id: string, dto: UpdateAccountDto): Promise<AccountDto>;
  remove(id: string): Promise<void>;
  restore(id: string): Promise<AccountDto>;
}
