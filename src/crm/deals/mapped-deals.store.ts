import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Condition, MappedCollection, MappedRecord, sourceDate, sourceText } from '../../../libs/byod';
import { CurrentTenantSettings } from '../../control-plane/tenant-settings/current-tenant-settings';
import { MappedEntities } from '../mapped-sources/mapped-entities';
import { mappedCustomFields, mappedFields, mappedPage, mappedSort, recordOrFail } from '../mapped-sources/mapped-pages';
import { sourceTimestamp } from '../mapped-sources/source-dates';
import { Page } from '../../platform/pagination/cursor-pagination';
import { DealsStore } from './deals-store';
import { CreateDealDto, DealDto, ListDealsQueryDto, UpdateDealDto } from './dto/deal.dto';

const ENTITY = 'deal';

/**
 * Deals of a `byod` tenant, in its own table through its mapping; the id is the customer's key,
 * and so are the account and contact a deal names (written as sent: the customer's own foreign
 * keys, if it has any, refuse a missing one with a 409). A stage change is written like any other
 * field; the stage history the other placements keep has no place there, so none is kept or
 * shown. Line items and owners have no place either, nor custom fields the mapping does not declare:
 * a 409 naming them, like every field the mapping leaves out. Deletes there are real, so nothing can be restored.
 */
@Injectable()
export class MappedDealsStore implements DealsStore {
  constructor(
    private readonly entities: MappedEntities,
    private readonly tenantSettings: CurrentTenantSettings,
  ) {}

  create(dto: CreateDealDto, currency: string): Promise<DealDto> {
    return this.entities.write(ENTITY, async (table) => {
      // The defaults of the other placements: a new deal is a lead worth nothing until told otherwise.
      const record = mappedFields(table, { ...toRecord(dto), stage: dto.stage ?? 'lead', amount_minor: dto.amountMinor ?? 0 });
      if (table.has('currency')) record.currency ??= currency;
      return toDto(await table.insert(record), await this.currency(table));
    });
  }

  list(query: ListDealsQueryDto): Promise<Page<DealDto>> {
    return this.entities.read(ENTITY, async (table) => {
      const conditions: Condition[] = [];
      if (query.search) conditions.push({ fields: ['name'], op: 'contains', value: query.search });
      if (query.stage) conditions.push({ field: 'stage', op: '=', value: query.stage });
      if (query.accountId) conditions.push({ field: 'account_id', op: '=', value: query.accountId });
      if (query.ownerUserId) conditions.push({ field: 'owner_user_id', op: '=', value: query.ownerUserId });
      if (query.minAmount !== undefined) conditions.push({ field: 'amount_minor', op: '>=', value: query.minAmount });
      if (query.maxAmount !== undefined) conditions.push({ field: 'amount_minor', op: '<=', value: query.maxAmount });
      if (query.closingBy) conditions.push({ field: 'expected_close_date', op: '<=', value: query.closingBy });
      const currency = await this.currency(table);
      return mappedPage(table, { conditions, sort: mappedSort(table, query.sort, { name: 'name' }, 'id') }, query, (record) =>
        toDto(record, currency),
      );
    });
  }

  get(id: string): Promise<DealDto> {
    return this.entities.read(ENTITY, async (table) => toDto(await recordOrFail(table.get(id), `Deal ${id}`), await this.currency(table)));
  }

  update(id: string, dto: UpdateDealDto): Promise<DealDto> {
    return this.entities.write(ENTITY, async (table) =>
      toDto(await recordOrFail(table.update(id, mappedFields(table, toRecord(dto))), `Deal ${id}`), await this.currency(table)),
    );
  }

  remove(id: string): Promise<void> {
    return this.entities.write(ENTITY, async (table) => {
      if ((await table.delete(id)) === null) throw new NotFoundException(`Deal ${id} not found`);
    });
  }

  async restore(): Promise<DealDto> {
    throw new ConflictException("Deals deleted from the tenant's own database are gone there; they cannot be restored");
  }

  /** The tenant's currency setting, read only for a customer's table without a currency column. */
  private async currency(table: MappedCollection): Promise<string> {
    return table.has('currency') ? '' : ((await this.tenantSettings.settings()).currency ?? '');
  }
}

/** Our fields as the mapping names them; unmapped ones that were sent are refused (409) before any write. */
function toRecord(dto: Partial<CreateDealDto>): MappedRecord {
  return {
    name: dto.name,
    stage: dto.stage,
    amount_minor: dto.amountMinor,
    currency: dto.currency,
    expected_close_date: dto.expectedCloseDate,
    account_id: dto.accountId,
    contact_id: dto.contactId,
    owner_user_id: dto.ownerUserId,
    line_items: dto.lineItems,
    custom_fields: dto.customFields,
  };
}

function toDto(record: MappedRecord, currency: string): DealDto {
  const key = (value: unknown) => (value === null || value === undefined ? null : sourceText(value));
  return {
    id: String(record.id),
    name: sourceText(record.name ?? ''),
    stage: sourceText(record.stage ?? ''),
    amountMinor: Number(record.amount_minor ?? 0),
    currency: sourceText(record.currency ?? currency),
    expectedCloseDate: sourceDate(record.expected_close_date),
    ownerUserId: null,
    accountId: key(record.account_id),
    contactId: key(record.contact_id),
    customFields: mappedCustomFields(record),
    lineItems: [],
    createdAt: sourceTimestamp(record.created_at),
    updatedAt: sourceTimestamp(record.updated_at),
  };
}
