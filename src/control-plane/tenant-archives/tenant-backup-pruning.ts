import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ArchiveStorage } from './archive-storage';

/** Keeps a tenant's newest completed backups, as many as its plan says, and removes the rest (file, then row). */
@Injectable()
export class TenantBackupPruning {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: ArchiveStorage,
  ) {}

  /** Idempotent: a file already gone is no error, and a row is deleted only after its file. */
  async prune(tenantId: string): Promise<number> {
    const surplus = await this.dataSource.query<Array<{ id: string; file_name: string | null }>>(
      `SELECT a.id, a.file_name FROM tenant_archives a
         JOIN tenants t ON t.id = a.tenant_id JOIN plans p ON p.name = t.plan
        WHERE a.tenant_id = $1 AND a.kind = 'backup' AND a.status <> 'pending'
          AND a.created_at < COALESCE((SELECT created_at FROM tenant_archives k
                                        WHERE k.tenant_id = $1 AND k.kind = 'backup' AND k.status = 'completed'
                                        ORDER BY k.created_at DESC, k.id DESC OFFSET p.backups_kept - 1 LIMIT 1), '-infinity')`,
      [tenantId],
    );
    for (const archive of surplus) {
      if (archive.file_name) await this.storage.remove(archive.file_name);
      await this.dataSource.query(
        'DELETE FROM tenant_archives WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM tenant_restores r WHERE r.archive_id = $1 AND r.status = $2)',
        [archive.id, 'pending'],
      );
    }
    return surplus.length;
  }
}
