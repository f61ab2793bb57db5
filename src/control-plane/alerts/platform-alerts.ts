import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { MailOutbox } from '../../platform/mail/mail-outbox';
import { AlertKind, PlatformAlert } from '../schema/platform-alert.entity';
import { User } from '../schema/user.entity';

export interface RaisedAlert {
  kind: AlertKind;
  subject: string;
  message: string;
}

/**
 * Alerts to platform admins. An alert is raised once per kind and subject while it is open: the
 * first occurrence is e-mailed to every active platform admin (through the mail outbox, so with
 * SMTP_URL set; in the same transaction as `manager`'s change when one is given), later ones only
 * count. Every occurrence is also logged, and all of them are listed at GET /control/alerts —
 * the alert log, which is what there is without SMTP.
 */
@Injectable()
export class PlatformAlerts {
  private readonly logger = new Logger('PlatformAlerts');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mail: MailOutbox,
  ) {}

  async raise(alert: RaisedAlert, manager?: EntityManager): Promise<void> {
    this.logger.warn(`Alert ${alert.kind} (${alert.subject}): ${alert.message}`);
    const raiseIn = async (tx: EntityManager) => {
      const [row] = await tx.query<Array<{ opened: boolean }>>(
        `INSERT INTO platform_alerts (kind, subject, message) VALUES ($1, $2, $3)
         ON CONFLICT (kind, subject) WHERE resolved_at IS NULL
         DO UPDATE SET occurrences = platform_alerts.occurrences + 1, last_raised_at = now(), message = EXCLUDED.message
         RETURNING (xmax = 0) AS opened`,
        [alert.kind, alert.subject.slice(0, 128), alert.message.slice(0, 1000)],
      );
      if (!row.opened) return false;
      const admins = await tx.getRepository(User).find({ where: { platformRole: 'platform_admin', status: 'active' } });
      for (const admin of admins) {
        await this.mail.enqueue(tx, {
          kind: 'platform_alert',
          to: admin.email,
          subject: `Tenantry alert: ${alert.kind.replaceAll('_', ' ')}`,
          text: `${alert.message}\n\nSubject: ${alert.subject}\nSee GET /control/alerts; it stays open until resolved there.`,
        });
      }
      return admins.length > 0;
    };
    if (manager) {
      // The caller commits; the delivery job is picked up at the queue's next poll.
      await raiseIn(manager);
      return;
    }
    if (await this.dataSource.transaction(raiseIn)) this.mail.wake();
  }

  /** Raises without making the caller fail: a watcher's alert must not break what it watches. */
  raiseQuietly(alert: RaisedAlert): void {
    this.raise(alert).catch((error: Error) =>
      this.logger.error(`Could not record alert ${alert.kind} (${alert.subject}): ${error.message}`),
    );
  }

  /** Closes the open alert of this kind and subject, if any (the condition is over). */
  async resolveOpen(kind: AlertKind, subject: string): Promise<void> {
    await this.dataSource.query('UPDATE platform_alerts SET resolved_at = now() WHERE kind = $1 AND subject = $2 AND resolved_at IS NULL', [
      kind,
      subject,
    ]);
  }

  async resolve(id: string): Promise<PlatformAlert> {
    const repository = this.dataSource.getRepository(PlatformAlert);
    const alert = await repository.findOne({ where: { id } });
    if (!alert) throw new NotFoundException(`Alert ${id} not found`);
    if (!alert.resolvedAt) await repository.update({ id }, { resolvedAt: new Date() });
    return repository.findOneByOrFail({ id });
  }

  /** Newest first; `open`: only those not resolved. */
  async list(open: boolean | undefined, limit: number): Promise<PlatformAlert[]> {
    const builder = this.dataSource.getRepository(PlatformAlert).createQueryBuilder('alert');
    if (open === true) builder.where('alert.resolvedAt IS NULL');
    if (open === false) builder.where('alert.resolvedAt IS NOT NULL');
    return builder.orderBy('alert.lastRaisedAt', 'DESC').addOrderBy('alert.id', 'DESC').take(limit).getMany();
  }
}
