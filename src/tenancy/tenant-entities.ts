import { Note } from '../notes/entities/note.entity';
import { DataAuditEntry } from '../tenant-audit/entities/data-audit-entry.entity';

/** Every entity of the tenant schema (migrations/tenant), registered on each tenant DataSource. */
export const TENANT_ENTITIES = [Note, DataAuditEntry];
