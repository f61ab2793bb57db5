import { escapeLike } from '../../platform/column-values/escape-like';
import { isoTimestamp } from '../../platform/column-values/iso-timestamp';
import { cursorFields, decodeCursor } from '../../../libs/tenancy/records/cursor-codec';
import { SortOrder } from '../../../libs/tenancy/records/sort-order';
import { CONTACT_SORT_PROPERTIES, ContactAccountLinkDto, ListContactsQueryDto } from './dto/contact.dto';

export type ContactSortProperty = (typeof CONTACT_SORT_PROPERTIES)[number];

/** A listed contact as the statement returns it: ContactDto's shape, with database nulls and timestamps in ISO 8601. */
export interface ContactListRow {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  jobTitle: string | null;
  ownerUserId: string | null;
  customFields: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  accounts: ContactAccountLinkDto[];
}

// Identifiers come from here only; everything a client sends is a bound value.
const SORT_COLUMNS: Record<ContactSortProperty, { column: string; type: string }> = {
  createdAt: { column: 'c.created_at', type: 'timestamptz' },
  lastName: { column: 'c.last_name', type: 'text' },
};

/**
 * The contact list as one hand-written statement, with the page's account links as JSON per
 * contact. The list is the CRM's hottest read, and TypeORM's query building and entity hydration
 * were a large part of the route's CPU (BENCHMARKS.md, bench:crm); this statement returns rows in
 * ContactDto's shape instead, timestamps already as the JSON text they become. Row-level security
 * still does the tenant filtering. Fetches `limit + 1` rows for `toSortedPage`.
 */
export function contactListStatement(
  query: ListContactsQueryDto,
  order: SortOrder<ContactSortProperty>,
): { text: string; values: unknown[] } {
  const { property, direction } = order;
  const values: unknown[] = [];
  const bind = (value: unknown) => `$${values.push(value)}`;
  const sort = SORT_COLUMNS[property];
  const conditions = ['c.deleted_at IS NULL'];
  // search_text is lower(first name, last name, e-mail), kept by the database. The pattern is
  // lowered in a sub-select so the prepared statement's generic plan does it once, not per row
  // walked (EXPLAIN ANALYZE in BENCHMARKS.md, bench:crm); `\` is LIKE's default escape.
  if (query.search) conditions.push(`c.search_text LIKE (SELECT lower(${bind(`%${escapeLike(query.search)}%`)}))`);
  if (query.ownerUserId) conditions.push(`c.owner_user_id = ${bind(query.ownerUserId)}`);
  if (query.accountId) {
    conditions.push(
      `EXISTS (SELECT 1 FROM contact_accounts link WHERE link.tenant_id = c.tenant_id AND link.contact_id = c.id AND link.account_id = ${bind(query.accountId)})`,
    );
  }
  if (query.cursor) {
    const [value, id] = decodeCursor(query.cursor, [
      sort.type === 'timestamptz' ? cursorFields.timestamp : cursorFields.text,
      cursorFields.uuid,
    ]);
    conditions.push(`(${sort.column}, c.id) ${direction === 'ASC' ? '>' : '<'} (${bind(value)}::${sort.type}, ${bind(id)}::uuid)`);
  }
  const text = `SELECT c.id, c.first_name AS "firstName", c.last_name AS "lastName", c.email, c.phone, c.job_title AS "jobTitle",
       c.owner_user_id AS "ownerUserId", c.custom_fields AS "customFields", ${isoTimestamp('c.created_at')} AS "createdAt", ${isoTimestamp('c.updated_at')} AS "updatedAt",
       (SELECT coalesce(json_agg(json_build_object('accountId', link.account_id, 'role', link.role) ORDER BY link.created_at), '[]')
          FROM contact_accounts link WHERE link.tenant_id = c.tenant_id AND link.contact_id = c.id) AS accounts
  FROM contacts c
 WHERE ${conditions.join(' AND ')}
 ORDER BY ${sort.column} ${direction}, c.id ${direction}
 LIMIT ${bind(query.limit + 1)}`;
  return { text, values };
}
