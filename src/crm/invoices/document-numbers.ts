import { TenantEntityManager } from '../../../libs/tenancy/tenant-connection-provider';
import { DocumentKind } from './invoice-status';

/**
 * The next number of a tenant's quotes or invoices. The counter row is updated in the caller's
 * transaction: concurrent creations queue on its row lock (no duplicates) and a rolled-back
 * creation rolls its number back with it (no gaps).
 */
export async function nextDocumentNumber(tx: TenantEntityManager, kind: DocumentKind): Promise<number> {
  const [row] = await tx.manager.query<Array<{ last_number: number }>>(
    `INSERT INTO document_counters (kind, last_number) VALUES ($1, 1)
     ON CONFLICT (tenant_id, kind) DO UPDATE SET last_number = document_counters.last_number + 1
     RETURNING last_number`,
    [kind],
  );
  return row.last_number;
}
