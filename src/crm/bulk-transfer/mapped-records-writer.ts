import { Injectable } from '@nestjs/common';
import { FieldErrorDto } from '../../platform/errors/error-response.dto';
import { HttpErrorFilter } from '../../platform/errors/http-error.filter';
import { MappedAccountsStore } from '../accounts/mapped-accounts.store';
import { CreateAccountDto } from '../accounts/dto/account.dto';
import { MappedContactsStore } from '../contacts/mapped-contacts.store';
import { CreateContactDto } from '../contacts/dto/contact.dto';
import { MappedInventoryStore } from '../inventory/mapped-inventory.store';
import { CreateInventoryItemDto } from '../inventory/dto/inventory-item.dto';
import { MappedEntities } from '../mapped-sources/mapped-entities';
import { CheckedRow, RowError } from './import-row-check';
import { TransferEntity } from './transfer-entities';

/** The entity in a byod tenant's mapping. */
const MAPPED_ENTITY = { accounts: 'account', contacts: 'contact', 'inventory-items': 'inventory_item' } as const;
/** Our API's field → the mapped field an external key is looked up by. */
const MAPPED_FIELD: Record<string, string> = { name: 'name', domain: 'domain', email: 'email', phone: 'phone', sku: 'sku' };

/**
 * Writes checked import rows to a byod tenant's own system, one record at a time through the
 * module's mapped store: the same path as the API's create and change routes, so the mapping, the
 * tenant's field rules, maxContacts and the control-plane audit all apply. The customer's system
 * offers no transaction spanning rows, so each row lands or fails on its own.
 */
@Injectable()
export class MappedRecordsWriter {
  private readonly answers = new HttpErrorFilter();

  constructor(
    private readonly entities: MappedEntities,
    private readonly accounts: MappedAccountsStore,
    private readonly contacts: MappedContactsStore,
    private readonly inventory: MappedInventoryStore,
  ) {}

  /** Why `externalKey` cannot find records of the tenant's system, or undefined when it can. */
  async keyProblem(entity: TransferEntity, externalKey: string): Promise<string | undefined> {
    const field = MAPPED_FIELD[externalKey];
    if (!field) return `${externalKey} cannot be looked up in the tenant's own system: use one of its mapped fields`;
    const mapped = await this.entities.read(MAPPED_ENTITY[entity.name], async (table) => table.has(field));
    return mapped ? undefined : `${externalKey} is not mapped onto the tenant's own system`;
  }

  async write(entity: TransferEntity, externalKey: string, currency: string | null, rows: CheckedRow[]) {
    const errors: RowError[] = [];
    let written = 0;
    for (const row of rows) {
      try {
        await this.writeOne(entity, externalKey, currency, row);
        written += 1;
      } catch (error) {
        const answer = this.answers.toBody(error);
        if (answer.statusCode >= 500) throw error;
        const details = answer.details as FieldErrorDto[] | undefined;
        if (details?.length) errors.push(...details.map(({ field, problems }) => ({ row: row.row, field, message: problems.join('; ') })));
        else errors.push({ row: row.row, field: '', message: answer.message });
      }
    }
    return { written, errors };
  }

  private async writeOne(entity: TransferEntity, externalKey: string, currency: string | null, row: CheckedRow): Promise<void> {
    const id = await this.idOf(entity, externalKey, row.key);
    switch (entity.name) {
      case 'accounts': {
        const dto = row.dto as unknown as CreateAccountDto;
        await (id === undefined ? this.accounts.create(dto) : this.accounts.update(id, dto));
        return;
      }
      case 'contacts': {
        const dto = row.dto as unknown as CreateContactDto;
        await (id === undefined ? this.contacts.create(dto) : this.contacts.update(id, dto));
        return;
      }
      case 'inventory-items': {
        const { initialStock, ...fields } = row.dto as unknown as CreateInventoryItemDto;
        if (id === undefined) await this.inventory.create({ ...fields, initialStock }, fields.currency ?? currency ?? '');
        else await this.inventory.update(id, fields);
      }
    }
  }

  /** The key of the record whose external key field holds `key`, if there is one. */
  private idOf(entity: TransferEntity, externalKey: string, key: string): Promise<string | undefined> {
    const field = MAPPED_FIELD[externalKey];
    return this.entities.read(MAPPED_ENTITY[entity.name], async (table) => {
      const [found] = await table.list({ conditions: [{ field, op: '=', value: key }], sort: { field, direction: 'ASC' }, limit: 1 });
      if (!found) return undefined;
      return entity.name === 'inventory-items' ? String(found.record.sku) : String(found.record.id);
    });
  }
}
