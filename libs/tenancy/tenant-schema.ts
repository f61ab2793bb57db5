import { MigrationClass, schemaVersionOf } from './tenant-schema-migrator';

/**
 * The tenant schema this build of the app needs: its migrations, oldest first, and the version
 * they lead to (the last migration's name). Injected, so a test can run the app with an extra
 * migration as a new release would.
 */
export class TenantSchema {
  readonly version: string;

  constructor(readonly migrations: MigrationClass[]) {
    this.version = schemaVersionOf(migrations);
  }

  /**
   * Whether a database at `version` lacks migrations this app relies on. A version this app does
   * not know is newer (migrations are additive), so older app instances keep serving it during
   * a rolling upgrade.
   */
  isBehind(version: string | null): boolean {
    if (version === null) return true;
    const names = this.migrations.map((migration) => new migration().name ?? migration.name);
    const index = names.indexOf(version);
    return index !== -1 && index < names.length - 1;
  }
}
