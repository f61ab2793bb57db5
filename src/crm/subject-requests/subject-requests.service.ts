import { ConflictException, Injectable } from '@nestjs/common';
import { escapeIdentifier } from 'pg';
import { readTenantTableLayout, readTenantTextColumns, TenantTextColumn } from '../../../libs/tenancy/tenant-tables';
import { addressPattern, anonymisedEventData, ERASED, ErasedRecords, eventsAboutRecords } from '../../../libs/tenancy/outbox/event-erasure';
import { holdTenantRelays } from '../../../libs/tenancy/outbox/outbox-relay';
import { TenantConnectionProvider, TenantEntityManager } from '../../../libs/tenancy/tenant-connection-provider';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { EventCopiesErasure } from '../../control-plane/domain-events/event-copies-erasure';
import { TenantAuditService } from '../tenant-audit/tenant-audit.service';
import { SubjectRequestDto, SubjectRequestResultDto } from './dto/subject-request.dto';

/** What an erased contact's and activity's events keep of their records (ContactDto, ActivityDto fields). */
const ANONYMISED_CONTACT = { firstName: 'Erased', lastName: 'Contact', email: null, phone: null, jobTitle: null, customFields: {} };
const ANONYMISED_ACTIVITY = { subject: 'Erased', body: '' };
/** Rows of one table an export returns at most: a person's data, not a table's. */
const EXPORT_ROWS_PER_TABLE = 10_000;

interface PersonRows {
  contactIds: string[];
  /** Per table, the condition selecting rows that refer to the contacts ($1: their ids). */
  references: Map<string, string>;
}

/**
 * Requests from data subjects, by e-mail, across the tenant's own data: the contacts holding the
 * address (deleted ones too), the rows referring to them (through foreign keys, and activities
 * attached to them), and every row with the address written in a text or JSON column, found by
 * reading the catalog, so a column added later is searched too. Erasure anonymises the contacts
 * and their activities, blanks their data-audit entries' changes, and replaces the address
 * wherever else it is written, in one transaction; each erased contact gets a data-audit entry
 * saying only that it was erased. Events still in the outbox are erased with the rest (the relay
 * waits for the erasure to commit), and the control plane's copies of the tenant's events (the event
 * log, webhook payloads and logs) are erased before the tenant's transaction commits, so a failure
 * there leaves nothing erased and the request can be repeated. Only the tenant's own database: a
 * byod tenant's data is its own.
 */
@Injectable()
export class SubjectRequestsService {
  constructor(
    private readonly tenantData: TenantConnectionProvider,
    private readonly context: TenantContext,
    private readonly audit: TenantAuditService,
    private readonly eventCopies: EventCopiesErasure,
  ) {}

  handle(dto: SubjectRequestDto): Promise<SubjectRequestResultDto> {
    if (this.context.require().recordStore === 'mapped') {
      throw new ConflictException('This tenant’s records live in its own system: a data subject request is answered there');
    }
    const email = dto.email.toLowerCase();
    if (dto.action === 'erase') return this.tenantData.transaction((tx) => this.erase(tx, email));
    return this.tenantData.transaction((tx) => this.find(tx, email, dto.action === 'export'));
  }

  private async find(tx: TenantEntityManager, email: string, withRows: boolean): Promise<SubjectRequestResultDto> {
    const person = await this.personOf(tx, email);
    const related: Record<string, number> = {};
    const data: Record<string, unknown[]> = {};
    if (withRows) data.contacts = await this.rows(tx, 'contacts', 'id = ANY($1::uuid[])', [person.contactIds]);
    for (const [table, condition] of person.references) {
      related[table] = await this.count(tx, table, condition, [person.contactIds]);
      if (withRows && related[table] > 0) data[table] = await this.rows(tx, table, condition, [person.contactIds]);
    }
    const mentions: Record<string, number> = {};
    for (const [table, columns] of await this.textColumnsByTable(tx)) {
      const condition = columns.map((column) => `strpos(lower(${textOf(column)}), $1) > 0`).join(' OR ');
      const count = await this.count(tx, table, condition, [email]);
      if (count === 0) continue;
      mentions[table] = count;
      if (withRows) data[`${table}:mentions`] = await this.rows(tx, table, condition, [email]);
    }
    return { action: withRows ? 'export' : 'find', contactIds: person.contactIds, related, mentions, ...(withRows ? { data } : {}) };
  }

  private async erase(tx: TenantEntityManager, email: string): Promise<SubjectRequestResultDto> {
    // An event the relay has read but not yet handed over is in the control plane before this goes on; the next waits for the commit.
    await holdTenantRelays(tx.manager, this.context.require().id);
    const person = await this.personOf(tx, email);
    const ids = person.contactIds;
    const activities = await tx.manager.query<Array<{ id: string }>>(
      `SELECT id FROM activities WHERE related_type = 'contact' AND related_id = ANY($1::uuid[])`,
      [ids],
    );
    const records: ErasedRecords[] = [
      { entity: 'contact', ids, anonymised: ANONYMISED_CONTACT },
      { entity: 'activity', ids: activities.map((activity) => activity.id), anonymised: ANONYMISED_ACTIVITY },
    ];
    const related: Record<string, number> = {};
    for (const [table, condition] of person.references) related[table] = await this.count(tx, table, condition, [ids]);
    // The entries saying what was written about them hold what is being erased.
    await tx.manager.query(
      `UPDATE data_audit SET changes = '{"erased": true}'
        WHERE (entity = 'contact' AND entity_id = ANY($1::uuid[]))
           OR (entity = 'activity' AND entity_id IN (SELECT id FROM activities WHERE related_type = 'contact' AND related_id = ANY($1::uuid[])))`,
      [ids],
    );
    await tx.manager.query(
      `UPDATE activities SET subject = 'Erased', body = '', updated_at = now() WHERE related_type = 'contact' AND related_id = ANY($1::uuid[])`,
      [ids],
    );
    await tx.manager.query(
      `UPDATE contacts SET first_name = 'Erased', last_name = 'Contact', email = NULL, phone = NULL, job_title = NULL, custom_fields = '{}',
              updated_at = now() WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    for (const { entity, ids: recordIds, anonymised } of records) {
      await tx.manager.query(
        `UPDATE outbox_events SET data = ${anonymisedEventData('data', '$3')} WHERE ${eventsAboutRecords('type', 'data', '$1', '$2')}`,
        [entity, recordIds, JSON.stringify(anonymised)],
      );
    }
    const pattern = addressPattern(email);
    const mentions: Record<string, number> = {};
    for (const [table, columns] of await this.textColumnsByTable(tx)) {
      for (const column of columns) {
        const name = escapeIdentifier(column.column);
        const [, changed] = await tx.manager.query<[unknown, number]>(
          `UPDATE ${escapeIdentifier(table)} SET ${name} = ${replaced(column)} WHERE ${textOf(column)} ~* $1`,
          [pattern],
        );
        if (changed > 0) mentions[table] = (mentions[table] ?? 0) + changed;
      }
    }
    for (const id of ids) await this.audit.record(tx, { entity: 'contact', entityId: id, action: 'update', changes: { erased: true } });
    const copies = await this.eventCopies.erase({ email, records });
    return { action: 'erase', contactIds: ids, related, mentions, copies };
  }

  /** The contacts holding the address, and how each table refers to contacts. */
  private async personOf(tx: TenantEntityManager, email: string): Promise<PersonRows> {
    const contacts = await tx.manager.query<Array<{ id: string }>>(
      'SELECT id FROM contacts WHERE lower(email) = $1 ORDER BY created_at, id',
      [email],
    );
    const references = new Map<string, string>();
    const layout = await readTenantTableLayout(tx.manager);
    for (const key of layout.foreignKeys) {
      if (key.parent !== 'contacts' || key.child === 'contacts') continue;
      const column = key.childColumns.find((name) => name !== 'tenant_id')!;
      references.set(key.child, `${escapeIdentifier(column)} = ANY($1::uuid[])`);
    }
    references.set('activities', `related_type = 'contact' AND related_id = ANY($1::uuid[])`);
    return { contactIds: contacts.map((contact) => contact.id), references };
  }

  private async textColumnsByTable(tx: TenantEntityManager): Promise<Map<string, TenantTextColumn[]>> {
    const byTable = new Map<string, TenantTextColumn[]>();
    // The outbox too: an event still waiting there would carry the address out.
    for (const column of await readTenantTextColumns(tx.manager, { withWorkInFlight: true })) {
      if (column.generated) continue;
      byTable.set(column.table, [...(byTable.get(column.table) ?? []), column]);
    }
    return byTable;
  }

  private async count(tx: TenantEntityManager, table: string, condition: string, values: unknown[]): Promise<number> {
    const [row] = await tx.manager.query<Array<{ count: number }>>(
      `SELECT count(*)::int AS count FROM ${escapeIdentifier(table)} WHERE ${condition}`,
      values,
    );
    return row.count;
  }

  private async rows(tx: TenantEntityManager, table: string, condition: string, values: unknown[]): Promise<unknown[]> {
    const rows = await tx.manager.query<Array<{ row: unknown }>>(
      `SELECT to_jsonb(t) - 'tenant_id' AS row FROM ${escapeIdentifier(table)} t WHERE ${condition} LIMIT ${EXPORT_ROWS_PER_TABLE}`,
      values,
    );
    return rows.map((row) => row.row);
  }
}

/** The column as text, whatever its type, for searching it. */
function textOf(column: TenantTextColumn): string {
  const name = escapeIdentifier(column.column);
  return column.kind === 'text' ? name : `${name}::text`;
}

/** The column with every match of the pattern (parameter `$1`) replaced, cast back to its type. */
function replaced(column: TenantTextColumn): string {
  const text = `regexp_replace(${textOf(column)}, $1, '${ERASED}', 'gi')`;
  if (column.kind === 'json') return `${text}::jsonb`;
  if (column.kind === 'text-array') return `${text}::text[]`;
  return text;
}
