import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../platform/config/app-config';
import { ControlPlaneMigrator } from './control-plane-migrator';
import { controlPlaneConnection, WORKER_DATA_SOURCE } from './control-plane-connection';

/**
 * The control-plane connections: TypeORM's default DataSource serves requests; a second, small
 * one serves this process's job workers, so a job stuck on a lock can never take the
 * connections `/control` and readiness need. Schema changes only through migrations.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const database = config.get('database', { infer: true });
        return controlPlaneConnection(database, 'tenantry-control-plane', database.poolSize);
      },
    }),
    TypeOrmModule.forRootAsync({
      name: WORKER_DATA_SOURCE,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => {
        const database = config.get('database', { infer: true });
        return { ...controlPlaneConnection(database, 'tenantry-worker', database.workerPoolSize), name: WORKER_DATA_SOURCE };
      },
    }),
  ],
  providers: [ControlPlaneMigrator],
})
export class DatabaseModule {}
