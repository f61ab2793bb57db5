import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';
import { CONTROL_PLANE_MIGRATIONS } from '../../../migrations/control-plane';
import { AppConfig } from '../../platform/config/app-config';
import { CONTROL_PLANE_ENTITIES } from '../schema/control-plane-entities';

/** The TypeORM name of the job workers' control-plane DataSource (inject with `@InjectDataSource(WORKER_DATA_SOURCE)`). */
export const WORKER_DATA_SOURCE = 'worker';

/**
 * Options of a control-plane DataSource with `poolSize` connections. Every statement on them
 * waits at most CONTROL_PLANE_LOCK_TIMEOUT_MS for a lock and runs at most
 * CONTROL_PLANE_STATEMENT_TIMEOUT_MS, so one stuck lock holder cannot pin the pool's connections.
 */
export function controlPlaneConnection(
  database: AppConfig['database'],
  applicationName: string,
  poolSize: number,
): PostgresDataSourceOptions {
  return {
    type: 'postgres',
    url: database.url,
    entities: CONTROL_PLANE_ENTITIES,
    migrations: CONTROL_PLANE_MIGRATIONS,
    migrationsTableName: 'control_plane_migrations',
    synchronize: false,
    applicationName,
    extra: {
      max: poolSize,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      statement_timeout: database.statementTimeoutMs,
      lock_timeout: database.lockTimeoutMs,
    },
  };
}
