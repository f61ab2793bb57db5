import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Condition, MappedRecord, sourceText } from '../../../libs/byod';
import { MappedEntities } from '../mapped-sources/mapped-entities';
import { mappedCustomFields, mappedPage, mappedSort, mappedFields, recordOrFail } from '../mapped-sources/mapped-pages';
import { sourceTimestamp } from '../mapped-sources/source-dates';
import { Page } from '../../platform/pagination/cursor-pagination';
import { AccountsStore } from './accounts-store';
import { AccountDto, CreateAccountDto, ListAccountsQueryDto, UpdateAccountDto } from './dto/account.dto';

const ENTITY = 'account';

/**
 * Accounts of a `byod` tenant, in its own table through its mapping; the id is the customer's
 * key. Fields the mapping leaves out (owner, address, custom fields it does not declare) are absent
 * when read and a 409 naming them when written; deletes there are real, so nothing can be restored.
 */
@Injectable()
export class MappedAccountsStore implements AccountsStore {
  constructor(private readonly entities: MappedEntities) {}

  create(dto: CreateAccountDto): Promise<AccountDto> {
    return this.entities.write(ENTITY, async (table) => toDto(await table.insert(mappedFields(table, toRecord(dto)))));
  }

  list(query: ListAccountsQueryDto): Promise<Page<AccountDto>> {
    return this.entities.read(ENTITY, async (table) => {
      if (query.deleted) throw new ConflictException("Deleted accounts are not kept in the tenant's own database");
      const conditions: Condition[] = [];
      if (query.search)
        conditions.push({ fields: table.has('domain') ? ['name', 'domain'] : ['name'], op: 'contains', value: query.search });
      if (query.industry) conditions.push({ field: 'industry', op: '=', value: query.industry });
      if (query.ownerUserId) conditions.push({ field: 'owner_user_id', op: '=', value: query.ownerUserId });
      if (query.country) conditions.push({ field: 'country', op: '=', value: query.country });
      return mappedPage(table, { conditions, sort: mappedSort(table, query.sort, { name: 'name' }, 'id') }, query, toDto);
    });
  }

  get(id: string): Promise<AccountDto> {
    return this.entities.read(ENTITY, async (table) => toDto(await recordOrFail(table.get(id), `Account ${id}`)));
  }

  update(id: string, dto: UpdateAccountDto): Promise<AccountDto> {
    return this.entities.write(ENTITY, async (table) =>
      toDto(await recordOrFail(table.update(id, mappedFields(table, toRecord(dto))), `Account ${id}`)),
    );
  }

  remove(id: string): Promise<void> {
    return this.entities.write(ENTITY, async (table) => {
      if ((await table.delete(id)) === null) throw new NotFoundException(`Account ${id} not found`);
    });
  }

  async restore(): Promise<AccountDto> {
    throw new ConflictException("Accounts deleted from the tenant's own database are gone there; they cannot be restored");
  }
}

/** Our fields as the mapping names them; unmapped ones that were sent are refused (409) before any write. */
function toRecord(dto: Partial<CreateAccountDto>): MappedRecord {
  return {
    name: dto.name,
    domain: dto.domain,
    industry: dto.industry,
    owner_user_id: dto.ownerUserId,
    street: dto.street,
    city: dto.city,
    postal_code: dto.postalCode,
    country: dto.country,
    custom_fields: dto.customFields,
  };
}

function toDto(record: MappedRecord): AccountDto {
  const text = (value: unknown) => (value === null || value === undefined ? null : sourceText(value));
  return {
    id: String(record.id),
    name: sourceText(record.name ?? ''),
    domain: text(record.domain),
    industry: text(record.industry),
    ownerUserId: null,
    street: null,
    city: null,
    postalCode: null,
    country: null,
    customFields: mappedCustomFields(record),
    createdAt: sourceTimestamp(record.created_at),
    updatedAt: sourceTimestamp(record.updated_at),
    deletedAt: null,
  };
}
