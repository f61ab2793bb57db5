import { ConflictException, HttpException, Injectable } from '@nestjs/common';
import { ObjectLiteral, QueryFailedError } from 'typeorm';
import { TenantEntityManager } from '../../../libs/tenancy/tenant-connection-provider';
import { ImportTableStatistics } from '../../control-plane/bulk-imports/import-table-statistics';
import { TenantMembers } from '../../control-plane/tenant-binding/tenant-members';
import { AccountDto } from '../accounts/dto/account.dto';
import { Account } from '../accounts/entities/account.entity';
import { ContactQuota } from '../contacts/contact-quota';
import { ContactDto } from '../contacts/dto/contact.dto';
import { Contact } from '../contacts/entities/contact.entity';
import { CrmEntity } from '../domain-events/crm-event-catalog';
import { CrmEvents } from '../domain-events/crm-events';
import { validateCustomFields } from '../custom-fields/custom-field-validation';
import { CustomFieldDefinition } from '../custom-fields/entities/custom-field-definition.entity';
import { InventoryItemDto } from '../inventory/dto/inventory-item.dto';
import { InventoryItem } from '../inventory/entities/inventory-item.entity';
import { StockMovements } from '../inventory/stock-movements';
import { changedFields, DataChange, TenantAuditService } from '../tenant-audit/tenant-audit.service';
import { CheckedRow, RowError, rowErrorsOf } from './import-row-check';
import { insertRecords } from './record-rows-insert';
import { customKeyOf, TransferEntity, TransferEntityName } from './transfer-entities';

/** One import's settings for writing to a tenant database of ours. */
export interface OwnImport {
  entity: TransferEntity;
  externalKey: string;
  definitions: CustomFieldDefinition[];
  /** The tenant's currency, for items that name none (as the API's create route). */
  currency: string | null;
}

type OwnRecord = ObjectLiteral & { id: string; customFields?: Record<string, unknown> };

/** A row ready to write: a new record's values, or an existing record and what changes. */
type Planned =
  | { row: CheckedRow; insert: Record<string, unknown>; audit: Record<string, unknown> }
  | { row: CheckedRow; existing: OwnRecord; fields: Record<string, unknown>; changes: Record<string, unknown> };

const ENTITY_CLASS: Record<TransferEntityName, new () => OwnRecord> = {
  accounts: Account,
  contacts: Contact,
  'inventory-items': InventoryItem,
};

const UNIQUE_VIOLATION = '23505';

/**
 * Writes checked import rows to the current tenant's database (pooled or dedicated) in the
 * caller's transaction, a batch at a time, with what the API's create and change routes do per
 * record: owners must be users of the tenant, custom fields pass their definitions, contacts stay
 * within maxContacts, an item's initialStock is a receive movement, and every change is audited and
 * raises its domain event, in the batch's transaction.
 * A row whose external key matches a live record changes it (or leaves it as it is); other rows
 * create one. The batch is written in a few statements; if one of them fails, the batch is written
 * again row by row, each under a savepoint, so the failing rows are known and the others land.
 */
@Injectable()
export class OwnRecordsWriter {
  constructor(
    private readonly members: TenantMembers,
    private readonly audit: TenantAuditService,
    private readonly events: CrmEvents,
    private readonly quota: ContactQuota,
    private readonly stock: StockMovements,
    private readonly statistics: ImportTableStatistics,
  ) {}

  /** Writes the rows (their external keys distinct); returns how many landed and the errors of the others. */
  async write(tx: TenantEntityManager, job: OwnImport, rows: CheckedRow[]): Promise<{ written: number; errors: RowError[] }> {
    // Batches of one tenant's imports of one entity take turns, to the end of their transactions: the lookup by key
    // below sees what another import (or a superseded attempt of this one, still committing) wrote, so a file
    // imported twice at once creates nothing twice.
    await tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [`bulk-import:${job.entity.name}`, tx.tenantId]);
    const errors: RowError[] = [];
    const owned = await this.withMemberOwners(rows, errors);
    const existing = await this.existingByKey(tx, job, owned);
    let planned: Planned[] = [];
    for (const row of owned) {
      try {
        planned.push(plan(job, row, existing.get(row.key)));
      } catch (error) {
        if (!(error instanceof HttpException)) throw error;
        errors.push(...rowErrorsOf(row.row, error));
      }
    }
    if (job.entity.name === 'contacts') planned = await this.withinContactQuota(tx, planned, errors);
    await tx.manager.query('SAVEPOINT bulk_batch');
    try {
      await this.writeAll(tx, job, planned);
      await tx.manager.query('RELEASE SAVEPOINT bulk_batch');
      this.reportGrowthOnCommit(tx, job, planned);
      return { written: planned.length, errors };
    } catch (error) {
      if (!isRowFault(error)) throw error;
      await tx.manager.query('ROLLBACK TO SAVEPOINT bulk_batch');
    }
    const landed: Planned[] = [];
    for (const one of planned) {
      await tx.manager.query('SAVEPOINT bulk_row');
      try {
        await this.writeAll(tx, job, [one]);
        await tx.manager.query('RELEASE SAVEPOINT bulk_row');
        landed.push(one);
      } catch (error) {
        if (!isRowFault(error)) throw error;
        await tx.manager.query('ROLLBACK TO SAVEPOINT bulk_row');
        errors.push(...rowFaultErrors(one.row.row, error));
      }
    }
    this.reportGrowthOnCommit(tx, job, landed);
    return { written: landed.length, errors };
  }

  /** The new contacts beyond the plan's maxContacts are row errors, counted once for the batch rather than tried one by one. */
  private async withinContactQuota(tx: TenantEntityManager, planned: Planned[], errors: RowError[]): Promise<Planned[]> {
    const { admitted, refusal } = await this.quota.admit(tx, planned.filter((one) => 'insert' in one).length);
    if (!refusal) return planned;
    let left = admitted;
    return planned.filter((one) => {
      if (!('insert' in one)) return true;
      if (left > 0) {
        left -= 1;
        return true;
      }
      errors.push(...rowErrorsOf(one.row.row, refusal));
      return false;
    });
  }

  /** Once the records created are committed, the table's statistics may need refreshing (ImportTableStatistics). */
  private reportGrowthOnCommit(tx: TenantEntityManager, job: OwnImport, written: Planned[]): void {
    const created = written.filter((one) => 'insert' in one).length;
    if (created === 0) return;
    const table = tx.manager.connection.getMetadata(ENTITY_CLASS[job.entity.name]).tableName;
    tx.afterCommit(() => this.statistics.grew(tx.tenantId, table, created));
  }

  private async writeAll(tx: TenantEntityManager, job: OwnImport, planned: Planned[]): Promise<void> {
    const repository = tx.repository(ENTITY_CLASS[job.entity.name]);
    const entity = job.entity.auditEntity as CrmEntity;
    // New contacts were admitted by the quota for the batch (withinContactQuota), under a lock held to its commit.
    const inserts = planned.filter((one) => 'insert' in one);
    const audited: DataChange[] = [];
    if (inserts.length > 0) {
      const created = await insertRecords(
        tx,
        ENTITY_CLASS[job.entity.name],
        inserts.map((one) => one.insert),
      );
      const ids = created.map((record) => record.id);
      await this.events.recordManyChanged(
        tx,
        entity,
        created.map((record) => ({ action: 'created', record: apiRecordOf(job.entity.name, record) })),
      );
      for (const [i, one] of inserts.entries()) {
        audited.push({ entity, entityId: ids[i], action: 'create', changes: one.audit });
        const initialStock = one.row.dto.initialStock as number | undefined;
        if (initialStock) await this.stock.apply(tx, ids[i], { kind: 'receive', quantity: initialStock, reason: 'Initial stock' });
      }
    }
    const updated: Array<{ action: 'updated'; record: object; changes: Record<string, unknown> }> = [];
    for (const one of planned) {
      if (!('existing' in one) || Object.keys(one.changes).length === 0) continue;
      const saved = await repository.save(Object.assign(one.existing, one.fields));
      audited.push({ entity, entityId: one.existing.id, action: 'update', changes: one.changes });
      updated.push({ action: 'updated', record: apiRecordOf(job.entity.name, saved), changes: one.changes });
    }
    await this.events.recordManyChanged(tx, entity, updated);
    await this.audit.recordMany(tx, audited);
  }

  /** Rows whose owner is a user of the tenant (or that name none); the others are errors, as the API's 404 would name them. */
  private async withMemberOwners(rows: CheckedRow[], errors: RowError[]): Promise<CheckedRow[]> {
    const owners = [...new Set(rows.map((row) => row.dto.ownerUserId).filter((owner): owner is string => typeof owner === 'string'))];
    const outsiders = new Set<string>();
    for (const owner of owners) {
      try {
        await this.members.assertMembers([{ field: 'ownerUserId', userId: owner }]);
      } catch (error) {
        if (!(error instanceof HttpException)) throw error;
        outsiders.add(owner);
      }
    }
    return rows.filter((row) => {
      if (!outsiders.has(row.dto.ownerUserId as string)) return true;
      errors.push({ row: row.row, field: 'ownerUserId', message: 'not a user of this tenant' });
      return false;
    });
  }

  /** The live records the rows' external keys name; several with one key: the oldest is the one imports change. */
  private async existingByKey(tx: TenantEntityManager, job: OwnImport, rows: CheckedRow[]): Promise<Map<string, OwnRecord>> {
    const found = new Map<string, OwnRecord>();
    if (rows.length === 0) return found;
    const builder = tx.repository(ENTITY_CLASS[job.entity.name]).createQueryBuilder('record').where('record.deletedAt IS NULL');
    // A contact's events carry its account links, as the API answers it.
    if (job.entity.name === 'contacts') builder.leftJoinAndSelect('record.accounts', 'link');
    const custom = customKeyOf(job.externalKey);
    const keyOf = (record: OwnRecord) => String(custom === undefined ? record[job.externalKey] : (record.customFields ?? {})[custom]);
    // The keys as one array parameter: thousands of parameters, one per key, cost the driver and the planner more.
    const keys = rows.map((row) => row.key);
    if (custom === undefined) builder.andWhere(`record.${job.externalKey}::text = ANY(CAST(:keys AS text[]))`, { keys });
    else builder.andWhere(`record.customFields ->> :custom = ANY(CAST(:keys AS text[]))`, { custom, keys });
    for (const record of await builder.orderBy('record.createdAt', 'DESC').getMany()) found.set(keyOf(record), record);
    return found;
  }
}

/** The record as the API answers it, which its domain events carry. */
function apiRecordOf(name: TransferEntityName, record: OwnRecord): object {
  switch (name) {
    case 'accounts':
      return AccountDto.from(record as Account);
    case 'contacts':
      return ContactDto.from({ ...(record as Contact), accounts: (record as Contact).accounts ?? [] });
    case 'inventory-items':
      return InventoryItemDto.from(record as InventoryItem);
  }
}

/** What writing `row` means: a new record or a change of `existing`; a custom field its definitions refuse is a 400. */
function plan(job: OwnImport, row: CheckedRow, existing: OwnRecord | undefined): Planned {
  const { customFields: customValues, initialStock, ...fields } = row.dto;
  const custom = job.entity.customFields
    ? {
        customFields: validateCustomFields(
          job.definitions,
          customValues as Record<string, unknown> | undefined,
          existing?.customFields ?? {},
        ),
      }
    : {};
  if (existing) {
    const next = { ...fields, ...custom };
    return { row, existing, fields: next, changes: changedFields(existing, next) };
  }
  if (job.entity.name === 'inventory-items') {
    const currency = (fields.currency as string | undefined) ?? job.currency;
    if (!currency)
      throw new ConflictException({
        message: 'The tenant has no currency setting',
        details: [{ field: 'currency', problems: ['required: the tenant has no currency setting'] }],
      });
    const values = { description: '', lowStockThreshold: 0, ...fields, currency, status: 'available' };
    return { row, insert: values, audit: { ...fields, initialStock, currency } };
  }
  return { row, insert: { ...fields, ...custom }, audit: { ...fields, ...custom } };
}

/** Failures that belong to a row (refused by the API's rules or a constraint), not to the job. */
function isRowFault(error: unknown): boolean {
  if (error instanceof HttpException) return error.getStatus() < 500;
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION;
}

function rowFaultErrors(row: number, error: unknown): RowError[] {
  if (error instanceof HttpException) return rowErrorsOf(row, error);
  const constraint = (error as QueryFailedError & { driverError: { constraint?: string } }).driverError.constraint;
  if (constraint === 'inventory_items_sku_key') return [{ row, field: 'sku', message: 'An item with this SKU already exists' }];
  return [{ row, field: '', message: 'The record conflicts with an existing one' }];
}
