import { Injectable } from '@nestjs/common';
import { CrmEvents } from '../domain-events/crm-events';
import { findOrFail } from '../../../libs/tenancy/records/record-lookups';
import { softDelete } from '../../../libs/tenancy/records/soft-delete';
import { parseSort } from '../../../libs/tenancy/records/sort-order';
import { TenantConnectionProvider, TenantEntityManager } from '../../../libs/tenancy/tenant-connection-provider';
import { ownerReference, TenantMembers } from '../../control-plane/tenant-binding/tenant-members';
import { escapeLike } from '../../platform/column-values/escape-like';
import { applySortedKeyset, Page, toSortedPage } from '../../platform/pagination/cursor-pagination';
import { validateCustomFields } from '../custom-fields/custom-field-validation';
import { CustomFieldsService } from '../custom-fields/custom-fields.service';
import { changedFields, TenantAuditService } from '../tenant-audit/tenant-audit.service';
import { ACCOUNT_SORT_PROPERTIES, AccountDto, CreateAccountDto, ListAccountsQueryDto, UpdateAccountDto } from './dto/account.dto';
import { AccountsStore } from './accounts-store';
import { Account } from './entities/account.entity';
import { restoreDeleted } from '../tenant-audit/restore-deleted';

const ENTITY = 'account';

/** Accounts of the current tenant, written as for a single tenant; every change is audited in its transaction. */
@Injectable()
export class AccountsService implements AccountsStore {
  constructor(
    private readonly tenantData: TenantConnectionProvider,
    private readonly members: TenantMembers,
    private readonly customFields: CustomFieldsService,
    private readonly audit: TenantAuditService,
    private readonly events: CrmEvents,
  ) {}

  async create(dto: CreateAccountDto): Promise<AccountDto> {
    await this.members.assertMembers(ownerReference(dto));
    return this.tenantData.transaction(async (tx) => {
      const customFields = validateCustomFields(await this.customFields.definitions(tx, ENTITY), dto.customFields, {});
      const accounts = tx.repository(Account);
      const account = await accounts.save(accounts.create({ ...dto, customFields }));
      await this.audit.record(tx, { entity: ENTITY, entityId: account.id, action: 'create', changes: { ...dto, customFields } });
      const record = AccountDto.from(account);
      await this.events.recordChanged(tx, ENTITY, 'created', record);
      return record;
    });
  }

  list(query: ListAccountsQueryDto): Promise<Page<AccountDto>> {
    return this.tenantData.read(async (tx) => {
      const builder = tx.repository(Account).createQueryBuilder('account');
      builder.where(query.deleted ? 'account.deletedAt IS NOT NULL' : 'account.deletedAt IS NULL');
      if (query.search) {
        builder.andWhere("(account.name ILIKE :pattern ESCAPE '\\' OR account.domain ILIKE :pattern ESCAPE '\\')", {
          pattern: `%${escapeLike(query.search)}%`,
        });
      }
      if (query.industry) builder.andWhere('account.industry = :industry', { industry: query.industry });
      if (query.ownerUserId) builder.andWhere('account.ownerUserId = :owner', { owner: query.ownerUserId });
      if (query.country) builder.andWhere('account.country = :country', { country: query.country });
      const order = parseSort(query.sort, ACCOUNT_SORT_PROPERTIES);
      const rows = await applySortedKeyset(builder, order, query).getMany();
      return toSortedPage(rows, query.limit, (row) => row[order.property], AccountDto.from);
    });
  }

  get(id: string): Promise<AccountDto> {
    return this.tenantData.read(async (tx) => AccountDto.from(await findAccount(tx, id)));
  }

  async update(id: string, dto: UpdateAccountDto): Promise<AccountDto> {
    await this.members.assertMembers(ownerReference(dto));
    return this.tenantData.transaction(async (tx) => {
      const account = await findAccount(tx, id, true);
      const { customFields: customValues, ...fields } = dto;
      const customFields = validateCustomFields(await this.customFields.definitions(tx, ENTITY), customValues, account.customFields);
      const changes = changedFields(account, { ...fields, customFields });
      if (Object.keys(changes).length === 0) return AccountDto.from(account);
      Object.assign(account, fields, { customFields });
      const saved = await tx.repository(Account).save(account);
      await this.audit.record(tx, { entity: ENTITY, entityId: id, action: 'update', changes });
      const record = AccountDto.from(saved);
      await this.events.recordChanged(tx, ENTITY, 'updated', record, changes);
      return record;
    });
  }

  /** Soft delete: the account leaves lists and lookups, and can be restored. */
  remove(id: string): Promise<void> {
    return this.tenantData.transaction(async (tx) => {
      const account = await findAccount(tx, id, true);
      await softDelete(tx, Account, id);
      await this.audit.record(tx, { entity: ENTITY, entityId: id, action: 'delete', changes: { name: account.name } });
      await this.events.recordChanged(tx, ENTITY, 'deleted', AccountDto.from(account));
    });
  }

  restore(id: string): Promise<AccountDto> {
    return this.tenantData.transaction(async (tx) => {
      const record = AccountDto.from(await restoreDeleted(tx, this.audit, Account, { entity: ENTITY, id }));
      await this.events.recordChanged(tx, ENTITY, 'restored', record);
      return record;
    });
  }
}

const findAccount = (tx: TenantEntityManager, id: string, forUpdate = false) => findOrFail(tx, Account, id, { name: 'Account', forUpdate });
