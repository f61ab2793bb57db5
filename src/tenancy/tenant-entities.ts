import { Note } from '../notes/entities/note.entity';

/** Every entity of the tenant schema (migrations/tenant), registered on each tenant DataSource. */
export const TENANT_ENTITIES = [Note];
