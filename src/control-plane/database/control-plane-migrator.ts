import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, MigrationExecutor } from 'typeorm';

/** Arbitrary but fixed: serialises migration runs of every process sharing the control plane. */
const MIGRATION_LOCK_KEY = 7_261_001;

/**
 * Applies pending control-plane migrations at start-up. Several API processes may start at
 * once, so the run holds a PostgreSQL advisory lock; the others wait and then find nothing to do.
 * Waiting for that lock and running a migration may take longer than the control plane's lock
 * and statement timeouts allow, so this one session lifts them and runs the migrations itself.
 */
@Injectable()
export class ControlPlaneMigrator implements OnModuleInit {
  private readonly logger = new Logger(ControlPlaneMigrator.name);

  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SET statement_timeout = 0');
      await runner.query('SET lock_timeout = 0');
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      const migrations = new MigrationExecutor(this.dataSource, runner);
      migrations.transaction = 'each';
      const applied = await migrations.executePendingMigrations();
      if (applied.length > 0) this.logger.log(`Applied control-plane migrations: ${applied.map((m) => m.name).join(', ')}`);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      // Back to the pool's timeouts (the values the connection started with).
      await runner.query('RESET statement_timeout; RESET lock_timeout').catch(() => undefined);
      await runner.release();
    }
  }
}
