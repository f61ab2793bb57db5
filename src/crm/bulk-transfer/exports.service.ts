import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { stringify } from 'csv-stringify/sync';
import { ClsService } from 'nestjs-cls';
import { Readable } from 'node:stream';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { BulkImportLedger } from '../../control-plane/bulk-imports/bulk-import-ledger';
import { Page } from '../../platform/pagination/cursor-pagination';
import { AccountsStores } from '../accounts/accounts-stores';
import { ListAccountsQueryDto } from '../accounts/dto/account.dto';
import { ContactsStores } from '../contacts/contacts-stores';
import { ListContactsQueryDto } from '../contacts/dto/contact.dto';
import { CustomFieldsService } from '../custom-fields/custom-fields.service';
import { ListInventoryItemsQueryDto } from '../inventory/dto/inventory-item.dto';
import { InventoryStores } from '../inventory/inventory-stores';
import { TransferAccess } from './transfer-access';
import { TRANSFER_ENTITY, TransferEntity, TransferEntityName } from './transfer-entities';

/** Records read per page: the API's largest page. */
const PAGE_SIZE = 100;

type ExportedRecord = Record<string, unknown> & { customFields?: Record<string, unknown> };

/**
 * Every live record of one entity of the current tenant, as CSV (a header row; custom fields as
 * `customFields.<key>` columns; quoted as RFC 4180 says) or NDJSON (each record as the API answers
 * it). Read a page at a time through the entity's store (the tenant's database, or its own system
 * through the mapping), and only as fast as the client takes the answer: the next page is read
 * when the stream is read, so at most one page is held.
 */
@Injectable()
export class ExportsService {
  constructor(
    private readonly ledger: BulkImportLedger,
    private readonly cls: ClsService,
    private readonly tenants: TenantContext,
    private readonly access: TransferAccess,
    private readonly customFields: CustomFieldsService,
    private readonly accounts: AccountsStores,
    private readonly contacts: ContactsStores,
    private readonly inventory: InventoryStores,
  ) {}

  async export(name: TransferEntityName, format: 'csv' | 'ndjson'): Promise<Readable> {
    const entity = TRANSFER_ENTITY[name];
    this.access.assertMay(entity, 'read');
    const tenant = this.tenants.require();
    const customKeys =
      entity.customFields && tenant.recordStore === 'own'
        ? (await this.customFields.list(entity.auditEntity)).map((definition) => definition.key)
        : undefined;
    // The first page is read before the answer starts, so that a store which cannot answer (the customer's system
    // down, say) gets the error the list route would give, and no export is recorded that was not made. A later page
    // that fails cuts the answer off (StreamableFile destroys it), so a truncated file never looks complete.
    const first = await this.page(entity.name, undefined);
    await this.ledger.recordExport(tenant.id, { entity: name, format });
    // The stream is read after the handler returned: each page is read in the request's context again.
    const store = this.cls.get();
    const pages = this.pages(entity, first, (read) => this.cls.runWith(store, read));
    return Readable.from(format === 'csv' ? csvLines(entity, pages, customKeys) : ndjsonLines(pages), { objectMode: false });
  }

  private async *pages(
    entity: TransferEntity,
    first: Page<ExportedRecord>,
    inContext: <T>(read: () => Promise<T>) => Promise<T>,
  ): AsyncGenerator<ExportedRecord[]> {
    let page = first;
    yield page.items;
    while (page.nextCursor) {
      const cursor = page.nextCursor;
      page = await inContext(() => this.page(entity.name, cursor));
      yield page.items;
    }
  }

  private page(name: TransferEntityName, cursor: string | undefined): Promise<Page<ExportedRecord>> {
    const query = { limit: PAGE_SIZE, cursor };
    switch (name) {
      case 'accounts':
        return this.accounts.current().list(plainToInstance(ListAccountsQueryDto, query)) as unknown as Promise<Page<ExportedRecord>>;
      case 'contacts':
        return this.contacts.current().list(plainToInstance(ListContactsQueryDto, query)) as unknown as Promise<Page<ExportedRecord>>;
      case 'inventory-items':
        return this.inventory.current().list(plainToInstance(ListInventoryItemsQueryDto, query)) as unknown as Promise<
          Page<ExportedRecord>
        >;
    }
  }
}

async function* ndjsonLines(pages: AsyncIterable<ExportedRecord[]>): AsyncGenerator<string> {
  for await (const records of pages) if (records.length) yield records.map((record) => `${JSON.stringify(record)}\n`).join('');
}

/** Custom field columns: the tenant's definitions, or (its data in its own system) the columns its mapping gives every record. */
async function* csvLines(entity: TransferEntity, pages: AsyncIterable<ExportedRecord[]>, customKeys?: string[]): AsyncGenerator<string> {
  let columns: string[] | undefined;
  let keys = customKeys;
  for await (const records of pages) {
    if (!columns) {
      keys ??= Object.keys(records[0]?.customFields ?? {});
      columns = [...entity.exportColumns, ...keys.map((key) => `customFields.${key}`)];
      yield stringify([columns]);
    }
    const customKeysOfPage = keys ?? [];
    if (records.length) {
      yield stringify(
        records.map((record) => [
          ...entity.exportColumns.map((column) => cell(record[column])),
          ...customKeysOfPage.map((key) => cell(record.customFields?.[key])),
        ]),
      );
    }
  }
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  // Numbers and booleans as JSON writes them, objects as JSON.
  return typeof value === 'string' ? value : JSON.stringify(value);
}
