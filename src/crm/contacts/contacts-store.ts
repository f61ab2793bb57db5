import { Page } from '../../platform/pagination/cursor-pagination';
import { ContactDto, CreateContactDto, ListContactsQueryDto, UpdateContactDto } from './dto/contact.dto';

/** Where a tenant's contacts live: its Tenantry database, or its own through a mapping. */
export interface ContactsStore {
  create(dto: CreateContactDto): Promise<ContactDto>;
  list(query: ListContactsQueryDto): Promise<Page<ContactDto>>;
  get(id: string): Promise<ContactDto>;
  update(id: string, dto: UpdateContactDto): Promise<ContactDto>;
  remove(id: string): Promise<void>;
  restore(id: string): Promise<ContactDto>;
  linkAccount(id: string, accountId: string, role?: string): Promise<ContactDto>;
  unlinkAccount(id: string, accountId: string): Promise<ContactDto>;
}
