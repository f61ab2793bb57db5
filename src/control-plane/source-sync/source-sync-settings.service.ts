import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { DataSourceRecords } from '../data-sources/data-source-records';
import { SourceSyncSettingsDto, UpdateSourceSyncSettingsDto } from './dto/source-sync-settings.dto';

interface SettingsRow {
  auto_sync: boolean;
  frequency_minutes: number | null;
  next_run_at: Date | null;
}

/**
 * A byod data source's sync settings (`autoSync`, `syncFrequencyMinutes`). Kept beside the data
 * source rather than in it: changing how often it is synced changes neither the source nor its
 * revision, so it neither closes pools nor resets the sync's baseline.
 */
@Injectable()
export class SourceSyncSettings {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly records: DataSourceRecords,
    private readonly audit: AuditService,
  ) {}

  async get(tenantId: string): Promise<SourceSyncSettingsDto> {
    await this.records.byodTenant(this.dataSource.manager, tenantId);
    await this.records.active(this.dataSource.manager, tenantId);
    return toDto(await this.row(this.dataSource.manager, tenantId));
  }

  /** The first background run is due one period from now; turning autoSync off cancels what is due. */
  async set(tenantId: string, dto: UpdateSourceSyncSettingsDto): Promise<SourceSyncSettingsDto> {
    const frequency = dto.syncFrequencyMinutes ?? null;
    return this.dataSource.transaction(async (manager) => {
      await this.records.byodTenant(manager, tenantId);
      await this.records.active(manager, tenantId, true);
      const before = await this.row(manager, tenantId);
      const [saved] = await manager.query<SettingsRow[]>(
        `INSERT INTO source_syncs (tenant_id, auto_sync, frequency_minutes, next_run_at, updated_at)
         VALUES ($1, $2, $3, CASE WHEN $2 THEN now() + make_interval(mins => $3) END, now())
         ON CONFLICT (tenant_id) DO UPDATE SET auto_sync = EXCLUDED.auto_sync, frequency_minutes = EXCLUDED.frequency_minutes,
           next_run_at = EXCLUDED.next_run_at, updated_at = now()
         RETURNING auto_sync, frequency_minutes, next_run_at`,
        [tenantId, dto.autoSync, frequency],
      );
      await this.audit.record(manager, {
        action: 'data_source.sync_settings',
        targetType: 'tenant_data_source',
        targetId: tenantId,
        tenantId,
        changes: {
          autoSync: { from: before.auto_sync, to: saved.auto_sync },
          syncFrequencyMinutes: { from: before.frequency_minutes, to: saved.frequency_minutes },
        },
      });
      return toDto(saved);
    });
  }

  private async row(manager: EntityManager, tenantId: string): Promise<SettingsRow> {
    const [row] = await manager.query<SettingsRow[]>(
      `SELECT auto_sync, frequency_minutes, next_run_at FROM source_syncs WHERE tenant_id = $1`,
      [tenantId],
    );
    return row ?? { auto_sync: false, frequency_minutes: null, next_run_at: null };
  }
}

function toDto(row: SettingsRow): SourceSyncSettingsDto {
  return { autoSync: row.auto_sync, syncFrequencyMinutes: row.frequency_minutes, nextRunAt: row.next_run_at };
}
