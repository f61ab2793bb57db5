import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SecretCipher, SecretDecryptionError } from '../../../libs/secrets';
import { AuditService } from '../audit/audit.service';
import { STORED_SECRET_COLUMNS, StoredSecretColumn } from './stored-secrets';

export interface ColumnRotation {
  secret: string;
  rotated: number;
  alreadyCurrent: number;
  /** Rows whose secret no configured key opens (ids only: never the secret). */
  failed: string[];
}

/**
 * Re-encrypts every stored credential under the active key (the first of SECRETS_KEYS). Each row
 * is re-encrypted in its own short transaction under a row lock, so the API keeps serving: while
 * both keys are configured, old and new envelopes both decrypt. Run it after deploying the new
 * keyring to every app process; once it reports nothing left, the old key can be removed.
 */
@Injectable()
export class SecretRotationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: SecretCipher,
    private readonly audit: AuditService,
  ) {}

  async rotate(): Promise<ColumnRotation[]> {
    const report: ColumnRotation[] = [];
    for (const column of STORED_SECRET_COLUMNS) report.push(await this.rotateColumn(column));
    await this.dataSource.transaction((manager) =>
      this.audit.record(manager, {
        action: 'secrets.rotate',
        targetType: 'secret_key',
        targetId: null,
        actorUserId: null,
        changes: {
          activeKeyId: this.cipher.activeKeyId,
          columns: report.map(({ secret, rotated, failed }) => ({ secret, rotated, failed: failed.length })),
        },
      }),
    );
    return report;
  }

  /** How many stored secrets each key id encrypts, per column. */
  async status(): Promise<Array<{ secret: string; keyId: string; count: number }>> {
    const rows: Array<{ secret: string; keyId: string; count: number }> = [];
    for (const { table, column } of STORED_SECRET_COLUMNS) {
      const counts: Array<{ key_id: string; count: number }> = await this.dataSource.query(
        `SELECT split_part(${column}, ':', 2) AS key_id, count(*)::int AS count FROM ${table} WHERE ${column} IS NOT NULL GROUP BY 1 ORDER BY 1`,
      );
      rows.push(...counts.map(({ key_id, count }) => ({ secret: `${table}.${column}`, keyId: key_id, count })));
    }
    return rows;
  }

  private async rotateColumn({ table, idColumn, column, scope }: StoredSecretColumn): Promise<ColumnRotation> {
    const active = this.cipher.activeKeyId;
    const outcome: ColumnRotation = { secret: `${table}.${column}`, rotated: 0, alreadyCurrent: 0, failed: [] };
    const stale: Array<{ id: string }> = await this.dataSource.query(
      `SELECT ${idColumn} AS id FROM ${table} WHERE ${column} IS NOT NULL AND split_part(${column}, ':', 2) <> $1 ORDER BY 1`,
      [active],
    );
    for (const { id } of stale) {
      try {
        const changed = await this.dataSource.transaction(async (manager) => {
          const [row]: Array<{ secret: string | null }> = await manager.query(
            `SELECT ${column} AS secret FROM ${table} WHERE ${idColumn} = $1 FOR UPDATE`,
            [id],
          );
          if (!row?.secret || this.cipher.keyIdOf(row.secret) === active) return false;
          const reencrypted = this.cipher.encrypt(this.cipher.decrypt(row.secret, scope(id)), scope(id));
          await manager.query(`UPDATE ${table} SET ${column} = $2 WHERE ${idColumn} = $1`, [id, reencrypted]);
          return true;
        });
        if (changed) outcome.rotated += 1;
      } catch (error) {
        if (!(error instanceof SecretDecryptionError)) throw error;
        outcome.failed.push(id);
      }
    }
    const [{ count }]: Array<{ count: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM ${table} WHERE ${column} IS NOT NULL AND split_part(${column}, ':', 2) = $1`,
      [active],
    );
    outcome.alreadyCurrent = count - outcome.rotated;
    return outcome;
  }
}
