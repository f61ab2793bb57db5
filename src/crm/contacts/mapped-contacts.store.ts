import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Condition, MappedRecord, sourceText } from '../../../libs/byod';
import { MappedEntities } from '../mapped-sources/mapped-entities';
import { mappedCustomFields, mappedPage, mappedSort, mappedFields, recordOrFail } from '../mapped-sources/mapped-pages';
import { sourceTimestamp } from '../mapped-sources/source-dates';
import { Page } from '../../platform/pagination/cursor-pagination';
import { ContactsStore } from './contacts-store';
import { MappedContactQuota } from './mapped-contact-quota';
import { ContactDto, CreateContactDto, ListContactsQueryDto, UpdateContactDto } from './dto/contact.dto';

const ENTITY = 'contact';
const NO_LINKS = "The tenant's own database has no links between contacts and accounts";

/**
 * Contacts of a `byod` tenant, in its own table through its mapping; the id is the customer's
 * key. Links to accounts have no place there (409), nor have fields the mapping leaves out (409
 * naming them when written); deletes there are real, so nothing can be restored.
 */
@Injectable()
export class MappedContactsStore implements ContactsStore {
  constructor(
    private readonly entities: MappedEntities,
    private readonly quota: MappedContactQuota,
  ) {}

  create(dto: CreateContactDto): Promise<ContactDto> {
    return this.entities.write(ENTITY, async (table) => {
      const record = mappedFields(table, toRecord(dto));
      return toDto(await this.quota.creating(table, () => table.insert(record)));
    });
  }

  list(query: ListContactsQueryDto): Promise<Page<ContactDto>> {
    return this.entities.read(ENTITY, async (table) => {
      if (query.accountId) throw new ConflictException(NO_LINKS);
      const conditions: Condition[] = [];
      const searchable = ['first_name', 'last_name', 'email'].filter((field) => table.has(field));
      if (query.search) conditions.push({ fields: searchable, op: 'contains', value: query.search });
      if (query.ownerUserId) conditions.push({ field: 'owner_user_id', op: '=', value: query.ownerUserId });
      return mappedPage(table, { conditions, sort: mappedSort(table, query.sort, { lastName: 'last_name' }, 'id') }, query, toDto);
    });
  }

  get(id: string): Promise<ContactDto> {
    return this.entities.read(ENTITY, async (table) => toDto(await recordOrFail(table.get(id), `Contact ${id}`)));
  }

  update(id: string, dto: UpdateContactDto): Promise<ContactDto> {
    return this.entities.write(ENTITY, async (table) =>
      toDto(await recordOrFail(table.update(id, mappedFields(table, toRecord(dto))), `Contact ${id}`)),
    );
  }

  remove(id: string): Promise<void> {
    return this.entities.write(ENTITY, async (table) => {
      if ((await table.delete(id)) === null) throw new NotFoundException(`Contact ${id} not found`);
    });
  }

  async restore(): Promise<ContactDto> {
    throw new ConflictException("Contacts deleted from the tenant's own database are gone there; they cannot be restored");
  }

  async linkAccount(): Promise<ContactDto> {
    throw new ConflictException(NO_LINKS);
  }

  async unlinkAccount(): Promise<ContactDto> {
    throw new ConflictException(NO_LINKS);
  }
}

/** Our fields as the mapping names them; unmapped ones that were sent are refused (409) before any write. */
function toRecord(dto: Partial<CreateContactDto>): MappedRecord {
  return {
    first_name: dto.firstName,
    last_name: dto.lastName,
    email: dto.email,
    phone: dto.phone,
    job_title: dto.jobTitle,
    owner_user_id: dto.ownerUserId,
    custom_fields: dto.customFields,
  };
}

function toDto(record: MappedRecord): ContactDto {
  const text = (value: unknown) => (value === null || value === undefined ? undefined : sourceText(value));
  return {
    id: String(record.id),
    firstName: sourceText(record.first_name ?? ''),
    lastName: sourceText(record.last_name ?? ''),
    email: text(record.email),
    phone: text(record.phone),
    jobTitle: text(record.job_title),
    ownerUserId: undefined,
    customFields: mappedCustomFields(record),
    accounts: [],
    createdAt: sourceTimestamp(record.created_at)?.toISOString() ?? null,
    updatedAt: sourceTimestamp(record.updated_at)?.toISOString() ?? null,
  };
}
