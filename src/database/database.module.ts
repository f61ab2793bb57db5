import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CONTROL_PLANE_MIGRATIONS } from '../../migrations/control-plane';
import { AppConfig } from '../config/app-config';
import { CONTROL_PLANE_ENTITIES } from '../control-plane/control-plane.entities';
import { ControlPlaneMigrator } from './control-plane-migrator';

/** The control-plane connection (TypeORM's default DataSource). Schema changes only through migrations. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => ({
        type: 'postgres',
        url: config.get('database.url', { infer: true }),
        entities: CONTROL_PLANE_ENTITIES,
        migrations: CONTROL_PLANE_MIGRATIONS,
        migrationsTableName: 'control_plane_migrations',
        synchronize: false,
        applicationName: 'tenantry-control-plane',
        extra: {
          max: config.get('database.poolSize', { infer: true }),
          connectionTimeoutMillis: 5_000,
          idleTimeoutMillis: 30_000,
        },
      }),
    }),
  ],
  providers: [ControlPlaneMigrator],
})
export class DatabaseModule {}
