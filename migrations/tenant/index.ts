import { Notes1763880000001 } from './1763880000001-Notes';

/** The one tenant schema, for pooled and dedicated databases alike. The last one's name is the schema version. */
export const TENANT_MIGRATIONS = [Notes1763880000001];
